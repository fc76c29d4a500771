"""Command line: thin wrappers over the library; user mistakes become one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from luoshi import __version__
from luoshi.errors import LuoshiError, ReadError
from luoshi.render import render_markdown

FORMATS = ("json", "jsonl", "md")
LAYERS = ("all", "facts", "sections", "statements", "tasks", "entities", "slogans")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="luoshi")
def main() -> None:
    """luoshi (落实): government work reports and their news coverage as structured,
    auditable data — every figure with its unit, status, period and exact quote."""


def _meta_overrides(kind, region, year, title) -> dict:
    return {k: v for k, v in {"kind": kind, "region": region, "year": year, "title": title}.items() if v is not None}


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="json: one object per document (DESIGN's contract); jsonl: one item per line; md: readable.")
@click.option("--what", type=click.Choice(LAYERS), default="all", show_default=True,
              help="With --format jsonl: which items to print, one per line, each with its document id.")
@click.option("--kind", type=click.Choice(["report", "news", "resolution"]), help="Override the inferred kind.")
@click.option("--region", help="Override the inferred region (e.g. 全国, 河南, 郑州).")
@click.option("--year", type=int, help="Override the inferred year.")
@click.option("--title", help="Override the inferred title.")
@click.option("--catalog", type=click.Path(exists=True, dir_okay=False), help="An indicator catalog YAML to use instead of the packaged one.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a terminal and there are several files).")
def extract(paths, fmt, what, kind, region, year, title, catalog, progress) -> None:
    """Extract structure and every figure from reports and news pages.

    PATHS are files (.txt .html .docx .pdf .jsonl) or folders, read recursively.
    A file that cannot be read is reported on stderr with its reason; the others go
    on, and the exit code is 1.

    \b
    Example:
        luoshi extract ../shared/corpus/national/2024.txt --format json > 2024.json
        luoshi extract reports/ --format jsonl --what facts > facts.jsonl
        luoshi extract examples/示例市-2024.txt --format md
    """
    from luoshi.io import read_all
    from luoshi.pipeline import process
    from luoshi.resources import load_resources

    try:
        resources = load_resources(catalog)
    except LuoshiError as exc:
        raise click.ClickException(str(exc)) from exc
    overrides = _meta_overrides(kind, region, year, title)
    items = list(read_all(paths))
    show = progress if progress is not None else (sys.stderr.isatty() and len(items) > 3)
    failed = 0
    with click.progressbar(items, label="extracting", file=sys.stderr, hidden=not show) as bar:
        for item in bar:
            if isinstance(item, ReadError):
                failed += 1
                click.echo(f"error: {item.path}: {item.reason}", err=True)
                continue
            try:
                doc = process(item.with_meta(**overrides) if overrides else item, resources)
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                # a rule that breaks on one document must not stop the batch: report and count it
                failed += 1
                click.echo(f"error: {item.path}: extraction failed ({type(exc).__name__}: {exc})", err=True)
                continue
            _emit(doc, fmt, what)
    if failed:
        click.echo(f"{failed} of {len(items)} inputs failed", err=True)
        sys.exit(1)


def _emit(doc, fmt: str, what: str) -> None:
    if fmt == "md":
        click.echo(render_markdown(doc))
        return
    data = doc.to_dict(include_internal=False)
    if fmt == "json" or what == "all":
        if what != "all":
            data = {"id": data["id"], "path": data["path"], what: data[what]}
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    for item in data[what]:
        click.echo(json.dumps({"doc": doc.id, "path": doc.path, **item}, ensure_ascii=False))


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The corpus the keys refer to (default: ../corpus beside the gold folder).")
@click.option("--details/--no-details", default=True, show_default=True, help="List misses, extras and wrong attributes.")
def eval_command(gold_dir, corpus, details) -> None:
    """Score extraction against hand-checked answer keys: precision, recall and F1 per
    item type, attribute accuracy on matched facts, then every miss and extra.

    \b
    Example:
        luoshi eval ../shared/gold/dev
    """
    from luoshi.eval.score import evaluate, format_report

    try:
        report = evaluate(gold_dir, corpus)
    except LuoshiError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_report(report, details))
