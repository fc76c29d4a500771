"""Benchmark: ingesting a large corpus with each engine, then querying the result.

Makes N realistic synthetic reports — the national corpus's own paragraphs recombined under
fictional region names and years (a review part from one report, a plan part from another,
a title, date and session line of the region's own), nothing fixed in the repository — then
runs ``luoshi ingest`` on them in a fresh process per engine:

- ``--engine local --jobs 2`` into SQLite, and
- ``--engine dask`` (a LocalCluster of 2 workers, or ``--scheduler``) into PostgreSQL when
  ``--pg URL`` (or LUOSHI_TEST_PG_URL) is given, else into a second SQLite file,

printing documents/s, characters/s, the peak resident memory of the largest process (the
ingest client or a worker), the database's size, and the ratio of the two engines; then
times ``targets`` for one region and a two-character search on the SQLite database (best
of 5, in this process, as the web app runs them).

    python bench/bench_ingest.py [--reports 10000] [--out DIR] [--pg postgresql://…] [--skip-dask]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "national"
FIRST = "青赤白玄金银松柏桂兰梅竹清澄明安平宁和丰嘉瑞祥泰康福昌盛兴隆远望云霞岚峰江河湖川溪泉"
SECOND = "州城阳山源原川宁安平江水溪谷泽林岭屿湾"
PARTS = re.compile(r"^[一二三四五六七八九十]+、")


def region_names(count: int, rng: random.Random) -> list[str]:
    names = sorted({a + b for a in FIRST for b in SECOND if a != b})
    rng.shuffle(names)
    return [name + "市" for name in names[:count]]


def report_parts(text: str) -> tuple[list[str], list[str]]:
    """The paragraphs of a report's review part (before its second numbered heading) and the rest."""
    paragraphs = [p.strip() for p in text.split("\n") if len(p.strip()) > 20]
    headings = [i for i, p in enumerate(paragraphs) if PARTS.match(p)]
    cut = headings[1] if len(headings) > 1 else len(paragraphs) // 3
    return paragraphs[:cut], paragraphs[cut:]


def _take(paragraphs: list[str], budget: int) -> list[str]:
    """The first paragraphs up to ``budget`` characters (a city's report is shorter than the State Council's)."""
    out, used = [], 0
    for paragraph in paragraphs:
        if used and used + len(paragraph) > budget:
            break
        out.append(paragraph)
        used += len(paragraph)
    return out


REVIEW_CHARS, PLAN_CHARS = 6_000, 9_000  # about 15,000 characters a report, as a city's is


def synthetic_reports(n: int, out: Path, seed: int = 7) -> tuple[int, int]:
    """Write ``n`` reports into ``out`` (regions × years); returns (files, characters)."""
    rng = random.Random(seed)
    sources = [report_parts(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))
               if p.stem.isdigit() and int(p.stem) >= 1978]
    years = list(range(2005, 2025))
    regions = region_names(max(1, -(-n // len(years))), rng)
    chars = 0
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        region, year = regions[i // len(years)], years[i % len(years)]
        review, _ = rng.choice(sources)
        _, plan = rng.choice(sources)
        text = "\n\n".join([
            f"{region}政府工作报告",
            f"——{year}年1月{rng.randint(5, 25)}日在{region}第十六届人民代表大会第{rng.choice('一二三四五')}次会议上",
            f"市长　{rng.choice('王李张刘陈杨赵黄周吴')}{rng.choice('明华强伟芳军平安静')}",
            "各位代表：",
            f"现在，我代表市人民政府，向大会报告工作，请予审议。",
            f"一、{year - 1}年工作回顾", *_take(review, REVIEW_CHARS),
            f"二、{year}年工作安排", *_take(plan, PLAN_CHARS)]) + "\n"
        chars += len(text)
        folder = out / region
        folder.mkdir(exist_ok=True)
        (folder / f"{region}-{year}.txt").write_text(text, encoding="utf-8")
    return n, chars


_RUNNER = """
import resource, sys, time
from luoshi.cli import main
start = time.perf_counter()
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
wall = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"@@ {wall} {own} {children}", file=sys.stderr)
"""


def run_ingest(args: list[str]) -> dict:
    result = subprocess.run([sys.executable, "-c", _RUNNER, "ingest", *args, "--no-progress"],
                            capture_output=True, text=True)
    line = next(l for l in result.stderr.splitlines() if l.startswith("@@ "))
    wall, own, children = line.split()[1:]
    summary = [l for l in result.stderr.splitlines() if " ingested, " in l]
    return {"seconds": float(wall), "client_rss_mb": int(own) / 1024, "worker_rss_mb": int(children) / 1024,
            "summary": summary[-1] if summary else result.stderr[-500:]}


def database_bytes(target: str) -> int:
    if "://" not in target:
        return sum(Path(target + suffix).stat().st_size for suffix in ("", "-wal", "-shm") if Path(target + suffix).exists())
    from sqlalchemy import text

    from luoshi.store.db import Database

    db = Database(target)
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--out", type=Path, help="write the reports and databases here and keep them")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pg", default=os.environ.get("LUOSHI_TEST_PG_URL"), help="PostgreSQL URL for the dask run")
    parser.add_argument("--scheduler", help="a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = args.out or Path(tempfile.mkdtemp(prefix="luoshi-ingest-"))
    corpus = folder / "reports"
    start = time.perf_counter()
    files, chars = synthetic_reports(args.reports, corpus)
    print(f"corpus            {files:,} reports, {chars:,} characters ({chars / files:,.0f} per report), "
          f"written in {time.perf_counter() - start:.1f} s (not timed)")
    figures: dict = {"reports": files, "characters": chars}

    sqlite_db = str(folder / "local.db")
    for suffix in ("", "-wal", "-shm"):
        Path(sqlite_db + suffix).unlink(missing_ok=True)
    local = run_ingest([str(corpus), "--db", sqlite_db, "--jobs", str(args.jobs)])
    figures["local"] = {**local, "db_bytes": database_bytes(sqlite_db)}
    _print_run(f"local --jobs {args.jobs} → SQLite", local, files, chars, figures["local"]["db_bytes"])

    if not args.skip_dask:
        if args.pg:
            from luoshi.store.db import Database

            Database(args.pg).drop_all()
            target = args.pg
        else:
            target = str(folder / "dask.db")
            for suffix in ("", "-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)
        extra = ["--scheduler", args.scheduler] if args.scheduler else ["--jobs", str(args.jobs)]
        dask = run_ingest([str(corpus), "--db", target, "--engine", "dask", *extra])
        figures["dask"] = {**dask, "db_bytes": database_bytes(target), "target": "postgresql" if args.pg else "sqlite"}
        _print_run(f"dask → {'PostgreSQL' if args.pg else 'SQLite'}", dask, files, chars, figures["dask"]["db_bytes"])
        ratio = dask["seconds"] / local["seconds"]
        figures["dask_over_local"] = ratio
        print(f"ratio             dask / local = {ratio:.2f} (time)")

    from luoshi.link.verdicts import targets
    from luoshi.resources import load_resources
    from luoshi.store.db import Database

    db = Database(sqlite_db)
    catalog = load_resources().catalog
    region = db.documents(per_page=1).items[0]["region"]
    rows = targets(db, catalog, region)
    targets_s = best(lambda: targets(db, catalog, region))
    scanner = db.scanner()
    search_s = best(lambda: db.search("粮食", scanner=scanner))
    found = db.search("粮食", scanner=scanner).total
    figures.update(targets_ms=targets_s * 1000, targets_rows=len(rows), search_ms=search_s * 1000, search_hits=found,
                   scanner="memory" if scanner else "sql")
    print(f"targets           {targets_s * 1000:.1f} ms for --region {region} ({len(rows)} rows), best of 5 — goal <= 50 ms")
    print(f"search            {search_s * 1000:.1f} ms for 粮食 ({found:,} sentences, page 1; "
          f"{'in memory' if scanner else 'SQL scan'}), best of 5 — goal <= 100 ms")
    print(f"web               python bench/bench_web.py --db {sqlite_db} --only targets   (targets page p95 at 20 clients)")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))


def _print_run(name: str, run: dict, files: int, chars: int, size: int) -> None:
    seconds = run["seconds"]
    print(f"{name:<17} {seconds:.1f} s: {files / seconds:,.1f} documents/s, {chars / seconds:,.0f} characters/s; "
          f"peak RSS client {run['client_rss_mb']:.0f} MB, largest worker {run['worker_rss_mb']:.0f} MB; "
          f"database {size / 1e6:,.0f} MB")
    print(f"{'':<17} {run['summary']}")


if __name__ == "__main__":
    main()
