"""Command line, monitoring half: ``luoshi track`` (load, status, alerts, report), added to
``luoshi.cli.main`` as its ``track`` group."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from luoshi.cli_options import _Group, db_option, format_option


TRACK_FILES = ("catalog", "observations", "targets", "projects", "progress")


@click.group(cls=_Group)
def track() -> None:
    """Monitor indicators and key projects through the year against their annual targets
    (序时进度: 时间过半、任务过半): load the files, then ask for status, alerts or a report.

    \b
    Example:
        luoshi track load catalog examples/track/monitor.yaml
        luoshi track load targets examples/track/targets.csv
        luoshi track load observations examples/track/observations.csv
        luoshi track load projects examples/track/projects.csv
        luoshi track load progress examples/track/progress.csv
        luoshi track status --region 示例市 --as-of 2024-06-30
        luoshi track alerts --region 示例市 --as-of 2024-06-30
        luoshi track report --region 示例市 --as-of 2024-06-30 --format html > 6月调度.html
    """


def rules_option(command):
    return click.option("--rules", "rules_path", type=click.Path(exists=True, dir_okay=False),
                        help="Status rules (thresholds, due days) instead of the packaged data/track.yaml.")(command)


def as_of_option(command):
    command = click.option("--as-of", "as_of", help="Date of the sheet: 2024-06-30, or a period (2024-06, 2024H1). "
                                                    "Default: today.")(command)
    return click.option("--region", help="Region (default: the only one in the database).")(command)


@track.command(name="load")
@click.argument("what", type=click.Choice(TRACK_FILES))
@click.argument("path", required=False, type=click.Path(path_type=Path))
@db_option
@click.option("--from-db", "from_db", is_flag=True,
              help="observations only: take them from the stored documents' figures with a period shorter than "
                   "a year (1-5月, 一季度, 上半年), each with its quote.")
@click.option("--region", help="With --from-db: only this region's figures.")
@click.option("--strict", is_flag=True, help="Load nothing from a file with any bad row (default: load the good rows).")
def track_load(what, path, db_target, from_db, region, strict) -> None:
    """Load a monitoring file (CSV, XLSX; the catalog also YAML) into the database.

    \b
    catalog       id,name,domain,unit,kind,direction,frequency,unit_in_charge
    observations  region,indicator_id,period,value,unit,source
    targets       region,year,indicator_id,target_low,target_high,unit
    projects      project_id,name,region,unit_in_charge,leader,batch,planned_investment,unit,start,finish
    progress      project_id,period,completed_investment,milestone

    Loading the same rows again changes nothing; a changed value replaces the stored one
    and the old value is kept in the history. Bad rows are reported with their line and
    reason; the good rows of the file are loaded in one transaction (exit code 1 if any
    row was bad). Periods: 2024-05, 2024-01..2024-05, 2024Q2, 2024H1, 2024-05-上旬, 2024.
    """
    from luoshi.store.db import Database
    from luoshi.track import load
    from luoshi.track.units import unit_converter

    if from_db and what != "observations":
        raise click.UsageError("--from-db loads observations only")
    if (path is None) == (not from_db):
        raise click.UsageError("give a file to load" if path is None else "give a file or --from-db, not both")
    db = Database(db_target) if path is not None else Database.existing(db_target)
    units = unit_converter()
    if from_db:
        report = load.load_from_documents(db, units, region)
    elif what == "catalog":
        report = load.load_catalog(db, str(path), strict)
    elif what == "observations":
        report = load.load_observations(db, str(path), units, strict)
    elif what == "targets":
        report = load.load_targets(db, str(path), units, strict)
    elif what == "projects":
        report = load.load_projects(db, str(path), strict)
    else:
        report = load.load_progress(db, str(path), strict)
    for bad in report.bad:
        click.echo(f"error: {bad}", err=True)
    click.echo(report.line(), err=True)
    if report.bad:
        sys.exit(1)


def _sheet(db_target, region, as_of, rules_path, with_cadence=True):
    from luoshi.store.db import Database
    from luoshi.track.rules import load_rules
    from luoshi.track.service import TrackService, parse_as_of

    service = TrackService(Database.existing(db_target), load_rules(rules_path))
    return service.sheet(region, parse_as_of(as_of), with_cadence)


@track.command(name="status")
@db_option
@as_of_option
@format_option(("table", "csv", "json", "md"), "table",
               "csv: one row per indicator (the contract's columns); json: everything, with roll-ups and cadence.")
@click.option("--projects", "show_projects", is_flag=True, help="The key projects instead of the indicators (table, csv).")
@rules_option
def track_status(db_target, region, as_of, fmt, show_projects, rules_path) -> None:
    """Status of every monitored indicator as of a date: the latest observation, 序时进度
    (elapsed), progress against the annual target, and ahead / on_track / behind / alert /
    no_data / no_target with the reason; then the counts by domain.

    \b
    Example:
        luoshi track status --region 示例市 --as-of 2024-06-30
        luoshi track status --region 示例市 --as-of 2024-06-30 --format csv > status.csv
    """
    from luoshi.track.render import status_text

    sheet = _sheet(db_target, region, as_of, rules_path, fmt == "json")
    click.echo(status_text(sheet, fmt, "projects" if show_projects else "indicators"), nl=False)


@track.command(name="alerts")
@db_option
@as_of_option
@format_option(("table", "csv", "json", "md"), "table")
@rules_option
def track_alerts(db_target, region, as_of, fmt, rules_path) -> None:
    """Only what needs acting on: indicators and projects behind or on alert, and those whose
    data is late — alerts first, each with why.

    \b
    Example:
        luoshi track alerts --region 示例市 --as-of 2024-06-30
    """
    from luoshi.track.render import alerts_text

    click.echo(alerts_text(_sheet(db_target, region, as_of, rules_path, False), fmt), nl=False)


@track.command(name="report")
@db_option
@as_of_option
@format_option(("html", "md"), "html", "html: a standalone page with inline SVG charts (works offline); md: Markdown.")
@rules_option
def track_report(db_target, region, as_of, fmt, rules_path) -> None:
    """The monthly 调度 sheet to print: counts by domain, alerts first, every indicator with
    a chart of its observations against the target and 序时进度, the cadence view
    (以旬保月、以月保季、以季保年), key projects and units in charge.

    \b
    Example:
        luoshi track report --region 示例市 --as-of 2024-06-30 --format html > 6月调度.html
    """
    from luoshi.track.render import markdown

    sheet = _sheet(db_target, region, as_of, rules_path, True)
    if fmt == "md":
        click.echo(markdown(sheet), nl=False)
        return
    from luoshi.track.report import render_report
    from luoshi.track.rules import load_rules

    click.echo(render_report(sheet, load_rules(rules_path)), nl=False)
