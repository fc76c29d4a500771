"""Shared fixtures: paths to ../shared (real documents, answer keys), an in-memory database
and hand-built documents.

Tests that read ../shared (through the fixtures below, or marked ``shared``) are skipped
when it is missing, so the unit tests run on a bare checkout; under CI (``CI`` set) a
missing corpus is an error instead, never a silent skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
NATIONAL = CORPUS / "national"
GOLD_DEV = SHARED / "gold" / "dev"
SHARED_FIXTURES = {"corpus_dir", "national_dir", "gold_dev", "seed", "national_2024", "web_db"}


def pytest_configure(config):
    config.addinivalue_line("markers", "shared: reads the real documents or answer keys in ../shared")
    if not CORPUS.is_dir() and os.environ.get("CI"):
        raise pytest.UsageError(f"the shared corpus is missing: expected it at {CORPUS}")


def pytest_collection_modifyitems(config, items):
    if CORPUS.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the shared corpus at {CORPUS}")
    for item in items:
        if item.get_closest_marker("shared") or SHARED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(skip)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now (for a test server or cluster)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PG_URL = os.environ.get("LUOSHI_TEST_PG_URL")
# SQLite always; PostgreSQL when a server is given (``.ci/run`` starts one and sets LUOSHI_TEST_PG_URL)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="LUOSHI_TEST_PG_URL not set"))]


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path):
    """An empty, migrated database on each backend (a file for SQLite, the test server's
    database emptied before and after for PostgreSQL)."""
    from luoshi.store.db import Database

    if request.param == "sqlite":
        database = Database(tmp_path / "luoshi.db")
        yield database
        database.close()
        return
    fresh = Database(PG_URL)
    fresh.drop_all()
    fresh.close()
    database = Database(PG_URL)
    yield database
    database.drop_all()
    database.close()


@pytest.fixture()
def fresh_db():
    """An empty, migrated database in memory (SQLite, one connection shared by the test)."""
    from luoshi.store.db import Database

    database = Database("sqlite://")
    yield database
    database.close()


@pytest.fixture(scope="session")
def resources():
    from luoshi.resources import load_resources

    return load_resources()


SAMPLE_REPORT = """示例市政府工作报告

——{year}年1月10日在示例市第十六届人民代表大会第{session}次会议上

各位代表：

一、{prev}年工作回顾

{prev}年，全市地区生产总值增长{growth}%，城镇新增就业{jobs}万人。

二、{year}年工作安排

{year}年经济社会发展的主要预期目标是：地区生产总值增长{target}%左右，城镇新增就业{target_jobs}万人以上。
"""


def sample_report(year: int, growth: float, target: float, jobs: int = 5, target_jobs: int = 6) -> str:
    """A short 示例市 report of ``year``: last year's outcomes, this year's targets."""
    session = "一二三四五六七八九十"[(year - 2020) % 10]
    return SAMPLE_REPORT.format(prev=year - 1, year=year, growth=growth, target=target, jobs=jobs,
                                target_jobs=target_jobs, session=session)


@pytest.fixture()
def make_report():
    """A factory of analysed hand-built reports: ``make_report(2024, growth=5.2, target=5.5)``."""
    from luoshi.pipeline import process_text

    def make(year: int, growth: float, target: float, path: str | None = None, **counts):
        return process_text(sample_report(year, growth, target, **counts), path=path or f"示例市-{year}.txt")
    return make


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
