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


@pytest.fixture(scope="session")
def seed():
    """The seed newspaper page, analysed (read-only: records are frozen)."""
    from luoshi.io import read_file
    from luoshi.pipeline import process

    return process(read_file(CORPUS / "seed" / "zhengzhou-2024-keywords.txt")[0])


@pytest.fixture(scope="session")
def national_2024():
    """The 2024 national report, analysed."""
    from luoshi.io import read_file
    from luoshi.pipeline import process

    return process(read_file(NATIONAL / "2024.txt")[0])


HOSTILE_REPORT = """示例市政府工作报告<script>window.pwned = 1</script>

2024年，示例市将加快推进东湖三期扩建工程项目建设，完善“\\"><img src=x onerror="window.pwned=2">”平台，新增企业120家。
今年地区生产总值预期增长5.5%左右</div><b onmouseover="window.pwned=3">。
"""


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    """A database of the whole shared corpus plus one hostile document (script and markup in
    its text), for the API, page and browser tests. Built once per session (a few seconds)."""
    from luoshi.store.db import Database
    from luoshi.batch import ingest

    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "inbox" / "示例市-2024-hostile.txt"
    hostile.parent.mkdir()
    hostile.write_text(HOSTILE_REPORT, encoding="utf-8")
    path = folder / "web.db"
    database = Database(path)
    summary = ingest([CORPUS, hostile.parent], database, jobs=2)
    assert summary.failed == [], summary.failed
    database.close()
    return path
