"""The monitoring sheet of a region as of a date: status of every indicator and key project,
roll-ups and the cadence view, read from the database in a few queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from luoshi.errors import LuoshiError
from luoshi.store import track as store
from luoshi.store.db import Database
from luoshi.track.catalog import MonitorIndicator, indicator_from_row
from luoshi.track.periods import Period, elapsed, parse_period
from luoshi.track.rollup import alerts_first, by_group, by_unit, cadence, counts, needs_attention
from luoshi.track.rules import TrackRules, load_rules
from luoshi.track.status import Observation, Target, indicator_status, project_status
from luoshi.track.units import UnitConverter, unit_converter


class TrackError(LuoshiError):
    """A monitoring query cannot be answered as asked (no catalog, unknown region)."""

    code = "E610"


@dataclass
class Sheet:
    """What an analyst's monthly 调度 sheet holds for one region as of one date."""

    region: str
    as_of: date
    indicators: list[dict]
    projects: list[dict]
    domains: list[dict]
    units: list[dict]
    batches: list[dict]
    cadence: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def elapsed(self) -> float:
        return round(elapsed(self.as_of), 4)

    def alerts(self) -> list[dict]:
        return alerts_first([r for r in self.indicators if needs_attention(r)])

    def project_alerts(self) -> list[dict]:
        return alerts_first([p for p in self.projects if needs_attention(p)])

    def to_dict(self, points: bool = True) -> dict:
        def clean(rows: list[dict]) -> list[dict]:
            return rows if points else [{k: v for k, v in r.items() if k != "points"} for r in rows]

        return {"region": self.region, "as_of": self.as_of.isoformat(), "elapsed": self.elapsed,
                "counts": counts(self.indicators), "domains": self.domains, "units": self.units,
                "indicators": clean(self.indicators), "projects": clean(self.projects),
                "project_batches": self.batches, "cadence": self.cadence if points else {}}


def _indicator(row: dict) -> MonitorIndicator:
    return indicator_from_row({k: v for k, v in row.items() if k not in ("position", "source", "loaded_at")})


class _Periods:
    """One Period per distinct stored period: a hundred regions share a few hundred of them."""

    def __init__(self) -> None:
        self._known: dict[tuple, Period] = {}

    def __call__(self, label: str, start: str, end: str, grain: str) -> Period:
        key = (label, start, end)
        period = self._known.get(key)
        if period is None:
            period = self._known[key] = Period(date.fromisoformat(start), date.fromisoformat(end), grain, label)
        return period


class TrackService:
    def __init__(self, db: Database, rules: TrackRules | None = None, units: UnitConverter | None = None) -> None:
        self.db = db
        self.rules = rules or load_rules()
        self.units = units or unit_converter()

    def regions(self) -> list[str]:
        with self.db.engine.connect() as conn:
            return store.regions(conn)

    def region_or_only(self, region: str | None, known: list[str] | None = None) -> str:
        """The region asked for (one with monitoring data, or with targets in its reports), or
        the only one the database monitors (``known``: the monitored regions, if already read)."""
        known = self.regions() if known is None else known
        if region:
            with self.db.engine.connect() as conn:
                reported = region not in known and store.has_report_targets(conn, region)
            if region not in known and not reported:
                raise TrackError(f"no monitoring data for region {region!r}"
                                 + (f"; the database has {', '.join(known[:20])}" if known else
                                    "; load observations, targets or projects first"))
            return region
        if len(known) == 1:
            return known[0]
        if not known:
            raise TrackError("no monitoring data in the database; `luoshi track load …` first")
        raise TrackError(f"give --region: the database monitors {len(known)} regions ({', '.join(known[:10])}"
                         f"{' …' if len(known) > 10 else ''})")

    def catalog(self, conn) -> list[MonitorIndicator]:
        return [_indicator(r) for r in store.indicators(conn)]

    def _targets(self, conn, region: str | None, year: int, catalog: dict[str, MonitorIndicator]) -> dict[tuple, Target]:
        """(region, indicator id) → the year's target: a loaded targets file overrides a report."""
        out: dict[tuple, Target] = {}
        # a report's target first, so that a loaded targets file overrides it
        for row, source in [(r, "report") for r in store.report_targets(conn, region, year)] + \
                [(r, "file") for r in store.track_targets(conn, region, year)]:
            indicator = catalog.get(row["indicator_id"])
            factor = indicator and self.units.factor(row["unit"] or indicator.unit, indicator.unit)
            if not indicator or factor is None:
                continue
            quote, doc = (row["target_quote"], row["target_doc"]) if source == "report" else (None, row["source"])
            out[(row["region"], row["indicator_id"])] = Target(
                _times(row["target_low"], factor), _times(row["target_high"], factor), source, quote, doc)
        return out

    def _observations(self, conn, region: str | None, as_of: date,
                      catalog: dict[str, MonitorIndicator]) -> dict[tuple, list[Observation]]:
        out: dict[tuple, list[Observation]] = {}
        factors: dict[tuple, float | None] = {}
        period = _Periods()
        for (row_region, indicator_id, label, start, end, grain, value, unit, source, quote, doc_id, span_start) \
                in store.observations(conn, region, as_of.year, as_of.isoformat()):
            indicator = catalog.get(indicator_id)
            if indicator is None:
                continue
            key = (unit, indicator.unit)
            if key not in factors:
                factors[key] = self.units.factor(unit or indicator.unit, indicator.unit)
            factor = factors[key]
            if factor is None:
                continue
            out.setdefault((row_region, indicator_id), []).append(
                Observation(period(label, start, end, grain), value * factor, source, quote, doc_id, span_start))
        return out

    def sheet(self, region: str | None, as_of: date, with_cadence: bool = True) -> Sheet:
        region = self.region_or_only(region)
        with self.db.engine.connect() as conn:
            catalog = self.catalog(conn)
            if not catalog:
                raise TrackError("no monitoring catalog in the database; `luoshi track load catalog FILE` first")
            by_id = {i.id: i for i in catalog}
            targets = self._targets(conn, region, as_of.year, by_id)
            observations = self._observations(conn, region, as_of, by_id)
            projects = store.projects(conn, region)
            progress = store.progress(conn, [p["project_id"] for p in projects])
        return self._sheet(region, as_of, catalog, targets, observations, projects, _by_project(progress), with_cadence)

    def sheets(self, as_of: date) -> list[Sheet]:
        """Every region's sheet (without the cadence view): the whole database in one pass."""
        with self.db.engine.connect() as conn:
            catalog = self.catalog(conn)
            by_id = {i.id: i for i in catalog}
            targets = self._targets(conn, None, as_of.year, by_id)
            observations = self._observations(conn, None, as_of, by_id)
            projects = store.projects(conn, None)
            progress = store.progress(conn, [p["project_id"] for p in projects])
            regions = store.regions(conn)
        projects_of: dict[str, list[dict]] = {}
        for project in projects:
            projects_of.setdefault(project["region"], []).append(project)
        progress_of = _by_project(progress)
        return [self._sheet(region, as_of, catalog, targets, observations, projects_of.get(region, []), progress_of,
                            False) for region in regions]

    def _sheet(self, region, as_of, catalog, targets, observations, projects, progress, with_cadence) -> Sheet:
        rows = []
        cadence_rows: dict[str, list[dict]] = {}
        for indicator in catalog:
            target = targets.get((region, indicator.id))
            seen = observations.get((region, indicator.id), [])
            rows.append({"region": region, **indicator_status(indicator, target, seen, as_of, self.rules)})
            if with_cadence:
                cadence_rows[indicator.id] = cadence(indicator, target, seen, as_of, self.rules)
        project_rows = [project_status(p, progress.get(p["project_id"], []), as_of, self.rules) for p in projects]
        return Sheet(region, as_of, rows, project_rows, by_group(rows, "domain"), by_unit(rows, project_rows),
                     by_group(project_rows, "batch"), cadence_rows)


def _by_project(progress: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in progress:
        out.setdefault(row["project_id"], []).append(row)
    return out


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def parse_as_of(text: str | None) -> date:
    """``--as-of``: an ISO date, or a period (2024-06 → its last day); today when not given."""
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return parse_period(text).end
    except ValueError:
        raise TrackError(f"--as-of {text!r} is not a date (2024-06-30) or a period (2024-06, 2024H1)") from None
