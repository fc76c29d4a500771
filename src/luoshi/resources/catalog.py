"""The indicator catalog (``data/catalog.yaml`` or a user's file): what a figure measures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luoshi.errors import DataFileError
from luoshi.resources.loader import load_yaml, package_data, record
from luoshi.text.phrases import PhraseMatcher

DIRECTIONS = ("floor", "ceiling", "band")
KINDS = ("level", "growth", "share", "change", "count", "rank")


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    synonyms: tuple[str, ...]
    unit: str
    families: tuple[str, ...]
    kind: str
    domain: str = ""
    direction: str = "floor"
    local_name: str | None = None  # the name for a province's or city's figure (地区生产总值)


@dataclass(frozen=True)
class CatalogFile:
    """The catalog as written (schema in the header of ``data/catalog.yaml``)."""

    indicators: tuple[Indicator, ...]
    exclude_between: tuple[str, ...] = ()
    exclude_before: tuple[str, ...] = ()
    base_markers_re: re.Pattern = re.compile("(?!)")
    unit_conversions: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    exclude_between: tuple[str, ...]
    exclude_before: tuple[str, ...]
    base_markers: re.Pattern
    conversions: dict[str, dict[str, float]]
    synonyms: PhraseMatcher
    _by_id: dict[str, Indicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {i.id: i for i in self.indicators})

    def by_id(self, indicator_id: str) -> Indicator | None:
        return self._by_id.get(indicator_id)

    def to_canonical(self, indicator: Indicator, value_base: float, base_unit: str | None) -> float | None:
        """The value in the indicator's canonical unit, or None when the units do not convert."""
        factors = self.conversions.get(indicator.unit, {})
        if base_unit in factors:
            return value_base * factors[base_unit]
        return None


def parse_catalog(data: dict, source: str, families: set[str]) -> Catalog:
    """A catalog mapping, validated: known keys and types, unique ids, known unit families,
    directions and kinds."""
    if not isinstance(data.get("indicators"), list):
        raise DataFileError(f"{source}: 'indicators' must be a list of indicators")
    written = record(CatalogFile, data, source)
    seen: set[str] = set()
    for indicator in written.indicators:
        where = f"{source}: indicator {indicator.id}"
        if indicator.id in seen:
            raise DataFileError(f"{source}: duplicate indicator id {indicator.id!r}")
        seen.add(indicator.id)
        unknown = set(indicator.families) - families
        if unknown:
            raise DataFileError(f"{where}: unknown unit families {sorted(unknown)}")
        if indicator.direction not in DIRECTIONS:
            raise DataFileError(f"{where}: direction must be one of {sorted(DIRECTIONS)}")
        if indicator.kind not in KINDS:
            raise DataFileError(f"{where}: kind must be one of {', '.join(KINDS)}")
        if not all(indicator.synonyms):
            raise DataFileError(f"{where}: an empty synonym")
        if indicator.unit not in written.unit_conversions:
            raise DataFileError(f"{where}: unit {indicator.unit!r} has no entry in unit_conversions, so no figure "
                                f"could be given in it")
    if not all(written.exclude_between + written.exclude_before):
        raise DataFileError(f"{source}: an empty word in exclude_between or exclude_before (it would match everywhere)")
    synonyms = [s for indicator in written.indicators for s in indicator.synonyms]
    return Catalog(
        indicators=written.indicators,
        exclude_between=written.exclude_between,
        exclude_before=written.exclude_before,
        base_markers=written.base_markers_re,
        conversions=written.unit_conversions,
        synonyms=PhraseMatcher({syn: syn for syn in synonyms}),
    )


def load_catalog(path: str | None, families: set[str]) -> Catalog:
    source = path or str(package_data("catalog.yaml"))
    return parse_catalog(load_yaml(source), source, families)
