"""Many-phrase search (gazetteer names, catalog synonyms, formulas) with Aho-Corasick.

A regex alternation of thousands of names is tried branch by branch at every position;
an automaton (ahocorasick-rs, Rust) reads the text once. Matches are leftmost-longest
and do not overlap; offsets are Python ``str`` indices.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick_rs


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    start: int
    end: int
    phrase: str
    value: str


class PhraseMatcher:
    """Find phrases, each mapped to a value (a place name to its region)."""

    def __init__(self, phrases: dict[str, str]) -> None:
        self._phrases = [p for p in phrases if p]
        self._values = [phrases[p] for p in self._phrases]
        self._automaton = (
            ahocorasick_rs.AhoCorasick(self._phrases, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
            if self._phrases else None
        )

        self._last: tuple[str, tuple[PhraseMatch, ...]] = ("", ())

    def find(self, text: str) -> tuple[PhraseMatch, ...]:
        """The matches in ``text``. The last text's are kept: metadata, facts and entities each
        look for the places of the same document (one tuple swap, safe across threads)."""
        if self._automaton is None:
            return ()
        last_text, last_found = self._last
        if text is last_text or (len(text) > 1000 and text == last_text):
            return last_found
        phrases, values = self._phrases, self._values
        found = tuple(PhraseMatch(start, end, phrases[i], values[i])
                      for i, start, end in self._automaton.find_matches_as_indexes(text))
        if len(text) > 1000:  # a document, not a phrase looked up between its scans
            self._last = (text, found)
        return found
