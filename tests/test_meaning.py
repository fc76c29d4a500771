"""What, where and when of a figure (indicator, region, period) on short hand-built texts:
golden cases in tests/golden/meaning.jsonl, each figure's expected fields checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luoshi.pipeline import process_text

CASES = [json.loads(line) for line in (Path(__file__).parent / "golden" / "meaning.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_meaning_golden_case(case):
    doc = process_text(case["text"], title=case.get("title"), **case["meta"])
    facts = list(doc.facts)
    assert all(doc.text[f.start : f.end] == f.text for f in facts)
    for expected in case["expect"]:
        match = next((f for f in facts if f.text == expected["text"]), None)
        assert match is not None, (expected["text"], [f.text for f in facts])
        facts.remove(match)  # a repeated figure is matched in order
        got = {key: getattr(match, key) for key in expected}
        assert got == expected
