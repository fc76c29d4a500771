"""The import picture: every module imports only from its own floor or the floors below.

Floors, bottom up (README "How it works"): the model and errors; text helpers; the data files
(resources); readers (io); structure (parse); extractors (extract); the pipeline; the store;
verdicts across years (link); what is read from them (report, digest, eval); batch work and
monitoring (batch, track); the web app; the command line and the package's front door.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "luoshi"
FLOORS = (
    {"errors", "model", "_version"},
    {"text"},
    {"resources"},
    {"io"},
    {"parse"},
    {"extract"},
    {"pipeline"},
    {"store"},
    {"link"},
    {"report", "digest", "eval"},
    {"batch", "engines", "track"},
    {"web"},
    {"cli", "cli_options", "cli_track", "__init__", "__main__"},
)
FLOOR_OF = {part: level for level, parts in enumerate(FLOORS) for part in parts}


def _part(module: str) -> str:
    """luoshi.store.db -> store; luoshi -> __init__."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "luoshi":
            if node.module == "luoshi":  # from luoshi import x: x is a module of the package or the root
                found |= {f"luoshi.{a.name}" if (PACKAGE / a.name).exists() or (PACKAGE / f"{a.name}.py").exists()
                          else "luoshi" for a in node.names}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "luoshi"}
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_architecture_every_module_has_a_floor():
    parts = {_part("luoshi." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)) for p in MODULES}
    assert parts <= set(FLOOR_OF), sorted(parts - set(FLOOR_OF))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_architecture_no_import_from_a_higher_floor(path):
    own = _part("luoshi." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
    upward = sorted(m for m in _imports(path) if FLOOR_OF[_part(m)] > FLOOR_OF[own])
    assert upward == [], f"{own} (floor {FLOOR_OF[own]}) imports {upward}"
