"""The status rules of ``track`` (``data/track.yaml``, or a user's file) as typed records."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from luoshi.errors import DataFileError
from luoshi.resources.loader import load_yaml, package_data, record


# the sentences a status explains itself with (``reasons`` in the rules file)
REASONS = ("no_target", "no_data", "no_year_to_date", "cumulative", "rate", "band", "late", "unit", "not_started",
           "project")
PHRASES = ("schedule_even", "schedule_ahead", "schedule_behind", "target_even", "above_target", "below_target",
           "at_least", "at_most", "in_band", "below_band", "above_band", "starts_late", "has_gap", "nothing_yet",
           "percent_difference_unit")


@dataclass(frozen=True)
class Thresholds:
    ahead: float
    tolerance: float
    alert: float


@dataclass(frozen=True)
class RateThresholds:
    points: Thresholds
    relative: Thresholds


@dataclass(frozen=True)
class DueDays:
    ten_days: int
    month: int
    quarter: int
    year: int


@dataclass(frozen=True)
class TrackRules:
    cumulative: Thresholds
    rate: RateThresholds
    point_units: tuple[str, ...]
    due_days: DueDays
    reasons: dict[str, str]
    phrases: dict[str, str]

    def due(self, frequency: str) -> int:
        return getattr(self.due_days, frequency)


def _check(rules: TrackRules, source: str) -> TrackRules:
    for name, t in (("cumulative", rules.cumulative), ("rate.points", rules.rate.points),
                    ("rate.relative", rules.rate.relative)):
        if not (0 <= t.tolerance <= t.alert) or t.ahead < 0:
            raise DataFileError(f"{source}: {name}: need 0 ≤ tolerance ≤ alert and ahead ≥ 0 "
                                f"(got ahead {t.ahead}, tolerance {t.tolerance}, alert {t.alert})")
    for name, wanted, written in (("reasons", REASONS, rules.reasons), ("phrases", PHRASES, rules.phrases)):
        missing = sorted(set(wanted) - set(written))
        if missing:
            raise DataFileError(f"{source}: {name}: missing {', '.join(missing)}")
    for frequency in ("ten_days", "month", "quarter", "year"):
        if rules.due(frequency) < 0:
            raise DataFileError(f"{source}: due_days.{frequency} must not be negative")
    return rules


@lru_cache(maxsize=8)
def load_rules(path: str | None = None) -> TrackRules:
    """The packaged rules, or the user's file (every key checked)."""
    source = path or "track.yaml"
    return _check(record(TrackRules, load_yaml(path or package_data("track.yaml")), source), source)
