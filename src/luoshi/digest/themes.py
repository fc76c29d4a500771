"""Themes of a report: a short keyword per plan heading, and review paragraphs paired to them."""

from __future__ import annotations

import math
import re

from luoshi.resources.rules import DigestSpec

ENUMERATOR = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+[、.．])\s*")
CLAUSE_END = re.compile("[，,；;。：:]")
NOT_HAN = re.compile(r"[^\u4e00-\u9fff“”]")


def theme_keyword(heading: str, rules: DigestSpec) -> str:
    """（一）大力推进现代化产业体系建设，加快发展新质生产力 -> 现代化产业体系."""
    first = CLAUSE_END.split(ENUMERATOR.sub("", heading), maxsplit=1)[0].strip()
    keyword = _strip(first, rules.keyword_strip_start, rules.keyword_strip_end)
    if len(keyword) < 2:  # stripping left nothing that names the theme: keep the clause
        keyword = first
    return keyword


def _strip(text: str, leading: tuple[str, ...], trailing: tuple[str, ...]) -> str:
    leading = sorted(leading, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for word in leading:
            if text.startswith(word) and len(text) > len(word) + 1:
                text, changed = text[len(word):], True
                break
    for word in sorted(trailing, key=len, reverse=True):
        if text.endswith(word) and len(text) > len(word) + 1:
            return text[: -len(word)]
    return text


def bigrams(text: str, stop: frozenset[str]) -> set[str]:
    han = NOT_HAN.sub(" ", text)
    return {han[i : i + 2] for i in range(len(han) - 1) if " " not in han[i : i + 2] and han[i : i + 2] not in stop}


def pair_paragraphs(paragraphs: list[str], themes: list[str], rules: DigestSpec,
                    minimum: float) -> list[int | None]:
    """For each paragraph, the index of the theme it shares the most rare bigrams with, or None.

    A bigram held by every theme (发展, 改革) tells nothing; one held by a single theme
    (粮食, 外资) tells most: weights are log(themes / themes holding it)."""
    if not themes:
        return [None] * len(paragraphs)
    stop = frozenset(rules.stop_bigrams)
    theme_grams = [bigrams(t, stop) for t in themes]
    held: dict[str, int] = {}
    for grams in theme_grams:
        for gram in grams:
            held[gram] = held.get(gram, 0) + 1
    weight = {g: math.log(len(themes) / n) for g, n in held.items()}
    # a long theme holds many bigrams and would win every paragraph: divide by its size
    size = [math.sqrt(sum(weight[g] for g in tg)) or 1.0 for tg in theme_grams]
    out: list[int | None] = []
    for paragraph in paragraphs:
        grams = bigrams(paragraph, stop)
        if not grams:
            out.append(None)
            continue
        scores = [sum(weight[g] for g in grams & tg) / (size[i] * math.sqrt(len(grams)))
                  for i, tg in enumerate(theme_grams)]
        best = max(range(len(themes)), key=scores.__getitem__)
        out.append(best if scores[best] >= minimum else None)
    return out
