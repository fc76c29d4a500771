"""A Comparison as readable Markdown (the JSON form is ``Comparison.to_dict``)."""

from __future__ import annotations

from pathlib import Path

from luoshi.report.compare import Comparison, DocumentRef, SectionEntry, SloganChange, TargetChange, TargetFigure


def number(value: float) -> str:
    """13000.0 → "13000", 2.5 → "2.5": ``:g`` would print 1.2e+06 for big catalog values."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def normalized(figure: TargetFigure) -> str:
    span = number(figure.low) if figure.low == figure.high else f"{number(figure.low)}–{number(figure.high)}"
    return f"{span}{figure.unit}{figure.qualifier or ''}"


def document_label(ref: DocumentRef) -> str:
    """Names like "2024 政府工作报告"; a document without a title is named by its file."""
    name = ref.title or f"({Path(ref.path).name if ref.path else ref.id})"
    if ref.year is None or (ref.title and str(ref.year) in ref.title):
        return name
    return f"{ref.year} {name}"


def short(quote: str, limit: int = 60) -> str:
    quote = quote.strip().replace("\n", " ")
    return quote if len(quote) <= limit else quote[:limit] + "…"


def target_line(change: TargetChange) -> str:
    """`cpi` 居民消费价格涨幅: 3%左右 → 2%左右 (3%左右 → 2%左右) — as written, then normalized."""
    head = f"- `{change.indicator_id}` {change.indicator}: "
    if change.old and change.new:
        written = f"{change.old.text} → {change.new.text}"
        return head + f"{written} (normalized: {normalized(change.old)} → {normalized(change.new)})"
    figure = change.new or change.old
    return head + f"{figure.text} (normalized: {normalized(figure)}) — “{short(figure.quote)}”"


def _targets(comparison: Comparison) -> list[str]:
    lines = ["## Targets", "", f"### Changed ({len(comparison.targets_changed)})", ""]
    lines += [target_line(c) for c in comparison.targets_changed] or ["- none"]
    for title, changes in (("Added", comparison.targets_added), ("Dropped", comparison.targets_dropped)):
        lines += ["", f"### {title} ({len(changes)})", ""]
        lines += [target_line(c) for c in changes] or ["- none"]
    unchanged = "; ".join(f"`{c.indicator_id}` {c.new.text}" for c in comparison.targets_unchanged)
    lines += ["", f"### Unchanged ({len(comparison.targets_unchanged)})", "", unchanged or "- none"]
    return lines


def slogan_line(change: SloganChange) -> str:
    return f"- “{change.text}” {change.old_count} → {change.new_count}"


def _slogans(comparison: Comparison) -> list[str]:
    groups = (("New", comparison.slogans_new), ("Dropped", comparison.slogans_dropped),
              ("Persisting", comparison.slogans_persisting))
    lines = ["## Slogans", ""]
    if not any(items for _, items in groups):
        return lines + ["No slogans in either document."]
    for title, items in groups:
        lines += [f"### {title} ({len(items)})", ""]
        lines += [slogan_line(s) for s in items] or ["- none"]
        lines.append("")
    return lines[:-1]


def section_line(entry: SectionEntry) -> str:
    return f"{'  ' * (entry.level - 1)}- {entry.title}"


def _sections(comparison: Comparison) -> list[str]:
    basis = "keywords" if comparison.sections_basis == "keywords" else "plan headings"
    lines = [f"## Sections ({basis})", ""]
    for title, items in (("New", comparison.sections_new), ("Dropped", comparison.sections_dropped)):
        lines += [f"### {title} ({len(items)})", ""]
        lines += [section_line(e) for e in items] or ["- none"]
        lines.append("")
    if comparison.reworded_sections:
        lines += [f"### Reworded ({len(comparison.reworded_sections)}: a dropped heading and a new one alike)", ""]
        lines += [f"- {r.old} → {r.new} ({r.similarity:.2f})" for r in comparison.reworded_sections]
        lines.append("")
    return lines + [f"{len(comparison.sections_kept)} kept."]


def render_comparison_markdown(comparison: Comparison) -> str:
    title = f"# {document_label(comparison.old)} → {document_label(comparison.new)}"
    paths = [f"- old: {comparison.old.path or comparison.old.id}", f"- new: {comparison.new.path or comparison.new.id}"]
    body = [title, "", *paths, "", *_targets(comparison), "", *_slogans(comparison), "", *_sections(comparison)]
    return "\n".join(body) + "\n"
