"""Which files are documents: supported suffixes, folder walking, reading the bytes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from luoshi.errors import ReadError, message
from luoshi.io.limits import DEFAULT_LIMITS, ReadLimits, check_file_size

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


def _name_is_utf8(path: Path) -> bool:
    # a name that is not UTF-8 reaches Python with its bytes as lone surrogates, which no
    # database (nor JSON output) can hold
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _link_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be followed ("link_loop", "broken_link"), or None."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except FileNotFoundError:
        return "broken_link"
    except OSError:  # ELOOP: the link leads back to itself
        return "link_loop"
    return None


def _walk(folder: Path, ancestors: set[Path], seen: set[Path]) -> Iterator[Path | ReadError]:
    """Depth-first, entries sorted by name: the same order as sorting the paths themselves.

    A link back to a folder being walked is reported (it would loop); a link to a folder
    already walked elsewhere is skipped quietly (its documents were read once already).
    """
    try:
        real = folder.resolve()
    except (OSError, RuntimeError):
        yield ReadError(str(folder), message("link_loop"))
        return
    if real in ancestors:
        yield ReadError(str(folder), message("link_loop"))
        return
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield ReadError(str(folder), message("unreadable", detail=exc.strerror or str(exc)))
        return
    for entry in entries:
        if entry.name.startswith(_SKIP_PREFIXES):
            continue
        path = folder / entry.name
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from _walk(path, ancestors | {real}, seen)
        elif is_file:
            if file_format(path) is not None:
                yield path if _name_is_utf8(path) else ReadError(str(path), message("not_utf8_name"))
        elif file_format(path) is not None:
            problem = _link_problem(path)
            if problem:  # a document name that leads nowhere: say so rather than skip it
                yield ReadError(str(path), message(problem))


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | ReadError]:
    """Each document file under ``paths``; a problem with an explicit path is yielded as a ReadError.

    A folder is walked recursively in sorted order, silently skipping hidden entries and
    files of unsupported type (e.g. an ``index.json`` next to the documents); a symbolic link
    that loops or leads nowhere is reported.
    """
    for given in paths:
        path = Path(given)
        try:
            is_dir = path.is_dir()
            problem = _link_problem(path)
        except OSError as exc:  # a name too long for the file system, say
            yield ReadError(str(given), message("unreadable", detail=exc.strerror or str(exc)))
            continue
        if is_dir:
            yield from _walk(path, set(), set())
        elif problem:
            yield ReadError(str(given), message(problem))
        elif not path.exists():
            yield ReadError(str(given), message("missing"))
        elif file_format(path) is None:
            yield ReadError(str(given), message("unsupported", suffix=path.suffix))
        elif not _name_is_utf8(path):
            yield ReadError(str(given), message("not_utf8_name"))
        else:
            yield path


def read_bytes(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The file's bytes; a missing/unreadable file, a 0-byte file or one larger than
    ``limits.file_size`` (checked before reading) is a ReadError."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):  # a pipe or a device would block or never end
            raise ReadError(str(path), message("not_regular"))
        check_file_size(status.st_size, str(path), limits)
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(str(path), message("missing")) from exc
    except OSError as exc:
        raise ReadError(str(path), message("unreadable", detail=exc.strerror or str(exc))) from exc
    if not data:
        raise ReadError(str(path), message("empty"))
    return data
