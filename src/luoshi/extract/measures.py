"""What a figure measures: ``Fact.indicator`` as a short noun phrase (rules: data/measures.yaml).

A figure with a catalog indicator is named by the catalog. Otherwise the phrase comes from
its clause — the subject before it, cleaned of time, places, connectives, adverbs and the
verb that states the figure, or for a count the noun after its classifier — and, where the
clause names no measure (5.5%是务实理性的, 把这一目标确定在增长5.5%左右), the measure of the figure
before it in the sentence or the one the document's title names. Word boundaries and parts of
speech come from rjieba (jieba's dictionary, offline); it reads the few characters around a
figure, never the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from luoshi.extract.context import DocContext, TimeMention
from luoshi.extract.quantities import Quantity
from luoshi.extract.regions import distributive_runs, province_of
from luoshi.model import Document
from luoshi.resources import Indicator, Resources
from luoshi.resources.rules import MeasureSpec
from luoshi.text.clauses import CLAUSE_BREAK

QUOTES = "“”‘’\"'《》（）()「」"
SEPARATORS = " \u3000、，,的"
EDGE = SEPARATORS + QUOTES
PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」"}


def trim(text: str) -> str:
    """Without blanks, list marks and unpaired quotes at its ends; a quoted name stays quoted
    (“4千亿梯队”成员)."""
    start, end = 0, len(text)
    while start < end and text[start] in EDGE:
        if text[start] in PAIRS and PAIRS[text[start]] in text[start + 1 : end]:
            break
        start += 1
    while end > start and text[end - 1] in EDGE:
        closing = text[end - 1]
        if closing in PAIRS.values() and any(o in text[start : end - 1] for o, c in PAIRS.items() if c == closing):
            break
        end -= 1
    return text[start:end]


@dataclass(frozen=True, slots=True)
class Named:
    """An indicator phrase and what it was made of, for the figures after it."""

    text: str | None
    indicator_id: str | None
    base: str | None  # the measure without the suffix of its kind (高新技术企业 for 高新技术企业数)


@dataclass(frozen=True)
class MeasureRules:
    spec: MeasureSpec
    lead: re.Pattern
    fillers: frozenset[str]
    trail_words: frozenset[str]
    trail_comparison: re.Pattern
    comparison_lead: re.Pattern
    measure_words: frozenset[str]
    measure: re.Pattern  # a head word or a catalog synonym: the text names a measure
    trail_pos: frozenset[str]
    stop_pos: frozenset[str]
    soft_pos: frozenset[str]
    # subject text -> its stripped form: the same subjects (国内生产总值, 粮食产量) recur across
    # documents, and stripping segments the text (bounded: cleared when full)
    stripped: dict[str, tuple[str, str | None]] = field(default_factory=dict, compare=False, hash=False)


@lru_cache(maxsize=4)
def compile_measures(resources: Resources) -> MeasureRules:
    from luoshi.text.patterns import alternation

    spec = resources.measures
    scope = resources.lexicon.scope.all
    return MeasureRules(
        spec=spec,
        lead=re.compile(alternation(spec.lead_words + spec.lead_verbs)),  # used with match(): anchored
        fillers=frozenset(spec.fillers),
        trail_words=frozenset(spec.trail_words),
        trail_comparison=spec.trail_comparison_re,
        comparison_lead=spec.comparison_lead_re,
        measure_words=frozenset(spec.measure_words),
        measure=re.compile(alternation(spec.heads + tuple(s for i in resources.catalog.indicators for s in i.synonyms))),
        trail_pos=frozenset(spec.trail_pos),
        stop_pos=frozenset(spec.stop_pos),
        soft_pos=frozenset(spec.soft_pos),
    )


def _tokens(text: str) -> list[tuple[str, str]]:
    return _segmenter().tag(text) if text else []


@lru_cache(maxsize=1)
def _segmenter():
    """rjieba's tagger; it builds its dictionary on import (0.1 s), so only when a figure needs
    naming. The domain words are added to its dictionary once (the same words every time)."""
    import rjieba

    from luoshi.resources import load_resources

    for word in load_resources().measures.segmenter_words:
        rjieba.add_word(word, 20000, "n")
    return rjieba


def _opened(tokens: list[tuple[str, str]]) -> bool:
    """Does the closing quote at the end close one opened earlier (“4千亿梯队”)?"""
    closing = tokens[-1][0]
    return any(w in PAIRS and PAIRS[w] == closing for w, _ in tokens[:-1])


class MeasureNamer:
    """Names the figures of one document in text order (it remembers the sentence's last one)."""

    def __init__(self, doc: Document, ctx: DocContext, resources: Resources, quantities: list[Quantity]) -> None:
        self.doc, self.ctx, self.resources = doc, ctx, resources
        self.quantity_starts = [q.start for q in quantities]
        self.rules = compile_measures(resources)
        self.catalog = resources.catalog
        self.title = self._title_measures()
        self.last: dict[str | None, tuple[int, Named]] = {}  # family -> (sentence start, its last figure)
        self._subjects: dict[tuple[int, int], tuple[str, list[str], str | None]] = {}
        self.listed = self._listed_measures(quantities)

    # ---------------------------------------------------------------- lists with a shared head

    def _listed_measures(self, quantities: list[Quantity]) -> dict[int, str]:
        """Figure start -> its measure, for 全体居民、城镇居民、农村居民人均可支配收入分别增长6%、4.9%、7.4%:
        the items of a list before 分别 share the head written after the last one."""
        norm, out = self.ctx.norm, {}
        words = self.resources.lexicon.region
        for sentence_start, at, run in distributive_runs(self.doc, self.ctx, quantities, words):
            lo = max([sentence_start] + [b + 1 for b in self.ctx.breaks if sentence_start <= b < at])
            spans = _items(norm, lo, at, words.list_joiners)
            if len(spans) != len(run) or len(spans) < 2:
                continue
            items = [self.subject(a, b)[0] for a, b in spans]
            if not all(items) or all(self._is_place(a, b) for a, b in spans[:-1]):
                continue  # 宁波、青岛、无锡GDP增速: places, the region rules' business
            head = self._shared_head(items)
            out.update({q.start: item + head for q, item in zip(run, items[:-1])})
            out[run[-1].start] = items[-1]
        return out

    def _is_place(self, a: int, b: int) -> bool:
        return any(m.start == a and m.end == b for m in self.ctx.before(self.ctx.places, self.ctx.place_starts, a, a + 1))

    def _shared_head(self, items: list[str]) -> str:
        """The head the last item adds to the others: the longest ending of it that makes the first
        item a catalog synonym (人均可支配收入), else what follows its first word."""
        last, first = items[-1], items[0]
        synonyms = self.catalog.synonyms
        for cut in range(1, len(last)):
            head = last[cut:]
            if any(m.phrase == first + head for m in synonyms.find(first + head)):
                return head
        tokens = _tokens(last)
        return last[len(tokens[0][0]):] if len(tokens) > 1 else ""

    def listed_name(self, q: Quantity, kind: str, region: str | None) -> Named:
        text = self.listed[q.start]
        found = [m for m in self.catalog.synonyms.find(text) if m.end == len(text)]
        indicator = self._indicator_of(found[-1].phrase, q.family, kind) if found else None
        if indicator is not None:
            name = self.catalog_name(indicator, region)
            return Named(name, indicator.id, name)
        spec = self.rules.spec
        if kind == "growth" and q.family == "percent" and not text.endswith(tuple(spec.growth_names)):
            return Named(text + spec.growth_suffix, None, text)
        return Named(text, None, text)

    # ---------------------------------------------------------------- document level

    def _title_measures(self) -> list[str]:
        """Catalog synonyms the title names, in order (GDP增长目标为何设为5.5%左右 -> GDP)."""
        if not self.doc.title:
            return []
        from luoshi.text.normalize import normalize

        return [m.phrase for m in self.catalog.synonyms.find(normalize(self.doc.title))]

    def _indicator_of(self, synonym: str, family: str | None, kind: str) -> Indicator | None:
        for indicator in self.catalog.indicators:
            if synonym in indicator.synonyms and family in indicator.families and not (
                    kind == "change" and indicator.kind != "change"):
                return indicator
        return None

    def catalog_name(self, indicator: Indicator, region: str | None) -> str:
        if region not in (None, "全国") and indicator.local_name:
            return indicator.local_name
        return indicator.name

    # ---------------------------------------------------------------- per figure

    def name(self, q: Quantity, kind: str, indicator_id: str | None, clause: tuple[int, int],
             sentence: tuple[int, int], region: str | None, time: TimeMention | None,
             dropped: tuple[str, str] | None = None) -> Named:
        """``dropped``: (id, written synonym) of a catalog indicator the figure names but does not
        measure for one year (a five-year average)."""
        if indicator_id:
            indicator = self.catalog.by_id(indicator_id)
            text = self.catalog_name(indicator, region)
            named = Named(text, indicator_id, text)
        else:
            named = self._free(q, kind, clause, sentence, region, time, dropped)
        if named.text:
            named = Named(named.text[-self.rules.spec.max_chars :], named.indicator_id, named.base)
            self.last[q.family] = self.last[None] = (sentence[0], named)  # None: the last of any family
        return named

    def _free(self, q, kind, clause, sentence, region, time, dropped) -> Named:
        spec = self.rules.spec
        subject, places, scope = self.subject(clause[0], q.start)
        if self.ctx.norm.endswith(self.resources.lexicon.status.progress_before, max(0, q.start - 10), q.start):
            before = self._last_base(None, sentence)  # 完成全年目标的57.8%
            return Named(before + spec.progress_suffix if before else None, None, before)
        if subject in spec.bare_rates:
            before = self._last_base(None, sentence)
            if before:
                subject = before if before.endswith(tuple(spec.growth_names)) else before + subject
        if self._is_count(q) and kind != "rank":
            return self._count(q, subject, places, sentence)
        if not self.names_measure(subject) and clause[0] > sentence[0]:
            borrowed = self._borrowed(q, kind, clause, sentence)
            if borrowed is not None:
                subject, more_places, more_scope = borrowed
                places, scope = places or more_places, scope or more_scope
        if kind == "rank":
            return self._rank(q, subject, scope, region, sentence)
        if dropped is not None:
            return self._average(dropped, q, clause, time)
        base, indicator_id = subject, None
        if not subject and kind == "change" and q.family == "points" and self._last_base(None, sentence):
            return Named(self._last_base(None, sentence), None, None)  # …增长7.4%，高于全省3.3个百分点
        if not self.names_measure(subject):
            after = self._noun_after(q.end, self._clause_end(q.end))
            fallback = self._fallback(q, kind, sentence)
            if after and (self.names_measure(after) or fallback is None):
                fallback = Named(after, None, after)
            if fallback is not None:  # 发行1500亿元长期建设国债; else the figure before, the title
                base, indicator_id = fallback.base, fallback.indicator_id
        if not base:
            return Named(None, None, None)
        text = base
        before = self.ctx.norm[max(clause[0], q.start - 4) : q.start]
        if kind == "growth" and spec.annual_word in self.ctx.norm[clause[0] : q.start] and spec.annual_word not in base:
            base = text = spec.annual_word + base  # 年均增长7.1%
        if kind == "growth" and q.family == "percent" and not base.endswith(tuple(spec.growth_names)):
            decline = any(w in before for w in spec.decline_verbs)
            text = base + (spec.decline_suffix if decline else spec.growth_suffix)
        elif kind == "change" and q.family not in ("points", "percent") and base != subject:
            text = base + spec.change_suffix  # 一年净增13万亿元: the figure before it + 增量
        if kind == "growth":
            text = self._averaged(text, q, clause, time) or text
        return Named(text, indicator_id, base)

    # ---------------------------------------------------------------- pieces

    def subject(self, lo: int, hi: int) -> tuple[str, list[str], str | None]:
        """(the cleaned subject of [lo, hi), the places stripped from its start, the scope word
        stripped from its end); the figures of a clause share their clause before."""
        key = (lo, hi)
        if key not in self._subjects:
            self._subjects[key] = self._subject(lo, hi)
        return self._subjects[key]

    def _subject(self, lo: int, hi: int) -> tuple[str, list[str], str | None]:
        rules, norm = self.rules, self.ctx.norm
        patterns = self.resources.lexicon.patterns
        places: list[str] = []
        pos = lo
        while True:
            moved = pos
            m = patterns.leading_time.match(norm[pos:hi])  # its pattern is anchored with ^
            if m and m.end() > 0:
                pos += m.end()
            m = rules.lead.match(norm, pos, hi)
            if m and m.end() > pos:
                pos = m.end()
            for part in self.ctx.before(self.ctx.parts, self.ctx.part_starts, pos, pos + 1):
                pos = max(pos, min(part.end, hi))  # 5月上旬全市发电量
            for mention in self.ctx.before(self.ctx.places, self.ctx.place_starts, pos, pos + 1):
                if mention.end > hi:
                    continue
                if mention.value in self.resources.lexicon.scope.all or mention.value == "全国":
                    if not self._synonym_at(pos):  # 全省…, but 国内生产总值 keeps its 国内
                        pos = mention.end
                    continue
                places.append(mention.value)
                pos = mention.end
            while pos < hi and norm[pos] in SEPARATORS:
                pos += 1
            if pos == moved:
                break
        text, scope = self._strip_end(norm[pos:hi])
        return trim(text), places, scope

    def _synonym_at(self, pos: int) -> bool:
        synonyms = self.ctx.synonyms
        i = bisect_left(self.ctx.synonym_ends, pos + 1)
        return i < len(synonyms) and synonyms[i].start == pos

    def _strip_end(self, text: str) -> tuple[str, str | None]:
        cache = self.rules.stripped
        found = cache.get(text)
        if found is None:
            if len(cache) > 20000:
                cache.clear()
            found = cache[text] = self._stripped(text)
        return found

    def _stripped(self, text: str) -> tuple[str, str | None]:
        """Without adverbs (分别, 都: whole words only, 人均 keeps its 均), the comparison and the
        verb that state the figure, and a scope word at its end (returned: 居全省 -> 全省)."""
        rules, scope_words = self.rules, self.resources.lexicon.scope.all
        patterns = self.resources.lexicon.patterns
        scope = None
        for _ in range(3):  # a verb, then a comparison before it (增速比一季度加快)
            before = text
            text = patterns.subject_verbs.sub("", text).rstrip(EDGE)
            text = rules.trail_comparison.sub("", text).rstrip(EDGE)
            tokens = [(w, t) for w, t in _tokens(text) if w not in rules.fillers]
            while tokens:
                word, tag = tokens[-1]
                if word in scope_words and scope is None:
                    scope = word
                elif not (word in rules.trail_words or word in scope_words or word in SEPARATORS or word in QUOTES
                          and not _opened(tokens)
                          or (tag in rules.trail_pos and word not in rules.measure_words)):
                    break
                tokens.pop()
            text = "".join(w for w, _ in tokens)
            verbs = patterns.subject_verbs.search(text)  # matches (maybe empty) at the end
            if text == before or not (rules.trail_comparison.search(text) or verbs.end() > verbs.start()):
                break  # nothing more at the end to strip: no second pass
        return text, scope

    def _borrowed(self, q: Quantity, kind: str, clause: tuple[int, int], sentence: tuple[int, int]):
        """The subject of the clause before, when this clause continues it: it opens with the verb
        of a figure (…4402.98亿元，同比增长8.1%), or it states a rank of what that one names
        (GDP增速上，郴州勇夺第一)."""
        previous = self._previous_clause(sentence[0], clause[0])
        if previous is None:
            return None
        found = self.subject(*previous)
        opening = self.rules.comparison_lead.sub("", self.ctx.norm[clause[0] : q.start])  # 比前五年增长1.26倍
        continues = self.resources.lexicon.patterns.verb_start.match(opening)
        if (continues or kind == "rank") and self.names_measure(found[0]):
            return found
        return None

    def _previous_clause(self, sentence_start: int, clause_start: int) -> tuple[int, int] | None:
        """The clause before ``clause_start`` in the sentence, up to the figure in it if any."""
        breaks = self.ctx.breaks
        i = bisect_left(breaks, clause_start - 1)
        start = breaks[i - 1] + 1 if i > 0 else 0
        start, end = max(start, sentence_start), clause_start - 1
        figures = self.quantity_starts
        j = bisect_left(figures, start)
        if j < len(figures) and figures[j] < end:
            end = figures[j]  # up to the figure in it
        return (start, end) if end > start else None

    def names_measure(self, text: str) -> bool:
        spec = self.rules.spec
        if not text or text in spec.generic_heads or text.endswith(spec.anaphora):
            return False
        return self.rules.measure.search(text) is not None

    def _last_base(self, family: str | None, sentence: tuple[int, int]) -> str | None:
        last = self.last.get(family)
        return last[1].text if last is not None and last[0] == sentence[0] else None

    def _fallback(self, q: Quantity, kind: str, sentence: tuple[int, int]) -> Named | None:
        """The sentence's figure before this one, of the same family; else the title's measure."""
        last = self.last.get(q.family)
        if last is not None and last[0] == sentence[0] and last[1].base:
            return Named(last[1].base, None, last[1].base)
        for synonym in self.title:
            indicator = self._indicator_of(synonym, q.family, kind)
            if indicator is not None:
                name = self.catalog_name(indicator, self._region_hint())
                return Named(name, indicator.id, _base_name(name, self.rules.spec))
        return None

    def _region_hint(self) -> str | None:
        return self.doc.region

    def _scope_name(self, scope: str | None, region: str | None) -> str | None:
        words = self.resources.lexicon.scope
        if scope is None:
            return None
        if scope in words.national:
            return "全国"
        if scope in words.province:
            return province_of(region, self.resources.places) or province_of(self.doc.region, self.resources.places)
        if scope in words.local:
            return region
        return None

    def _rank(self, q, subject, scope, region, sentence) -> Named:
        spec = self.rules.spec
        anaphoric = subject in spec.anaphora or subject in spec.generic_heads
        measure = subject if subject and not anaphoric else None
        if measure is not None:
            measure = self._without_comparison(measure)
        if measure is None:
            after = re.match(r"的([^，。；：！？、\n]{1,12})", self.ctx.norm[q.end : q.end + 14])
            if after and self.names_measure(after.group(1)):
                measure = after.group(1)  # 以全省第四的GDP增速
        if measure is None:
            for synonym in self.title:
                measure = synonym
                break
        if not measure:
            return Named(None, None, None)
        where = self._scope_name(scope or self._scope_in(sentence[0], q.start), region)
        text = measure if "在" in measure or where is None else f"{measure}在{where}"
        return Named(text + spec.rank_suffix, None, measure)

    def _without_comparison(self, text: str) -> str:
        """增量低于长沙、岳阳 -> 增量: what a ranked measure is compared with is no part of it."""
        words = self.resources.lexicon.region.comparison_before
        for word in sorted(words, key=len, reverse=True):
            at = text.find(word)
            if at > 0 and not self.names_measure(text[at + len(word):]):
                return text[:at].rstrip(EDGE)
        return text

    def _scope_in(self, lo: int, hi: int) -> str | None:
        """A scope word standing right before a rank (居全省第一) or anywhere in its sentence before it."""
        found = [m for m in self.ctx.before(self.ctx.places, self.ctx.place_starts, lo, hi)
                 if m.value in self.resources.lexicon.scope.all]
        return found[-1].value if found else None

    def _is_count(self, q: Quantity) -> bool:
        return q.family in ("classifier", "count", "people") and q.unit is not None

    def _count(self, q: Quantity, subject: str, places: list[str], sentence: tuple[int, int]) -> Named:
        spec, norm = self.rules.spec, self.ctx.norm
        unit = q.unit or ""
        classifier = unit[1:] if unit.startswith("大") else unit
        clause_end = self._clause_end(q.end)
        if classifier in spec.place_classifiers:
            noun = spec.place_classifiers[classifier]
            predicate = norm[q.end : clause_end].strip(EDGE)
            if places:
                text = f"{places[-1]}{noun}{spec.count_suffix}"  # 洞庭湖区域3市
            elif predicate:
                text = f"{predicate}的{noun}{spec.count_suffix}"  # 4城GDP增速低于8%
            else:
                text = f"{noun}{spec.count_suffix}"
            return Named(text, None, noun)
        noun = classifier if unit.startswith("大") else self._noun_after(q.end, clause_end)
        if noun and norm.startswith("的", q.end + len(noun)) and not unit.startswith("大"):
            owner = self._noun_after(q.end + len(noun) + 1, clause_end)
            if owner:
                noun = owner + noun  # 66项指标的先行指标监测体系 -> 先行指标监测体系指标
        if classifier in spec.noun_classifiers and noun and noun != classifier:
            noun = noun + classifier  # 六方面工作 -> 工作方面
        enumerated = subject.endswith(tuple(spec.enumeration_end))
        if subject in spec.generic_heads:
            last = self.last.get(q.family)
            if last is not None and last[0] == sentence[0] and last[1].base:
                base = self._strip_change(last[1].base)
                return Named(base + spec.total_suffix, None, base)
        if noun and subject and not enumerated and len(subject) <= 4 and not self.names_measure(subject) \
                and _tokens(subject)[-1][1] not in self.rules.trail_pos:
            noun = subject + noun  # 重点 + 工作方面
        base = noun or (None if enumerated else subject) or None
        if not base:
            return Named(None, None, None)
        text = base if base.endswith(tuple(spec.generic_heads) + (spec.count_suffix,)) else base + spec.count_suffix
        return Named(text, None, base)

    def _clause_end(self, pos: int) -> int:
        i = bisect_left(self.ctx.breaks, pos)
        end = self.ctx.breaks[i] if i < len(self.ctx.breaks) else len(self.ctx.norm)
        return min(end, pos + 40)

    def _strip_change(self, base: str) -> str:
        for word in self.rules.spec.change_verbs + ("新认定",):
            if base.startswith(word) and len(base) > len(word) + 1:
                return base[len(word):]
        return base

    def _noun_after(self, start: int, end: int) -> str:
        """The noun phrase at [start, end): words up to the first one tagged as a verb, adverb,
        number, particle … (一流大学郑州研究院取得实质进展 -> 一流大学郑州研究院)."""
        rules = self.rules
        out: list[tuple[str, str]] = []
        for word, tag in _tokens(self.ctx.norm[start:end]):
            if tag in rules.stop_pos and word not in rules.measure_words:
                break
            out.append((word, tag))
        while out and out[-1][1] in rules.soft_pos and out[-1][0] not in rules.measure_words:
            out.pop()  # 工业优势产业链稳健发展: a trailing adjective or verbal noun is the predicate
        return trim("".join(word for word, _ in out))

    def _average(self, dropped: tuple[str, str], q: Quantity, clause: tuple[int, int], time) -> Named:
        """A multi-year figure of a catalog indicator: 年均 + the measure, or N年平均 inside it."""
        spec = self.rules.spec
        indicator_id, written = dropped
        indicator = self.catalog.by_id(indicator_id)
        base = self.catalog_name(indicator, None) if written.isascii() else written
        averaged = self._averaged(base, q, clause, time)
        return Named(averaged or f"{spec.annual_word}{base}", None, base)

    def _averaged(self, text: str, q: Quantity, clause: tuple[int, int], time) -> str | None:
        """过去两年平均增长5.1%: the measure with N年平均 before its 增速 (None: no such average)."""
        spec = self.rules.spec
        window = self.ctx.norm[clause[0] : q.end + 6]
        if time is None or time.grain != "multi_year" or time.first_year is None or spec.average_word not in window:
            return None
        years = time.year - time.first_year + 1
        label = {2: "两", 3: "三", 5: "五", 10: "十"}.get(years, str(years))
        growth = spec.growth_suffix
        if growth in text:
            return text.replace(growth, f"{label}年{spec.average_word}{growth}")
        return f"{text}{label}年{spec.average_word}"


def _items(norm: str, lo: int, hi: int, joiners: str) -> list[tuple[int, int]]:
    """Spans of the items of a list in [lo, hi), split at the joiners (A、B和C)."""
    spans, start = [], lo
    for i in range(lo, hi):
        if norm[i] in joiners:
            spans.append((start, i))
            start = i + 1
    spans.append((start, hi))
    return [(a, b) for a, b in spans if b > a]


def _base_name(name: str, spec: MeasureSpec) -> str:
    return name


def drop_reason(time: TimeMention | None, kind: str) -> bool:
    """A five-year average or total is not the year's indicator."""
    return time is not None and time.span and kind != "level"
