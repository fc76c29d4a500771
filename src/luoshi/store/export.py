"""Exports of any table (or the targets view) to CSV, Parquet, XLSX or JSONL."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from luoshi.store.db import Database, DatabaseError, Rows

FORMATS = ("csv", "parquet", "xlsx", "jsonl")
TABLES = ("documents", "sections", "sentences", "facts", "statements", "artefacts", "tasks", "entities",
          "slogans", "indicator_values", "targets")


def table_rows(db: Database, table: str) -> Rows:
    if table == "targets":
        return db.targets()
    if table not in TABLES:
        raise DatabaseError(f"unknown table {table!r}; one of {', '.join(TABLES)}")
    records = db.rows(table)
    columns = tuple(records[0]) if records else tuple(c.name for c in db_table_columns(table))
    return Rows(records, columns)


def db_table_columns(table: str):
    from luoshi.store import schema

    return schema.metadata.tables[table].columns


def export(rows: Rows, fmt: str, out: Path) -> int:
    """Write ``rows`` to ``out``; returns the number of rows written."""
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as handle:
            for record in rows.records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows.columns))
            writer.writeheader()
            writer.writerows(rows.records)
    elif fmt == "parquet":
        rows.to_pandas().to_parquet(out, index=False)
    elif fmt == "xlsx":
        rows.to_pandas().to_excel(out, index=False)
    else:
        raise DatabaseError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    return len(rows)
