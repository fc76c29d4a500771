"""The readers: files (txt, html, docx, pdf, jsonl) -> ``Document`` with ``text`` and ``path``.

``read_file`` reads one file or raises ``ReadError``; ``read_all`` walks paths and yields
documents and errors without ever stopping at a bad file (or a bad JSONL line).
Only ``path``, ``text`` and, where the format has them, ``title`` and ``year`` are set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from luoshi.errors import ReadError, message
from luoshi.model import Document
from luoshi.io.jsonl import iter_jsonl, read_jsonl
from luoshi.io.limits import DEFAULT_LIMITS, ReadLimits
from luoshi.io.paths import SUPPORTED_SUFFIXES, file_format, iter_files
from luoshi.io.text import decode_bytes, read_text


# The HTML, DOCX and PDF libraries are imported when a file of their kind is read, so that
# start-up (and plain-text work) does not pay for them.
def read_html(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    from luoshi.io.html import read_html as read

    return read(path, limits)


def html_to_text(source: str) -> tuple[str | None, str]:
    from luoshi.io.html import html_to_text as convert

    return convert(source)


def read_docx(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    from luoshi.io.docx import read_docx as read

    return read(path, limits)


def read_pdf(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    from luoshi.io.pdf import read_pdf as read

    return read(path, limits)


__all__ = [
    "DEFAULT_LIMITS",
    "ReadLimits",
    "SUPPORTED_SUFFIXES",
    "decode_bytes",
    "html_to_text",
    "iter_documents",
    "iter_files",
    "read_all",
    "read_file",
]

_SINGLE_READERS: dict[str, Callable[[Path, ReadLimits], Document]] = {
    "text": read_text,
    "html": read_html,
    "docx": read_docx,
    "pdf": read_pdf,
}


def read_file(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> list[Document]:
    """The documents of one file (one, or one per line for JSONL); raise ReadError.

    JSONL is strict here: the first bad line is raised. ``iter_documents``/``read_all``
    report bad lines one by one and keep the good ones. ``limits``: see ``luoshi.io.limits``.
    """
    path = Path(path)
    fmt = file_format(path)
    if fmt is None:
        if not path.exists():
            raise ReadError(str(path), message("missing"))
        raise ReadError(str(path), message("unsupported", suffix=path.suffix))
    if fmt == "jsonl":
        return read_jsonl(path, limits)
    return [_SINGLE_READERS[fmt](path, limits)]


def iter_documents(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[Document | ReadError]:
    """The documents of one file, problems yielded as ReadError (JSONL: per bad line)."""
    try:
        if file_format(path) == "jsonl":
            yield from iter_jsonl(path, limits)
        else:
            yield from read_file(path, limits)
    except ReadError as error:
        yield error


def read_all(paths: Iterable[str | Path], limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[Document | ReadError]:
    """Every document under ``paths`` (files or folders, see ``iter_files``), in order.

    Never raises for a bad file: its ReadError is yielded and reading goes on.
    """
    for item in iter_files(paths):
        if isinstance(item, ReadError):
            yield item
        else:
            yield from iter_documents(item, limits)
