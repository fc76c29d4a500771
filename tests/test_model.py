"""The document model: frozen records, half-open spans, symmetric dict round-trips."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.model import Document, Fact, Section, content_id
from luoshi.pipeline import process_text

facts = st.builds(
    Fact,
    text=st.text(min_size=1, max_size=8), start=st.integers(0, 1000), end=st.integers(0, 1000),
    value=st.floats(allow_nan=False, allow_infinity=False), value_max=st.none() | st.floats(allow_nan=False, allow_infinity=False),
    unit=st.none() | st.sampled_from(["亿元", "%", "家"]), value_base=st.floats(allow_nan=False, allow_infinity=False),
    base_unit=st.none() | st.sampled_from(["元", "%"]), qualifier=st.none() | st.sampled_from(["以上", "左右"]),
    kind=st.sampled_from(["level", "count", "growth"]), status=st.sampled_from(["actual", "target"]),
    period=st.none() | st.sampled_from(["2023", "2024"]), indicator=st.none() | st.text(max_size=10),
    indicator_id=st.none() | st.just("gdp_growth"), region=st.none() | st.just("郑州"),
    sentence=st.tuples(st.integers(0, 10), st.integers(10, 20)),
)


@given(st.lists(facts, max_size=5), st.text(max_size=50))
def test_model_round_trip_hypothesis(fact_list, text):
    doc = Document(text=text, facts=tuple(fact_list), sections=(Section(0, 1, "一、", 1, "X", ("X", "Y"), "plan"),))
    data = json.loads(json.dumps(doc.to_dict(include_text=True), ensure_ascii=False))
    assert Document.from_dict(data) == doc


def test_model_round_trip_real_document(corpus_dir):
    doc = process_text((corpus_dir / "seed" / "zhengzhou-2024-keywords.txt").read_text(encoding="utf-8"))
    assert doc.facts and doc.statements
    assert Document.from_dict(doc.to_dict(include_text=True)) == doc


def test_model_records_are_frozen():
    section = Section(0, 3, "一、", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        section.start = 2  # type: ignore[misc]


def test_model_contract_keys():
    data = process_text("2023年，示例市地区生产总值增长5.6%。").to_dict(include_internal=False)
    assert list(data) == ["id", "path", "title", "kind", "region", "year", "date", "speaker",
                          "sections", "facts", "tasks", "entities", "statements", "slogans"]
    fact = data["facts"][0]
    assert set(fact) == {"text", "start", "end", "value", "value_max", "unit", "value_base", "base_unit", "qualifier",
                         "kind", "status", "period", "indicator", "indicator_id", "region", "sentence",
                         "period_start", "period_end", "period_grain"}
    assert (fact["text"], fact["value"], fact["status"], fact["period"], fact["kind"]) == ("5.6%", 5.6, "actual", "2023", "growth")
    assert (fact["period_grain"], fact["period_start"], fact["period_end"]) == ("year", "2023-01-01", "2023-12-31")


def test_model_id_is_content_hash():
    assert Document("同一文本").id == Document("同一文本", path="other.txt").id == content_id("同一文本")
    assert Document("同一文本").id != Document("另一文本").id
