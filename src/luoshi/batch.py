"""Batch work over files and folders: read, analyse (in parallel across documents), store.

One failure policy for every command (``pipeline.analyse``): a file that cannot be read, or a
rule that breaks on one document, is reported with the file's name and the batch goes on; a
broken data file (``DataFileError``) breaks every document alike, so it stops the batch.

Ingest streams: paths are walked lazily, a JSONL corpus is read a record at a time, and at
most ``WINDOW_PER_WORKER`` pieces of work per worker are in flight, so memory holds a bounded
number of documents whatever the corpus's size. The same piece of work (``Work``) and the same
function (``analyse_work``) run in local processes (``--engine local``) or on Dask workers
(``--engine dask``, ``luoshi.engines``); the client writes every result, one document per
transaction, so both engines give the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from luoshi._version import code_fingerprint
from luoshi.errors import LuoshiError, ReadError
from luoshi.io import DEFAULT_LIMITS, ReadLimits, iter_documents, iter_files
from luoshi.io.paths import file_format
from luoshi.model import Document
from luoshi.pipeline import analyse
from luoshi.resources import Resources, load_resources
from luoshi.store.db import Database

# the code this process runs, as loaded (a Dask worker started before an upgrade runs the old)
LOADED_CODE = code_fingerprint()

# pieces of work in flight per worker: enough to keep a worker busy while the client writes
WINDOW_PER_WORKER = 4
# documents written per transaction, at most, and the longest a finished document waits
WRITE_BATCH = 16
WRITE_SECONDS = 1.0


def analyse_documents(path: str | Path, resources: Resources, limits: ReadLimits = DEFAULT_LIMITS,
                      **meta) -> Iterator[Document | ReadError]:
    """The documents of one file, analysed (``meta`` overrides what is inferred), or the error
    that stopped each."""
    for item in iter_documents(path, limits):
        if isinstance(item, ReadError):
            yield item
        else:
            yield analyse(item.with_meta(**meta) if meta else item, resources)


@dataclass(frozen=True)
class Work:
    """One piece of work for a worker: a file it reads itself, or one record of a JSONL corpus
    the client has read (so a large corpus is never one task), and the limits it reads under."""

    path: str
    document: Document | None = None
    limits: ReadLimits = DEFAULT_LIMITS


def analyse_work(work: Work, catalog: str | None = None, prepare: bool = False) -> list:
    """What a worker does: read and analyse; problems come back as ReadError (picklable).
    ``prepare``: each document as its rows (``store.write.PreparedDocument``), ready to insert."""
    resources = load_resources(catalog)
    if work.document is not None:
        results = [analyse(work.document, resources)]
    else:
        results = list(analyse_documents(work.path, resources, work.limits))
    if not prepare:
        return results
    from luoshi.store.write import prepare_document

    return [r if isinstance(r, ReadError) else prepare_document(r) for r in results]


def iter_work(paths: Iterable[str | Path], limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[Work | ReadError]:
    """The work under ``paths``, lazily: a file per piece, a JSONL corpus a record per piece."""
    for item in iter_files(paths):
        if isinstance(item, ReadError):
            yield item
        elif file_format(item) == "jsonl":
            for record in iter_documents(item, limits):
                yield record if isinstance(record, ReadError) else Work(record.path or str(item), record, limits)
        else:
            yield Work(str(item), limits=limits)


@dataclass
class IngestSummary:
    ingested: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.ingested} ingested, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{len(self.failed)} failed")


def count_work(paths: Iterable[str | Path]) -> int | None:
    """How many pieces of work ``paths`` hold, for a progress bar; None when a JSONL corpus is
    among them (its records are not counted ahead)."""
    count = 0
    for item in iter_files(paths):
        if not isinstance(item, ReadError) and file_format(item) == "jsonl":
            return None
        count += 1
    return count


def ingest(paths: Iterable[str | Path], db: Database, jobs: int | None = None, catalog: str | None = None,
           on_progress: Callable[[int], None] | None = None, engine=None,
           limits: ReadLimits = DEFAULT_LIMITS) -> IngestSummary:
    """Store every document under ``paths``, analysed with ``catalog`` (the packaged one by
    default) by ``engine`` (local processes by default), each read under ``limits``; each
    document is written whole or not at all."""
    from luoshi.engines import LocalEngine

    load_resources(catalog)  # a broken data file stops here, before any worker starts
    engine = engine or LocalEngine(jobs)
    summary = IngestSummary()
    pending: list = []  # prepared documents waiting for the next write
    last_write = time.monotonic()

    def write() -> None:
        for doc, saved in zip(pending, db.save_many(pending)):
            if isinstance(saved, LuoshiError):
                summary.failed.append((doc.path or doc.id, str(saved)))
            else:
                setattr(summary, saved.status, getattr(summary, saved.status) + 1)
        pending.clear()

    for work, results in engine.run(iter_work(paths, limits), catalog, prepare=True):
        for item in results:
            if isinstance(item, ReadError):
                summary.failed.append((item.path, item.reason))
            else:
                pending.append(item)
        # a few documents per transaction: a commit costs more than a small document's rows
        if len(pending) >= WRITE_BATCH or time.monotonic() - last_write > WRITE_SECONDS:
            write()
            last_write = time.monotonic()
        if on_progress:
            on_progress(1)
    write()
    db.checkpoint()  # the log of a long batch, into the database while we are the writer
    return summary
