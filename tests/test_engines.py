"""Ingest engines: local processes and Dask give the same rows; a Dask worker killed mid-run
loses nothing; work is streamed with a bounded window; a JSONL corpus is read a record at a
time. Real processes throughout: under CI a scheduler and two workers run on loopback
(``.ci/start-dask`` sets LUOSHI_TEST_DASK_SCHEDULER); elsewhere the tests start their own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from luoshi.batch import Work, ingest, iter_work
from luoshi.cli import main
from luoshi.engines import DaskEngine, EngineError, LocalEngine
from luoshi.errors import ReadError
from luoshi.store import schema
from luoshi.store.db import Database

from conftest import PG_URL, free_port

SCHEDULER = os.environ.get("LUOSHI_TEST_DASK_SCHEDULER")
BIN = Path(sys.executable).parent
# columns that record when, not what: they differ between any two runs
WHEN = ("ingested_at", "applied_at", "loaded_at", "replaced_at")


def table_contents(db: Database) -> dict[str, list[dict]]:
    out = {name: [{k: v for k, v in row.items() if k not in WHEN} for row in db.rows(name).records]
           for name in schema.metadata.tables}
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            out["sentences_fts"] = [tuple(r) for r in conn.execute(text("SELECT doc_id, idx, text FROM sentences_fts "
                                                                        "ORDER BY doc_id, idx"))]
    return out


@pytest.fixture(scope="module")
def own_cluster(tmp_path_factory):
    """A scheduler and two workers of our own (real ``dask`` processes, with nannies), which a
    test may kill workers of without harming the shared CI cluster."""
    folder = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    for n in (1, 2):
        procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                       "--no-dashboard", "--local-directory", str(folder / f"w{n}")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(2, timeout=60)
    yield address
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def scheduler(own_cluster):
    """The CI cluster when there is one, else our own."""
    return SCHEDULER or own_cluster


def test_engines_identical_rows_on_the_national_corpus(tmp_path, national_dir, scheduler):
    local, distributed = Database(tmp_path / "local.db"), Database(tmp_path / "dask.db")
    first = ingest([national_dir], local, jobs=2)
    with DaskEngine(scheduler) as engine:
        second = ingest([national_dir], distributed, engine=engine)
    assert (first.ingested, second.ingested, first.failed, second.failed) == (72, 72, [], [])
    assert table_contents(local) == table_contents(distributed)


@pytest.mark.skipif(not PG_URL, reason="LUOSHI_TEST_PG_URL not set")
def test_engines_dask_into_postgresql(national_dir, scheduler, tmp_path):
    database = Database(PG_URL)
    database.drop_all()
    database = Database(PG_URL)
    reports = [national_dir / f"{y}.txt" for y in (2022, 2023, 2024, 2025)]
    local = Database(tmp_path / "local.db")
    ingest(reports, local, jobs=1)
    with DaskEngine(scheduler) as engine:
        summary = ingest(reports, database, engine=engine)
    assert summary.ingested == 4
    assert table_contents(database)["facts"] == table_contents(local)["facts"]
    assert database.target_outcomes(region="全国") == local.target_outcomes(region="全国")
    database.drop_all()
    database.close()


def _corpus(folder: Path, national_dir: Path, copies: int) -> Path:
    """``copies`` of the national reports, each copy a different document (a line of its own)."""
    for n in range(copies):
        for report in sorted(national_dir.glob("*.txt")):
            target = folder / f"copy{n}" / report.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(report.read_text(encoding="utf-8") + f"\n（第{n}份副本）\n", encoding="utf-8")
    return folder


def _worker_pids(address: str) -> dict[str, int]:
    from distributed import Client

    with Client(address, timeout=30) as client:
        return client.run(os.getpid)


def test_engines_worker_killed_mid_run_loses_nothing(tmp_path, national_dir, own_cluster):
    corpus = _corpus(tmp_path / "corpus", national_dir, 3)
    expected = Database(tmp_path / "expected.db")
    ingest([corpus], expected, jobs=2)
    db_path = tmp_path / "dask.db"
    Database(db_path).close()
    run = subprocess.Popen([str(BIN / "luoshi"), "ingest", str(corpus), "--db", str(db_path), "--engine", "dask",
                            "--scheduler", own_cluster, "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    watcher = Database(db_path)
    deadline = time.monotonic() + 120
    while watcher.count("documents") < 20 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.poll() is None, "the ingest ended before a worker could be killed"
    victim = sorted(_worker_pids(own_cluster).values())[0]
    os.kill(victim, signal.SIGKILL)  # the worker process itself; its nanny starts a new one
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert "216 ingested, 0 replaced, 0 unchanged, 0 failed" in err
    assert table_contents(watcher) == table_contents(expected)  # every document whole, none twice
    assert victim not in _worker_pids(own_cluster).values()
    again = subprocess.run([str(BIN / "luoshi"), "ingest", str(corpus), "--db", str(db_path), "--engine", "dask",
                            "--scheduler", own_cluster], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "0 ingested, 0 replaced, 216 unchanged, 0 failed" in again.stderr


def test_engines_unreachable_scheduler_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db"), "--engine", "dask",
                                       "--scheduler", f"tcp://127.0.0.1:{free_port()}", "--scheduler-timeout", "1"])
    assert result.exit_code == 1 and result.output.startswith("Error: no Dask scheduler at tcp://127.0.0.1:")
    assert "Traceback" not in result.output
    with pytest.raises(EngineError):
        DaskEngine(f"tcp://127.0.0.1:{free_port()}", timeout=0.5)
    usage = CliRunner().invoke(main, ["ingest", str(tmp_path), "--scheduler", "tcp://127.0.0.1:1"])
    assert usage.exit_code == 2 and "--scheduler needs --engine dask" in usage.output


def test_engines_bad_files_are_reported_by_each_engine(tmp_path, scheduler, make_report):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("示例市政府工作报告\n\n2024年，全市地区生产总值增长5.2%。\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (folder / "broken.docx").write_bytes(b"not a zip")
    summaries = []
    for engine in (LocalEngine(2), DaskEngine(scheduler)):
        db = Database(tmp_path / f"{type(engine).__name__}.db")
        summaries.append(ingest([folder], db, engine=engine))
        assert db.count("documents") == 1
        if isinstance(engine, DaskEngine):
            engine.close()
    local, dask = summaries
    assert sorted(local.failed) == sorted(dask.failed) and len(local.failed) == 3
    assert {Path(p).name for p, _ in local.failed} == {"empty.txt", "binary.txt", "broken.docx"}


def test_engines_window_bounds_what_is_in_flight(tmp_path):
    for n in range(40):
        (tmp_path / f"{n:02d}.txt").write_text(f"示例市政府工作报告\n\n{2000 + n}年，全市地区生产总值增长5.{n % 10}%。\n",
                                               encoding="utf-8")
    pulled = []

    def work():
        for piece in iter_work([tmp_path]):
            pulled.append(piece)
            yield piece

    engine = LocalEngine(2)
    seen = 0
    most_ahead = 0
    for piece, results in engine.run(work(), None):
        seen += 1
        most_ahead = max(most_ahead, len(pulled) - seen)
        assert len(results) == 1 and not isinstance(results[0], ReadError)
    assert seen == 40 and most_ahead <= 2 * 4  # jobs × WINDOW_PER_WORKER


def test_engines_jsonl_read_a_record_at_a_time(tmp_path, monkeypatch):
    import luoshi.io.jsonl as jsonl

    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"text": f"示例市政府工作报告\n\n{2000 + n}年，全市地区生产总值增长5.{n}%。", "year": 2000 + n},
                        ensure_ascii=False) for n in range(5)]
    path.write_text("\n".join(lines[:2] + ["{not json", "", *lines[2:]]) + "\n", encoding="utf-8")
    monkeypatch.setattr(jsonl, "STREAM_BYTES", 10)  # as if the file were larger than the limit
    pieces = list(iter_work([path]))
    assert [type(p).__name__ for p in pieces] == ["Work", "Work", "ReadError", "Work", "Work", "Work"]
    assert pieces[0].document.path == f"{path}#1" and pieces[2].path == f"{path}#3"
    db = Database(tmp_path / "j.db")
    summary = ingest([path], db, jobs=1)
    assert (summary.ingested, len(summary.failed)) == (5, 1)
    assert sorted(d["path"] for d in db.documents().items) == sorted(f"{path}#{n}" for n in (1, 2, 5, 6, 7))


def test_engines_progress_bar_only_on_request(tmp_path, make_report):
    (tmp_path / "a.txt").write_text("示例市政府工作报告\n\n2024年，全市地区生产总值增长5.2%。\n", encoding="utf-8")
    quiet = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "q.db"), "--jobs", "1"])
    assert quiet.exit_code == 0 and "doc/s" not in quiet.output and "it/s" not in quiet.output
    shown = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "p.db"), "--jobs", "1",
                                      "--progress"])
    assert shown.exit_code == 0 and "ingesting" in shown.output and "doc/s" in shown.output
    assert "1/1" in shown.output


def test_engines_workers_with_another_luoshi_are_refused(monkeypatch, scheduler):
    import luoshi.engines as engines

    monkeypatch.setattr(engines, "_LOADED_CODE", "not-the-workers")
    with pytest.raises(EngineError, match="Dask workers run another luoshi"):
        DaskEngine(scheduler)
