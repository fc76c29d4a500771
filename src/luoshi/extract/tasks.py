"""Tasks: forward-looking clauses that name a concrete project, platform or programme.

The rules are data (``data/tasks.yaml``, whose header documents them). A clause of a plan
part is a task when a task verb precedes a named object and the clause states no figure
(a clause with a figure is a target, and its figure is already a fact). Deputies' remarks
are voices, not the government's commitments, so statements hold no tasks.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from luoshi.model import Document, Section, Task
from luoshi.resources import Resources
from luoshi.text.clauses import BLANK, clauses
from luoshi.text.patterns import alternation



@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    value: str  # the region it reports


@dataclass(frozen=True)
class TaskRules:
    verbs: re.Pattern
    heads: re.Pattern
    min_modifier: dict[str, int]
    named_heads: frozenset[str]
    quote_head: re.Pattern
    generic: re.Pattern
    generic_anywhere: re.Pattern
    formula: re.Pattern
    trim_end: re.Pattern
    object_trim_start: str
    deadline: re.Pattern
    min_clause_chars: int
    forward: re.Pattern
    year_opening: re.Pattern
    list_separators: str


@lru_cache(maxsize=4)
def compile_task_rules(resources: Resources) -> TaskRules:
    spec = resources.tasks
    gap = spec.quote_head_gap
    return TaskRules(
        verbs=re.compile(alternation(spec.verbs)),
        heads=re.compile(f"(?:{alternation(spec.heads)})(?!{alternation(spec.head_not_before)})"),
        min_modifier=spec.heads,
        named_heads=frozenset(spec.named_heads),
        quote_head=re.compile(f"[^，；。、“”《》]{{0,{gap}}}?(?:{alternation(spec.quote_heads)})"),
        generic=re.compile(f"^(?:{alternation(spec.generic_modifiers)})+"),
        generic_anywhere=re.compile(alternation(spec.generic_modifiers)),
        formula=spec.formula_re,
        object_trim_start="".join(spec.object_trim_start),
        trim_end=re.compile(f"(?:{alternation(spec.object_trim_end)})$"),
        deadline=spec.deadline_re,
        min_clause_chars=spec.min_clause_chars,
        forward=re.compile(alternation(spec.forward_cues)),
        year_opening=re.compile(r"\s*(\d{4})年"),
        list_separators=spec.list_separators,
    )


def _quoted(clause: str) -> list[tuple[int, int]]:
    """[start, end) of each quoted name in the clause, quote marks included."""
    found = []
    # adjacent quoted names are one object: “一单制”“一箱制”
    for m in re.finditer("(?:“[^”]{1,30}”)+|《[^》]{1,40}》", clause):
        found.append((m.start(), m.end()))
    return found


def _specific(modifier: str, rules: TaskRules) -> str:
    """What names the object: the modifier after its last generic word (一些重大项目 names none)."""
    last = None
    for last in rules.generic_anywhere.finditer(modifier):
        pass
    # ……等重点产业带: the names before 等 are the objects, the generic words only their kind
    if last is not None and not modifier[: last.start()].endswith("等"):
        modifier = modifier[last.end() :]
    return modifier.strip("的、和与及等")


def _head_object(clause: str, verb_end: int, rules: TaskRules, names: list[tuple[int, int]]) -> tuple[int, int] | None:
    heads = list(rules.heads.finditer(clause, verb_end))
    for i, m in enumerate(heads):
        head = m.group(0)
        modifier = _specific(clause[verb_end : m.start()], rules)
        if len(modifier) < rules.min_modifier[head]:
            continue
        if head in rules.named_heads and not any(verb_end <= s < m.start() for s, _ in names):
            continue
        return verb_end, _phrase_end(clause, heads[i:], rules.list_separators)
    return None


def _phrase_end(clause: str, heads: list[re.Match], separators: str) -> int:
    """A head inside a longer name is not its end (兰考郑开同城化特别合作区): take the last head
    reached without crossing a list separator."""
    end = heads[0].end()
    for nxt in heads[1:]:
        # adjacent heads are the kind words of one name (扩建工程项目): the name ends at the first
        if nxt.start() == end or any(c in separators for c in clause[end : nxt.start()]):
            break
        end = nxt.end()
    return end


def _verb_run_end(clause: str, verbs: list[re.Match]) -> int:
    """The end of the first run of adjacent verbs (加快推进, 建好用好)."""
    end = verbs[0].end()
    for v in verbs[1:]:
        if v.start() != end:
            break
        end = v.end()
    return end


def _quote_object(clause: str, verb_end: int, rules: TaskRules, verb_ends: set[int]) -> tuple[int, int] | None:
    for s, e in _quoted(clause):
        if s < verb_end:
            continue
        inner = clause[s + 1 : e - 1]
        if clause[s] == "《" or rules.heads.search(inner + "。") and rules.heads.search(inner + "。").end() == len(inner):
            return s, e
        follow = rules.quote_head.match(clause, e)
        if rules.formula.match(inner) and not follow:
            continue
        if follow or e == len(clause) or s in verb_ends:
            return s, follow.end() if follow else e
    return None


def find_object(clause: str, rules: TaskRules, place_starts: list[int]) -> tuple[int, int] | None:
    """The named object of a task clause ([start, end) within it), or None: not a task."""
    verbs = list(rules.verbs.finditer(clause))
    if not verbs:
        return None
    first_end = _verb_run_end(clause, verbs)
    verb_ends = {v.end() for v in verbs}
    quoted = _quoted(clause)
    found = _quote_object(clause, first_end, rules, verb_ends)
    by_head = _head_object(clause, first_end, rules, quoted + [(p, p) for p in place_starts])
    candidates = [c for c in (found, by_head) if c]
    if not candidates:
        return None
    # leftmost first; of two starting together the longer (a quoted name over a head inside it)
    start, end = min(candidates, key=lambda c: (c[0], -c[1]))
    return start, _close_quotes(clause, start, end)


def _close_quotes(clause: str, start: int, end: int) -> int:
    """A head inside a quoted name (“双枢纽, 《…行动方案》) ends the object at the closing mark."""
    for opening, closing in (("“", "”"), ("《", "》")):
        if clause.count(opening, start, end) > clause.count(closing, start, end):
            close = clause.find(closing, end)
            end = close + 1 if close >= 0 else end
    return end


def _object_text(clause: str, span: tuple[int, int], rules: TaskRules) -> str:
    text = clause[span[0] : span[1]]
    text = rules.generic.sub("", text.strip(BLANK + "的")).lstrip(rules.object_trim_start)
    trimmed = rules.trim_end.sub("", text)
    return trimmed if len(trimmed) >= 2 else text


def _keyword(sections: tuple[Section, ...], pos: int) -> str | None:
    """The keyword of a keyword section, else the innermost heading (level ≤ 2) around pos."""
    around = [s for s in sections if s.start <= pos < s.end]
    keyed = [s.keyword for s in around if s.keyword]
    if keyed:
        return keyed[-1]
    headed = [s for s in around if s.level <= 2]
    return headed[-1].heading if headed else None


def _plan_spans(doc: Document, rules: TaskRules) -> list[tuple[int, int]]:
    """Paragraphs of plan parts outside statements (voices) and heading lines (themes, not tasks).
    A text without parts (a news item, a snippet) has its forward-looking paragraphs instead."""
    voices = [(s.start, s.end) for s in doc.statements]
    headings = {s.start for s in doc.sections if s.heading_end and s.heading_end > s.start}
    has_parts = any(p.part for p in doc.paragraphs)
    return [(p.start, p.end) for p in doc.paragraphs
            if (p.part == "plan" if has_parts else _forward(doc, p.start, p.end, rules))
            and p.start not in headings and not any(a <= p.start < b for a, b in voices)]


def _forward(doc: Document, start: int, end: int, rules: TaskRules) -> bool:
    opening = rules.year_opening.match(doc.text, start, end)
    if opening:
        return doc.year is not None and int(opening.group(1)) >= doc.year
    return rules.forward.search(doc.text, start, end) is not None


def _overlaps(starts: list[int], ends: list[int], s: int, e: int) -> bool:
    i = bisect_left(ends, s + 1)
    return i < len(starts) and starts[i] < e


def extract_tasks(doc: Document, resources: Resources) -> Document:
    """Document -> Document with the ``tasks`` layer."""
    rules = compile_task_rules(resources)
    facts = sorted((f.start, f.end) for f in doc.facts)
    fact_starts, fact_ends = [s for s, _ in facts], [e for _, e in facts]
    plan = _plan_spans(doc, rules)
    plan_starts, plan_ends = [a for a, _ in plan], [b for _, b in plan]
    # the entities layer has found the places already; no second scan of the text
    region_of = resources.places.region_of
    places = [PlaceMention(e.start, e.end, region_of.get(e.text, e.text)) for e in doc.entities if e.type == "PLACE"]
    place_starts = [p.start for p in places]
    tasks = []
    for sentence in doc.sentences:
        if not _overlaps(plan_starts, plan_ends, sentence.start, sentence.start + 1):
            continue
        if not _may_name_object(doc.text, sentence.start, sentence.end, rules):
            continue
        deadline = rules.deadline.search(doc.text, sentence.start, sentence.end)
        for s, e in clauses(doc.text, sentence.start, sentence.end):
            if e - s < rules.min_clause_chars or _overlaps(fact_starts, fact_ends, s, e):
                continue
            inside = places[bisect_left(place_starts, s) : bisect_left(place_starts, e)]
            task = _task(doc, rules, s, e, [p for p in inside if p.end <= e], deadline.group(1) if deadline else None)
            if task:
                tasks.append(task)
    return doc.with_layer("tasks", tasks)


def _may_name_object(text: str, start: int, end: int, rules: TaskRules) -> bool:
    """A cheap test per sentence before the clause-by-clause one: a head, a quote or a title."""
    return rules.heads.search(text, start, end) is not None or any(q in text[start:end] for q in "“《")


def _task(doc: Document, rules: TaskRules, s: int, e: int, places: list, deadline: str | None) -> Task | None:
    clause = doc.text[s:e]
    span = find_object(clause, rules, [p.start - s for p in places])
    if span is None:
        return None
    region = places[0].value if places else doc.region
    return Task(s, e, clause, _object_text(clause, span, rules), _keyword(doc.sections, s), region, deadline)
