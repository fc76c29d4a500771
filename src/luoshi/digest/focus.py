"""--focus PLACE: what a digest keeps when it is about one place and the places under it.

Text is about the place when it names it or a place under it (航空港区 is part of 郑州
through places.yaml ``parents``; a district of the gazetteer reports its city). The
nearest unit that names a place decides: a clause by any place it names, a sentence,
paragraph or section by the first (its subject) — so a clause that names no place takes
the subject around it, and a clause that names only other places is left out. Places that
hold the focus (河南 for 郑州, 全国) are scope, not subject, and decide nothing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from luoshi.model import Document
from luoshi.resources import Places
from luoshi.text.clauses import clauses


def _ancestors(region: str, places: Places) -> set[str]:
    seen = {region}
    while region in places.province_of and places.province_of[region] not in seen:
        region = places.province_of[region]
        seen.add(region)
    return seen


class _Level:
    """Non-overlapping spans of one kind (clauses, sentences, …), each True (names the focus),
    False (names only other places) or None (names no place)."""

    def __init__(self, spans: list[tuple[int, int]], place_starts: list[int], focus_starts: set[int],
                 by_subject: bool) -> None:
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.state: list[bool | None] = []
        for s, e in spans:
            first, last = bisect_left(place_starts, s), bisect_left(place_starts, e)
            if first == last:
                self.state.append(None)
            elif by_subject:
                self.state.append(place_starts[first] in focus_starts)
            else:
                self.state.append(any(place_starts[i] in focus_starts for i in range(first, last)))

    def at(self, pos: int) -> bool | None:
        i = bisect_right(self.starts, pos) - 1
        return self.state[i] if i >= 0 and pos < self.ends[i] else None


class FocusFilter:
    """Callable on a character offset: is the text there about the focus place?"""

    def __init__(self, doc: Document, places: Places, focus: str | None) -> None:
        self.focus = places.region_of.get(focus, focus) if focus else None
        self.mentioned = False
        self._levels: list[_Level] = []
        if self.focus is None:
            return
        # the gazetteer reports a district as its city (金水区 -> 郑州): a district focus is
        # matched by its own name, and its city is scope around it
        by_name = focus if self.focus != focus and places.short_name(focus) not in places.level_of else None
        # a province or the country around the focus is scope; a city around a district or
        # zone is a wider subject (its totals are not the district's)
        scope = {a for a in _ancestors(self.focus, places) if places.level_of.get(a) in ("province", "national")}
        scope.discard(self.focus if by_name is None else None)
        if self.focus != "全国":
            scope.add("全国")
        matches = [m for m in places.names.find(doc.text) if m.value not in scope or m.phrase == by_name]
        place_starts = [m.start for m in matches]
        focus_starts = {m.start for m in matches
                        if (m.phrase == by_name if by_name else self.focus in _ancestors(m.value, places))}
        if by_name:
            self.focus = by_name
        self.mentioned = bool(focus_starts)
        sentences = [(s.start, s.end) for s in doc.sentences]
        units = (
            [c for s, e in sentences for c in clauses(doc.text, s, e)],
            sentences,
            [(p.start, p.end) for p in doc.paragraphs],
            [(s.start, s.end) for s in doc.sections if s.level == 1],
        )
        self._levels = [_Level(spans, place_starts, focus_starts, by_subject=i > 0) for i, spans in enumerate(units)]

    def __call__(self, pos: int) -> bool:
        if self.focus is None:
            return True
        for level in self._levels:
            state = level.at(pos)
            if state is not None:
                return state
        return False

    def any_in(self, start: int, end: int) -> bool:
        """Does any clause in [start, end) concern the focus (a deputy's remarks)?"""
        if self.focus is None:
            return True
        clauses_level = self._levels[0]
        first = bisect_left(clauses_level.starts, start)
        last = bisect_left(clauses_level.starts, end)
        return any(self(clauses_level.starts[i]) for i in range(first, last))
