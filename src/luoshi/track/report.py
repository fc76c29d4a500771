"""The printable monthly 调度 sheet: one standalone HTML file (styles inline, charts as inline
SVG, nothing fetched), every value escaped by the template engine."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from luoshi._version import __version__
from luoshi.track.service import Sheet
from luoshi.track.svg import indicator_chart, progress_bar

TEMPLATES = Path(__file__).parent / "templates"


def number(value) -> str:
    if value is None:
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True))
    env.filters["num"] = number
    return env


def render_report(sheet: Sheet, rules=None) -> str:
    from luoshi.track.rules import load_rules

    return environment().get_template("report.html").render(
        sheet=sheet, chart=indicator_chart, bar=progress_bar, rules=rules or load_rules(), version=__version__)
