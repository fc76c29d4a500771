"""Readable Markdown of one analysed document: metadata, outline, figures with quotes."""

from __future__ import annotations

from luoshi.model import Document


def _cell(value) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(doc: Document) -> str:
    lines = [f"# {doc.title or doc.path or doc.id}", ""]
    meta = [("kind", doc.kind), ("region", doc.region), ("year", doc.year), ("date", doc.date),
            ("speaker", doc.speaker), ("path", doc.path), ("id", doc.id)]
    lines += [f"- **{k}**: {_cell(v)}" for k, v in meta if v is not None]
    if doc.sections:
        lines += ["", "## Structure", ""]
        for s in doc.sections:
            if s.level > 2:
                continue
            label = f"关键词【{s.keyword}】" if s.keyword and s.level == 1 else s.heading
            part = f" _({s.part})_" if s.part else ""
            lines.append(f"{'  ' * (s.level - 1)}- {label}{part}")
    if doc.statements:
        lines += ["", "## Statements", ""]
        lines += [f"- **{_cell(st.role)}{st.speaker}**: {_cell(st.headline)}" for st in doc.statements]
    lines += ["", f"## Figures ({len(doc.facts)})", "",
              "| figure | value | unit | status | period | kind | indicator | id | region | quote |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for f in doc.facts:
        value = f"{f.value:g}" + (f"–{f.value_max:g}" if f.value_max is not None else "")
        quote = doc.text[f.sentence[0] : f.sentence[1]]
        lines.append(
            f"| {_cell(f.text)} | {value} | {_cell(f.unit)} | {f.status} | {_cell(f.period)} | {f.kind} | "
            f"{_cell(f.indicator)} | {_cell(f.indicator_id)} | {_cell(f.region)} | {_cell(quote[:80])} |"
        )
    return "\n".join(lines) + "\n"
