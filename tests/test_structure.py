"""Structure against the seed's answer key and the national reports' headings."""

from __future__ import annotations

import json

import pytest

from luoshi.io import read_file
from luoshi.pipeline import process


@pytest.fixture(scope="module")
def seed(corpus_dir):
    return process(read_file(corpus_dir / "seed" / "zhengzhou-2024-keywords.txt")[0])


@pytest.fixture(scope="module")
def seed_key(gold_dev):
    return json.loads((gold_dev / "seed" / "structure.json").read_text(encoding="utf-8"))


def test_structure_keyword_sections_match_key(seed, seed_key):
    ours = [s for s in seed.sections if s.keyword and s.level == 1]
    assert [(s.keyword, list(s.tags), s.start, s.end) for s in ours] == [
        (g["keyword"], g["tags"], g["start"], g["end"]) for g in seed_key["sections"]
    ]


@pytest.mark.parametrize("part", ["review", "plan"])
def test_structure_keyword_parts_match_key(seed, seed_key, part):
    ours = [(s.keyword, s.start, s.end) for s in seed.sections if s.level == 2 and s.part == part]
    assert ours == [(g["keyword"], g[part]["start"], g[part]["end"]) for g in seed_key["sections"]]


def test_structure_paragraph_parts(seed, seed_key):
    parts = {p.start: p.part for p in seed.paragraphs}
    for g in seed_key["sections"]:
        for part in ("review", "plan"):
            for start, _ in g[part]["paragraphs"]:
                assert parts[start] == part


def test_structure_statements_match_key(seed, seed_key):
    assert [(s.speaker, s.role, s.headline, s.start, s.end) for s in seed.statements] == [
        (g["speaker"], g["role"], g["headline"], g["start"], g["end"]) for g in seed_key["statements"]
    ]


def test_structure_artefacts_recorded_not_removed(seed, seed_key):
    found = {(a.type, a.start, a.end) for a in seed.artefacts}
    for g in seed_key["artefacts"]:
        assert (g["type"], g["start"], g["end"]) in found
        assert seed.text[g["start"] : g["end"]] == g["text"]


def test_structure_national_2024_headings(national_dir):
    doc = process(read_file(national_dir / "2024.txt")[0])
    level1 = [(s.heading, s.part) for s in doc.sections if s.level == 1]
    assert level1 == [
        ("一、2023年工作回顾", "review"),
        ("二、2024年经济社会发展总体要求和政策取向", "plan"),
        ("三、2024年政府工作任务", "plan"),
    ]
    level2 = [s.heading for s in doc.sections if s.level == 2]
    assert len(level2) == 10 and level2[0].startswith("（一）大力推进现代化产业体系建设")
    assert all(doc.text[s.start : s.start + 3] == s.heading[:3] for s in doc.sections)


def test_structure_sentences_tile_paragraphs(national_dir):
    doc = process(read_file(national_dir / "2023.txt")[0])
    covered = sum(s.end - s.start for s in doc.sentences)
    assert covered == sum(p.end - p.start for p in doc.paragraphs)


def test_structure_resolution_footer_is_boilerplate(national_dir):
    doc = process(read_file(national_dir / "resolution-npc14-s2.txt")[0])
    footer = [a for a in doc.artefacts if a.type == "boilerplate"]
    assert len(footer) == 1 and doc.text[footer[0].start :].lstrip().startswith("本作品来自")
    assert all(f.end <= footer[0].start for f in doc.facts)
