"""Scoring against the answer keys in ``shared/gold/`` (layout in its README).

Each item type gets true positives, false positives and false negatives; items marked
``doubtful`` in a key count neither way. Matched facts are also compared attribute by
attribute (status, period, qualifier, kind).
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from luoshi.errors import GoldError, ReadError
from luoshi.io import read_file
from luoshi.model import Document, Fact
from luoshi.pipeline import analyse
from luoshi.resources import Resources, load_resources

# attributes of a matched fact compared with its key, where the key holds them
ATTRIBUTES = ("status", "period", "period_grain", "qualifier", "kind", "indicator", "region")
INDICATOR_MIN_DICE = 0.5  # a free-text indicator is right when it shares this much with the key's


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: dict[str, int] = field(default_factory=lambda: {a: 0 for a in ATTRIBUTES})
    keyed: dict[str, int] = field(default_factory=lambda: {a: 0 for a in ATTRIBUTES})  # matched keys holding it
    total: int = 0
    wrong: list[str] = field(default_factory=list)

    def value(self, attribute: str) -> float:
        return self.right[attribute] / self.keyed[attribute] if self.keyed[attribute] else 1.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    accuracy: dict[str, Accuracy] = field(default_factory=dict)

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())

    def acc(self, name: str) -> Accuracy:
        return self.accuracy.setdefault(name, Accuracy())


def _read_jsonl(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: {exc}") from exc


def same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def dice(a: str | None, b: str | None) -> float:
    """Dice coefficient of two strings' character bigrams (1.0 when both are absent)."""
    if not a or not b:
        return 1.0 if not a and not b else 0.0
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def attribute_right(ours: Fact, gold: dict, attribute: str) -> bool:
    if attribute == "indicator":
        # the key's catalog id, where it gives one, must be ours too
        if gold.get("indicator_id") and ours.indicator_id != gold["indicator_id"]:
            return False
        return dice(ours.indicator, gold.get("indicator")) >= INDICATOR_MIN_DICE
    return getattr(ours, attribute) == gold.get(attribute)


def _compare_attributes(ours: Fact, gold: dict, acc: Accuracy, label: str) -> None:
    acc.total += 1
    for attribute in ATTRIBUTES:
        if attribute not in gold and not (attribute == "indicator" and "indicator_id" in gold):
            continue
        acc.keyed[attribute] += 1
        if attribute_right(ours, gold, attribute):
            acc.right[attribute] += 1
        else:
            theirs = gold.get(attribute) if attribute != "indicator" else (gold.get("indicator"), gold.get("indicator_id"))
            mine = getattr(ours, attribute) if attribute != "indicator" else (ours.indicator, ours.indicator_id)
            acc.wrong.append(f"{label} {gold['text']}: {attribute} {mine!r} != {theirs!r}")


def score_facts_by_span(doc: Document, gold: list[dict], score: Score, acc: Accuracy, label: str) -> None:
    """A fact matches a key that overlaps its span with the same value_base and base_unit."""
    used: set[int] = set()
    for ours in doc.facts:
        match = None
        for i, g in enumerate(gold):
            if i in used or g["end"] <= ours.start or ours.end <= g["start"]:
                continue
            if same_value(ours.value_base, g["value_base"]) and ours.base_unit == g["base_unit"]:
                match = i
                break
        if match is None:
            score.fp += 1
            score.extras.append(f"{label} extra {ours.text!r} @{ours.start}")
            continue
        used.add(match)
        g = gold[match]
        if g.get("doubtful"):
            continue
        score.tp += 1
        _compare_attributes(ours, g, acc, label)
    for i, g in enumerate(gold):
        if i not in used and not g.get("doubtful"):
            score.fn += 1
            score.misses.append(f"{label} missed {g['text']!r} @{g['start']}")


def score_facts_by_value(doc: Document, gold: list[dict], score: Score, acc: Accuracy, label: str) -> None:
    """Keys without offsets: equal value_base and base_unit, one to one, in document order."""
    used: set[int] = set()
    # sure keys first: a doubtful key must not take the figure a sure one needs
    for g in sorted(gold, key=lambda g: bool(g.get("doubtful"))):
        match = next(
            (i for i, f in enumerate(doc.facts)
             if i not in used and same_value(f.value_base, g["value_base"]) and f.base_unit == g["base_unit"]),
            None,
        )
        if match is None:
            if not g.get("doubtful"):
                score.fn += 1
                score.misses.append(f"{label} missed {g['text']!r}")
            continue
        used.add(match)
        if g.get("doubtful"):
            continue
        score.tp += 1
        _compare_attributes(doc.facts[match], g, acc, label)
    for i, f in enumerate(doc.facts):
        if i not in used:
            score.fp += 1
            score.extras.append(f"{label} extra {f.text!r} @{f.start}")


def _load(path: Path, resources: Resources) -> Document:
    """The one document an answer key refers to, analysed; any problem is a GoldError naming it."""
    if not path.exists():
        raise GoldError(f"{path}: the document an answer key refers to is missing")
    try:
        docs = read_file(path)
    except ReadError as exc:
        raise GoldError(f"{path}: {exc.reason}") from exc
    if len(docs) != 1:
        raise GoldError(f"{path}: an answer key refers to one document, the file holds {len(docs)}")
    doc = analyse(docs[0], resources)
    if isinstance(doc, ReadError):
        raise GoldError(f"{path}: {doc.reason}")
    return doc


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise GoldError(f"{path}: expected a JSON object")
    return data


def score_seed(gold_dir: Path, corpus: Path, report: Report, resources: Resources) -> None:
    seed_dir = gold_dir / "seed"
    structure = _read_json(seed_dir / "structure.json")
    source = str(structure.get("source", "")).split(" ")[0].replace("../corpus/", "")
    if not source:
        raise GoldError(f"{seed_dir / 'structure.json'}: no 'source' naming the document")
    doc = _load(corpus / source, resources)
    score_facts_by_span(doc, _read_jsonl(seed_dir / "facts.jsonl"), report.score("facts"), report.acc("facts"), "seed")
    _score_sections(doc, structure["sections"], report.score("keyword sections"))
    _score_statements(doc, structure["statements"], report.score("statements"))
    if (seed_dir / "tasks.jsonl").exists():
        score_tasks_by_span(doc, _read_jsonl(seed_dir / "tasks.jsonl"), report.score("tasks"), "seed")


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_tasks_by_span(doc: Document, gold: list[dict], score: Score, label: str) -> None:
    """A task matches a key whose span it overlaps, one to one; a task that overlaps only
    doubtful keys counts neither way."""
    sure = [g for g in gold if not g.get("doubtful")]
    doubtful = [g for g in gold if g.get("doubtful")]
    used: set[int] = set()
    for task in doc.tasks:
        match = next((i for i, g in enumerate(sure)
                      if i not in used and _overlap(task.start, task.end, g["start"], g["end"])), None)
        if match is not None:
            used.add(match)
            score.tp += 1
        elif not any(_overlap(task.start, task.end, g["start"], g["end"]) for g in doubtful):
            score.fp += 1
            score.extras.append(f"{label} extra task {task.text!r} @{task.start}")
    for i, g in enumerate(sure):
        if i not in used:
            score.fn += 1
            score.misses.append(f"{label} missed task {g['text']!r} @{g['start']}")


def _score_sections(doc: Document, gold: list[dict], score: Score) -> None:
    ours = {s.start: s for s in doc.sections if s.keyword and s.level == 1}
    subs = [s for s in doc.sections if s.keyword and s.level == 2]
    for g in gold:
        s = ours.pop(g["start"], None)
        parts_ok = all(
            any(x.part == part and x.start == g[part]["start"] and x.end == g[part]["end"] for x in subs)
            for part in ("review", "plan") if part in g
        )
        if s and s.keyword == g["keyword"] and list(s.tags) == g["tags"] and s.end == g["end"] and parts_ok:
            score.tp += 1
        else:
            score.fn += 1
            score.misses.append(f"seed section {g['keyword']} @{g['start']} (found: {s.keyword if s else None}, parts ok: {parts_ok})")
    for s in ours.values():
        score.fp += 1
        score.extras.append(f"seed extra section {s.keyword} @{s.start}")


def _score_statements(doc: Document, gold: list[dict], score: Score) -> None:
    ours = {s.start: s for s in doc.statements}
    for g in gold:
        s = ours.pop(g["start"], None)
        if s and (s.speaker, s.role, s.headline, s.end) == (g["speaker"], g["role"], g["headline"], g["end"]):
            score.tp += 1
        else:
            score.fn += 1
            score.misses.append(f"seed statement {g['role']}{g['speaker']} @{g['start']}")
    for s in ours.values():
        score.fp += 1
        score.extras.append(f"seed extra statement {s.role}{s.speaker} @{s.start}")


def score_news(gold_dir: Path, corpus: Path, report: Report, resources: Resources) -> None:
    for key in sorted((gold_dir / "news").glob("*.facts.jsonl")):
        name = key.name.split(".")[0]
        doc = _load(corpus / "news" / f"{name}.html", resources)
        score_facts_by_value(doc, _read_jsonl(key), report.score("news facts"), report.acc("news facts"), f"news/{name}")


def _read_csv(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise GoldError(f"{path}: {exc}") from exc


def _value_key(year, indicator, low, high, unit, qualifier) -> tuple:
    return (int(year), indicator, round(float(low), 4), round(float(high), 4), unit, qualifier or None)


def score_national(gold_dir: Path, corpus: Path, report: Report, resources: Resources) -> None:
    national = gold_dir / "national"
    targets = _read_csv(national / "targets.csv")
    outcomes = _read_csv(national / "outcomes.csv")
    years = sorted({int(r["report_year"]) for r in targets} | {int(r["source_report_year"]) for r in outcomes})
    docs = {y: _load(corpus / "national" / f"{y}.txt", resources) for y in years}
    gold_targets = {_value_key(r["report_year"], r["indicator"], r["value_low"], r["value_high"], r["unit"], r["qualifier"]) for r in targets}
    ours_targets = {
        _value_key(v.year, v.indicator_id, v.low, v.high, v.unit, v.qualifier)
        for y in {int(r["report_year"]) for r in targets} for v in docs[y].indicator_values if v.role == "target"
    }
    _score_sets(gold_targets, ours_targets, report.score("national targets"), resources)
    gold_outcomes = {_value_key(r["year"], r["indicator"], r["value"], r["value"], r["unit"], r["qualifier"]) for r in outcomes}
    ours_outcomes = {
        _value_key(v.year, v.indicator_id, v.low, v.low, v.unit, v.qualifier)
        for y in {int(r["source_report_year"]) for r in outcomes} for v in docs[y].indicator_values if v.role == "outcome"
    }
    _score_sets(gold_outcomes, ours_outcomes, report.score("national outcomes"), resources)


def _score_sets(gold: set, ours: set, score: Score, resources: Resources) -> None:
    core = {i.id for i in resources.catalog.indicators}
    score.tp = len(gold & ours)
    score.fn = len(gold - ours)
    score.misses += [f"national missed {k}" for k in sorted(gold - ours, key=str)]
    # other catalog indicators than the key's are not answered by it
    keyed = {k[1] for k in gold}
    extras = {k for k in ours - gold if k[1] in keyed and k[1] in core}
    score.fp = len(extras)
    score.extras += [f"national extra {k}" for k in sorted(extras, key=str)]


def evaluate(gold_dir: str | Path, corpus_dir: str | Path | None = None, resources: Resources | None = None) -> Report:
    """Score every part of ``gold_dir`` (seed/, news/, national/) that exists."""
    try:
        return _evaluate(gold_dir, corpus_dir, resources)
    except (KeyError, TypeError, ValueError) as exc:
        # a key file with a missing column or field is the user's to fix, not a crash
        raise GoldError(f"{gold_dir}: malformed answer key ({type(exc).__name__}: {exc})") from exc


def _evaluate(gold_dir: str | Path, corpus_dir: str | Path | None, resources: Resources | None) -> Report:
    gold = Path(gold_dir)
    if not gold.is_dir():
        raise GoldError(f"{gold}: no such answer-key folder")
    corpus = Path(corpus_dir) if corpus_dir else gold.resolve().parent.parent / "corpus"
    resources = resources or load_resources()
    report = Report()
    parts = {"seed": score_seed, "news": score_news, "national": score_national}
    found = False
    for name, scorer in parts.items():
        if (gold / name).is_dir():
            found = True
            scorer(gold, corpus, report, resources)
    if not found:
        raise GoldError(f"{gold}: holds none of seed/, news/, national/")
    return report


def format_report(report: Report, details: bool = True) -> str:
    lines = [f"{'item':<20}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}"]
    for name, s in report.scores.items():
        lines.append(f"{name:<20}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>5}{s.fn:>5}")
    for name, acc in report.accuracy.items():
        values = "  ".join(f"{a} {acc.value(a):.3f}" + (f" ({acc.keyed[a]})" if acc.keyed[a] != acc.total else "")
                           for a in ATTRIBUTES if acc.keyed[a])
        lines.append(f"{name} accuracy on {acc.total} matched: {values}")
    if details:
        for name, s in report.scores.items():
            for line in s.misses + s.extras:
                lines.append(f"  {line}")
        for acc in report.accuracy.values():
            for line in acc.wrong:
                lines.append(f"  {line}")
    return "\n".join(lines)
