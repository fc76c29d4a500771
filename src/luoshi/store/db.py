"""The corpus database: open by path or URL, migrate, save and load documents, query.

``Database`` is the one entry point to the store: writing (``save``, ``remove``) goes
through ``store/write.py``, reading (``load``, ``documents``, ``facts``, ``search``,
``target_outcomes``) through ``store/read.py`` and ``store/targets.py``, each on a
connection the facade opens.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from luoshi.errors import DatabaseError
from luoshi.model import Document
from luoshi.store import read, schema
from luoshi.store.locks import lock_for_writing
from luoshi.store.migrations import migrate
from luoshi.store.read import Page, Rows
from luoshi.store.scan import RowidScanner, SentenceScanner
from luoshi.store.targets import read_targets, refresh_targets
from luoshi.store.write import remove_documents, save_document

__all__ = ["Database", "DatabaseError", "Page", "Rows", "SaveResult", "database_url", "open_database"]


def database_url(target: str | Path) -> str:
    """``luoshi.db`` -> ``sqlite:///luoshi.db``; URLs (sqlite://, postgresql://) pass through."""
    target = str(target)
    if "://" in target:
        return target.replace("postgresql://", "postgresql+psycopg://", 1) if target.startswith("postgresql://") else target
    return f"sqlite:///{target}"


@dataclass(frozen=True)
class SaveResult:
    status: str  # "ingested", "unchanged" or "replaced"
    doc_id: str


class Database:
    """One corpus database. ``Database("luoshi.db")`` or ``Database("postgresql://…")``;
    a new SQLite file is created (``Database.existing`` refuses to)."""

    def __init__(self, target: str | Path = "luoshi.db") -> None:
        self.url = database_url(target)
        try:
            self.engine: Engine = create_engine(self.url)
        except (ArgumentError, ImportError) as exc:
            raise DatabaseError(f"{target}: cannot open database ({exc})") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate_when_free()

    @classmethod
    def existing(cls, target: str | Path) -> "Database":
        """A database to read: a URL, or a non-empty file (not a folder, not "")."""
        target = str(target)
        if "://" not in target:
            path = Path(target)
            try:
                found = bool(target) and path.is_file() and path.stat().st_size > 0
            except OSError as exc:  # a name too long for the file system
                raise DatabaseError(f"{target}: {exc.strerror or exc}") from exc
            if not found:
                raise DatabaseError(f"{target or '(empty path)'}: no such database; run `luoshi ingest` first")
        return cls(target)

    def _migrate_when_free(self, attempts: int = 6) -> None:
        # SQLite can answer "database is locked" at once, without waiting for busy_timeout,
        # while another process is switching a brand-new file to WAL: try again shortly
        for attempt in range(attempts):
            try:
                self.migrate()
                return
            except DatabaseError as exc:
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def migrate(self) -> list[int]:
        """Apply the migrations not yet recorded; each runs in its own transaction."""
        try:
            return migrate(self.engine)
        except SQLAlchemyError as exc:  # locked, read-only, not a database at all
            raise DatabaseError(f"{self.url}: cannot open or migrate ({getattr(exc, 'orig', exc)})") from exc

    def migrations(self) -> list[tuple[int, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.schema_migrations.c.version, schema.schema_migrations.c.name)
                                .order_by(schema.schema_migrations.c.version))
            return [(r.version, r.name) for r in rows]

    # ---------------------------------------------------------------- writing

    def save(self, doc: Document) -> SaveResult:
        """Store one analysed document in one transaction: all of it or nothing."""
        try:
            with self.engine.begin() as conn:
                return SaveResult(save_document(conn, doc), doc.id)
        except SQLAlchemyError as exc:
            raise DatabaseError(f"{doc.path or doc.id}: cannot store ({exc})") from exc

    def save_many(self, docs: list) -> list[SaveResult | DatabaseError]:
        """Store several documents (``Document`` or ``store.write.PreparedDocument``) in one
        transaction (each whole; the regions' target rows rebuilt once). If the batch fails, each document is saved on its own, so only the one
        that cannot be stored is reported (as its DatabaseError, in its place)."""
        if len(docs) <= 1:
            return [self._save_or_error(doc) for doc in docs]
        try:
            with self.engine.begin() as conn:
                lock_for_writing(conn)
                if conn.dialect.name == "postgresql":  # see store.write.save_document
                    conn.execute(text("SET LOCAL gin_pending_list_limit = '64MB'"))
                statuses, regions = [], set()
                for doc in docs:
                    status, touched = save_document(conn, doc, refresh=False, locked=True)
                    statuses.append(status)
                    regions |= touched
                refresh_targets(conn, regions)
            return [SaveResult(status, doc.id) for status, doc in zip(statuses, docs)]
        except SQLAlchemyError:
            return [self._save_or_error(doc) for doc in docs]

    def _save_or_error(self, doc: Document) -> SaveResult | DatabaseError:
        try:
            return self.save(doc)
        except DatabaseError as exc:
            return exc

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the database file and empty it (after a batch)."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def remove(self, doc_ids: set[str]) -> None:
        """Delete documents with every layer (and their regions' target rows)."""
        try:
            with self.engine.begin() as conn:
                lock_for_writing(conn)  # the region's target rows are rebuilt: one writer at a time
                remove_documents(conn, set(doc_ids))
        except SQLAlchemyError as exc:
            raise DatabaseError(f"{self.url}: cannot remove documents ({exc})") from exc

    # ---------------------------------------------------------------- reading

    def load(self, doc_id: str) -> Document | None:
        """The stored document with every layer, equal to the one saved; None for an unknown id."""
        with self.engine.connect() as conn:
            return read.load_document(conn, doc_id)

    def has(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(schema.documents.c.id).where(schema.documents.c.id == doc_id)).first() is not None

    def documents(self, region: str | None = None, year: int | None = None, kind: str | None = None,
                  page: int = 1, per_page: int = 50) -> Page:
        with self.engine.connect() as conn:
            return read.list_documents(conn, region, year, kind, page, per_page)

    def overview(self) -> list[dict]:
        """Documents counted by region, kind and year."""
        with self.engine.connect() as conn:
            return read.corpus_overview(conn)

    def facts(self, doc: str | None = None, indicator: str | None = None, status: str | None = None,
              period: str | None = None, region: str | None = None, page: int = 1, per_page: int = 50) -> Page:
        with self.engine.connect() as conn:
            return read.list_facts(conn, doc, indicator, status, period, region, page, per_page)

    def search(self, query: str, region: str | None = None, year: int | None = None, kind: str | None = None,
               status: str | None = None, page: int = 1, per_page: int = 20,
               scanner: SentenceScanner | None = None) -> Page:
        """Sentences containing ``query`` (any substring), newest first, with their figures;
        ``scanner`` answers queries shorter than a trigram from memory."""
        with self.engine.connect() as conn:
            return read.search(conn, query, region, year, kind, status, page, per_page, scanner)

    def scanner(self) -> SentenceScanner | RowidScanner | None:
        """What answers searches from memory: the corpus itself for short queries while it is
        small, else (SQLite) the documents' sentence ranges over the index's rowids."""
        with self.engine.connect() as conn:
            return SentenceScanner.load(conn) or RowidScanner.load(conn)

    def target_outcomes(self, region: str | None = None, indicator: str | None = None,
                        year_from: int | None = None, year_to: int | None = None) -> list[dict]:
        """Each year's target and its outcome per (region, year, indicator), unjudged
        (``luoshi.link.verdicts.targets`` gives verdicts)."""
        with self.engine.connect() as conn:
            return read_targets(conn, region, indicator, year_from, year_to)

    def stale(self, extractor: str) -> int:
        """How many documents another extractor (an older luoshi, another catalog) analysed."""
        docs = schema.documents
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(docs).where(
                (docs.c.extractor != extractor) | docs.c.extractor.is_(None))).scalar_one()

    def data_version(self) -> tuple:
        """Changes whenever a document is added or replaced: a cache key for derived pages."""
        with self.engine.connect() as conn:
            return read.data_version(conn)

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text(f"SELECT COUNT(*) FROM {schema.metadata.tables[table].name}")).scalar_one()

    def rows(self, table: str) -> Rows:
        """Every row of a table, in key order (exports and tests)."""
        if table not in schema.metadata.tables:
            raise DatabaseError(f"unknown table {table!r}; one of {', '.join(sorted(schema.metadata.tables))}")
        t = schema.metadata.tables[table]
        order = list(t.primary_key.columns) or list(t.columns)
        with self.engine.connect() as conn:
            records = [dict(r._mapping) for r in conn.execute(select(t).order_by(*order))]
        return Rows(records, tuple(c.name for c in t.columns))

    def integrity_ok(self) -> bool:
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                return conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
            return True

    def close(self) -> None:
        self.engine.dispose()

    def drop_all(self) -> None:
        """Remove every luoshi table (tests and `--reset`); the next Database() migrates anew."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.execute(text("DROP TABLE IF EXISTS sentences_fts_terms"))
                conn.execute(text("DROP TABLE IF EXISTS sentences_fts"))
                conn.execute(text("DROP VIEW IF EXISTS sentences_fts_content"))
            schema.metadata.drop_all(conn)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # busy_timeout first: switching to WAL itself waits for a lock another process may hold
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    # in WAL mode NORMAL still commits atomically and never corrupts; it skips the fsync per
    # commit (a power cut may lose the last commits, not half of one)
    cursor.execute("PRAGMA synchronous=NORMAL")
    # copy the log into the database every 50,000 pages (200 MB), not every 1,000: a large ingest
    # rewrites the same index pages again and again, and each checkpoint writes them once
    cursor.execute("PRAGMA wal_autocheckpoint=50000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_database(target: str | Path = "luoshi.db") -> Database:
    """The library entry point: ``luoshi.open("luoshi.db")``."""
    return Database(target)
