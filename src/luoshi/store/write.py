"""Writing documents: one transaction per document, all of its layers or nothing.

The same content analysed by the same extractor is stored once; a changed file at the same
path, or the same content analysed by another extractor, replaces the old version. Every
save or removal rewrites ``target_outcomes`` for the regions it touches, in the same
transaction, so the table always agrees with the documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection

from luoshi.model import Document
from luoshi.store import schema
from luoshi.store.locks import lock_for_writing
from luoshi.store.migrations import now
from luoshi.store.targets import refresh_targets


def save_document(conn: Connection, doc: Document | PreparedDocument, refresh: bool = True, locked: bool = False):
    """Store ``doc``; returns "ingested", "replaced" or "unchanged" — with ``refresh=False``,
    (that, the regions whose target rows the caller must rebuild) instead. ``locked``: the
    caller holds the write lock in this transaction already."""
    if not locked:
        lock_for_writing(conn)
        if conn.dialect.name == "postgresql":
            # a document's sentences go to the trigram index's pending list and are merged in bulk,
            # not one index insertion per trigram (for this transaction only: readers keep 4 MB)
            conn.execute(text("SET LOCAL gin_pending_list_limit = '64MB'"))
    docs = schema.documents
    stored = conn.execute(select(docs.c.extractor).where(docs.c.id == doc.id)).first()
    if stored and stored.extractor == doc.extractor:
        return "unchanged" if refresh else ("unchanged", set())
    old = {doc.id} if stored else set()
    if doc.path:
        old |= {r.id for r in conn.execute(select(docs.c.id).where(docs.c.path == doc.path))}
    regions = {doc.region} | remove_documents(conn, old, refresh=False)
    _insert_document(conn, doc)
    status = "replaced" if old else "ingested"
    if not refresh:
        return status, regions
    refresh_targets(conn, regions)
    return status


def remove_documents(conn: Connection, doc_ids: set[str], refresh: bool = True) -> set[str | None]:
    """Delete documents with every layer; returns the regions they were of."""
    docs = schema.documents
    if not doc_ids:
        return set()
    regions = {r.region for r in conn.execute(select(docs.c.region).where(docs.c.id.in_(sorted(doc_ids))))}
    for doc_id in doc_ids:
        if conn.dialect.name == "sqlite":  # the index's entries go first: they are found by the sentences' rowids
            conn.execute(text("INSERT INTO sentences_fts (sentences_fts, rowid, text, doc_id, idx) "
                              "SELECT 'delete', rid, text, doc_id, idx FROM sentences_fts_content WHERE doc_id = :d"),
                         {"d": doc_id})
        for table in schema.LAYER_TABLES.values():
            conn.execute(delete(table).where(table.c.doc_id == doc_id))
        conn.execute(delete(docs).where(docs.c.id == doc_id))
    if refresh:
        refresh_targets(conn, regions)
    return regions


@dataclass(frozen=True)
class PreparedDocument:
    """A document's rows, ready to insert (made where it was analysed: a worker process does
    this share of the writing, and ships plain tuples instead of records)."""

    id: str
    path: str | None
    region: str | None
    extractor: str | None
    document: dict
    layers: tuple[tuple[str, list[tuple]], ...]


def prepare_document(doc: Document) -> PreparedDocument:
    layers = []
    for name in schema.LAYER_TABLES:
        _, columns = _insert_sql(name)
        rows = [schema.to_row(doc.id, i, item) for i, item in enumerate(getattr(doc, name))]
        if name == "sentences":
            for row, span in zip(rows, doc.sentences):
                row["text"] = doc.text[span.start : span.end]
        layers.append((name, [tuple(row.get(c) for c in columns) for row in rows]))
    document = dict(id=doc.id, path=doc.path, title=doc.title, kind=doc.kind, region=doc.region, year=doc.year,
                    date=doc.date, speaker=doc.speaker, chars=len(doc.text), text=doc.text, extractor=doc.extractor)
    return PreparedDocument(doc.id, doc.path, doc.region, doc.extractor, document, tuple(layers))


def _insert_document(conn: Connection, doc: Document | PreparedDocument) -> None:
    prepared = doc if isinstance(doc, PreparedDocument) else prepare_document(doc)
    conn.execute(insert(schema.documents).values(**prepared.document, ingested_at=now()))
    sqlite = conn.dialect.name == "sqlite"
    for name, rows in prepared.layers:
        if not rows:
            continue
        sql, columns = _insert_sql(name)
        if sqlite:
            # straight to the driver: SQLAlchemy's per-row parameter building costs more than the insert
            conn.exec_driver_sql(sql, rows)
        elif conn.dialect.driver == "psycopg":
            _copy_rows(conn, name, columns, rows)
        else:
            conn.execute(insert(schema.LAYER_TABLES[name]), [dict(zip(columns, row)) for row in rows])
    if sqlite and prepared.layers and any(name == "sentences" and rows for name, rows in prepared.layers):
        conn.exec_driver_sql("INSERT INTO sentences_fts (rowid, text, doc_id, idx) "
                             "SELECT rid, text, doc_id, idx FROM sentences_fts_content WHERE doc_id = ?", (prepared.id,))


def _copy_rows(conn: Connection, table_name: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """PostgreSQL: COPY, in the same transaction (one INSERT per row costs a server round trip
    each, twenty times the time of the copy)."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {table_name} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


@lru_cache(maxsize=None)
def _insert_sql(table_name: str) -> tuple[str, tuple[str, ...]]:
    """The SQLite INSERT of a layer table (qmark parameters) and its column order."""
    table = schema.metadata.tables[table_name]
    columns = tuple(c.name for c in table.columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO {table_name} ({quoted}) VALUES ({", ".join("?" for _ in columns)})', columns
