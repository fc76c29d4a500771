"""JSONL corpora: one JSON object per line, {"text": ..., "title"?: ..., "year"?: ...}.

Each line is its own document with path ``"{file}#{lineno}"`` (1-based); blank lines are
skipped. A bad line is reported (``ReadError`` with that path) without stopping the others.
"""

from __future__ import annotations

import json
from dataclasses import replace
from collections.abc import Iterator
from pathlib import Path

from luoshi.errors import ReadError, message
from luoshi.model import Document
from luoshi.io.limits import DEFAULT_LIMITS, ReadLimits
from luoshi.io.paths import read_bytes
from luoshi.io.text import decode_bytes, normalize_newlines, replace_controls


class _BadLine(ValueError):
    pass


def _year(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 4:
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return value
    raise _BadLine('"year" must be a year, 1 to 9999 (an integer or a string of digits)')


def _document(line: str, path: str, limits: ReadLimits) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _BadLine(f"invalid JSON ({exc.msg}, column {exc.colno})") from exc
    except (RecursionError, ValueError) as exc:  # nested past the parser's depth; a 5,000-digit number
        raise _BadLine(f"invalid JSON ({'nested too deeply' if isinstance(exc, RecursionError) else exc})") from exc
    if not isinstance(record, dict):
        raise _BadLine("not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _BadLine('no "text" (a non-empty string is required)')
    if len(text) > limits.text_chars:
        raise _BadLine(message("record_too_long", chars=f"{len(text):,}", limit=f"{limits.text_chars:,}"))
    title = record.get("title")
    if title is not None and not isinstance(title, str):
        raise _BadLine('"title" must be a string')
    return Document(text=replace_controls(normalize_newlines(text)), path=path,
                    title=replace_controls(title) if title else title, year=_year(record.get("year")))


# above this size a corpus is read line by line (UTF-8, as JSON Lines are written), so memory
# holds one line at a time whatever the file's size; smaller files have their encoding detected
STREAM_BYTES = 64 * 1024 * 1024


def iter_jsonl(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[Document | ReadError]:
    """Per non-blank line, its Document or the ReadError saying what is wrong with it.

    A file-level problem (missing, empty, not text) is raised, not yielded. The file may be
    of any size (``limits.file_size`` does not apply: a large corpus is streamed); each
    record's text is held to ``limits.text_chars``.
    """
    try:
        large = Path(path).stat().st_size > STREAM_BYTES
    except OSError:
        large = False
    if large:
        yield from _stream_jsonl(path, limits)
        return
    source = decode_bytes(read_bytes(path, replace(limits, file_size=STREAM_BYTES)), path)  # raises "empty" for a blank file
    for lineno, line in enumerate(source.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}#{lineno}"
        try:
            yield _document(line, where, limits)
        except _BadLine as exc:
            yield ReadError(where, message("bad_jsonl", line=lineno, detail=str(exc)))


def _lines(handle, longest: int) -> Iterator[bytes | None]:
    """The file's lines; None for a line longer than ``longest`` bytes (skipped unread)."""
    while raw := handle.readline(longest + 1):
        if len(raw) > longest and not raw.endswith(b"\n"):
            while (rest := handle.readline(1024**2)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield raw


def _stream_jsonl(path: str | Path, limits: ReadLimits) -> Iterator[Document | ReadError]:
    # a record's JSON may escape each character as \uXXXX: six bytes per character at most
    longest = limits.text_chars * 6 + 64 * 1024
    with open(path, "rb") as handle:
        for lineno, raw in enumerate(_lines(handle, longest), start=1):
            where = f"{path}#{lineno}"
            if raw is None:
                yield ReadError(where, message("bad_jsonl", line=lineno, detail=message(
                    "line_too_long", longest=f"{longest:,}", limit=f"{limits.text_chars:,}")))
                continue
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield ReadError(where, message("bad_jsonl", line=lineno, detail=f"not UTF-8 ({exc.reason})"))
                continue
            if not line.strip():
                continue
            try:
                yield _document(line.rstrip("\r\n"), where, limits)
            except _BadLine as exc:
                yield ReadError(where, message("bad_jsonl", line=lineno, detail=str(exc)))


def read_jsonl(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> list[Document]:
    """All documents of a JSONL file; strict: the first bad line is raised as its ReadError."""
    documents = []
    for item in iter_jsonl(path, limits):
        if isinstance(item, ReadError):
            raise item
        documents.append(item)
    return documents
