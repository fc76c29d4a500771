"""Batch work over files and folders: read, analyse (in parallel across documents), store.

One failure policy for every command (``pipeline.analyse``): a file that cannot be read, or a
rule that breaks on one document, is reported with the file's name and the batch goes on; a
broken data file (``DataFileError``) breaks every document alike, so it stops the batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from luoshi.errors import LuoshiError, ReadError
from luoshi.io import iter_documents, iter_files
from luoshi.model import Document
from luoshi.pipeline import analyse
from luoshi.resources import Resources, load_resources
from luoshi.store.db import Database

def analyse_documents(path: str | Path, resources: Resources, **meta) -> Iterator[Document | ReadError]:
    """The documents of one file, analysed (``meta`` overrides what is inferred), or the error
    that stopped each."""
    for item in iter_documents(path):
        if isinstance(item, ReadError):
            yield item
        else:
            yield analyse(item.with_meta(**meta) if meta else item, resources)


def analyse_file(path: str, catalog: str | None = None) -> list[Document | ReadError]:
    """One file's documents, analysed; problems come back as ReadError (a worker's job)."""
    return list(analyse_documents(path, load_resources(catalog)))


@dataclass
class IngestSummary:
    ingested: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.ingested} ingested, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{len(self.failed)} failed")


def document_files(paths: Iterable[str | Path]) -> tuple[list[str], list[tuple[str, str]]]:
    """The document files under ``paths`` and the (path, reason) of those that are none."""
    files, failed = [], []
    for item in iter_files(paths):
        if isinstance(item, ReadError):
            failed.append((item.path, item.reason))
        else:
            files.append(str(item))
    return files, failed


def ingest(paths: Iterable[str | Path], db: Database, jobs: int | None = None, catalog: str | None = None,
           on_progress: Callable[[int], None] | None = None) -> IngestSummary:
    """Store every document under ``paths``, analysed with ``catalog`` (the packaged one by
    default); each document is written whole or not at all."""
    files, failed = document_files(paths)
    return ingest_files(files, db, jobs, catalog, on_progress, failed)


def ingest_files(files: list[str], db: Database, jobs: int | None = None, catalog: str | None = None,
                 on_progress: Callable[[int], None] | None = None,
                 failed: list[tuple[str, str]] | None = None) -> IngestSummary:
    """``ingest`` for a list of files already found; ``on_progress(1)`` after each file."""
    load_resources(catalog)  # a broken data file stops here, before any worker starts
    summary = IngestSummary(failed=list(failed or ()))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))
    for analysed in _analysed(files, jobs, catalog):
        for item in analysed:
            if isinstance(item, ReadError):
                summary.failed.append((item.path, item.reason))
                continue
            try:
                status = db.save(item).status
            except LuoshiError as exc:
                summary.failed.append((item.path or item.id, str(exc)))
                continue
            setattr(summary, status, getattr(summary, status) + 1)
        if on_progress:
            on_progress(1)
    return summary


def _analysed(files: list[str], jobs: int, catalog: str | None):
    work = partial(analyse_file, catalog=catalog)
    if jobs == 1:
        return map(work, files)
    return _drain(ProcessPoolExecutor(max_workers=jobs), work, files)


def _drain(pool: ProcessPoolExecutor, work, files: list[str]):
    with pool:
        yield from pool.map(work, files, chunksize=4)
