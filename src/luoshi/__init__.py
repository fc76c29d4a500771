"""luoshi: Chinese government work reports as structured, auditable data."""

from luoshi.io import read_all, read_file
from luoshi.model import Document, Fact, Section, Statement
from luoshi.pipeline import process, process_text

__version__ = "0.1.0"
__all__ = ["Document", "Fact", "Section", "Statement", "process", "process_text", "read_all", "read_file", "__version__"]
