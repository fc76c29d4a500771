"""Read queries: the in-memory scan for short queries gives the SQL path's results exactly."""

from __future__ import annotations

import pytest

from luoshi.store.db import Database, Page


@pytest.fixture(scope="module")
def database(web_db):
    return Database(web_db)


@pytest.fixture(scope="module")
def scanner(database):
    return database.scanner()


def _key(page: Page) -> tuple:
    return page.total, [(i["doc_id"], i["idx"], i["text"], [f["start"] for f in i["facts"]]) for i in page.items]


@pytest.mark.parametrize("query", ["粮食", "就业", "十大", "GD", "亿元", "。", "郑州"])
@pytest.mark.parametrize("filters", [{}, {"status": "target"}, {"region": "全国", "kind": "report"}, {"year": 2024},
                                     {"page": 3}, {"kind": "news"}, {"page": 999}])
def test_store_queries_short_scan_equals_sql(database, scanner, query, filters):
    assert _key(database.search(query, scanner=scanner, **filters)) == _key(database.search(query, **filters))


def test_store_queries_scanner_finds_only_whole_matches(database, scanner):
    page = database.search("粮食", scanner=scanner, per_page=100)
    assert page.total >= 300 and all("粮食" in item["text"] for item in page.items)


@pytest.fixture(scope="module")
def rowid_scanner(database):
    from luoshi.store.scan import RowidScanner

    with database.engine.connect() as conn:
        return RowidScanner.load(conn)


@pytest.mark.parametrize("query", ["粮食", "就业", "GD", "亿元", "。", "港", "新质生产力", "高质量发展", "gdp", "不存在的词语"])
@pytest.mark.parametrize("filters", [{}, {"region": "全国", "kind": "report"}, {"year": 2024}, {"page": 3},
                                     {"kind": "news"}, {"page": 999}, {"status": "target"}])
def test_store_queries_rowid_scan_equals_sql(database, rowid_scanner, query, filters):
    # what a corpus too large for memory is searched with: the same results, order and totals
    assert rowid_scanner is not None
    assert _key(database.search(query, scanner=rowid_scanner, **filters)) == _key(database.search(query, **filters))
