"""compare: targets against the answer keys on real reports; slogans and sections on hand-built Docs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from luoshi.cli import main
from luoshi.report.compare import (
    Comparison,
    compare_documents,
    section_key,
    slogan_counts,
    strip_enumerator,
)
from luoshi.report.compare_md import render_comparison_markdown
from luoshi.io import read_file
from luoshi.model import Document, Fact, Section, Slogan
from luoshi.pipeline import process
from luoshi.extract.indicators import extract_indicator_values
from luoshi.resources import load_resources


@pytest.fixture(scope="module")
def resources():
    return load_resources()


@pytest.fixture(scope="module")
def national_comparison(national_dir, resources) -> Comparison:
    old, new = (process(read_file(national_dir / f"{year}.txt")[0], resources) for year in (2024, 2025))
    return compare_documents(old, new, resources)


def gold_targets(gold_dev: Path, year: int) -> dict[str, tuple[float, float, str | None]]:
    with open(gold_dev / "national" / "targets.csv", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if int(r["report_year"]) == year]
    return {r["indicator"]: (float(r["value_low"]), float(r["value_high"]), r["qualifier"] or None) for r in rows}


def gold_changed(gold_dev: Path, old_year: int, new_year: int) -> set[str]:
    """Indicators both years' keys have, whose range or qualifier differs."""
    old, new = gold_targets(gold_dev, old_year), gold_targets(gold_dev, new_year)
    return {i for i in old.keys() & new.keys() if old[i] != new[i]}


# ---------------------------------------------------------------- targets, real reports
# These run the whole pipeline but check only the targets: the slogan layer is still
# being written, and the sections are checked on hand-built documents below.


def test_compare_national_changed_targets_equal_gold(national_comparison, gold_dev):
    expected = gold_changed(gold_dev, 2024, 2025)
    assert expected  # the keys must give this test something to check
    assert {c.indicator_id for c in national_comparison.targets_changed} == expected


def test_compare_national_every_gold_target_is_compared(national_comparison, gold_dev):
    both = gold_targets(gold_dev, 2024).keys() & gold_targets(gold_dev, 2025).keys()
    compared = {c.indicator_id for c in national_comparison.targets_changed + national_comparison.targets_unchanged}
    assert both <= compared


@pytest.mark.parametrize(
    "indicator_id, old_figure, new_figure",
    [
        ("cpi", ("3%左右", 3.0, "%", "左右"), ("2%左右", 2.0, "%", "左右")),
        ("grain_output", ("1.3万亿斤以上", 13000.0, "亿斤", "以上"), ("1.4万亿斤左右", 14000.0, "亿斤", "左右")),
    ],
    ids=["cpi-3-to-2", "grain-13000-to-14000"],
)
def test_compare_national_target_change_as_written_and_normalized(national_comparison, indicator_id, old_figure, new_figure):
    change = next(c for c in national_comparison.targets_changed if c.indicator_id == indicator_id)
    for side, (text, value, unit, qualifier) in ((change.old, old_figure), (change.new, new_figure)):
        assert (side.text, side.low, side.high, side.unit, side.qualifier) == (text, value, value, unit, qualifier)
        assert text in side.quote


def test_compare_national_markdown_lists_cpi_and_grain(national_comparison):
    markdown = render_comparison_markdown(national_comparison)
    assert "- `cpi` 居民消费价格涨幅: 3%左右 → 2%左右" in markdown
    assert "1.3万亿斤以上 → 1.4万亿斤左右 (normalized: 13000亿斤以上 → 14000亿斤左右)" in markdown


# ---------------------------------------------------------------- targets, hand-built


def target_doc(year: int, figures: list[tuple[str, str, float, str, float, str, str | None]]) -> Document:
    """A report whose targets are ``figures``: (indicator_id, text, value, unit, value_base, base_unit, qualifier)."""
    text = "今年发展主要预期目标是：" + "；".join(f[1] for f in figures) + "。"
    facts, cursor = [], 0
    for indicator_id, surface, value, unit, value_base, base_unit, qualifier in figures:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        facts.append(Fact(surface, start, cursor, value, None, unit, value_base, base_unit, qualifier, "growth",
                          "target", str(year), None, indicator_id, "全国", (0, len(text))))
    return extract_indicator_values(Document(text=text, year=year, facts=tuple(facts)), load_resources())


GDP = ("gdp_growth", "5%左右", 5.0, "%", 5.0, "%", "左右")
CPI_3 = ("cpi", "3%左右", 3.0, "%", 3.0, "%", "左右")
CPI_3_NO_QUALIFIER = ("cpi", "3%", 3.0, "%", 3.0, "%", None)
ENERGY = ("energy_intensity", "2.5%左右", 2.5, "%", 2.5, "%", "左右")


@pytest.mark.parametrize(
    "old_figures, new_figures, expected",
    [
        ([GDP, CPI_3], [GDP, CPI_3, ENERGY], {"added": ["energy_intensity"], "unchanged": ["cpi", "gdp_growth"]}),
        ([GDP, ENERGY], [GDP], {"dropped": ["energy_intensity"], "unchanged": ["gdp_growth"]}),
        ([CPI_3], [CPI_3_NO_QUALIFIER], {"changed": ["cpi"]}),
    ],
    ids=["added", "dropped", "qualifier-only"],
)
def test_compare_targets_added_dropped_changed(resources, old_figures, new_figures, expected):
    comparison = compare_documents(target_doc(2024, old_figures), target_doc(2025, new_figures), resources)
    groups = {"changed": comparison.targets_changed, "unchanged": comparison.targets_unchanged,
              "added": comparison.targets_added, "dropped": comparison.targets_dropped}
    assert {name: [c.indicator_id for c in items] for name, items in groups.items() if items} == expected


def test_compare_targets_added_side_is_empty(resources):
    comparison = compare_documents(target_doc(2024, [GDP]), target_doc(2025, [GDP, ENERGY]), resources)
    (added,) = comparison.targets_added
    assert added.old is None and added.new.text == "2.5%左右"
    assert "`energy_intensity`" in render_comparison_markdown(comparison)


# ---------------------------------------------------------------- slogans


def slogan_doc(year: int, counts: dict[str, int]) -> Document:
    text = "".join(f"“{s}”" * n for s, n in counts.items())
    slogans = tuple(Slogan(text.index(s), text.index(s) + len(s), s, n) for s, n in counts.items())
    return Document(text=text, year=year, slogans=slogans)


def test_compare_slogans_new_dropped_persisting(resources):
    old = slogan_doc(2024, {"两个毫不动摇": 2, "三农": 3, "稳中求进": 1})
    new = slogan_doc(2025, {"三农": 4, "人工智能+": 1, "两个毫不动摇": 2})
    comparison = compare_documents(old, new, resources)
    as_tuples = lambda items: [(s.text, s.old_count, s.new_count) for s in items]  # noqa: E731
    assert as_tuples(comparison.slogans_new) == [("人工智能+", 0, 1)]
    assert as_tuples(comparison.slogans_dropped) == [("稳中求进", 1, 0)]
    assert as_tuples(comparison.slogans_persisting) == [("三农", 3, 4), ("两个毫不动摇", 2, 2)]
    markdown = render_comparison_markdown(comparison)
    assert "- “三农” 3 → 4" in markdown and "- “稳中求进” 1 → 0" in markdown


@pytest.mark.parametrize(
    "slogans, expected",
    [
        ((Slogan(0, 2, "三农", 3),), {"三农": 3}),
        ((Slogan(0, 2, "三农", 3), Slogan(5, 7, "三农", 3), Slogan(9, 11, "三农", 3)), {"三农": 3}),
        ((Slogan(0, 2, "三农", 1), Slogan(5, 7, "三农", 1)), {"三农": 2}),
    ],
    ids=["one-record", "per-occurrence-with-total", "per-occurrence-with-one"],
)
def test_compare_slogan_counts_whatever_the_layer_granularity(slogans, expected):
    assert slogan_counts(slogans) == expected


def test_compare_no_slogans_says_so(resources):
    comparison = compare_documents(Document(text="甲", year=2024), Document(text="乙", year=2025), resources)
    assert "No slogans in either document." in render_comparison_markdown(comparison)


# ---------------------------------------------------------------- sections


def heading_doc(year: int, headings: list[tuple[str, int, str]]) -> Document:
    """A report of headings only: (heading, level, part)."""
    text = "\n".join(h for h, _, _ in headings)
    sections, cursor = [], 0
    for heading, level, part in headings:
        start = text.index(heading, cursor)
        cursor = start + len(heading)
        sections.append(Section(start, cursor, heading, level, part=part, heading_end=cursor))
    return Document(text=text, year=year, sections=tuple(sections))


def test_compare_sections_plan_headings_new_dropped(resources):
    old = heading_doc(2024, [("一、2023年工作回顾", 1, "review"), ("二、2024年政府工作任务", 1, "plan"),
                             ("（一）扩大国内需求", 2, "plan"), ("（二）发展新质生产力", 2, "plan"),
                             ("1．细目不比较", 3, "plan")])
    new = heading_doc(2025, [("一、2024年工作回顾", 1, "review"), ("二、2025年政府工作任务", 1, "plan"),
                             ("（一）发展新质生产力", 2, "plan"), ("（二）大力提振消费", 2, "plan")])
    comparison = compare_documents(old, new, resources)
    assert comparison.sections_basis == "headings"
    assert [(e.title, e.level) for e in comparison.sections_new] == [("大力提振消费", 2)]
    assert [(e.title, e.level) for e in comparison.sections_dropped] == [("扩大国内需求", 2)]
    # the renumbered heading and the one naming its own year are the same sections
    assert [e.title for e in comparison.sections_kept] == ["2025年政府工作任务", "发展新质生产力"]


def test_compare_sections_by_keyword_when_both_have_them(resources):
    def keyword_doc(year: int, keywords: list[str]) -> Document:
        text = "".join(f"关键词【{k}】正文。" for k in keywords)
        sections = tuple(Section(text.index(k), text.index(k) + len(k), f"关键词【{k}】", 1, k, (k,))
                         for k in keywords)
        return Document(text=text, year=year, sections=sections)

    comparison = compare_documents(keyword_doc(2024, ["枢纽", "开放"]), keyword_doc(2025, ["开放", "科创"]), resources)
    assert comparison.sections_basis == "keywords"
    assert [e.title for e in comparison.sections_new] == ["科创"]
    assert [e.title for e in comparison.sections_dropped] == ["枢纽"]
    assert "## Sections (keywords)" in render_comparison_markdown(comparison)


@pytest.mark.parametrize(
    "heading, expected",
    [("一、2024年政府工作任务", "2024年政府工作任务"), ("（十）切实保障和改善民生", "切实保障和改善民生"),
     ("(三)稳外贸", "稳外贸"), ("2．推进改革", "推进改革"), ("没有编号", "没有编号")],
)
def test_compare_strip_enumerator(heading, expected):
    assert strip_enumerator(heading) == expected


@pytest.mark.parametrize(
    "title, year, expected",
    [("2024年政府工作任务", 2024, "{Y+0}年政府工作任务"), ("2023年工作回顾", 2024, "{Y-1}年工作回顾"),
     ("2035年远景目标", 2024, "2035年远景目标"), ("2024年政府工作任务", None, "2024年政府工作任务")],
)
def test_compare_section_key_years_relative_to_document(title, year, expected):
    assert section_key(title, year) == expected


# ---------------------------------------------------------------- JSON form


def test_compare_to_dict_round_trip(resources):
    old = target_doc(2024, [GDP, CPI_3])
    new = target_doc(2025, [CPI_3_NO_QUALIFIER, ENERGY])
    old = Document(text=old.text, year=2024, facts=old.facts, indicator_values=old.indicator_values,
                   slogans=(Slogan(0, 2, "三农", 2),))
    comparison = compare_documents(old, new, resources)
    data = json.loads(json.dumps(comparison.to_dict(), ensure_ascii=False))
    assert data["targets_changed"][0]["old"]["text"] == "3%左右"
    assert Comparison.from_dict(data) == comparison


# ---------------------------------------------------------------- CLI


@pytest.fixture()
def runner():
    return CliRunner()


def test_compare_cli_markdown_has_the_cpi_line(runner, national_dir):
    result = runner.invoke(main, ["compare", str(national_dir / "2024.txt"), str(national_dir / "2025.txt"), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "- `cpi` 居民消费价格涨幅: 3%左右 → 2%左右" in result.stdout


def test_compare_cli_json(runner, tmp_path):
    (tmp_path / "a.txt").write_text("今年发展主要预期目标是：居民消费价格涨幅3%左右。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("今年发展主要预期目标是：居民消费价格涨幅2%左右。", encoding="utf-8")
    result = runner.invoke(main, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"old", "new", "targets_changed", "slogans_new", "sections_new"}


@pytest.mark.parametrize("missing_first", [True, False], ids=["old-missing", "new-missing"])
def test_compare_cli_missing_file_is_one_line_error(runner, national_dir, tmp_path, missing_first):
    missing = tmp_path / "nope.txt"
    paths = [missing, national_dir / "2025.txt"] if missing_first else [national_dir / "2025.txt", missing]
    result = runner.invoke(main, ["compare", *map(str, paths)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: {missing}: no such file or folder"]
    assert "Traceback" not in result.output


def test_compare_reworded_headings_paired(national_dir, resources):
    from luoshi.report.compare import compare_documents
    from luoshi.io import read_file
    from luoshi.pipeline import process

    old, new = (process(read_file(str(national_dir / f"{y}.txt"))[0], resources) for y in (2024, 2025))
    pairs = {(r.old, r.new) for r in compare_documents(old, new, resources).reworded_sections}
    assert ("大力推进现代化产业体系建设，加快发展新质生产力", "因地制宜发展新质生产力，加快建设现代化产业体系") in pairs
    assert ("坚持不懈抓好“三农”工作，扎实推进乡村全面振兴", "着力抓好“三农”工作，深入推进乡村全面振兴") in pairs
    assert len({o for o, _ in pairs}) == len(pairs) == len({n for _, n in pairs})  # one to one


@pytest.mark.parametrize(("old", "new", "paired"), [
    ("扩大国内需求", "大力提振消费", False),
    ("切实保障和改善民生", "加大保障和改善民生力度", True),
])
def test_compare_pair_reworded(old, new, paired):
    from luoshi.report.compare import SectionEntry, pair_reworded

    result = pair_reworded((SectionEntry(old, 2),), (SectionEntry(new, 2),))
    assert bool(result) is paired
