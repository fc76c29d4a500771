"""Per-document context computed once and shared by the fact rules: the normalized text,
the exclusion mask, and sorted indexes of time expressions, places and catalog synonyms."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from luoshi.text.clauses import clause_breaks
from luoshi.text.normalize import normalize
from luoshi.text.numbers import parse_number
from luoshi.model import Document
from luoshi.resources import Resources

YEAR_RE = re.compile(r"(?<![\d.])(\d(?: ?\d){3}|[一二三四五六七八九〇零]{4}) ?年(?!代)")
SENTENCE_PUNCT = re.compile(r"[，。；！？]")
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千点"  # 点: 三百八十六点六五斤 names no plan


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int
    end: int
    year: int  # the year it names, or the last of the years it spans
    deadline: bool  # 到2025年: the figure is due then
    span: bool = False  # 过去五年: the figure covers several years ending then
    grain: str = "year"  # "year", "deadline" (到2025年), "plan" (“十四五”), "multi_year" (过去两年)
    first_year: int | None = None  # the first year of a plan or a span


@dataclass(frozen=True, slots=True)
class PartOfYear:
    """一季度, 1-5月, 上半年, 5月上旬: a part of a year, with the year written right before it."""

    start: int
    end: int
    grain: str  # "half", "quarter", "months", "month", "ten_days"
    first_month: int
    last_month: int
    first_day: int = 1
    last_day: int | None = None  # None: the last day of last_month
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class DocContext:
    norm: str
    excluded: bytearray
    times: list[TimeMention]
    time_starts: list[int]
    parts: list[PartOfYear]
    part_starts: list[int]
    places: list[Mention]
    place_starts: list[int]
    synonyms: list[Mention]
    synonym_ends: list[int]
    sentence_starts: list[int]
    sentence_starts_set: frozenset[int]
    paragraph_starts: list[int]
    breaks: list[int]

    def before(self, items, starts, lo: int, hi: int):
        """Items starting in [lo, hi), in text order."""
        i = bisect.bisect_left(starts, lo)
        j = bisect.bisect_left(starts, hi)
        return items[i:j]

    def backwards(self, items, starts, lo: int, hi: int):
        """Items starting in [lo, hi), nearest to ``hi`` first, without copying the list."""
        j = bisect.bisect_left(starts, hi) - 1
        while j >= 0 and starts[j] >= lo:
            yield items[j]
            j -= 1


def _mark(mask: bytearray, start: int, end: int) -> None:
    mask[start:end] = b"\x01" * (end - start)


def exclusion_mask(norm: str, doc: Document, resources: Resources) -> bytearray:
    """Quoted slogans and titles, numbered formulas, and trailing boilerplate."""
    mask = bytearray(len(norm) + 1)
    for open_q, pattern in resources.rules.quotes:
        for m in pattern.finditer(norm):
            if open_q == "《" or not SENTENCE_PUNCT.search(m.group(1)):
                _mark(mask, m.start(), m.end())
    for m in resources.rules.formulas.find(norm):
        _mark(mask, m.start, m.end)
    for artefact in doc.artefacts:
        if artefact.type in ("boilerplate", "byline", "page_jump"):
            _mark(mask, artefact.start, artefact.end)
    return mask


def time_mentions(norm: str, doc_year: int | None, resources: Resources) -> list[TimeMention]:
    period = resources.lexicon.period
    found: list[TimeMention] = []
    for m in YEAR_RE.finditer(norm):
        try:
            year = int(parse_number(m.group(1)))
        except (ValueError, KeyError):
            continue
        if not 1900 <= year <= 2200:
            continue
        before = norm[max(0, m.start() - 2) : m.start()]
        after = norm[m.end() : m.end() + 3]
        if before.endswith(period.base_before) or after.startswith(period.base_after):
            continue
        deadline = before.endswith(period.deadline_before)
        grain, first = ("deadline", doc_year if doc_year and doc_year <= year else year) if deadline else ("year", year)
        previous = found[-1] if found else None
        if deadline and previous is not None and m.start() - previous.end <= 2 and previous.grain == "year":
            grain, first = "multi_year", previous.year  # 1949年至1952年, 从2020年到2024年: a span, not a deadline
        found.append(TimeMention(m.start(), m.end(), year, deadline, False, grain, first))
    if doc_year:
        this_year, last_year = set(period.this_year), set(period.last_year) | set(period.span_to_last_year)
        for m in resources.rules.relative_time.finditer(norm):
            word = m.group(0)
            if norm[max(0, m.start() - 1) : m.start()] in period.relative_base_before:
                continue  # 比上年, 按上年: a comparison base, not the period
            if word in period.plans:
                prev = norm[m.start() - 1] if m.start() else ""
                nxt = norm[m.end()] if m.end() < len(norm) else ""
                if prev in CN_NUMERAL_CHARS or nxt in CN_NUMERAL_CHARS + "年" or (
                    word == "十五" and not norm.startswith(period.plan_after, m.end())
                ):
                    continue  # 一九五八年 holds 九五 but names no plan
                end_year = period.plans[word]
                found.append(TimeMention(m.start(), m.end(), end_year, True, True, "plan", end_year - 4))
            elif word in period.next_years:
                end_year = doc_year + period.next_years[word]
                found.append(TimeMention(m.start(), m.end(), end_year, True, True, "multi_year", doc_year))
            elif word in this_year:
                found.append(TimeMention(m.start(), m.end(), doc_year, False, False, "year", doc_year))
            elif word in period.span_to_last_year:
                years = period.span_to_last_year[word]
                found.append(TimeMention(m.start(), m.end(), doc_year - 1, False, True, "multi_year", doc_year - years))
            elif word in last_year:
                found.append(TimeMention(m.start(), m.end(), doc_year - 1, False, False, "year", doc_year - 1))
    found.sort(key=lambda t: t.start)
    return found


def _month(written: str) -> int:
    return int(parse_number(written))


def parts_of_year(norm: str, years: list[TimeMention], resources: Resources) -> list[PartOfYear]:
    """Every part of a year the text names, each with the year written right before it."""
    words = resources.lexicon.period.sub_annual
    found: dict[int, PartOfYear] = {}
    covered = bytearray(len(norm) + 1)  # 1 where a part already found stands (三季度 inside 前三季度)
    for word, (grain, first, last) in sorted(words.fixed.items(), key=lambda w: -len(w[0])):
        at = norm.find(word)
        while at >= 0:
            if not covered[at]:
                found[at] = PartOfYear(at, at + len(word), grain, first, last)
                covered[at : at + len(word)] = b"\x01" * len(word)
            at = norm.find(word, at + 1)
    months = []  # each 月 of the text: the month patterns are tried only around them
    at = norm.find("月")
    while at >= 0:
        months.append(at)
        at = norm.find("月", at + 1)
    for pattern, grain in ((words.month_range_re, "months"), (words.months_to_re, "months"), (words.month_re, "month")):
        for at in months:
            m = next((m for m in pattern.finditer(norm, max(0, at - 8), at + 4) if m.start() <= at < m.end()), None)
            if m is None or covered[m.start()]:
                continue
            first = _month(m.group("a")) if "a" in pattern.groupindex else (1 if grain == "months" else _month(m.group("b")))
            last = _month(m.group("b"))
            if not 1 <= first <= last <= 12:
                continue
            part = PartOfYear(m.start(), m.end(), grain, first, last)
            days = next(((w, d) for w, d in words.ten_days.items() if norm.startswith(w, m.end())), None)
            if grain == "month" and days:
                part = PartOfYear(m.start(), m.end() + len(days[0]), "ten_days", first, last, days[1][0],
                                  None if days[1][1] >= 28 else days[1][1])
            found[m.start()] = part
            covered[part.start : part.end] = b"\x01" * (part.end - part.start)
    year_ends = {t.end: t.year for t in years if t.grain == "year"}
    out = []
    for part in sorted(found.values(), key=lambda p: p.start):
        gap = part.start
        while gap > 0 and norm[gap - 1] == " ":
            gap -= 1
        out.append(PartOfYear(part.start, part.end, part.grain, part.first_month, part.last_month, part.first_day,
                              part.last_day, year_ends.get(gap)))
    return out


def place_mentions(norm: str, resources: Resources) -> list[Mention]:
    found = [Mention(m.start, m.end, m.value) for m in resources.places.names.find(norm)]
    taken = {m.start for m in found}
    found += [Mention(m.start, m.end, m.value) for m in resources.rules.scope_words.find(norm) if m.start not in taken]
    found.sort(key=lambda p: p.start)
    return found


def synonym_mentions(norm: str, resources: Resources) -> list[Mention]:
    found = []
    for m in resources.catalog.synonyms.find(norm):
        # a Latin synonym (GDP, M2) must not sit inside a longer Latin token (PM2.5, M2M); a figure
        # may follow it (GDP4402.98亿元)
        if m.phrase.isascii() and (_latin(norm, m.start - 1) or _letter(norm, m.end)
                                   or (m.phrase[-1].isdigit() and norm[m.end : m.end + 1] in "0123456789.")):
            continue
        found.append(Mention(m.start, m.end, m.phrase))
    return found


def _letter(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()


def _latin(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


def build_context(doc: Document, resources: Resources) -> DocContext:
    norm = normalize(doc.text)
    times = time_mentions(norm, doc.year, resources)
    parts = parts_of_year(norm, times, resources)
    places = place_mentions(norm, resources)
    synonyms = synonym_mentions(norm, resources)
    return DocContext(
        norm=norm,
        excluded=exclusion_mask(norm, doc, resources),
        times=times,
        time_starts=[t.start for t in times],
        parts=parts,
        part_starts=[p.start for p in parts],
        places=places,
        place_starts=[p.start for p in places],
        synonyms=synonyms,
        synonym_ends=[s.end for s in synonyms],
        sentence_starts=[s.start for s in doc.sentences],
        sentence_starts_set=frozenset(s.start for s in doc.sentences),
        paragraph_starts=[p.start for p in doc.paragraphs],
        breaks=clause_breaks(norm),
    )
