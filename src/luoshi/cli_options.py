"""Command line, shared parts: the command class that turns a user mistake into one line, and
the options several commands take (database, catalog, format, reading limits, progress)."""

from __future__ import annotations

import sys

import click

from luoshi.errors import LuoshiError, ReadError, shown_path

LAYERS = ("all", "facts", "sections", "statements", "tasks", "entities", "slogans")
DB_HELP = "Database: a file path (SQLite, default ./luoshi.db) or a URL (sqlite:///path, postgresql://…)."
YEAR = click.IntRange(1, 9999)  # what a database column and a period can hold
CATALOG_HELP = "An indicator catalog YAML to use instead of the packaged one."


def echo_error(path: str, reason: str) -> None:
    click.echo(f"error: {shown_path(path)}: {reason}", err=True)


class _Command(click.Command):
    """A command whose user mistakes end in a message: ``error: PATH: reason`` for a file that
    cannot be read or analysed, ``Error: message`` for anything else; exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ReadError as exc:
            echo_error(exc.path, exc.reason)
            sys.exit(1)
        except LuoshiError as exc:
            raise click.ClickException(str(exc)) from exc


class _Group(click.Group):
    command_class = _Command


def db_option(command):
    return click.option("--db", "db_target", default="luoshi.db", show_default=True, help=DB_HELP)(command)


def catalog_option(command):
    return click.option("--catalog", type=click.Path(exists=True, dir_okay=False), help=CATALOG_HELP)(command)


def format_option(choices: tuple[str, ...], default: str, help: str | None = None):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help=help)


LIMIT_HELP = ("Raise or lower a reading limit, NAME=VALUE (repeatable; sizes in bytes or with K, M, G): "
              "file-size (one input file, default 50M; JSONL is streamed and exempt), text-chars (one "
              "document's text, default 10000000), member-size (what one DOCX member may inflate to, "
              "default 64M), xml-size (its XML parts together, default 16M), archive-size (all members, default "
              "256M), archive-ratio (inflated/compressed, default 200). A file over a limit is reported and skipped.")


def _read_limits(ctx, param, options):
    from luoshi.io.limits import DEFAULT_LIMITS, LimitError

    try:
        return DEFAULT_LIMITS.with_options(options)
    except LimitError as exc:
        raise click.BadParameter(str(exc).removeprefix("--limit "), ctx, param) from exc


def limit_option(command):
    return click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE", callback=_read_limits,
                        help=LIMIT_HELP)(command)


def progress_option(command):
    return click.option("--progress/--no-progress", default=None,
                        help="Progress bar on stderr (default: when stderr is a terminal).")(command)
