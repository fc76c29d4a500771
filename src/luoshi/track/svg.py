"""Small inline SVG charts of an indicator through the year: observations against the target
line and, for cumulative indicators, the 序时进度 line (target × share of the year gone).

Presentation attributes only (no ``style``), so the charts pass the web app's
Content-Security-Policy and print offline; every text is escaped.
"""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 240, 96, 30, 8, 8, 16
COLORS = {"ahead": "#2e7d32", "on_track": "#2e7d32", "behind": "#ef6c00", "alert": "#c62828", "no_data": "#777",
          "no_target": "#777"}


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def indicator_chart(row: dict) -> Markup:
    """The chart of one status row (its ``points``, target and kind)."""
    points = row.get("points") or []
    low, high = row.get("target_low"), row.get("target_high")
    goal = (high if row.get("direction") == "down" else low) if (low is not None or high is not None) else None
    if goal is None:
        goal = low if low is not None else high
    values = [p["value"] for p in points]
    lines = [v for v in (low, high) if v is not None]
    top = max(values + lines + [0.0]) if row.get("kind") == "cumulative" else max(values + lines or [1.0])
    bottom = 0.0 if row.get("kind") == "cumulative" else min(values + lines or [0.0])
    if top == bottom:
        top, bottom = top + 1, bottom - 1
    span = top - bottom
    top, bottom = top + span * 0.08, (bottom - span * 0.08 if row.get("kind") != "cumulative" else bottom)
    inner_w, inner_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(month: float) -> float:
        return PAD_LEFT + inner_w * month / 12

    def y(value: float) -> float:
        return PAD_TOP + inner_h * (top - value) / (top - bottom)

    title = f"{row.get('name', '')}：{row.get('reason', '')}"
    parts = [f'<svg class="track-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<rect x="{PAD_LEFT}" y="{PAD_TOP}" width="{inner_w}" height="{inner_h}" fill="#fafafa" stroke="#ddd"/>']
    for month in (3, 6, 9):
        parts.append(f'<line x1="{x(month):.1f}" y1="{PAD_TOP}" x2="{x(month):.1f}" y2="{PAD_TOP + inner_h}" '
                     f'stroke="#eee"/>')
    for month in (0, 6, 12):
        parts.append(f'<text x="{x(month):.1f}" y="{HEIGHT - 4}" font-size="9" text-anchor="middle" fill="#666">'
                     f"{month}月</text>" if month else
                     f'<text x="{x(0):.1f}" y="{HEIGHT - 4}" font-size="9" text-anchor="middle" fill="#666">0</text>')
    for value in lines:
        parts.append(f'<line class="target-line" x1="{x(0):.1f}" y1="{y(value):.1f}" x2="{x(12):.1f}" y2="{y(value):.1f}" '
                     f'stroke="#1565c0" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{PAD_LEFT - 3}" y="{y(value) + 3:.1f}" font-size="9" text-anchor="end" fill="#1565c0">'
                     f"{escape(_fmt(value))}</text>")
    if row.get("kind") == "cumulative" and goal:
        parts.append(f'<line class="elapsed-line" x1="{x(0):.1f}" y1="{y(0):.1f}" x2="{x(12):.1f}" y2="{y(goal):.1f}" '
                     f'stroke="#999" stroke-dasharray="2 2"/>')
    if points:
        color = COLORS.get(row.get("status"), "#333")
        path = " ".join(f"{x(p['month']):.1f},{y(p['value']):.1f}" for p in points)
        parts.append(f'<polyline class="observed" points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for p in points:
            parts.append(f'<circle cx="{x(p["month"]):.1f}" cy="{y(p["value"]):.1f}" r="2.2" fill="{color}">'
                         f"<title>{escape(p['end'])}: {escape(_fmt(p['value']))}</title></circle>")
    parts.append("</svg>")
    return Markup("".join(parts))


def progress_bar(progress: float | None, elapsed: float | None, status: str) -> Markup:
    """A bar of progress with a tick at 序时进度 (projects, cumulative indicators)."""
    width, height = 120, 12
    parts = [f'<svg class="track-bar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="progress">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eee"/>']
    if progress is not None:
        parts.append(f'<rect x="0" y="0" width="{width * min(max(progress, 0), 1):.1f}" height="{height}" '
                     f'fill="{COLORS.get(status, "#333")}"/>')
    if elapsed is not None:
        parts.append(f'<line x1="{width * elapsed:.1f}" y1="0" x2="{width * elapsed:.1f}" y2="{height}" stroke="#000" '
                     f'stroke-width="2"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
