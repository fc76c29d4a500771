"""The one document model: the text stored once, every layer a half-open span into it.

Records are frozen dataclasses; a pipeline step returns a new ``Document`` with one
more layer filled (``dataclasses.replace``). ``to_dict``/``from_dict`` are symmetric
and ``Document.to_dict`` is the JSON output contract of DESIGN.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar


class _Record:
    """Mixin: dict conversion for flat frozen dataclasses (tuples become lists)."""

    _tuple_fields: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kwargs = {k: v for k, v in data.items() if k in names}
        for name in cls._tuple_fields:
            if kwargs.get(name) is not None:
                kwargs[name] = tuple(kwargs[name])
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class Span(_Record):
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Section(_Record):
    start: int
    end: int
    heading: str
    level: int
    keyword: str | None = None
    tags: tuple[str, ...] = ()
    part: str | None = None  # "review", "plan" or None
    heading_end: int | None = None

    _tuple_fields: ClassVar[tuple[str, ...]] = ("tags",)


@dataclass(frozen=True, slots=True)
class Paragraph(_Record):
    start: int
    end: int
    part: str | None = None


@dataclass(frozen=True, slots=True)
class Artefact(_Record):
    """A layout artefact kept in the text but recorded: page jump, split paragraph, boilerplate."""

    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True, slots=True)
class Statement(_Record):
    start: int
    end: int
    speaker: str
    role: str | None
    headline: str | None
    heading_end: int | None = None


@dataclass(frozen=True, slots=True)
class Fact(_Record):
    text: str
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str | None
    value_base: float
    base_unit: str | None
    qualifier: str | None
    kind: str
    status: str
    period: str | None
    indicator: str | None
    indicator_id: str | None
    region: str | None
    sentence: tuple[int, int]
    # the period as dates (ISO, inclusive) and its grain: year, half, quarter, months, month,
    # ten_days, plan, deadline or multi_year
    period_start: str | None = None
    period_end: str | None = None
    period_grain: str | None = None

    _tuple_fields: ClassVar[tuple[str, ...]] = ("sentence",)


@dataclass(frozen=True, slots=True)
class IndicatorValue(_Record):
    """A document's value of one catalog indicator for one year, in the catalog's unit: a target
    it sets for its own year (``role`` "target") or an outcome it states for the year before
    ("outcome"). The span is the figure's; ``sentence`` is its quote."""

    start: int
    end: int
    role: str
    indicator_id: str
    year: int
    low: float
    high: float
    unit: str
    qualifier: str | None
    sentence: tuple[int, int]

    _tuple_fields: ClassVar[tuple[str, ...]] = ("sentence",)


@dataclass(frozen=True, slots=True)
class Task(_Record):
    start: int
    end: int
    text: str
    object: str | None = None
    keyword: str | None = None
    region: str | None = None
    deadline: str | None = None


@dataclass(frozen=True, slots=True)
class Entity(_Record):
    start: int
    end: int
    text: str
    type: str


@dataclass(frozen=True, slots=True)
class Slogan(_Record):
    start: int
    end: int
    text: str
    count: int


# Every layer of the document, by name and record type. The store makes one table per layer
# from this mapping and the record's fields: a new layer is a record here, a field of
# Document and a component that fills it.
LAYERS: dict[str, type] = {
    "sections": Section,
    "paragraphs": Paragraph,
    "sentences": Span,
    "artefacts": Artefact,
    "facts": Fact,
    "indicator_values": IndicatorValue,
    "tasks": Task,
    "entities": Entity,
    "statements": Statement,
    "slogans": Slogan,
}
# the layers of the output contract (DESIGN.md); the others are internal
CONTRACT_LAYERS = ("sections", "facts", "tasks", "entities", "statements", "slogans")
META_FIELDS = ("path", "title", "kind", "region", "year", "date", "speaker")


def content_id(text: str) -> str:
    """Content-hash id: the same text always gets the same document id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    path: str | None = None
    title: str | None = None
    kind: str | None = None
    region: str | None = None
    year: int | None = None
    date: str | None = None
    speaker: str | None = None
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    sentences: tuple[Span, ...] = ()
    artefacts: tuple[Artefact, ...] = ()
    facts: tuple[Fact, ...] = ()
    indicator_values: tuple[IndicatorValue, ...] = ()
    tasks: tuple[Task, ...] = ()
    entities: tuple[Entity, ...] = ()
    statements: tuple[Statement, ...] = ()
    slogans: tuple[Slogan, ...] = ()
    id: str = field(default="")
    extractor: str | None = None  # fingerprint of the rules and code that filled the layers

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", content_id(self.text))

    def with_layer(self, name: str, items) -> "Document":
        return replace(self, **{name: tuple(items)})

    def with_meta(self, **meta) -> "Document":
        return replace(self, **meta)

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    def fact_at(self, start: int, end: int) -> Fact | None:
        """The fact with exactly this span (an indicator value's figure)."""
        return next((f for f in self.facts if f.start == start and f.end == end), None)

    def to_dict(self, *, include_text: bool = False, include_internal: bool = True) -> dict[str, Any]:
        """The output contract; ``include_internal`` adds the other layers and the extractor,
        ``include_text`` the text: both together are a lossless round-trip."""
        out: dict[str, Any] = {"id": self.id, **{k: getattr(self, k) for k in META_FIELDS}}
        internal = [name for name in LAYERS if name not in CONTRACT_LAYERS]
        for name in CONTRACT_LAYERS + (tuple(internal) if include_internal else ()):
            out[name] = [item.to_dict() for item in getattr(self, name)]
        if include_internal:
            out["extractor"] = self.extractor
        if include_text:
            out["text"] = self.text
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        kwargs: dict[str, Any] = {k: data.get(k) for k in ("text", "extractor", *META_FIELDS)}
        kwargs["id"] = data.get("id") or ""
        for name, record in LAYERS.items():
            kwargs[name] = tuple(record.from_dict(item) for item in data.get(name, ()))
        return cls(**kwargs)
