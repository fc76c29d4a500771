"""DOCX -> text with python-docx: body paragraphs and table cells in document order."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from docx.table import Table
from lxml import etree

from luoshi.errors import ReadError, message
from luoshi.model import Document
from luoshi.io.paths import read_bytes
from luoshi.io.text import normalize_newlines

# What python-docx (and zipfile/zlib/lxml under it) raise on a zip that is not a valid
# Word document: missing parts, corrupt members, unsupported compression or encrypted
# members (RuntimeError from zipfile), broken XML.
_DOCX_ERRORS = (OpcError, zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError,
                etree.XMLSyntaxError, EOFError, zlib.error, NotImplementedError, RuntimeError)


def _paragraph_texts(container) -> Iterator[str]:
    """Paragraph texts of a document body or table cell, descending into tables."""
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats in row.cells
                        continue
                    seen.add(id(cell._tc))
                    yield from _paragraph_texts(cell)
        else:
            yield block.text


def docx_text(data: bytes, path: str) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(path, message("not_zip"))
    try:
        document = docx.Document(io.BytesIO(data))
        text = "\n".join(_paragraph_texts(document))
    except _DOCX_ERRORS as exc:
        detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        raise ReadError(path, message("bad_docx", detail=detail or type(exc).__name__)) from exc
    text = normalize_newlines(text)
    if not text.strip():
        raise ReadError(path, message("no_text"))
    return text


def read_docx(path: str | Path) -> Document:
    """A .docx file as one Document (paragraphs joined by newlines)."""
    return Document(text=docx_text(read_bytes(path), str(path)), path=str(path))
