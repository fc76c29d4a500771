"""Which files are documents: supported suffixes, folder walking, reading the bytes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from luoshi.errors import ReadError, message

# suffix (lower case) -> format name; the format name picks the reader in ``luoshi.io``.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".jsonl": "jsonl",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(FORMATS)

# Names skipped while walking a folder (an explicitly given file is never skipped):
# hidden files/dirs, and Office lock files ("~$report.docx").
_SKIP_PREFIXES = (".", "~$")


def file_format(path: str | Path) -> str | None:
    """The format name for a path's suffix ("text", "html", ...), or None if unsupported."""
    return FORMATS.get(Path(path).suffix.lower())


def _walk(folder: Path, seen: set[Path]) -> Iterator[Path]:
    """Depth-first, entries sorted by name: the same order as sorting the paths themselves."""
    try:
        real = folder.resolve()
    except OSError:
        return
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(_SKIP_PREFIXES):
            continue
        path = folder / entry.name
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            continue
        if is_dir:
            yield from _walk(path, seen)
        elif is_file and file_format(path) is not None:
            yield path


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | ReadError]:
    """Each document file under ``paths``; a problem with an explicit path is yielded as a ReadError.

    A folder is walked recursively in sorted order, silently skipping hidden entries and
    files of unsupported type (e.g. an ``index.json`` next to the documents).
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, set())
        elif not path.exists():
            yield ReadError(str(given), message("missing"))
        elif file_format(path) is None:
            yield ReadError(str(given), message("unsupported", suffix=path.suffix))
        else:
            yield path


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes; a missing/unreadable file or a 0-byte file is a ReadError."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(str(path), message("missing")) from exc
    except OSError as exc:
        raise ReadError(str(path), message("unreadable", detail=exc.strerror or str(exc))) from exc
    if not data:
        raise ReadError(str(path), message("empty"))
    return data
