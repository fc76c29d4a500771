"""Slogans and formulas: quoted terms and numbered formulas, with counts.

A slogan (lexicon.yaml ``slogans``, schema there) is a short quoted term (“三标”, “郑好办”), a
numbered formula of ``formulas`` (两个确保, also unquoted), a well-known policy term of
``slogans.terms`` (新质生产力), or an unquoted occurrence of a term quoted elsewhere in the
document. Each record is one occurrence; a quoted one spans the text inside the quote marks,
so every occurrence of a slogan has the same text. ``count`` is the number of records with
that text in the document.

Not slogans: quoted sentences (they hold sentence punctuation or are longer than
``quotes.slogan_max_chars``), enumerators and bare numbers, book titles in 《》 (they name
documents and plans), and anything inside a boilerplate artefact.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from luoshi.model import Document, Slogan
from luoshi.resources import Resources
from luoshi.text.phrases import PhraseMatcher
from luoshi.text.spans import filter_spans

BLANKS = " \u3000\t"
# When two occurrences cover the same span, the more specific source wins (lower first).
P_QUOTED, P_LISTED, P_PROPAGATED = range(3)


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: int
    end: int
    priority: int


@dataclass(frozen=True)
class SloganRules:
    """lexicon.yaml ``slogans`` compiled once per Resources."""

    quotes: tuple[re.Pattern, ...]
    terms: PhraseMatcher
    not_slogans: frozenset[str]
    min_chars: int
    propagate_min_chars: int
    sentence_punct: frozenset[str]
    not_slogan: re.Pattern


@lru_cache(maxsize=4)
def compile_slogans(resources: Resources) -> SloganRules:
    spec = resources.lexicon.slogans
    return SloganRules(
        quotes=tuple(regex for _, regex in resources.rules.term_quotes),
        terms=PhraseMatcher({t: t for t in spec.terms}),
        not_slogans=frozenset(spec.not_slogans),
        min_chars=spec.min_chars,
        propagate_min_chars=spec.propagate_min_chars,
        sentence_punct=frozenset(spec.sentence_punct),
        not_slogan=spec.not_slogan_re,
    )


def extract_slogans(doc: Document, resources: Resources) -> Document:
    """Document -> Document with the ``slogans`` layer."""
    rules = compile_slogans(resources)
    text = doc.text
    quoted = list(_quoted(text, rules))
    candidates = [
        *quoted,
        *_listed(text, resources.rules.formulas, rules),
        *_listed(text, rules.terms, rules),
        *_propagated(text, {text[q.start:q.end] for q in quoted}, rules),
    ]
    boilerplate = [(a.start, a.end) for a in doc.artefacts if a.type == "boilerplate"]
    kept = filter_spans(c for c in candidates if not _inside_any(c, boilerplate))
    counts = Counter(text[c.start:c.end] for c in kept)
    return doc.with_layer("slogans", (Slogan(c.start, c.end, text[c.start:c.end], counts[text[c.start:c.end]])
                                      for c in kept))


def _quoted(text: str, rules: SloganRules) -> Iterator[Occurrence]:
    """Short quoted terms; the span is inside the marks, without layout blanks (“九五 ”)."""
    for regex in rules.quotes:
        for m in regex.finditer(text):
            term = m.group(1).strip(BLANKS)
            if _is_term(term, rules):
                start = m.start(1) + m.group(1).index(term)
                yield Occurrence(start, start + len(term), P_QUOTED)


def _is_term(term: str, rules: SloganRules) -> bool:
    return (len(term) >= rules.min_chars
            and rules.sentence_punct.isdisjoint(term)
            and not rules.not_slogan.match(term)
            and term not in rules.not_slogans)


def _listed(text: str, matcher: PhraseMatcher, rules: SloganRules) -> Iterator[Occurrence]:
    for m in matcher.find(text):
        if m.phrase not in rules.not_slogans:
            yield Occurrence(m.start, m.end, P_LISTED)


def _propagated(text: str, terms: Iterable[str], rules: SloganRules) -> Iterator[Occurrence]:
    """Unquoted mentions of a term the document quotes elsewhere (long terms only). A few
    terms per document: str.find beats building an automaton; overlaps go to filter_spans."""
    for term in terms:
        if len(term) < rules.propagate_min_chars:
            continue
        at = text.find(term)
        while at >= 0:
            yield Occurrence(at, at + len(term), P_PROPAGATED)
            at = text.find(term, at + len(term))


def _inside_any(span: Occurrence, ranges: list[tuple[int, int]]) -> bool:
    return any(start < span.end and span.start < end for start, end in ranges)
