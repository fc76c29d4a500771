"""Indicator values: the year's targets a document sets and the outcomes it states for the
year before, one per catalog indicator, in the catalog's unit.

A report delivered in year Y sets targets for Y (its plan part) and states outcomes for Y-1
(its review). The first figure of each indicator wins: reports state the main targets first,
in the 主要预期目标 paragraph, and the headline results first in the review. The layer holds
the targets, then the outcomes, each by indicator id.
"""

from __future__ import annotations

from luoshi.model import Document, Fact, IndicatorValue
from luoshi.resources import Catalog, Resources


def canonical_range(fact: Fact, catalog: Catalog) -> tuple[float, float, str] | None:
    """(low, high, unit) of a figure in its indicator's canonical unit, or None when the
    figure has no catalog indicator or its unit does not convert."""
    indicator = catalog.by_id(fact.indicator_id) if fact.indicator_id else None
    if indicator is None:
        return None
    low = catalog.to_canonical(indicator, fact.value_base, fact.base_unit)
    if low is None:
        return None
    high = low
    if fact.value_max is not None and fact.value:
        high = catalog.to_canonical(indicator, fact.value_max * fact.value_base / fact.value, fact.base_unit)
    return round(low, 6), round(high, 6), indicator.unit


def first_per_indicator(facts: list[Fact], role: str, year: int, catalog: Catalog) -> list[IndicatorValue]:
    chosen: dict[str, IndicatorValue] = {}
    for fact in facts:
        if fact.indicator_id in chosen:
            continue
        converted = canonical_range(fact, catalog)
        if converted is None:
            continue
        low, high, unit = converted
        chosen[fact.indicator_id] = IndicatorValue(fact.start, fact.end, role, fact.indicator_id, year, low, high,
                                                   unit, fact.qualifier, fact.sentence)
    return sorted(chosen.values(), key=lambda v: v.indicator_id)


def extract_indicator_values(doc: Document, resources: Resources) -> Document:
    """Document (with facts and year) -> Document with its ``indicator_values`` layer."""
    if doc.year is None:
        return doc.with_layer("indicator_values", ())
    this_year, last_year = str(doc.year), str(doc.year - 1)
    targets = [f for f in doc.facts if f.status == "target" and f.period == this_year and f.indicator_id]
    outcomes = [f for f in doc.facts if f.status == "actual" and f.period == last_year and f.indicator_id]
    catalog = resources.catalog
    return doc.with_layer("indicator_values", first_per_indicator(targets, "target", doc.year, catalog)
                          + first_per_indicator(outcomes, "outcome", doc.year - 1, catalog))
