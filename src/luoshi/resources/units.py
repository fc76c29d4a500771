"""Units, magnitudes and qualifiers of quantities (``data/units.yaml``, ``data/qualifiers.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from luoshi.errors import DataFileError


@dataclass(frozen=True)
class UnitsFile:
    """``units.yaml`` as written (schema in its header)."""

    magnitudes: dict[str, float]
    families: dict[str, tuple[str, ...]]
    arabic_only: tuple[str, ...]
    da_heads: tuple[str, ...]
    durations: tuple[str, ...]
    duration_measured_subjects: tuple[str, ...] = ()
    duration_measured_after: tuple[str, ...] = ()
    magnitude_not_before: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unit_not_before: dict[str, tuple[str, ...]] = field(default_factory=dict)
    bare_magnitude_after: tuple[str, ...] = ()
    bare_magnitude_units: tuple[str, ...] = ()
    rebased: dict[str, tuple[str, float]] = field(default_factory=dict)
    tier_words: tuple[str, ...] = ()
    ratio_context: tuple[str, ...] = ()


@dataclass(frozen=True)
class Units:
    magnitudes: dict[str, float]
    family_of: dict[str, str]
    arabic_only: frozenset[str]
    da_heads: tuple[str, ...]
    durations: frozenset[str]
    duration_measured_after: tuple[str, ...]
    duration_measured_subjects: tuple[str, ...]
    magnitude_not_before: dict[str, tuple[str, ...]]
    unit_not_before: dict[str, tuple[str, ...]]
    bare_magnitude_after: tuple[str, ...]
    bare_magnitude_units: tuple[str, ...]
    rebased: dict[str, tuple[str, float]]
    tier_words: tuple[str, ...]
    ratio_context: tuple[str, ...]


def compile_units(written: UnitsFile, source: str) -> Units:
    """One unit in one family; every unit listed elsewhere must belong to a family."""
    family_of: dict[str, str] = {}
    for family, units in written.families.items():
        for unit in units:
            if unit in family_of:
                raise DataFileError(f"{source}: unit {unit!r} is in families {family_of[unit]} and {family}")
            family_of[unit] = family
    for unit in written.arabic_only + written.durations:
        if unit not in family_of:
            raise DataFileError(f"{source}: {unit!r} is listed but belongs to no family")
    return Units(
        magnitudes=written.magnitudes,
        family_of=family_of,
        arabic_only=frozenset(written.arabic_only),
        da_heads=written.da_heads,
        durations=frozenset(written.durations),
        duration_measured_after=written.duration_measured_after,
        duration_measured_subjects=written.duration_measured_subjects,
        magnitude_not_before=written.magnitude_not_before,
        unit_not_before=written.unit_not_before,
        bare_magnitude_after=written.bare_magnitude_after,
        bare_magnitude_units=written.bare_magnitude_units,
        rebased=written.rebased,
        tier_words=written.tier_words,
        ratio_context=written.ratio_context,
    )


@dataclass(frozen=True)
class Qualifiers:
    """``qualifiers.yaml``: written form -> recorded qualifier, before, after and inside a figure."""

    before: dict[str, str]
    after: dict[str, str]
    inner: dict[str, str]
    # single characters that are qualifiers only when they do not end a word (节约, 发达)
    blocked_after: dict[str, tuple[str, ...]]
