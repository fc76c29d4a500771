"""HTML -> the page's visible main article text, one line per block element (lxml)."""

from __future__ import annotations

import email.utils
import json

import re
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
from lxml import etree

from luoshi.errors import ReadError, message
from luoshi.model import Document
from luoshi.io.limits import DEFAULT_LIMITS, ReadLimits, check_text
from luoshi.io.paths import read_bytes
from luoshi.io.text import decode_bytes

# Elements dropped with everything inside them (their tail text is kept).
DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "head", "img", "figure",
    "figcaption", "svg", "nav", "header", "footer", "aside", "form", "button",
    "object", "embed", "canvas", "video", "audio", "select", "textarea",
})
# An element whose class or id contains one of these (case-insensitive) is dropped:
# captions, editor lines, QR codes, ads, share/recommend/related boxes, copyright notes.
DROP_MARKERS = (
    "img_wrapper", "img_descr", "caption", "article-editor", "editor", "appendqr",
    "qrcode", "qr_", "ad_", "adlist", "advert", "share", "recommend", "related", "copyright",
)
# These short markers only count at the start of a word ("ad_box", "top-ad_1"), so that
# "head_line" or "lead_para" are not taken for ads.
WORD_START_MARKERS = frozenset({"qr_", "ad_"})
# Class tokens that contain a marker but are article bodies: TRS (the CMS of many
# government sites) and the Quill editor wrap the article in these.
KEEP_TOKENS = frozenset({"trs_editor", "ql-editor"})

# Elements that start and end a line; td/th are separated by a space within their row.
BLOCK_TAGS = frozenset({
    "html", "body", "main", "article", "section", "div", "p", "h1", "h2", "h3", "h4", "h5",
    "h6", "br", "hr", "li", "ul", "ol", "dl", "dd", "dt", "table", "thead", "tbody",
    "tfoot", "tr", "caption", "blockquote", "pre", "address", "center", "fieldset",
    "legend", "details", "summary", "dialog", "menu", "dir", "option",
})
CELL_TAGS = frozenset({"td", "th"})

_MARKER_RE = re.compile("|".join(
    (r"(?<![a-z0-9])" if marker in WORD_START_MARKERS else "") + re.escape(marker)
    for marker in DROP_MARKERS
))
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_ASCII_SPACE_CHARS = " \t\n\r\f\v"
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _clean_line(text: str) -> str:
    """Collapse runs of ASCII whitespace, strip it at the ends; other characters stay."""
    return _ASCII_SPACE.sub(" ", text).strip(_ASCII_SPACE_CHARS)


def _has_marker(element) -> bool:
    tokens = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    return any(token not in KEEP_TOKENS and _MARKER_RE.search(token) for token in tokens)


def _dropped(element, use_markers: bool) -> bool:
    tag = element.tag
    if not isinstance(tag, str):  # comment, processing instruction, entity
        return True
    tag = tag.lower()
    if tag in DROP_TAGS:
        return True
    return use_markers and tag not in ("html", "body") and _has_marker(element)


def _lines(root, use_markers: bool) -> list[str]:
    """The text lines of the tree (an explicit stack: deep pages cannot hit the recursion limit)."""
    lines: list[str] = []
    current: list[str] = []
    pre_depth = 0

    def flush() -> None:
        line = _clean_line("".join(current))
        current.clear()
        if line:
            lines.append(line)

    def add(text: str | None) -> None:
        if not text:
            return
        if pre_depth:  # a <pre> keeps its line breaks
            *complete, rest = text.split("\n")
            for part in complete:
                current.append(part)
                flush()
            current.append(rest)
        else:
            current.append(text)

    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            tag = element.tag.lower()
            if tag in BLOCK_TAGS:
                flush()
            elif tag in CELL_TAGS:
                current.append(" ")
            if tag == "pre":
                pre_depth -= 1
            if element is not root:
                add(element.tail)
            continue
        if _dropped(element, use_markers):
            if element is not root:
                add(element.tail)
            continue
        tag = element.tag.lower()
        if tag in BLOCK_TAGS:
            flush()
        elif tag in CELL_TAGS:
            current.append(" ")
        if tag == "pre":
            pre_depth += 1
        add(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    flush()
    return lines


def _title(root) -> str | None:
    for element in (root.find(".//title"), root.find(".//h1")):
        if element is not None:
            title = _clean_line(element.text_content())
            if title:
                return title
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


def _too_deep(parser) -> bool:
    # libxml2 stops building the tree at 256 levels (2048 with its "huge" option) and keeps
    # nothing of the page after that point, not even the text that follows the deep part
    return any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log)


def html_page(source: str) -> tuple[str | None, str, str | None]:
    """(title, main text, publication date as YYYY-MM-DD) of an HTML page; the text may be empty.

    A page nested deeper than libxml2 builds trees is read flat instead (``_FlatReader``)."""
    source = _CONTROL.sub("", _XML_DECL.sub("", source, count=1))
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(source, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None or _too_deep(parser):
        return _FlatReader.read(source)
    date = _published_date(root)  # read before the cleaning drops <head>
    # If the class/id markers swallowed everything, the page is better read without them.
    lines = _lines(root, use_markers=True) or _lines(root, use_markers=False)
    return _title(root), "\n".join(lines), date


def html_to_text(source: str) -> tuple[str | None, str]:
    """(title, main text) of an HTML page given as str; the text may be empty."""
    title, text, _ = html_page(source)
    return title, text


_DATE_META = {"article:published_time", "publishdate", "pubdate", "publish_date", "publishtime",
              "og:release_date", "date", "dc.date", "dcterms.date", "weibo:article:create_at"}
_DATE = re.compile(r"((?:19|20)\d\d)[-/年.](\d{1,2})[-/月.](\d{1,2})")


def _meta_date(meta) -> str | None:
    """The date of a ``<meta>`` (its attributes as a mapping) that names a publication date."""
    key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
    if key in _DATE_META:
        found = _DATE.search(meta.get("content") or "")
        if found:
            y, m, d = (int(g) for g in found.groups())
            return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def _published_date(root) -> str | None:
    return next(filter(None, (_meta_date(meta) for meta in root.iter("meta"))), None)


# what a <head> holds; any other element starts the body
_HEAD_TAGS = frozenset({"head", "title", "meta", "link", "style", "script", "base", "noscript", "template"})
# a "<" that no ">" closes before the next "<": text, not a tag (as a browser reads it)
_LONE_LT = re.compile(r"<(?=[^<>]*(?:<|$))")


def _tag_stream_safe(source: str) -> str:
    """The page as the flat reader can take it in linear time. Python's HTMLParser rescans the
    rest of the page for every unclosed ``<!--`` or ``<a``, so a page of them takes minutes:
    an unclosed comment runs to the end of the page (as in a browser), a lone ``<`` is text."""
    out, position = [], 0
    while (start := source.find("<!--", position)) != -1:
        end = source.find("-->", start + 4)
        if end == -1:
            out.append(source[position:start])
            position = len(source)
            break
        out.append(source[position:start])
        position = end + 3
    out.append(source[position:])
    return _LONE_LT.sub("&lt;", "".join(out))


# elements that never have content, so never an end tag to wait for
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                        "source", "track", "wbr"})


class _FlatReader(HTMLParser):
    """The page's text from the tag stream, for pages too deep for a tree: block elements
    break lines and the DROP_TAGS are left out, as in ``_lines``; the class/id markers are not
    applied (they need each element's extent, i.e. the tree). Memory does not grow with depth."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.dropping: dict[str, int] = {}
        self.in_pre = 0
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.date: str | None = None

    @classmethod
    def read(cls, source: str) -> tuple[str | None, str, str | None]:
        reader = cls()
        reader.feed(_tag_stream_safe(source))
        reader.close()
        reader.flush()
        return reader.title, "\n".join(reader.lines), reader.date

    def flush(self) -> None:
        line = _clean_line("".join(self.current))
        self.current.clear()
        if line:
            self.lines.append(line)

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "meta" and self.date is None:
            self.date = _meta_date(dict(attrs))
        elif tag in ("title", "h1") and self.title is None:
            self.title_parts = []
        if tag not in _HEAD_TAGS:  # the head ends where the body's first element starts, </head> or not
            self.dropping.pop("head", None)
        if tag in DROP_TAGS:
            if tag not in _VOID_TAGS:
                self.dropping[tag] = self.dropping.get(tag, 0) + 1
        elif tag in BLOCK_TAGS:
            self.flush()
        elif tag in CELL_TAGS:
            self.current.append(" ")
        if tag == "pre":
            self.in_pre += 1

    def handle_endtag(self, tag) -> None:
        if tag in ("title", "h1") and self.title_parts is not None:
            self.title = _clean_line("".join(self.title_parts)) or None
            self.title_parts = None
        if self.dropping.get(tag):
            self.dropping[tag] -= 1
        elif tag in BLOCK_TAGS:
            self.flush()
        elif tag in CELL_TAGS:
            self.current.append(" ")
        if tag == "pre" and self.in_pre:
            self.in_pre -= 1

    def handle_data(self, data) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
        if any(self.dropping.values()):
            return
        if self.in_pre:
            *complete, rest = data.split("\n")
            for part in complete:
                self.current.append(part)
                self.flush()
            data = rest
        self.current.append(data)


def sidecar_metadata(path: Path) -> dict:
    """Title and date for a page from an ``index.json`` beside it (a scraper's record:
    [{"file": "04.html", "title": ..., "date": "Sun, 06 Mar 2022 00:03:50 GMT"}])."""
    index = path.parent / "index.json"
    if not index.is_file():
        return {}
    try:
        entries = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}  # a broken sidecar is no reason to lose the page itself
    entry = next((e for e in entries if isinstance(e, dict) and e.get("file") == path.name), None) if isinstance(entries, list) else None
    if entry is None:
        return {}
    meta = {}
    if isinstance(entry.get("title"), str):
        meta["title"] = entry["title"].strip() or None
    if isinstance(entry.get("date"), str):
        meta["date"] = _parse_date(entry["date"])
    return {k: v for k, v in meta.items() if v}


def _parse_date(written: str) -> str | None:
    found = _DATE.search(written)
    if found:
        y, m, d = (int(g) for g in found.groups())
        return f"{y:04d}-{m:02d}-{d:02d}"
    try:
        return email.utils.parsedate_to_datetime(written).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def read_html(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    """An HTML page as one Document: its main text, its <title> (else first <h1>) and its
    publication date from the page's meta tags or an ``index.json`` beside it."""
    data = read_bytes(path, limits)
    source = decode_bytes(data, path, declared=_declared_charset(data))
    title, text, date = html_page(source)
    if not text:
        raise ReadError(str(path), message("html_no_text"))
    check_text(text, str(path), limits)
    sidecar = sidecar_metadata(Path(path))
    return Document(text=text, path=str(path), title=title or sidecar.get("title"), date=date or sidecar.get("date"))
