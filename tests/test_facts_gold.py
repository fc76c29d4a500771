"""Golden-file tests: the development answer keys, scored as ``luoshi eval`` scores them."""

from __future__ import annotations

import pytest

from luoshi.eval.score import ATTRIBUTES, evaluate


@pytest.fixture(scope="module")
def report(gold_dev):
    return evaluate(gold_dev)


def test_facts_seed_f1_and_attributes(report):
    score, acc = report.scores["facts"], report.accuracy["facts"]
    assert score.f1 >= 0.95, score.misses + score.extras
    for attribute in ("status", "period", "qualifier"):
        assert acc.value(attribute) >= 0.95, acc.wrong


def test_facts_news_pages(report):
    score, acc = report.scores["news facts"], report.accuracy["news facts"]
    assert score.f1 >= 0.90, score.misses + score.extras
    assert acc.value("status") >= 0.90, acc.wrong


@pytest.mark.parametrize("item", ["keyword sections", "statements", "national targets", "national outcomes"])
def test_facts_structure_and_national_all_right(report, item):
    score = report.scores[item]
    assert (score.fn, score.fp) == (0, 0), score.misses + score.extras


def test_facts_eval_counts_every_attribute(report):
    assert set(report.accuracy["facts"].right) == set(ATTRIBUTES)
    assert report.accuracy["facts"].total == report.scores["facts"].tp


def test_facts_seed_tasks_f1(report):
    score = report.scores["tasks"]
    assert score.f1 >= 0.80, score.misses + score.extras
