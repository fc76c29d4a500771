"""The rule files of tasks, entities and the digest (``data/tasks.yaml``, ``entities.yaml``,
``digest.yaml``) as typed records; each file's header documents its keys."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luoshi.errors import DataFileError
from luoshi.resources.loader import record

ENTITY_TYPES = ("PLACE", "ORG", "PERSON", "PROJECT", "PLATFORM", "EVENT")


@dataclass(frozen=True)
class TaskSpec:
    verbs: tuple[str, ...]
    heads: dict[str, int]
    head_not_before: tuple[str, ...]
    named_heads: tuple[str, ...]
    quote_heads: tuple[str, ...]
    quote_head_gap: int
    generic_modifiers: tuple[str, ...]
    object_trim_end: tuple[str, ...]
    object_trim_start: tuple[str, ...]
    formula_re: re.Pattern
    min_clause_chars: int
    list_separators: str
    forward_cues: tuple[str, ...]
    deadline_re: re.Pattern


@dataclass(frozen=True)
class EntityType:
    names: tuple[str, ...] = ()
    suffixes: dict[str, int] = field(default_factory=dict)
    anchored: dict[str, int] = field(default_factory=dict)
    quoted_suffixes: dict[str, int] = field(default_factory=dict)
    quoted_heads: tuple[str, ...] = ()
    quoted_not_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonRules:
    roles_before_name: tuple[str, ...]
    roles_after_name: tuple[str, ...]
    surnames: str
    name_end: tuple[str, ...]
    not_name_chars: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceRules:
    not_places: tuple[str, ...]


@dataclass(frozen=True)
class EntitySpec:
    boundary_chars: str
    left_stops: tuple[str, ...]
    left_keep: tuple[str, ...]
    bound_re: str  # combined with count_re into one pattern with named groups
    count_re: str
    max_body_chars: int
    strip_leading: tuple[str, ...]
    clause_start_chars: str
    max_clause_body_chars: int
    generic: tuple[str, ...]
    reject_leading: tuple[str, ...]
    reject_containing: tuple[str, ...]
    anchors: tuple[str, ...]
    not_words: tuple[str, ...]
    head_nouns: tuple[str, ...]
    types: dict[str, EntityType]
    person: PersonRules
    place: PlaceRules


def parse_entities(data: dict, source: str) -> EntitySpec:
    """``entities.yaml`` validated: known types, each suffix listed once, regexes that compile."""
    spec = record(EntitySpec, data, source)
    unknown = set(spec.types) - set(ENTITY_TYPES)
    if unknown:
        raise DataFileError(f"{source}: unknown entity types {sorted(unknown)}")
    seen: set[str] = set()
    for entity_type in spec.types.values():
        for suffix in (*entity_type.suffixes, *entity_type.anchored, *entity_type.quoted_suffixes):
            if suffix in seen:
                raise DataFileError(f"{source}: suffix {suffix!r} listed twice")
            seen.add(suffix)
    for key in ("bound_re", "count_re"):
        try:
            re.compile(getattr(spec, key))
        except re.error as exc:
            raise DataFileError(f"{source}: {key}: not a valid regular expression ({exc})") from exc
    return spec


@dataclass(frozen=True)
class MeasureSpec:
    """``measures.yaml``: how a figure's indicator phrase is read from its clause."""

    lead_words: tuple[str, ...]
    lead_verbs: tuple[str, ...]
    fillers: tuple[str, ...]
    trail_words: tuple[str, ...]
    trail_comparison_re: re.Pattern
    comparison_lead_re: re.Pattern
    measure_words: tuple[str, ...]
    heads: tuple[str, ...]
    generic_heads: tuple[str, ...]
    anaphora: tuple[str, ...]
    enumeration_end: tuple[str, ...]
    trail_pos: tuple[str, ...]
    stop_pos: tuple[str, ...]
    soft_pos: tuple[str, ...]
    place_classifiers: dict[str, str]
    noun_classifiers: tuple[str, ...]
    growth_names: tuple[str, ...]
    decline_verbs: tuple[str, ...]
    change_verbs: tuple[str, ...]
    rank_suffix: str
    count_suffix: str
    total_suffix: str
    growth_suffix: str
    decline_suffix: str
    change_suffix: str
    average_word: str
    annual_word: str
    bare_rates: tuple[str, ...]
    progress_suffix: str
    segmenter_words: tuple[str, ...]
    max_chars: int


@dataclass(frozen=True)
class DigestLabels:
    review: str
    targets: str
    tasks: str
    main: str
    whole: str
    voices: str
    quotes: str
    no_focus: str
    empty: str


@dataclass(frozen=True)
class DigestSpec:
    keyword_strip_start: tuple[str, ...]
    keyword_strip_end: tuple[str, ...]
    pairing_min_score: float
    sentence_pairing_min_score: float
    stop_bigrams: tuple[str, ...]
    labels: DigestLabels
