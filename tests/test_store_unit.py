"""The store on hand-built documents and an in-memory database (no ../shared needed):
lossless save/load, target_outcomes kept up to date on every write, migrations of an older
database, the model sync."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

import luoshi
from luoshi.model import Document, Fact, IndicatorValue, Paragraph, Section, Span, Task
from luoshi.store import schema
from luoshi.store.db import Database, DatabaseError


def _pairs(db: Database, indicator: str = "gdp_growth") -> list[tuple]:
    return [(r["year"], r["target_low"], r["outcome_value"], r["verdict"])
            for r in luoshi.targets(db, region="示例", indicator=indicator)]


@pytest.mark.parametrize("order", [(2023, 2024, 2025), (2025, 2023, 2024)])
def test_store_targets_follow_every_save(fresh_db, make_report, order):
    reports = {2023: make_report(2023, 6.0, 5.0), 2024: make_report(2024, 5.2, 5.5), 2025: make_report(2025, 5.0, 5.0)}
    for year in order:
        fresh_db.save(reports[year])
    assert _pairs(fresh_db) == [(2022, None, 6.0, "unknown"), (2023, 5.0, 5.2, "met"), (2024, 5.5, 5.0, "missed"),
                                (2025, 5.0, None, "pending")]


def test_store_targets_follow_a_replaced_and_a_removed_report(fresh_db, make_report):
    fresh_db.save(make_report(2024, 5.2, 5.5))
    fresh_db.save(make_report(2025, 5.0, 5.0))
    assert _pairs(fresh_db)[1] == (2024, 5.5, 5.0, "missed")
    # the same file, corrected: the 2024 outcome it states changes, the old version goes
    assert fresh_db.save(make_report(2025, 5.8, 5.0)).status == "replaced"
    assert _pairs(fresh_db)[1] == (2024, 5.5, 5.8, "met")
    assert fresh_db.count("documents") == 2
    fresh_db.remove({fresh_db.documents(year=2025).items[0]["id"]})
    assert _pairs(fresh_db) == [(2023, None, 5.2, "unknown"), (2024, 5.5, None, "pending")]


def test_store_save_is_idempotent_and_atomic(fresh_db, make_report, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from luoshi.store import write

    report = make_report(2024, 5.2, 5.5)
    assert [fresh_db.save(report).status for _ in range(2)] == ["ingested", "unchanged"]

    def broken(conn, regions):
        raise OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(write, "refresh_targets", broken)
    with pytest.raises(DatabaseError, match="disk full"):
        fresh_db.save(make_report(2025, 5.0, 5.0))
    assert fresh_db.count("documents") == 1 and fresh_db.count("indicator_values") == 4


def test_store_load_equals_saved_document(fresh_db, make_report):
    report = make_report(2024, 5.2, 5.5)
    assert report.paragraphs and report.indicator_values and report.extractor
    fresh_db.save(report)
    assert fresh_db.load(report.id) == report


spans = st.integers(0, 40).flatmap(lambda a: st.tuples(st.just(a), st.integers(a, 50)))
words = st.text(alphabet="示例市增长亿元%，。", max_size=6)
floats = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def documents(draw):
    def span_records(make):
        return tuple(make(*draw(spans)) for _ in range(draw(st.integers(0, 3))))
    return Document(
        text=draw(st.text(min_size=1, max_size=60)), path=draw(st.none() | words), title=draw(st.none() | words),
        kind=draw(st.sampled_from(["report", "news", None])), region=draw(st.none() | st.just("示例")),
        year=draw(st.none() | st.integers(1950, 2030)), extractor=draw(st.none() | st.just("f" * 16)),
        sections=span_records(lambda s, e: Section(s, e, draw(words), draw(st.integers(1, 3)), draw(st.none() | words),
                                                   tuple(draw(st.lists(words, max_size=2))),
                                                   draw(st.sampled_from(["review", "plan", None])))),
        paragraphs=span_records(lambda s, e: Paragraph(s, e, draw(st.sampled_from(["review", "plan", None])))),
        sentences=span_records(Span),
        facts=span_records(lambda s, e: Fact(draw(words), s, e, draw(floats), draw(st.none() | floats), "%", draw(floats),
                                             "%", None, "growth", "target", "2024", draw(st.none() | words), None,
                                             None, (s, e))),
        indicator_values=span_records(lambda s, e: IndicatorValue(s, e, "target", "gdp_growth", 2024, draw(floats),
                                                                  draw(floats), "%", draw(st.none() | words), (s, e))),
        tasks=span_records(lambda s, e: Task(s, e, draw(words), draw(st.none() | words))),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_store_round_trip_hypothesis(fresh_db, doc):
    fresh_db.remove({doc.id})
    fresh_db.save(doc)
    assert fresh_db.load(doc.id) == doc


def _as_release_5(db: Database) -> None:
    """Turn a database into the shape the previous release made: indicator values keyed by
    (document, role, indicator) with a fact index, no paragraphs, no target_outcomes, no
    monitoring tables."""
    with db.engine.begin() as conn:
        values = conn.execute(text(
            "SELECT v.doc_id, v.role, v.indicator_id, d.region, v.year, v.low, v.high, v.unit, v.qualifier, f.idx "
            "FROM indicator_values v JOIN documents d ON d.id = v.doc_id "
            "JOIN facts f ON f.doc_id = v.doc_id AND f.start = v.start")).all()
        for table in ("indicator_values", "paragraphs", "target_outcomes", "track_progress", "track_projects",
                      "track_observations", "track_targets", "track_indicators", "track_history"):
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text(
            "CREATE TABLE indicator_values (doc_id VARCHAR(32), role VARCHAR(10), indicator_id VARCHAR(60), "
            "region VARCHAR(40), year INTEGER, low FLOAT, high FLOAT, unit VARCHAR(20), qualifier VARCHAR(20), "
            "quote TEXT, fact_idx INTEGER, PRIMARY KEY (doc_id, role, indicator_id))"))
        for v in values:
            conn.execute(text("INSERT INTO indicator_values VALUES (:d, :r, :i, :g, :y, :lo, :hi, :u, :q, '', :f)"),
                         dict(zip("d r i g y lo hi u q f".split(), v)))
        conn.execute(text("DELETE FROM schema_migrations WHERE version > 5"))
        conn.execute(text("DELETE FROM schema_changes"))


def test_store_migrates_a_release_5_database(tmp_path, make_report):
    path = tmp_path / "old.db"
    db = Database(path)
    for year, growth, target in ((2023, 6.0, 5.0), (2024, 5.2, 5.5), (2025, 5.0, 5.0)):
        db.save(make_report(year, growth, target))
    before = luoshi.targets(db).records
    values = db.rows("indicator_values").records
    _as_release_5(db)
    db.close()
    migrated = Database(path)
    assert [v for v, _ in migrated.migrations()][-5:] == [6, 7, 8, 9, 10]
    assert [r["change"] for r in migrated.rows("schema_changes")] == ["create table paragraphs"]
    assert luoshi.targets(migrated).records == before
    assert migrated.rows("indicator_values").records == values


def test_store_sync_adds_a_column_the_model_has(tmp_path, make_report):
    path = tmp_path / "x.db"
    db = Database(path)
    report = make_report(2024, 5.2, 5.5)
    db.save(report)
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE paragraphs DROP COLUMN part"))
    db.close()
    reopened = Database(path)
    assert "add column paragraphs.part" in [r["change"] for r in reopened.rows("schema_changes")]
    assert {p.part for p in reopened.load(report.id).paragraphs} == {None}  # stored before the column came back


def test_store_existing_refuses_a_missing_database(tmp_path):
    with pytest.raises(DatabaseError, match="no such database; run `luoshi ingest` first"):
        Database.existing(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def test_store_schema_has_a_table_per_layer():
    from luoshi.model import LAYERS

    assert set(schema.LAYER_TABLES) == set(LAYERS)
    facts = schema.LAYER_TABLES["facts"]
    assert {"sentence_start", "sentence_end"} <= {c.name for c in facts.columns}
    section = Section(0, 2, "一、", 1, "X", ("X", "Y"), "plan", 2)
    row = schema.to_row("d", 0, section)
    assert json.loads(row["tags"]) == ["X", "Y"] and schema.from_row(Section, row) == section
    assert schema.from_row(Task, schema.to_row("d", 1, replace(Task(0, 1, "t"), object=None))) == Task(0, 1, "t")


def test_store_counts_documents_of_another_extractor(fresh_db, make_report):
    report = make_report(2024, 5.2, 5.5)
    fresh_db.save(report)
    fresh_db.save(replace(make_report(2025, 5.0, 5.0), extractor=None))
    assert (fresh_db.stale(report.extractor), fresh_db.stale("0" * 16)) == (1, 2)


def test_store_index_follows_replacements_and_removals(tmp_path, make_report):
    from sqlalchemy import text as sql

    db = Database(tmp_path / "fts.db")
    db.save(make_report(2024, growth=5.2, target=5.5, path="示例市-2024.txt"))
    assert db.search("增长5.2%").total == 1 and db.search("长5").total >= 1
    db.save(make_report(2024, growth=6.1, target=5.5, path="示例市-2024.txt"))  # the same file, changed
    assert db.search("增长5.2%").total == 0 and db.search("增长6.1%").total == 1
    assert db.search("6.").total >= 1 and db.search("5.2").total == 0  # short queries from the index too
    with db.engine.begin() as conn:  # FTS5's own check: the index agrees with the sentences
        conn.execute(sql("INSERT INTO sentences_fts (sentences_fts, rank) VALUES ('integrity-check', 1)"))
    db.remove({db.documents().items[0]["id"]})
    assert db.search("增长6.1%").total == 0 and db.search("长").total == 0
