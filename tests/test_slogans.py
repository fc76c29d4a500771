"""Slogans on the seed page and the national reports: quoted terms, formulas, counts."""

from __future__ import annotations

from collections import Counter

import pytest

from luoshi.extract.slogans import extract_slogans
from luoshi.io import read_file
from luoshi.model import Artefact, Document
from luoshi.pipeline import process, process_text
from luoshi.resources import load_resources


def _occurrences(doc, text):
    return [(s.start, s.end, s.count) for s in doc.slogans if s.text == text]


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("三标", [344, 904]),  # “三标” twice (counted by hand: 全面开展“三标”活动, 坚持“三标”引领)
        ("两个确保", [333]),
        ("十大战略", [355]),
        ("三个一批", [805]),
        ("郑好办", [3727]),
        ("一单制", [1903]),
        ("一箱制", [1908]),
        ("四新", [4062]),
        ("一老一小一青壮", [4674]),  # the quoted term, not the formula 一老一小 inside it
        ("一带一路", [5811, 5988]),
        ("八项行动", [5816, 5993]),  # a formula, unquoted
        ("新质生产力", [3071, 3198, 5244]),  # a listed term, unquoted
        ("聚变", [6804]),  # quoted once; 超聚变 is not an occurrence
    ],
)
def test_slogans_seed_occurrences_and_counts(seed, text, starts):
    assert _occurrences(seed, text) == [(s, s + len(text), len(starts)) for s in starts]
    assert all(seed.text[s : s + len(text)] == text for s in starts)


def test_slogans_seed_three_biao_count_matches_text(seed):
    assert seed.text.count("“三标”") == 2
    assert {s.count for s in seed.slogans if s.text == "三标"} == {2}


@pytest.mark.parametrize(
    "text",
    ["跑出加速度，确保高质量", "研发在郑州、孵化在周边、转化在全省", "城市标准化行动方案", "米", "关键词",
     "政府工作报告政治站位高、工作部署实、思路举措新，为民情怀浓，让人倍感振奋。", "一老一小"],
)
def test_slogans_seed_excluded(seed, text):
    assert text not in {s.text for s in seed.slogans}


def test_slogans_seed_totals(seed):
    assert (len(seed.slogans), len({s.text for s in seed.slogans})) == (89, 65)


@pytest.mark.parametrize(
    ("text", "count"),
    [("新质生产力", 1), ("一带一路", 5), ("十四五", 4), ("两个确立", 1), ("高质量发展", 25)],
)
def test_slogans_national_2024_counts(national_2024, text, count):
    assert national_2024.text.count(text) == count
    assert [s.count for s in national_2024.slogans if s.text == text] == [count] * count


def test_slogans_national_2024_totals(national_2024):
    assert (len(national_2024.slogans), len({s.text for s in national_2024.slogans})) == (100, 60)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("实施“消费促进年”活动。消费促进年成效明显。", [("消费促进年", 2), ("消费促进年", 2)]),
        ("“一是”“2024”“（一）”“十四五”", [("十四五", 1)]),
        ("落实《城市标准化行动方案》。", []),
        ("要千方百计稳定“两会”期间的物价。", []),
        ("锚定“ 两个确保 ”。", [("两个确保", 1)]),
    ],
)
def test_slogans_hand_built(text, expected):
    assert [(s.text, s.count) for s in process_text(text).slogans] == expected


def test_slogans_boilerplate_excluded():
    text = "坚持“三标”引领。\n责任编辑“三标”"
    start = text.index("责任编辑")
    doc = Document(text=text, artefacts=(Artefact(start, len(text), "boilerplate", text[start:]),))
    doc = extract_slogans(doc, load_resources())
    assert [(s.text, s.start, s.count) for s in doc.slogans] == [("三标", 3, 1)]


def test_slogans_national_spans_exact_and_counts_consistent(national_dir):
    for path in sorted(national_dir.glob("*.txt")):
        doc = process(read_file(path)[0])
        counts = Counter(s.text for s in doc.slogans)
        end = 0
        for s in doc.slogans:
            assert doc.text[s.start:s.end] == s.text, (path.name, s)
            assert s.count == counts[s.text] and s.start >= end, (path.name, s)
            end = s.end
