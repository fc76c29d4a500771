"""Benchmark: loading and judging monitoring data (``luoshi track``) at the scale of a province.

Builds, in a temporary folder, a SQLite database with the sample catalog (examples/track/
monitor.yaml, 66 indicators) and synthetic data for ``--regions`` regions (R001, R002, …)
over ``--years`` (2020–2024): every region-year repeats the sample's observation rows at each
indicator's own frequency (year to date ``YYYY-01..YYYY-MM`` for monthly cumulative and rate
indicators, the month alone for cpi / pm25 / unemployment, ``YYYY-MM-上旬`` for ten-day ones,
``YYYYQ1`` / ``YYYYH1`` for quarterly ones), with values scaled per region and jittered per
region-indicator so the statuses vary; a target row per region-year-indicator (the sample's,
scaled); and the sample's 30 key projects per region with their 2024 monthly progress. The CSV
files are written first (not timed), then loaded through the loader
(``luoshi.track.load``: parsing, checking, upsert), which is timed file by file.

Then, best of ``--repeat``: ``TrackService(db).sheets(as_of)`` — the status of every
indicator and project of every region in one pass — and ``service.sheet("R001", as_of)``,
one region with the cadence view (what the dashboard renders). Prints the row counts, the
load time, both status times against the goal (all regions <= 1 s) and the peak resident
memory. ``--profile`` prints the top of a cProfile of ``sheets`` (where the time goes).

    python bench/bench_track.py [--regions 100] [--years 2020-2024] [--as-of 2024-06-30] [--repeat 3]
                                [--profile] [--keep DIR] [--json]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import pstats
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "examples" / "track"
SAMPLE_YEAR = "2024"
GOAL_ALL_S = 1.0


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, columns: list[str], rows) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
            count += 1
    return count


def _in_year(label: str, year: int) -> str:
    return label.replace(SAMPLE_YEAR, str(year))


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def region_names(count: int) -> list[str]:
    return [f"R{n:03d}" for n in range(1, count + 1)]


def write_files(folder: Path, regions: list[str], years: list[int], kinds: dict[str, str], seed: int = 2024) -> dict:
    """The synthetic CSV files (targets, one observations file per year, projects, progress)."""
    sample_obs = read_csv(SAMPLE / "observations.csv")
    sample_targets = read_csv(SAMPLE / "targets.csv")
    sample_projects = read_csv(SAMPLE / "projects.csv")
    sample_progress = read_csv(SAMPLE / "progress.csv")
    rng = random.Random(seed)
    # a region's size (cumulative values and their targets scale with it) and, per region and
    # indicator, how far its figures stray from the sample's (statuses differ by region)
    size = {r: rng.uniform(0.4, 2.5) for r in regions}
    stray = {(r, i): rng.uniform(0.85, 1.12) for r in regions for i in kinds}
    shift = {(r, i): rng.uniform(-1.2, 1.0) for r in regions for i in kinds}
    files: dict[str, list[Path] | Path] = {}

    def scaled(region: str, indicator: str, value: str, is_target: bool) -> str:
        if value in ("", None):
            return ""
        number = float(value)
        if kinds[indicator] == "cumulative":
            return _fmt(number * size[region] * (1.0 if is_target else stray[(region, indicator)]))
        return _fmt(number if is_target else number + shift[(region, indicator)])

    targets = folder / "targets.csv"
    write_csv(targets, ["region", "year", "indicator_id", "target_low", "target_high", "unit"],
              ({"region": r, "year": y, "indicator_id": t["indicator_id"],
                "target_low": scaled(r, t["indicator_id"], t["target_low"], True),
                "target_high": scaled(r, t["indicator_id"], t["target_high"], True), "unit": t["unit"]}
               for r in regions for y in years for t in sample_targets))
    files["targets"] = targets
    files["observations"] = []
    for year in years:
        path = folder / f"observations-{year}.csv"
        write_csv(path, ["region", "indicator_id", "period", "value", "unit", "source"],
                  ({"region": r, "indicator_id": o["indicator_id"], "period": _in_year(o["period"], year),
                    "value": scaled(r, o["indicator_id"], o["value"], False), "unit": o["unit"], "source": o["source"]}
                   for r in regions for o in sample_obs))
        files["observations"].append(path)
    projects = folder / "projects.csv"
    write_csv(projects, list(sample_projects[0]),
              ({**p, "project_id": f"{r}-{p['project_id']}", "region": r,
                "planned_investment": _fmt(float(p["planned_investment"]) * size[r])}
               for r in regions for p in sample_projects))
    files["projects"] = projects
    planned = {p["project_id"]: float(p["planned_investment"]) for p in sample_projects}
    progress = folder / "progress.csv"
    write_csv(progress, list(sample_progress[0]),
              ({**g, "project_id": f"{r}-{g['project_id']}",
                "completed_investment": _fmt(min(float(g["completed_investment"]) * size[r]
                                                 * stray[(r, "key_project_investment")],
                                                 planned[g["project_id"]] * size[r]))}
               for r in regions for g in sample_progress))
    files["progress"] = progress
    return files


def load_all(db, catalog: Path, files: dict) -> tuple[dict[str, float], dict[str, int], list[float]]:
    from luoshi.track.load import load_catalog, load_observations, load_progress, load_projects, load_targets
    from luoshi.track.units import unit_converter

    units = unit_converter()
    seconds: dict[str, float] = {}
    rows: dict[str, int] = {}
    per_file: list[float] = []  # each observations file: does a load slow down as the table grows?

    def timed(name: str, call) -> None:
        start = time.perf_counter()
        report = call()
        spent = time.perf_counter() - start
        seconds[name] = seconds.get(name, 0.0) + spent
        if name == "observations":
            per_file.append(spent)
        if report.bad:
            raise SystemExit(f"{report.path}: {len(report.bad)} bad rows, first: {report.bad[0]}")
        rows[name] = rows.get(name, 0) + report.inserted + report.replaced + report.unchanged

    timed("catalog", lambda: load_catalog(db, str(catalog)))
    timed("targets", lambda: load_targets(db, str(files["targets"]), units))
    for path in files["observations"]:
        timed("observations", lambda p=path: load_observations(db, str(p), units))
    timed("projects", lambda: load_projects(db, str(files["projects"])))
    timed("progress", lambda: load_progress(db, str(files["progress"])))
    return seconds, rows, per_file


def best_of(repeat: int, call) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - start)
    return best, result


def kinds_of(catalog: Path) -> dict[str, str]:
    from luoshi.track.files import read_catalog_rows

    return {row["id"]: row.get("kind") for _, row in read_catalog_rows(str(catalog)).rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=100)
    parser.add_argument("--years", default="2020-2024", help="first-last year of observations and targets")
    parser.add_argument("--as-of", default="2024-06-30", help="date of the status sheets")
    parser.add_argument("--repeat", type=int, default=3, help="status timings: best of this many runs")
    parser.add_argument("--profile", action="store_true", help="cProfile one sheets() run and print the top")
    parser.add_argument("--keep", type=Path, help="build the files and database in this folder and keep them")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args()
    first, _, last = args.years.partition("-")
    years = list(range(int(first), int(last or first) + 1))
    as_of = date.fromisoformat(args.as_of)
    if args.regions < 1 or args.repeat < 1 or not years:
        parser.error("--regions and --repeat must be at least 1, --years a range like 2020-2024")

    from luoshi.store.db import Database
    from luoshi.track.service import TrackService

    catalog = SAMPLE / "monitor.yaml"
    kinds = kinds_of(catalog)
    regions = region_names(args.regions)
    with tempfile.TemporaryDirectory(prefix="bench_track_") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db_path = folder / "track.db"
        if db_path.exists():
            db_path.unlink()
        start = time.perf_counter()
        files = write_files(folder, regions, years, kinds)
        write_s = time.perf_counter() - start
        csv_mb = sum(p.stat().st_size for v in files.values() for p in (v if isinstance(v, list) else [v])) / 2**20
        rss_before_load = peak_rss_mb()

        db = Database(db_path)
        try:
            load_s, loaded, per_file = load_all(db, catalog, files)
            rss_after_load = peak_rss_mb()
            service = TrackService(db)
            sheets_s, sheets = best_of(args.repeat, lambda: service.sheets(as_of))
            rss_after_sheets = peak_rss_mb()
            one_s, one = best_of(args.repeat, lambda: service.sheet("R001", as_of))
            one_plain_s, _ = best_of(args.repeat, lambda: service.sheet("R001", as_of, with_cadence=False))
            profile_text = ""
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                service.sheets(as_of)
                profiler.disable()
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
                stats.print_stats(30)
                stats.sort_stats("tottime").print_stats(20)
                profile_text = out.getvalue()
        finally:
            db.close()
        db_mb = db_path.stat().st_size / 2**20

    statuses = Counter(r["status"] for s in sheets for r in s.indicators)
    project_statuses = Counter(p["status"] for s in sheets for p in s.projects)
    assert len(sheets) == args.regions and all(len(s.indicators) == len(kinds) for s in sheets)
    assert one.region == "R001" and one.cadence, "the one-region sheet has no cadence view"
    total_load = sum(load_s.values())
    print(f"data              {args.regions} regions x {len(years)} years ({years[0]}–{years[-1]}), "
          f"{len(kinds)} indicators; as of {as_of}")
    print(f"files             {csv_mb:.1f} MB of CSV written in {write_s:.1f} s (not timed); database {db_mb:.1f} MB")
    print(f"rows loaded       " + ", ".join(f"{k} {v:,}" for k, v in loaded.items()))
    print(f"load time         {total_load:.2f} s in all; " + ", ".join(f"{k} {v:.2f} s" for k, v in load_s.items())
          + f"; observations {loaded['observations'] / load_s['observations']:,.0f} rows/s")
    print(f"  per year file   " + ", ".join(f"{y} {s:.2f} s" for y, s in zip(years, per_file))
          + f" ({loaded['observations'] // len(years):,} rows each, loaded in this order)")
    print(f"status, all       {sheets_s * 1000:.0f} ms for {len(sheets)} regions "
          f"({sheets_s / len(sheets) * 1000:.1f} ms/region, best of {args.repeat}) — goal <= {GOAL_ALL_S:g} s: "
          f"{'OK' if sheets_s <= GOAL_ALL_S else 'SLOW'}")
    print(f"status, one       {one_s * 1000:.1f} ms for R001 with the cadence view "
          f"({one_plain_s * 1000:.1f} ms without), best of {args.repeat}")
    print(f"statuses          indicators " + ", ".join(f"{k} {v}" for k, v in statuses.most_common())
          + "; projects " + ", ".join(f"{k} {v}" for k, v in project_statuses.most_common()))
    print(f"peak RSS          {peak_rss_mb():.0f} MB (before load {rss_before_load:.0f}, after load "
          f"{rss_after_load:.0f}, after all-regions status {rss_after_sheets:.0f})")
    if profile_text:
        print()
        print(profile_text)
    if args.json:
        print(json.dumps({"regions": args.regions, "years": years, "as_of": as_of.isoformat(), "rows": loaded,
                          "load_s": {k: round(v, 3) for k, v in load_s.items()}, "load_total_s": round(total_load, 3),
                          "observations_file_s": [round(v, 3) for v in per_file],
                          "sheets_s": round(sheets_s, 4), "sheet_one_s": round(one_s, 4),
                          "sheet_one_no_cadence_s": round(one_plain_s, 4), "peak_rss_mb": round(peak_rss_mb(), 1),
                          "goal_met": sheets_s <= GOAL_ALL_S, "statuses": dict(statuses)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
