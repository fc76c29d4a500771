"""luoshi: Chinese government work reports as structured, auditable data."""

from luoshi._version import __version__
from luoshi.io import read_all, read_file
from luoshi.model import Document, Fact, IndicatorValue, Section, Statement
from luoshi.pipeline import process, process_text


def open(target: str = "luoshi.db"):  # noqa: A001 - the documented entry point luoshi.open(url)
    """Open a corpus database by path or URL: ``db = luoshi.open("luoshi.db")``."""
    from luoshi.store.db import Database

    return Database(target)


def targets(db, catalog: str | None = None, **filters):
    """The judged target ↔ outcome table of a database: ``luoshi.targets(db, indicator="cpi")``
    (filters: region, indicator, year_from, year_to, tolerance, with_verdict)."""
    from luoshi.link.verdicts import targets as judged
    from luoshi.resources import load_resources

    return judged(db, load_resources(catalog).catalog, **filters)


__all__ = ["Document", "Fact", "IndicatorValue", "Section", "Statement", "open", "process", "process_text",
           "read_all", "read_file", "targets", "__version__"]
