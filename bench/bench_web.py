"""Benchmark: latency and throughput of the web app under concurrent keep-alive clients.

Builds a corpus database (or uses ``--db``), starts ``luoshi serve`` as a subprocess on
127.0.0.1 and a free port, then for each scenario -- the targets page, the targets page
filtered, the search page and the search API over a rotation of realistic queries, and the
page of the 2024 national report, and the monitoring dashboard of the sample city (``/track``
and ``/api/track/status`` of 示例市 as of 2024-06-30, examples/track loaded into the same
database) -- runs ``--clients`` threads, each with its own keep-alive HTTP connection, for
``--requests`` requests apiece (after a short unmeasured warm-up). The
pages are cached per data version, so a repeated URL is answered from memory; the scenario
"search, new queries" sends every request a query the server has not seen (random 2–4
character substrings of the corpus) to measure the uncached path, and "track, new dates" asks
the dashboard for a different as-of date each time (a sheet computed and rendered anew).
Every request is timed from sending to reading the whole body; a status other than 200, or
a connection error, counts as an error. Prints requests, errors, throughput and the p50,
p95, p99 and max latency of each scenario, and whether the p95 of the targets page, the
search page and the monitoring page and API meet the goal (<= 100 ms). Loopback only,
bounded in count and time.
The load runs closed-loop: with C clients, p95 is roughly C / throughput plus spread, so
it measures queueing as well as the cost of one request, and the load generator (this
process) shares the machine's cores with the server.

    python bench/bench_web.py [--clients 20] [--requests 50] [--workers 2] [--db luoshi.db] [--only track] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
TRACK_SAMPLE = REPO / "examples" / "track"
TRACK_REGION, TRACK_AS_OF = "示例市", "2024-06-30"
HOST = "127.0.0.1"
GOAL_MS = 100.0
QUERIES = ["新质生产力", "粮食产量", "城镇新增就业", "高质量发展", "科技创新", "粮食", "居民消费价格"]
STARTUP_TIMEOUT = 30.0
REQUEST_TIMEOUT = 30.0


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, every request including errors
    errors: int = 0
    bytes: int = 0
    wall: float = 0.0
    deadline_hit: bool = False

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000

    def as_dict(self) -> dict:
        return {"requests": self.requests, "errors": self.errors,
                "throughput_rps": round(self.requests / self.wall, 1) if self.wall else None,
                "p50_ms": round(self.percentile_ms(50), 1), "p95_ms": round(self.percentile_ms(95), 1),
                "p99_ms": round(self.percentile_ms(99), 1), "max_ms": round(self.percentile_ms(100), 1),
                "mean_kb": round(self.bytes / self.requests / 1024, 1) if self.requests else None,
                "wall_s": round(self.wall, 3), "deadline_hit": self.deadline_hit}


def build_database(corpus: Path, path: Path) -> float:
    from luoshi.store.db import Database
    from luoshi.batch import ingest

    start = time.perf_counter()
    db = Database(path)
    try:
        summary = ingest([corpus], db, jobs=2)
    finally:
        db.close()
    if summary.failed:
        print(f"warning: {len(summary.failed)} file(s) failed to ingest", file=sys.stderr)
    return time.perf_counter() - start


def load_track_sample(path: Path) -> tuple[float, bool]:
    """The sample monitoring set (examples/track) loaded into the database, unless its region
    is there already: (seconds, whether anything was loaded). Loads are idempotent."""
    from luoshi.store import track as track_store
    from luoshi.store.db import Database
    from luoshi.track.load import load_set
    from luoshi.track.units import unit_converter

    start = time.perf_counter()
    db = Database(path)
    try:
        with db.engine.connect() as conn:
            if TRACK_REGION in track_store.regions(conn):
                return time.perf_counter() - start, False
        reports = load_set(db, TRACK_SAMPLE, unit_converter())
    finally:
        db.close()
    for report in reports:
        if report.bad:
            print(f"warning: {report.path}: {len(report.bad)} bad row(s), first: {report.bad[0]}", file=sys.stderr)
    return time.perf_counter() - start, True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(conn: http.client.HTTPConnection, url: str) -> tuple[int, bytes]:
    conn.request("GET", url)
    response = conn.getresponse()
    return response.status, response.read()


def wait_until_up(proc: subprocess.Popen, port: int, stderr_path: Path) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < STARTUP_TIMEOUT:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering:\n"
                               + stderr_path.read_text(errors="replace"))
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            if get(conn, "/")[0] == 200:
                return time.perf_counter() - start
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer GET / with 200 within {STARTUP_TIMEOUT:.0f} s:\n"
                       + stderr_path.read_text(errors="replace"))


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def national_2024_id(port: int) -> str:
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        status, body = get(conn, "/api/documents?per_page=200")
    finally:
        conn.close()
    if status != 200:
        raise RuntimeError(f"/api/documents answered {status}")
    items = json.loads(body)["items"]
    for item in items:
        if (item.get("path") or "").replace("\\", "/").endswith("national/2024.txt"):
            return item["id"]
    if items:  # another corpus (bench_ingest's): its first document
        return items[0]["id"]
    raise RuntimeError("no document in the database")


def warm_up(port: int, urls: list[str], rounds: int) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        for _ in range(rounds):
            for url in urls:
                get(conn, url)
    finally:
        conn.close()


def run_scenario(name: str, urls: list[str], port: int, clients: int, requests: int, deadline_s: float,
                 unique: bool = False) -> Result:
    result = Result(name)
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        latencies: list[float] = []
        errors = received = 0
        hit = False
        try:
            conn.connect()  # connect before the clock starts: keep-alive is what is measured
        except OSError:
            pass
        barrier.wait()
        try:
            for i in range(requests):
                if time.perf_counter() > deadline[0]:
                    hit = True
                    break
                # unique: every request its own URL (no two clients share one), so no cache helps
                url = urls[(index * requests + i) % len(urls)] if unique else urls[(index + i) % len(urls)]
                start = time.perf_counter()
                try:
                    status, body = get(conn, url)
                except (OSError, http.client.HTTPException):
                    status, body = 0, b""
                    conn.close()  # reconnects on the next request
                latencies.append(time.perf_counter() - start)
                received += len(body)
                if status != 200:
                    errors += 1
        finally:
            conn.close()
            with lock:
                result.latencies.extend(latencies)
                result.errors += errors
                result.bytes += received
                result.deadline_hit |= hit

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + deadline_s
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline[0] - time.perf_counter()) + REQUEST_TIMEOUT + 5)
    result.wall = time.perf_counter() - start
    return result


def fresh_queries(db_path: Path, count: int, seed: int = 7) -> list[str]:
    """``count`` distinct 2–4 character Chinese substrings of the corpus's sentences: queries
    the server has not seen, so its result cache cannot answer them."""
    import random
    import re
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        sentences = [row[0] for row in conn.execute("SELECT text FROM sentences")]
    rng = random.Random(seed)
    found: set[str] = set()
    han = re.compile(r"^[\u4e00-\u9fff]+$")
    while len(found) < count:
        sentence = rng.choice(sentences)
        size = rng.choice((2, 3, 3, 4))
        if len(sentence) <= size:
            continue
        start = rng.randrange(len(sentence) - size)
        word = sentence[start : start + size]
        if han.fullmatch(word):
            found.add(word)
    return sorted(found, key=lambda _: rng.random())


def track_dates(year: int = 2024) -> list[str]:
    """Every day of ``year``: as-of dates the dashboard has not been asked for."""
    from datetime import date, timedelta

    first = date(year, 1, 1)
    return [(first + timedelta(days=n)).isoformat() for n in range((date(year + 1, 1, 1) - first).days)]


def scenarios(doc_id: str, fresh: list[str]) -> list[tuple[str, list[str], bool]]:
    """(name, URLs, unique): unique scenarios give every request a URL of its own."""
    encoded = [quote(q) for q in QUERIES]
    region = quote(TRACK_REGION)
    return [
        ("targets page", ["/targets"], False),
        ("targets filtered", ["/targets?indicator=gdp_growth&region=" + quote("全国")], False),
        ("search page", [f"/search?q={q}" for q in encoded], False),
        ("search API", [f"/api/search?q={q}" for q in encoded], False),
        ("search, new queries", [f"/search?q={quote(q)}" for q in fresh], True),
        ("document page", [f"/doc/{doc_id}"], False),
        ("track page", [f"/track?region={region}&as_of={TRACK_AS_OF}"], False),
        ("track API", [f"/api/track/status?region={region}&as_of={TRACK_AS_OF}"], False),
        ("track, new dates", [f"/track?region={region}&as_of={day}" for day in track_dates()], True),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--db", type=Path, help="use this database (built here from --corpus if missing) "
                        "instead of building one in a temporary folder")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--clients", type=int, default=20, help="concurrent keep-alive clients")
    parser.add_argument("--requests", type=int, default=50, help="requests per client per scenario")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests of each URL first")
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds at most per scenario")
    parser.add_argument("--only", help="run only the scenarios whose name contains one of these comma-separated "
                        "words (e.g. --only track, --only 'targets,search page')")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    args = parser.parse_args()
    if args.clients < 1 or args.requests < 1 or args.workers < 1:
        parser.error("--clients, --requests and --workers must be at least 1")

    with tempfile.TemporaryDirectory(prefix="bench_web_") as tmp:
        tmpdir = Path(tmp)
        build_s = None
        if args.db is not None and args.db.exists():
            db_path = args.db
        else:
            db_path = args.db if args.db is not None else tmpdir / "bench.db"
            build_s = build_database(args.corpus, db_path)
        track_s, track_loaded = load_track_sample(db_path)

        port = free_port()
        stderr_path = tmpdir / "server.stderr"
        with open(stderr_path, "wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "luoshi", "serve", "--db", str(db_path), "--host", HOST,
                 "--port", str(port), "--workers", str(args.workers)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=dict(os.environ))
        try:
            try:
                startup_s = wait_until_up(proc, port, stderr_path)
                doc_id = national_2024_id(port)
            except (RuntimeError, OSError, http.client.HTTPException) as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            results: list[Result] = []
            client_cpu = 0.0
            fresh = fresh_queries(db_path, args.clients * args.requests)
            wanted = [w.strip() for w in (args.only or "").split(",") if w.strip()]
            chosen = [s for s in scenarios(doc_id, fresh) if not wanted or any(w in s[0] for w in wanted)]
            if not chosen:
                print(f"error: no scenario matches --only {args.only!r}", file=sys.stderr)
                return 2
            for name, urls, unique in chosen:
                if not unique:
                    warm_up(port, urls, args.warmup)
                # a unique scenario never repeats a URL: fewer requests when it has fewer URLs
                requests = min(args.requests, max(1, len(urls) // args.clients)) if unique else args.requests
                cpu = time.process_time()
                results.append(run_scenario(name, urls, port, args.clients, requests, args.deadline, unique))
                client_cpu += time.process_time() - cpu
        finally:
            stop(proc)

    print(f"server            {args.workers} worker(s), {args.clients} clients x {args.requests} requests "
          f"per scenario, keep-alive, loopback")
    print(f"database          {db_path if args.db else 'temporary'}"
          + (f" (built in {build_s:.1f} s)" if build_s is not None else " (existing)")
          + (f", sample monitoring set loaded in {track_s:.1f} s" if track_loaded else
             ", sample monitoring set already there"))
    print(f"server start-up   {startup_s:.2f} s to first 200 on GET /")
    load_wall = sum(r.wall for r in results)
    print(f"load generator    {client_cpu:.1f} s CPU over {load_wall:.1f} s of load "
          f"({client_cpu / load_wall:.0%} of one core, {os.cpu_count()} cores; it shares them with the server)")
    print()
    header = f"{'scenario':<20}{'requests':>9}{'errors':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}" \
             f"{'p99 ms':>9}{'max ms':>9}{'KB/resp':>9}"
    print(header)
    print("-" * len(header))
    for r in results:
        d = r.as_dict()
        print(f"{r.name:<20}{d['requests']:>9}{d['errors']:>7}{d['throughput_rps']:>8.1f}{d['p50_ms']:>9.1f}"
              f"{d['p95_ms']:>9.1f}{d['p99_ms']:>9.1f}{d['max_ms']:>9.1f}{d['mean_kb'] or 0:>9.1f}"
              + ("  (deadline hit)" if r.deadline_hit else ""))
    by_name = {r.name: r for r in results}
    verdicts = []
    goal = {}
    for name in ("targets page", "search page", "track page", "track API"):
        if name not in by_name:
            continue
        p95 = by_name[name].percentile_ms(95)
        ok = p95 <= GOAL_MS and by_name[name].errors == 0
        goal[name] = ok
        verdicts.append(f"{name} {'OK' if ok else 'SLOW' if p95 > GOAL_MS else 'ERRORS'} ({p95:.1f} ms)")
    print()
    print(f"goal p95 <= {GOAL_MS:.0f} ms: " + (", ".join(verdicts) or "(no goal scenario run)"))
    if args.json:
        print(json.dumps({"workers": args.workers, "clients": args.clients, "requests_per_client": args.requests,
                          "build_s": round(build_s, 2) if build_s is not None else None,
                          "track_sample_loaded_s": round(track_s, 2) if track_loaded else None,
                          "startup_s": round(startup_s, 2), "client_cpu_s": round(client_cpu, 2),
                          "goal_p95_ms": GOAL_MS,
                          "goal_met": goal, "scenarios": {r.name: r.as_dict() for r in results}},
                         ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
