"""Metadata from the text: kind, issuer/region, year, date, speaker, title.

Values already set (by a flag, a JSONL field, an HTML sidecar) are kept; only missing
ones are inferred. Patterns run over the normalized text, so spaced or full-width
digits and traditional characters need no special case.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from luoshi.text.normalize import normalize
from luoshi.text.numbers import parse_number
from luoshi.model import Document
from luoshi.resources import Resources
from luoshi.resources.lexicon import MetaRules
from luoshi.text.patterns import alternation

HEAD_CHARS = 600
SPACED_NUM = r"\d(?: ?\d)*"
DATELINE = re.compile(
    rf"——\s*(?P<y>{SPACED_NUM}) ?年 ?(?P<m>{SPACED_NUM}) ?月 ?(?P<d>{SPACED_NUM}) ?日\s*在(?P<venue>[^\n]{{0,60}})"
)
CN_DATELINE = re.compile(r"——\s*(?P<y>[一二三四五六七八九〇零]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日")
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d) ?年")
NAME = r"(?P<name>[\u4e00-\u9fff][ 　]?[\u4e00-\u9fff](?:[ 　]?[\u4e00-\u9fff])?)"


def _int(written: str) -> int:
    return int(parse_number(written))


def session_year(norm: str, rules: MetaRules) -> int | None:
    """The latest NPC session a text names (十三届全国人大五次会议 -> 2022)."""
    years = []
    for m in list(rules.session_re.finditer(norm)) + list(rules.short_session_re.finditer(norm)):
        start = rules.npc_term_start.get(_int(m.group("term")))
        if start:
            years.append(start + _int(m.group("session")) - 1)
    return max(years) if years else None


def infer_kind(norm_head: str, path: str | None, rules: MetaRules) -> str:
    if rules.resolution_cue in norm_head[:200] or (path and "resolution" in Path(path).name):
        return "resolution"
    if rules.report_address in norm_head[:400] or (rules.report_title in norm_head[:40] and "——" in norm_head[:200]):
        return "report"
    return "news"


def looks_like_speech(norm: str, rules: MetaRules) -> bool:
    """A government's own address: many first-person 我们 and no news markers (1964's excerpt)."""
    return (norm.count(rules.speech_first_person) >= rules.speech_min_first_person and rules.speech_government in norm
            and not any(m in norm[:600] for m in rules.news_markers))


def infer_date(norm_head: str) -> tuple[int | None, str | None, str | None]:
    """(year, ISO date, venue) from a report's dateline."""
    m = DATELINE.search(norm_head)
    if m:
        y, mo, d = (_int(m.group(k)) for k in ("y", "m", "d"))
        return y, f"{y:04d}-{mo:02d}-{d:02d}", m.group("venue")
    m = CN_DATELINE.search(norm_head)
    if m:
        y, mo, d = (_int(m.group(k)) for k in ("y", "m", "d"))
        return y, f"{y:04d}-{mo:02d}-{d:02d}", None
    return None, None, None


def year_from_path(path: str | None) -> int | None:
    if not path:
        return None
    m = re.search(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)", Path(path.split("#")[0]).name)
    return int(m.group(1)) if m else None


def latest_mentioned_year(norm: str, rules: MetaRules) -> int | None:
    """The year a text is written in, from the years it mentions: the latest one, or the year
    after it when the text reports that year as finished (2023年全省GDP增长…) while it speaks
    of 今年 or releases a year's statistics (统计局发布2023年…数据)."""
    mentions = []
    for m in YEAR.finditer(norm):
        before = norm[max(0, m.start() - 1) : m.start()]
        after = norm[m.end() : m.end() + 8]
        if before in rules.not_the_year_after or rules.future_after_re.search(after):
            continue
        mentions.append(m)
    if not mentions:
        return None
    latest = max(int(m.group(1)) for m in mentions)
    latest_mentions = [m for m in mentions if int(m.group(1)) == latest]
    planned = any(rules.plan_context_re.search(_sentence_after(norm, m.end())) for m in latest_mentions)
    partial = any(rules.part_of_year_re.match(norm, m.end()) for m in latest_mentions)
    released = any(rules.release_before_re.search(norm[max(0, m.start() - 12) : m.start()]) for m in latest_mentions)
    if planned:
        return latest
    if released or ("今年" in norm and not partial):
        return latest + 1
    return latest


def _sentence_after(norm: str, pos: int) -> str:
    end = norm.find("。", pos)
    return norm[pos : end if end >= 0 else pos + 80]


def infer_region(norm: str, kind: str, venue: str | None, resources: Resources) -> str | None:
    places, rules = resources.places, resources.lexicon.meta
    head = norm[:HEAD_CHARS]
    if venue and any(word in venue for word in rules.national_venue):
        return "全国"
    m = rules.local_session_re.search(venue or "") or rules.local_session_re.search(head)
    if m:
        place = m.group("place")
        found = places.names.find(place)
        return found[0].value if found else places.short_name(place)
    if kind in ("report", "resolution") and any(word in head for word in rules.national_issuers):
        return "全国"
    counts: Counter[str] = Counter()
    for m in places.names.find(norm):
        counts[m.value] += 1
    if not counts:
        return None
    region, _ = counts.most_common(1)[0]
    return region


def infer_title(doc: Document) -> str | None:
    for line in doc.text.split("\n"):
        stripped = line.strip(" \t\u3000\u200b")
        if stripped:
            return stripped[:80] if len(stripped) <= 80 and stripped[-1] not in "。：:" else None
    return None


@lru_cache(maxsize=4)
def _speaker_line(titles: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"(?:{alternation(titles)})[ 　\n]*{NAME}\n")


def infer_speaker(text: str, rules: MetaRules) -> str | None:
    """The name under the speaker's title at the head of a report (国务院总理　李强)."""
    m = _speaker_line(rules.speaker_titles).search(text[:HEAD_CHARS])
    return re.sub(r"[ 　]", "", m.group("name")) if m else None


def infer_meta(doc: Document, resources: Resources) -> Document:
    """Fill missing metadata; explicit values win."""
    norm = normalize(doc.text)
    head = norm[:HEAD_CHARS]
    rules = resources.lexicon.meta
    kind = doc.kind or infer_kind(head, doc.path, rules)
    if kind == "news" and not doc.kind and looks_like_speech(norm, rules):
        kind = "report"
    dateline_year, date, venue = infer_date(head)
    year = (
        doc.year
        or dateline_year
        or (int(doc.date[:4]) if doc.date and doc.date[:4].isdigit() else None)
        or year_from_path(doc.path)
        or session_year(head if kind != "news" else norm, rules)
        or latest_mentioned_year(norm, rules)
    )
    return doc.with_meta(
        kind=kind,
        year=year,
        date=doc.date or date,
        region=doc.region or infer_region(norm, kind, venue, resources),
        speaker=doc.speaker or (infer_speaker(doc.text, rules) if kind == "report" else None),
        title=doc.title or infer_title(doc),
    )
