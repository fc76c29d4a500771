"""Numerals as written in reports: Arabic (with spaced digits), Chinese, mixed magnitudes."""

from __future__ import annotations

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}


def parse_arabic(written: str) -> float:
    """'7 4 7 7 2' -> 74772; '1,234.5' -> 1234.5 (spaces and separators are layout)."""
    return float(written.replace(" ", "").replace(",", ""))


def _parse_cn_section(written: str) -> int:
    """A numeral below 万: 一千三百 -> 1300, 十二 -> 12, 一九九三 -> 1993 (digit string)."""
    if written and all(c in CN_DIGITS for c in written) and len(written) > 1:
        return int("".join(str(CN_DIGITS[c]) for c in written))
    total, digit = 0, None
    for char in written:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char]
        elif char in CN_SMALL_UNITS:
            total += (1 if digit is None else digit) * CN_SMALL_UNITS[char]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {written!r}")
    return total + (digit or 0)


def parse_chinese(written: str) -> float:
    """一千三百 -> 1300; 三千五百万 -> 35000000; 七点九 -> 7.9; 两 -> 2."""
    if "点" in written:
        whole, _, fraction = written.partition("点")
        digits = "".join(str(CN_DIGITS[c]) for c in fraction)
        return parse_chinese(whole or "零") + float("0." + digits)
    total = 0
    rest = written
    for unit_char in ("亿", "万"):
        if unit_char in rest:
            head, _, rest = rest.partition(unit_char)
            head_value = parse_chinese(head) if head else 1
            total += head_value * CN_BIG_UNITS[unit_char]
    return float(total + (_parse_cn_section(rest) if rest else 0))


def is_chinese_numeral(written: str) -> bool:
    # a matched numeral is all Arabic or all Chinese, so its first character tells
    return bool(written) and not written[0].isascii()


def parse_number(written: str) -> float:
    return parse_chinese(written) if is_chinese_numeral(written) else parse_arabic(written)
