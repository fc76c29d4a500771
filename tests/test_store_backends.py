"""The store's behaviour on every backend: SQLite always, PostgreSQL when a server is given
(``.ci/run`` starts one and sets LUOSHI_TEST_PG_URL)."""

from __future__ import annotations

import csv

import pytest

import luoshi
from luoshi.batch import ingest
from luoshi.store.db import Database

from conftest import BACKENDS, PG_URL


def test_backend_migrations_and_ingest(database, national_dir):
    assert [v for v, _ in database.migrations()] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    reports = [national_dir / f"{y}.txt" for y in (2022, 2023, 2024, 2025)]
    summary = ingest(reports, database, jobs=1)
    assert (summary.ingested, summary.failed) == (4, [])
    again = ingest(reports, database, jobs=2)
    assert (again.ingested, again.unchanged) == (0, 4)
    assert database.count("documents") == 4


def test_backend_replace_and_atomicity(database, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("2023年，示例市地区生产总值增长5.6%。", encoding="utf-8")
    ingest([report], database, jobs=1)
    report.write_text("2023年，示例市地区生产总值增长5.8%，新增企业120家。", encoding="utf-8")
    assert ingest([report], database, jobs=1).replaced == 1
    assert [f["text"] for f in database.rows("facts")] == ["5.8%", "120家"]
    assert database.count("documents") == 1


def test_backend_targets_match_dev_keys(database, national_dir, gold_dev):
    ingest([national_dir / f"{y}.txt" for y in (2022, 2023, 2024, 2025)], database, jobs=1)
    table = {(r["year"], r["indicator_id"]): r for r in luoshi.targets(database, region="全国")}
    with (gold_dev / "national" / "targets.csv").open(encoding="utf-8") as handle:
        for key in csv.DictReader(handle):
            row = table[(int(key["report_year"]), key["indicator"])]
            assert (row["target_low"], row["target_high"], row["qualifier"] or "") == (
                float(key["value_low"]), float(key["value_high"]), key["qualifier"])
    gdp = {year: table[(year, "gdp_growth")]["verdict"] for year in (2022, 2023, 2024, 2025)}
    assert gdp == {2022: "missed", 2023: "met", 2024: "met", 2025: "pending"}


def _open_and_count(target: str) -> list[int]:
    database = Database(target)
    try:
        return [version for version, _ in database.migrations()]
    finally:
        database.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_backend_concurrent_open_migrates_once(backend, tmp_path):
    # an ingest and a reader (a second ingest, `luoshi serve`) may open a new database at the same moment
    from concurrent.futures import ProcessPoolExecutor

    if backend == "sqlite":
        target = str(tmp_path / "fresh.db")
    else:
        fresh = Database(PG_URL)
        fresh.drop_all()
        fresh.close()
        target = PG_URL
    with ProcessPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(_open_and_count, [target] * 12))
    assert results == [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] * 12


def test_backend_read_queries(database, national_dir):
    ingest([national_dir / f"{y}.txt" for y in (2023, 2024)], database, jobs=1)
    documents = database.documents(region="全国")
    assert documents.total == 2 and {d["year"] for d in documents.items} == {2023, 2024}
    doc = database.load(documents.items[0]["id"])
    assert doc.facts and all(doc.text[f.start : f.end] == f.text for f in doc.facts)
    scanner = database.scanner()
    for query in ("粮食产量", "粮食", "gdp"):
        plain = database.search(query, status="target")
        scanned = database.search(query, status="target", scanner=scanner)
        assert plain.total == scanned.total > 0 or query == "gdp"
        assert all(query.lower() in item["text"].lower() for item in plain.items)
    assert database.facts(indicator="cpi", status="target").total >= 2


def test_backend_save_and_remove_at_once_keep_one_row_per_key(database):
    """A removal that runs while a save of the same region is open waits for it, then rebuilds
    the region's target rows from both: no row twice, none lost."""
    import threading
    from collections import Counter

    from conftest import sample_report
    from luoshi.pipeline import process_text
    from luoshi.store.write import save_document

    reports = [process_text(sample_report(y, g, t), path=f"a/{y}.txt") for y, g, t in ((2024, 5.0, 5.5), (2025, 5.2, 5.0),
                                                                                        (2026, 4.9, 5.0))]
    database.save(reports[0])
    database.save(reports[1])
    conn = database.engine.connect()
    transaction = conn.begin()
    save_document(conn, reports[2])  # holds the write lock until the commit below
    removal = threading.Thread(target=database.remove, args=({reports[0].id},))
    removal.start()
    removal.join(timeout=1.0)
    assert removal.is_alive()  # waiting for the save
    transaction.commit()
    conn.close()
    removal.join(timeout=30)
    rows = database.rows("target_outcomes").records
    keys = Counter((r["region"], r["year"], r["indicator_id"]) for r in rows)
    assert keys and max(keys.values()) == 1
    assert {r["year"] for r in rows if r["indicator_id"] == "gdp_growth"} == {2024, 2025, 2026}
