"""Read-side queries over the corpus database; ``Database`` is their one entry point.

Every query is parameterised; user text never becomes SQL. Full-text search uses the FTS5
trigram index on SQLite (any substring of three or more characters) and ``LIKE`` with the
pg_trgm index on PostgreSQL; shorter queries fall back to a substring scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select, text, tuple_
from sqlalchemy.exc import OperationalError

from luoshi.model import LAYERS, META_FIELDS, Document
from luoshi.store import schema


@dataclass(frozen=True)
class Rows:
    """Query results: a list of dicts with known columns; ``to_pandas()`` when pandas is there."""

    records: list[dict]
    columns: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self):
        return iter(self.records)

    def to_pandas(self):
        import pandas

        return pandas.DataFrame.from_records(self.records, columns=list(self.columns))


@dataclass(frozen=True)
class Page:
    """One page of results: the items and how many there are in all."""

    items: list[dict]
    total: int
    page: int
    per_page: int

    def as_dict(self) -> dict:
        return {"total": self.total, "page": self.page, "per_page": self.per_page, "items": self.items}


DOC_COLUMNS = ("id", "path", "title", "kind", "region", "year", "date", "speaker", "chars")


def data_version(conn) -> tuple:
    """Changes whenever a document is added or replaced: a cache key for derived pages."""
    docs = schema.documents
    return tuple(conn.execute(select(func.count(), func.max(docs.c.ingested_at))).one())


def _doc_filters(region: str | None, year: int | None, kind: str | None) -> list:
    docs = schema.documents
    return [c for c in (docs.c.region == region if region else None, docs.c.year == year if year else None,
                        docs.c.kind == kind if kind else None) if c is not None]


def list_documents(conn, region: str | None = None, year: int | None = None, kind: str | None = None,
                   page: int = 1, per_page: int = 50) -> Page:
    docs, facts = schema.documents, schema.LAYER_TABLES["facts"]
    where = and_(*_doc_filters(region, year, kind)) if _doc_filters(region, year, kind) else literal(True)
    fact_counts = (select(facts.c.doc_id, func.count().label("facts")).group_by(facts.c.doc_id).subquery())
    query = (select(*[docs.c[c] for c in DOC_COLUMNS], func.coalesce(fact_counts.c.facts, 0).label("facts"))
             .outerjoin(fact_counts, fact_counts.c.doc_id == docs.c.id).where(where)
             .order_by(docs.c.region, docs.c.year.desc(), docs.c.path)
             .limit(per_page).offset((page - 1) * per_page))
    total = conn.execute(select(func.count()).select_from(docs).where(where)).scalar_one()
    items = [dict(r._mapping) for r in conn.execute(query)]
    return Page(items, total, page, per_page)


def corpus_overview(conn) -> list[dict]:
    """Documents counted by region, kind and year, for the home page."""
    docs = schema.documents
    query = (select(docs.c.region, docs.c.kind, docs.c.year, func.count().label("documents"))
             .group_by(docs.c.region, docs.c.kind, docs.c.year).order_by(docs.c.region, docs.c.kind, docs.c.year))
    return [dict(r._mapping) for r in conn.execute(query)]


def load_document(conn, doc_id: str) -> Document | None:
    """The stored document with every layer, equal to the one that was saved; None when there
    is no such id."""
    docs = schema.documents
    row = conn.execute(select(docs).where(docs.c.id == doc_id)).first()
    if row is None:
        return None
    layers = {}
    for name, table in schema.LAYER_TABLES.items():
        rows = conn.execute(select(table).where(table.c.doc_id == doc_id).order_by(table.c.idx)).mappings()
        layers[name] = tuple(schema.from_row(LAYERS[name], r) for r in rows)
    meta = row._mapping
    return Document(text=meta["text"], id=meta["id"], extractor=meta["extractor"],
                    **{k: meta[k] for k in META_FIELDS}, **layers)


FACT_COLUMNS = ("doc_id", "idx", "text", "start", "end", "value", "value_max", "unit", "value_base", "base_unit",
                "qualifier", "kind", "status", "period", "period_start", "period_end", "period_grain", "indicator",
                "indicator_id", "region")


def list_facts(conn, doc: str | None = None, indicator: str | None = None, status: str | None = None,
               period: str | None = None, region: str | None = None, page: int = 1, per_page: int = 50) -> Page:
    facts = schema.LAYER_TABLES["facts"]
    conditions = [c for c in (facts.c.doc_id == doc if doc else None,
                              facts.c.indicator_id == indicator if indicator else None,
                              facts.c.status == status if status else None,
                              facts.c.period == period if period else None,
                              facts.c.region == region if region else None) if c is not None]
    where = and_(*conditions) if conditions else literal(True)
    query = (select(*[facts.c[c] for c in FACT_COLUMNS]).where(where).order_by(facts.c.doc_id, facts.c.idx)
             .limit(per_page).offset((page - 1) * per_page))
    total = conn.execute(select(func.count()).select_from(facts).where(where)).scalar_one()
    items = [dict(r._mapping) for r in conn.execute(query)]
    return Page(items, total, page, per_page)


def _fts_phrase(query: str) -> str:
    """The user's text as one FTS5 phrase: operators and quotes in it stay literal."""
    return '"' + query.replace('"', '""') + '"'


def _matching_sentences(conn, query: str):
    """(doc_id, idx) of sentences containing ``query``, as a selectable."""
    sentences = schema.LAYER_TABLES["sentences"]
    if conn.dialect.name == "sqlite" and len(query) >= 3:
        return text("SELECT doc_id, idx FROM sentences_fts WHERE sentences_fts MATCH :q").bindparams(
            q=_fts_phrase(query)).columns(doc_id=sentences.c.doc_id.type, idx=sentences.c.idx.type)
    if conn.dialect.name == "sqlite":
        terms = _short_terms(conn, query)
        if terms is not None:
            if not terms:
                return text("SELECT doc_id, idx FROM sentences_fts WHERE 0").columns(
                    doc_id=sentences.c.doc_id.type, idx=sentences.c.idx.type)
            return text("SELECT doc_id, idx FROM sentences_fts WHERE sentences_fts MATCH :q").bindparams(
                q=" OR ".join(_fts_phrase(t) for t in terms)).columns(doc_id=sentences.c.doc_id.type,
                                                                      idx=sentences.c.idx.type)
        # shorter than a trigram: a scan, and instr() scans twice as fast as LIKE; SQLite's lower()
        # folds ASCII only, so ASCII letters match either case as in the trigram index
        return select(sentences.c.doc_id, sentences.c.idx).where(
            func.instr(func.lower(sentences.c.text), func.lower(query)) > 0)
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return select(sentences.c.doc_id, sentences.c.idx).where(sentences.c.text.ilike(f"%{escaped}%", escape="\\"))


def fts_rowids(conn, query: str) -> list[int] | None:
    """Rowids of the sentences containing ``query``, from the trigram index (SQLite); None when
    the index cannot answer it."""
    if conn.dialect.name != "sqlite":
        return None
    if len(query) >= 3:
        expression = _fts_phrase(query)
    else:
        terms = _short_terms(conn, query)
        if terms is None:
            return None
        if not terms:
            return []
        expression = " OR ".join(_fts_phrase(t) for t in terms)
    # the driver's cursor: tens of thousands of one-integer rows through SQLAlchemy's result
    # objects cost more than the index lookup
    rows = conn.connection.driver_connection.execute(
        "SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?", (expression,)).fetchall()
    return [r[0] for r in rows]


MAX_SHORT_TERMS = 3000  # a one-character query as common as 的 is cheaper to scan for


def _short_terms(conn, query: str) -> list[str] | None:
    """The indexed trigrams that start with a one- or two-character query (each sentence ends
    in ``schema.FTS_SENTINEL``, so every occurrence starts one); None when the index cannot
    answer (no vocabulary table, too many trigrams)."""
    folded = query.translate(_ASCII_LOWER)
    if schema.FTS_SENTINEL[0] in folded:
        return []
    try:
        terms = [r[0] for r in conn.execute(
            text("SELECT term FROM sentences_fts_terms WHERE term >= :low AND term < :high LIMIT :most"),
            {"low": folded, "high": folded + "\U0010ffff", "most": MAX_SHORT_TERMS + 1})]
    except OperationalError:
        return None
    return None if len(terms) > MAX_SHORT_TERMS else terms


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _count(conn, query) -> int:
    return conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()


def search(conn, query: str, region: str | None = None, year: int | None = None, kind: str | None = None,
           status: str | None = None, page: int = 1, per_page: int = 20, scanner=None) -> Page:
    """Sentences that contain ``query``, newest documents first, with their figures.
    ``scanner`` (a store.scan.SentenceScanner) answers queries shorter than a trigram."""
    sentences, docs, facts = schema.LAYER_TABLES["sentences"], schema.documents, schema.LAYER_TABLES["facts"]
    if scanner is not None and (len(query) < 3 or scanner.handles_long_queries):
        hits = scanner.hits(query, region, year, kind, status, conn)
        if hits is not None:
            return _scanned(conn, hits, page, per_page)
    hits = _matching_sentences(conn, query).subquery()
    conditions = _doc_filters(region, year, kind)
    if status:
        # a set of (document, sentence) pairs, not a correlated EXISTS: the planner would run
        # that once per candidate sentence
        with_status = select(facts.c.doc_id, facts.c.sentence_start).where(facts.c.status == status)
        conditions.append(tuple_(sentences.c.doc_id, sentences.c.start).in_(with_status))
    # one pass: the total rides along as a window count instead of a second scan
    base = (select(sentences.c.doc_id, sentences.c.idx, sentences.c.start, sentences.c.end, sentences.c.text,
                   docs.c.title, docs.c.region, docs.c.year, docs.c.kind, docs.c.path,
                   func.count().over().label("total"))
            .join(hits, and_(hits.c.doc_id == sentences.c.doc_id, hits.c.idx == sentences.c.idx))
            .join(docs, docs.c.id == sentences.c.doc_id)
            .where(*conditions))
    rows = [dict(r._mapping) for r in conn.execute(
        base.order_by(docs.c.year.desc(), sentences.c.doc_id, sentences.c.idx)
        .limit(per_page).offset((page - 1) * per_page))]
    total = rows[0].pop("total") if rows else _count(conn, base) if page > 1 else 0
    for row in rows:
        row.pop("total", None)
    _attach_facts(conn, rows)
    return Page(rows, total, page, per_page)


def _scanned(conn, hits: list[tuple[str, int]], page: int, per_page: int) -> Page:
    """One page of rows for hits found in memory: only that page is read from the database."""
    sentences, docs = schema.LAYER_TABLES["sentences"], schema.documents
    wanted = hits[(page - 1) * per_page : page * per_page]
    rows: list[dict] = []
    if wanted:
        query = (select(sentences.c.doc_id, sentences.c.idx, sentences.c.start, sentences.c.end, sentences.c.text,
                        docs.c.title, docs.c.region, docs.c.year, docs.c.kind, docs.c.path)
                 .join(docs, docs.c.id == sentences.c.doc_id)
                 .where(*_pairs_superset(sentences.c.doc_id, sentences.c.idx, wanted)))
        by_key = {(r.doc_id, r.idx): dict(r._mapping) for r in conn.execute(query)}
        rows = [by_key[key] for key in wanted if key in by_key]
        _attach_facts(conn, rows)
    return Page(rows, len(hits), page, per_page)


def _attach_facts(conn, rows: list[dict]) -> None:
    """Each row's figures, fetched for the whole page in one query (not one per row)."""
    facts = schema.LAYER_TABLES["facts"]
    for row in rows:
        row["facts"] = []
    if not rows:
        return
    keys = {(r["doc_id"], r["start"]): r for r in rows}
    query = (select(facts.c.doc_id, facts.c.sentence_start, facts.c.text, facts.c.start, facts.c.end, facts.c.status,
                    facts.c.indicator, facts.c.value, facts.c.unit, facts.c.period)
             .where(*_pairs_superset(facts.c.doc_id, facts.c.sentence_start, list(keys)))
             .order_by(facts.c.doc_id, facts.c.start))
    for fact in conn.execute(query):
        item = dict(fact._mapping)
        row = keys.get((item.pop("doc_id"), item.pop("sentence_start")))
        if row is not None:
            row["facts"].append(item)


def _pairs_superset(first, second, pairs: list[tuple]) -> list:
    """``first IN (…) AND second IN (…)``: a superset of the pairs that the (doc_id, …) index
    answers; SQLite scans the table for a row-value IN list. The caller keeps the exact pairs."""
    return [first.in_(sorted({a for a, _ in pairs})), second.in_(sorted({b for _, b in pairs}))]
