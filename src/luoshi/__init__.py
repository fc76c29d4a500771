"""luoshi: Chinese government work reports as structured, auditable data."""

from luoshi.model import Document, Fact, Section, Statement

__version__ = "0.1.0"
__all__ = ["Document", "Fact", "Section", "Statement", "__version__"]
