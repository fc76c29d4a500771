"""Tasks: golden cases (fictional, written by us), the clause splitter, real-document invariants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luoshi.text.clauses import clauses
from luoshi.model import Document
from luoshi.pipeline import process_text

CASES = [json.loads(line) for line in (Path(__file__).parent / "golden" / "tasks.jsonl").read_text(encoding="utf-8").splitlines()]


def _as_plan(text: str) -> Document:
    """A one-paragraph document whose paragraph is a plan part when it opens with this year."""
    doc = process_text(text, year=2024, region="示例")
    return doc


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_tasks_golden(case):
    doc = _as_plan(case["text"])
    got = [{"text": t.text, "object": t.object} for t in doc.tasks]
    assert got == case["expected"]
    for task in doc.tasks:
        assert doc.text[task.start : task.end] == task.text


@pytest.mark.parametrize(("text", "expected"), [
    ("甲，乙；丙。", ["甲", "乙", "丙"]),
    ("推进“三区十片，两轴多带”建设，完善《甲，乙》。", ["推进“三区十片，两轴多带”建设", "完善《甲，乙》"]),
    ("　甲 ， 乙", ["甲", "乙"]),
])
def test_tasks_clauses_respect_quotes(text, expected):
    assert [text[s:e] for s, e in clauses(text, 0, len(text))] == expected


@pytest.mark.parametrize(("text", "obj", "keyword"), [
    ("加快推进机场三期扩建工程项目建设", "机场三期扩建工程", "对外开放"),
    ("完善“郑好办”一站式政务服务功能", "“郑好办”", "新型城镇化"),
    ("承办好全省文旅创新发展大会", "全省文旅创新发展大会", "城市品牌"),
])
def test_tasks_seed_objects_and_keywords(seed, text, obj, keyword):
    task = next(t for t in seed.tasks if t.text == text)
    assert (task.object, task.keyword) == (obj, keyword)


def test_tasks_seed_none_in_review_or_voices(seed):
    plan = [(p.start, p.end) for p in seed.paragraphs if p.part == "plan"]
    assert seed.tasks and all(any(a <= t.start < b for a, b in plan) for t in seed.tasks)
    assert not any(s.start <= t.start < s.end for t in seed.tasks for s in seed.statements)


def test_tasks_deadline_and_region():
    doc = _as_plan("2024年，示例市要加快建设东湖科技城，到2026年建成西山国家实验室。")
    assert [(t.object, t.deadline) for t in doc.tasks] == [("东湖科技城", "2026"), ("西山国家实验室", "2026")]


def test_tasks_national_spans_and_keywords(national_2024):
    doc = national_2024
    assert len(doc.tasks) >= 30
    plan_headings = {s.heading for s in doc.sections if s.level == 2 and s.part == "plan"}
    for task in doc.tasks:
        assert doc.text[task.start : task.end] == task.text
        assert task.object and task.object in task.text
    assert {t.keyword for t in doc.tasks} & plan_headings
