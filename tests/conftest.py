"""Shared fixtures: paths to ../shared (real documents, answer keys) and hand-built docs."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
NATIONAL = CORPUS / "national"
GOLD_DEV = SHARED / "gold" / "dev"


def pytest_configure(config):
    if not CORPUS.is_dir():
        raise pytest.UsageError(f"the shared corpus is missing: expected it at {CORPUS}")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def national_dir() -> Path:
    return NATIONAL


@pytest.fixture(scope="session")
def gold_dev() -> Path:
    return GOLD_DEV
