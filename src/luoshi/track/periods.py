"""Periods of observations as written in monitoring files, and the 序时进度 of a date.

``2024`` (year), ``2024H1`` (half), ``2024Q2`` (quarter), ``2024-05`` (month),
``2024-01..2024-05`` (cumulative months, 1-5月), ``2024-05-上旬`` (ten days: 上旬 1–10,
中旬 11–20, 下旬 21 to the month's end). A period lies within one calendar year.

序时进度 counts months, not days: the end of June is 0.5 of the year (时间过半), the end of May
5/12, the end of 5月上旬 (4 + 1/3)/12. Analysts' sheets count this way, and it does not
depend on a month's length.
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from dataclasses import dataclass
from datetime import date

GRAINS = ("ten_days", "month", "months", "quarter", "half", "year")
TEN_DAYS = ("上旬", "中旬", "下旬")

_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})[Hh]([12])$"), "half"),
    (re.compile(r"^(\d{4})[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-(\d{1,2})\s*\.\.\s*(\d{4})-(\d{1,2})$"), "months"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(上旬|中旬|下旬)$"), "ten_days"),
)


class PeriodError(ValueError):
    """A period string that is not one of the written forms."""


@dataclass(frozen=True, order=True)
class Period:
    """A span of one year: its first and last day, its grain, and the canonical label."""

    start: date
    end: date
    grain: str
    label: str

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def year_to_date(self) -> bool:
        """Starts on 1 January: a cumulative figure of the period is the year's total so far."""
        return self.start.month == 1 and self.start.day == 1

    @property
    def end_month(self) -> float:
        """Months of the year gone at the period's end (a 旬 counts a third of a month)."""
        return month_position(self.end)


def month_position(day: date) -> float:
    """Months gone by the end of ``day``, counting a 旬 as a third of its month: 6-30 → 6,
    5-10 → 4⅓, and any other day by its share of the month."""
    last = calendar.monthrange(day.year, day.month)[1]
    if day.day == last:
        return float(day.month)
    if day.day in (10, 20):
        return day.month - 1 + day.day / 30
    return day.month - 1 + day.day / last


def elapsed(day: date) -> float:
    """序时进度 at the end of ``day``: the share of its year gone, 0–1."""
    return month_position(day) / 12


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int, text: str) -> None:
    if not 1 <= month <= 12:
        raise PeriodError(f"{text!r}: month {month} is not 1–12")
    if not 1900 <= year <= 2100:
        raise PeriodError(f"{text!r}: year {year} is out of range")


def parse_period(text: str) -> Period:
    """The period a monitoring file writes; ``PeriodError`` says why a string is not one."""
    written = str(text).strip().replace("．", ".").replace("－", "-")
    for pattern, grain in _PATTERNS:
        match = pattern.match(written)
        if match:
            return _build(grain, match.groups(), written)
    raise PeriodError(f"{text!r} is not a period (2024, 2024H1, 2024Q2, 2024-05, 2024-01..2024-05, 2024-05-上旬)")


def _build(grain: str, parts: tuple[str, ...], text: str) -> Period:
    year = int(parts[0])
    _month(year, 1, text)
    if grain == "year":
        return Period(date(year, 1, 1), date(year, 12, 31), grain, f"{year}")
    if grain == "half":
        half = int(parts[1])
        return Period(date(year, 6 * half - 5, 1), _month_end(year, 6 * half), grain, f"{year}H{half}")
    if grain == "quarter":
        quarter = int(parts[1])
        return Period(date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), grain, f"{year}Q{quarter}")
    if grain == "month":
        month = int(parts[1])
        _month(year, month, text)
        return Period(date(year, month, 1), _month_end(year, month), grain, f"{year}-{month:02d}")
    if grain == "months":
        first, end_year, last = int(parts[1]), int(parts[2]), int(parts[3])
        _month(year, first, text)
        _month(end_year, last, text)
        if end_year != year:
            raise PeriodError(f"{text!r}: a cumulative period lies within one year")
        if last < first:
            raise PeriodError(f"{text!r}: ends before it starts")
        if last == first:
            return Period(date(year, first, 1), _month_end(year, first), "month", f"{year}-{first:02d}")
        return Period(date(year, first, 1), _month_end(year, last), grain, f"{year}-{first:02d}..{year}-{last:02d}")
    month, tenth = int(parts[1]), TEN_DAYS.index(parts[2])
    _month(year, month, text)
    start = date(year, month, 1 + 10 * tenth)
    end = date(year, month, 10 * (tenth + 1)) if tenth < 2 else _month_end(year, month)
    return Period(start, end, grain, f"{year}-{month:02d}-{parts[2]}")


def from_dates(start: str | None, end: str | None, grain: str | None) -> Period | None:
    """The period of an extracted fact (ISO dates and a grain), when it lies within one year
    and is shorter than it; None otherwise (a plan period, a deadline, a whole year)."""
    if not start or not end or grain not in ("half", "quarter", "months", "month", "ten_days"):
        return None
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if first.year != last.year:
        return None
    if grain == "ten_days":
        tenth = min((first.day - 1) // 10, 2)
        return parse_period(f"{first.year}-{first.month:02d}-{TEN_DAYS[tenth]}")
    if grain == "half":
        return parse_period(f"{first.year}H{1 if first.month <= 6 else 2}")
    if grain == "quarter":
        return parse_period(f"{first.year}Q{(first.month - 1) // 3 + 1}")
    if grain == "month":
        return parse_period(f"{first.year}-{first.month:02d}")
    return parse_period(f"{first.year}-{first.month:02d}..{last.year}-{last.month:02d}")


@lru_cache(maxsize=4096)
def due_period(frequency: str, as_of: date, grace_days: int) -> Period | None:
    """The latest period of ``frequency`` in the year of ``as_of`` whose observation is due by
    ``as_of`` (it ended at least ``grace_days`` before); None when nothing of the year is due."""
    from datetime import timedelta

    year = as_of.year
    candidates: list[Period]
    if frequency == "year":
        candidates = [parse_period(f"{year}")]
    elif frequency == "quarter":
        candidates = [parse_period(f"{year}Q{q}") for q in range(1, 5)]
    elif frequency == "month":
        candidates = [parse_period(f"{year}-{m:02d}") for m in range(1, 13)]
    elif frequency == "ten_days":
        candidates = [parse_period(f"{year}-{m:02d}-{t}") for m in range(1, 13) for t in TEN_DAYS]
    else:
        raise ValueError(frequency)
    due = [p for p in candidates if p.end + timedelta(days=grace_days) <= as_of]
    return due[-1] if due else None


_QUARTERS = ("一季度", "二季度", "三季度", "四季度")


def chinese_label(period: Period) -> str:
    """How a sheet names the period: 5月, 1-5月, 一季度, 上半年, 1-9月, 5月上旬, 全年."""
    first, last = period.start.month, period.end.month
    if period.grain == "year":
        return f"{period.year}年"
    if period.grain == "half":
        return "上半年" if first == 1 else "下半年"
    if period.grain == "quarter":
        return _QUARTERS[(first - 1) // 3]
    if period.grain == "month":
        return f"{first}月"
    if period.grain == "ten_days":
        return f"{first}月{TEN_DAYS[min((period.start.day - 1) // 10, 2)]}"
    return f"{first}-{last}月"
