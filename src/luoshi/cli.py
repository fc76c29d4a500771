"""Command line: thin wrappers over the library. Each command opens what it needs, calls one
library function and prints; a user mistake (``LuoshiError``) is a one-line message, never a
traceback (``_Command.invoke``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from luoshi._version import __version__
from luoshi.cli_options import (LAYERS, YEAR, _Group, catalog_option, db_option, echo_error, format_option,
                                limit_option, progress_option)
from luoshi.errors import ReadError, message, shown_path

@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="luoshi")
def main() -> None:
    """luoshi (落实): government work reports and their news coverage as structured,
    auditable data — every figure with its unit, status, period and exact quote."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option(("json", "jsonl", "md"), "json",
               "json: the document's object (DESIGN's contract), or an array of them when PATHS hold "
               "several documents; jsonl: one item per line; md: readable.")
@click.option("--what", type=click.Choice(LAYERS), default="all", show_default=True,
              help="With --format jsonl: which items to print, one per line, each with its document id.")
@click.option("--kind", type=click.Choice(["report", "news", "resolution"]), help="Override the inferred kind.")
@click.option("--region", help="Override the inferred region (e.g. 全国, 河南, 郑州).")
@click.option("--year", type=YEAR, help="Override the inferred year.")
@click.option("--title", help="Override the inferred title.")
@catalog_option
@limit_option
@progress_option
def extract(paths, fmt, what, kind, region, year, title, catalog, limits, progress) -> None:
    """Extract structure and every figure from reports and news pages.

    PATHS are files (.txt .html .docx .pdf .jsonl) or folders, read recursively.
    A file that cannot be read is reported on stderr with its reason; the others go
    on, and the exit code is 1. With --format json, one file gives its object and
    several documents (several paths, a folder, a JSONL corpus) a JSON array, written
    as each document is done.

    \b
    Example:
        luoshi extract ../shared/corpus/national/2024.txt --format json > 2024.json
        luoshi extract reports/ --format jsonl --what facts > facts.jsonl
        luoshi extract examples/示例市-2024.txt --format md
    """
    from luoshi.batch import analyse_documents
    from luoshi.io import SUPPORTED_SUFFIXES, iter_files
    from luoshi.io.paths import file_format
    from luoshi.report.documents_out import DocumentsOutput
    from luoshi.resources import load_resources

    resources = load_resources(catalog)
    meta = {k: v for k, v in {"kind": kind, "region": region, "year": year, "title": title}.items() if v is not None}
    files = list(iter_files(paths))
    one_document = (len(paths) == 1 and len(files) == 1 and not isinstance(files[0], ReadError)
                    and not Path(paths[0]).is_dir() and file_format(files[0]) != "jsonl")
    output = DocumentsOutput(fmt, what, as_array=fmt == "json" and not one_document, write=click.echo)
    show = progress if progress is not None else (sys.stderr.isatty() and len(files) > 3)
    failed = inputs = 0
    with click.progressbar(files, label="extracting", file=sys.stderr, hidden=not show) as bar:
        for file in bar:
            for item in [file] if isinstance(file, ReadError) else analyse_documents(file, resources, limits, **meta):
                inputs += 1
                if isinstance(item, ReadError):
                    failed += 1
                    echo_error(item.path, item.reason)
                else:
                    _warn_replaced(item)
                    output.emit(item)
    output.close()
    if not inputs:
        click.echo(message("no_documents", suffixes=" ".join(sorted(SUPPORTED_SUFFIXES))), err=True)
        sys.exit(1)
    if failed:
        click.echo(f"{failed} of {inputs} inputs failed", err=True)
        sys.exit(1)


def _warn_replaced(doc) -> None:
    from luoshi.report.documents_out import replaced_characters

    count, first = replaced_characters(doc)
    if count:
        click.echo(f"warning: {shown_path(doc.path or doc.id)}: "
                   f"{message('replaced', count=count, s='s' if count > 1 else '', first=first)}", err=True)


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

    click.echo(format_report(evaluate(gold_dir, corpus), details))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per core); with --engine dask and no --scheduler, the local "
                   "cluster's workers.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: processes on this machine; dask: Dask workers (a local cluster, or --scheduler's).")
@click.option("--scheduler", metavar="URL", help="With --engine dask: a running scheduler, e.g. tcp://10.0.0.5:8786.")
@click.option("--scheduler-timeout", type=click.FloatRange(0.1, 3600), default=20, show_default=True,
              help="Seconds to wait for the scheduler to answer.")
@catalog_option
@limit_option
@progress_option
def ingest(paths, db_target, jobs, engine, scheduler, scheduler_timeout, catalog, limits, progress) -> None:
    """Analyse documents and store them: idempotent (the same content is stored once, a
    changed file replaces its old version) and atomic per document.

    Folders are walked and JSONL corpora read a record at a time, with a bounded number of
    documents in flight (4 per worker), so memory stays bounded whatever the corpus's size.
    With --engine dask the documents are read and analysed on the Dask workers (they need
    luoshi installed and the files at the same paths) and this process writes them.
    A file that cannot be read (or is over a --limit) is reported on one line, "error: PATH:
    reason", the others are stored, and the exit code is 1.

    \b
    Example:
        luoshi ingest ../shared/corpus/national/
        luoshi ingest news/ --db postgresql://user@localhost/luoshi --jobs 4
        luoshi ingest corpus.jsonl --engine dask --scheduler tcp://10.0.0.5:8786 --db postgresql://…/luoshi
    """
    from luoshi.batch import count_work, ingest as ingest_paths
    from luoshi.engines import DaskEngine, LocalEngine
    from luoshi.resources import load_resources
    from luoshi.store.db import Database

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    load_resources(catalog)  # a broken catalog stops here, before a database is made
    db = Database(db_target)
    show = progress if progress is not None else sys.stderr.isatty()
    runner = DaskEngine(scheduler, jobs, scheduler_timeout) if engine == "dask" else LocalEngine(jobs)
    try:
        with _progress_bar(count_work(paths) if show else None, show) as bar:
            summary = ingest_paths(paths, db, catalog=catalog, on_progress=bar.update, engine=runner, limits=limits)
    finally:
        if engine == "dask":
            runner.close()
    for path, reason in summary.failed:
        echo_error(path, reason)
    click.echo(summary.line(), err=True)
    if summary.failed:
        sys.exit(1)


def _progress_bar(total: int | None, show: bool):
    """documents/s and, when the total is known, the ETA, on stderr; nothing when hidden."""
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="ingesting", file=sys.stderr, disable=not show, dynamic_ncols=True)


@main.command()
@db_option
@click.option("--region", help="Only this region (e.g. 全国).")
@click.option("--indicator", help="Only this catalog id (e.g. gdp_growth).")
@click.option("--from", "year_from", type=YEAR, help="First year.")
@click.option("--to", "year_to", type=YEAR, help="Last year.")
@format_option(("table", "csv", "json", "parquet"), "table")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (needed for parquet).")
@click.option("--tolerance", type=float, default=None,
              help="Relative slack for targets written with 左右 (default 0.05: 5.5%左右 is met by 5.3%).")
@catalog_option
def targets(db_target, region, indicator, year_from, year_to, fmt, out, tolerance, catalog) -> None:
    """The target ↔ outcome table: each year's target from that year's report, the outcome
    from a later document of the same region, and the verdict (met, missed, pending,
    unknown, not_set).

    \b
    Example:
        luoshi targets --region 全国 --indicator gdp_growth
        luoshi targets --format csv > targets.csv
        luoshi targets --format parquet --out targets.parquet
    """
    from luoshi.link.verdicts import LEFT_RIGHT_TOLERANCE, targets as judged_targets
    from luoshi.resources import load_resources
    from luoshi.store.db import Database

    if fmt == "parquet" and out is None:
        raise click.UsageError("--format parquet writes a file: give --out FILE")
    db = Database.existing(db_target)
    if not db.count("documents"):
        raise click.ClickException(message("empty_database", db=db_target))
    rows = judged_targets(db, load_resources(catalog).catalog, region, indicator,
                          year_from, year_to, LEFT_RIGHT_TOLERANCE if tolerance is None else tolerance)
    if not len(rows):
        asked = ", ".join(f"{name} {value}" for name, value in (("region", region), ("indicator", indicator),
                          ("from", year_from), ("to", year_to)) if value is not None)
        click.echo(message("no_targets", asked=f" for {asked}" if asked else "", db=db_target), err=True)
    if out:
        from luoshi.report.rows import write_rows

        write_rows(rows, {"json": "jsonl", "table": "csv"}.get(fmt, fmt), out)
        click.echo(f"{len(rows)} rows written to {out}", err=True)
        return
    _print_rows(rows, fmt)


def _print_rows(rows, fmt: str) -> None:
    from luoshi.report.rows import as_csv, as_json, as_table

    if fmt == "json":
        click.echo(as_json(rows))
    else:
        click.echo((as_csv if fmt == "csv" else as_table)(rows), nl=False)


@main.command()
@click.argument("table", type=click.Choice(["documents", "sections", "paragraphs", "sentences", "facts",
                                             "indicator_values", "statements", "artefacts", "tasks", "entities",
                                             "slogans", "targets"]))
@db_option
@format_option(("csv", "parquet", "xlsx", "jsonl"), "csv")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@catalog_option
def export(table, db_target, fmt, out, catalog) -> None:
    """Export a table of the database (or the targets view) to CSV, Parquet, XLSX or JSONL.

    \b
    Example:
        luoshi export facts --format parquet --out facts.parquet
        luoshi export targets --format xlsx --out targets.xlsx
    """
    from luoshi.report.rows import table_rows, write_rows
    from luoshi.resources import load_resources
    from luoshi.store.db import Database

    count = write_rows(table_rows(Database.existing(db_target), table, load_resources(catalog).catalog), fmt, out)
    click.echo(f"{count} rows of {table} written to {out}", err=True)


@main.command()
@click.argument("indicator")
@db_option
@click.option("--region", default="全国", show_default=True)
@click.option("--from", "year_from", type=YEAR, help="First year.")
@click.option("--to", "year_to", type=YEAR, help="Last year.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), help="Also draw target band and outcome line to this PNG.")
@catalog_option
def series(indicator, db_target, region, year_from, year_to, png, catalog) -> None:
    """Target and outcome of one indicator by year — the table economists assemble by hand.

    \b
    Example:
        luoshi series gdp_growth --region 全国 --png gdp.png
    """
    from luoshi.link.verdicts import targets as judged_targets
    from luoshi.resources import load_resources
    from luoshi.store.db import Database

    rows = judged_targets(Database.existing(db_target), load_resources(catalog).catalog, region, indicator,
                          year_from, year_to)
    if not rows:
        raise click.ClickException(f"no figures for {indicator} in {region}")
    _print_rows(rows, "table")
    if png:
        from luoshi.report.chart import draw_series

        # Latin title: a CJK font is not guaranteed on the machine drawing the chart
        draw_series(rows.records, png, f"{indicator}: target vs outcome")
        click.echo(f"chart written to {png}", err=True)


def _analysed_one(path: Path, resources, limits=None):
    """The one document in ``path``, analysed (digest, compare); a problem is a ReadError."""
    from luoshi.io import DEFAULT_LIMITS, read_file
    from luoshi.pipeline import analyse

    docs = read_file(path, limits or DEFAULT_LIMITS)
    if len(docs) != 1:
        raise ReadError(str(path), f"expected one document, the file holds {len(docs)}")
    doc = analyse(docs[0], resources)
    if isinstance(doc, ReadError):
        raise doc
    return doc


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@format_option(("md", "json"), "md", "md: readable report; json: the comparison as one object.")
@catalog_option
@limit_option
def compare(old, new, fmt, catalog, limits) -> None:
    """Compare two documents, typically one region's reports of consecutive years:
    targets changed, added, dropped and unchanged (as written and normalized), slogans
    new, dropped and persisting, sections new and dropped.

    \b
    Example:
        luoshi compare ../shared/corpus/national/2024.txt ../shared/corpus/national/2025.txt
        luoshi compare 2024.txt 2025.txt --format json > changes.json
    """
    from luoshi.report.compare import compare_documents
    from luoshi.report.compare_md import render_comparison_markdown
    from luoshi.resources import load_resources

    resources = load_resources(catalog)
    old_doc, new_doc = _analysed_one(old, resources, limits), _analysed_one(new, resources, limits)
    comparison = compare_documents(old_doc, new_doc, resources)
    if fmt == "json":
        click.echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(render_comparison_markdown(comparison), nl=False)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@format_option(("md", "html", "json"), "md",
               "md: Markdown; html: a standalone page (figures highlighted, each linked to its quote); json: data.")
@click.option("--focus", help="Keep only what is about this place and the places under it (e.g. 郑州 keeps 航空港区).")
@catalog_option
@limit_option
def digest(path, fmt, focus, catalog, limits) -> None:
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

    resources = load_resources(catalog)
    result = build_digest(_analysed_one(path, resources, limits), resources, focus)
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
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default is this machine only; give 0.0.0.0 to open it to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Server processes.")
@catalog_option
def serve(db_target, host, port, workers, catalog) -> None:
    """Serve the corpus database in a browser: search, documents with every figure
    highlighted, the target ↔ outcome table, indicator charts, digests, comparisons, and
    a JSON API under /api/ (OpenAPI schema at /openapi.json).

    \b
    Example:
        luoshi ingest ../shared/corpus/ && luoshi serve --db luoshi.db
        luoshi serve --db postgresql://user@localhost/luoshi --port 8080 --workers 2
    """
    from luoshi.resources import load_resources
    from luoshi.store.db import Database
    from luoshi.web.app import Settings
    from luoshi.web.server import run

    db = Database.existing(db_target)  # fail here, with the message, not in a worker
    stale = db.stale(load_resources(catalog).fingerprint)
    db.close()
    if stale:
        click.echo(f"warning: {stale} documents of {db_target} were analysed by another luoshi or catalog; "
                   f"pages show their layers as stored until `luoshi ingest` analyses them again", err=True)
    click.echo(f"serving {db_target} on http://{host}:{port}", err=True)
    run(Settings(db=str(db_target), catalog=catalog), host, port, workers)


# the monitoring commands live in their own module; registered last, when ``main`` exists
from luoshi.cli_track import track  # noqa: E402

main.add_command(track)
