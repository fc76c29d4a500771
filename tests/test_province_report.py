"""A provincial report (our fictional 示例省, examples/示例省-2024.txt, in the real style): every
headline outcome of the review and target of 主要预期目标 with its catalog id, value, unit and
qualifier (tests/golden/province-2024.jsonl), named as a province names them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luoshi.io import read_file
from luoshi.pipeline import process

REPO = Path(__file__).resolve().parent.parent
GOLDEN = [json.loads(line) for line in (REPO / "tests" / "golden" / "province-2024.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def report():
    return process(read_file(REPO / "examples" / "示例省-2024.txt")[0])


def test_province_metadata(report):
    assert (report.kind, report.region, report.year, report.date, report.speaker) == ("report", "示例", 2024, "2024-01-22", "李示范")


def test_province_headline_indicators(report):
    got = [{"role": v.role, "indicator_id": v.indicator_id, "year": v.year, "low": v.low, "high": v.high, "unit": v.unit,
            "qualifier": v.qualifier, "text": report.text[v.start : v.end]} for v in report.indicator_values]
    assert got == GOLDEN
    assert len({g["indicator_id"] for g in GOLDEN if g["role"] == "target"}) >= 15
    assert len({g["indicator_id"] for g in GOLDEN if g["role"] == "outcome"}) >= 15


@pytest.mark.parametrize(("text", "indicator"), [("5.32万亿元", "地区生产总值"), ("5.5%左右", "地区生产总值增速"),
                                                  ("2.5%左右", "单位地区生产总值能耗降幅"), ("4.9%", "城镇居民人均可支配收入增速"),
                                                  ("0.9个百分点", "常住人口城镇化率"), ("1200个", "实施重点项目数")])
def test_province_names_what_is_measured(report, text, indicator):
    fact = next(f for f in report.facts if f.text == text)
    assert (fact.indicator, fact.region) == (indicator, "示例")
