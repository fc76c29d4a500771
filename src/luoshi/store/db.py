"""Database access: open by path or URL, migrate, write one document atomically, query."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine, create_engine, delete, event, insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from luoshi.errors import LuoshiError
from luoshi.link.targets import report_outcomes, report_targets
from luoshi.link.verdicts import COLUMNS, LEFT_RIGHT_TOLERANCE, LINK_COLUMNS, link_targets
from luoshi.model import Document
from luoshi.resources import Resources, load_resources
from luoshi.store import schema


class DatabaseError(LuoshiError):
    """The database cannot be opened, migrated or written."""

    code = "E400"


def database_url(target: str | Path) -> str:
    """``luoshi.db`` -> ``sqlite:///luoshi.db``; URLs (sqlite://, postgresql://) pass through."""
    target = str(target)
    if "://" in target:
        return target.replace("postgresql://", "postgresql+psycopg://", 1) if target.startswith("postgresql://") else target
    return f"sqlite:///{target}"


def _now() -> str:
    # microseconds: the web app's data version (count, latest ingest) must see a document
    # replaced within the same second as the previous ingest
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _create_tables(conn: Connection) -> None:
    schema.metadata.create_all(conn)


def _fulltext_index(conn: Connection) -> None:
    # Chinese has no spaces between words: trigram indexes match any substring
    if conn.dialect.name == "sqlite":
        conn.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS sentences_fts USING fts5("
            "text, doc_id UNINDEXED, idx UNINDEXED, tokenize='trigram')"
        ))
    elif conn.dialect.name == "postgresql":
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS sentences_text_trgm ON sentences USING gin (text gin_trgm_ops)"))


def _query_indexes(conn: Connection) -> None:
    # the web pages look facts up by sentence and by indicator
    conn.execute(text("CREATE INDEX IF NOT EXISTS facts_sentence ON facts (doc_id, sentence_start)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS facts_indicator ON facts (indicator_id, status)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS documents_region_year ON documents (region, year)"))


def _add_column(conn: Connection, table: str, column: str, sql_type: str) -> None:
    # a database made before the migration lacks the column; a new one has it from create_all
    if column not in {c["name"] for c in inspect(conn).get_columns(table)}:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))


def _extractor_column(conn: Connection) -> None:
    _add_column(conn, "documents", "extractor", "VARCHAR(40)")


def _slogans_and_heading_ends(conn: Connection) -> None:
    schema.slogans.create(conn, checkfirst=True)
    for table in ("sections", "statements"):
        _add_column(conn, table, "heading_end", "INTEGER")


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "create document, layer and indicator tables", _create_tables),
    (2, "full-text index over sentences (FTS5 trigram on SQLite)", _fulltext_index),
    (3, "indexes for facts by sentence and indicator, documents by region and year", _query_indexes),
    (4, "documents record which extractor analysed them", _extractor_column),
    (5, "slogans table; heading ends of sections and statements", _slogans_and_heading_ends),
)


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
        try:
            import pandas
        except ImportError as exc:
            raise DatabaseError("to_pandas() needs pandas: pip install pandas") from exc
        return pandas.DataFrame.from_records(self.records, columns=list(self.columns))


@dataclass(frozen=True)
class IngestResult:
    status: str  # "ingested", "unchanged" or "replaced"
    doc_id: str


class Database:
    """One corpus database. ``Database("luoshi.db")`` or ``Database("postgresql://…")``."""

    def __init__(self, target: str | Path = "luoshi.db", catalog: str | None = None) -> None:
        self.url = database_url(target)
        self.catalog = load_resources(catalog).catalog
        try:
            self.engine: Engine = create_engine(self.url)
        except (ArgumentError, ImportError) as exc:
            raise DatabaseError(f"{target}: cannot open database ({exc})") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate_when_free()

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
        applied: list[int] = []
        try:
            with self.engine.begin() as conn:
                _lock_for_migration(conn)
                schema.schema_migrations.create(conn, checkfirst=True)
            for version, name, step in MIGRATIONS:
                with self.engine.begin() as conn:
                    _lock_for_migration(conn)
                    done = conn.execute(select(schema.schema_migrations.c.version).where(
                        schema.schema_migrations.c.version == version)).first()
                    if done:
                        continue
                    step(conn)
                    conn.execute(insert(schema.schema_migrations).values(version=version, name=name, applied_at=_now()))
                    applied.append(version)
        except SQLAlchemyError as exc:  # locked, read-only, not a database at all
            raise DatabaseError(f"{self.url}: cannot open or migrate ({getattr(exc, 'orig', exc)})") from exc
        return applied

    def migrations(self) -> list[tuple[int, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.schema_migrations.c.version, schema.schema_migrations.c.name)
                                .order_by(schema.schema_migrations.c.version))
            return [(r.version, r.name) for r in rows]

    def has(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(schema.documents.c.id).where(schema.documents.c.id == doc_id)).first() is not None

    def write(self, doc: Document, resources: Resources) -> IngestResult:
        """Store one analysed document in one transaction: all of it or nothing.
        The same content is stored once; a changed file at the same path replaces its old version."""
        try:
            with self.engine.begin() as conn:
                docs = schema.documents
                stored = conn.execute(select(docs.c.extractor).where(docs.c.id == doc.id)).first()
                if stored and stored.extractor == resources.fingerprint:
                    return IngestResult("unchanged", doc.id)
                # the same content analysed by an older luoshi, or a changed file at the same path
                old = {doc.id} if stored else set()
                if doc.path:
                    old |= {r.id for r in conn.execute(select(docs.c.id).where(docs.c.path == doc.path))}
                for old_id in old:
                    _delete_document(conn, old_id)
                replaced = bool(old)
                _insert_document(conn, doc, resources)
                return IngestResult("replaced" if replaced else "ingested", doc.id)
        except SQLAlchemyError as exc:
            raise DatabaseError(f"{doc.path or doc.id}: cannot store ({exc})") from exc

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text(f"SELECT COUNT(*) FROM {schema.metadata.tables[table].name}")).scalar_one()

    def rows(self, table: str) -> list[dict]:
        """Every row of a table, as dicts (for exports and tests)."""
        t = schema.metadata.tables[table]
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]

    def indicator_values(self) -> list[dict]:
        iv, docs, facts = schema.indicator_values, schema.documents, schema.facts
        query = (select(iv, docs.c.path, docs.c.year.label("doc_year"), facts.c.start.label("fact_start"))
                 .join(docs, docs.c.id == iv.c.doc_id)
                 .outerjoin(facts, (facts.c.doc_id == iv.c.doc_id) & (facts.c.idx == iv.c.fact_idx)))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def report_years(self) -> dict[str | None, set[int]]:
        docs = schema.documents
        query = select(docs.c.region, docs.c.year).where(docs.c.kind == "report", docs.c.year.is_not(None))
        years: dict[str | None, set[int]] = {}
        with self.engine.connect() as conn:
            for region, year in conn.execute(query):
                years.setdefault(region, set()).add(year)
        return years

    def targets(self, region: str | None = None, indicator: str | None = None, year_from: int | None = None,
                year_to: int | None = None, tolerance: float = LEFT_RIGHT_TOLERANCE, links: bool = False) -> "Rows":
        """The target ↔ outcome table (DESIGN's contract columns), filtered; ``links`` adds where
        each quote is (document id and figure offset)."""
        rows = link_targets(self.indicator_values(), self.report_years(), self.catalog, tolerance)
        keep = [r for r in rows
                if (region is None or r.region == region) and (indicator is None or r.indicator_id == indicator)
                and (year_from is None or r.year >= year_from) and (year_to is None or r.year <= year_to)]
        columns = COLUMNS + (LINK_COLUMNS if links else ())
        return Rows([r.as_dict(links) for r in keep], columns)

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
                conn.execute(text("DROP TABLE IF EXISTS sentences_fts"))
            schema.metadata.drop_all(conn)


# Any number 64-bit wide; it only has to be the same in every luoshi process.
_PG_MIGRATION_LOCK = 0x6C756F736869


def _lock_for_migration(conn: Connection) -> None:
    """Serialise migrations across processes (an ingest and a reader opening the same database
    at once): without it both see a migration missing and the second one's record collides."""
    if conn.dialect.name == "sqlite":
        # pysqlite opens transactions lazily; taking the write lock now makes check-then-apply atomic
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # busy_timeout first: switching to WAL itself waits for a lock another process may hold
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _delete_document(conn: Connection, doc_id: str) -> None:
    for table in list(schema.LAYER_TABLES.values()) + [schema.indicator_values]:
        conn.execute(delete(table).where(table.c.doc_id == doc_id))
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM sentences_fts WHERE doc_id = :d"), {"d": doc_id})
    conn.execute(delete(schema.documents).where(schema.documents.c.id == doc_id))


def _insert_document(conn: Connection, doc: Document, resources: Resources) -> None:
    conn.execute(insert(schema.documents).values(
        id=doc.id, path=doc.path, title=doc.title, kind=doc.kind, region=doc.region, year=doc.year,
        date=doc.date, speaker=doc.speaker, chars=len(doc.text), text=doc.text, ingested_at=_now(),
        extractor=resources.fingerprint,
    ))
    for name, rows in _layer_rows(doc).items():
        if rows:
            conn.execute(insert(schema.LAYER_TABLES[name]), rows)
    if conn.dialect.name == "sqlite" and doc.sentences:
        conn.execute(text("INSERT INTO sentences_fts (text, doc_id, idx) VALUES (:text, :doc_id, :idx)"),
                     [{"text": doc.text[s.start : s.end], "doc_id": doc.id, "idx": i} for i, s in enumerate(doc.sentences)])
    values = _indicator_rows(doc, resources)
    if values:
        conn.execute(insert(schema.indicator_values), values)


def _layer_rows(doc: Document) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for name in schema.LAYER_TABLES:
        rows = []
        for i, item in enumerate(getattr(doc, name)):
            row = {"doc_id": doc.id, "idx": i, **item.to_dict()}
            if name == "sentences":
                row["text"] = doc.text[item.start : item.end]
            if name == "sections":
                row["tags"] = json.dumps(list(item.tags), ensure_ascii=False)
            if name == "facts":
                row["sentence_start"], row["sentence_end"] = row.pop("sentence")
            rows.append(row)
        out[name] = rows
    return out


def _indicator_rows(doc: Document, resources: Resources) -> list[dict]:
    if doc.kind != "report":
        return []
    fact_index = {id(f): i for i, f in enumerate(doc.facts)}
    rows = []
    for role, values in (("target", report_targets(doc, resources)), ("outcome", report_outcomes(doc, resources))):
        for v in values:
            rows.append({
                "doc_id": doc.id, "role": role, "indicator_id": v.indicator_id, "region": doc.region, "year": v.year,
                "low": v.low, "high": v.high, "unit": v.unit, "qualifier": v.qualifier, "quote": v.quote,
                "fact_idx": fact_index.get(id(v.fact)),
            })
    return rows


def open_database(target: str | Path = "luoshi.db") -> Database:
    """The library entry point: ``luoshi.open("luoshi.db")``."""
    return Database(target)
