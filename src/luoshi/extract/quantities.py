"""Quantities: a number with its magnitude, unit and attached qualifier, as exact spans.

One compiled pattern (built from ``units.yaml`` and ``qualifiers.yaml``) finds candidates
in the normalized text; small pure functions then decide, per candidate, whether it is a
quantity under ANNOTATION.md (dates, ordinals, slogans and names are not) and what its
value, unit and qualifier are. Offsets are into the original text: normalization is 1:1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, NamedTuple

from luoshi.resources import Resources
from luoshi.text.numbers import is_chinese_numeral, parse_number
from luoshi.text.patterns import alternation

CJK = "\u4e00-\u9fff"
NUM_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d(?: ?\d)*(?: ?\. ?\d(?: ?\d)*)?"
NUM_CN = r"(?:[零〇一二两三四五六七八九][零〇一二两三四五六七八九十百千万亿]*|十[零〇一二两三四五六七八九十百千万亿]*)(?:点[零〇一二三四五六七八九]+)?"
GAP = r"[ \t\n\u200b\u3000]{0,6}"
RANGE_SEPARATORS = "-—–~～至"
# what stands between two figures that share the unit written after the second (2.6个、2.5个百分点)
ELISION_SEPARATORS = {"、", "和", "与", "或"}
APPROXIMATE_BEFORE = "数几"


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str | None
    value_base: float
    base_unit: str | None
    qualifier: str | None
    family: str | None
    rank: bool
    number_start: int  # where the digits start (after 第/前)


@dataclass(frozen=True)
class QuantityMatcher:
    pattern: re.Pattern
    magnitudes: dict[str, float]
    resources: Resources
    bare: re.Pattern


def _magnitude_pattern(resources: Resources) -> str:
    parts = []
    not_before = resources.units.magnitude_not_before
    for mag in sorted(resources.units.magnitudes, key=len, reverse=True):
        blocked = not_before.get(mag)
        lookahead = f"(?!{alternation(blocked)})" if blocked else ""
        parts.append(re.escape(mag) + lookahead)
    return "|".join(parts)


def build_matcher(resources: Resources) -> QuantityMatcher:
    units = resources.units
    quals = resources.qualifiers
    unit_alt = alternation(units.family_of)
    da = rf"大[{CJK}]{{0,4}}?(?:{alternation(units.da_heads)})"
    inner = alternation(quals.inner)
    post = alternation(quals.after)
    number = rf"(?:{NUM_AR}|{NUM_CN})"
    pattern = (
        rf"(?=[0-9第前百千零〇一二两三四五六七八九十-])"
        rf"(?P<ord>第|(?<![目提此以之当空超向眼从])前)?"
        rf"(?:(?P<pct>百分之|千分之)(?P<pnum>{number})(?:[至到{re.escape(RANGE_SEPARATORS)}](?:百分之)?(?P<pnum2>{number}))?"
        rf"|(?P<neg>(?<=[{CJK}])-)?(?P<num>{number})(?:{GAP}(?P<rsep>[{re.escape(RANGE_SEPARATORS)}]){GAP}(?P<num2>{number}))?"
        rf"(?P<inner1>{inner})?(?:{GAP}(?P<mag>{_magnitude_pattern(resources)}))?(?P<inner2>{inner})?"
        rf"(?:{GAP}(?P<unit>{da}|{unit_alt}))?)"
        rf"(?P<post>{post})?"
    )
    bare = (
        rf"(?:{alternation(units.bare_magnitude_after)})(?P<mag>{alternation(units.magnitudes)})"
        rf"(?P<unit>{alternation(units.bare_magnitude_units)})(?!级|[{CJK}]?之城)"
    )
    return QuantityMatcher(re.compile(pattern), units.magnitudes, resources, re.compile(bare))


FRACTION_AR = re.compile(r"(?<![\d./:-])(\d{1,3})/(\d{1,3})(?![\d/])")
FRACTION_WHOLE = re.compile(rf"(?:{NUM_CN}|\d+)$")
FRACTION_PART = re.compile(rf"{NUM_CN}|\d+(?:\.\d+)?")
RATIO = re.compile(r"(?<![\d.:])\d+(?:\.\d+)?(?::\d+(?:\.\d+)?)+(?![\d.:])")


def _share(start: int, end: int, value: float) -> Quantity:
    return Quantity(start, end, round(value, 6), None, None, round(value, 6), None, None, "share", False, start)


def fractions_and_ratios(norm: str, excluded: bytearray, ratio_context: tuple[str, ...]) -> list[Quantity]:
    """1/6 and 三分之一 are shares a/b; each term of 5.7∶43.2∶51.1 is a share (ANNOTATION)."""
    found = []
    for m in FRACTION_AR.finditer(norm) if "/" in norm else ():
        if int(m.group(2)) and not excluded[m.start()]:
            found.append(_share(m.start(), m.end(), int(m.group(1)) / int(m.group(2))))
    pos = norm.find("分之")
    while pos > 0:  # 三分之一: look around each 分之 rather than scan the whole text
        whole = FRACTION_WHOLE.search(norm, max(0, pos - 8), pos)
        part = FRACTION_PART.match(norm, pos + 2)
        if whole and part and norm[whole.start() - 1 : whole.start()] not in ("百", "千") and not excluded[whole.start()]:
            try:
                denominator, numerator = parse_number(whole.group(0)), parse_number(part.group(0))
            except ValueError:
                denominator = 0
            if denominator:
                found.append(_share(whole.start(), part.end(), numerator / denominator))
        pos = norm.find("分之", pos + 2)
    for m in RATIO.finditer(norm) if ":" in norm else ():
        before = norm[max(0, m.start() - 12) : m.start()]
        if excluded[m.start()] or not any(word in before for word in ratio_context):
            continue
        pos = m.start()
        for term in m.group(0).split(":"):
            found.append(_share(pos, pos + len(term), float(term)))
            pos += len(term) + 1
    return found


def bare_magnitudes(norm: str, excluded: bytearray, matcher: QuantityMatcher) -> list[Quantity]:
    """突破万亿元: a magnitude written without a number means one of it."""
    found = []
    for m in matcher.bare.finditer(norm):
        start, end = m.start("mag"), m.end("unit")
        if excluded[start]:
            continue
        mag, unit = m.group("mag"), m.group("unit")
        qualifier = pre_qualifier(norm, start, matcher.resources)
        found.append(Quantity(start, end, 1.0, None, mag + unit, matcher.magnitudes[mag], unit, qualifier,
                              matcher.resources.units.family_of.get(unit), False, start))
    return found


@lru_cache(maxsize=4)
def cached_matcher(resources: Resources) -> QuantityMatcher:
    return build_matcher(resources)


def _split_cn_magnitude(written: str, magnitudes: dict[str, float]) -> tuple[str, str]:
    """一千三百亿 -> ('一千三百', '亿'): trailing 万/亿 of a Chinese numeral are the magnitude."""
    for mag in ("万亿", "亿", "万"):
        if written.endswith(mag) and len(written) > len(mag):
            return written[: -len(mag)], mag
    return written, ""


def _value_and_magnitude(written: str, mag: str | None, magnitudes: dict[str, float]) -> tuple[float, str]:
    if not is_chinese_numeral(written):
        return parse_number(written), mag or ""
    head, cn_mag = _split_cn_magnitude(written, magnitudes)
    total_mag = cn_mag + (mag or "")
    if total_mag == "万" and "亿" in head:
        # 四亿零七百多万吨, 二十六亿六千万美元: the 万 belongs to the part after 亿 -> N 万
        high, _, low = head.partition("亿")
        low = low.lstrip("零")
        return parse_number(high) * 1e4 + (parse_number(low) if low else 0), "万"
    return parse_number(head), total_mag


@lru_cache(maxsize=4)
def _qualifiers_before(resources: Resources) -> re.Pattern:
    # leftmost match ending at the end of the window: the longest written form (超过了 over 超过)
    return re.compile(f"(?:{alternation(resources.qualifiers.before)})$")


def pre_qualifier(norm: str, start: int, resources: Resources) -> str | None:
    """A qualifier written just before the figure (超过, 达, 近 ...), unless it ends a word."""
    m = _qualifiers_before(resources).search(norm, max(0, start - 4), start)
    if m is None:
        return None
    written = m.group(0)
    prev = norm[start - len(written) - 1] if start - len(written) - 1 >= 0 else ""
    if prev and prev in resources.qualifiers.blocked_after.get(written, ()):
        return None
    return resources.qualifiers.before[written]


def _is_year(num_text: str, unit: str | None) -> bool:
    digits = num_text.replace(" ", "")
    if unit != "年":
        return False
    if digits.isdigit() and len(digits) == 4 and 1000 <= int(digits) <= 2200:
        return True
    return is_chinese_numeral(num_text) and len(num_text) == 4 and "十" not in num_text


def _bare_ordinal_is_rank(norm: str, start: int, end: int, resources: Resources) -> bool:
    rank = resources.lexicon.rank
    prev = norm[start - 1] if start > 0 else "\n"
    nxt = norm[end] if end < len(norm) else "\n"
    window = norm[max(0, start - 12) : start]
    return (
        prev not in rank.clause_start_chars
        and nxt in rank.follow_chars
        and any(word in window for word in rank.context_before)
    )


def _duration_is_measured(norm: str, start: int, resources: Resources) -> bool:
    window = norm[max(0, start - 4) : start]
    if any(window.endswith(w) for w in resources.units.duration_measured_after):
        return True
    clause = re.split(r"[，。；：！？\n]", norm[max(0, start - 12) : start])[-1]
    return any(w in clause for w in resources.units.duration_measured_subjects)


class Candidate(NamedTuple):
    """A match of the quantity pattern, read: what the reject rules look at (a tuple: thousands
    are made per document and most are dropped at once)."""

    start: int
    end: int
    number_start: int  # where the digits start (after 第/前, 百分之)
    written: str  # the numeral as written
    chinese: bool
    value: float
    value_max: float | None
    magnitude: str
    unit: str | None
    family: str | None
    ranged: bool  # two numbers (6-6.5)
    rank: bool = False


def read_candidate(m: re.Match, resources: Resources, magnitudes: dict[str, float]) -> Candidate:
    """The numbers, magnitude and unit of a match, before anything decides it is a quantity."""
    if m.group("pct"):
        written = m.group("pnum")
        value, _ = _value_and_magnitude(written, None, magnitudes)
        value_max = _value_and_magnitude(m.group("pnum2"), None, magnitudes)[0] if m.group("pnum2") else None
        unit = "%" if m.group("pct") == "百分之" else "‰"
        return Candidate(m.start(), m.end(), m.start("pct"), written, is_chinese_numeral(written), value, value_max,
                         "", unit, "percent", value_max is not None)
    written, unit = m.group("num"), m.group("unit")
    value, mag = _value_and_magnitude(written, m.group("mag"), magnitudes)
    value_max = _value_and_magnitude(m.group("num2"), m.group("mag"), magnitudes)[0] if m.group("num2") else None
    if m.group("neg"):
        value = -value  # 增长-3.5%
    family = "count" if unit and unit.startswith("大") else resources.units.family_of.get(unit) if unit else None
    return Candidate(m.start(), m.end(), m.start("num"), written, is_chinese_numeral(written), value, value_max,
                     mag, unit, family, bool(m.group("num2")))


RANK_UNITS = ("位", "名")


def read_ordinal(c: Candidate, ordinal: str | None, norm: str, resources: Resources) -> Candidate | None:
    """第/前 before a number: a rank (第19位, 位列第一, 前十), a count (连续第29年 -> 29年,
    前3年 -> 3年), or a name or enumerator that is no quantity (第二批, 第一)."""
    bare = c.unit is None and not c.magnitude
    if ordinal == "第":
        if c.unit == "年" and norm[max(0, c.start - 2) : c.start] == "连续":
            return c._replace(start=c.number_start)
        if c.unit in RANK_UNITS or (bare and _bare_ordinal_is_rank(norm, c.start, c.end, resources)):
            return c._replace(rank=True, family="rank")
        return None
    if ordinal == "前":
        if c.unit in RANK_UNITS or (bare and c.value > 1 and _bare_ordinal_is_rank(norm, c.start, c.end, resources)):
            return c._replace(rank=True, family="rank")
        return c._replace(start=c.number_start)
    return c


# Reject rules: each names one reason a candidate is no quantity (ANNOTATION.md, "Exclude").
def no_unit(c: Candidate, norm: str, resources: Resources) -> bool:
    """A bare number: no magnitude, unit or classifier."""
    return c.unit is None and not c.magnitude


def magnitude_before_word(c: Candidate, norm: str, resources: Resources) -> bool:
    """十万火急, 亿万: a bare magnitude before a word is not an amount."""
    return c.unit is None and c.end < len(norm) and re.match(f"[{CJK}]", norm[c.end]) is not None


def one_meaning_a(c: Candidate, norm: str, resources: Resources) -> bool:
    """一 meaning "a": 一批, 一系列."""
    return c.chinese and c.written == "一" and not c.magnitude


def approximate(c: Candidate, norm: str, resources: Resources) -> bool:
    """数十个, 几百家: no figure is stated."""
    return c.chinese and c.start > 0 and norm[c.start - 1] in APPROXIMATE_BEFORE


def chinese_numeral_before_arabic_only_unit(c: Candidate, norm: str, resources: Resources) -> bool:
    """五省, 两院: these classifiers count only after Arabic digits (4城, 3市)."""
    return c.chinese and c.unit in resources.units.arabic_only


def time_expression(c: Candidate, norm: str, resources: Resources) -> bool:
    """2023年, 三年疫情: a year or a duration that is not what is measured (连续两年 is)."""
    if c.unit not in resources.units.durations:
        return False
    return _is_year(c.written, c.unit) or not _duration_is_measured(norm, c.start, resources)


def span_of_years(c: Candidate, norm: str, resources: Resources) -> bool:
    """2021-2025年: a span of years."""
    return c.ranged and c.unit == "年"


def unit_in_a_name(c: Candidate, norm: str, resources: Resources) -> bool:
    """五次会议, 三期工程: the classifier belongs to a name or an ordinal."""
    words = resources.units.unit_not_before.get(c.unit)
    return bool(words) and norm.startswith(words, c.end)


def names_a_tier(c: Candidate, norm: str, resources: Resources) -> bool:
    """2千亿梯队, 万亿俱乐部, 10万吨级: a tier or class named by an amount, not the amount."""
    return norm.startswith(resources.units.tier_words, c.end)


REJECT_RULES: tuple[Callable[[Candidate, str, Resources], bool], ...] = (
    no_unit, magnitude_before_word, one_meaning_a, approximate, chinese_numeral_before_arabic_only_unit,
    time_expression, span_of_years, unit_in_a_name, names_a_tier,
)


def classify(m: re.Match, norm: str, resources: Resources, magnitudes: dict[str, float]) -> Quantity | None:
    """One candidate as a quantity, or None when a rule says it is none (dates, ordinals, bare numbers)."""
    ordinal, unit = m.group("ord"), m.group("unit")
    if not m.group("pct"):
        # the commonest rejects, decided before the number is even read: a bare number (no_unit),
        # a year (time_expression), a numbered name (第二批, read_ordinal)
        if ordinal is None and unit is None and m.group("mag") is None and not m.group("num").endswith(("万", "亿")):
            return None
        if ordinal is None and unit == "年" and not m.group("num2") and _is_year(m.group("num"), unit):
            return None
        if ordinal == "第" and unit is not None and unit not in RANK_UNITS and unit != "年":
            return None
    c = read_ordinal(read_candidate(m, resources, magnitudes), ordinal, norm, resources)
    if c is None:
        return None
    if not c.rank:
        for rule in REJECT_RULES:
            if rule(c, norm, resources):
                return None
    return quantity(c, m, norm, resources, magnitudes)


def quantity(c: Candidate, m: re.Match, norm: str, resources: Resources, magnitudes: dict[str, float]) -> Quantity:
    """The accepted candidate with its qualifier and normalized value."""
    qualifier = pre_qualifier(norm, c.start, resources)
    inner = m.group("inner1") or m.group("inner2") if not m.group("pct") else None
    if m.group("post"):
        qualifier = resources.qualifiers.after[m.group("post")]
    elif inner:
        qualifier = resources.qualifiers.inner[inner]
    factor = 1.0
    for part in _magnitude_parts(c.magnitude, magnitudes):
        factor *= magnitudes[part]
    full_unit = (c.magnitude or "") + (c.unit or "") or None
    base_unit = c.unit or None
    if base_unit in resources.units.rebased:
        base_unit, rebase = resources.units.rebased[base_unit]
        factor *= rebase
    return Quantity(
        start=c.start,
        end=c.end,
        value=c.value,
        value_max=c.value_max,
        unit=full_unit if not (c.rank and c.unit is None) else None,
        value_base=round(c.value * factor, 6),
        base_unit=base_unit,
        qualifier=qualifier,
        family=c.family,
        rank=c.rank,
        number_start=c.number_start,
    )


def _magnitude_parts(mag: str, magnitudes: dict[str, float]) -> list[str]:
    """万亿 is one magnitude; 万 + 亿 written by a Chinese numeral (一千三百万 亿) is split."""
    if not mag:
        return []
    if mag in magnitudes:
        return [mag]
    for size in range(len(mag) - 1, 0, -1):
        if mag[:size] in magnitudes and mag[size:] in magnitudes:
            return [mag[:size], mag[size:]]
    return []


def merge_ranges(quantities: list[Quantity], norm: str) -> list[Quantity]:
    """6%-6.5% and 6.5%—7%: two figures with one unit joined by a dash are one range."""
    out: list[Quantity] = []
    for q in quantities:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.value_max is None
            and not prev.rank
            and q.start - prev.end == 1
            and norm[prev.end] in RANGE_SEPARATORS
            and prev.unit == q.unit
            and prev.qualifier in (None, q.qualifier)
        ):
            out[-1] = replace(prev, end=q.end, value_max=q.value, qualifier=q.qualifier)
            continue
        out.append(q)
    return out


def resolve_elided_units(quantities: list[Quantity], norm: str, resources: Resources) -> list[Quantity]:
    """0.8个、1.7个百分点: the first figure takes the full unit written after the second."""
    out = list(quantities)
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        between = norm[q.end : nxt.start]
        if (
            q.unit and nxt.unit and nxt.unit != q.unit and nxt.unit.startswith(q.unit)
            and between in ELISION_SEPARATORS
        ):
            out[i] = replace(q, unit=nxt.unit, base_unit=nxt.base_unit, family=nxt.family)
    return out


def find_quantities(norm: str, excluded: bytearray, resources: Resources) -> list[Quantity]:
    """All quantities of a normalized text; ``excluded`` marks quoted slogans, formulas, footers."""
    matcher = cached_matcher(resources)
    found: list[Quantity] = []
    for m in matcher.pattern.finditer(norm):
        if excluded[m.start()] or excluded[m.end() - 1]:
            continue
        try:
            q = classify(m, norm, resources, matcher.magnitudes)
        except ValueError:
            continue  # a run of numeral characters that is no number (万两, 十百)
        if q is not None:
            found.append(q)
    taken = bytearray(len(norm) + 1)
    for q in found:
        taken[q.start : q.end] = b"\x01" * (q.end - q.start)
    extra = bare_magnitudes(norm, excluded, matcher) + fractions_and_ratios(norm, excluded, resources.units.ratio_context)
    found += [q for q in extra if not taken[q.start] and not taken[q.end - 1]]
    found.sort(key=lambda q: q.start)
    return resolve_elided_units(merge_ranges(found, norm), norm, resources)
