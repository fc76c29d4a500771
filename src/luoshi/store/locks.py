"""The database's write lock: one writer at a time for what reads before it writes (a migration,
a document saved or removed with its region's target rows)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

# Any number 64-bit wide; it only has to be the same in every luoshi process.
_PG_WRITE_LOCK = 0x6C756F736869


def lock_for_writing(conn: Connection) -> None:
    """Take the write lock for the rest of this transaction. SQLite opens transactions lazily:
    BEGIN IMMEDIATE takes its lock now, so a check-then-write cannot interleave with another
    process's; PostgreSQL: a transaction-scoped advisory lock, so that a region's target rows are
    rebuilt from a view that holds every committed document."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
