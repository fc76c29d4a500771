"""Structure: paragraphs, sentences, headings, keyword sections, review/plan parts,
statements and layout artefacts — all as spans; the text is never changed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from luoshi.model import Artefact, Document, Paragraph, Section, Span, Statement
from luoshi.resources import Resources
from luoshi.text.numbers import parse_number

CN_NUM = "一二三四五六七八九十"
BLANK = " \t\u3000\u200b\u00a0\ufeff"
TERMINAL = "。！？!?；;：:…”’」』）)】"
SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*")
KEYWORD_HEADING = re.compile(r"^关键词\s*((?:【[^】\n]+】\s*)+)$")
TAG = re.compile(r"【([^】\n]+)】")
LEVEL1 = re.compile(rf"^(?:[{CN_NUM}]+、|第[{CN_NUM}]+部分)")
LEVEL1_ARABIC = re.compile(r"^\d{1,2}[、.．](?!\d)")
LEVEL2 = re.compile(rf"^[（(][{CN_NUM}]+[）)]")
LEVEL3 = re.compile(rf"(?:(?<=^)|(?<=[。；：]))([{CN_NUM}]+是)")
YEAR_START = re.compile(r"^(?:[0-9０-９]{4}|[一二三四五六七八九〇零]{4})年")


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # first non-blank character
    end: int  # after the last non-blank character
    text: str


def split_lines(text: str) -> list[Line]:
    """Non-blank lines, trimmed of blank characters at both ends (offsets stay exact).
    A line broken by an invisible line (a number and its unit apart) stays one line."""
    lines: list[Line] = []
    for line in _raw_lines(text):
        if lines and _broken_by_invisible_line(text, lines[-1], line):
            prev = lines.pop()
            line = Line(prev.start, line.end, text[prev.start : line.end])
        lines.append(line)
    return lines


def _broken_by_invisible_line(text: str, prev: Line, line: Line) -> bool:
    """74.4 / ​ / 万亿元 and 广义货币M / 2 / 增长: one line broken by layout, not two paragraphs."""
    gap = text[prev.end : line.start]
    if prev.text[-1] in TERMINAL or gap.count("\n") > 2:
        return False
    if "\u200b" in gap:
        return True
    last_piece = text[text.rfind("\n", 0, prev.end) + 1 : prev.end].strip(BLANK)
    return gap.count("\n") == 1 and (len(line.text) <= 2 or len(last_piece) <= 2)


def _raw_lines(text: str) -> list[Line]:
    lines = []
    pos = 0
    for raw in text.split("\n"):
        stripped_left = raw.lstrip(BLANK)
        if stripped_left:
            start = pos + len(raw) - len(stripped_left)
            content = stripped_left.rstrip(BLANK)
            lines.append(Line(start, start + len(content), content))
        pos += len(raw) + 1
    return lines


def is_prose(line: Line) -> bool:
    """A paragraph of running text (ends a sentence or is long), not a title or byline."""
    return line.text[-1] in TERMINAL or len(line.text) > 40


def sentences_of(paragraphs: list[Line]) -> list[Span]:
    spans = []
    for para in paragraphs:
        begin = para.start
        for m in SENTENCE_END.finditer(para.text):
            end = para.start + m.end()
            spans.append(Span(begin, end))
            begin = end
        if begin < para.end:
            spans.append(Span(begin, para.end))
    return spans


def _heading_text(line: Line) -> str:
    head = re.split(r"[。！？]", line.text, maxsplit=1)[0]
    return head[:80]


def _heading_level(line: Line) -> int | None:
    if LEVEL1.match(line.text):
        return 1
    if LEVEL2.match(line.text):
        return 2
    if LEVEL1_ARABIC.match(line.text) and not is_prose(line):
        return 1
    return None


@dataclass(frozen=True)
class Layout:
    page_jump: re.Pattern
    byline: re.Pattern
    boilerplate: re.Pattern
    statement: re.Pattern
    review_heading: re.Pattern
    plan_heading: re.Pattern


@lru_cache(maxsize=4)
def compile_layout(resources: Resources) -> Layout:
    lex = resources.lexicon
    return Layout(
        page_jump=lex.layout.page_jump_re,
        byline=lex.layout.byline_re,
        boilerplate=lex.layout.boilerplate_re,
        statement=re.compile(rf"^(?P<role>{lex.roles_re.pattern})(?P<name>[\u4e00-\u9fff·]{{2,4}}?)[：:]\s*(?P<headline>.+)$"),
        review_heading=lex.structure.review_heading_re,
        plan_heading=lex.structure.plan_heading_re,
    )


def boilerplate_start(lines: list[Line], layout: Layout, text_len: int) -> int:
    """Where trailing boilerplate (a licence footer, an editor line) begins, or the text's end."""
    seen_prose = False
    for line in lines:
        if seen_prose and layout.boilerplate.match(line.text):
            return line.start
        seen_prose = seen_prose or is_prose(line)
    return text_len


def _year_of(line: Line) -> int | None:
    m = YEAR_START.match(line.text)
    if not m:
        return None
    digits = m.group(0)[:-1].translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return int(parse_number(digits))


def _is_terminator(line: Line, layout: Layout) -> bool:
    return bool(
        layout.page_jump.fullmatch(line.text)
        or layout.byline.match(line.text)
        or layout.statement.match(line.text)
        or KEYWORD_HEADING.match(line.text)
        or not is_prose(line)
    )


def keyword_sections(lines: list[Line], layout: Layout) -> tuple[list[Section], dict[int, str]]:
    """关键词【X】 【Y】 sections with review/plan sub-sections; returns the part of each line start."""
    sections: list[Section] = []
    parts: dict[int, str] = {}
    for i, line in enumerate(lines):
        m = KEYWORD_HEADING.match(line.text)
        if not m:
            continue
        tags = tuple(TAG.findall(m.group(1)))
        body: list[Line] = []
        for nxt in lines[i + 1 :]:
            if _is_terminator(nxt, layout):
                break
            body.append(nxt)
        end = body[-1].end if body else line.end
        sections.append(Section(line.start, end, line.text, 1, tags[0] if tags else None, tags, None, line.end))
        sections.extend(_keyword_parts(body, tags, parts))
    return sections, parts


def _keyword_parts(body: list[Line], tags: tuple[str, ...], parts: dict[int, str]) -> list[Section]:
    """Inside a keyword section the earlier year's paragraphs are review, the later year's plan."""
    dated = [(_year_of(line), line) for line in body]
    years = sorted({y for y, _ in dated if y})
    if len(years) < 2:
        return []
    groups: list[tuple[str, int, list[Line]]] = []
    for year, line in dated:
        if year is not None:
            part = "review" if year < years[-1] else "plan"
            if not groups or groups[-1][0] != part:
                groups.append((part, year, []))
        if groups:
            groups[-1][2].append(line)
    keyword = tags[0] if tags else None
    subsections = []
    for part, year, group in groups:
        for line in group:
            parts[line.start] = part
        subsections.append(Section(group[0].start, group[-1].end, f"{year}年", 2, keyword, tags, part, group[0].start))
    return subsections


def report_sections(lines: list[Line], doc_year: int | None, limit: int, layout: Layout,
                    is_report: bool = False) -> list[Section]:
    """一、 / （一） headings (and 一是 inline), each up to the next heading of its level or higher."""
    heads: list[tuple[int, Line]] = []
    for line in lines:
        if line.start >= limit:
            break
        level = _heading_level(line)
        if level:
            heads.append((level, line))
    sections: list[Section] = []
    part_of_level1: str | None = None
    seen_plan = False
    for idx, (level, line) in enumerate(heads):
        end = limit
        for later_level, later in heads[idx + 1 :]:
            if later_level <= level:
                end = later.start
                break
        end = _trim_end(lines, line.start, end)
        heading = _heading_text(line)
        if level == 1:
            first = part_of_level1 is None and not any(lvl == 1 for lvl, _ in heads[:idx])
            part_of_level1 = _part_of_heading(heading, doc_year, seen_plan, layout)
            if part_of_level1 is None and is_report and not first and not _mixed(heading, layout):
                part_of_level1 = "plan"  # a report's later parts are this year's work
            seen_plan = seen_plan or part_of_level1 == "plan"
        sections.append(Section(line.start, end, heading, level, None, (), part_of_level1, line.start + len(heading)))
    return sections


def _mixed(heading: str, layout: Layout) -> bool:
    return bool(layout.review_heading.search(heading) and layout.plan_heading.search(heading))


def _trim_end(lines: list[Line], start: int, end: int) -> int:
    last = start
    for line in lines:
        if start <= line.start < end:
            last = line.end
    return last


def _part_of_heading(heading: str, doc_year: int | None, seen_plan: bool, layout: Layout) -> str | None:
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", heading)]
    if doc_year and years:
        if max(years) < doc_year:
            return "review"
        if min(years) >= doc_year and layout.plan_heading.search(heading):
            return "plan"
    if doc_year and years and min(years) >= doc_year:
        return "plan"
    review, plan = layout.review_heading.search(heading), layout.plan_heading.search(heading)
    if review and plan:
        return None  # 十三五时期发展成就和十四五时期主要目标: the sentences decide
    if review and not seen_plan:
        return "review"
    if plan or seen_plan:
        return "plan"
    return None


def inline_sections(paragraphs: list[Line], parents: list[Section]) -> list[Section]:
    """一是/二是 (level 3) inside paragraphs: each runs to the next one or the paragraph's end."""
    out = []
    for para in paragraphs:
        marks = list(LEVEL3.finditer(para.text))
        if len(marks) < 2:
            continue
        part = _part_at(parents, para.start)
        for i, m in enumerate(marks):
            start = para.start + m.start(1)
            end = para.start + marks[i + 1].start(1) if i + 1 < len(marks) else para.end
            heading = re.split(r"[，。；：]", para.text[m.start(1) :], maxsplit=1)[0][:40]
            out.append(Section(start, end, heading, 3, None, (), part, start + len(heading)))
    return out


def _part_at(sections: list[Section], pos: int) -> str | None:
    part = None
    for section in sections:
        if section.start <= pos < max(section.end, section.start + 1) and section.part:
            part = section.part
    return part


def statements(lines: list[Line], layout: Layout) -> list[Statement]:
    out = []
    for i, line in enumerate(lines):
        m = layout.statement.match(line.text)
        if not m:
            continue
        end = line.end
        for nxt in lines[i + 1 :]:
            if _is_terminator(nxt, layout):
                break
            end = nxt.end
        out.append(Statement(line.start, end, m.group("name"), m.group("role"), m.group("headline").strip(BLANK), line.end))
    return out


REPLACED = re.compile("\ufffd+")


def artefacts(text: str, lines: list[Line], layout: Layout, footer_start: int) -> list[Artefact]:
    found = []
    for m in layout.page_jump.finditer(text):
        found.append(Artefact(m.start(), m.end(), "page_jump", m.group(0)))
    for line in lines:
        if layout.byline.match(line.text):
            found.append(Artefact(line.start, line.end, "byline", line.text))
    for prev, nxt in zip(lines, lines[1:]):
        if (
            is_prose(prev) and prev.text[-1] not in TERMINAL and len(prev.text) > 40
            and is_prose(nxt) and _heading_level(nxt) is None and not KEYWORD_HEADING.match(nxt.text)
        ):
            found.append(Artefact(prev.end, nxt.start, "paragraph_split", text[prev.end : nxt.start]))
    if footer_start < len(text):
        found.append(Artefact(footer_start, len(text), "boilerplate", text[footer_start:]))
    # the readers put U+FFFD where the file held a control character or an undecodable byte
    for m in REPLACED.finditer(text):
        found.append(Artefact(m.start(), m.end(), "replaced_character", m.group(0)))
    return sorted(found, key=lambda a: a.start)


def parse_structure(doc: Document, resources: Resources) -> Document:
    """Document -> Document with paragraphs, sentences, sections, statements, artefacts."""
    layout = compile_layout(resources)
    lines = split_lines(doc.text)
    footer = boilerplate_start(lines, layout, len(doc.text))
    body_lines = [line for line in lines if line.start < footer]
    kw_sections, kw_parts = keyword_sections(body_lines, layout)
    sections = kw_sections or report_sections(body_lines, doc.year, footer, layout, doc.kind == "report")
    sections = sections + inline_sections(body_lines, sections)
    sections.sort(key=lambda s: (s.start, s.level))
    paragraphs = [
        Paragraph(line.start, line.end, kw_parts.get(line.start) or _part_at(sections, line.start))
        for line in body_lines
    ]
    return (
        doc.with_layer("sections", sections)
        .with_layer("paragraphs", paragraphs)
        .with_layer("sentences", sentences_of(body_lines))
        .with_layer("statements", statements(body_lines, layout))
        .with_layer("artefacts", artefacts(doc.text, lines, layout, footer))
    )
