"""Overlap resolution for candidate spans (spaCy's ``filter_spans``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class Spanlike(Protocol):
    start: int
    end: int
    priority: int


S = TypeVar("S", bound=Spanlike)


def filter_spans(spans: Iterable[S]) -> list[S]:
    """Keep the longest spans, then the higher-priority (lower number) and leftmost ones,
    dropping any span that overlaps a kept one; the result is in text order."""
    ordered = sorted(spans, key=lambda s: (s.start - s.end, s.priority, s.start))
    taken = bytearray(max((s.end for s in ordered), default=0))  # 1 = covered by a kept span
    kept = []
    for span in ordered:
        if span.end > span.start and taken.find(1, span.start, span.end) < 0:
            taken[span.start : span.end] = b"\x01" * (span.end - span.start)
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)
