"""DOCX -> text with python-docx: body paragraphs and table cells in document order."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from docx.table import Table, _Cell
from lxml import etree

from luoshi.errors import ReadError, message
from luoshi.model import Document
from luoshi.io.limits import DEFAULT_LIMITS, ReadLimits, check_archive, check_text
from luoshi.io.paths import read_bytes
from luoshi.io.text import normalize_newlines, replace_controls

# What python-docx (and zipfile/zlib/lxml under it) raise on a zip that is not a valid
# Word document: missing parts, corrupt members, unsupported compression or encrypted
# members (RuntimeError from zipfile), broken XML.
_DOCX_ERRORS = (OpcError, zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError,
                etree.XMLSyntaxError, EOFError, zlib.error, NotImplementedError, RuntimeError)


def _paragraph_texts(container) -> Iterator[str]:
    """Paragraph texts of a document body or table cell, descending into tables.

    A table is read from its own cells (``w:tc``), each once: python-docx's ``row.cells``
    lays out the grid, repeating a cell for every column it spans and searching upwards for
    every vertically merged one, which a hostile ``gridSpan`` or a tall merge makes cost
    gigabytes or minutes. A merge's continuation cells are empty: they are skipped."""
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block._tbl.tr_lst:
                for tc in row.tc_lst:
                    if tc.vMerge != "continue":
                        yield from _paragraph_texts(_Cell(tc, block))
        else:
            yield block.text


def _detail(exc: Exception) -> str:
    """What went wrong, in the user's terms: libxml2's advice ("use XML_PARSE_HUGE") is for
    programmers and names an option the user cannot set."""
    if isinstance(exc, etree.XMLSyntaxError) and ("HUGE" in str(exc) or "limit" in str(exc).lower()):
        return message("xml_limit")
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return f"{str(exc).split('file ', 1)[-1].strip(chr(39))} {message('member_crc')}"
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    return str(exc) or type(exc).__name__


def docx_text(data: bytes, path: str, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise ReadError(path, message("not_zip"))
    try:
        check_archive(data, path, limits)
        document = docx.Document(io.BytesIO(data))
        text = "\n".join(_paragraph_texts(document))
    except _DOCX_ERRORS as exc:
        raise ReadError(path, message("bad_docx", detail=_detail(exc))) from exc
    text = replace_controls(normalize_newlines(text))
    if not text.strip():
        raise ReadError(path, message("no_text"))
    return check_text(text, path, limits)


def read_docx(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    """A .docx file as one Document (paragraphs joined by newlines)."""
    return Document(text=docx_text(read_bytes(path, limits), str(path), limits), path=str(path))
