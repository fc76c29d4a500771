"""Monitoring through the year (``luoshi track``): periods, the status rules on both sides of
each threshold, loads (idempotent, history, bad rows), projects, roll-ups and cadence, the
CLI, the standalone report, and the sample set under examples/track/."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from luoshi.cli import main
from luoshi.store.db import Database
from luoshi.track import load
from luoshi.track.catalog import MonitorIndicator
from luoshi.track.periods import PeriodError, chinese_label, due_period, elapsed, from_dates, parse_period
from luoshi.track.rules import load_rules
from luoshi.track.service import TrackError, TrackService, parse_as_of
from luoshi.track.status import Observation, Target, indicator_status, project_status, year_to_date
from luoshi.track.units import unit_converter

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "examples" / "track"
RULES = load_rules()
UNITS = unit_converter()


def indicator(kind="cumulative", direction="up", unit="亿元", frequency="month", **extra) -> MonitorIndicator:
    return MonitorIndicator(id="x", name="测试指标", domain="经济运行", unit=unit, kind=kind, direction=direction,
                            frequency=frequency, **extra)


def obs(period: str, value: float) -> Observation:
    return Observation(parse_period(period), value)


# ---------------------------------------------------------------- periods

@pytest.mark.parametrize(("text", "start", "end", "grain", "label"), [
    ("2024", "2024-01-01", "2024-12-31", "year", "2024"),
    ("2024H1", "2024-01-01", "2024-06-30", "half", "2024H1"),
    ("2024h2", "2024-07-01", "2024-12-31", "half", "2024H2"),
    ("2024Q2", "2024-04-01", "2024-06-30", "quarter", "2024Q2"),
    ("2024-05", "2024-05-01", "2024-05-31", "month", "2024-05"),
    ("2024-2", "2024-02-01", "2024-02-29", "month", "2024-02"),
    ("2024-01..2024-05", "2024-01-01", "2024-05-31", "months", "2024-01..2024-05"),
    ("2024-03..2024-03", "2024-03-01", "2024-03-31", "month", "2024-03"),
    ("2024-05-上旬", "2024-05-01", "2024-05-10", "ten_days", "2024-05-上旬"),
    ("2024-02-下旬", "2024-02-21", "2024-02-29", "ten_days", "2024-02-下旬"),
])
def test_track_periods_as_written(text, start, end, grain, label):
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat(), period.grain, period.label) == (start, end, grain, label)


@pytest.mark.parametrize("text", ["2024-13", "2024-05..2024-03", "2024-01..2025-02", "2024Q5", "May 2024", "", "2024-05-末旬"])
def test_track_periods_refused_with_a_reason(text):
    with pytest.raises(PeriodError, match="2024|month|ends|year|period"):
        parse_period(text)


def test_track_elapsed_counts_months_and_ten_days():
    assert elapsed(date(2024, 6, 30)) == 0.5  # 时间过半
    assert elapsed(date(2024, 5, 31)) == pytest.approx(5 / 12)
    assert elapsed(date(2024, 5, 10)) == pytest.approx((4 + 1 / 3) / 12)
    assert elapsed(date(2024, 12, 31)) == 1.0
    assert [chinese_label(parse_period(p)) for p in ("2024-01..2024-05", "2024Q1", "2024H1", "2024-05-中旬", "2024-05")] \
        == ["1-5月", "一季度", "上半年", "5月中旬", "5月"]


def test_track_due_period_by_frequency():
    as_of = date(2024, 6, 30)
    assert due_period("month", as_of, 15).label == "2024-05"
    assert due_period("month", date(2024, 7, 15), 15).label == "2024-06"
    assert due_period("ten_days", as_of, 5).label == "2024-06-中旬"
    assert due_period("quarter", as_of, 20).label == "2024Q1"
    assert due_period("year", as_of, 60) is None


def test_track_period_of_an_extracted_fact():
    assert from_dates("2024-01-01", "2024-05-31", "months").label == "2024-01..2024-05"
    assert from_dates("2024-01-01", "2024-03-31", "quarter").label == "2024Q1"
    assert from_dates("2024-05-11", "2024-05-20", "ten_days").label == "2024-05-中旬"
    assert from_dates("2024-01-01", "2024-12-31", "year") is None
    assert from_dates("2021-01-01", "2025-12-31", "plan") is None


# ---------------------------------------------------------------- status rules, both sides of each threshold

# as of 2024-06-30 with the latest figure for 1-5月: elapsed 5/12
FIVE = 5 / 12


@pytest.mark.parametrize(("progress", "status"), [
    (FIVE + 0.05, "ahead"), (FIVE + 0.049, "on_track"), (FIVE - 0.03, "on_track"), (FIVE - 0.031, "behind"),
    (FIVE - 0.10, "behind"), (FIVE - 0.101, "alert"),
])
def test_track_cumulative_up(progress, status):
    row = indicator_status(indicator(), Target(1000, None, "file"), [obs("2024-01..2024-05", progress * 1000)],
                           date(2024, 6, 30), RULES)
    assert (row["status"], row["elapsed"], row["progress"]) == (status, round(FIVE, 4), round(progress, 4))
    assert row["latest_period"] == "2024-01..2024-05" and "1-5月累计" in row["reason"]


@pytest.mark.parametrize(("progress", "status"), [
    (FIVE - 0.05, "ahead"), (FIVE - 0.049, "on_track"), (FIVE + 0.03, "on_track"), (FIVE + 0.031, "behind"),
    (FIVE + 0.10, "behind"), (FIVE + 0.101, "alert"),
])
def test_track_cumulative_down_is_a_cap(progress, status):
    # a cap on a total (能源消费总量 ≤ 2000 万吨): using it up faster than the year goes is behind
    row = indicator_status(indicator(direction="down", unit="万吨"), Target(None, 2000, "file"),
                           [obs("2024-01..2024-05", progress * 2000)], date(2024, 6, 30), RULES)
    assert row["status"] == status


@pytest.mark.parametrize(("value", "status"), [
    (7.0, "ahead"), (6.99, "on_track"), (5.7, "on_track"), (5.69, "behind"), (5.0, "behind"), (4.99, "alert"),
])
def test_track_rate_up_in_points(value, status):
    row = indicator_status(indicator(kind="rate", unit="%"), Target(6.0, None, "file"), [obs("2024-01..2024-05", value)],
                           date(2024, 6, 30), RULES)
    assert row["status"] == status and row["progress"] is None


@pytest.mark.parametrize(("value", "status"), [
    (33.25, "ahead"), (33.3, "on_track"), (36.05, "on_track"), (36.1, "behind"), (38.5, "behind"), (38.6, "alert"),
])
def test_track_rate_down_relative_to_the_target(value, status):
    # PM2.5 ≤ 35 微克/立方米: thresholds are shares of the target (3 %, 10 %, 5 %)
    row = indicator_status(indicator(kind="rate", direction="down", unit="微克/立方米"), Target(None, 35, "file"),
                           [obs("2024-05", value)], date(2024, 6, 30), RULES)
    assert row["status"] == status


@pytest.mark.parametrize(("value", "status"), [
    (2.5, "on_track"), (3.3, "on_track"), (3.31, "behind"), (4.0, "behind"), (4.01, "alert"), (1.7, "on_track"),
    (1.69, "behind"), (0.99, "alert"),
])
def test_track_rate_band(value, status):
    row = indicator_status(indicator(kind="rate", direction="band", unit="%"), Target(2.0, 3.0, "file"),
                           [obs("2024-05", value)], date(2024, 6, 30), RULES)
    assert row["status"] == status


def test_track_quarterly_rate_takes_the_latest_period_and_flags_late():
    gdp = indicator(kind="rate", unit="%", frequency="quarter")
    seen = [obs("2024Q1", 5.0), obs("2024H1", 5.6), obs("2024-01..2024-09", 5.2)]
    row = indicator_status(gdp, Target(5.5, None, "file"), seen, date(2024, 7, 31), RULES)
    assert (row["latest_period"], row["latest_value"], row["status"], row["late"]) == ("2024H1", 5.6, "on_track", False)
    late = indicator_status(gdp, Target(5.5, None, "file"), seen[:1], date(2024, 7, 25), RULES)
    assert (late["latest_period"], late["late"], late["due_period"]) == ("2024Q1", True, "2024Q2")
    assert "逾期" in late["reason"] and "二季度" in late["reason"]
    # a quarter is not due before its 20 days are up
    assert indicator_status(gdp, Target(5.5, None, "file"), seen[:1], date(2024, 7, 19), RULES)["late"] is False


def test_track_monthly_late_and_on_time():
    ind = indicator()
    seen = [obs("2024-01..2024-03", 260), obs("2024-01..2024-04", 340)]
    row = indicator_status(ind, Target(1000, None, "file"), seen, date(2024, 6, 30), RULES)
    assert row["late"] is True and row["due_period"] == "2024-05" and row["status"] == "on_track"
    on_time = indicator_status(ind, Target(1000, None, "file"), seen, date(2024, 6, 14), RULES)
    assert on_time["late"] is False  # May is due on 15 June


def test_track_year_to_date_from_single_periods():
    ten_days = [obs(f"2024-0{m}-{t}", 10) for m in (1, 2) for t in ("上旬", "中旬", "下旬")]
    totals = year_to_date(ten_days)
    assert totals[date(2024, 2, 29)] == 60 and totals[date(2024, 1, 10)] == 10
    gap = year_to_date([obs("2024-01", 5), obs("2024-03", 7)])
    assert date(2024, 3, 31) not in gap
    # a year-to-date figure wins over the sum of months at the same end
    assert year_to_date([obs("2024-01", 5), obs("2024-02", 7), obs("2024-01..2024-02", 13)])[date(2024, 2, 29)] == 13
    row = indicator_status(indicator(frequency="ten_days"), Target(360, None, "file"), ten_days, date(2024, 3, 3), RULES)
    assert (row["latest_value"], row["latest_period"], row["progress"]) == (60, "2024-01..2024-02", round(60 / 360, 4))


def test_track_no_target_no_data_and_the_future_ignored():
    ind = indicator()
    assert indicator_status(ind, None, [obs("2024-01", 5)], date(2024, 6, 30), RULES)["status"] == "no_target"
    row = indicator_status(ind, Target(100, None, "file"), [obs("2024-07", 5), obs("2023-01..2023-05", 40)],
                           date(2024, 6, 30), RULES)
    assert row["status"] == "no_data" and row["latest_period"] is None
    gap = indicator_status(ind, Target(100, None, "file"), [obs("2024-02..2024-03", 5)], date(2024, 6, 30), RULES)
    assert gap["status"] == "no_data" and "1月1日" in gap["reason"]


def test_track_indicator_overrides_its_thresholds():
    loose = indicator(kind="rate", unit="%", tolerance=0.8, alert=2.0)
    row = indicator_status(loose, Target(6.0, None, "file"), [obs("2024-05", 5.3)], date(2024, 6, 30), RULES)
    assert row["status"] == "on_track"


@pytest.mark.parametrize(("completed", "status"), [(55, "ahead"), (54, "on_track"), (47, "on_track"),
                                                   (46.9, "behind"), (40, "behind"), (39.9, "alert")])
def test_track_project_by_its_span(completed, status):
    # 2024-01 to 2025-12 (24 months), reported to the end of 2024-12: half the span gone
    project = {"project_id": "P1", "name": "示例项目", "region": "示例市", "unit_in_charge": "市发展改革委", "leader": None,
               "batch": "开工", "planned_investment": 100.0, "unit": "亿元", "start": "2024-01", "finish": "2025-12"}
    progress = [{"project_id": "P1", "period": "2024-12", "period_start": "2024-12-01", "period_end": "2024-12-31",
                 "completed_investment": completed, "milestone": "主体完工"}]
    row = project_status(project, progress, date(2025, 1, 10), RULES)
    assert (row["status"], row["elapsed"], row["milestone"]) == (status, 0.5, "主体完工")
    assert project_status(project, [], date(2023, 12, 1), RULES)["reason"].startswith("计划2024-01开工")


# ---------------------------------------------------------------- loads

CATALOG_YAML = """indicators:
  - {id: fixed_investment, name: 固定资产投资, domain: 投资, unit: 亿元, kind: cumulative, direction: up, frequency: month, unit_in_charge: 市发展改革委}
  - {id: industry_growth, name: 规上工业增加值增速, domain: 工业, unit: "%", kind: rate, direction: up, frequency: month}
"""


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture()
def tracked(tmp_path):
    db = Database(tmp_path / "t.db")
    (tmp_path / "monitor.yaml").write_text(CATALOG_YAML, encoding="utf-8")
    load.load_catalog(db, str(tmp_path / "monitor.yaml"))
    write_csv(tmp_path / "targets.csv", [["region", "year", "indicator_id", "target_low", "target_high", "unit"],
                                         ["示例市", 2024, "fixed_investment", 1000, "", "亿元"],
                                         ["示例市", 2024, "industry_growth", 6, "", "%"]])
    load.load_targets(db, str(tmp_path / "targets.csv"), UNITS)
    yield db, tmp_path
    db.close()


OBS_HEADER = ["region", "indicator_id", "period", "value", "unit", "source"]


def test_track_load_twice_changes_nothing(tracked):
    db, folder = tracked
    path = write_csv(folder / "obs.csv", [OBS_HEADER, ["示例市", "fixed_investment", "2024-01..2024-05", "412.5", "亿元", "统计局"],
                                         ["示例市", "industry_growth", "2024-01..2024-05", "8.1", "%", "统计局"]])
    first = load.load_observations(db, str(path), UNITS)
    rows = db.rows("track_observations").records
    second = load.load_observations(db, str(path), UNITS)
    assert (first.inserted, second.inserted, second.replaced, second.unchanged) == (2, 0, 0, 2)
    assert db.rows("track_observations").records == rows
    assert db.count("track_history") == 0


def test_track_changed_value_replaced_with_history(tracked):
    db, folder = tracked
    write_csv(folder / "obs.csv", [OBS_HEADER, ["示例市", "fixed_investment", "2024-01..2024-05", "412.5", "亿元", "统计局"]])
    load.load_observations(db, str(folder / "obs.csv"), UNITS)
    write_csv(folder / "obs.csv", [OBS_HEADER, ["示例市", "fixed_investment", "2024-01..2024-05", "415", "亿元", "统计局修订"]])
    report = load.load_observations(db, str(folder / "obs.csv"), UNITS)
    assert (report.inserted, report.replaced) == (0, 1)
    (stored,) = db.rows("track_observations").records
    assert stored["value"] == 415
    (history,) = db.rows("track_history").records
    assert json.loads(history["row_key"]) == ["示例市", "fixed_investment", "2024-01..2024-05"]
    assert json.loads(history["old"])["value"] == 412.5 and json.loads(history["new"])["value"] == 415


def test_track_bad_rows_reported_good_rows_loaded(tracked):
    db, folder = tracked
    path = write_csv(folder / "obs.csv", [
        OBS_HEADER,
        ["示例市", "fixed_investment", "2024-01..2024-05", "412.5", "亿元", ""],
        ["示例市", "nope", "2024-05", "1", "", ""],
        ["示例市", "industry_growth", "2024-13", "8.1", "%", ""],
        ["示例市", "industry_growth", "2024-05", "八点一", "%", ""],
        ["示例市", "fixed_investment", "2024-01..2024-04", "300", "万人", ""],
        ["示例市", "fixed_investment", "2024-01..2024-05", "400", "亿元", ""],
        ["示例市", "fixed_investment", "2024-01..2024-03", "２５０．５", "", ""],
    ])
    report = load.load_observations(db, str(path), UNITS)
    reasons = {b.line: b.reason for b in report.bad}
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "unknown indicator 'nope'" in reasons[3] and "month 13" in reasons[4] and "not a number" in reasons[5]
    assert "does not convert" in reasons[6] and "line 2" in reasons[7]
    assert str(report.bad[0]).startswith(f"{path}: line 3: ")
    assert sorted(r["value"] for r in db.rows("track_observations").records) == [250.5, 412.5]


def test_track_strict_loads_nothing_from_a_file_with_a_bad_row(tracked):
    db, folder = tracked
    path = write_csv(folder / "obs.csv", [OBS_HEADER, ["示例市", "fixed_investment", "2024-05", "40", "亿元", ""],
                                         ["示例市", "fixed_investment", "2024-06", "x", "亿元", ""]])
    report = load.load_observations(db, str(path), UNITS, strict=True)
    assert not report.written and db.count("track_observations") == 0 and len(report.bad) == 1


def test_track_file_problems_are_one_message(tracked):
    db, folder = tracked
    (folder / "empty.csv").write_text("", encoding="utf-8")
    write_csv(folder / "cols.csv", [["region", "indicator", "value"], ["示例市", "x", "1"]])
    (folder / "bin.csv").write_bytes(b"\x00\x01\x02PK")
    for name, message in (("empty.csv", "file is empty"), ("cols.csv", "missing columns indicator_id, period"),
                          ("bin.csv", "binary"), ("none.csv", "no such file")):
        with pytest.raises(load.TrackFileError, match=message):
            load.load_observations(db, str(folder / name), UNITS)


def test_track_gb18030_csv_and_xlsx(tracked):
    import openpyxl

    db, folder = tracked
    write_csv(folder / "gbk.csv", [OBS_HEADER, ["示例市", "fixed_investment", "2024-01..2024-02", "150", "亿元", "统计局"]],
              encoding="gb18030")
    assert load.load_observations(db, str(folder / "gbk.csv"), UNITS).inserted == 1
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(OBS_HEADER)
    sheet.append(["示例市", "industry_growth", "2024-01..2024-02", 7.5, "%", "统计局"])
    sheet.append(["示例市", "industry_growth", "2024-03", "bad", "%", ""])
    book.save(folder / "obs.xlsx")
    report = load.load_observations(db, str(folder / "obs.xlsx"), UNITS)
    assert report.inserted == 1 and [(b.place, b.line) for b in report.bad] == [("row", 3)]
    stored = {r["indicator_id"]: r for r in db.rows("track_observations").records}
    assert stored["fixed_investment"]["source"] == "统计局" and stored["industry_growth"]["value"] == 7.5


def test_track_units_convert(tracked):
    db, folder = tracked
    write_csv(folder / "obs.csv", [OBS_HEADER, ["示例市", "fixed_investment", "2024-01..2024-05", "0.04", "万亿元", ""]])
    load.load_observations(db, str(folder / "obs.csv"), UNITS)
    sheet = TrackService(db).sheet("示例市", date(2024, 6, 30))
    row = next(r for r in sheet.indicators if r["indicator_id"] == "fixed_investment")
    assert row["latest_value"] == pytest.approx(400) and row["progress"] == 0.4


def test_track_catalog_rows_checked(tmp_path):
    db = Database("sqlite://")
    write_csv(tmp_path / "cat.csv", [["id", "name", "domain", "unit", "kind", "direction", "frequency"],
                                     ["gdp_growth", "地区生产总值增速", "经济运行", "%", "rate", "floor", "quarter"],
                                     ["Bad Id", "x", "y", "%", "rate", "up", "month"],
                                     ["a", "x", "y", "%", "speed", "up", "month"],
                                     ["b", "x", "y", "%", "rate", "up", "weekly"]])
    report = load.load_catalog(db, str(tmp_path / "cat.csv"))
    assert report.inserted == 1 and [b.line for b in report.bad] == [3, 4, 5]
    assert db.rows("track_indicators").records[0]["direction"] == "up"  # floor means up


# ---------------------------------------------------------------- the sample set (examples/track)

def load_sample(db: Database) -> None:
    reports = load.load_set(db, SAMPLE, UNITS)
    assert [r.what for r in reports] == ["catalog", "targets", "observations", "projects", "progress"]
    assert all(not r.bad for r in reports)


@pytest.fixture(scope="module")
def sample_sheet(tmp_path_factory):
    db = Database(tmp_path_factory.mktemp("track") / "sample.db")
    load_sample(db)
    yield TrackService(db).sheet("示例市", date(2024, 6, 30))
    db.close()


def test_track_sample_set_shape(sample_sheet):
    assert len(sample_sheet.indicators) == 66
    assert len({r["domain"] for r in sample_sheet.indicators}) == 7
    assert len(sample_sheet.projects) == 30


def test_track_sample_statuses(sample_sheet):
    status = {r["indicator_id"]: r["status"] for r in sample_sheet.indicators}
    expected = {"new_market_entities": "ahead", "tech_contract_value": "behind", "trade_level": "behind",
                "key_project_investment": "behind", "fdi": "alert", "industry_growth": "behind",
                "fdi_growth": "alert", "pm25": "behind", "online_retail_sales": "on_track",
                "energy_intensity": "no_data", "power_consumption_growth": "no_target",
                "household_deposits_growth": "no_target"}
    assert {k: status[k] for k in expected} == expected
    assert sum(1 for s in status.values() if s == "on_track") == 55
    late = [r["indicator_id"] for r in sample_sheet.indicators if r["late"]]
    assert late == ["online_retail_sales"]
    projects = {p["project_id"]: p["status"] for p in sample_sheet.projects}
    assert {k: projects[k] for k in ("P2024-001", "P2024-009", "P2024-017", "P2024-012", "P2024-019")} == \
        {"P2024-001": "behind", "P2024-009": "behind", "P2024-017": "behind", "P2024-012": "alert", "P2024-019": "no_data"}


def test_track_sample_rollups(sample_sheet):
    domains = {d["domain"]: d for d in sample_sheet.domains}
    assert domains["外贸外资"]["line"] == "外贸外资 9 项: 6 on track, 1 behind, 2 alert"
    assert sum(d["total"] for d in sample_sheet.domains) == 66
    units = {u["unit_in_charge"]: u for u in sample_sheet.units}
    assert units["市商务局"]["alert"] == 2 and units["市商务局"]["late"] == 1
    assert sample_sheet.units[0]["unit_in_charge"] == "市商务局"  # most alerts first
    assert [a["indicator_id"] for a in sample_sheet.alerts()][:2] == ["fdi", "fdi_growth"]
    assert {b["batch"] for b in sample_sheet.batches} == {"签约", "开工", "投产"}


def test_track_sample_cadence(sample_sheet):
    trade = {(c["level"], c["checkpoint"]): c for c in sample_sheet.cadence["trade_level"]}
    assert ("季保年", "Q2") in trade and ("季保年", "Q3") not in trade
    assert trade[("季保年", "Q2")]["status"] == "behind" and trade[("季保年", "Q2")]["elapsed"] == 0.5
    # 月保季: the month's share of the quarter, a quarter of the annual target
    june = trade[("月保季", "6月")]
    assert june["elapsed"] == 1.0
    ten = [c for c in sample_sheet.cadence["key_project_investment"] if c["level"] == "旬保月"]
    assert len(ten) == 18 and ten[-1]["checkpoint"] == "6月下旬"


# ---------------------------------------------------------------- command line and report

@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "sample.db"
    runner = CliRunner()
    for what, name in (("catalog", "monitor.yaml"), ("targets", "targets.csv"), ("observations", "observations.csv"),
                       ("projects", "projects.csv"), ("progress", "progress.csv")):
        result = runner.invoke(main, ["track", "load", what, str(SAMPLE / name), "--db", str(path)])
        assert result.exit_code == 0, result.output
    return path


def test_track_cli_status_csv_contract(sample_db):
    result = CliRunner().invoke(main, ["track", "status", "--db", str(sample_db), "--region", "示例市",
                                       "--as-of", "2024-06-30", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    assert list(rows[0]) == ["region", "indicator_id", "name", "domain", "target_low", "target_high", "unit", "as_of",
                             "latest_period", "latest_value", "elapsed", "progress", "status", "reason"]
    assert len(rows) == 66
    fdi = next(r for r in rows if r["indicator_id"] == "fdi")
    assert (fdi["status"], fdi["elapsed"], fdi["latest_period"], fdi["as_of"]) == ("alert", "0.5", "2024-01..2024-06", "2024-06-30")
    assert float(fdi["progress"]) == pytest.approx(1.15 / 3.2, abs=1e-4)
    growth = next(r for r in rows if r["indicator_id"] == "industry_growth")
    assert growth["progress"] == "" and growth["status"] == "behind"


def test_track_cli_alerts_and_region_default(sample_db):
    result = CliRunner().invoke(main, ["track", "alerts", "--db", str(sample_db), "--as-of", "2024-06-30", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    assert [r["id"] for r in rows if r["kind"] == "indicator"][:2] == ["fdi", "fdi_growth"]
    assert {r["status"] for r in rows} <= {"alert", "behind", "on_track"}
    assert any(r["id"] == "online_retail_sales" and r["late"] == "yes" for r in rows)
    assert any(r["id"] == "P2024-012" and r["kind"] == "project" for r in rows)
    assert all(r["reason"] for r in rows)


def test_track_cli_mistakes_are_messages(sample_db, tmp_path):
    runner = CliRunner()
    unknown = runner.invoke(main, ["track", "status", "--db", str(sample_db), "--region", "别处"])
    assert unknown.exit_code == 1 and "no monitoring data for region '别处'" in unknown.output
    bad_date = runner.invoke(main, ["track", "status", "--db", str(sample_db), "--as-of", "2024-13-40"])
    assert bad_date.exit_code == 1 and "is not a date" in bad_date.output
    no_db = runner.invoke(main, ["track", "status", "--db", str(tmp_path / "none.db")])
    assert no_db.exit_code == 1 and "no such database" in no_db.output
    no_catalog = runner.invoke(main, ["track", "load", "observations", str(SAMPLE / "observations.csv"),
                                      "--db", str(tmp_path / "new.db")])
    assert no_catalog.exit_code == 1 and "track load catalog" in no_catalog.output
    assert "Traceback" not in unknown.output + bad_date.output + no_db.output + no_catalog.output


def test_track_cli_bad_row_exit_code(sample_db, tmp_path):
    path = write_csv(tmp_path / "obs.csv", [OBS_HEADER, ["示例市", "fdi", "2024-07..2024-99", "1", "", ""]])
    result = CliRunner().invoke(main, ["track", "load", "observations", str(path), "--db", str(sample_db)])
    assert result.exit_code == 1
    assert f"error: {path}: line 2: " in result.output and "0 new" in result.output


def test_track_report_is_standalone_and_escaped(tmp_path):
    db_path = tmp_path / "x.db"
    db = Database(db_path)
    (tmp_path / "cat.yaml").write_text(
        "indicators:\n  - {id: evil, name: '<script>alert(1)</script>投资', domain: '<b>域</b>', unit: 亿元, "
        "kind: cumulative, direction: up, frequency: month, unit_in_charge: '\"><img src=x>'}\n", encoding="utf-8")
    load.load_catalog(db, str(tmp_path / "cat.yaml"))
    write_csv(tmp_path / "t.csv", [["region", "year", "indicator_id", "target_low", "target_high", "unit"],
                                   ["示例市", 2024, "evil", 100, "", "亿元"]])
    load.load_targets(db, str(tmp_path / "t.csv"), UNITS)
    write_csv(tmp_path / "o.csv", [OBS_HEADER, ["示例市", "evil", "2024-01..2024-05", 30, "亿元", "<i>src</i>"]])
    load.load_observations(db, str(tmp_path / "o.csv"), UNITS)
    db.close()
    result = CliRunner().invoke(main, ["track", "report", "--db", str(db_path), "--as-of", "2024-06-30"])
    assert result.exit_code == 0, result.output
    html = result.output
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;投资" in html
    assert "<img src=x>" not in html and "<b>域</b>" not in html
    assert "<svg" in html and "polyline" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "<link" not in html and "<script" not in html  # styles inline, nothing fetched
    assert "alert" in html and "落后" in html


def test_track_report_markdown_and_json(sample_db):
    runner = CliRunner()
    md = runner.invoke(main, ["track", "report", "--db", str(sample_db), "--as-of", "2024-06-30", "--format", "md"])
    assert md.exit_code == 0 and md.output.startswith("# 示例市 指标监测（截至 2024-06-30，序时进度 50.0%）")
    assert "- 外贸外资 9 项: 6 on track, 1 behind, 2 alert" in md.output
    data = json.loads(runner.invoke(main, ["track", "status", "--db", str(sample_db), "--as-of", "2024-06-30",
                                           "--format", "json"]).output)
    assert data["counts"] == {"alert": 2, "behind": 5, "on_track": 55, "ahead": 1, "no_data": 1, "no_target": 2}
    assert data["elapsed"] == 0.5 and len(data["projects"]) == 30 and data["cadence"]["fdi"]


def test_track_parse_as_of():
    assert parse_as_of("2024-06-30") == date(2024, 6, 30)
    assert parse_as_of("2024-06") == date(2024, 6, 30)
    assert parse_as_of("2024H1") == date(2024, 6, 30)
    with pytest.raises(TrackError, match="not a date"):
        parse_as_of("June")


# ---------------------------------------------------------------- figures from documents, targets from reports

NEWS = """示例市前5个月经济运行情况

2024年6月20日

记者从示例市统计局获悉，1-5月，全市规模以上工业增加值增长8.1%，固定资产投资完成额412.5亿元。
"""


def test_track_observations_from_documents_keep_their_quote(tracked):
    from luoshi.pipeline import process_text

    db, folder = tracked
    doc = process_text(NEWS, path="示例市-news.txt")
    db.save(doc)
    report = load.load_from_documents(db, UNITS, "示例市")
    assert report.inserted == 2
    stored = {r["indicator_id"]: r for r in db.rows("track_observations").records}
    assert stored["industry_growth"]["period"] == "2024-01..2024-05" and stored["industry_growth"]["value"] == 8.1
    assert "规模以上工业增加值增长8.1%" in stored["industry_growth"]["quote"]
    assert doc.text[stored["fixed_investment"]["start"]:stored["fixed_investment"]["end"]] == "412.5亿元"
    again = load.load_from_documents(db, UNITS, "示例市")
    assert (again.inserted, again.unchanged) == (0, 2)
    sheet = TrackService(db).sheet("示例市", date(2024, 6, 30))
    growth = next(r for r in sheet.indicators if r["indicator_id"] == "industry_growth")
    assert growth["status"] == "ahead" and "规模以上工业增加值" in growth["latest_quote"]


def test_track_file_value_not_replaced_by_a_document(tracked):
    from luoshi.pipeline import process_text

    db, folder = tracked
    write_csv(folder / "obs.csv", [OBS_HEADER, ["示例市", "industry_growth", "2024-01..2024-05", "8.0", "%", "统计局"]])
    load.load_observations(db, str(folder / "obs.csv"), UNITS)
    db.save(process_text(NEWS, path="示例市-news.txt"))
    report = load.load_from_documents(db, UNITS, "示例市")
    assert report.kept == 1
    assert {r["indicator_id"]: r["value"] for r in db.rows("track_observations").records}["industry_growth"] == 8.0


def test_track_targets_from_reports_and_overrides(tmp_path, make_report):
    db = Database(tmp_path / "r.db")
    db.save(make_report(2024, growth=5.2, target=5.5))
    (tmp_path / "cat.yaml").write_text(
        "indicators:\n  - {id: gdp_growth, name: 地区生产总值增速, domain: 经济运行, unit: '%', kind: rate, direction: up, "
        "frequency: quarter}\n  - {id: urban_new_jobs, name: 城镇新增就业, domain: 民生, unit: 万人, kind: cumulative, "
        "direction: up, frequency: month}\n", encoding="utf-8")
    load.load_catalog(db, str(tmp_path / "cat.yaml"))
    region = db.load(db.documents().items[0]["id"]).region
    write_csv(tmp_path / "o.csv", [OBS_HEADER, [region, "gdp_growth", "2024Q1", "5.6", "%", ""],
                                   [region, "urban_new_jobs", "2024-01..2024-05", "2.4", "万人", ""]])
    load.load_observations(db, str(tmp_path / "o.csv"), UNITS)
    sheet = TrackService(db).sheet(region, date(2024, 5, 31))
    rows = {r["indicator_id"]: r for r in sheet.indicators}
    assert (rows["gdp_growth"]["target_low"], rows["gdp_growth"]["target_source"]) == (5.5, "report")
    assert "5.5%左右" in rows["gdp_growth"]["target_quote"]
    assert rows["urban_new_jobs"]["target_low"] == 6 and rows["urban_new_jobs"]["status"] == "on_track"  # 2.4/6 = 0.4 vs 5/12
    write_csv(tmp_path / "t.csv", [["region", "year", "indicator_id", "target_low", "target_high", "unit"],
                                   [region, 2024, "gdp_growth", 6.0, "", "%"]])
    load.load_targets(db, str(tmp_path / "t.csv"), UNITS)
    override = {r["indicator_id"]: r for r in TrackService(db).sheet(region, date(2024, 5, 31)).indicators}
    assert (override["gdp_growth"]["target_low"], override["gdp_growth"]["target_source"]) == (6.0, "file")
    assert rows["gdp_growth"]["status"] == "on_track"  # 5.6 against the report's 5.5
    assert override["gdp_growth"]["status"] == "behind"  # 5.6 against 6.0: 0.4 below, beyond the 0.3 tolerance
    db.close()


# ---------------------------------------------------------------- both backends

def test_track_sample_on_each_backend(database):
    backend = database
    load_sample(backend)
    counts = {t: backend.count(t) for t in ("track_indicators", "track_targets", "track_observations",
                                            "track_projects", "track_progress")}
    load_sample(backend)  # the same files again: no row changes, no history
    assert {t: backend.count(t) for t in counts} == counts and backend.count("track_history") == 0
    sheet = TrackService(backend).sheet("示例市", date(2024, 6, 30))
    assert [r["status"] for r in sheet.indicators].count("alert") == 2
    assert {p["project_id"]: p["status"] for p in sheet.projects}["P2024-012"] == "alert"


def test_track_band_with_one_end_is_a_floor_or_a_ceiling():
    cpi = indicator(kind="rate", direction="band", unit="%")
    assert indicator_status(cpi, Target(None, 3.0, "file"), [obs("2024-05", 0.2)], date(2024, 6, 30), RULES)["status"] \
        == "ahead"  # 3%左右 as a ceiling: far below it is fine
    assert indicator_status(cpi, Target(None, 3.0, "file"), [obs("2024-05", 3.5)], date(2024, 6, 30), RULES)["status"] \
        == "behind"
    assert indicator_status(cpi, Target(2.0, None, "file"), [obs("2024-05", 1.5)], date(2024, 6, 30), RULES)["status"] \
        == "behind"


def test_track_catalog_as_a_bare_yaml_list(tmp_path):
    db = Database("sqlite://")
    (tmp_path / "cat.yml").write_text("- {id: a, name: 甲, domain: 经济运行, unit: '%', kind: rate, direction: up, "
                                      "frequency: month}\n- just text\n", encoding="utf-8")
    report = load.load_catalog(db, str(tmp_path / "cat.yml"))
    assert report.inserted == 1 and [(b.place, b.line, b.reason) for b in report.bad] == [("indicator", 2, "not a mapping")]


def test_track_region_with_report_targets_only(tmp_path, make_report):
    db = Database(tmp_path / "r.db")
    db.save(make_report(2024, growth=5.2, target=5.5))
    region = db.load(db.documents().items[0]["id"]).region
    (tmp_path / "cat.yaml").write_text("indicators:\n  - {id: gdp_growth, name: 地区生产总值增速, domain: 经济运行, "
                                       "unit: '%', kind: rate, direction: up, frequency: quarter}\n", encoding="utf-8")
    load.load_catalog(db, str(tmp_path / "cat.yaml"))
    (row,) = TrackService(db).sheet(region, date(2024, 6, 30)).indicators
    assert (row["target_low"], row["status"], row["late"]) == (5.5, "no_data", True)
    with pytest.raises(TrackError, match="no monitoring data for region '别处'"):
        TrackService(db).sheet("别处", date(2024, 6, 30))
    db.close()


# ---------------------------------------------------------------- web API

@pytest.fixture(scope="module")
def track_client(sample_db):
    from fastapi.testclient import TestClient

    from luoshi.web.app import Settings, create_app

    with TestClient(create_app(Settings(db=str(sample_db)))) as client:
        yield client


def test_track_api_status_body(track_client):
    response = track_client.get("/api/track/status", params={"region": "示例市", "as_of": "2024-06-30"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert (data["region"], data["as_of"], data["elapsed"]) == ("示例市", "2024-06-30", 0.5)
    assert data["counts"]["alert"] == 2 and len(data["indicators"]) == 66 and len(data["projects"]) == 30
    fdi = next(r for r in data["indicators"] if r["indicator_id"] == "fdi")
    assert fdi["status"] == "alert" and fdi["points"][-1] == {"end": "2024-06-30", "month": 6.0, "value": 1.15}
    lean = track_client.get("/api/track/status", params={"as_of": "2024-06", "points": "false"}).json()
    assert "points" not in lean["indicators"][0] and lean["as_of"] == "2024-06-30"


def test_track_api_alerts_and_errors(track_client):
    alerts = track_client.get("/api/track/alerts", params={"as_of": "2024-06-30"}).json()
    assert [a["id"] for a in alerts["items"]][:2] == ["fdi", "fdi_growth"]
    bad = track_client.get("/api/track/status", params={"as_of": "2024-02-30"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "E422"
    malformed = track_client.get("/api/track/status", params={"as_of": "yesterday"})
    assert malformed.status_code == 422
    unknown = track_client.get("/api/track/status", params={"region": "别处"})
    assert unknown.status_code == 404 and "别处" in unknown.json()["error"]["message"]
    page = track_client.get("/track", params={"region": "示例市", "as_of": "2024-06-30"})
    assert page.status_code == 200 and page.text.count('<svg class="track-chart"') == 66
    assert page.text.index('id="alerts"') < page.text.index('class="domain"')
