"""Slogans and formulas: quoted terms and numbered formulas, with counts."""

from __future__ import annotations

from luoshi.model import Document
from luoshi.resources import Resources


def extract_slogans(doc: Document, resources: Resources) -> Document:
    """Document -> Document with the ``slogans`` layer."""
    return doc.with_layer("slogans", ())
