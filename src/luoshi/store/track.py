"""Monitoring tables (``luoshi track``): idempotent loads with history, and the reads status needs.

A load is one transaction: the rows given are compared with the stored ones by their natural
key; a new key is inserted, an equal row is left alone, a changed row is replaced and its old
values are kept in ``track_history``. Loading the same file twice therefore changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection

from luoshi.store import schema
from luoshi.store.locks import lock_for_writing
from luoshi.store.migrations import now

# columns that record when a row was loaded, not what it holds
_BOOKKEEPING = ("loaded_at",)
# tables whose `source` is the file a row came from: the same row from another file is unchanged
_FILE_SOURCE = ("track_indicators", "track_targets", "track_projects", "track_progress")
_CHUNK = 500  # keys per lookup: SQLite binds at most 32,766 parameters per statement


@dataclass(frozen=True)
class UpsertCounts:
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    kept: int = 0  # rows not replaced because the stored row has precedence (a file over a document)


def _same(old: dict, new: dict, ignored: tuple[str, ...]) -> bool:
    for column, value in new.items():
        if column in ignored:
            continue
        stored = old.get(column)
        if isinstance(value, float) or isinstance(stored, float):
            if stored is None or value is None or abs(float(stored) - float(value)) > 1e-12 * max(1.0, abs(float(value))):
                return False
        elif stored != value:
            return False
    return True


def _stored(conn: Connection, table, key: Sequence[str], keys: list[tuple]) -> dict[tuple, dict]:
    """The stored rows with these keys. Keys are grouped by all but their last column, which is
    looked up with IN: an equality prefix and IN use the primary key on SQLite and PostgreSQL
    (a row-value IN makes SQLite scan the table for every batch)."""
    found: dict[tuple, dict] = {}
    columns = [table.c[k] for k in key]
    by_prefix: dict[tuple, list] = {}
    for k in keys:
        by_prefix.setdefault(k[:-1], []).append(k[-1])
    for prefix, lasts in by_prefix.items():
        for i in range(0, len(lasts), _CHUNK):
            condition = and_(*[c == v for c, v in zip(columns, prefix)], columns[-1].in_(lasts[i : i + _CHUNK]))
            for row in conn.execute(select(table).where(condition)).mappings():
                found[tuple(row[k] for k in key)] = dict(row)
    return found


def upsert(conn: Connection, table_name: str, rows: Iterable[dict], source: str | None,
           keep_existing=None) -> UpsertCounts:
    """Insert new rows, replace changed ones (old values to ``track_history``), leave equal ones.
    ``keep_existing(stored_row)`` true means the stored row wins and the new one is skipped."""
    table, key = schema.TRACK_TABLES[table_name], schema.TRACK_KEYS[table_name]
    rows = list(rows)
    stamp = now()
    ignored = _BOOKKEEPING + (("source",) if table_name in _FILE_SOURCE else ())
    stored = _stored(conn, table, key, [tuple(r[k] for k in key) for r in rows])
    inserts, history = [], []
    counts = {"inserted": 0, "replaced": 0, "unchanged": 0, "kept": 0}
    for row in rows:
        row_key = tuple(row[k] for k in key)
        old = stored.get(row_key)
        row = {**row, "loaded_at": stamp}
        if old is None:
            inserts.append(row)
            counts["inserted"] += 1
        elif _same(old, row, ignored):
            counts["unchanged"] += 1
        elif keep_existing is not None and keep_existing(old):
            counts["kept"] += 1
        else:
            conn.execute(update(table).where(and_(*[table.c[k] == v for k, v in zip(key, row_key)]))
                         .values({c: v for c, v in row.items() if c not in key}))
            history.append({"table_name": table_name, "row_key": json.dumps(list(row_key), ensure_ascii=False),
                            "old": json.dumps({c: old[c] for c in row if c not in key and c not in _BOOKKEEPING},
                                              ensure_ascii=False),
                            "new": json.dumps({c: row[c] for c in row if c not in key and c not in _BOOKKEEPING},
                                              ensure_ascii=False),
                            "source": source, "replaced_at": stamp})
            counts["replaced"] += 1
    for i in range(0, len(inserts), _CHUNK):
        conn.execute(insert(table), inserts[i : i + _CHUNK])
    if history:
        conn.execute(insert(schema.track_history), history)
    return UpsertCounts(**counts)


def write_rows(engine, table_name: str, rows: list[dict], source: str | None, keep_existing=None) -> UpsertCounts:
    """``upsert`` in one transaction of its own, under the write lock."""
    with engine.begin() as conn:
        lock_for_writing(conn)
        return upsert(conn, table_name, rows, source, keep_existing)


def next_position(conn: Connection, table_name: str) -> int:
    table = schema.TRACK_TABLES[table_name]
    rows = conn.execute(select(table.c.position)).scalars().all()
    return (max(rows) + 1) if rows else 0


def indicators(conn: Connection) -> list[dict]:
    t = schema.track_indicators
    return [dict(r) for r in conn.execute(select(t).order_by(t.c.position, t.c.id)).mappings()]


OBSERVATION_FIELDS = ("region", "indicator_id", "period", "period_start", "period_end", "grain", "value", "unit",
                      "source", "quote", "doc_id", "start")


def observations(conn: Connection, region: str | None, year: int, until: str | None = None) -> list[tuple]:
    """Observations of one year (ending by ``until``, an ISO date), of one region or (None) of
    every region, as tuples of ``OBSERVATION_FIELDS``: the status of a hundred regions reads
    tens of thousands of rows."""
    t = schema.track_observations
    query = select(*[t.c[f] for f in OBSERVATION_FIELDS]).where(t.c.year == year)
    if region is not None:
        query = query.where(t.c.region == region)
    if until is not None:
        query = query.where(t.c.period_end <= until)
    return [tuple(r) for r in conn.execute(query)]


def regions(conn: Connection) -> list[str]:
    """Regions with observations, projects or track targets."""
    found: set[str] = set()
    for table in (schema.track_observations, schema.track_projects, schema.track_targets):
        found.update(r for r in conn.execute(select(table.c.region).distinct()).scalars() if r)
    return sorted(found)


def has_report_targets(conn: Connection, region: str) -> bool:
    t = schema.target_outcomes
    return conn.execute(select(t.c.region).where(t.c.region == region, t.c.target_quote.is_not(None)).limit(1)).first() \
        is not None


def track_targets(conn: Connection, region: str | None, year: int) -> list[dict]:
    t = schema.track_targets
    query = select(t).where(t.c.year == year)
    if region is not None:
        query = query.where(t.c.region == region)
    return [dict(r) for r in conn.execute(query).mappings()]


def report_targets(conn: Connection, region: str | None, year: int) -> list[dict]:
    """The year's targets found in the region's reports (``target_outcomes``)."""
    t = schema.target_outcomes
    query = select(t.c.region, t.c.year, t.c.indicator_id, t.c.target_low, t.c.target_high, t.c.unit,
                   t.c.target_quote, t.c.target_doc).where(t.c.year == year, t.c.target_quote.is_not(None))
    if region is not None:
        query = query.where(t.c.region == region)
    return [dict(r) for r in conn.execute(query).mappings()]


def projects(conn: Connection, region: str | None) -> list[dict]:
    t = schema.track_projects
    query = select(t).order_by(t.c.position, t.c.project_id)
    if region is not None:
        query = query.where(t.c.region == region)
    return [dict(r) for r in conn.execute(query).mappings()]


def progress(conn: Connection, project_ids: list[str]) -> list[dict]:
    t = schema.track_progress
    out: list[dict] = []
    for i in range(0, len(project_ids), _CHUNK):
        out += [dict(r) for r in conn.execute(select(t).where(t.c.project_id.in_(project_ids[i : i + _CHUNK]))).mappings()]
    return out


def project_ids(conn: Connection) -> set[str]:
    return set(conn.execute(select(schema.track_projects.c.project_id)).scalars())


def indicator_ids(conn: Connection) -> set[str]:
    return set(conn.execute(select(schema.track_indicators.c.id)).scalars())


def history(conn: Connection, table_name: str | None = None) -> list[dict]:
    t = schema.track_history
    query = select(t).order_by(t.c.id)
    if table_name:
        query = query.where(t.c.table_name == table_name)
    return [dict(r) for r in conn.execute(query).mappings()]


def version(conn: Connection) -> tuple:
    """Changes whenever a monitoring load changes a row: a cache key for the dashboard."""
    from sqlalchemy import func

    # a load stamps every row it inserts or replaces, and replacing writes history: the latest
    # stamp (indexed) and the history's size change with every load that changes something
    parts: list = []
    for table in (schema.track_indicators, schema.track_observations, schema.track_targets, schema.track_projects,
                  schema.track_progress):
        parts.append(conn.execute(select(func.max(table.c.loaded_at))).scalar_one())
    parts.append(conn.execute(select(func.max(schema.track_history.c.id))).scalar_one())
    return tuple(parts)


def clear(conn: Connection) -> None:
    for table in (schema.track_progress, schema.track_projects, schema.track_observations, schema.track_targets,
                  schema.track_indicators, schema.track_history):
        conn.execute(delete(table))


SUB_ANNUAL_GRAINS = ("half", "quarter", "months", "month", "ten_days")


def document_figures(conn: Connection, indicator_ids: list[str]) -> list[dict]:
    """Actual figures of these indicators with a period shorter than a year, from every stored
    document, with the document's path and region and the sentence they stand in."""
    facts, docs, sentences = schema.LAYER_TABLES["facts"], schema.documents, schema.LAYER_TABLES["sentences"]
    query = (select(facts.c.doc_id, facts.c.start, facts.c.end, facts.c.text, facts.c.value, facts.c.unit,
                    facts.c.indicator_id, facts.c.region, facts.c.period_start, facts.c.period_end, facts.c.period_grain,
                    docs.c.path, docs.c.region.label("doc_region"), sentences.c.text.label("quote"))
             .join(docs, docs.c.id == facts.c.doc_id)
             .outerjoin(sentences, and_(sentences.c.doc_id == facts.c.doc_id, sentences.c.start == facts.c.sentence_start))
             .where(facts.c.status == "actual", facts.c.indicator_id.in_(indicator_ids),
                    facts.c.period_grain.in_(SUB_ANNUAL_GRAINS))
             .order_by(facts.c.doc_id, facts.c.start))
    return [dict(r) for r in conn.execute(query).mappings()]
