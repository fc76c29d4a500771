"""Entities: places (gazetteer), organisations, people, projects, platforms, events."""

from __future__ import annotations

from luoshi.model import Document
from luoshi.resources import Resources


def extract_entities(doc: Document, resources: Resources) -> Document:
    """Document -> Document with the ``entities`` layer."""
    return doc.with_layer("entities", ())
