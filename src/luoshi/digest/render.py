"""Digest pages: Markdown, and a standalone HTML page (no scripts, no external assets).

Document text is untrusted: in HTML every piece of it goes through ``html.escape``; in
Markdown quotes are shown as text. Each figure links to its quote, listed at the end with
its offsets, so every line of the page can be checked against the source.
"""

from __future__ import annotations

from html import escape
from typing import Any

from luoshi.digest.build import Digest, DigestSection, Item, Voice
from luoshi.resources.rules import DigestLabels


def _year(digest: Digest, offset: int) -> str:
    return str(digest.year + offset) if digest.year else ""


def _md_line(item: Item) -> str:
    label = f" {item.label}" if item.label and item.kind != "task" else ""
    if item.kind == "task":
        obj = f"（{item.label}）" if item.label and item.label != item.text else ""
        return f"- {item.text}{obj} · @{item.start}"
    return f"- **{item.text}**{label} — {_md_quote(item)} · @{item.start}"


def _md_quote(item: Item) -> str:
    return "“" + item.quote.replace("\n", " ").strip() + "”"


def section_title(section: DigestSection) -> str:
    """A keyword section keeps its own heading; a report theme shows its keyword before it."""
    if section.keyword and section.keyword != section.heading and not section.heading.startswith("关键词"):
        return f"关键词【{section.keyword}】 {section.heading}"
    return section.heading


def _md_section(section: DigestSection, digest: Digest, labels: DigestLabels) -> list[str]:
    lines = [f"## {section_title(section)}", ""]
    parts = (("review", section.results, -1), ("targets", section.targets, 0), ("tasks", section.tasks, 0))
    for key, items, offset in parts:
        if not items:
            continue
        lines += [f"### {getattr(labels, key).format(year=_year(digest, offset))}", ""]
        lines += [_md_line(i) for i in items] + [""]
    return lines


def _md_voice(voice: Voice) -> list[str]:
    lines = [f"### {voice.role or ''}{voice.speaker}：{voice.headline or ''} · @{voice.start}", ""]
    if voice.lead:
        lines += [f"> {voice.lead.strip()}", ""]
    lines += [_md_line(i) for i in voice.figures]
    return lines + ([""] if voice.figures else [])


def render_markdown(digest: Digest, labels: DigestLabels) -> str:
    lines = [f"# {digest.title or digest.path or digest.doc_id}", ""]
    meta = [m for m in (digest.path, str(digest.year) if digest.year else None,
                        f"focus: {digest.focus}" if digest.focus else None) if m]
    lines += [f"> {' · '.join(meta)}", ""] if meta else []
    if digest.message:
        lines += [digest.message, ""]
    for section in digest.sections:
        lines += _md_section(section, digest, labels)
    if digest.voices:
        lines += [f"## {labels.voices}", ""]
        for voice in digest.voices:
            lines += _md_voice(voice)
    return "\n".join(lines).rstrip() + "\n"


STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#222}
h1{font-size:1.6rem}h2{border-bottom:2px solid #b22;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem;color:#555}
mark.result{background:#dbeafe}.label{color:#777;font-size:.85rem}mark.target{background:#fde68a}li.task{list-style:square}
.meta,.offset{color:#777;font-size:.85rem}blockquote{margin:.2rem 0 .8rem;color:#444;border-left:3px solid #ddd;padding-left:.6rem}
a{color:inherit}
"""


def _title_attr(item: Item) -> str:
    fields = ("value", "unit", "value_base", "base_unit", "qualifier", "status", "period", "indicator_id", "region")
    parts = [f"{k}: {item.detail[k]}" for k in fields if item.detail.get(k) is not None]
    return escape("; ".join(parts), quote=True)


def _html_quote(item: Item, link: bool = False) -> str:
    """The quote with the item's span highlighted (a link to the source list when ``link``)."""
    a, b = item.start - item.quote_start, item.end - item.quote_start
    q = item.quote
    if not (0 <= a <= b <= len(q)):
        return escape(q)
    mark = f'<mark class="{item.kind}" title="{_title_attr(item)}">{escape(q[a:b])}</mark>'
    if link:
        mark = f'<a href="#q{item.start}">{mark}</a>'
    return f"{escape(q[:a])}{mark}{escape(q[b:])}"


def _html_item(item: Item) -> str:
    anchor = f"q{item.start}"
    if item.kind == "task":
        obj = f"（{escape(item.label)}）" if item.label and item.label != item.text else ""
        return f'<li class="task"><a href="#{anchor}">{escape(item.text)}</a>{obj}</li>'
    label = f' <span class="label">{escape(item.label)}</span>' if item.label else ""
    return f"<li>{_html_quote(item, link=True)}{label}</li>"


def _html_list(title: str, items: tuple[Item, ...]) -> list[str]:
    if not items:
        return []
    return [f"<h3>{escape(title)}</h3>", "<ul>"] + [_html_item(i) for i in items] + ["</ul>"]


def _html_section(section: DigestSection, digest: Digest, labels: DigestLabels) -> list[str]:
    out = [f"<section><h2>{escape(section_title(section))}</h2>"]
    out += _html_list(labels.review.format(year=_year(digest, -1)), section.results)
    out += _html_list(labels.targets.format(year=_year(digest, 0)), section.targets)
    out += _html_list(labels.tasks.format(year=_year(digest, 0)), section.tasks)
    return out + ["</section>"]


def _all_items(digest: Digest) -> list[Item]:
    items = [i for s in digest.sections for i in s.results + s.targets + s.tasks]
    return items + [i for v in digest.voices for i in v.figures]


def _html_quotes(digest: Digest, labels: DigestLabels) -> list[str]:
    out = [f"<section><h2>{escape(labels.quotes)}</h2><ol>"]
    seen: set[int] = set()
    for item in sorted(_all_items(digest), key=lambda i: i.start):
        if item.start in seen:
            continue
        seen.add(item.start)
        out.append(f'<li id="q{item.start}">{_html_quote(item)} '
                   f'<span class="offset">[{item.start}, {item.end})</span></li>')
    return out + ["</ol></section>"]


def render_html(digest: Digest, labels: DigestLabels) -> str:
    title = escape(digest.title or digest.path or digest.doc_id)
    meta = " · ".join(escape(m) for m in (digest.path, str(digest.year) if digest.year else None,
                                         f"focus: {digest.focus}" if digest.focus else None) if m)
    body = [f"<h1>{title}</h1>", f'<p class="meta">{meta}</p>']
    if digest.message:
        body.append(f'<p class="message">{escape(digest.message)}</p>')
    for section in digest.sections:
        body += _html_section(section, digest, labels)
    if digest.voices:
        body.append(f"<section><h2>{escape(labels.voices)}</h2>")
        for voice in digest.voices:
            heading = f"{voice.role or ''}{voice.speaker}：{voice.headline or ''}"
            body.append(f'<h3 id="v{voice.start}">{escape(heading)}</h3>')
            if voice.lead:
                body.append(f"<blockquote>{escape(voice.lead.strip())}</blockquote>")
            body += ["<ul>"] + [_html_item(i) for i in voice.figures] + ["</ul>"]
        body.append("</section>")
    body += _html_quotes(digest, labels)
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{title}</title><style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def digest_to_dict(digest: Digest) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(digest)
