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
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千"


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int
    end: int
    year: int
    deadline: bool  # 到2025年: the figure is due then
    span: bool = False  # 过去五年: the figure covers several years ending then


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
        found.append(TimeMention(m.start(), m.end(), year, before.endswith(period.deadline_before)))
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
                    word == "十五" and not _looks_like_plan(norm, m.end())
                ):
                    continue  # 一九五八年 holds 九五 but names no plan
                found.append(TimeMention(m.start(), m.end(), period.plans[word], True, True))
            elif word in period.next_years:
                found.append(TimeMention(m.start(), m.end(), doc_year + period.next_years[word], True, True))
            elif word in this_year:
                found.append(TimeMention(m.start(), m.end(), doc_year, False))
            elif word in last_year:
                span = word in period.span_to_last_year
                found.append(TimeMention(m.start(), m.end(), doc_year - 1, False, span))
    found.sort(key=lambda t: t.start)
    return found


def _looks_like_plan(norm: str, end: int) -> bool:
    return norm[end : end + 2] in ("时期", "期间", "规划", "计划", "末")


def place_mentions(norm: str, resources: Resources) -> list[Mention]:
    found = [Mention(m.start, m.end, m.value) for m in resources.places.names.find(norm)]
    taken = {m.start for m in found}
    found += [Mention(m.start, m.end, m.value) for m in resources.rules.scope_words.find(norm) if m.start not in taken]
    found.sort(key=lambda p: p.start)
    return found


def synonym_mentions(norm: str, resources: Resources) -> list[Mention]:
    found = []
    for m in resources.catalog.synonyms.find(norm):
        # a Latin synonym (GDP, M2) must not sit inside a longer Latin token (PM2.5)
        if m.phrase.isascii() and (_latin(norm, m.start - 1) or _latin(norm, m.end) or norm[m.end : m.end + 1] == "."):
            continue
        found.append(Mention(m.start, m.end, m.phrase))
    return found


def _latin(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


def build_context(doc: Document, resources: Resources) -> DocContext:
    norm = normalize(doc.text)
    times = time_mentions(norm, doc.year, resources)
    places = place_mentions(norm, resources)
    synonyms = synonym_mentions(norm, resources)
    return DocContext(
        norm=norm,
        excluded=exclusion_mask(norm, doc, resources),
        times=times,
        time_starts=[t.start for t in times],
        places=places,
        place_starts=[p.start for p in places],
        synonyms=synonyms,
        synonym_ends=[s.end for s in synonyms],
        sentence_starts=[s.start for s in doc.sentences],
        sentence_starts_set=frozenset(s.start for s in doc.sentences),
        paragraph_starts=[p.start for p in doc.paragraphs],
        breaks=clause_breaks(norm),
    )
