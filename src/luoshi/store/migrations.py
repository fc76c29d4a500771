"""Schema migrations: named, numbered, each in its own transaction and recorded; then the
model sync that creates the layer tables and columns the model has and the database lacks.

Migrations run under a lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL):
an ingest and a reader opening a new database at the same moment must not both apply one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import Engine, insert, inspect, select, text
from sqlalchemy.engine import Connection

from luoshi.store import schema
from luoshi.store.locks import lock_for_writing
from luoshi.store.targets import refresh_targets


def now() -> str:
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


def _columns(conn: Connection, table: str) -> set[str]:
    return {c["name"] for c in inspect(conn).get_columns(table)}


def _add_column(conn: Connection, table: str, column: str, sql_type: str) -> None:
    # a database made before the migration lacks the column; a new one has it from create_all
    if column not in _columns(conn, table):
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))


def _extractor_column(conn: Connection) -> None:
    _add_column(conn, "documents", "extractor", "VARCHAR(40)")


def _slogans_and_heading_ends(conn: Connection) -> None:
    schema.LAYER_TABLES["slogans"].create(conn, checkfirst=True)
    for table in ("sections", "statements"):
        _add_column(conn, table, "heading_end", "INTEGER")


def _indicator_values_layer(conn: Connection) -> None:
    """indicator_values was one row per (document, role, indicator) with a fact index; it is now
    the document's layer (doc_id, idx, span, sentence). Old rows move over, their spans read
    from the facts they point at."""
    if "fact_idx" not in _columns(conn, "indicator_values"):
        return  # made by migration 1 in the layer's shape
    old = conn.execute(text(
        'SELECT v.doc_id, v.role, v.indicator_id, v.year, v.low, v.high, v.unit, v.qualifier, f.start, f."end", '
        "f.sentence_start, f.sentence_end FROM indicator_values v JOIN facts f ON f.doc_id = v.doc_id AND f.idx = v.fact_idx"
    )).mappings().all()
    # ordered here, not in SQL: the layer's order must not depend on the server's collation
    old = sorted(old, key=lambda r: (r["doc_id"], r["role"] != "target", r["indicator_id"]))
    conn.execute(text("DROP TABLE indicator_values"))
    schema.LAYER_TABLES["indicator_values"].create(conn)
    counter: dict[str, int] = {}
    rows = []
    for row in old:  # the layer's order: targets, then outcomes, each by indicator id
        idx = counter[row["doc_id"]] = counter.get(row["doc_id"], -1) + 1
        rows.append({**row, "idx": idx})
    if rows:
        conn.execute(insert(schema.LAYER_TABLES["indicator_values"]), rows)


def _target_outcomes(conn: Connection) -> None:
    schema.target_outcomes.create(conn, checkfirst=True)
    # one row per (region, year, indicator), a region without a name included
    conn.execute(text("CREATE UNIQUE INDEX IF NOT EXISTS target_outcomes_key "
                      "ON target_outcomes ((COALESCE(region, '')), indicator_id, year)"))
    # the quote of a target or an outcome is the sentence its figure stands in
    conn.execute(text("CREATE INDEX IF NOT EXISTS sentences_start ON sentences (doc_id, start)"))
    regions = {r[0] for r in conn.execute(select(schema.documents.c.region).distinct())}
    refresh_targets(conn, regions)


def _track_tables(conn: Connection) -> None:
    for table in schema.TRACK_TABLES.values():
        table.create(conn, checkfirst=True)
    # status reads one region's year; the history is read per table and key
    conn.execute(text("CREATE INDEX IF NOT EXISTS track_observations_year ON track_observations (region, year)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS track_projects_region ON track_projects (region)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS track_history_key ON track_history (table_name, row_key)"))
    # the dashboard's cache key is the latest load's time in each table
    for table in ("track_indicators", "track_observations", "track_targets", "track_projects", "track_progress"):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {table}_loaded ON {table} (loaded_at)"))


def _document_path_index(conn: Connection) -> None:
    # a save looks up the earlier version of the same file by path: without an index that reads
    # every stored text (the documents table holds them), seconds per save in a large corpus
    conn.execute(text("CREATE INDEX IF NOT EXISTS documents_path ON documents (path)"))
    # the web app's data version is the latest ingest time: read from the index, not from rows
    # whose texts come before that column
    conn.execute(text("CREATE INDEX IF NOT EXISTS documents_ingested ON documents (ingested_at)"))


def _short_query_index(conn: Connection) -> None:
    """The trigram index becomes an external-content index over ``sentences`` (the text is
    stored once; a document's entries are found by its sentences' rowids, so removing one no
    longer scans the index), each sentence indexed with ``schema.FTS_SENTINEL`` at its end, and
    the index's vocabulary becomes a table: a one- or two-character query is answered by the
    trigrams that start with it (``read._short_terms``)."""
    if conn.dialect.name != "sqlite":
        return
    conn.execute(text("DROP TABLE IF EXISTS sentences_fts_terms"))
    conn.execute(text("DROP TABLE IF EXISTS sentences_fts"))
    # the index's content is a view of the sentences with the sentinel, so that what is indexed
    # and what FTS5 reads back (its integrity check, a 'delete') are the same text
    sentinel = ", ".join(str(ord(c)) for c in schema.FTS_SENTINEL)
    conn.execute(text("CREATE VIEW IF NOT EXISTS sentences_fts_content AS "
                      f"SELECT rowid AS rid, text || char({sentinel}) AS text, doc_id, idx FROM sentences"))
    conn.execute(text(
        "CREATE VIRTUAL TABLE sentences_fts USING fts5(text, doc_id UNINDEXED, idx UNINDEXED, "
        "tokenize='trigram', content='sentences_fts_content', content_rowid='rid')"))
    conn.execute(text("INSERT INTO sentences_fts (rowid, text, doc_id, idx) "
                      "SELECT rid, text, doc_id, idx FROM sentences_fts_content"))
    conn.execute(text("CREATE VIRTUAL TABLE sentences_fts_terms USING fts5vocab(sentences_fts, 'row')"))


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "create document, layer and indicator tables", _create_tables),
    (2, "full-text index over sentences (FTS5 trigram on SQLite)", _fulltext_index),
    (3, "indexes for facts by sentence and indicator, documents by region and year", _query_indexes),
    (4, "documents record which extractor analysed them", _extractor_column),
    (5, "slogans table; heading ends of sections and statements", _slogans_and_heading_ends),
    (6, "indicator values become a document layer with spans", _indicator_values_layer),
    (7, "target_outcomes: each year's target and its outcome, maintained on write", _target_outcomes),
    (8, "monitoring: indicators, observations, targets, projects, progress and their history", _track_tables),
    (9, "index documents by path and by ingest time", _document_path_index),
    (10, "one- and two-character search from the trigram index", _short_query_index),
)

def migrate(engine: Engine) -> list[int]:
    """Apply the migrations not yet recorded, then sync the model; returns the versions applied."""
    applied: list[int] = []
    with engine.begin() as conn:
        lock_for_writing(conn)
        schema.schema_migrations.create(conn, checkfirst=True)
        schema.schema_changes.create(conn, checkfirst=True)
    for version, name, step in MIGRATIONS:
        with engine.begin() as conn:
            lock_for_writing(conn)
            done = conn.execute(select(schema.schema_migrations.c.version).where(
                schema.schema_migrations.c.version == version)).first()
            if done:
                continue
            step(conn)
            conn.execute(insert(schema.schema_migrations).values(version=version, name=name, applied_at=now()))
            applied.append(version)
    with engine.begin() as conn:
        lock_for_writing(conn)
        sync_model(conn)
    return applied


def sync_model(conn: Connection) -> list[str]:
    """Create the layer tables and add the columns the model has and the database lacks
    (a new layer, a new field), recording each change in ``schema_changes``."""
    existing = set(inspect(conn).get_table_names())
    changes = []
    for name, table in schema.LAYER_TABLES.items():
        if name not in existing:
            table.create(conn)
            changes.append(f"create table {name}")
            continue
        have = _columns(conn, name)
        for column in table.columns:
            if column.name not in have:
                # nullable whatever the model says: the rows already stored have no value for it
                quoted = conn.dialect.identifier_preparer.quote(column.name)
                conn.execute(text(f"ALTER TABLE {name} ADD COLUMN {quoted} {column.type.compile(dialect=conn.dialect)}"))
                changes.append(f"add column {name}.{column.name}")
    for change in changes:
        conn.execute(insert(schema.schema_changes).values(change=change, applied_at=now()))
    return changes
