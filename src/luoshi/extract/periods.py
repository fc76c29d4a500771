"""The period of a figure as dates: ``period_start``, ``period_end`` and ``period_grain``.

``period`` stays the year a figure refers to (facts.py decides it). This adds what the year
alone does not say: a part of the year named before the figure in its sentence (一季度,
1-5月, 上半年, 5月上旬: grains quarter, months, half, month, ten_days), or that the year
ends a longer period — a five-year plan (“十四五”: plan), a deadline (到2025年: deadline, from
the document's year), several years (过去两年平均: multi_year). A part of a year does not
carry past its sentence, nor past a word that returns to the whole year (全年).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from luoshi.extract.context import DocContext, PartOfYear, TimeMention


@dataclass(frozen=True, slots=True)
class Period:
    grain: str | None
    start: str | None  # ISO dates, inclusive
    end: str | None


NO_PERIOD = Period(None, None, None)


def part_of_year(ctx: DocContext, sentence_start: int, pos: int, full_year: tuple[str, ...],
                 base_before: tuple[str, ...]) -> PartOfYear | None:
    """The part of a year named last before ``pos`` in its sentence, unless it is a comparison
    base (比一季度回落), the text returns to the whole year (全年) or names another year after it."""
    parts = [p for p in ctx.before(ctx.parts, ctx.part_starts, sentence_start, pos)
             if ctx.norm[max(0, p.start - 1) : p.start] not in base_before]
    if not parts:
        return None
    part = parts[-1]
    between = ctx.norm[part.end : pos]
    if any(word in between for word in full_year):
        return None
    if any(t.start >= part.end and t.grain == "year" for t in ctx.before(ctx.times, ctx.time_starts, part.end, pos)):
        return None
    return part


def year_of_part(part: PartOfYear, used: TimeMention | None, status: str, doc) -> str | None:
    """The year of a part of a year: the one written with it, else the one the sentence names,
    else for a result the latest year whose part has ended by the document's date (一季度 in a
    news item of May is this year's, 四季度 in one of March last year's), for a target the
    document's year."""
    if part.year is not None:
        return str(part.year)
    if used is not None or doc.year is None:
        return None
    if status == "actual" and doc.date and doc.date[:4].isdigit() and len(doc.date) >= 7:
        year, month = int(doc.date[:4]), int(doc.date[5:7])
        return str(year if part.last_month < month else year - 1)
    return str(doc.year)


def part_has_ended(part: PartOfYear, doc) -> bool:
    """Has the part of the year ended by the document's date? (Undated: it has.)"""
    if doc.year is None or not (doc.date and len(doc.date) >= 7 and doc.date[:4].isdigit()):
        return True
    year = part.year or doc.year
    done_year, done_month = int(doc.date[:4]), int(doc.date[5:7])
    return (year, part.last_month) < (done_year, done_month)


def title_part(doc, resources) -> PartOfYear | None:
    """A part of a year a news page's title names: the period of figures that name none."""
    if doc.kind != "news" or not doc.title:
        return None
    from luoshi.extract.context import parts_of_year, time_mentions
    from luoshi.text.normalize import normalize

    title = normalize(doc.title)
    parts = parts_of_year(title, time_mentions(title, doc.year, resources), resources)
    return parts[0] if parts else None


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def period_of(period: str | None, used: TimeMention | None, part: PartOfYear | None) -> Period:
    """Dates of a figure's period from its year, the time expression that gave the year, and a
    part of the year named before it."""
    if period is None or not period.isdigit():
        return NO_PERIOD
    year = int(period)
    if part is not None and (used is None or used.grain == "year"):
        year = part.year or year
        last_day = part.last_day or _last_day(year, part.last_month)
        return Period(part.grain, f"{year:04d}-{part.first_month:02d}-{part.first_day:02d}",
                      f"{year:04d}-{part.last_month:02d}-{last_day:02d}")
    if used is not None and used.grain != "year" and used.year == year:
        first = used.first_year if used.first_year is not None else year
        return Period(used.grain, f"{min(first, year):04d}-01-01", f"{year:04d}-12-31")
    return Period("year", f"{year:04d}-01-01", f"{year:04d}-12-31")
