"""Entities on the seed page and the national reports: types, exact spans, no fragments."""

from __future__ import annotations

import pytest

from luoshi.errors import DataFileError
from luoshi.extract.entities import TYPES, Candidate, place_path
from luoshi.resources import load_yaml, package_data
from luoshi.resources.rules import parse_entities
from luoshi.text.spans import filter_spans
from luoshi.io import read_file
from luoshi.model import Entity
from luoshi.pipeline import process, process_text
from luoshi.resources import load_resources


@pytest.mark.parametrize(
    ("type_", "text", "start", "end"),
    [
        ("PLACE", "郑州", 11, 13),
        ("PLACE", "航空港区", 2832, 2836),
        ("PLACE", "金水区", 6170, 6173),
        ("PLACE", "郑州市", 4760, 4763),
        ("ORG", "香港大学", 1103, 1107),
        ("ORG", "联合国工发组织", 1746, 1753),
        ("ORG", "高安实验室", 1430, 1435),
        ("ORG", "省委", 5046, 5048),
        ("ORG", "省政府", 5049, 5052),
        ("ORG", "河南戏剧艺术学院", 6398, 6406),
        ("ORG", "超聚变数字技术有限公司", 6761, 6772),
        ("ORG", "上汽集团乘用车郑州分公司", 7111, 7123),
        ("PERSON", "王凯", 6705, 6707),
        ("PROJECT", "机场三期扩建工程", 1879, 1887),
        ("PROJECT", "郑聚英才计划", 1479, 1485),
        ("PROJECT", "中华文明探源工程", 4462, 4470),
        ("PLATFORM", "郑好办", 3727, 3730),
        ("PLATFORM", "亲清在线", 3971, 3975),
        ("PLATFORM", "全球汇", 1993, 1996),
        ("PLATFORM", "国家土壤污染防治先行区", 4224, 4235),
        ("PLATFORM", "自贸试验区郑州片区", 1777, 1786),
        ("EVENT", "黄帝故里拜祖大典", 1594, 1602),
        ("EVENT", "世界大河文明论坛", 1603, 1611),
        ("EVENT", "全球跨境电商大会", 1612, 1620),
        ("EVENT", "中国（郑州）国际旅游城市市长论坛", 1621, 1637),
        ("EVENT", "F1摩托艇世界锦标赛中国郑州大奖赛", 1638, 1655),
    ],
)
def test_entities_seed_named(seed, type_, text, start, end):
    assert seed.text[start:end] == text
    assert Entity(start, end, text, type_) in seed.entities


def test_entities_seed_statement_speakers_in_heading(seed):
    in_headings = [(e.text, e.start, e.end) for e in seed.entities if e.type == "PERSON"
                   and any(st.start <= e.start < st.heading_end for st in seed.statements)]
    assert in_headings == [("何雄", 4943, 4945), ("田海涛", 5398, 5401), ("于洋", 5797, 5799),
                           ("张艳华", 6099, 6102), ("王惠", 6390, 6392), ("刘宏云", 6670, 6673),
                           ("丁波", 6957, 6959)]


@pytest.mark.parametrize("name", ["何雄", "田海涛", "于洋", "张艳华", "王惠", "刘宏云", "丁波", "王凯"])
def test_entities_seed_person_tagged_everywhere(seed, name):
    people = [e for e in seed.entities if e.type == "PERSON" and e.text == name]
    assert len(people) == seed.text.count(name)


def test_entities_seed_people_are_only_names(seed):
    assert {e.text for e in seed.entities if e.type == "PERSON"} == {
        "何雄", "田海涛", "于洋", "张艳华", "王惠", "刘宏云", "丁波", "王凯"}


def test_entities_seed_counts_by_type(seed):
    counts = {t: sum(e.type == t for e in seed.entities) for t in TYPES}
    assert counts == {"PLACE": 97, "ORG": 26, "PERSON": 22, "PROJECT": 6, "PLATFORM": 19, "EVENT": 8}


@pytest.mark.parametrize(
    "fragment",
    ["一流大学郑州研究院", "6所一流大学", "省级实验室", "国家重点实验室", "机场三期扩建工程项目",
     "固定资产投资项目", "类开放平台", "开放平台", "创新平台", "重点项目", "上汽集团"],
)
def test_entities_seed_no_fragments_or_categories(seed, fragment):
    assert fragment not in {e.text for e in seed.entities}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加快建设大学。", []),
        ("依托高安实验室建设。", [("高安实验室", "ORG")]),
        ("新增国家重点实验室4家。", []),
        ("成功举办世界大河文明论坛。", [("世界大河文明论坛", "EVENT")]),
        ("国务院提请全国人大常委会审议。", [("国务院", "ORG"), ("全国人大常委会", "ORG")]),
        ("国家发展改革委主任何立峰说。", [("国家发展改革委", "ORG"), ("何立峰", "PERSON")]),
        ("全国人大代表丁波表示。", [("全国人大", "ORG"), ("丁波", "PERSON")]),
        ("重温毛主席的教导。", []),
        ("建好“亲清在线”平台。", [("亲清在线", "PLATFORM")]),
        ("加快实施“郑聚英才计划”。", [("郑聚英才计划", "PROJECT")]),
        ("完成全年生产计划，安排建设项目。", []),
        ("严防“钓鱼”项目。", []),
        ("加快推进机场三期扩建工程项目建设。", [("机场三期扩建工程", "PROJECT")]),
        ("保持在均衡水平。", []),
    ],
)
def test_entities_hand_built(text, expected):
    doc = process_text(text)
    assert [(e.text, e.type) for e in doc.entities] == expected


def test_entities_national_2024_org_and_speaker(national_2024):
    doc = national_2024
    assert sum(e.type == "ORG" and e.text == "国务院" for e in doc.entities) == doc.text.count("国务院")
    speaker = [e for e in doc.entities if e.type == "PERSON" and e.text.replace("\u3000", "") == doc.speaker]
    assert doc.speaker == "李强"
    assert [(e.text, doc.text[e.start:e.end]) for e in speaker] == [("李　强", "李　强")]


def test_entities_national_2024_counts_by_type(national_2024):
    counts = {t: sum(e.type == t for e in national_2024.entities) for t in TYPES}
    # 雄安新区 is a place (places.yaml), not a platform named by its suffix
    assert counts == {"PLACE": 10, "ORG": 22, "PERSON": 17, "PROJECT": 5, "PLATFORM": 6, "EVENT": 10}


@pytest.mark.parametrize(
    ("name", "path"),
    [("金水区", ("河南", "郑州", "金水区")), ("郑州市", ("河南", "郑州")), ("郑州", ("河南", "郑州")),
     ("航空港区", ("河南", "郑州", "航空港区")), ("河南省", ("河南",)), ("浦东新区", ("上海", "浦东新区")),
     ("全国", ()), ("示例市", ())],
)
def test_entities_place_path(name, path):
    assert place_path(name, load_resources().places) == path


@pytest.mark.parametrize(
    ("spans", "kept"),
    [
        ([(0, 2, 1), (0, 5, 4), (3, 6, 0)], [(0, 5, 4)]),  # the longest wins over a higher priority
        ([(2, 4, 3), (2, 4, 0)], [(2, 4, 0)]),  # the same span: the higher priority (lower number)
        ([(5, 7, 0), (0, 2, 0), (1, 3, 0)], [(0, 2, 0), (5, 7, 0)]),  # a tie: the leftmost; text order
        ([(3, 3, 0)], []),  # empty spans are dropped
    ],
)
def test_entities_filter_spans(spans, kept):
    result = filter_spans(Candidate(s, e, "ORG", p) for s, e, p in spans)
    assert [(c.start, c.end, c.priority) for c in result] == kept


@pytest.mark.parametrize(
    ("change", "error"),
    [({"types": {"THING": {}}}, "unknown entity types"),
     ({"types": {"ORG": {"suffixes": {"公司": 2}}, "EVENT": {"suffixes": {"公司": 2}}}}, "listed twice")],
)
def test_entities_data_validation(change, error):
    data = load_yaml(package_data("entities.yaml"))
    with pytest.raises(DataFileError, match=error):
        parse_entities({**data, **change}, "entities.yaml")


def test_entities_data_missing_key():
    data = {k: v for k, v in load_yaml(package_data("entities.yaml")).items() if k != "left_stops"}
    with pytest.raises(DataFileError, match="entities.yaml: missing key left_stops"):
        parse_entities(data, "entities.yaml")


def _national_docs(national_dir):
    return [process(doc) for path in sorted(national_dir.glob("*.txt")) for doc in read_file(path)]


def test_entities_national_spans_exact_and_disjoint(national_dir):
    docs = _national_docs(national_dir)
    assert len(docs) >= 70
    for doc in docs:
        end = 0
        for e in doc.entities:
            assert doc.text[e.start:e.end] == e.text, (doc.path, e)
            assert e.type in TYPES and e.start >= end, (doc.path, e)
            end = e.end
