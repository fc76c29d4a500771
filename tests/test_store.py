"""The corpus database on SQLite: idempotent, atomic ingest; targets linked to outcomes."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError

import luoshi
from luoshi.cli import main
from luoshi.batch import ingest
from luoshi.link.verdicts import COLUMNS, judge
from luoshi.store import write as store_write
from luoshi.store.db import Database, DatabaseError


@pytest.fixture(scope="module")
def national_db(tmp_path_factory, national_dir):
    database = Database(tmp_path_factory.mktemp("db") / "luoshi.db")
    summary = ingest([national_dir], database, jobs=2)
    assert (summary.ingested, summary.failed) == (72, [])
    return database


def test_store_migrations_recorded(national_db):
    assert [v for v, _ in national_db.migrations()] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert national_db.migrate() == []


def test_store_reingest_adds_nothing(national_db, national_dir):
    facts_before = national_db.count("facts")
    summary = ingest([national_dir / "2024.txt", national_dir / "2023.txt"], national_db, jobs=1)
    assert (summary.ingested, summary.unchanged) == (0, 2)
    assert (national_db.count("documents"), national_db.count("facts")) == (72, facts_before)


def test_store_changed_file_replaces_old_version(tmp_path):
    database = Database(tmp_path / "x.db")
    report = tmp_path / "report.txt"
    report.write_text("2023年，示例市地区生产总值增长5.6%。", encoding="utf-8")
    assert ingest([report], database, jobs=1).ingested == 1
    report.write_text("2023年，示例市地区生产总值增长5.8%。", encoding="utf-8")
    summary = ingest([report], database, jobs=1)
    assert (summary.replaced, database.count("documents")) == (1, 1)
    assert [f["text"] for f in database.rows("facts")] == ["5.8%"]


def test_store_failed_write_leaves_nothing(tmp_path, monkeypatch, national_dir):
    database = Database(tmp_path / "x.db")

    def broken(conn, regions):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(store_write, "refresh_targets", broken)
    summary = ingest([national_dir / "2024.txt"], database, jobs=1)
    assert summary.ingested == 0 and "disk I/O error" in summary.failed[0][1]
    assert [database.count(t) for t in ("documents", "facts", "sentences", "indicator_values", "target_outcomes")] == [0] * 5


def test_store_fulltext_search_trigram(national_db):
    with national_db.engine.connect() as conn:
        from sqlalchemy import text

        hits = conn.execute(text("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH '新质生产力'")).scalar_one()
    assert hits >= 3


def _key(rows, year_field="year"):
    return {(int(r[year_field]), r["indicator"]): r for r in rows}


def test_store_targets_reproduce_dev_keys(national_db, gold_dev):
    table = {(r["year"], r["indicator_id"]): r for r in luoshi.targets(national_db, region="全国")}
    with (gold_dev / "national" / "targets.csv").open(encoding="utf-8") as handle:
        for key in csv.DictReader(handle):
            row = table[(int(key["report_year"]), key["indicator"])]
            assert (row["target_low"], row["target_high"], row["unit"], row["qualifier"] or "") == (
                float(key["value_low"]), float(key["value_high"]), key["unit"], key["qualifier"])
    with (gold_dev / "national" / "outcomes.csv").open(encoding="utf-8") as handle:
        for key in csv.DictReader(handle):
            row = table[(int(key["year"]), key["indicator"])]
            assert (row["outcome_value"], row["outcome_qualifier"] or "") == (float(key["value"]), key["qualifier"])
            assert row["outcome_doc"].endswith(f"{key['source_report_year']}.txt")


@pytest.mark.parametrize(("year", "verdict"), [(2022, "missed"), (2023, "met"), (2024, "met"), (2025, "pending"),
                                               (2014, "met"), (1998, "missed")])
def test_store_gdp_verdicts(national_db, year, verdict):
    rows = luoshi.targets(national_db, region="全国", indicator="gdp_growth", year_from=year, year_to=year)
    assert [r["verdict"] for r in rows] == [verdict]


@pytest.mark.parametrize(
    ("direction", "low", "high", "qualifier", "outcome", "verdict"),
    [("floor", 5.5, 5.5, "左右", 3.0, "missed"), ("floor", 5.5, 5.5, "左右", 5.3, "met"), ("floor", 6, 6, "以上", 5.9, "missed"),
     ("ceiling", 3, 3, "左右", 3.1, "met"), ("ceiling", 5.5, 5.5, "以内", 5.6, "missed"), ("band", 6, 6.5, None, 6.6, "missed")],
)
def test_store_judge(direction, low, high, qualifier, outcome, verdict):
    assert judge(direction, low, high, qualifier, outcome) == verdict


def test_store_targets_cli_csv(national_db):
    db_path = national_db.url.replace("sqlite:///", "")
    result = CliRunner().invoke(main, ["targets", "--db", db_path, "--region", "全国", "--indicator", "gdp_growth",
                                       "--from", "2022", "--to", "2022", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == COLUMNS
    assert (rows[0]["target_low"], rows[0]["qualifier"], rows[0]["outcome_value"], rows[0]["verdict"]) == ("5.5", "左右", "3.0", "missed")


def test_store_targets_cli_missing_db(tmp_path):
    result = CliRunner().invoke(main, ["targets", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "run `luoshi ingest` first" in result.output


def test_store_kill_during_ingest_then_resume(tmp_path, national_dir):
    # three distinct copies of the corpus: long enough that the kill lands mid-ingest
    corpus = tmp_path / "corpus"
    for copy in range(3):
        folder = corpus / f"copy{copy}"
        folder.mkdir(parents=True)
        for source in national_dir.glob("*.txt"):
            (folder / source.name).write_text(source.read_text(encoding="utf-8") + f"\n\n（副本{copy}）\n", encoding="utf-8")
    total = 3 * 72
    path = tmp_path / "killed.db"
    command = [sys.executable, "-m", "luoshi", "ingest", str(corpus), "--db", str(path), "--jobs", "1", "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        try:
            if path.exists() and Database(path).count("documents") >= 3:
                break
        except (DatabaseError, OperationalError):
            continue
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    database = Database(path)
    partial = database.count("documents")
    assert 3 <= partial < total
    summary = ingest([corpus], database, jobs=2)
    assert summary.unchanged == partial and summary.ingested == total - partial
    assert database.integrity_ok() and database.count("documents") == total
    paths = [row["path"] for row in database.rows("documents")]
    assert len(paths) == len(set(paths)) == total
    assert {row["doc_id"] for row in database.rows("facts")} <= {row["id"] for row in database.rows("documents")}


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx", "jsonl"])
def test_store_export_formats(national_db, tmp_path, fmt):
    import pandas

    db_path = national_db.url.replace("sqlite:///", "")
    out = tmp_path / f"facts.{fmt}"
    result = CliRunner().invoke(main, ["export", "facts", "--db", db_path, "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = {"csv": pandas.read_csv, "parquet": pandas.read_parquet, "xlsx": pandas.read_excel,
             "jsonl": lambda p: pandas.read_json(p, lines=True)}[fmt](out)
    assert len(frame) == national_db.count("facts")
    assert {"doc_id", "text", "value_base", "status", "period", "indicator_id"} <= set(frame.columns)


def test_store_python_api(national_db):
    frame = luoshi.targets(luoshi.open(national_db.url), indicator="cpi", region="全国").to_pandas()
    assert list(frame.columns) == list(COLUMNS)
    row = frame[frame.year == 2024].iloc[0]
    assert (row.target_low, row.qualifier, row.outcome_value, row.verdict) == (3.0, "左右", 0.2, "met")


def test_store_series_png(national_db, tmp_path):
    db_path = national_db.url.replace("sqlite:///", "")
    png = tmp_path / "gdp.png"
    result = CliRunner().invoke(main, ["series", "gdp_growth", "--db", db_path, "--from", "2003", "--to", "2024", "--png", str(png)])
    assert result.exit_code == 0, result.output
    years = [int(line.split()[1]) for line in result.stdout.splitlines()[1:]]
    assert years == list(range(2003, 2025))  # 2020 too: its outcome is in the 2021 report
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_store_targets_parquet(national_db, tmp_path):
    import pandas

    db_path = national_db.url.replace("sqlite:///", "")
    out = tmp_path / "targets.parquet"
    result = CliRunner().invoke(main, ["targets", "--db", db_path, "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pandas.read_parquet(out)
    assert list(frame.columns) == list(COLUMNS) and len(frame) == len(luoshi.targets(national_db))
    missing_out = CliRunner().invoke(main, ["targets", "--db", db_path, "--format", "parquet"])
    assert missing_out.exit_code == 2 and "--out" in missing_out.output


def test_store_ingest_bad_input_and_duplicates(tmp_path, national_dir):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text((national_dir / "2024.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (inbox / "b-copy.txt").write_text((national_dir / "2024.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    result = CliRunner().invoke(main, ["ingest", str(inbox), "--db", str(tmp_path / "x.db"), "--jobs", "1"])
    assert result.exit_code == 1
    assert f"error: {inbox / 'empty.txt'}: file is empty" in result.stderr
    assert f"error: {inbox / 'broken.pdf'}: not a readable PDF" in result.stderr
    assert "1 ingested, 0 replaced, 1 unchanged, 2 failed" in result.stderr
    assert Database(tmp_path / "x.db").count("documents") == 1


def test_store_newer_extractor_reanalyses_unchanged_content(tmp_path):
    from dataclasses import replace

    from luoshi.pipeline import process_text

    database = Database(tmp_path / "x.db")
    doc = process_text("2023年，示例市地区生产总值增长5.6%。", path="report.txt")
    assert database.save(doc).status == "ingested"
    assert database.save(doc).status == "unchanged"
    upgraded = replace(doc, extractor="0" * 16)
    assert database.save(upgraded).status == "replaced"
    assert [r["extractor"] for r in database.rows("documents")] == ["0" * 16]
    assert database.count("facts") == 1


def test_store_load_gives_back_the_saved_document(national_db, national_dir):
    """Lossless: every layer, the metadata and the extractor of every stored report."""
    from luoshi.io import read_file
    from luoshi.model import LAYERS
    from luoshi.pipeline import process

    for path in sorted(national_dir.glob("*.txt")):
        analysed = process(read_file(path)[0])
        stored = national_db.load(analysed.id)
        assert stored == analysed, [name for name in LAYERS if getattr(stored, name) != getattr(analysed, name)]
    assert national_db.load("0" * 16) is None
