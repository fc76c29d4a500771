"""The whole national corpus: every file extracts, every span quotes the text exactly."""

from __future__ import annotations

import pytest

from luoshi.io import read_file
from luoshi.pipeline import process

from conftest import NATIONAL

pytestmark = pytest.mark.shared
FILES = sorted(p.name for p in NATIONAL.glob("*.txt"))


def test_corpus_has_all_files():
    assert len(FILES) == 72


@pytest.mark.parametrize("name", FILES)
def test_corpus_spans_are_exact(name):
    doc = process(read_file(NATIONAL / name)[0])
    assert doc.year is not None and doc.kind in ("report", "resolution")
    sentences = [(s.start, s.end) for s in doc.sentences]
    for fact in doc.facts:
        assert doc.text[fact.start : fact.end] == fact.text
        assert fact.sentence in sentences and fact.sentence[0] <= fact.start < fact.sentence[1]
        assert fact.status in ("actual", "target")
        assert fact.value_base is not None
    for layer in (doc.sections, doc.paragraphs, doc.sentences, doc.statements, doc.artefacts):
        assert all(0 <= item.start <= item.end <= len(doc.text) for item in layer)
    if doc.kind == "report" and doc.year >= 1978:
        assert len(doc.facts) >= 20
