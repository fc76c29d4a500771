"""A report's own targets and the previous year's outcomes, per catalog indicator.

A report delivered in year Y sets targets for Y (its plan part) and states outcomes for
Y-1 (its review). The first figure of each indicator wins: reports state the main
targets first, in the 主要预期目标 paragraph, and the headline results first in the review.
"""

from __future__ import annotations

from dataclasses import dataclass

from luoshi.model import Document, Fact
from luoshi.resources import Resources


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    year: int
    indicator_id: str
    low: float
    high: float
    unit: str
    qualifier: str | None
    quote: str
    fact: Fact


def _canonical(fact: Fact, resources: Resources) -> tuple[float, float, str] | None:
    indicator = resources.catalog.by_id(fact.indicator_id) if fact.indicator_id else None
    if indicator is None:
        return None
    low = resources.catalog.to_canonical(indicator, fact.value_base, fact.base_unit)
    if low is None:
        return None
    high = low
    if fact.value_max is not None and fact.value:
        high = resources.catalog.to_canonical(indicator, fact.value_max * fact.value_base / fact.value, fact.base_unit)
    return round(low, 6), round(high, 6), indicator.unit


def _first_per_indicator(doc: Document, facts, year: int, resources: Resources) -> list[IndicatorValue]:
    chosen: dict[str, IndicatorValue] = {}
    for fact in facts:
        if fact.indicator_id in chosen:
            continue
        converted = _canonical(fact, resources)
        if converted is None:
            continue
        low, high, unit = converted
        quote = doc.text[fact.sentence[0] : fact.sentence[1]]
        chosen[fact.indicator_id] = IndicatorValue(year, fact.indicator_id, low, high, unit, fact.qualifier, quote, fact)
    return sorted(chosen.values(), key=lambda v: v.indicator_id)


def report_targets(doc: Document, resources: Resources) -> list[IndicatorValue]:
    """The targets a report sets for its own year."""
    if doc.year is None:
        return []
    facts = [f for f in doc.facts if f.status == "target" and f.period == str(doc.year) and f.indicator_id]
    return _first_per_indicator(doc, facts, doc.year, resources)


def report_outcomes(doc: Document, resources: Resources) -> list[IndicatorValue]:
    """The outcomes a report states for the year before it."""
    if doc.year is None:
        return []
    facts = [f for f in doc.facts if f.status == "actual" and f.period == str(doc.year - 1) and f.indicator_id]
    return _first_per_indicator(doc, facts, doc.year - 1, resources)
