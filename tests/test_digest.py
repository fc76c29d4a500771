"""The keyword digest: the seed page's own sections and voices, a national report's themes,
--focus, and HTML that shows untrusted text without running it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from luoshi.cli import main
from luoshi.digest import build_digest, render_html, render_markdown
from luoshi.io import read_file
from luoshi.pipeline import process, process_text
from luoshi.resources import load_resources

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def resources():
    return load_resources()


@pytest.fixture(scope="module")
def seed(corpus_dir, resources):
    doc = read_file(str(corpus_dir / "seed" / "zhengzhou-2024-keywords.txt"))[0]
    # a path that does not depend on where the suite runs, for the golden page
    return process(doc.with_meta(path="zhengzhou-2024-keywords.txt"), resources)


@pytest.fixture(scope="module")
def seed_digest(seed, resources):
    return build_digest(seed, resources)


@pytest.fixture(scope="module")
def seed_gold(gold_dev):
    structure = json.loads((gold_dev / "seed" / "structure.json").read_text(encoding="utf-8"))
    facts = [json.loads(line) for line in (gold_dev / "seed" / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    return structure, facts


def test_digest_seed_golden_page(seed_digest, resources):
    expected = (GOLDEN / "digest-seed.md").read_text(encoding="utf-8")
    assert render_markdown(seed_digest, resources.digest.labels) == expected


def test_digest_seed_sections_in_order(seed_digest, seed_gold):
    structure, _ = seed_gold
    assert [s.keyword for s in seed_digest.sections] == [g["keyword"] for g in structure["sections"]]
    assert [list(s.tags) for s in seed_digest.sections] == [g["tags"] for g in structure["sections"]]


def test_digest_seed_figures_in_their_part(seed_digest, seed_gold):
    _, facts = seed_gold
    by_keyword = {s.keyword: s for s in seed_digest.sections}
    for key in facts:
        if key.get("doubtful") or key["section"].startswith("代表发言"):
            continue
        section = by_keyword[key["section"]]
        part = section.results if key["status"] == "actual" else section.targets
        assert (key["start"], key["text"]) in {(i.start, i.text) for i in part}, key


def test_digest_seed_voices(seed_digest, seed_gold):
    structure, facts = seed_gold
    assert [(v.speaker, v.role, v.headline) for v in seed_digest.voices] == [
        (g["speaker"], g["role"], g["headline"]) for g in structure["statements"]]
    tian = next(v for v in seed_digest.voices if v.speaker == "田海涛")
    assert [i.text for i in tian.figures] == ["六方面"]


def test_digest_items_quote_their_source(seed, seed_digest):
    items = [i for s in seed_digest.sections for i in s.results + s.targets + s.tasks]
    assert items
    for item in items:
        assert seed.text[item.start : item.end] == item.text
        assert seed.text[item.quote_start : item.quote_end] == item.quote
        assert item.quote_start <= item.start < item.end <= item.quote_end


@pytest.fixture(scope="module")
def national_2024(national_dir, resources):
    return process(read_file(str(national_dir / "2024.txt"))[0], resources)


def test_digest_report_follows_task_headings(national_2024, resources, gold_dev):
    digest = build_digest(national_2024, resources)
    headings = [s.heading for s in national_2024.sections if s.level == 2 and s.part == "plan"]
    main_section, themes = digest.sections[0], digest.sections[1:]
    assert [s.heading for s in themes] == headings and len(themes) == 10
    assert all(s.keyword and len(s.keyword) >= 2 and s.keyword != s.heading for s in themes)
    assert sum(1 for s in themes if s.tasks) >= 8 and sum(1 for s in themes if s.results) >= 6
    with (gold_dev / "national" / "targets.csv").open(encoding="utf-8") as handle:
        keyed = {row["indicator"] for row in csv.DictReader(handle) if row["report_year"] == "2024"}
    assert keyed <= {i.detail["indicator_id"] for i in main_section.targets}
    assert all(i.detail["period"] == "2023" for i in main_section.results)


@pytest.mark.parametrize(("heading", "keyword"), [
    ("（一）大力推进现代化产业体系建设，加快发展新质生产力", "现代化产业体系"),
    ("（六）更好统筹发展和安全，有效防范化解重点领域风险", "发展和安全"),
    ("（十）切实保障和改善民生，加强和创新社会治理", "改善民生"),
    ("（二）文化", "文化"),
])
def test_digest_theme_keyword(heading, keyword, resources):
    from luoshi.digest.themes import theme_keyword

    assert theme_keyword(heading, resources.digest) == keyword


def test_digest_focus_keeps_sub_places(seed, resources):
    digest = build_digest(seed, resources, focus="郑州")
    tasks = {i.text for s in digest.sections for i in s.tasks}
    assert "全面提升航空港区开发建设" in tasks and "加快推进机场三期扩建工程项目建设" in tasks
    narrow = build_digest(seed, resources, focus="航空港区")
    assert {i.text for s in narrow.sections for i in s.tasks} == {"全面提升航空港区开发建设"}
    assert [v.speaker for v in narrow.voices] == ["田海涛"]


def test_digest_focus_on_a_district(seed, resources):
    digest = build_digest(seed, resources, focus="金水区")
    assert digest.sections == () and [v.speaker for v in digest.voices] == ["张艳华"]


def test_digest_focus_not_mentioned_is_empty_not_an_error(corpus_dir):
    result = CliRunner().invoke(main, ["digest", str(corpus_dir / "seed" / "zhengzhou-2024-keywords.txt"), "--focus", "拉萨"])
    assert result.exit_code == 0
    assert "拉萨：文中没有提到这个地方" in result.stderr and "zhengzhou-2024-keywords.txt" in result.stderr
    assert "## " not in result.stdout


HOSTILE = ("2024年，示例市将加快推进<script>alert(1)</script>东湖三期扩建工程项目建设，"
           "完善“\"><img src=x onerror=alert(2)>”平台，新增企业120家。")


def test_digest_html_escapes_document_text(resources):
    doc = process_text(HOSTILE, year=2024, region="示例", title="<script>alert(3)</script>")
    page = render_html(build_digest(doc, resources), resources.digest.labels)
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//script") == [] and tree.xpath("//img") == []
    assert not [el for el in tree.iter() if any(a.startswith("on") for a in el.attrib)]
    assert "<script>alert(1)</script>" in tree.text_content()
    assert "120家" in [m.text for m in tree.xpath("//mark")]
    assert "default-src 'none'" in page  # and a browser would refuse to run a script anyway


def test_digest_html_links_figures_to_quotes(seed_digest, resources):
    tree = lxml_html.fromstring(render_html(seed_digest, resources.digest.labels))
    links = {a.get("href")[1:] for a in tree.xpath("//a[starts-with(@href, '#q')]")}
    targets = {li.get("id") for li in tree.xpath("//li[starts-with(@id, 'q')]")}
    assert links and links <= targets


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_digest_cli_formats(corpus_dir, fmt):
    result = CliRunner().invoke(main, ["digest", str(corpus_dir / "seed" / "zhengzhou-2024-keywords.txt"), "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert len(data["sections"]) == 12 and len(data["voices"]) == 7
    else:
        assert "关键词【对外开放】" in result.stdout and "1300亿元以上" in result.stdout


def test_digest_cli_bad_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["digest", str(empty)])
    assert result.exit_code == 1 and "file is empty" in result.stderr and "Traceback" not in result.output
