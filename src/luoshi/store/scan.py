"""Search for queries shorter than a trigram (粮食, 就业), in memory.

The FTS5 trigram index answers only queries of three or more characters; a shorter one is
a table scan with instr() (about 20 ms over the national corpus). A server instead keeps
every document's text and sentence starts in memory, once per data version, and finds the
sentences with ``str.find`` (about 1 ms), then reads just one page of rows from the
database. Results, order and totals are the same as the SQL path's.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from sqlalchemy import func, select

from luoshi.store import schema

MAX_CHARS = 50_000_000  # above this a corpus stays on disk and short queries scan in SQL
# ASCII letters match either case, as in the trigram index; a 1:1 map keeps offsets
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class _Doc:
    text: str
    year: int | None
    region: str | None
    kind: str | None
    starts: list[int]
    ends: list[int]


class SentenceScanner:
    def __init__(self, docs: dict[str, _Doc], statuses: set[tuple[str, int, str]]) -> None:
        self._docs = docs
        self._statuses = statuses  # (doc_id, sentence_start, status) of every fact

    @classmethod
    def load(cls, conn) -> "SentenceScanner | None":
        """The corpus in memory, or None when it is too large to hold."""
        d, s, f = schema.documents, schema.LAYER_TABLES["sentences"], schema.LAYER_TABLES["facts"]
        if (conn.execute(select(func.sum(d.c.chars))).scalar() or 0) > MAX_CHARS:
            return None
        starts: dict[str, list[int]] = {}
        ends: dict[str, list[int]] = {}
        for doc_id, start, end in conn.execute(select(s.c.doc_id, s.c.start, s.c.end).order_by(s.c.doc_id, s.c.idx)):
            starts.setdefault(doc_id, []).append(start)
            ends.setdefault(doc_id, []).append(end)
        docs = {r.id: _Doc(r.text.translate(ASCII_LOWER), r.year, r.region, r.kind, starts.get(r.id, []), ends.get(r.id, []))
                for r in conn.execute(select(d.c.id, d.c.text, d.c.year, d.c.region, d.c.kind))}
        statuses = {(r.doc_id, r.sentence_start, r.status)
                    for r in conn.execute(select(f.c.doc_id, f.c.sentence_start, f.c.status))}
        return cls(docs, statuses)

    def _sentences_with(self, doc: _Doc, query: str) -> list[int]:
        found: list[int] = []
        pos = doc.text.find(query)
        while pos >= 0:
            idx = bisect_right(doc.starts, pos) - 1
            # a match must lie inside one sentence, as it does in the sentences table (text between
            # sentences, such as a licence footer, is in no sentence)
            inside = idx >= 0 and pos + len(query) <= doc.ends[idx]
            if inside and (not found or found[-1] != idx):
                found.append(idx)
            pos = doc.text.find(query, pos + 1)
        return found

    handles_long_queries = False

    def hits(self, query: str, region: str | None, year: int | None, kind: str | None,
             status: str | None, conn=None) -> list[tuple[str, int]]:
        """(doc_id, sentence idx) of every match, in the SQL path's order: newest year first."""
        out = []
        query = query.translate(ASCII_LOWER)
        for doc_id, doc in self._docs.items():
            if (region and doc.region != region) or (year and doc.year != year) or (kind and doc.kind != kind):
                continue
            for idx in self._sentences_with(doc, query):
                if status is None or (doc_id, doc.starts[idx], status) in self._statuses:
                    out.append((doc_id, idx))
        # SQLite orders NULL years last in a descending sort; so does this key
        out.sort(key=lambda h: (-(self._docs[h[0]].year or -10**6), h[0], h[1]))
        return out


class RowidScanner:
    """Search for a corpus too large to hold in memory: the trigram index gives the rowids of
    the matching sentences (a query shorter than a trigram by the index's vocabulary), and the
    documents' rowid ranges — a document's sentences are written in one statement, so their
    rowids are consecutive and in order — give each hit its document, year and position, in
    memory, without reading a row. Only the page shown is read. Results, order and totals are
    the SQL path's; a filter on status goes to SQL (``hits`` returns None)."""

    handles_long_queries = True

    def __init__(self, firsts: list[int], docs: list[tuple[str, int | None, str | None, str | None]]) -> None:
        self._firsts = firsts  # first sentence rowid of each document, ascending
        self._docs = docs      # (doc_id, year, region, kind), in the same order

    @classmethod
    def load(cls, conn) -> "RowidScanner | None":
        """The documents' ranges, or None when some document's sentences are not consecutive
        (then the SQL path answers)."""
        if conn.dialect.name != "sqlite":
            return None
        d = schema.documents
        meta = {r.id: (r.year, r.region, r.kind) for r in conn.execute(select(d.c.id, d.c.year, d.c.region, d.c.kind))}
        ranges = conn.exec_driver_sql(
            "SELECT doc_id, MIN(rowid), MAX(rowid), COUNT(*) FROM sentences GROUP BY doc_id").all()
        if any(last - first + 1 != count for _, first, last, count in ranges):
            return None
        ranges.sort(key=lambda r: r[1])
        return cls([r[1] for r in ranges], [(r[0], *meta.get(r[0], (None, None, None))) for r in ranges])

    def hits(self, query: str, region: str | None, year: int | None, kind: str | None,
             status: str | None, conn=None) -> list[tuple[str, int]] | None:
        from luoshi.store.read import fts_rowids

        if status is not None:
            return None
        rowids = fts_rowids(conn, query)
        if rowids is None:
            return None
        # the index gives rowids in ascending order, and a document's sentences are consecutive:
        # one walk over the documents' ranges groups the hits by document
        firsts, docs = self._firsts, self._docs
        groups: list[tuple[tuple, str, list[int]]] = []
        at, last = -1, -1
        current: list[int] | None = None
        for rowid in sorted(rowids):
            if rowid > last:
                at = bisect_right(firsts, rowid) - 1
                if at < 0:
                    current = None
                    continue
                last = firsts[at + 1] - 1 if at + 1 < len(firsts) else float("inf")
                doc_id, doc_year, doc_region, doc_kind = docs[at]
                wanted = not ((region and doc_region != region) or (year and doc_year != year) or
                              (kind and doc_kind != kind))
                current = [] if wanted else None
                if wanted:
                    groups.append(((-(doc_year or -10**6), doc_id), doc_id, current))
            if current is not None:
                current.append(rowid - firsts[at])
        groups.sort(key=lambda g: g[0])
        return _GroupedHits([(doc_id, idxs) for _, doc_id, idxs in groups])


class _GroupedHits:
    """(doc_id, idx) hits held per document: its length is the total, and a slice (one page)
    is built without making a tuple per hit."""

    def __init__(self, groups: list[tuple[str, list[int]]]) -> None:
        self._groups = groups
        self._total = sum(len(idxs) for _, idxs in groups)

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, wanted: slice) -> list[tuple[str, int]]:
        start, stop, _ = wanted.indices(self._total)
        out: list[tuple[str, int]] = []
        seen = 0
        for doc_id, idxs in self._groups:
            if seen + len(idxs) > start and seen < stop:
                out += [(doc_id, idx) for idx in idxs[max(start - seen, 0) : stop - seen]]
            seen += len(idxs)
            if seen >= stop:
                break
        return out
