"""PDF -> text with pypdf: each page's extracted text, pages separated by a blank line."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, DeprecationError, PyPdfError

from luoshi.errors import ReadError, message
from luoshi.model import Document
from luoshi.io.limits import DEFAULT_LIMITS, ReadLimits, check_text
from luoshi.io.paths import read_bytes
from luoshi.io.text import normalize_newlines, replace_controls

# pypdf signals broken files with its own errors but also, deep in the parser, with these.
_PDF_ERRORS = (PyPdfError, DependencyError, DeprecationError, ValueError, KeyError, IndexError,
               TypeError, AttributeError, NotImplementedError, OverflowError, zlib.error,
               struct.error, RecursionError)

PAGE_SEPARATOR = "\n\n"


def pdf_text(data: bytes, path: str, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    if b"%PDF-" not in data[:1024]:
        raise ReadError(path, message("bad_pdf", detail="no %PDF- header"))
    # pypdf reads a truncated file without complaint; a complete one ends with %%EOF.
    if b"%%EOF" not in data[-1024:]:
        raise ReadError(path, message("bad_pdf", detail="truncated"))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(path, message("bad_pdf", detail="encrypted"))
        pages = [page.extract_text() or "" for page in reader.pages]
    except _PDF_ERRORS as exc:
        raise ReadError(path, message("bad_pdf", detail=str(exc) or type(exc).__name__)) from exc
    text = replace_controls(normalize_newlines(PAGE_SEPARATOR.join(pages)))
    if not text.strip():
        raise ReadError(path, message("no_text_layer"))
    return check_text(text, path, limits)


def read_pdf(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    """A PDF's text layer as one Document."""
    return Document(text=pdf_text(read_bytes(path, limits), str(path), limits), path=str(path))
