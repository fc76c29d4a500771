"""The place a figure is about (``Fact.region``).

The nearest place named before the figure decides, looking back over its sentence (a
deputy's whole statement, a news paragraph), except places that are not the figure's subject:

- a place after a comparison word is what the figure is compared with (佛山…高于长沙0.8个
  百分点: 佛山), unless the figure follows it directly and is no difference (高于全国4.8%: 全国);
- a scope word (全国, 全省, 全市) counts at the start of a clause, after a year or 的, or right
  before the figure (全省7个海关特殊监管区: 湖南), never before a rank (居全省第二: the scope of
  the ranking, not its subject); 全省 is the document's province, 全市 the city named last before
  it in a news page, else the document's region;
- a list of places with 分别 gives its places to the figures after 分别 in order
  (宁波、青岛、无锡…分别为8.2%、8.3%、8.6%); a figure in parentheses right after a place is that
  place's (江西（6.9%）).

Without a place the figure is about the document's region. Words are in lexicon.yaml
(``scope``, ``region``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from luoshi.extract.context import DocContext, Mention
from luoshi.extract.quantities import Quantity
from luoshi.model import Document
from luoshi.resources import Places, Resources
from luoshi.text.clauses import CLAUSE_BREAK

BLANKS = " \t\u3000"  # a paragraph indented with them starts a clause too


def province_of(region: str | None, places: Places) -> str | None:
    if region is None:
        return None
    if places.level_of.get(region) == "province":
        return region
    return places.province_of.get(region)


def region_scope(doc: Document, scope: int, para_start: int, sent_start: int) -> int:
    """How far back a place name carries: a deputy's whole statement, a news paragraph,
    otherwise the sentence (a report's or keyword page's places do not carry)."""
    if any(st.start <= sent_start < st.end for st in doc.statements):
        return scope
    if doc.kind == "news" and not any(s.keyword for s in doc.sections):
        return para_start
    return sent_start


def distributive_runs(doc: Document, ctx: DocContext, quantities: list[Quantity], words) -> list[tuple[int, int, list[Quantity]]]:
    """(sentence start, where 分别 stands, the run of figures after it) for each 分别 of the text:
    what a list before it distributes over."""
    norm, out = ctx.norm, []
    starts = [q.start for q in quantities]
    sentence_starts = [s.start for s in doc.sentences]
    for word in words.distributive:
        at = norm.find(word)
        while at >= 0:
            i = bisect_right(sentence_starts, at) - 1
            if i >= 0 and at < doc.sentences[i].end:
                sentence = doc.sentences[i]
                run = _figure_run(norm, quantities, starts, at + len(word), sentence.end, words.run_joiners)
                if run:
                    out.append((sentence.start, at, run))
            at = norm.find(word, at + 1)
    return out


def _figure_run(norm: str, quantities: list[Quantity], starts: list[int], lo: int, hi: int,
                joiners: str) -> list[Quantity]:
    """The figures from ``lo`` on that follow one another joined by ``joiners`` (8.2%、8.3%、8.6%)."""
    i = bisect_left(starts, lo)
    run: list[Quantity] = []
    while i < len(quantities) and quantities[i].start < hi:
        q = quantities[i]
        if run and norm[run[-1].end : q.start] not in tuple(joiners):
            break
        run.append(q)
        i += 1
    return run


class DocRegions:
    """The region rules over one document, with what they share computed once: which place
    mentions are comparison objects, and which figures a distributive list assigns."""

    def __init__(self, doc: Document, ctx: DocContext, resources: Resources, quantities: list[Quantity]) -> None:
        self.doc, self.ctx, self.resources = doc, ctx, resources
        self.scope = resources.lexicon.scope
        self.words = resources.lexicon.region
        self.compared = self._comparison_objects()
        self.assigned = self._distributed(quantities)

    # ---------------------------------------------------------------- precomputed

    def _joined(self, a: Mention, b: Mention) -> bool:
        return b.start - a.end == 1 and self.ctx.norm[a.end] in self.words.list_joiners

    def _comparison_objects(self) -> set[int]:
        """Starts of place mentions that follow a comparison word, or continue a list that does."""
        norm, out = self.ctx.norm, set()
        previous: Mention | None = None
        for mention in self.ctx.places:
            before = norm[max(0, mention.start - 3) : mention.start]
            if before.endswith(self.words.comparison_before) or (
                    previous is not None and previous.start in out and self._joined(previous, mention)):
                out.add(mention.start)
            previous = mention
        return out

    def _place_lists(self, lo: int, hi: int) -> list[list[Mention]]:
        """Runs of two or more places joined by list joiners, in [lo, hi)."""
        runs: list[list[Mention]] = []
        for mention in self.ctx.before(self.ctx.places, self.ctx.place_starts, lo, hi):
            if mention.value in self.scope.all:
                continue
            if runs and self._joined(runs[-1][-1], mention):
                runs[-1].append(mention)
            else:
                runs.append([mention])
        return [r for r in runs if len(r) >= 2]

    def _distributed(self, quantities: list[Quantity]) -> dict[int, str]:
        """Figure start -> place, for runs of figures after 分别 that match a list of places."""
        out = {}
        for sentence_start, word_start, run in distributive_runs(self.doc, self.ctx, quantities, self.words):
            lists = [r for r in self._place_lists(sentence_start, word_start) if r[0].start not in self.compared]
            if lists and len(run) == len(lists[-1]):
                out.update({q.start: m.value for q, m in zip(run, lists[-1])})
        return out

    # ---------------------------------------------------------------- per figure

    def region(self, q: Quantity, kind: str, scope_start: int) -> str | None:
        if q.start in self.assigned:
            return self.assigned[q.start]
        norm = self.ctx.norm
        local = None  # a 全市 met on the way: the city named before it
        for mention in self.ctx.backwards(self.ctx.places, self.ctx.place_starts, scope_start, q.start):
            adjacent = mention.end == q.start or (mention.end == q.start - 1 and norm[mention.end] in "（(")
            if self._enumerated(mention, q):
                continue
            if mention.start in self.compared:
                if adjacent and kind != "change":
                    return mention.value  # 高于全国4.8%: the nation's figure
                continue
            if mention.value in self.scope.all:
                found = self._scope_region(mention, kind, adjacent)
                if found is _LOCAL:
                    local = local if local is not None else mention.start
                elif found is not _SKIP:
                    return found
                continue
            return mention.value
        if local is not None and self.doc.kind == "news":
            return self._city_before(local)
        return self.doc.region

    def _enumerated(self, mention: Mention, q: Quantity) -> bool:
        """香港大学、上海交大等6所…: a place inside the examples listed before a count (… 等) names
        one of the things counted, not the figure's place."""
        between = self.ctx.norm[mention.end : q.start]
        return between.endswith("等") and not any(c in CLAUSE_BREAK for c in between)

    def _scope_region(self, mention: Mention, kind: str, adjacent: bool):
        prev = self.ctx.norm[mention.start - 1] if mention.start else ""
        if kind == "rank" and (adjacent or (prev and prev not in CLAUSE_BREAK + BLANKS)):
            return _SKIP  # 居全省第二, 连续多年全省第二: the ranking's scope, not its subject
        if not adjacent and prev and prev not in CLAUSE_BREAK + BLANKS + self.scope.subject_after:
            return _SKIP  # 在全国...中, 全国辐射力: a scope of comparison, not the subject
        if mention.value in self.scope.national:
            return "全国"
        if mention.value in self.scope.province:
            return province_of(self.doc.region, self.resources.places) or self.doc.region
        if mention.value in self.scope.local:
            return _LOCAL
        return _SKIP  # 全球: no region

    def _city_before(self, pos: int) -> str | None:
        """全市 in a news page: the city named last before it (not a comparison object)."""
        places = self.resources.places
        for mention in self.ctx.backwards(self.ctx.places, self.ctx.place_starts, 0, pos):
            if mention.value in self.scope.all or mention.start in self.compared or mention.value == "全国":
                continue
            if places.level_of.get(mention.value) != "province":
                return mention.value
        return self.doc.region


_SKIP, _LOCAL = object(), object()
