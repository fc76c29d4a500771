"""Tables (SQLAlchemy Core, the same for SQLite and PostgreSQL) and named migrations.

Every layer of the document model has a table keyed by (doc_id, idx); spans keep their
half-open [start, end) offsets into ``documents.text``. Derived per-document rows
(``indicator_values``: a report's own targets and last year's outcomes) are written at
ingest so that linking needs no re-extraction.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()


def _layer(name: str, *columns: Column) -> Table:
    return Table(
        name,
        metadata,
        Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        Column("idx", Integer, primary_key=True),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        *columns,
    )


schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
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
    Column("extractor", String(40)),  # resources.fingerprint of the analysis (migration 4)
)

sections = _layer(
    "sections",
    Column("heading", Text), Column("level", Integer), Column("keyword", Text), Column("tags", Text), Column("part", String(10)),
    Column("heading_end", Integer),  # migration 5
)
sentences = _layer("sentences", Column("text", Text, nullable=False))
artefacts = _layer("artefacts", Column("type", String(30)), Column("text", Text))
statements = _layer("statements", Column("speaker", Text), Column("role", Text), Column("headline", Text),
                    Column("heading_end", Integer))  # heading_end: migration 5
tasks = _layer("tasks", Column("text", Text), Column("object", Text), Column("keyword", Text), Column("region", Text), Column("deadline", Text))
entities = _layer("entities", Column("text", Text), Column("type", String(20)))
slogans = _layer("slogans", Column("text", Text), Column("count", Integer))  # migration 5
facts = _layer(
    "facts",
    Column("text", Text, nullable=False),
    Column("value", Float), Column("value_max", Float), Column("unit", String(40)),
    Column("value_base", Float), Column("base_unit", String(40)), Column("qualifier", String(20)),
    Column("kind", String(20)), Column("status", String(10)), Column("period", String(10)),
    Column("indicator", Text), Column("indicator_id", String(60)), Column("region", String(40)),
    Column("sentence_start", Integer), Column("sentence_end", Integer),
)
indicator_values = Table(
    "indicator_values",
    metadata,
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(10), primary_key=True),  # "target" or "outcome"
    Column("indicator_id", String(60), primary_key=True),
    Column("region", String(40)),
    Column("year", Integer, nullable=False),
    Column("low", Float), Column("high", Float), Column("unit", String(20)), Column("qualifier", String(20)),
    Column("quote", Text), Column("fact_idx", Integer),
)

LAYER_TABLES = {
    "sections": sections,
    "sentences": sentences,
    "artefacts": artefacts,
    "statements": statements,
    "tasks": tasks,
    "entities": entities,
    "slogans": slogans,
    "facts": facts,
}
