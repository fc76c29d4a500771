"""The extraction pipeline: components of the form Document -> Document, run in order.

Each component declares the layers it needs and the layer(s) it fills; ``run`` checks the
order once and that every component returns a Document (spaCy's ``Language.__call__``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from luoshi.extract.entities import extract_entities
from luoshi.extract.facts import extract_facts
from luoshi.extract.indicators import extract_indicator_values
from luoshi.extract.slogans import extract_slogans
from luoshi.extract.tasks import extract_tasks
from luoshi.errors import ReadError
from luoshi.model import Document
from luoshi.parse.meta import infer_meta
from luoshi.parse.structure import parse_structure
from luoshi.resources import Resources, load_resources


@dataclass(frozen=True)
class Component:
    name: str
    func: Callable[[Document, Resources], Document]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


COMPONENTS: tuple[Component, ...] = (
    Component("meta", infer_meta, (), ("kind", "region", "year", "date", "speaker", "title")),
    Component("structure", parse_structure, ("year",), ("sections", "paragraphs", "sentences", "statements", "artefacts")),
    Component("facts", extract_facts, ("sentences", "paragraphs", "sections", "artefacts", "year"), ("facts",)),
    Component("indicators", extract_indicator_values, ("facts", "year"), ("indicator_values",)),
    Component("slogans", extract_slogans, ("sentences", "artefacts"), ("slogans",)),
    Component("entities", extract_entities, ("sentences", "statements", "speaker"), ("entities",)),
    Component("tasks", extract_tasks, ("sentences", "paragraphs", "sections", "year", "facts", "entities"), ("tasks",)),
)


def check_order(components: tuple[Component, ...]) -> None:
    available: set[str] = set()
    for component in components:
        missing = set(component.requires) - available
        if missing:
            raise ValueError(f"component {component.name} needs {sorted(missing)} before it")
        available |= set(component.assigns)


check_order(COMPONENTS)


def process(doc: Document, resources: Resources | None = None) -> Document:
    """Run every component over one document; the result records which rules filled it."""
    resources = resources or load_resources()
    for component in COMPONENTS:
        doc = component.func(doc, resources)
        if not isinstance(doc, Document):
            raise TypeError(f"component {component.name} returned {type(doc).__name__}, not Document")
    return doc.with_meta(extractor=resources.fingerprint)


# what a rule that breaks on one document raises; anything else is a bug to see
RULE_FAILURES = (ValueError, KeyError, IndexError, TypeError)


def analyse(doc: Document, resources: Resources) -> Document | ReadError:
    """The one failure policy: the analysed document, or the ReadError that reports why its rules
    failed (the batch goes on); a broken data file (DataFileError) is raised, it breaks them all."""
    try:
        return process(doc, resources)
    except RULE_FAILURES as exc:
        return ReadError(doc.path or doc.id, f"extraction failed ({type(exc).__name__}: {exc})")


def process_text(text: str, **meta) -> Document:
    """Convenience for the library user: a text (and optional metadata) -> analysed Document."""
    return process(Document(text=text.replace("\r\n", "\n").replace("\r", "\n"), **meta))
