"""Compare two analysed documents — typically one region's reports of consecutive years.

Three layers are compared: the targets each report sets for its own year (matched by
catalog indicator), the slogans (matched by text) and the sections (keywords, or the plan
part's headings). Everything here is a pure function of the two Documents and the
resources; rendering lives in ``luoshi.report.compare_md``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from luoshi.model import Document, IndicatorValue, Section, Slogan
from luoshi.resources import Resources


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """Which document a side of the comparison is, enough to name it in a heading."""

    id: str
    path: str | None
    title: str | None
    region: str | None
    year: int | None


@dataclass(frozen=True, slots=True)
class TargetFigure:
    """One report's target for one indicator: as written, and in the catalog's unit."""

    text: str  # the fact's surface text, e.g. "1.3万亿斤以上"
    low: float
    high: float
    unit: str  # the catalog's canonical unit, e.g. "亿斤"
    qualifier: str | None
    quote: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TargetChange:
    """An indicator's target in the old and the new report; a side is None when absent."""

    indicator_id: str
    indicator: str  # the catalog's Chinese name
    old: TargetFigure | None
    new: TargetFigure | None


@dataclass(frozen=True, slots=True)
class SloganChange:
    text: str
    old_count: int
    new_count: int


@dataclass(frozen=True, slots=True)
class SectionEntry:
    """A section as the comparison sees it: heading without its enumerator, or the keyword."""

    title: str
    level: int


@dataclass(frozen=True, slots=True)
class SectionRewording:
    """A dropped heading and a new one that say much the same (a report rewords its task
    headings every year): paired by the share of character bigrams they have in common."""

    old: str
    new: str
    level: int
    similarity: float


@dataclass(frozen=True, slots=True)
class Comparison:
    old: DocumentRef
    new: DocumentRef
    targets_changed: tuple[TargetChange, ...] = ()
    targets_unchanged: tuple[TargetChange, ...] = ()
    targets_added: tuple[TargetChange, ...] = ()
    targets_dropped: tuple[TargetChange, ...] = ()
    slogans_new: tuple[SloganChange, ...] = ()
    slogans_dropped: tuple[SloganChange, ...] = ()
    slogans_persisting: tuple[SloganChange, ...] = ()
    sections_basis: str = "headings"  # "keywords" or "headings"
    sections_new: tuple[SectionEntry, ...] = ()
    sections_dropped: tuple[SectionEntry, ...] = ()
    sections_kept: tuple[SectionEntry, ...] = ()
    reworded_sections: tuple[SectionRewording, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Comparison":
        return comparison_from_dict(data)


# ---------------------------------------------------------------- targets


def _figure(doc: Document, value: IndicatorValue) -> TargetFigure:
    quote = doc.text[value.sentence[0] : value.sentence[1]]
    return TargetFigure(doc.text[value.start : value.end], value.low, value.high, value.unit, value.qualifier or None,
                        quote, value.start, value.end)


def _targets_of(doc: Document) -> dict[str, TargetFigure]:
    return {v.indicator_id: _figure(doc, v) for v in doc.indicator_values if v.role == "target"}


def target_differs(old: TargetFigure, new: TargetFigure) -> bool:
    """Changed = another range or another qualifier; "" and None both mean no qualifier."""
    return (old.low, old.high, old.qualifier or None) != (new.low, new.high, new.qualifier or None)


def _indicator_name(indicator_id: str, resources: Resources) -> str:
    indicator = resources.catalog.by_id(indicator_id)
    return indicator.name if indicator else indicator_id


def compare_targets(old: Document, new: Document, resources: Resources) -> dict[str, tuple[TargetChange, ...]]:
    """The targets of both reports by indicator, sorted into changed/unchanged/added/dropped."""
    old_by_id, new_by_id = _targets_of(old), _targets_of(new)
    groups: dict[str, list[TargetChange]] = {"changed": [], "unchanged": [], "added": [], "dropped": []}
    for indicator_id in sorted(old_by_id.keys() | new_by_id.keys()):
        before, after = old_by_id.get(indicator_id), new_by_id.get(indicator_id)
        change = TargetChange(indicator_id, _indicator_name(indicator_id, resources), before, after)
        if before is None:
            groups["added"].append(change)
        elif after is None:
            groups["dropped"].append(change)
        else:
            groups["changed" if target_differs(before, after) else "unchanged"].append(change)
    return {name: tuple(items) for name, items in groups.items()}


# ---------------------------------------------------------------- slogans


def slogan_counts(slogans: tuple[Slogan, ...]) -> dict[str, int]:
    """Occurrences per slogan text, in order of first appearance.

    The layer may hold one record per slogan (count = all occurrences) or one per
    occurrence; taking the larger of the record count and the stated count is right
    in both cases, where summing would double-count the first.
    """
    records: dict[str, list[Slogan]] = {}
    for slogan in slogans:
        records.setdefault(slogan.text, []).append(slogan)
    return {text: max(len(group), max(s.count for s in group)) for text, group in records.items()}


def compare_slogans(old: Document, new: Document) -> dict[str, tuple[SloganChange, ...]]:
    old_counts, new_counts = slogan_counts(old.slogans), slogan_counts(new.slogans)
    new_items = [SloganChange(t, 0, c) for t, c in new_counts.items() if t not in old_counts]
    dropped = [SloganChange(t, c, 0) for t, c in old_counts.items() if t not in new_counts]
    persisting = [SloganChange(t, old_counts[t], c) for t, c in new_counts.items() if t in old_counts]
    return {"new": tuple(new_items), "dropped": tuple(dropped), "persisting": tuple(persisting)}


# ---------------------------------------------------------------- sections

# 一、 （一） (一) 1. 1． 1、 — the numbering changes whenever a section is added, so it is
# no part of what a section is
ENUMERATOR = re.compile(r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百\d]+[）)]|\d+[、.．])\s*")
YEAR = re.compile(r"(?<!\d)(\d{4})(?=年)")


def strip_enumerator(heading: str) -> str:
    return ENUMERATOR.sub("", heading, count=1).strip()


def section_key(title: str, doc_year: int | None) -> str:
    """What two headings must share to be the same section.

    Each report names its own year ("2024年政府工作任务" / "2025年政府工作任务"), so years
    are written relative to the document's year; other years stay as they are.
    """
    if doc_year is None:
        return title

    def relative(match: re.Match) -> str:
        offset = int(match.group(1)) - doc_year
        return f"{{Y{offset:+d}}}" if abs(offset) <= 1 else match.group(1)

    return YEAR.sub(relative, title)


def keyword_entries(doc: Document) -> list[SectionEntry]:
    seen: dict[str, SectionEntry] = {}
    for section in doc.sections:
        if section.level == 1 and section.keyword and section.keyword not in seen:
            seen[section.keyword] = SectionEntry(section.keyword, 1)
    return list(seen.values())


def heading_entries(doc: Document) -> list[SectionEntry]:
    """Level-1 and level-2 headings of the plan part: what the year is to bring."""
    plan: list[Section] = [s for s in doc.sections if s.part == "plan" and s.level in (1, 2)]
    return [SectionEntry(strip_enumerator(s.heading), s.level) for s in plan]


def compare_sections(old: Document, new: Document) -> tuple[str, dict[str, tuple[SectionEntry, ...]]]:
    """Keywords when both documents have keyword sections, else the plan headings."""
    use_keywords = bool(keyword_entries(old)) and bool(keyword_entries(new))
    entries = keyword_entries if use_keywords else heading_entries
    old_entries, new_entries = entries(old), entries(new)
    old_keys = {section_key(e.title, old.year) for e in old_entries}
    new_keys = {section_key(e.title, new.year) for e in new_entries}
    groups = {
        "new": tuple(e for e in new_entries if section_key(e.title, new.year) not in old_keys),
        "dropped": tuple(e for e in old_entries if section_key(e.title, old.year) not in new_keys),
        "kept": tuple(e for e in new_entries if section_key(e.title, new.year) in old_keys),
    }
    return ("keywords" if use_keywords else "headings"), groups


REWORDED_MIN_SIMILARITY = 0.3  # Dice coefficient of the two headings' character bigrams


def _bigrams(title: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", " ", title)
    return {han[i : i + 2] for i in range(len(han) - 1) if " " not in han[i : i + 2]}


def pair_reworded(dropped: tuple[SectionEntry, ...], new: tuple[SectionEntry, ...],
                  minimum: float = REWORDED_MIN_SIMILARITY) -> list[SectionRewording]:
    """Greedy one-to-one pairs of dropped and new headings of the same level, most alike first."""
    scored = []
    for old_entry in dropped:
        for new_entry in new:
            a, b = _bigrams(old_entry.title), _bigrams(new_entry.title)
            if old_entry.level == new_entry.level and a and b:
                dice = 2 * len(a & b) / (len(a) + len(b))
                if dice >= minimum:
                    scored.append((dice, old_entry, new_entry))
    pairs, used_old, used_new = [], set(), set()
    for dice, old_entry, new_entry in sorted(scored, key=lambda s: -s[0]):
        if id(old_entry) in used_old or id(new_entry) in used_new:
            continue
        used_old.add(id(old_entry))
        used_new.add(id(new_entry))
        pairs.append(SectionRewording(old_entry.title, new_entry.title, old_entry.level, round(dice, 3)))
    return sorted(pairs, key=lambda p: [e.title for e in dropped].index(p.old))


# ---------------------------------------------------------------- the comparison


def document_ref(doc: Document) -> DocumentRef:
    return DocumentRef(doc.id, doc.path, doc.title, doc.region, doc.year)


def compare_documents(old: Document, new: Document, resources: Resources) -> Comparison:
    """What changed from ``old`` to ``new``: targets, slogans, sections."""
    targets = compare_targets(old, new, resources)
    slogans = compare_slogans(old, new)
    basis, sections = compare_sections(old, new)
    return Comparison(
        old=document_ref(old),
        new=document_ref(new),
        targets_changed=targets["changed"],
        targets_unchanged=targets["unchanged"],
        targets_added=targets["added"],
        targets_dropped=targets["dropped"],
        slogans_new=slogans["new"],
        slogans_dropped=slogans["dropped"],
        slogans_persisting=slogans["persisting"],
        sections_basis=basis,
        sections_new=sections["new"],
        sections_dropped=sections["dropped"],
        sections_kept=sections["kept"],
        reworded_sections=tuple(pair_reworded(sections["dropped"], sections["new"])),
    )


# ---------------------------------------------------------------- from JSON


def _target_change(data: dict[str, Any]) -> TargetChange:
    sides = {side: TargetFigure(**data[side]) if data.get(side) else None for side in ("old", "new")}
    return TargetChange(data["indicator_id"], data["indicator"], sides["old"], sides["new"])


def comparison_from_dict(data: dict[str, Any]) -> Comparison:
    """The inverse of ``Comparison.to_dict`` (lists back to tuples, dicts back to records)."""
    record_of = {"targets": _target_change, "slogans": lambda d: SloganChange(**d),
                 "sections": lambda d: SectionEntry(**d), "reworded": lambda d: SectionRewording(**d)}
    layers = {
        name: tuple(record_of[name.split("_")[0]](item) for item in items)
        for name, items in data.items()
        if isinstance(items, list)
    }
    return Comparison(old=DocumentRef(**data["old"]), new=DocumentRef(**data["new"]),
                      sections_basis=data.get("sections_basis", "headings"), **layers)
