"""The keyword digest as data: sections of results, targets and tasks, then voices.

A keyword-structured article (关键词【X】) keeps its own sections. A full report gets one
section for its main targets (paired with last year's outcomes) and one per plan heading
(（一）…), each given a short keyword, with the review paragraphs on the same theme paired
to it. Every item keeps the span of its figure or clause and of its quote.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from luoshi.digest.focus import FocusFilter
from luoshi.digest.themes import pair_paragraphs, theme_keyword
from luoshi.model import Document, Fact, Section, Task
from luoshi.resources import Resources
from luoshi.resources.rules import DigestLabels
from luoshi.text.clauses import clauses


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the digest: a figure or a task, with its quote."""

    kind: str  # "result", "target" or "task"
    text: str
    start: int
    end: int
    quote: str
    quote_start: int
    quote_end: int
    label: str | None = None  # what the figure measures, or the task's object
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DigestSection:
    keyword: str | None
    heading: str
    start: int
    end: int
    tags: tuple[str, ...] = ()
    results: tuple[Item, ...] = ()
    targets: tuple[Item, ...] = ()
    tasks: tuple[Item, ...] = ()

    def is_empty(self) -> bool:
        return not (self.results or self.targets or self.tasks)


@dataclass(frozen=True, slots=True)
class Voice:
    speaker: str
    role: str | None
    headline: str | None
    start: int
    end: int
    lead: str | None = None  # the first sentence of what was said
    figures: tuple[Item, ...] = ()


@dataclass(frozen=True, slots=True)
class Digest:
    doc_id: str
    title: str | None
    path: str | None
    year: int | None
    focus: str | None
    sections: tuple[DigestSection, ...]
    voices: tuple[Voice, ...]
    message: str | None = None  # why the digest is empty, when it is


def _clause_of(doc: Document, start: int, sentence: tuple[int, int]) -> tuple[int, int]:
    """The clause of the sentence that holds ``start``: a quote short enough to read in a list."""
    for s, e in clauses(doc.text, *sentence):
        if s <= start < e:
            return s, e
    return sentence


def fact_item(doc: Document, fact: Fact) -> Item:
    s, e = _clause_of(doc, fact.start, fact.sentence)
    detail = {"value": fact.value, "value_max": fact.value_max, "unit": fact.unit, "value_base": fact.value_base,
              "base_unit": fact.base_unit, "qualifier": fact.qualifier, "status": fact.status,
              "period": fact.period, "indicator_id": fact.indicator_id, "region": fact.region}
    kind = "target" if fact.status == "target" else "result"
    # the catalog's name when the figure has an id: a free-text indicator can be a clause fragment
    label = fact.indicator if fact.indicator_id else None
    return Item(kind, fact.text, fact.start, fact.end, doc.text[s:e], s, e, label, detail)


def task_item(doc: Document, task: Task, sentence: tuple[int, int]) -> Item:
    s, e = sentence
    detail = {"region": task.region, "deadline": task.deadline}
    return Item("task", task.text, task.start, task.end, doc.text[s:e], s, e, task.object, detail)


def _inside(start: int, section_start: int, section_end: int) -> bool:
    return section_start <= start < section_end


def _sentence_of(doc: Document, starts: list[int], pos: int) -> tuple[int, int]:
    i = bisect_right(starts, pos) - 1
    return (doc.sentences[i].start, doc.sentences[i].end) if i >= 0 else (pos, pos)


def _voice_spans(doc: Document) -> list[tuple[int, int]]:
    return [(v.start, v.end) for v in doc.statements]


def _items_in(doc: Document, start: int, end: int, keep: FocusFilter) -> tuple[list[Item], list[Item], list[Item]]:
    voices = _voice_spans(doc)
    outside = [f for f in doc.facts if _inside(f.start, start, end) and not any(a <= f.start < b for a, b in voices)]
    results = [fact_item(doc, f) for f in outside if f.status == "actual" and keep(f.start)]
    targets = [fact_item(doc, f) for f in outside if f.status == "target" and keep(f.start)]
    starts = [s.start for s in doc.sentences]
    tasks = [task_item(doc, t, _sentence_of(doc, starts, t.start)) for t in doc.tasks
             if _inside(t.start, start, end) and keep(t.start)]
    return results, targets, tasks


def keyword_sections(doc: Document, keep: FocusFilter) -> list[DigestSection]:
    out = []
    for section in doc.sections:
        if not (section.keyword and section.level == 1):
            continue
        results, targets, tasks = _items_in(doc, section.start, section.end, keep)
        out.append(DigestSection(section.keyword, section.heading, section.start, section.end, section.tags,
                                 tuple(results), tuple(targets), tuple(tasks)))
    return out


def _plan_themes(doc: Document) -> list[Section]:
    """The report's task headings: level-2 headings of the plan part (（一）…)."""
    return [s for s in doc.sections if s.level == 2 and s.part == "plan" and not s.keyword]


def main_targets_section(doc: Document, resources: Resources, keep: FocusFilter) -> DigestSection | None:
    values = [v for v in doc.indicator_values if keep(v.start)]
    targets = [fact_item(doc, doc.fact_at(v.start, v.end)) for v in values if v.role == "target"]
    outcomes = [fact_item(doc, doc.fact_at(v.start, v.end)) for v in values if v.role == "outcome"]
    if not (targets or outcomes):
        return None
    label = resources.digest.labels.main
    spans = [i.start for i in targets + outcomes]
    return DigestSection(label, label, min(spans), max(spans), (label,),
                         tuple(sorted(outcomes, key=lambda i: i.start)), tuple(sorted(targets, key=lambda i: i.start)))


def _review_results(doc: Document, themes: list[Section], resources: Resources, keep: FocusFilter,
                    skip: set[int]) -> dict[int, list[Item]]:
    """Results of the review, by the theme they are paired with: a figure goes with the theme
    its sentence is about, else with the theme of its paragraph, else with none."""
    review = [(p.start, p.end) for p in doc.paragraphs if p.part == "review"]
    facts = [f for f in doc.facts if f.status == "actual" and f.start not in skip and keep(f.start)
             and any(a <= f.start < b for a, b in review)]
    theme_texts = [doc.text[t.start : t.end] for t in themes]
    rules = resources.digest
    by_sentence = pair_paragraphs([doc.text[f.sentence[0] : f.sentence[1]] for f in facts], theme_texts, rules,
                                  rules.sentence_pairing_min_score)
    by_paragraph = pair_paragraphs([doc.text[a:b] for a, b in review], theme_texts, rules, rules.pairing_min_score)
    paragraph_theme = dict(zip(review, by_paragraph))
    out: dict[int, list[Item]] = {}
    for fact, chosen in zip(facts, by_sentence):
        if chosen is None:
            chosen = next(paragraph_theme[(a, b)] for a, b in review if a <= fact.start < b)
        if chosen is not None:
            out.setdefault(chosen, []).append(fact_item(doc, fact))
    return out


def report_sections(doc: Document, resources: Resources, keep: FocusFilter) -> list[DigestSection]:
    themes = _plan_themes(doc)
    main = main_targets_section(doc, resources, keep)
    headline = {i.start for i in main.results} if main else set()
    paired = _review_results(doc, themes, resources, keep, headline)
    out = [main] if main else []
    for index, theme in enumerate(themes):
        results, targets, tasks = _items_in(doc, theme.start, theme.end, keep)
        results += paired.get(index, [])
        keyword = theme_keyword(theme.heading, resources.digest)
        out.append(DigestSection(keyword, theme.heading, theme.start, theme.end, (keyword,),
                                 tuple(results), tuple(targets), tuple(tasks)))
    return out


def whole_text_section(doc: Document, labels: DigestLabels, keep: FocusFilter) -> DigestSection:
    """A text without keyword sections or plan headings (a news item) is one section."""
    results, targets, tasks = _items_in(doc, 0, len(doc.text), keep)
    heading = doc.title or labels.whole
    return DigestSection(None, heading, 0, len(doc.text), (), tuple(results), tuple(targets), tuple(tasks))


def voices(doc: Document, keep: FocusFilter) -> list[Voice]:
    out = []
    for statement in doc.statements:
        if not keep.any_in(statement.start, statement.end):
            continue
        figures = [fact_item(doc, f) for f in doc.facts if statement.start <= f.start < statement.end]
        body = statement.heading_end or statement.start
        lead = next((doc.text[s.start : s.end] for s in doc.sentences if body <= s.start < statement.end), None)
        out.append(Voice(statement.speaker, statement.role, statement.headline, statement.start, statement.end,
                         lead, tuple(figures)))
    return out


def build_digest(doc: Document, resources: Resources, focus: str | None = None) -> Digest:
    """Document (analysed) -> Digest; ``focus`` keeps what is about a place and its sub-places."""
    keep = FocusFilter(doc, resources.places, focus)
    labels = resources.digest.labels
    if focus and not keep.mentioned:
        message = labels.no_focus.format(focus=focus, path=doc.path or doc.id)
        return Digest(doc.id, doc.title, doc.path, doc.year, focus, (), (), message)
    if any(s.keyword for s in doc.sections):
        sections = keyword_sections(doc, keep)
    elif _plan_themes(doc):
        sections = report_sections(doc, resources, keep)
    else:
        sections = [whole_text_section(doc, labels, keep)]
    if focus or len(sections) == 1:
        sections = [s for s in sections if not s.is_empty()]
    said = voices(doc, keep)
    message = None if sections or said else labels.empty
    return Digest(doc.id, doc.title, doc.path, doc.year, focus, tuple(sections), tuple(said), message)
