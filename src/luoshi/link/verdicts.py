"""Targets linked to outcomes, with a verdict per (region, year, indicator).

The target of year Y comes from that year's report; the outcome from a later document of
the same region, the next year's report first. The catalog's direction decides:
floor (GDP growth: at least the target), ceiling (CPI, unemployment, deficit: at most),
band (M2: within). A target written with 左右 is met within a relative tolerance
(``LEFT_RIGHT_TOLERANCE``, default 5 %: 5.5%左右 is met by 5.3, missed by 3).
"""

from __future__ import annotations

from dataclasses import dataclass

from luoshi.resources import Catalog

LEFT_RIGHT_TOLERANCE = 0.05
COLUMNS = ("region", "year", "indicator_id", "indicator", "target_low", "target_high", "unit", "qualifier",
           "target_quote", "target_doc", "outcome_value", "outcome_unit", "outcome_qualifier", "outcome_quote",
           "outcome_doc", "verdict")
LINK_COLUMNS = ("target_doc_id", "target_start", "outcome_doc_id", "outcome_start")
VERDICTS = ("met", "missed", "pending", "unknown", "not_set")


@dataclass(frozen=True)
class TargetRow:
    region: str | None
    year: int
    indicator_id: str
    indicator: str
    target_low: float | None
    target_high: float | None
    unit: str | None
    qualifier: str | None
    target_quote: str | None
    target_doc: str | None
    outcome_value: float | None
    outcome_unit: str | None
    outcome_qualifier: str | None
    outcome_quote: str | None
    outcome_doc: str | None
    verdict: str
    # where each quote is (document id, offset of the figure): for links, not in the contract
    target_doc_id: str | None = None
    target_start: int | None = None
    outcome_doc_id: str | None = None
    outcome_start: int | None = None

    def as_dict(self, links: bool = False) -> dict:
        columns = COLUMNS + (LINK_COLUMNS if links else ())
        return {c: getattr(self, c) for c in columns}


def judge(direction: str, low: float, high: float, qualifier: str | None, outcome: float,
          tolerance: float = LEFT_RIGHT_TOLERANCE) -> str:
    """met or missed, by the indicator's direction; 左右 widens the target by ``tolerance``."""
    slack = tolerance if qualifier == "左右" else 0.0
    floor_ok = outcome >= low - abs(low) * slack - 1e-9
    ceiling_ok = outcome <= high + abs(high) * slack + 1e-9
    ok = {"floor": floor_ok, "ceiling": ceiling_ok, "band": floor_ok and ceiling_ok}[direction]
    return "met" if ok else "missed"


def _doc_name(value: dict) -> str | None:
    return value.get("path") or value.get("doc_id")


def link_targets(values: list[dict], report_years: dict[str | None, set[int]], catalog: Catalog,
                 tolerance: float = LEFT_RIGHT_TOLERANCE) -> list[TargetRow]:
    """``values``: indicator_values rows joined with their document's path and year;
    ``report_years``: the years each region has a report for."""
    targets: dict[tuple, dict] = {}
    outcomes: dict[tuple, list[dict]] = {}
    for v in values:
        key = (v["region"], v["year"], v["indicator_id"])
        if v["role"] == "target" and v["doc_year"] == v["year"]:
            current = targets.get(key)
            if current is None or (_doc_name(v) or "") < (_doc_name(current) or ""):
                targets[key] = v
        elif v["role"] == "outcome":
            outcomes.setdefault(key, []).append(v)
    rows = []
    for key in sorted(set(targets) | set(outcomes), key=lambda k: (k[0] or "", k[1], k[2])):
        region, year, indicator_id = key
        indicator = catalog.by_id(indicator_id)
        if indicator is None:
            continue
        target = targets.get(key)
        candidates = sorted(outcomes.get(key, []), key=lambda o: (o["doc_year"] != year + 1, o["doc_year"], _doc_name(o) or ""))
        outcome = candidates[0] if candidates else None
        verdict = _verdict(target, outcome, indicator.direction, year, report_years.get(region, set()), tolerance)
        rows.append(TargetRow(
            region=region, year=year, indicator_id=indicator_id, indicator=indicator.name,
            target_low=target["low"] if target else None, target_high=target["high"] if target else None,
            unit=indicator.unit, qualifier=target["qualifier"] if target else None,
            target_quote=target["quote"] if target else None, target_doc=_doc_name(target) if target else None,
            outcome_value=outcome["low"] if outcome else None, outcome_unit=outcome["unit"] if outcome else None,
            outcome_qualifier=outcome["qualifier"] if outcome else None,
            outcome_quote=outcome["quote"] if outcome else None, outcome_doc=_doc_name(outcome) if outcome else None,
            verdict=verdict,
            target_doc_id=target["doc_id"] if target else None, target_start=target.get("fact_start") if target else None,
            outcome_doc_id=outcome["doc_id"] if outcome else None,
            outcome_start=outcome.get("fact_start") if outcome else None,
        ))
    return rows


def _verdict(target: dict | None, outcome: dict | None, direction: str, year: int, years: set[int], tolerance: float) -> str:
    if target is None:
        # the year's report exists and sets no figure for it: "not set", never "not found"
        return "not_set" if year in years else "unknown"
    if outcome is None:
        return "unknown" if any(y > year for y in years) else "pending"
    return judge(direction, target["low"], target["high"], target["qualifier"], outcome["low"], tolerance)
