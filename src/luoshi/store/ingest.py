"""Ingest: read, analyse (in parallel across documents) and store, one transaction each."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from luoshi.errors import LuoshiError, ReadError
from luoshi.io import iter_documents, iter_files
from luoshi.model import Document
from luoshi.pipeline import process
from luoshi.resources import load_resources
from luoshi.store.db import Database


@dataclass
class IngestSummary:
    ingested: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.ingested} ingested, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{len(self.failed)} failed")


def analyse_file(path: str) -> list[Document | ReadError]:
    """One file's documents, analysed; problems come back as ReadError (worker-safe)."""
    resources = load_resources()
    out: list[Document | ReadError] = []
    for item in iter_documents(path):
        if isinstance(item, ReadError):
            out.append(item)
            continue
        try:
            out.append(process(item, resources))
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            out.append(ReadError(item.path or path, f"extraction failed ({type(exc).__name__}: {exc})"))
    return out


def ingest(paths: Iterable[str | Path], db: Database, jobs: int | None = None,
           on_progress: Callable[[int], None] | None = None) -> IngestSummary:
    """Store every document under ``paths``; each document is written whole or not at all."""
    summary = IngestSummary()
    files: list[str] = []
    for item in iter_files(paths):
        if isinstance(item, ReadError):
            summary.failed.append((item.path, item.reason))
        else:
            files.append(str(item))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))
    resources = load_resources()
    results = _analysed(files, jobs)
    for analysed in results:
        for item in analysed:
            if isinstance(item, ReadError):
                summary.failed.append((item.path, item.reason))
                continue
            try:
                status = db.write(item, resources).status
            except LuoshiError as exc:
                summary.failed.append((item.path or item.id, str(exc)))
                continue
            setattr(summary, status, getattr(summary, status) + 1)
        if on_progress:
            on_progress(1)
    return summary


def _analysed(files: list[str], jobs: int):
    if jobs == 1:
        return map(analyse_file, files)
    pool = ProcessPoolExecutor(max_workers=jobs)
    return _drain(pool, files)


def _drain(pool: ProcessPoolExecutor, files: list[str]):
    with pool:
        yield from pool.map(analyse_file, files, chunksize=4)
