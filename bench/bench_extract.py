"""Benchmark: characters per second of the whole extract path over the national corpus.

The corpus is read into memory first (reading is not timed), then every document goes
through the full pipeline (metadata, structure, facts, indicator values, slogans, entities,
tasks) on one core, then once more component by component. Prints throughput,
peak resident memory, start-up time (``import luoshi`` and loading the data files in a
fresh interpreter) and, when ``rjieba`` or ``jieba`` is installed, the time a segmenter
takes to cut the same text, for comparison.

    python bench/bench_extract.py [--corpus ../shared/corpus/national] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def startup_seconds() -> float:
    code = "import time; t=time.perf_counter(); import luoshi.pipeline as p; p.load_resources(); print(time.perf_counter()-t)"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    return wall, float(out.stdout.strip())


def component_seconds(docs, resources) -> dict[str, float]:
    """Seconds per pipeline component over the corpus, one pass (where the time goes)."""
    from luoshi.pipeline import COMPONENTS

    spent = {c.name: 0.0 for c in COMPONENTS}
    for doc in docs:
        for component in COMPONENTS:
            start = time.perf_counter()
            doc = component.func(doc, resources)
            spent[component.name] += time.perf_counter() - start
    return spent


def segmenter_seconds(texts: list[str]) -> tuple[str, float] | None:
    for name in ("rjieba", "jieba"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        module.cut("预热")
        start = time.perf_counter()
        for text in texts:
            list(module.cut(text))
        return name, time.perf_counter() - start
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "national")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from luoshi.io import read_file
    from luoshi.pipeline import process
    from luoshi.resources import load_resources

    docs = [doc for path in sorted(args.corpus.glob("*.txt")) for doc in read_file(path)]
    chars = sum(len(d.text) for d in docs)
    resources = load_resources()
    best = float("inf")
    facts = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        facts = sum(len(process(doc, resources).facts) for doc in docs)
        best = min(best, time.perf_counter() - start)
    components = component_seconds(docs, resources)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, import_and_load = startup_seconds()
    print(f"documents         {len(docs)}")
    print(f"characters        {chars:,}")
    print(f"facts             {facts:,}")
    print(f"extract time      {best:.3f} s (best of {args.repeat})")
    print(f"throughput        {chars / best:,.0f} characters/s (one core)")
    print("components        " + ", ".join(f"{name} {sec:.3f} s" for name, sec in components.items()))
    print(f"peak RSS          {peak_mb:.0f} MB")
    print(f"start-up          {wall:.2f} s interpreter + import + data files ({import_and_load:.2f} s import + load)")
    seg = segmenter_seconds([d.text for d in docs])
    if seg:
        print(f"{seg[0]:<17} {seg[1]:.3f} s to segment the same text ({chars / seg[1]:,.0f} characters/s)")
    else:
        print("segmenter         neither rjieba nor jieba installed; no comparison")


if __name__ == "__main__":
    main()
