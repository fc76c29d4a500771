"""Metadata inferred from the text across the national corpus, the seed and news pages."""

from __future__ import annotations

import re

import pytest

from luoshi.io import read_file
from luoshi.model import Document
from luoshi.parse.meta import infer_meta, session_year
from luoshi.resources import load_resources

NATIONAL_REPORTS = [f"{y}.txt" for y in (1954, 1975, 1993, 1998, 2003, 2017, 2024, 2025)]


@pytest.mark.parametrize("name", NATIONAL_REPORTS)
def test_meta_national_reports(national_dir, name):
    doc = infer_meta(read_file(national_dir / name)[0], load_resources())
    assert (doc.kind, doc.region, doc.year) == ("report", "全国", int(name[:4]))


def test_meta_dateline_gives_date_speaker_and_title(national_dir):
    doc = infer_meta(read_file(national_dir / "2024.txt")[0], load_resources())
    assert (doc.date, doc.speaker, doc.title) == ("2024-03-05", "李强", "政府工作报告")


def test_meta_year_from_text_not_filename(national_dir, tmp_path):
    copy = tmp_path / "report.txt"
    copy.write_text((national_dir / "2023.txt").read_text(encoding="utf-8"), encoding="utf-8")
    doc = infer_meta(read_file(copy)[0], load_resources())
    assert (doc.year, doc.date, doc.region) == (2023, "2023-03-05", "全国")


@pytest.mark.parametrize(
    ("name", "year"),
    [("resolution-npc14-s2.txt", 2024), ("resolution-npc13-s5.txt", 2022), ("resolution-npc11-s1.txt", 2008)],
)
def test_meta_resolutions(national_dir, name, year):
    doc = infer_meta(read_file(national_dir / name)[0], load_resources())
    assert (doc.kind, doc.region, doc.year) == ("resolution", "全国", year)


@pytest.mark.parametrize(
    ("text", "year"),
    [("在十三届全国人大五次会议首场“部长通道”上", 2022), ("第十四届全国人民代表大会第二次会议", 2024),
     ("第一届全国人民代表大会第一次会议", 1954)],
)
def test_meta_session_year(text, year):
    assert session_year(text, load_resources().lexicon.meta) == year


def test_meta_seed_is_news_about_zhengzhou(corpus_dir):
    doc = infer_meta(read_file(corpus_dir / "seed" / "zhengzhou-2024-keywords.txt")[0], load_resources())
    assert (doc.kind, doc.region, doc.year, doc.title) == ("news", "郑州", 2024, "政府工作报告·郑州元素")


def test_meta_local_report_and_flags_override():
    text = "深圳市政府工作报告\n\n——2024年4月11日在深圳市第七届人民代表大会第二次会议上\n\n各位代表：\n\n现在报告工作。"
    doc = infer_meta(Document(text), load_resources())
    assert (doc.kind, doc.region, doc.year, doc.date) == ("report", "深圳", 2024, "2024-04-11")
    forced = infer_meta(Document(text, region="广东", year=2023), load_resources())
    assert (forced.region, forced.year) == ("广东", 2023)


def test_meta_spaced_and_fullwidth_digits_in_dateline():
    text = "政府工作报告\n——２０２４年３月５日在第十四届全国人民代表大会第二次会议上\n各位代表：\n"
    doc = infer_meta(Document(text), load_resources())
    assert (doc.year, doc.date, doc.region) == (2024, "2024-03-05", "全国")
    assert re.search("２０２４", doc.text)  # the text itself is never rewritten
