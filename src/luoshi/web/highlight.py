"""A document's text as HTML with its layers marked: tasks around, figures and entities within.

Pure functions over spans; every piece of document text goes through ``html.escape``, and
attribute values too, so a ``<script>`` in a report is shown as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    tag: str  # "mark" or "span"
    attrs: dict[str, str] = field(default_factory=dict)


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{escape(str(v), quote=True)}"' for k, v in attrs.items() if v is not None)


def non_overlapping(marks: list[Mark]) -> list[Mark]:
    """Keep marks in the given order of priority, dropping any that overlaps one kept before."""
    kept: list[Mark] = []
    for mark in marks:
        if mark.start < mark.end and all(mark.end <= k.start or k.end <= mark.start for k in kept):
            kept.append(mark)
    return sorted(kept, key=lambda m: m.start)


def nested_in(inner: list[Mark], outer: list[Mark]) -> list[Mark]:
    """Inner marks that do not cross an outer mark's edge (HTML must nest)."""
    def crosses(m: Mark) -> bool:
        return any(o.start < m.start < o.end < m.end or m.start < o.start < m.end < o.end for o in outer)
    return [m for m in inner if not crosses(m)]


def render(text: str, start: int, end: int, outer: list[Mark], inner: list[Mark], anchors: dict[int, str]) -> str:
    """HTML for text[start:end]: ``outer`` and ``inner`` are each non-overlapping, inner nested
    in outer; ``anchors`` maps an offset to an element id placed there."""
    events: list[tuple[int, int, str]] = []  # (offset, order, html): closes, anchors, then opens
    for rank, marks in ((0, outer), (1, inner)):
        for m in marks:
            if start <= m.start and m.end <= end:
                events.append((m.start, 3 + rank, f"<{m.tag}{_attrs(m.attrs)}>"))
                events.append((m.end, 1 - rank, f"</{m.tag}>"))
    for pos, anchor_id in anchors.items():
        if start <= pos < end:
            events.append((pos, 2, f'<span class="anchor" id="{escape(anchor_id, quote=True)}"></span>'))
    events.sort(key=lambda e: (e[0], e[1]))
    out, cursor = [], start
    for pos, _, tag in events:
        out.append(_shown(text[cursor:pos]))
        out.append(tag)
        cursor = pos
    out.append(_shown(text[cursor:end]))
    return "".join(out)


BLANK_LINES = re.compile(r"\n[ \t\u3000]*\n(?:[ \t\u3000]*\n)+")


def _shown(chunk: str) -> str:
    """Escaped text; runs of blank lines (old reports have dozens) shown as one."""
    return escape(BLANK_LINES.sub("\n\n", chunk))
