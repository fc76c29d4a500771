"""luoshi: Chinese government work reports as structured, auditable data."""

from luoshi.io import read_all, read_file
from luoshi.model import Document, Fact, Section, Statement
from luoshi.pipeline import process, process_text


def open(target: str = "luoshi.db"):  # noqa: A001 - the documented entry point luoshi.open(url)
    """Open a corpus database by path or URL: ``luoshi.open("luoshi.db").targets(indicator="cpi")``."""
    from luoshi.store.db import open_database

    return open_database(target)


__version__ = "0.1.0"
__all__ = ["Document", "Fact", "Section", "Statement", "open", "process", "process_text", "read_all", "read_file", "__version__"]
