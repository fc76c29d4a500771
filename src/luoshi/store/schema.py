"""Tables (SQLAlchemy Core, the same for SQLite and PostgreSQL), made from the document model.

Every layer of ``model.LAYERS`` has a table keyed by (doc_id, idx) whose columns are the
record's fields: ``start``/``end`` keep the half-open span, a ``tuple[int, int]`` field X
becomes X_start and X_end, a ``tuple[str, ...]`` a JSON list, scalars their SQL type. A new
layer or field needs no code here: ``store.migrations.sync_model`` creates what the database
lacks. ``to_row``/``from_row`` convert records both ways, so every layer round-trips.

``target_outcomes`` is derived: per (region, year, indicator) the year's own target and its
first later outcome, kept up to date whenever a document is saved or removed.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table, Text

from luoshi.model import LAYERS

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("applied_at", String(40), nullable=False),
)

# what sync_model did to bring an older database up to the model (a layer table, a column)
schema_changes = Table(
    "schema_changes",
    metadata,
    Column("change", String(200), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("path", Text),
    Column("title", Text),
    Column("kind", String(20)),
    Column("region", String(40)),
    Column("year", Integer),
    Column("date", String(20)),
    Column("speaker", String(80)),
    Column("chars", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(40), nullable=False),
    Column("extractor", String(40)),  # Document.extractor (migration 4)
)

# appended to each sentence in the full-text index (never shown, never in a query): every
# occurrence of a one- or two-character query is then the start of some indexed trigram, so
# short queries are answered from the index's vocabulary (``read._short_terms``)
FTS_SENTINEL = "\ue000\ue000"

# columns a layer table holds besides its record's fields: the sentence text, for search
DERIVED_COLUMNS = {"sentences": ("text",)}

SPAN, PAIR, STRINGS, SCALAR = "span", "pair", "strings", "scalar"
_SQL_TYPES = {int: Integer, float: Float, str: Text, bool: Boolean}


@lru_cache(maxsize=None)
def field_layout(record_type: type) -> tuple[tuple[str, str, Any, bool], ...]:
    """(field, how it is stored, its Python type, nullable) for each field of a layer record."""
    hints = typing.get_type_hints(record_type)
    out = []
    for f in dataclasses.fields(record_type):
        kind = hints[f.name]
        args = typing.get_args(kind)
        nullable = type(None) in args
        if nullable:
            kind = next(a for a in args if a is not type(None))
        if f.name in ("start", "end"):
            out.append((f.name, SPAN, int, False))
        elif kind == tuple[int, int]:
            out.append((f.name, PAIR, int, nullable))
        elif kind == tuple[str, ...]:
            out.append((f.name, STRINGS, str, nullable))
        elif kind in _SQL_TYPES:
            out.append((f.name, SCALAR, kind, nullable))
        else:
            raise TypeError(f"{record_type.__name__}.{f.name}: no column type for {kind!r}")
    return tuple(out)


def layer_columns(name: str, record_type: type) -> list[Column]:
    columns = []
    for field, how, kind, nullable in field_layout(record_type):
        if how == SPAN:
            continue
        if how == PAIR:
            columns += [Column(f"{field}_start", Integer, nullable=nullable), Column(f"{field}_end", Integer, nullable=nullable)]
        elif how == STRINGS:
            columns.append(Column(field, Text, nullable=nullable))
        else:
            columns.append(Column(field, _SQL_TYPES[kind], nullable=nullable))
    return columns + [Column(extra, Text, nullable=False) for extra in DERIVED_COLUMNS.get(name, ())]


def _layer_table(name: str, record_type: type) -> Table:
    return Table(
        name,
        metadata,
        Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        Column("idx", Integer, primary_key=True),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        *layer_columns(name, record_type),
    )


LAYER_TABLES: dict[str, Table] = {name: _layer_table(name, record_type) for name, record_type in LAYERS.items()}

target_outcomes = Table(
    "target_outcomes",
    metadata,
    Column("region", String(40)),
    Column("year", Integer, nullable=False),
    Column("indicator_id", String(60), nullable=False),
    Column("target_low", Float), Column("target_high", Float), Column("unit", Text), Column("qualifier", Text),
    Column("target_quote", Text), Column("target_doc", Text), Column("target_doc_id", String(32)),
    Column("target_start", Integer),
    Column("outcome_value", Float), Column("outcome_unit", Text), Column("outcome_qualifier", Text),
    Column("outcome_quote", Text), Column("outcome_doc", Text), Column("outcome_doc_id", String(32)),
    Column("outcome_start", Integer),
    # the region has a report of that year / of a later year: what a missing target or outcome means
    Column("year_reported", Boolean, nullable=False),
    Column("later_reported", Boolean, nullable=False),
)


def to_row(doc_id: str, idx: int, record: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"doc_id": doc_id, "idx": idx}
    for field, how, _, _ in field_layout(type(record)):
        value = getattr(record, field)
        if how == PAIR:
            row[f"{field}_start"], row[f"{field}_end"] = value if value is not None else (None, None)
        elif how == STRINGS:
            row[field] = None if value is None else json.dumps(list(value), ensure_ascii=False)
        else:
            row[field] = value
    return row


def from_row(record_type: type, row: Any) -> Any:
    values = {}
    for field, how, kind, _ in field_layout(record_type):
        if how == PAIR:
            start, end = row[f"{field}_start"], row[f"{field}_end"]
            values[field] = None if start is None else (start, end)
        elif how == STRINGS:
            values[field] = None if row[field] is None else tuple(json.loads(row[field]))
        elif kind is float and row[field] is not None:
            values[field] = float(row[field])  # an integral REAL comes back from SQLite as int
        else:
            values[field] = row[field]
    return record_type(**values)


# ---------------------------------------------------------------- monitoring (luoshi track)
# Loaded from the analysts' files, not derived from documents. Each table has a natural key;
# a load replaces a changed row and keeps the old values in track_history.

track_indicators = Table(
    "track_indicators",
    metadata,
    Column("id", String(60), primary_key=True),
    Column("name", Text, nullable=False), Column("domain", Text, nullable=False), Column("unit", Text, nullable=False),
    Column("kind", String(20), nullable=False), Column("direction", String(10), nullable=False),
    Column("frequency", String(20), nullable=False), Column("unit_in_charge", Text),
    Column("ahead", Float), Column("tolerance", Float), Column("alert", Float),
    Column("position", Integer, nullable=False),  # order in the catalog file: the sheets keep it
    Column("source", Text), Column("loaded_at", String(40), nullable=False),
)

track_observations = Table(
    "track_observations",
    metadata,
    Column("region", String(40), primary_key=True),
    Column("indicator_id", String(60), primary_key=True),
    Column("period", String(40), primary_key=True),  # canonical label: 2024-05, 2024-01..2024-05, 2024Q2 …
    Column("year", Integer, nullable=False), Column("period_start", String(10), nullable=False),
    Column("period_end", String(10), nullable=False), Column("grain", String(20), nullable=False),
    Column("value", Float, nullable=False), Column("unit", Text),
    Column("source", Text),
    # an observation taken from a stored document (load --from-db) keeps its quote
    Column("doc_id", String(32)), Column("start", Integer), Column("end", Integer), Column("quote", Text),
    Column("loaded_at", String(40), nullable=False),
)

track_targets = Table(
    "track_targets",
    metadata,
    Column("region", String(40), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("indicator_id", String(60), primary_key=True),
    Column("target_low", Float), Column("target_high", Float), Column("unit", Text),
    Column("source", Text), Column("loaded_at", String(40), nullable=False),
)

track_projects = Table(
    "track_projects",
    metadata,
    Column("project_id", String(60), primary_key=True),
    Column("name", Text, nullable=False), Column("region", String(40), nullable=False),
    Column("unit_in_charge", Text), Column("leader", Text), Column("batch", String(20)),
    Column("planned_investment", Float, nullable=False), Column("unit", Text, nullable=False),
    Column("start", String(10), nullable=False), Column("finish", String(10), nullable=False),
    Column("position", Integer, nullable=False),
    Column("source", Text), Column("loaded_at", String(40), nullable=False),
)

track_progress = Table(
    "track_progress",
    metadata,
    Column("project_id", String(60), ForeignKey("track_projects.project_id", ondelete="CASCADE"), primary_key=True),
    Column("period", String(40), primary_key=True),
    Column("period_start", String(10), nullable=False), Column("period_end", String(10), nullable=False),
    Column("completed_investment", Float, nullable=False), Column("milestone", Text),
    Column("source", Text), Column("loaded_at", String(40), nullable=False),
)

# the values a load replaced: which table, the row's key, old and new values (JSON)
track_history = Table(
    "track_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("table_name", String(40), nullable=False),
    Column("row_key", Text, nullable=False),
    Column("old", Text, nullable=False), Column("new", Text, nullable=False),
    Column("source", Text), Column("replaced_at", String(40), nullable=False),
)

TRACK_TABLES = {t.name: t for t in (track_indicators, track_observations, track_targets, track_projects,
                                    track_progress, track_history)}
TRACK_KEYS = {"track_indicators": ("id",), "track_observations": ("region", "indicator_id", "period"),
              "track_targets": ("region", "year", "indicator_id"), "track_projects": ("project_id",),
              "track_progress": ("project_id", "period")}
