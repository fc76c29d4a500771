"""Benchmark: what hostile files cost before they are refused (or read), in time and memory.

Builds each file on the spot (``tests/hostile.py``: nothing is committed) and runs
``luoshi extract`` on it in a fresh process, printing wall time, peak resident memory and the
outcome — the figures the reliability goals are stated in:

- a DOCX whose word/document.xml inflates from 2 MB to 2 GiB: refused in < 2 s, < 300 MB;
- the same bomb with a directory that claims 1,000 bytes (and their CRC): refused, bounded alike;
- a 100 MB .txt: refused by its size before it is read; then, with the size limit raised,
  by its length after decoding;
- HTML nested 1,000,000 ``<div>`` deep around real text: read (flat), in bounded memory;
- a mixed folder (3 good, 6 bad files) ingested with ``--jobs 2``.

    python bench/bench_bad_input.py [--depth 1000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hostile import (MB, big_text, bomb_docx, deep_html, lie_about_size, mixed_folder, prefix_crc,  # noqa: E402
                     run_child)


def measure(label: str, *args: str) -> None:
    started = time.perf_counter()
    code, _, err, rss = run_child(*args)
    seconds = time.perf_counter() - started
    lines = err.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    if args[0] == "ingest":  # its summary line says what was stored and what was not
        outcome = lines[-1] if lines else ""
    else:
        outcome = "read" if code == 0 else (errors[0].split(": ", 2)[-1][:90] if errors else "")
    print(f"{label:<34} {seconds:6.2f} s {rss / MB:7.0f} MB  exit {code}  {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--depth", type=int, default=1_000_000, help="nesting of the deep HTML page")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        print("building the files (the bomb takes ~12 s to compress) …", file=sys.stderr)
        bomb = bomb_docx(folder / "bomb.docx")
        liar = folder / "lying-bomb.docx"
        liar.write_bytes(bomb.read_bytes())
        lie_about_size(liar, "word/document.xml", 1000, prefix_crc(bomb, "word/document.xml", 1000))
        big = big_text(folder)
        deep = deep_html(folder, options.depth)
        print(f"{'input':<34} {'wall':>8} {'peak RSS':>10}")
        measure(f"DOCX bomb ({bomb.stat().st_size / MB:.1f} MB -> 2 GiB)", "extract", str(bomb))
        measure("DOCX bomb, directory lies (CRC too)", "extract", str(liar))
        measure(f".txt of {big.stat().st_size / MB:.0f} MB", "extract", str(big))
        measure(".txt of 100 MB, file-size=200M", "extract", str(big), "--limit", "file-size=200M")
        measure(f"HTML {options.depth:,} <div> deep ({deep.stat().st_size / MB:.0f} MB)", "extract", str(deep),
                "--format", "json")
        mixed_folder(folder / "mixed")
        measure("mixed folder, ingest --jobs 2", "ingest", str(folder / "mixed"), "--db", str(folder / "m.db"),
                "--jobs", "2", "--no-progress")


if __name__ == "__main__":
    main()
