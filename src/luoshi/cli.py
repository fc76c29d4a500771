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
            except LuoshiError as exc:
                # a broken data file breaks every document: stop with its message
                raise click.ClickException(str(exc)) from exc
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


DB_HELP = "Database: a file path (SQLite, default ./luoshi.db) or a URL (sqlite:///path, postgresql://…)."


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", "db_target", default="luoshi.db", show_default=True, help=DB_HELP)
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes (default: one per core).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a terminal).")
def ingest(paths, db_target, jobs, progress) -> None:
    """Analyse documents and store them: idempotent (the same content is stored once, a
    changed file replaces its old version) and atomic per document.

    \b
    Example:
        luoshi ingest ../shared/corpus/national/
        luoshi ingest news/ --db postgresql://user@localhost/luoshi --jobs 4
    """
    from luoshi.io import iter_files
    from luoshi.store.db import Database
    from luoshi.store.ingest import ingest as run_ingest

    try:
        db = Database(db_target)
    except LuoshiError as exc:
        raise click.ClickException(str(exc)) from exc
    total = sum(1 for item in iter_files(paths) if not isinstance(item, ReadError))
    show = progress if progress is not None else sys.stderr.isatty()
    with click.progressbar(length=total, label="ingesting", file=sys.stderr, hidden=not show) as bar:
        summary = run_ingest(paths, db, jobs, on_progress=bar.update)
    for path, reason in summary.failed:
        click.echo(f"error: {path}: {reason}", err=True)
    click.echo(summary.line(), err=True)
    if summary.failed:
        sys.exit(1)


@main.command()
@click.option("--db", "db_target", default="luoshi.db", show_default=True, help=DB_HELP)
@click.option("--region", help="Only this region (e.g. 全国).")
@click.option("--indicator", help="Only this catalog id (e.g. gdp_growth).")
@click.option("--from", "year_from", type=int, help="First year.")
@click.option("--to", "year_to", type=int, help="Last year.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "parquet"]), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (needed for parquet).")
@click.option("--tolerance", type=float, default=None,
              help="Relative slack for targets written with 左右 (default 0.05: 5.5%左右 is met by 5.3%).")
def targets(db_target, region, indicator, year_from, year_to, fmt, out, tolerance) -> None:
    """The target ↔ outcome table: each year's target from that year's report, the outcome
    from a later document of the same region, and the verdict (met, missed, pending,
    unknown, not_set).

    \b
    Example:
        luoshi targets --region 全国 --indicator gdp_growth
        luoshi targets --format csv > targets.csv
        luoshi targets --format parquet --out targets.parquet
    """
    from luoshi.link.verdicts import LEFT_RIGHT_TOLERANCE
    from luoshi.store.db import Database

    _require_db(db_target)
    try:
        rows = Database(db_target).targets(region, indicator, year_from, year_to,
                                           LEFT_RIGHT_TOLERANCE if tolerance is None else tolerance)
    except LuoshiError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "parquet" or out:
        from luoshi.store.export import export as write

        if out is None:
            raise click.UsageError("--format parquet writes a file: give --out FILE")
        write(rows, "jsonl" if fmt == "json" else ("csv" if fmt == "table" else fmt), out)
        click.echo(f"{len(rows)} rows written to {out}", err=True)
        return
    _print_rows(rows.records, rows.columns, fmt)


def _print_rows(records: list[dict], columns: tuple[str, ...], fmt: str) -> None:
    import csv
    import io

    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        click.echo(buffer.getvalue(), nl=False)
    else:
        shown = ("region", "year", "indicator_id", "target_low", "target_high", "qualifier", "outcome_value", "verdict")
        widths = {c: max([len(c)] + [len(_fmt(r[c])) for r in records]) for c in shown}
        click.echo("  ".join(c.ljust(widths[c]) for c in shown))
        for r in records:
            click.echo("  ".join(_fmt(r[c]).ljust(widths[c]) for c in shown))


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@main.command()
@click.argument("table", type=click.Choice(["documents", "sections", "sentences", "facts", "statements", "artefacts",
                                             "tasks", "entities", "slogans", "indicator_values", "targets"]))
@click.option("--db", "db_target", default="luoshi.db", show_default=True, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx", "jsonl"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
def export(table, db_target, fmt, out) -> None:
    """Export a table of the database (or the targets view) to CSV, Parquet, XLSX or JSONL.

    \b
    Example:
        luoshi export facts --format parquet --out facts.parquet
        luoshi export targets --format xlsx --out targets.xlsx
    """
    from luoshi.store.db import Database
    from luoshi.store.export import export as write, table_rows

    _require_db(db_target)
    try:
        count = write(table_rows(Database(db_target), table), fmt, out)
    except (LuoshiError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{count} rows of {table} written to {out}", err=True)


@main.command()
@click.argument("indicator")
@click.option("--db", "db_target", default="luoshi.db", show_default=True, help=DB_HELP)
@click.option("--region", default="全国", show_default=True)
@click.option("--from", "year_from", type=int, help="First year.")
@click.option("--to", "year_to", type=int, help="Last year.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), help="Also draw target band and outcome line to this PNG.")
def series(indicator, db_target, region, year_from, year_to, png) -> None:
    """Target and outcome of one indicator by year — the table economists assemble by hand.

    \b
    Example:
        luoshi series gdp_growth --region 全国 --png gdp.png
    """
    from luoshi.store.db import Database

    _require_db(db_target)
    try:
        rows = Database(db_target).targets(region=region, indicator=indicator, year_from=year_from, year_to=year_to)
    except LuoshiError as exc:
        raise click.ClickException(str(exc)) from exc
    if not rows:
        raise click.ClickException(f"no figures for {indicator} in {region}")
    _print_rows(rows.records, rows.columns, "table")
    if png:
        from luoshi.link.chart import draw_series

        # Latin title: a CJK font is not guaranteed on the machine drawing the chart
        draw_series(rows.records, png, f"{indicator}: target vs outcome")
        click.echo(f"chart written to {png}", err=True)


def _require_db(db_target: str) -> None:
    """A database to read must exist: a URL, or a non-empty file (not a folder, not "")."""
    if "://" in db_target:
        return
    path = Path(db_target)
    if not db_target or not path.is_file() or path.stat().st_size == 0:
        raise click.ClickException(f"{db_target or '(empty path)'}: no such database; run `luoshi ingest` first")


def _read_one(path: Path):
    """The one document in ``path`` (digest, compare); a problem is one line on stderr and exit code 1."""
    from luoshi.io import read_file

    try:
        docs = read_file(path)
    except ReadError as exc:
        click.echo(f"error: {exc.path}: {exc.reason}", err=True)
        sys.exit(1)
    if len(docs) != 1:
        click.echo(f"error: {path}: expected one document, the file holds {len(docs)}", err=True)
        sys.exit(1)
    return docs[0]


def _process_one(doc, resources):
    from luoshi.pipeline import process

    try:
        return process(doc, resources)
    except LuoshiError as exc:
        raise click.ClickException(str(exc)) from exc
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        # the same rule-failure report as `extract`, so one bad rule is not a traceback
        click.echo(f"error: {doc.path}: extraction failed ({type(exc).__name__}: {exc})", err=True)
        sys.exit(1)


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
              help="md: readable report; json: the comparison as one object.")
@click.option("--catalog", type=click.Path(exists=True, dir_okay=False), help="An indicator catalog YAML to use instead of the packaged one.")
def compare(old, new, fmt, catalog) -> None:
    """Compare two documents, typically one region's reports of consecutive years:
    targets changed, added, dropped and unchanged (as written and normalized), slogans
    new, dropped and persisting, sections new and dropped.

    \b
    Example:
        luoshi compare ../shared/corpus/national/2024.txt ../shared/corpus/national/2025.txt
        luoshi compare 2024.txt 2025.txt --format json > changes.json
    """
    from luoshi.compare import compare_documents
    from luoshi.compare_render import render_comparison_markdown
    from luoshi.resources import load_resources

    try:
        resources = load_resources(catalog)
    except LuoshiError as exc:
        raise click.ClickException(str(exc)) from exc
    old_doc, new_doc = _read_one(old), _read_one(new)
    comparison = compare_documents(_process_one(old_doc, resources), _process_one(new_doc, resources), resources)
    if fmt == "json":
        click.echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(render_comparison_markdown(comparison), nl=False)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True,
              help="md: Markdown; html: a standalone page (figures highlighted, each linked to its quote); json: data.")
@click.option("--focus", help="Keep only what is about this place and the places under it (e.g. 郑州 keeps 航空港区).")
@click.option("--catalog", type=click.Path(exists=True, dir_okay=False), help="An indicator catalog YAML to use instead of the packaged one.")
def digest(path, fmt, focus, catalog) -> None:
    """Draft the keyword digest an editor writes by hand: per keyword section (or, for a
    full report, per plan heading with a short keyword) last year's results, this year's
    targets and tasks, then the deputies' voices; every line with its quote.

    A --focus place the document never names gives an empty digest and a message on
    stderr, not an error.

    \b
    Example:
        luoshi digest ../shared/corpus/national/2024.txt --format md > digest.md
        luoshi digest henan-2024.txt --focus 郑州 --format html > zhengzhou.html
        luoshi digest ../shared/corpus/seed/zhengzhou-2024-keywords.txt
    """
    from luoshi.digest import build_digest, render_html, render_markdown
    from luoshi.digest.render import digest_to_dict
    from luoshi.resources import load_resources

    try:
        resources = load_resources(catalog)
    except LuoshiError as exc:
        raise click.ClickException(str(exc)) from exc
    result = build_digest(_process_one(_read_one(path), resources), resources, focus)
    if result.message:
        click.echo(result.message, err=True)
    labels = resources.digest.labels
    if fmt == "json":
        click.echo(json.dumps(digest_to_dict(result), ensure_ascii=False, indent=1))
    elif fmt == "html":
        click.echo(render_html(result, labels), nl=False)
    else:
        click.echo(render_markdown(result, labels), nl=False)


@main.command()
@click.option("--db", "db_target", default="luoshi.db", show_default=True, help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default is this machine only; give 0.0.0.0 to open it to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Server processes.")
@click.option("--catalog", type=click.Path(exists=True, dir_okay=False), help="An indicator catalog YAML to use instead of the packaged one.")
def serve(db_target, host, port, workers, catalog) -> None:
    """Serve the corpus database in a browser: search, documents with every figure
    highlighted, the target ↔ outcome table, indicator charts, digests, comparisons, and
    a JSON API under /api/ (OpenAPI schema at /openapi.json, docs at /docs).

    \b
    Example:
        luoshi ingest ../shared/corpus/ && luoshi serve --db luoshi.db
        luoshi serve --db postgresql://user@localhost/luoshi --port 8080 --workers 2
    """
    import os

    from luoshi.web.server import run

    _require_db(db_target)
    try:
        from luoshi.store.db import Database

        Database(db_target).close()  # fail here, with the message, not in a worker
    except LuoshiError as exc:
        raise click.ClickException(str(exc)) from exc
    os.environ["LUOSHI_DB"] = str(db_target)
    os.environ["LUOSHI_CATALOG"] = catalog or ""
    click.echo(f"serving {db_target} on http://{host}:{port}", err=True)
    run(host, port, workers)
