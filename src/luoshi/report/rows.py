"""Rows (a query's records with their columns) written as a table, CSV, JSON, JSONL, Parquet
or XLSX — for the terminal and for files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from luoshi.errors import LuoshiError
from luoshi.link.verdicts import targets
from luoshi.resources import Catalog
from luoshi.store.db import Database, Rows

FILE_FORMATS = ("csv", "parquet", "xlsx", "jsonl")
EXPORT_TABLES = ("documents", "sections", "paragraphs", "sentences", "facts", "indicator_values", "statements",
                 "artefacts", "tasks", "entities", "slogans", "targets")
TABLE_SHOWN = ("region", "year", "indicator_id", "target_low", "target_high", "qualifier", "outcome_value", "verdict")


class ExportError(LuoshiError):
    """An export cannot be written (unknown table or format, a file that cannot be opened)."""

    code = "E500"


def table_rows(db: Database, table: str, catalog: Catalog) -> Rows:
    """The rows of a stored table, or of the judged targets view (``targets``)."""
    if table == "targets":
        return targets(db, catalog)
    if table not in EXPORT_TABLES:
        raise ExportError(f"unknown table {table!r}; one of {', '.join(EXPORT_TABLES)}")
    return db.rows(table)


def write_rows(rows: Rows, fmt: str, out: Path) -> int:
    """Write ``rows`` to ``out``; returns the number of rows written."""
    try:
        if fmt == "jsonl":
            out.write_text(as_jsonl(rows), encoding="utf-8")
        elif fmt == "csv":
            out.write_text(as_csv(rows, lineterminator="\r\n"), encoding="utf-8", newline="")
        elif fmt == "parquet":
            rows.to_pandas().to_parquet(out, index=False)
        elif fmt == "xlsx":
            rows.to_pandas().to_excel(out, index=False)
        else:
            raise ExportError(f"unknown export format {fmt!r}; one of {', '.join(FILE_FORMATS)}")
    except OSError as exc:
        raise ExportError(f"{out}: cannot write ({exc.strerror or exc})") from exc
    return len(rows)


def as_csv(rows: Rows, lineterminator: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows.columns), lineterminator=lineterminator)
    writer.writeheader()
    writer.writerows(rows.records)
    return buffer.getvalue()


def as_jsonl(rows: Rows) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in rows.records)


def as_json(rows: Rows) -> str:
    return json.dumps(rows.records, ensure_ascii=False, indent=1)


def as_table(rows: Rows, shown: tuple[str, ...] = TABLE_SHOWN) -> str:
    """Columns padded to their widest cell, for the terminal."""
    widths = {c: max([len(c)] + [len(cell(r[c])) for r in rows.records]) for c in shown}
    lines = ["  ".join(c.ljust(widths[c]) for c in shown)]
    lines += ["  ".join(cell(r[c]).ljust(widths[c]) for c in shown) for r in rows.records]
    return "\n".join(lines) + "\n"


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
