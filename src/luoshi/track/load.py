"""Loading monitoring files into the database: catalog, observations, targets, projects, progress.

Policy (documented in the README): every row is checked first; the good rows of a file are
written in one transaction (all of them or, if the database fails, none), and each bad row is
reported with the file, its line and the reason. ``strict=True`` writes nothing when any row
is bad. Loading the same file again changes nothing; a changed value replaces the stored one
and the old value is kept in ``track_history``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from luoshi.errors import DatabaseError
from luoshi.store import schema
from luoshi.store import track as store
from luoshi.store.db import Database
from luoshi.track.catalog import indicator_from_row, indicator_row
from luoshi.track.files import FileRows, TrackFileError, read_catalog_rows, read_rows
from luoshi.track.periods import PeriodError, from_dates, parse_period
from luoshi.track.units import UnitConverter

OBSERVATION_COLUMNS = ("region", "indicator_id", "period", "value", "unit", "source")
TARGET_COLUMNS = ("region", "year", "indicator_id", "target_low", "target_high", "unit")
PROJECT_COLUMNS = ("project_id", "name", "region", "unit_in_charge", "leader", "batch", "planned_investment", "unit",
                   "start", "finish")
PROGRESS_COLUMNS = ("project_id", "period", "completed_investment", "milestone")
BATCHES = ("签约", "开工", "投产")
KINDS = ("catalog", "observations", "targets", "projects", "progress")


@dataclass(frozen=True)
class BadRow:
    path: str
    place: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.place} {self.line}: {self.reason}"


@dataclass
class LoadReport:
    path: str
    what: str
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    kept: int = 0
    bad: list[BadRow] = field(default_factory=list)
    written: bool = True

    def line(self) -> str:
        parts = [f"{self.inserted} new", f"{self.replaced} replaced", f"{self.unchanged} unchanged"]
        if self.kept:
            parts.append(f"{self.kept} kept (a file's value is not replaced by a document's)")
        if self.bad:
            parts.append(f"{len(self.bad)} bad")
        verb = "loaded" if self.written else "not loaded (--strict and bad rows)"
        return f"{self.path}: {self.what} {verb}: " + ", ".join(parts)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,")


def number(text: str | None, name: str, required: bool = True) -> float | None:
    if text is None or str(text).strip() == "":
        if required:
            raise ValueError(f"{name} is empty")
        return None
    written = str(text).strip().translate(_FULL_WIDTH).replace(",", "").replace(" ", "")
    written = re.sub(r"%$", "", written)
    try:
        value = float(written)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} {text!r} is not a finite number")
    return value


def _required(row: dict, *names: str) -> None:
    missing = [n for n in names if not row.get(n)]
    if missing:
        raise ValueError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} empty")


def _month(text: str, name: str) -> date:
    """A project's start or finish month: 2024-03 or 2024-03-15 (the month counts)."""
    match = re.match(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?$", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"{name} {text!r} is not a month (2024-03)")
    return date(int(match.group(1)), int(match.group(2)), 1)


def _unit(row: dict, indicator: dict, units: UnitConverter) -> str:
    unit = row.get("unit") or indicator["unit"]
    if units.factor(unit, indicator["unit"]) is None:
        raise ValueError(f"unit {unit!r} does not convert to {indicator['unit']!r}, the unit of {indicator['id']}")
    return unit


def observation_row(row: dict, indicators: dict[str, dict], units: UnitConverter) -> dict:
    _required(row, "region", "indicator_id", "period")
    indicator = indicators.get(row["indicator_id"])
    if indicator is None:
        raise ValueError(f"unknown indicator {row['indicator_id']!r} (not in the loaded catalog; "
                         f"`luoshi track load catalog` first)")
    try:
        period = parse_period(row["period"])
    except PeriodError as exc:
        raise ValueError(str(exc)) from None
    return {"region": row["region"], "indicator_id": row["indicator_id"], "period": period.label, "year": period.year,
            "period_start": period.start.isoformat(), "period_end": period.end.isoformat(), "grain": period.grain,
            "value": number(row.get("value"), "value"), "unit": _unit(row, indicator, units),
            "source": row.get("source"), "doc_id": None, "start": None, "end": None, "quote": None}


def target_row(row: dict, indicators: dict[str, dict], units: UnitConverter) -> dict:
    _required(row, "region", "year", "indicator_id")
    indicator = indicators.get(row["indicator_id"])
    if indicator is None:
        raise ValueError(f"unknown indicator {row['indicator_id']!r} (not in the loaded catalog)")
    year = number(row["year"], "year")
    if not year.is_integer() or not 1900 <= year <= 2100:
        raise ValueError(f"year {row['year']!r} is not a year")
    low, high = number(row.get("target_low"), "target_low", False), number(row.get("target_high"), "target_high", False)
    if low is None and high is None:
        raise ValueError("target_low and target_high are both empty")
    if low is not None and high is not None and high < low:
        raise ValueError(f"target_high {high:g} is below target_low {low:g}")
    return {"region": row["region"], "year": int(year), "indicator_id": row["indicator_id"], "target_low": low,
            "target_high": high, "unit": _unit(row, indicator, units)}


def project_row(row: dict) -> dict:
    _required(row, "project_id", "name", "region", "planned_investment", "start", "finish")
    start, finish = _month(row["start"], "start"), _month(row["finish"], "finish")
    if finish < start:
        raise ValueError(f"finish {row['finish']} is before start {row['start']}")
    planned = number(row["planned_investment"], "planned_investment")
    if planned <= 0:
        raise ValueError("planned_investment must be above 0")
    batch = row.get("batch")
    if batch is not None and batch not in BATCHES:
        raise ValueError(f"batch {batch!r} is not one of {'、'.join(BATCHES)}")
    return {"project_id": row["project_id"], "name": row["name"], "region": row["region"],
            "unit_in_charge": row.get("unit_in_charge"), "leader": row.get("leader"), "batch": batch,
            "planned_investment": planned, "unit": row.get("unit") or "亿元",
            "start": start.isoformat()[:7], "finish": finish.isoformat()[:7]}


def progress_row(row: dict, projects: set[str]) -> dict:
    _required(row, "project_id", "period")
    if row["project_id"] not in projects:
        raise ValueError(f"unknown project {row['project_id']!r} (load the projects first)")
    try:
        period = parse_period(row["period"])
    except PeriodError as exc:
        raise ValueError(str(exc)) from None
    completed = number(row.get("completed_investment"), "completed_investment")
    if completed < 0:
        raise ValueError("completed_investment must not be negative")
    return {"project_id": row["project_id"], "period": period.label, "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(), "completed_investment": completed, "milestone": row.get("milestone")}


def _checked(rows: FileRows, parse, key: tuple[str, ...]) -> tuple[list[dict], list[BadRow]]:
    good: list[dict] = []
    bad: list[BadRow] = []
    first_line: dict[tuple, int] = {}
    for line, row in rows.rows:
        try:
            if "__error__" in row:
                raise ValueError(row["__error__"])
            parsed = parse(row)
        except ValueError as exc:
            bad.append(BadRow(rows.path, rows.place, line, str(exc)))
            continue
        row_key = tuple(parsed[k] for k in key)
        if row_key in first_line:
            bad.append(BadRow(rows.path, rows.place, line, f"the same {'/'.join(key)} as {rows.place} {first_line[row_key]}"))
            continue
        first_line[row_key] = line
        good.append({**parsed, "source": parsed.get("source") or rows.path} if "source" not in parsed else parsed)
    return good, bad


def _write(db: Database, table: str, report: LoadReport, rows: list[dict], strict: bool, keep_existing=None) -> LoadReport:
    if strict and report.bad:
        report.written = False
        return report
    try:
        counts = store.write_rows(db.engine, table, rows, report.path, keep_existing)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"{report.path}: nothing loaded, the database refused the rows ({getattr(exc, 'orig', exc)})") from exc
    report.inserted, report.replaced, report.unchanged, report.kept = (counts.inserted, counts.replaced, counts.unchanged,
                                                                      counts.kept)
    return report


def _indicators(db: Database) -> dict[str, dict]:
    with db.engine.connect() as conn:
        return {i["id"]: i for i in store.indicators(conn)}


def _place_in_order(conn, table: str, key: str, rows: list[dict]) -> None:
    """Give each row its position: a known key keeps its place, a new one goes last (sheets
    list indicators and projects in the order their files gave them)."""
    position = store.next_position(conn, table)
    t = schema.TRACK_TABLES[table]
    known = {k: p for k, p in conn.execute(select(t.c[key], t.c.position))}
    for row in rows:
        if row[key] not in known:
            known[row[key]] = position
            position += 1
        row["position"] = known[row[key]]


def load_catalog(db: Database, path: str, strict: bool = False) -> LoadReport:
    rows = read_catalog_rows(path)
    good, bad = _checked(rows, lambda r: indicator_row(indicator_from_row(r)), ("id",))
    with db.engine.connect() as conn:
        _place_in_order(conn, "track_indicators", "id", good)
    return _write(db, "track_indicators", LoadReport(rows.path, "catalog", bad=bad), good, strict)


def _catalog_first(db: Database, path: str) -> dict[str, dict]:
    indicators = _indicators(db)
    if not indicators:
        raise TrackFileError(f"{path}: no monitoring catalog in the database; `luoshi track load catalog FILE` first")
    return indicators


def load_observations(db: Database, path: str, units: UnitConverter, strict: bool = False) -> LoadReport:
    indicators = _catalog_first(db, path)
    rows = read_rows(path, ("region", "indicator_id", "period", "value"))
    good, bad = _checked(rows, lambda r: observation_row(r, indicators, units), ("region", "indicator_id", "period"))
    return _write(db, "track_observations", LoadReport(rows.path, "observations", bad=bad), good, strict)


def load_targets(db: Database, path: str, units: UnitConverter, strict: bool = False) -> LoadReport:
    indicators = _catalog_first(db, path)
    rows = read_rows(path, ("region", "year", "indicator_id"))
    if "target_low" not in rows.columns and "target_high" not in rows.columns:
        raise TrackFileError(f"{path}: missing columns target_low, target_high (one of them at least)")
    good, bad = _checked(rows, lambda r: target_row(r, indicators, units), ("region", "year", "indicator_id"))
    return _write(db, "track_targets", LoadReport(rows.path, "targets", bad=bad), good, strict)


def load_projects(db: Database, path: str, strict: bool = False) -> LoadReport:
    """A projects file, or a progress file (told apart by its columns)."""
    probe = read_rows(path, ("project_id",))
    if "completed_investment" in probe.columns:
        return load_progress(db, path, strict)
    rows = read_rows(path, ("project_id", "name", "region", "planned_investment", "start", "finish"))
    good, bad = _checked(rows, project_row, ("project_id",))
    with db.engine.connect() as conn:
        _place_in_order(conn, "track_projects", "project_id", good)
    return _write(db, "track_projects", LoadReport(rows.path, "projects", bad=bad), good, strict)


def load_progress(db: Database, path: str, strict: bool = False) -> LoadReport:
    with db.engine.connect() as conn:
        projects = store.project_ids(conn)
    if not projects:
        raise TrackFileError(f"{path}: no projects in the database; `luoshi track load projects projects.csv` first")
    rows = read_rows(path, ("project_id", "period", "completed_investment"))
    good, bad = _checked(rows, lambda r: progress_row(r, projects), ("project_id", "period"))
    return _write(db, "track_progress", LoadReport(rows.path, "progress", bad=bad), good, strict)


def load_from_documents(db: Database, units: UnitConverter, region: str | None = None) -> LoadReport:
    """Observations from the stored documents: actual figures of a catalog indicator with a
    period shorter than a year (1-5月, 一季度, 上半年, 5月上旬), each keeping its quote. A value
    loaded from a file is never replaced by one taken from a document. With ``region``, only
    that region's figures, counting a figure without a place in a document without a region
    as the region's."""
    indicators = _catalog_first(db, "(documents in the database)")
    report = LoadReport("(documents in the database)", "observations")
    good: dict[tuple, dict] = {}
    with db.engine.connect() as conn:
        found = store.document_figures(conn, sorted(indicators))
    for fact in found:
        # a figure that names no place, in a document that names none, is the asked region's
        fact_region = fact["region"] or fact["doc_region"] or region
        if fact_region is None or (region is not None and fact_region != region):
            continue
        period = from_dates(fact["period_start"], fact["period_end"], fact["period_grain"])
        indicator = indicators[fact["indicator_id"]]
        if period is None or units.factor(fact["unit"] or "", indicator["unit"]) is None:
            continue
        key = (fact_region, fact["indicator_id"], period.label)
        if key in good:
            continue  # the first document (by id) and its first mention
        good[key] = {"region": fact_region, "indicator_id": fact["indicator_id"], "period": period.label,
                     "year": period.year, "period_start": period.start.isoformat(), "period_end": period.end.isoformat(),
                     "grain": period.grain, "value": fact["value"], "unit": fact["unit"],
                     "source": fact["path"] or fact["doc_id"], "doc_id": fact["doc_id"], "start": fact["start"],
                     "end": fact["end"], "quote": fact["quote"]}
    return _write(db, "track_observations", report, list(good.values()), False,
                  keep_existing=lambda stored: stored["doc_id"] is None)


# a monitoring set in one folder, in the order the files depend on each other
SET_FILES = (("catalog", "monitor.yaml"), ("targets", "targets.csv"), ("observations", "observations.csv"),
             ("projects", "projects.csv"), ("progress", "progress.csv"))


def load_set(db: Database, folder, units: UnitConverter, strict: bool = False) -> list[LoadReport]:
    """Every file of a monitoring set that ``folder`` holds (``SET_FILES``; e.g. examples/track)."""
    from pathlib import Path

    loaders = {"catalog": lambda p: load_catalog(db, p, strict),
               "targets": lambda p: load_targets(db, p, units, strict),
               "observations": lambda p: load_observations(db, p, units, strict),
               "projects": lambda p: load_projects(db, p, strict),
               "progress": lambda p: load_progress(db, p, strict)}
    return [loaders[what](str(Path(folder) / name)) for what, name in SET_FILES if (Path(folder) / name).is_file()]
