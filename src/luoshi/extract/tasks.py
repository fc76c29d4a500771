"""Tasks: forward-looking clauses that name a concrete project, platform or programme."""

from __future__ import annotations

from luoshi.model import Document
from luoshi.resources import Resources


def extract_tasks(doc: Document, resources: Resources) -> Document:
    """Document -> Document with the ``tasks`` layer."""
    return doc.with_layer("tasks", ())
