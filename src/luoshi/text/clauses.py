"""Clauses: the units the rules read a figure or a task in, as spans into the text."""

from __future__ import annotations

import re

# what ends the clause a figure is read in (the fact rules: a line break ends one too)
CLAUSE_BREAK = "，。；：！？\n,;"
CLAUSE_BREAK_RE = re.compile("[" + re.escape(CLAUSE_BREAK) + "]")
# what ends a clause outside quotes (tasks, quotes in digests)
CLAUSE_ENDS = "，；：。！？,;:!?"
OPENING = {"“": "”", "《": "》", "「": "」", "‘": "’"}
BLANK = " \t\n\u3000"
_MARKS = re.compile("[" + re.escape(CLAUSE_ENDS + "".join(OPENING) + "".join(OPENING.values())) + "]")


def clause_breaks(norm: str) -> list[int]:
    """Positions of clause-breaking characters, for bisecting instead of scanning per figure."""
    return [m.start() for m in CLAUSE_BREAK_RE.finditer(norm)]


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) at clause punctuation outside quotes; spans trimmed of blanks."""
    out, depth_close, begin = [], [], start
    for mark in _MARKS.finditer(text, start, end):  # visits punctuation only, not every character
        i, char = mark.start(), mark.group(0)
        if depth_close and char == depth_close[-1]:
            depth_close.pop()
        elif char in OPENING:
            depth_close.append(OPENING[char])
        elif char in CLAUSE_ENDS and not depth_close:
            out.append((begin, i))
            begin = i + 1
    out.append((begin, end))
    trimmed = []
    for s, e in out:
        while s < e and text[s] in BLANK:
            s += 1
        while e > s and text[e - 1] in BLANK:
            e -= 1
        if s < e:
            trimmed.append((s, e))
    return trimmed
