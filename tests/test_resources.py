"""Data files load once, validate, and reject malformed input with the file named."""

from __future__ import annotations

import pytest

from luoshi.errors import DataFileError
from luoshi.resources import load_resources, load_yaml, parse_catalog

CORE_IDS = {"gdp_growth", "gdp_level", "cpi", "urban_new_jobs", "surveyed_unemployment", "registered_unemployment",
            "deficit_ratio", "deficit_amount", "grain_output", "energy_intensity", "m2_growth", "trade_growth"}


def test_resources_catalog_has_core_ids_with_canonical_units():
    catalog = load_resources().catalog
    units = {i.id: i.unit for i in catalog.indicators}
    assert CORE_IDS <= set(units)
    assert (units["gdp_level"], units["urban_new_jobs"], units["deficit_amount"], units["grain_output"]) == ("万亿元", "万人", "亿元", "亿斤")
    grain = catalog.by_id("grain_output")
    assert catalog.to_canonical(grain, 1.3e12, "斤") == pytest.approx(13000)
    assert catalog.to_canonical(grain, 4445e8, "公斤") == pytest.approx(8890)


def test_resources_duplicate_key_rejected(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="bad.yaml.*duplicate key"):
        load_yaml(bad)


@pytest.mark.parametrize(
    ("entry", "error"),
    [({"id": "x", "name": "X", "synonyms": ["X"], "unit": "%", "families": ["nope"], "kind": "level"}, "unknown unit families"),
     ({"id": "x", "name": "X", "synonyms": ["X"], "unit": "%", "families": ["percent"], "kind": "level", "direction": "up"}, "direction")],
)
def test_resources_catalog_validation(entry, error):
    with pytest.raises(DataFileError, match=error):
        parse_catalog({"indicators": [entry], "unit_conversions": {"%": {"%": 1.0}}}, "user.yaml", {"percent", "money"})


@pytest.mark.parametrize(
    ("data", "error"),
    [({"indicators": [{"id": "x", "name": "X", "synonyms": ["X"], "unit": "家", "families": ["percent"], "kind": "level"}]},
      "unit '家' has no entry in unit_conversions"),
     ({"indicators": [{"id": "x", "name": "X", "synonyms": [""], "unit": "%", "families": ["percent"], "kind": "level"}],
       "unit_conversions": {"%": {"%": 1.0}}}, "an empty synonym"),
     ({"indicators": [], "exclude_between": ["年均", ""]}, "empty word in exclude_between"),
     ({"indicators": [{"id": "x", "name": "X", "synonyms": "X", "unit": "%", "families": ["percent"], "kind": "level"}]},
      r"C:\\data\\cat.yaml: indicators\[0\].synonyms: expected a list")],
)
def test_resources_catalog_checks_what_types_cannot(data, error):
    with pytest.raises(DataFileError, match=error):
        parse_catalog(data, "C:\\data\\cat.yaml", {"percent"})


@pytest.mark.parametrize(("text", "error"), [("a: 1\nb: [1, 2\n", "cat.yaml"), ("? [a, b]\n: 1\n", "unhashable key"),
                                             ("- 1\n- 2\n", "expected a mapping at the top level")])
def test_resources_yaml_problems_name_the_file(tmp_path, text, error):
    bad = tmp_path / "cat.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=error):
        load_yaml(bad)


def test_resources_lexicon_checks_quote_pairs():
    from dataclasses import replace

    from luoshi.resources.lexicon import check_lexicon

    lexicon = load_resources().lexicon
    bad = replace(lexicon, quotes=replace(lexicon.quotes, pairs=("“”", "「")))
    with pytest.raises(DataFileError, match=r"quotes.pairs\[1\]"):
        check_lexicon(bad, "lexicon.yaml")


def test_resources_user_catalog_replaces_packaged(tmp_path):
    user = tmp_path / "catalog.yaml"
    user.write_text("indicators:\n  - {id: my_rate, name: 我的比率, synonyms: [示例比率], unit: '%', families: [percent], kind: share}\n"
                    "unit_conversions: {'%': {'%': 1.0}}\n",
                    encoding="utf-8")
    resources = load_resources(str(user))
    assert [i.id for i in resources.catalog.indicators] == ["my_rate"]


@pytest.mark.parametrize(("name", "short"), [("湖南省", "湖南"), ("郑州市", "郑州"), ("湘西土家族苗族自治州", "湘西"),
                                             ("广西壮族自治区", "广西"), ("北京市", "北京")])
def test_resources_place_short_names(name, short):
    assert load_resources().places.short_name(name) == short
    assert load_resources().places.region_of[name] == short
