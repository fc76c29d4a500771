"""A news page end to end (a fictional 示例市 page with ads, scripts, captions, editor line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.io import read_file
from luoshi.pipeline import process

PAGE = Path(__file__).resolve().parent / "fixtures" / "示例市-news.html"


@pytest.fixture(scope="module")
def page():
    return process(read_file(PAGE)[0])


def test_news_page_metadata(page):
    assert (page.kind, page.region, page.year, page.date) == ("news", "示例", 2024, "2024-01-11")
    assert page.title == "示例市政府工作报告：今年地区生产总值预期增长5.5%左右"


@pytest.mark.parametrize("dropped", ["99.5%", "年化收益", "100万标箱", "责任编辑", "版权所有", "首页", "width"])
def test_news_page_drops_non_article_text(page, dropped):
    assert dropped not in page.text


def test_news_page_facts(page):
    got = [(f.text, f.status, f.period, f.indicator_id) for f in page.facts]
    assert got == [
        ("5.5%左右", "target", "2024", "gdp_growth"),  # the headline
        ("1234.5亿元", "actual", "2023", "gdp_level"),
        ("5.6%", "actual", "2023", "gdp_growth"),
        ("第3位", "actual", "2023", None),
        ("126家", "actual", "2023", None),
        ("980家", "actual", "2023", None),
        ("5.5%左右", "target", "2024", "gdp_growth"),
        ("3万人以上", "target", "2024", "urban_new_jobs"),
        ("320个", "target", "2024", None),
        ("5.5%左右", "target", "2024", "gdp_growth"),  # a deputy's remark repeats the target the title names
    ]
    assert all(page.text[f.start : f.end] == f.text for f in page.facts)


def test_news_page_sidecar_index(tmp_path):
    (tmp_path / "a.html").write_text("<html><body><p>2021年，全市地区生产总值增长8.1%。</p></body></html>", encoding="utf-8")
    (tmp_path / "index.json").write_text('[{"file": "a.html", "title": "标题", "date": "Sun, 06 Mar 2022 00:03:50 GMT"}]', encoding="utf-8")
    doc = process(read_file(tmp_path / "a.html")[0])
    assert (doc.title, doc.date, doc.year) == ("标题", "2022-03-06", 2022)
    assert [(f.text, f.status, f.period) for f in doc.facts] == [("8.1%", "actual", "2021")]


@pytest.mark.parametrize(
    ("text", "year"),
    [("报告显示，2023年全省地区生产总值增长5.2%。对于今年的发展，报告提出增长5.5%左右。", 2024),
     ("2月6日，示例省统计局发布2023年各市地区生产总值数据。", 2024),
     ("2023年前三季度，全市地区生产总值增长5.1%。今年以来经济持续恢复。", 2023),
     ("2024年，全市要统筹推进重点项目建设。2023年，全市新增企业120家。", 2024)],
)
def test_news_year_from_text(text, year):
    from luoshi.pipeline import process_text

    assert process_text(text).year == year


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024年，示例市将新增城镇就业8万人。", [("8万人", "target", "2024")]),
     ("去年示例市GDP突破1.2万亿元；今年将力争新开工亿元以上项目500个以上。",
      [("1.2万亿元", "actual", "2023"), ("500个以上", "target", "2024")]),
     ("今年赤字率拟按3%安排。专家认为，3%的赤字率保持了必要的支出强度。",
      [("3%", "target", "2024"), ("3%", "target", "2024")]),
     ("将湖南“4千亿梯队”成员增至2位。", [("2位", "actual", "2023")])],
)
def test_news_status_cues(text, expected):
    from luoshi.pipeline import process_text

    doc = process_text(text, year=2024, kind="news")
    assert [(f.text, f.status, f.period) for f in doc.facts] == expected
