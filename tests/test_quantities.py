"""Golden cases for the quantity matcher: every expected span, value and unit, nothing else."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from luoshi.extract.context import exclusion_mask
from luoshi.text.normalize import normalize
from luoshi.text.numbers import parse_number
from luoshi.extract.quantities import find_quantities
from luoshi.model import Document
from luoshi.resources import load_resources

CASES = [json.loads(line) for line in (Path(__file__).parent / "golden" / "quantities.jsonl").read_text(encoding="utf-8").splitlines()]


def _close(a, b) -> bool:
    return a is b if a is None or b is None else math.isclose(a, b, rel_tol=1e-6)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_quantities_golden(case):
    resources = load_resources()
    text = case["text"]
    norm = normalize(text)
    found = find_quantities(norm, exclusion_mask(norm, Document(text), resources), resources)
    got = [
        dict(text=text[q.start : q.end], start=q.start, end=q.end, value=q.value, value_max=q.value_max,
             unit=q.unit, value_base=q.value_base, base_unit=q.base_unit, qualifier=q.qualifier)
        for q in found
    ]
    assert [g["text"] for g in got] == [e["text"] for e in case["expected"]]
    for g, e in zip(got, case["expected"]):
        assert text[e["start"] : e["end"]] == e["text"]
        assert (g["start"], g["end"], g["unit"], g["base_unit"], g["qualifier"]) == (
            e["start"], e["end"], e["unit"], e["base_unit"], e["qualifier"]), e["text"]
        assert _close(g["value"], e["value"]) and _close(g["value_max"], e["value_max"])
        assert _close(g["value_base"], e["value_base"])


@pytest.mark.parametrize(
    ("written", "value"),
    [("一千三百", 1300), ("三千五百万", 35_000_000), ("七点九", 7.9), ("两", 2), ("十二", 12), ("一九九三", 1993),
     ("二十万", 200_000), ("一万二千", 12_000), ("三百零三", 303), ("7 4 7 7 2", 74772), ("1.5", 1.5), ("1,234", 1234)],
)
def test_numbers_parse(written, value):
    assert parse_number(written) == pytest.approx(value)


def test_normalize_keeps_length():
    text = "１９５６年國家預算２．４５億元％，“十四五”"
    assert len(normalize(text)) == len(text)
    assert normalize(text).startswith("1956年国家预算2.45亿元%")
