"""JSONL corpora: one JSON object per line, {"text": ..., "title"?: ..., "year"?: ...}.

Each line is its own document with path ``"{file}#{lineno}"`` (1-based); blank lines are
skipped. A bad line is reported (``ReadError`` with that path) without stopping the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from luoshi.errors import ReadError, message
from luoshi.model import Document
from luoshi.io.paths import read_bytes
from luoshi.io.text import decode_bytes, normalize_newlines


class _BadLine(ValueError):
    pass


def _year(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    raise _BadLine('"year" must be an integer or a string of digits')


def _document(line: str, path: str) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _BadLine(f"invalid JSON ({exc.msg}, column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise _BadLine("not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _BadLine('no "text" (a non-empty string is required)')
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise _BadLine('"title" must be a string')
    return Document(text=normalize_newlines(text), path=path, title=title, year=_year(record.get("year")))


# above this size a corpus is read line by line (UTF-8, as JSON Lines are written), so memory
# holds one line at a time whatever the file's size; smaller files have their encoding detected
STREAM_BYTES = 64 * 1024 * 1024


def iter_jsonl(path: str | Path) -> Iterator[Document | ReadError]:
    """Per non-blank line, its Document or the ReadError saying what is wrong with it.

    A file-level problem (missing, empty, not text) is raised, not yielded.
    """
    try:
        large = Path(path).stat().st_size > STREAM_BYTES
    except OSError:
        large = False
    if large:
        yield from _stream_jsonl(path)
        return
    source = decode_bytes(read_bytes(path), path)  # raises "empty" for a blank file
    for lineno, line in enumerate(source.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}#{lineno}"
        try:
            yield _document(line, where)
        except _BadLine as exc:
            yield ReadError(where, message("bad_jsonl", line=lineno, detail=str(exc)))


def _stream_jsonl(path: str | Path) -> Iterator[Document | ReadError]:
    with open(path, "rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            where = f"{path}#{lineno}"
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield ReadError(where, message("bad_jsonl", line=lineno, detail=f"not UTF-8 ({exc.reason})"))
                continue
            if not line.strip():
                continue
            try:
                yield _document(line.rstrip("\r\n"), where)
            except _BadLine as exc:
                yield ReadError(where, message("bad_jsonl", line=lineno, detail=str(exc)))


def read_jsonl(path: str | Path) -> list[Document]:
    """All documents of a JSONL file; strict: the first bad line is raised as its ReadError."""
    documents = []
    for item in iter_jsonl(path):
        if isinstance(item, ReadError):
            raise item
        documents.append(item)
    return documents
