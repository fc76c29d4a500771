"""The corpus database: schema with recorded migrations, idempotent atomic ingest, queries."""

from luoshi.store.db import Database, open_database

__all__ = ["Database", "open_database"]
