"""A 1:1 character map for matching: full-width forms and traditional characters.

The map never changes the text's length, so a match in the normalized text has the
same offsets in the original (STYLE.md guideline 2). Traditional -> simplified comes
from OpenCC's character table (single-character entries only; phrases would move text).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources as importlib_resources


def _fullwidth_pairs() -> dict[int, str]:
    table = {ord(c): chr(ord(c) - 0xFEE0) for c in "０１２３４５６７８９％．，－～：（）ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"}
    # keep the Chinese comma and parentheses as they are: they are clause punctuation
    for keep in "，（）：":
        table.pop(ord(keep), None)
    table[ord("∶")] = ":"
    # zero written with a circle (一九九○年) and the middle dot of older reports (14·1％)
    table[ord("○")] = "〇"
    table[ord("◯")] = "〇"
    table[ord("·")] = "."
    return table


def _opencc_characters() -> dict[int, str]:
    path = importlib_resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        source, targets = parts
        target = targets.split(" ")[0]
        if len(source) == 1 and len(target) == 1 and source != target:
            table[ord(source)] = target
    return table


@lru_cache(maxsize=1)
def normalization_table() -> dict[int, str]:
    table = _opencc_characters()
    table.update(_fullwidth_pairs())
    return table


@lru_cache(maxsize=8)
def normalize(text: str) -> str:
    """Same length as ``text``; full-width digits to ASCII, traditional to simplified.
    Cached: metadata, structure and facts all read the same document's normalized text."""
    normalized = text.translate(normalization_table())
    assert len(normalized) == len(text)
    return normalized
