"""The policy-domain lexicon (``data/lexicon.yaml``) as typed records, and the matchers
compiled from it once per load."""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.errors import DataFileError
from luoshi.text.patterns import alternation
from luoshi.text.phrases import PhraseMatcher


@dataclass(frozen=True)
class StatusCues:
    target_cues: tuple[str, ...]
    actual_cues: tuple[str, ...]
    strong_target_cues: tuple[str, ...]
    future_verbs: tuple[str, ...]
    strong_actual_cues: tuple[str, ...]
    # a one-character cue (要, 将) is no cue inside a word: after these (主要, 重要) or before these (将近)
    single_not_after: str
    single_not_before: str
    forecasters: tuple[str, ...]
    forecast_verbs: tuple[str, ...]
    progress_before: tuple[str, ...]


@dataclass(frozen=True)
class SubAnnualWords:
    fixed: dict[str, tuple[str, int, int]]
    month_range_re: re.Pattern
    months_to_re: re.Pattern
    month_re: re.Pattern
    ten_days: dict[str, tuple[int, int]]
    full_year: tuple[str, ...]


@dataclass(frozen=True)
class PeriodWords:
    this_year: tuple[str, ...]
    last_year: tuple[str, ...]
    span_to_last_year: dict[str, int]
    next_years: dict[str, int]
    plans: dict[str, int]
    base_before: tuple[str, ...]
    base_after: tuple[str, ...]
    relative_base_before: tuple[str, ...]
    deadline_before: tuple[str, ...]
    plan_after: tuple[str, ...]
    sub_annual: SubAnnualWords


@dataclass(frozen=True)
class Quotes:
    pairs: tuple[str, ...]
    slogan_max_chars: int


@dataclass(frozen=True)
class RankRules:
    clause_start_chars: str
    follow_chars: str
    context_before: tuple[str, ...]


@dataclass(frozen=True)
class ScopeWords:
    """Words that name an area by its scope rather than its name (全国, 全省, 全市)."""

    national: tuple[str, ...]
    province: tuple[str, ...]
    local: tuple[str, ...]
    world: tuple[str, ...]
    subject_after: str

    @property
    def all(self) -> tuple[str, ...]:
        return self.national + self.province + self.local + self.world


@dataclass(frozen=True)
class RegionWords:
    comparison_before: tuple[str, ...]
    list_joiners: str
    distributive: tuple[str, ...]
    run_joiners: str


@dataclass(frozen=True)
class LayoutPatterns:
    page_jump_re: re.Pattern
    byline_re: re.Pattern
    boilerplate_re: re.Pattern


@dataclass(frozen=True)
class KindWords:
    growth_words: tuple[str, ...]
    share_words: tuple[str, ...]
    change_words: tuple[str, ...]
    level_words: tuple[str, ...]


@dataclass(frozen=True)
class FactPatterns:
    subject_verbs: re.Pattern
    leading_time: re.Pattern
    goal_nouns: re.Pattern
    goal_lead: re.Pattern
    goal_verbs: re.Pattern
    goal_after: re.Pattern
    fulfilment: re.Pattern
    comparison: re.Pattern
    verb_start: re.Pattern


@dataclass(frozen=True)
class SloganSpec:
    title_pairs: tuple[str, ...]
    min_chars: int
    propagate_min_chars: int
    sentence_punct: str
    not_slogan_re: re.Pattern
    terms: tuple[str, ...]
    not_slogans: tuple[str, ...]


@dataclass(frozen=True)
class MetaRules:
    """What the metadata component reads (parse/meta.py)."""

    npc_term_start: dict[int, int]
    session_re: re.Pattern
    short_session_re: re.Pattern
    local_session_re: re.Pattern
    speaker_titles: tuple[str, ...]
    resolution_cue: str
    report_address: str
    report_title: str
    news_markers: tuple[str, ...]
    speech_first_person: str
    speech_min_first_person: int
    speech_government: str
    national_venue: tuple[str, ...]
    national_issuers: tuple[str, ...]
    not_the_year_after: tuple[str, ...]
    future_after_re: re.Pattern
    plan_context_re: re.Pattern
    part_of_year_re: re.Pattern
    release_before_re: re.Pattern


@dataclass(frozen=True)
class StructureRules:
    review_heading_re: re.Pattern
    plan_heading_re: re.Pattern


@dataclass(frozen=True)
class Lexicon:
    """``lexicon.yaml`` (each key documented there)."""

    status: StatusCues
    period: PeriodWords
    formulas: tuple[str, ...]
    quotes: Quotes
    rank: RankRules
    scope: ScopeWords
    region: RegionWords
    roles_re: re.Pattern
    layout: LayoutPatterns
    kind: KindWords
    patterns: FactPatterns
    slogans: SloganSpec
    meta: MetaRules
    structure: StructureRules


@dataclass(frozen=True)
class Rules:
    """Matchers compiled once from the lexicon and shared by several components."""

    formulas: PhraseMatcher
    scope_words: PhraseMatcher
    relative_time: re.Pattern
    quotes: tuple[tuple[str, re.Pattern], ...]  # (opening mark, pattern of a short quoted term)
    term_quotes: tuple[tuple[str, re.Pattern], ...]  # the same without title marks (《…》 names a document)


def check_lexicon(lexicon: Lexicon, source: str) -> Lexicon:
    """What the types cannot say: each quote pair is two marks, a slogan has room for a character."""
    for i, pair in enumerate(lexicon.quotes.pairs):
        if len(pair) != 2:
            raise DataFileError(f"{source}: quotes.pairs[{i}]: {pair!r} must be an opening and a closing mark")
    if lexicon.quotes.slogan_max_chars < 1:
        raise DataFileError(f"{source}: quotes.slogan_max_chars must be at least 1")
    return lexicon


def compile_rules(lexicon: Lexicon) -> Rules:
    period = lexicon.period
    words = (period.this_year + period.last_year + tuple(period.span_to_last_year)
             + tuple(period.plans) + tuple(period.next_years))
    limit = lexicon.quotes.slogan_max_chars
    quotes = []
    for pair in lexicon.quotes.pairs:
        open_q, close_q = re.escape(pair[0]), re.escape(pair[1])
        quotes.append((pair[0], re.compile(f"{open_q}([^{close_q}\n]{{1,{limit}}}){close_q}")))
    pair_of = {pair[0]: pair for pair in lexicon.quotes.pairs}
    titles = set(lexicon.slogans.title_pairs)
    return Rules(
        formulas=PhraseMatcher({f: f for f in lexicon.formulas}),
        scope_words=PhraseMatcher({w: w for w in lexicon.scope.all}),
        relative_time=re.compile(alternation(words)),
        quotes=tuple(quotes),
        term_quotes=tuple((pair_of[open_q], regex) for open_q, regex in quotes if pair_of[open_q] not in titles),
    )
