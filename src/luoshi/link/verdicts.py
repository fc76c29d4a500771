"""Verdicts across years: was each year's target met by the outcome reported later?

The store keeps, per (region, year, indicator), the year's target and its first later
outcome (``target_outcomes``). Judging them is done here, on read, with the catalog's
direction: floor (GDP growth: at least the target), ceiling (CPI, unemployment, deficit: at
most), band (M2: within). A target written with 左右 is met within a relative tolerance
(``LEFT_RIGHT_TOLERANCE``, default 5 %: 5.5%左右 is met by 5.3, missed by 3). Without a
target the year's report sets none (``not_set``) or is missing (``unknown``); without an
outcome the later reports state none (``unknown``) or do not exist yet (``pending``).
"""

from __future__ import annotations

from luoshi.resources import Catalog
from luoshi.store.db import Database
from luoshi.store.read import Rows

LEFT_RIGHT_TOLERANCE = 0.05
COLUMNS = ("region", "year", "indicator_id", "indicator", "target_low", "target_high", "unit", "qualifier",
           "target_quote", "target_doc", "outcome_value", "outcome_unit", "outcome_qualifier", "outcome_quote",
           "outcome_doc", "verdict")
# where each quote is (document id, offset of the figure): for links, not in the contract
LINK_COLUMNS = ("target_doc_id", "target_start", "outcome_doc_id", "outcome_start")
VERDICTS = ("met", "missed", "pending", "unknown", "not_set")


def judge(direction: str, low: float, high: float, qualifier: str | None, outcome: float,
          tolerance: float = LEFT_RIGHT_TOLERANCE) -> str:
    """met or missed, by the indicator's direction; 左右 widens the target by ``tolerance``."""
    slack = tolerance if qualifier == "左右" else 0.0
    floor_ok = outcome >= low - abs(low) * slack - 1e-9
    ceiling_ok = outcome <= high + abs(high) * slack + 1e-9
    ok = {"floor": floor_ok, "ceiling": ceiling_ok, "band": floor_ok and ceiling_ok}[direction]
    return "met" if ok else "missed"


def verdict(pair: dict, direction: str, tolerance: float = LEFT_RIGHT_TOLERANCE) -> str:
    """The verdict of one ``target_outcomes`` row."""
    if pair["target_low"] is None:
        return "not_set" if pair["year_reported"] else "unknown"
    if pair["outcome_value"] is None:
        return "unknown" if pair["later_reported"] else "pending"
    return judge(direction, pair["target_low"], pair["target_high"], pair["qualifier"], pair["outcome_value"], tolerance)


def judged(pairs: list[dict], catalog: Catalog, tolerance: float = LEFT_RIGHT_TOLERANCE,
           with_verdict: str | None = None, links: bool = False) -> Rows:
    """Target rows with the catalog's name and unit and a verdict; indicators the catalog
    does not know are left out; ``with_verdict`` keeps one verdict only."""
    columns = COLUMNS + (LINK_COLUMNS if links else ())
    records = []
    for pair in pairs:
        indicator = catalog.by_id(pair["indicator_id"])
        if indicator is None:
            continue
        row = {**pair, "indicator": indicator.name, "unit": indicator.unit,
               "verdict": verdict(pair, indicator.direction, tolerance)}
        if with_verdict is None or row["verdict"] == with_verdict:
            records.append({c: row[c] for c in columns})
    return Rows(records, columns)


def targets(db: Database, catalog: Catalog, region: str | None = None, indicator: str | None = None,
            year_from: int | None = None, year_to: int | None = None, tolerance: float = LEFT_RIGHT_TOLERANCE,
            with_verdict: str | None = None, links: bool = False) -> Rows:
    """The target ↔ outcome table (DESIGN's contract columns), filtered; ``links`` adds where
    each quote is (document id and figure offset)."""
    return judged(db.target_outcomes(region, indicator, year_from, year_to), catalog, tolerance, with_verdict, links)
