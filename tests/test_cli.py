"""The command line: output contract, formats, bad input, help texts with examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from luoshi.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "示例市-2024.txt"


@pytest.fixture()
def runner():
    return CliRunner()


def test_cli_extract_json_contract(runner):
    result = runner.invoke(main, ["extract", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["kind"], doc["region"], doc["year"], doc["date"]) == ("report", "示例", 2024, "2024-01-10")
    text = SAMPLE.read_text(encoding="utf-8")
    by_text = {f["text"]: f for f in doc["facts"]}
    gdp = by_text["5.5%左右"]
    assert (gdp["status"], gdp["period"], gdp["indicator_id"], gdp["qualifier"]) == ("target", "2024", "gdp_growth", "左右")
    level = by_text["1234.5亿元"]
    assert (level["status"], level["period"], level["value_base"], level["qualifier"]) == ("actual", "2023", 1.2345e11, "达到")
    assert all(text[f["start"] : f["end"]] == f["text"] for f in doc["facts"])
    assert [s["part"] for s in doc["sections"] if s["level"] == 1] == ["review", "plan"]


def test_cli_extract_jsonl_facts_from_folder(runner, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("2023年，示例市新增企业120家。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("今年力争城镇新增就业3万人以上。", encoding="utf-8")
    result = runner.invoke(main, ["extract", str(tmp_path), "--format", "jsonl", "--what", "facts", "--year", "2024"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["text"], r["status"], r["path"].endswith(n)) for r, n in zip(rows, ["b.txt", "a.txt"])] == [
        ("3万人以上", "target", True), ("120家", "actual", True)]
    assert all(len(r["doc"]) == 16 for r in rows)


def test_cli_extract_markdown(runner):
    result = runner.invoke(main, ["extract", str(SAMPLE), "--format", "md"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# 示例市政府工作报告")
    assert "| 5.5%左右 | 5.5 | % | target | 2024 |" in result.stdout


def _bad_inputs(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (tmp_path / "notzip.docx").write_bytes(b"this is not a zip archive")
    (tmp_path / "scripts.html").write_text("<html><head><script>var a=1;</script><style>p{}</style></head><body><script>x()</script></body></html>", encoding="utf-8")
    (tmp_path / "truncated.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj << /Type /Pa")
    (tmp_path / "good.txt").write_text("2023年，示例市地区生产总值增长5.6%。", encoding="utf-8")
    return {"empty.txt": "empty", "binary.txt": "binary", "notzip.docx": "zip", "scripts.html": "no visible text",
            "truncated.pdf": "PDF"}


def test_cli_bad_input_reported_rest_processed(runner, tmp_path):
    expected = _bad_inputs(tmp_path)
    result = runner.invoke(main, ["extract", str(tmp_path), "--format", "jsonl", "--what", "facts"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected)
    for name, reason in expected.items():
        line = next(e for e in errors if name in e)
        assert str(tmp_path / name) in line and reason.lower() in line.lower()
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["5.6%"]


def test_cli_missing_path(runner, tmp_path):
    result = runner.invoke(main, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'nope.txt'}: no such file or folder" in result.stderr


def test_cli_eval_prints_scores(runner, gold_dev):
    result = runner.invoke(main, ["eval", str(gold_dev), "--no-details"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["item", "P", "R", "F1", "tp", "fp", "fn"]
    names = [line.split("  ")[0].strip() for line in lines[1:8]]
    assert names == ["facts", "keyword sections", "statements", "tasks", "news facts", "national targets", "national outcomes"]


def test_cli_eval_bad_folder(runner, tmp_path):
    result = runner.invoke(main, ["eval", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no such answer-key folder" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["extract", "eval"])
def test_cli_help_has_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


@pytest.mark.parametrize(
    ("files", "message"),
    [({"seed/structure.json": "{not json"}, "structure.json"),
     ({"national/targets.csv": "year,value\n2024,5\n", "national/outcomes.csv": "year\n"}, "malformed answer key")],
)
def test_cli_eval_malformed_keys(runner, tmp_path, files, message):
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_cli_bad_catalog(runner, tmp_path):
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("indicators: 5\n", encoding="utf-8")
    result = runner.invoke(main, ["extract", str(SAMPLE), "--catalog", str(catalog)])
    assert result.exit_code == 1
    assert "must be a list" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("make", ["binary", "empty", "folder", "blank"])
def test_cli_serve_refuses_a_bad_database(runner, tmp_path, make):
    target = tmp_path / "db.sqlite"
    if make == "binary":
        target.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    elif make == "empty":
        target.write_bytes(b"")
    elif make == "folder":
        target.mkdir()
    result = runner.invoke(main, ["serve", "--db", "" if make == "blank" else str(target)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "no such database" in result.output or "cannot open" in result.output
