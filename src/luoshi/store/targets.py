"""``target_outcomes``: per (region, year, indicator) the year's own target and its outcome.

The target of year Y comes from that year's report of the region; the outcome from a later
report of the same region, the next year's first. The table is derived from the reports'
indicator values and rewritten, region by region, whenever a document of the region is saved
or removed, so reading it never re-links the corpus. Judging a pair (met, missed …) is the
verdict's business (``luoshi.link``), not the store's.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.engine import Connection

from luoshi.store import schema

KEY = ("region", "year", "indicator_id")


def _doc_name(value: dict) -> str:
    return value["path"] or value["doc_id"]


def pair_targets(values: list[dict], report_years: dict[str | None, set[int]]) -> list[dict]:
    """Rows of ``target_outcomes`` from indicator values of reports (each with its document's
    doc_id, path, doc_year and region) and the years each region has a report for."""
    targets: dict[tuple, dict] = {}
    outcomes: dict[tuple, list[dict]] = {}
    for v in values:
        key = (v["region"], v["year"], v["indicator_id"])
        if v["role"] == "target" and v["doc_year"] == v["year"]:
            current = targets.get(key)
            if current is None or _doc_name(v) < _doc_name(current):
                targets[key] = v
        elif v["role"] == "outcome":
            outcomes.setdefault(key, []).append(v)
    rows = []
    for key in sorted(set(targets) | set(outcomes), key=lambda k: (k[0] or "", k[1], k[2])):
        region, year, indicator_id = key
        target = targets.get(key)
        later = sorted(outcomes.get(key, []), key=lambda o: (o["doc_year"] != year + 1, o["doc_year"], _doc_name(o)))
        outcome = later[0] if later else None
        years = report_years.get(region, set())
        rows.append({
            "region": region, "year": year, "indicator_id": indicator_id,
            **_side("target", target), **_side("outcome", outcome),
            "year_reported": year in years, "later_reported": any(y > year for y in years),
        })
    return rows


def _side(role: str, value: dict | None) -> dict:
    if role == "target":
        names = {"target_low": "low", "target_high": "high", "unit": "unit", "qualifier": "qualifier"}
    else:
        names = {"outcome_value": "low", "outcome_unit": "unit", "outcome_qualifier": "qualifier"}
    out = {column: value[field] if value else None for column, field in names.items()}
    out.update({f"{role}_quote": value["quote"] if value else None, f"{role}_doc": _doc_name(value) if value else None,
                f"{role}_doc_id": value["doc_id"] if value else None, f"{role}_start": value["start"] if value else None})
    return out


def _in_regions(column, regions: set[str | None]):
    named = sorted(r for r in regions if r is not None)
    conditions = [column.in_(named)] if named else []
    if None in regions:
        conditions.append(column.is_(None))
    return or_(*conditions)


def refresh_targets(conn: Connection, regions: Iterable[str | None]) -> int:
    """Rewrite the rows of these regions from their reports; returns how many rows they have now."""
    regions = set(regions)
    if not regions:
        return 0
    docs, iv, sentences = schema.documents, schema.LAYER_TABLES["indicator_values"], schema.LAYER_TABLES["sentences"]
    quote = func.coalesce(sentences.c.text, func.substr(docs.c.text, iv.c.sentence_start + 1,
                                                        iv.c.sentence_end - iv.c.sentence_start))
    query = (select(iv.c.doc_id, iv.c.role, iv.c.indicator_id, iv.c.year, iv.c.low, iv.c.high, iv.c.unit,
                    iv.c.qualifier, iv.c.start, quote.label("quote"), docs.c.path, docs.c.region,
                    docs.c.year.label("doc_year"))
             .join(docs, docs.c.id == iv.c.doc_id)
             .outerjoin(sentences, and_(sentences.c.doc_id == iv.c.doc_id, sentences.c.start == iv.c.sentence_start))
             .where(docs.c.kind == "report", _in_regions(docs.c.region, regions)))
    values = [dict(r._mapping) for r in conn.execute(query)]
    years: dict[str | None, set[int]] = {}
    for region, year in conn.execute(select(docs.c.region, docs.c.year).where(
            docs.c.kind == "report", docs.c.year.is_not(None), _in_regions(docs.c.region, regions))):
        years.setdefault(region, set()).add(year)
    rows = pair_targets(values, years)
    conn.execute(delete(schema.target_outcomes).where(_in_regions(schema.target_outcomes.c.region, regions)))
    if rows:
        conn.execute(insert(schema.target_outcomes), rows)
    return len(rows)


def read_targets(conn: Connection, region: str | None = None, indicator: str | None = None,
                 year_from: int | None = None, year_to: int | None = None) -> list[dict]:
    """Rows of ``target_outcomes``, filtered, ordered by region, year and indicator."""
    t = schema.target_outcomes
    conditions = [c for c in (t.c.region == region if region is not None else None,
                              t.c.indicator_id == indicator if indicator is not None else None,
                              t.c.year >= year_from if year_from is not None else None,
                              t.c.year <= year_to if year_to is not None else None) if c is not None]
    rows = [dict(r._mapping) for r in conn.execute(select(t).where(*conditions))]
    # ordered here, not in SQL: NULL regions and collations sort differently across databases
    return sorted(rows, key=lambda r: (r["region"] or "", r["year"], r["indicator_id"]))
