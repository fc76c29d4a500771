"""Many-phrase search (gazetteer names, catalog synonyms, formulas) with Aho-Corasick.

A regex alternation of thousands of names is tried branch by branch at every position;
an automaton reads the text once. Matches are leftmost-longest and do not overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    start: int
    end: int
    phrase: str
    value: str


class PhraseMatcher:
    """Find phrases, each mapped to a value (a place name to its region)."""

    def __init__(self, phrases: dict[str, str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for phrase, value in phrases.items():
            if phrase:
                self._automaton.add_word(phrase, (phrase, value))
        self._empty = not phrases
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[PhraseMatch]:
        if self._empty:
            return []
        out = []
        for end_index, (phrase, value) in self._automaton.iter_long(text):
            end = end_index + 1
            out.append(PhraseMatch(end - len(phrase), end, phrase, value))
        return out
