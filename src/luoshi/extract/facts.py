"""Facts: each quantity with kind, status, period, indicator, catalog id and region.

The rules read the clause and sentence around a figure, the part of the document it
stands in (review or plan) and the document's year; cue words come from lexicon.yaml.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from luoshi.extract.context import DocContext, build_context
from luoshi.extract.measures import MeasureNamer, Named
from luoshi.extract.periods import part_has_ended, part_of_year, period_of, title_part, year_of_part
from luoshi.extract.regions import DocRegions, region_scope
from luoshi.extract.quantities import Quantity, find_quantities
from luoshi.model import Document, Fact
from luoshi.resources import Resources
from luoshi.resources.lexicon import FactPatterns, KindWords
from luoshi.text.clauses import CLAUSE_BREAK
from luoshi.text.patterns import alternation

CONTEXT_CHARS = 200
RUN_JOINERS = ("、", "和")  # 8.2%、8.3%: figures listed one after another


@dataclass(frozen=True)
class CueSet:
    """The status, kind and subject rules of lexicon.yaml, compiled once."""

    target: re.Pattern
    actual: re.Pattern
    strong_target: re.Pattern
    strong_actual: re.Pattern
    forecast: re.Pattern
    progress: tuple[str, ...]
    kind: KindWords
    patterns: FactPatterns


@lru_cache(maxsize=4)
def compile_cues(resources: Resources) -> CueSet:
    status = resources.lexicon.status
    # 要/将 inside common words (主要, 重要, 将近) are not commitments
    guard = f"(?<![{re.escape(status.single_not_after)}])"
    unguarded = f"(?![{re.escape(status.single_not_before)}])"

    def build(words):
        singles = [w for w in words if len(w) == 1]
        multi = [w for w in words if len(w) > 1]
        parts = [alternation(multi)] if multi else []
        if singles:
            parts.append(guard + f"[{''.join(singles)}]" + unguarded)
        return re.compile("|".join(parts))
    future = f"将(?:{alternation(status.future_verbs)})"
    return CueSet(
        target=re.compile(build(status.target_cues).pattern + "|" + future),
        actual=build(status.actual_cues),
        strong_target=build(status.strong_target_cues),
        strong_actual=build(status.strong_actual_cues),
        progress=status.progress_before,
        forecast=re.compile(f"(?:{alternation(status.forecasters)}).*?(?:{alternation(status.forecast_verbs)})"),
        kind=resources.lexicon.kind,
        patterns=resources.lexicon.patterns,
    )


def _bisect_span(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


def clause_bounds(breaks: list[int], lo: int, hi: int, pos: int) -> tuple[int, int]:
    """[start, end) of the clause around ``pos``, within [lo, hi)."""
    i = bisect.bisect_left(breaks, pos)
    start = breaks[i - 1] + 1 if i > 0 else 0
    end = breaks[i] if i < len(breaks) else hi
    return max(start, lo), min(end, hi)


def infer_kind(q: Quantity, norm: str, clause_start: int, cues: CueSet) -> str:
    if q.rank:
        return "rank"
    family = q.family
    before = norm[clause_start : q.start]
    if family == "points":
        return "change"
    if family == "share":
        return "share"
    if family == "multiple":
        return "growth"
    if family == "percent":
        growth = max((before.rfind(w) for w in cues.kind.growth_words), default=-1)
        share = max((before.rfind(w) for w in cues.kind.share_words), default=-1)
        if growth >= 0 and re.match(r"[到至]", before[growth:][-1:] or ""):
            return "share"
        if share > growth:
            return "share"
        return "growth"
    tail = before[-4:]
    if family in ("classifier", "people", "count", "time", "age"):
        if tail.endswith(("多", "增加", "减少", "少")) and "比" in before:
            return "change"  # 比上年多3万人
        return "level" if any(w in before[-8:] for w in cues.kind.level_words) else "count"
    if cues.patterns.leading_time.sub("", before).startswith(cues.kind.change_words):
        return "change"  # 削减财政赤字450亿元
    if any(tail.endswith(w) or tail.endswith(w + "了") for w in cues.kind.change_words) and not tail.endswith(("到", "至")):
        return "change"
    return "level"


def _period_and_time(ctx: DocContext, sent_start: int, para_start: int, pos: int, carried):
    """The last time expression before the figure in its sentence, else a sentence-initial
    one earlier in the paragraph, else the one that opened an earlier paragraph of the part."""
    in_sentence = ctx.before(ctx.times, ctx.time_starts, sent_start, pos)
    if in_sentence:
        return in_sentence[-1], "sentence"
    for t in ctx.backwards(ctx.times, ctx.time_starts, para_start, sent_start):
        if t.deadline:
            continue  # 到2025年 is due in its own sentence only
        if t.start in ctx.sentence_starts_set or ctx.norm[t.end : t.end + 1] == "，":
            return t, "paragraph"  # 过去一年，… opens the paragraph's account of that year
    return carried.get(para_start), "carried"


def paragraph_times(doc: Document, ctx: DocContext) -> tuple[dict, dict]:
    """The time that opens a paragraph (过去五年…, 2022年是…) carries to the following
    paragraphs until another one opens or a section starts; the section heading's time
    (一、2023年工作回顾, 二、“十四五”时期主要目标) stays as the fallback."""
    headings = {s.start: s for s in doc.sections if s.level <= 2}
    carried: dict = {}
    from_heading: dict = {}
    current = heading_time = None
    for para in doc.paragraphs:
        section = headings.get(para.start)
        if section is not None:
            in_heading = ctx.before(ctx.times, ctx.time_starts, section.start, section.heading_end or section.start)
            current = heading_time = max(in_heading, key=lambda t: t.year) if in_heading else None
        carried[para.start] = current
        opening = [t for t in ctx.before(ctx.times, ctx.time_starts, para.start, para.start + 3) if not t.deadline]
        if opening:
            carried[para.start] = current = opening[0]
        elif doc.year and any(t.year == doc.year and not t.deadline for t in ctx.before(ctx.times, ctx.time_starts, para.start, para.end)):
            current = None  # a paragraph about this year ends the account of an earlier one
        from_heading[para.start] = heading_time
    return carried, from_heading


def infer_status(q: Quantity, ctx: DocContext, cues: CueSet, part: str | None, sent: tuple[int, int],
                 clause: tuple[int, int], time, time_scope: str, doc_year: int | None,
                 past_part: bool = False) -> tuple[str, bool]:
    """(status, decided by a cue) — undecided actuals may later join a target they repeat.
    ``past_part``: the figure is dated by a part of a year that has ended (上半年, in July)."""
    norm = ctx.norm
    # 比上年/同比去年 compare with last year; they do not report last year
    before = _cue_text(norm[sent[0] : q.start], cues)
    around = _cue_text(norm[sent[0] : clause[1]], cues)
    clause_before = norm[clause[0] : q.start]
    after = norm[q.end : clause[1]]
    if cues.forecast.search(norm, sent[0], q.start):
        return "forecast", True
    if norm.endswith(cues.progress, max(0, q.start - 10), q.start):
        return "actual", True  # 完成全年目标的57.8%
    if time is not None and time_scope == "sentence" and doc_year:
        if (time.deadline and time.year >= doc_year) or time.year > doc_year:
            return "target", True
    if cues.patterns.goal_after.match(after) or cues.patterns.goal_nouns.search(clause_before) or cues.patterns.goal_verbs.search(clause_before):
        return "target", True
    if part != "review" and (cues.patterns.goal_lead.search(before) or cues.patterns.goal_verbs.search(before)) and not cues.strong_actual.search(before):
        return "target", True
    if past_part or (time is not None and time_scope in ("sentence", "paragraph") and doc_year and time.year < doc_year):
        return "actual", True
    if part == "review":
        return "actual", True
    if part == "plan":
        return ("actual", True) if _reports_result(before, cues) else ("target", True)
    if cues.target.search(around) and _nearest_is_target(before, cues):
        return "target", True
    if cues.actual.search(before) or (time is not None and doc_year and time.year < doc_year):
        return "actual", True
    return "actual", False


def _cue_text(text: str, cues: CueSet) -> str:
    """The text the cue words are read in: comparisons (比上年) removed, plan fulfilment
    (计划完成102.6%) read as a result."""
    return cues.patterns.fulfilment.sub("完成了", cues.patterns.comparison.sub("", text))


def _last(pattern: re.Pattern, text: str) -> int:
    """Start of the last match, skipping a verb already done (已建成 is no plan to build)."""
    last = -1
    for m in pattern.finditer(text):
        if text[m.start() - 1 : m.start()] != "已":
            last = m.start()
    return last


def _nearest_is_target(before: str, cues: CueSet) -> bool:
    """去年…增长5.2%；今年…力争6%: the cue nearest the figure decides, 今年 counting as a target cue."""
    actual = _last(cues.strong_actual, before)
    if actual < 0:
        return True
    return max(_last(cues.target, before), before.rfind("今年")) > actual


def _reports_result(before: str, cues: CueSet) -> bool:
    """A result cue (去年, 已达, 目前) that no later 今年 in the sentence overrides."""
    last = None
    for last in cues.strong_actual.finditer(before):
        pass
    return last is not None and "今年" not in before[last.end() :]


def time_gives_period(status: str, time, time_scope: str) -> bool:
    """Does the time expression found for a figure give its period (else the part or the document does)?"""
    return time is not None and (time_scope == "sentence" or status == "actual" or time.deadline)


def infer_period(status: str, time, time_scope: str, part: str | None, part_year: int | None,
                 doc_year: int | None) -> str | None:
    if time_gives_period(status, time, time_scope):
        return str(time.year)
    if part_year:
        return str(part_year)
    if doc_year is None:
        return None
    if part == "review":
        return str(doc_year - 1)  # a target the review recalls is last year's target
    return str(doc_year if status == "target" else doc_year - 1)


def infer_indicator_id(q: Quantity, kind: str, ctx: DocContext, sent_start: int, resources: Resources,
                       quantity_starts: list[int], quantities: list[Quantity]) -> tuple[str, str] | None:
    """(catalog id, the synonym as written) of what the figure measures, or None."""
    catalog = resources.catalog
    norm = ctx.norm
    if catalog.base_markers.search(norm[max(0, q.start - 8) : q.start]):
        return None  # 赤字率从去年的2.1%提高到2.3%: the starting value is not the indicator's
    lo = max(sent_start, q.start - 30)
    i = bisect.bisect_right(ctx.synonym_ends, q.start)
    best = None
    while i > 0:
        i -= 1
        syn = ctx.synonyms[i]
        if syn.start < lo:
            break
        between = norm[syn.end : q.start]
        if "；" in between or "。" in between or between.count("，") > 1:
            continue
        if "，" in between and not resources.lexicon.patterns.verb_start.match(between.rsplit("，", 1)[1]):
            continue
        if any(w in between for w in catalog.exclude_between) or catalog.base_markers.search(between):
            continue
        window = re.split(r"[，。；：！？\n]", norm[max(0, syn.start - 6) : syn.start])[-1]
        if any(w in window for w in catalog.exclude_before):
            continue
        if _claimed_between(syn.end, q, quantity_starts, quantities, norm, catalog):
            continue
        for indicator in catalog.indicators:
            if syn.value in indicator.synonyms and q.family in indicator.families and not (
                kind == "change" and indicator.kind != "change"  # 削减财政赤字450亿元 is no deficit level
            ):
                best = (indicator.id, syn.value)
                break
        if best:
            return best
    return _indicator_named_after(q, ctx, catalog)


def _indicator_named_after(q: Quantity, ctx: DocContext, catalog) -> tuple[str, str] | None:
    """3%的赤字率: the measure named right after the figure."""
    i = bisect.bisect_left(ctx.synonym_ends, q.end)
    if i < len(ctx.synonyms):
        syn = ctx.synonyms[i]
        if ctx.norm[q.end : syn.start] in ("", "的"):
            for indicator in catalog.indicators:
                if syn.value in indicator.synonyms and q.family in indicator.families:
                    return indicator.id, syn.value
    return None


def _claimed_between(lo: int, q: Quantity, starts: list[int], quantities: list[Quantity], norm: str, catalog) -> bool:
    """Another figure of the same family between the synonym and this one took the subject,
    unless it is where a change starts from (从不到70万亿元增加到…)."""
    j = bisect.bisect_left(starts, lo)
    while j < len(quantities) and quantities[j].start < q.start:
        other = quantities[j]
        if other.family == q.family and not catalog.base_markers.search(norm[max(0, other.start - 8) : other.start]):
            return True
        j += 1
    return False


def _part_info(doc: Document, pos: int) -> tuple[str | None, int | None, int]:
    """(part, year of a keyword sub-section, start of the enclosing statement/section)."""
    part, part_year, scope = None, None, 0
    for section in doc.sections:
        if section.start <= pos < section.end:
            scope = max(scope, section.start)
            if section.part:
                part = section.part
                if section.heading.endswith("年") and section.heading[:-1].isdigit():
                    part_year = int(section.heading[:-1])
    for statement in doc.statements:
        if statement.start <= pos < statement.end:
            scope = statement.start
    return part, part_year, scope


@dataclass(frozen=True, slots=True)
class Place:
    """Where a figure stands: its sentence (quoted), the window the rules read, its clause."""

    quote: tuple[int, int]
    window: tuple[int, int]
    clause: tuple[int, int]
    para_start: int


def locate(q: Quantity, doc: Document, ctx: DocContext) -> Place:
    si = _bisect_span(ctx.sentence_starts, q.start)
    quote = (doc.sentences[si].start, doc.sentences[si].end) if doc.sentences else (0, len(doc.text))
    para_start = doc.paragraphs[_bisect_span(ctx.paragraph_starts, q.start)].start if doc.paragraphs else 0
    # long unpunctuated runs (tables pasted as text) must not make the rules quadratic
    window = (max(quote[0], q.start - CONTEXT_CHARS), min(quote[1], q.end + CONTEXT_CHARS))
    return Place(quote, window, clause_bounds(ctx.breaks, window[0], window[1], q.start), para_start)


def extract_facts(doc: Document, resources: Resources, ctx: DocContext | None = None) -> Document:
    """Document (with structure and metadata) -> Document with its facts layer."""
    reader = FactReader(doc, resources, ctx or build_context(doc, resources))
    facts = [reader.read(q) for q in reader.quantities]
    return doc.with_layer("facts", join_repeated_targets(facts, reader.undecided))


class FactReader:
    """Reads the facts of one document in text order; what the rules share is computed once."""

    def __init__(self, doc: Document, resources: Resources, ctx: DocContext) -> None:
        self.doc, self.resources, self.ctx = doc, resources, ctx
        self.cues = compile_cues(resources)
        self.quantities = find_quantities(ctx.norm, ctx.excluded, resources)
        self.starts = [q.start for q in self.quantities]
        self.carried, self.from_heading = paragraph_times(doc, ctx)
        self.regions = DocRegions(doc, ctx, resources, self.quantities)
        self.namer = MeasureNamer(doc, ctx, resources, self.quantities)
        self.period_words = resources.lexicon.period
        self.undecided: list[int] = []
        self.previous: tuple[Quantity, Named] | None = None
        self.title_part = title_part(doc, resources)
        self.count = 0

    def _time(self, q: Quantity, at: Place, status: str, time, time_scope: str):
        if time_scope == "carried" and self.doc.year:
            # a carried time that contradicts the status is someone else's; the heading's may fit
            fits = [t for t in (time, self.from_heading.get(at.para_start))
                    if t is not None and (status == "actual") == (t.year < self.doc.year)]
            time = fits[0] if fits else None
        return time

    def _part_of_year(self, q: Quantity, at: Place, time, time_scope: str):
        """The part of a year that dates the figure: named in its sentence; else opening its
        paragraph (上半年，…); else, in a news page, named in the title (上半年全市经济运行…) —
        unless the sentence names a year of its own or returns to the whole year."""
        words = self.period_words
        within = part_of_year(self.ctx, at.quote[0], q.start, words.sub_annual.full_year, words.relative_base_before)
        if within is not None or (time is not None and time_scope == "sentence"):
            return within
        if any(w in self.ctx.norm[at.quote[0] : q.start] for w in words.sub_annual.full_year):
            return None
        opening = self.ctx.before(self.ctx.parts, self.ctx.part_starts, at.para_start, at.para_start + 3)
        if opening:
            return opening[0]
        return self.title_part

    def _period(self, q: Quantity, status: str, time, time_scope: str, part, part_year, within):
        doc = self.doc
        period = infer_period(status, time, time_scope, part, part_year, doc.year)
        used = time if time_gives_period(status, time, time_scope) else None
        if within is not None and (used is None or used.grain == "year"):
            period = year_of_part(within, used, status, doc) or period
        return period, period_of(period, used, within)

    def _measure(self, q: Quantity, kind: str, at: Place, region: str | None, time) -> Named:
        """The catalog indicator and the phrase of what the figure measures. A figure right after
        another of its family (8.2%、8.3%) measures what that one does."""
        if q.start in self.namer.listed:
            return self.namer.listed_name(q, kind, region)
        found = infer_indicator_id(q, kind, self.ctx, at.window[0], self.resources, self.starts, self.quantities)
        dropped = None
        if found and time is not None and time.span and kind != "level":
            dropped, found = found, None  # a five-year average or total is not the year's indicator
        previous = self.previous
        if found is None and dropped is None and previous is not None and previous[0].family == q.family \
                and self._continues_run(previous[0], q):
            return previous[1]
        clause = at.clause
        if previous is not None and clause[0] <= previous[0].start and previous[0].end <= q.start:
            clause = (previous[0].end, clause[1])  # 粮食产量…1.4万亿斤新台阶、亩产提升10.1斤: after the figure before
        return self.namer.name(q, kind, found[0] if found else None, clause, at.quote, region, time, dropped)

    def _continues_run(self, previous: Quantity, q: Quantity) -> bool:
        """8.2%、8.3%, or 江西（6.9%）、湖北（6.7%）: the figure follows the one before in a list."""
        between = self.ctx.norm[previous.end : q.start]
        if between in RUN_JOINERS:
            return True
        for mention in self.ctx.before(self.ctx.places, self.ctx.place_starts, previous.end, q.start):
            between = between.replace(self.ctx.norm[mention.start : mention.end], "", 1)
        return between.strip("（）()") in RUN_JOINERS

    def read(self, q: Quantity) -> Fact:
        doc, ctx = self.doc, self.ctx
        at = locate(q, doc, ctx)
        part, part_year, scope = _part_info(doc, q.start)
        time, time_scope = _period_and_time(ctx, at.window[0], at.para_start, q.start, self.carried)
        within = self._part_of_year(q, at, time, time_scope)
        status, decided = infer_status(q, ctx, self.cues, part, at.window, at.clause, time, time_scope, doc.year,
                                       within is not None and part_has_ended(within, doc))
        if not decided:
            self.undecided.append(self.count)
        self.count += 1
        time = self._time(q, at, status, time, time_scope)
        kind = infer_kind(q, ctx.norm, at.clause[0], self.cues)
        period, dates = self._period(q, status, time, time_scope, part, part_year, within)
        region = self.regions.region(q, kind, region_scope(doc, scope, at.para_start, at.window[0]))
        named = self._measure(q, kind, at, region, time)
        self.previous = (q, named)
        if named.indicator_id and q.family == "percent":
            kind = self.resources.catalog.by_id(named.indicator_id).kind  # 3%的赤字率 is a share, 增长5% a growth
        elif q.family == "percent" and ctx.norm.endswith(self.cues.progress, max(0, q.start - 10), q.start):
            kind = "share"  # 完成全年目标的57.8%: a share of the target
        return Fact(
            text=doc.text[q.start : q.end], start=q.start, end=q.end, value=q.value, value_max=q.value_max,
            unit=q.unit, value_base=q.value_base, base_unit=q.base_unit, qualifier=q.qualifier, kind=kind,
            status=status, period=period, indicator=named.text, indicator_id=named.indicator_id, region=region,
            sentence=at.quote, period_start=dates.start, period_end=dates.end, period_grain=dates.grain,
        )


def join_repeated_targets(facts: list[Fact], undecided: list[int]) -> list[Fact]:
    """A figure with no status cue that repeats a target's value is that target (5.5%是务实理性的)."""
    from dataclasses import replace

    targets = {(f.value_base, f.base_unit): f for f in facts if f.status == "target"}
    out = list(facts)
    for i in undecided:
        f = out[i]
        target = targets.get((f.value_base, f.base_unit))
        same_measure = target is not None and f.indicator_id == target.indicator_id and (
            f.indicator_id is not None or not f.indicator or f.indicator == target.indicator
        )
        if same_measure and (f.kind == target.kind or f.indicator_id is not None):
            out[i] = replace(f, status="target", period=target.period, kind=target.kind, period_start=target.period_start,
                             period_end=target.period_end, period_grain=target.period_grain)
    return out
