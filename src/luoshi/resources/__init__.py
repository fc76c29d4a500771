"""Load and validate the data files once; compile what the extractors need.

Everything rule-like (units, qualifiers, cue words, the catalog, places, task, entity and
digest rules) lives in ``luoshi/data/*.yaml``. ``load_resources()`` reads each file into
frozen typed records (``resources/loader.py``: unknown or missing keys and wrong types are a
``DataFileError`` naming the file and key) and returns one immutable ``Resources`` that the
pipeline passes explicitly to each component.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path

from luoshi.resources.catalog import Catalog, Indicator, load_catalog, parse_catalog
from luoshi.resources.lexicon import Lexicon, Rules, check_lexicon, compile_rules
from luoshi.resources.loader import load_record, load_yaml, package_data, record
from luoshi.resources.places import Places, PlacesFile, build_places
from luoshi.resources.rules import DigestSpec, EntitySpec, MeasureSpec, TaskSpec, parse_entities
from luoshi.resources.units import Qualifiers, Units, UnitsFile, compile_units

__all__ = ["Catalog", "Indicator", "Lexicon", "Places", "Resources", "Rules", "Units", "extractor_fingerprint",
           "load_resources", "load_yaml", "package_data", "parse_catalog", "record"]


@dataclass(frozen=True, eq=False)  # hashed by identity: one loaded set per process
class Resources:
    rules: Rules
    units: Units
    qualifiers: Qualifiers
    lexicon: Lexicon
    catalog: Catalog
    places: Places
    tasks: TaskSpec
    entities: EntitySpec
    digest: DigestSpec
    measures: MeasureSpec
    fingerprint: str  # changes when any rule, data file or the catalog changes (stored per document)


@lru_cache(maxsize=4)
def load_resources(catalog_path: str | None = None) -> Resources:
    """All data files, validated; ``catalog_path`` replaces the packaged catalog."""
    units = compile_units(load_record(UnitsFile, "units.yaml"), "units.yaml")
    lexicon = check_lexicon(load_record(Lexicon, "lexicon.yaml"), "lexicon.yaml")
    return Resources(
        rules=compile_rules(lexicon),
        units=units,
        qualifiers=load_record(Qualifiers, "qualifiers.yaml"),
        lexicon=lexicon,
        catalog=load_catalog(catalog_path, set(units.family_of.values())),
        places=build_places(load_record(PlacesFile, "places.yaml")),
        tasks=load_record(TaskSpec, "tasks.yaml"),
        entities=parse_entities(load_yaml(package_data("entities.yaml")), "entities.yaml"),
        digest=load_record(DigestSpec, "digest.yaml"),
        measures=load_record(MeasureSpec, "measures.yaml"),
        fingerprint=extractor_fingerprint(catalog_path),
    )


# what decides the analysis of a document: its code and its data (not the store, web or CLI)
_EXTRACTOR_PARTS = ("data", "text", "resources", "io", "parse", "extract", "model.py", "pipeline.py")


def extractor_fingerprint(catalog_path: str | None = None) -> str:
    """A short hash of the extraction code and data files: a database knows which documents
    were analysed by an older luoshi and re-analyses them on the next ingest."""
    root = Path(str(importlib_resources.files("luoshi")))
    digest = hashlib.sha256()
    for part in _EXTRACTOR_PARTS:
        path = root / part
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".py", ".yaml", ".txt") and file.is_file():
                digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    if catalog_path:
        digest.update(Path(catalog_path).read_bytes())
    return digest.hexdigest()[:16]
