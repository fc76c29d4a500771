"""The bad-input matrix: broken, hostile and merely unusual files given to the command line.

Each row is ingested beside a good document. A refused file must give exactly one line,
``error: PATH: reason``, exit code 1 and no traceback, and the database must hold exactly the
good documents with no row left of the bad one; a file that can be read is read. Hostile
files (a decompression bomb, a 100 MB text, HTML nested a million deep) run in a child
process whose peak memory (``ru_maxrss`` from ``os.wait4``) is held to a bound. Hypothesis
then throws random bytes and random text at ``ingest`` and checks the same promises.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import docx
import docx.oxml.ns
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from luoshi.cli import main
from luoshi.errors import message
from luoshi.io import read_file
from luoshi.io.limits import DEFAULT_LIMITS, describe_size
from luoshi.store.db import Database
from luoshi.store.schema import LAYER_TABLES

from conftest import NATIONAL, REPO
from hostile import (MB, SAMPLE, big_text, bomb_docx, deep_html, docx_of, inflation, lie_about_size, mixed_folder,
                     prefix_crc, ratio_bomb, replace_member, run_child, sample_text, scanned_pdf, truncated_pdf,
                     write, xml_heavy_docx, zip_not_docx)

SCHEDULER = os.environ.get("LUOSHI_TEST_DASK_SCHEDULER")


# --------------------------------------------------------------------------- helpers

def stored(db_path: Path) -> dict[str, str]:
    """path -> text of every document in the database."""
    with sqlite3.connect(db_path) as conn:
        return dict(conn.execute("SELECT path, text FROM documents"))


def orphan_rows(db_path: Path) -> int:
    """Rows of any layer whose document is not in the database (a half-written document)."""
    with sqlite3.connect(db_path) as conn:
        return sum(conn.execute(f"SELECT count(*) FROM {table.name} WHERE doc_id NOT IN "
                                f"(SELECT id FROM documents)").fetchone()[0] for table in LAYER_TABLES.values())


def ingest_in_process(paths: list[Path], db_path: Path, *options: str):
    result = CliRunner().invoke(main, ["ingest", *map(str, paths), "--db", str(db_path), "--jobs", "1",
                                       "--no-progress", *options])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    """The 2 GiB bomb and the same bomb with a directory that claims 1,000 bytes (built once)."""
    folder = tmp_path_factory.mktemp("bombs")
    honest = bomb_docx(folder / "bomb.docx")
    liar, crc_liar = folder / "lying-bomb.docx", folder / "crc-lying-bomb.docx"
    liar.write_bytes(honest.read_bytes())
    crc_liar.write_bytes(honest.read_bytes())
    crc = prefix_crc(honest, "word/document.xml", 1000)
    return {"honest": honest, "liar": lie_about_size(liar, "word/document.xml", 1000),
            "crc_liar": lie_about_size(crc_liar, "word/document.xml", 1000, crc)}


# --------------------------------------------------------------------------- the matrix: refused

def xml_bytes(path: Path) -> int:
    """What an archive's XML parts inflate to together, from its directory."""
    with zipfile.ZipFile(path) as archive:
        return sum(m.file_size for m in archive.infolist() if m.filename.endswith((".xml", ".rels")))


REFUSED = [
    pytest.param(write("empty.txt", b""), message("empty"), id="empty"),
    pytest.param(write("noise.txt", random.Random(12).randbytes(5000)), message("binary"), id="binary"),
    pytest.param(truncated_pdf, message("bad_pdf", detail="truncated"), id="pdf-truncated"),
    pytest.param(scanned_pdf, message("no_text_layer"), id="pdf-no-text-layer"),
    pytest.param(write("report.docx", "示例市地区生产总值增长5.5%。".encode()), message("not_zip"), id="docx-not-zip"),
    pytest.param(zip_not_docx, message("bad_docx", detail="There is no item named '[Content_Types].xml' in the archive"),
                 id="docx-zip-not-docx"),
    pytest.param(write("scripts.html", b"<html><body><script>var a = 1;</script><style>p{}</style></body></html>"),
                 message("html_no_text"), id="html-no-text"),
    pytest.param(ratio_bomb, lambda path: message("archive_ratio", ratio=inflation(path), limit=200,
                                                  hint=" raise it with --limit archive-ratio=N"), id="docx-ratio-bomb"),
    pytest.param(xml_heavy_docx, lambda path: message("archive_xml", size=describe_size(xml_bytes(path)), limit="16 MB",
                                                      hint=" raise it with --limit xml-size=SIZE"),
                 id="docx-xml-over-16MB"),
    pytest.param(big_text, message("too_large", size="100.0 MB", limit=describe_size(DEFAULT_LIMITS.file_size)),
                 id="txt-100MB"),
]


@pytest.mark.parametrize(("make", "reason"), REFUSED)
def test_bad_input_refused_file_is_one_line_and_the_good_document_is_stored(tmp_path, make, reason):
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "good.txt"
    good.write_text(sample_text(), encoding="utf-8")
    bad = make(folder)
    db = tmp_path / "luoshi.db"
    result = ingest_in_process([folder], db)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {bad}: {reason(bad) if callable(reason) else reason}"
    assert lines[1:] == ["1 ingested, 0 replaced, 0 unchanged, 1 failed"]
    assert "Traceback" not in result.output + result.stderr
    assert stored(db) == {str(good): sample_text()}
    assert orphan_rows(db) == 0


def test_bad_input_symlink_loops_and_broken_links_are_reported_not_followed(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    good = folder / "sub" / "good.txt"
    good.write_text(sample_text(), encoding="utf-8")
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)  # a folder loop
    (folder / "self.txt").symlink_to(folder / "self.txt")                   # a link to itself
    (folder / "gone.txt").symlink_to(folder / "never-written.txt")         # a broken link
    (folder / "z-again").symlink_to(folder / "sub", target_is_directory=True)  # the same folder twice: read once
    db = tmp_path / "luoshi.db"
    result = ingest_in_process([folder], db)
    assert result.exit_code == 1
    assert sorted(error_lines(result.stderr)) == sorted([
        f"error: {folder / 'gone.txt'}: {message('broken_link')}",
        f"error: {folder / 'self.txt'}: {message('link_loop')}",
        f"error: {folder / 'sub' / 'back'}: {message('link_loop')}",
    ])
    assert stored(db) == {str(good): sample_text()}
    # given explicitly, a looping link is named as one too, not "no such file"
    explicit = ingest_in_process([folder / "self.txt"], db)
    assert (explicit.exit_code, error_lines(explicit.stderr)) == (1, [f"error: {folder / 'self.txt'}: {message('link_loop')}"])


def test_bad_input_names_with_spaces_and_newlines(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    spaced = folder / "示例市 2024 report.txt"
    spaced.write_text(sample_text(), encoding="utf-8")
    newline = folder / "line\nbreak.txt"
    newline.write_bytes(random.Random(3).randbytes(3000))
    db = tmp_path / "luoshi.db"
    result = ingest_in_process([folder], db)
    assert result.exit_code == 1
    # the newline is written as \n, so the error stays on its line and names the file
    assert error_lines(result.stderr) == [f"error: {folder}/line\\nbreak.txt: {message('binary')}"]
    assert len(result.stderr.splitlines()) == 2
    assert stored(db) == {str(spaced): sample_text()}


def test_bad_input_a_name_too_long_for_the_file_system_is_one_line(tmp_path):
    path = tmp_path / ("长" * 200 + ".txt")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [f"error: {path}: " + message("unreadable", detail="File name too long")]


def test_bad_input_an_ideographic_space_in_a_name_is_shown_as_it_is(tmp_path):
    path = tmp_path / "示例市\u3000报告.txt"
    path.write_bytes(b"")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert error_lines(result.stderr) == [f"error: {path}: {message('empty')}"]


def test_bad_input_fifo_with_a_document_name_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["extract", str(fifo)])
    assert (result.exit_code, error_lines(result.stderr)) == (1, [f"error: {fifo}: {message('not_regular')}"])


# --------------------------------------------------------------------------- the matrix: read

def big5_text() -> str:
    """Traditional characters from the 1954 report, as far as Big5 can write them."""
    text = (NATIONAL / "1954.txt").read_text(encoding="utf-8")[:4000]
    return "".join(ch for ch in text if ch.encode("big5", errors="ignore") or ch == "\n")


def _encoded(codec: str, bom: bytes = b"", source=sample_text):
    def make() -> tuple[bytes, str]:
        text = source()
        return bom + text.encode(codec), text

    return make


READ = [
    pytest.param(_encoded("gbk"), id="gbk"),
    pytest.param(_encoded("gb18030"), id="gb18030"),
    pytest.param(_encoded("utf-8", codecs.BOM_UTF8), id="utf8-bom"),
    pytest.param(_encoded("utf-16-le", codecs.BOM_UTF16_LE), id="utf16le-bom"),
    pytest.param(_encoded("utf-16-be", codecs.BOM_UTF16_BE), id="utf16be-bom"),
    pytest.param(_encoded("utf-16-le"), id="utf16le-no-bom"),
    pytest.param(_encoded("utf-16-be"), id="utf16be-no-bom"),
    pytest.param(_encoded("big5", source=big5_text), id="big5", marks=pytest.mark.shared),
    # short texts the detector cannot be sure of: ASCII in UTF-16, a line of Chinese
    pytest.param(_encoded("utf-16-le", source=lambda: "GDP+5%"), id="utf16le-no-bom-ascii"),
    pytest.param(_encoded("utf-16-be", source=lambda: "CPI 3%"), id="utf16be-no-bom-ascii"),
    pytest.param(_encoded("utf-16-le", source=lambda: "示例市地区生产总值增长5.5%，城镇新增就业3万人。"),
                 id="utf16le-no-bom-one-line"),
    pytest.param(_encoded("utf-16-be", source=lambda: "一般公共预算收入增长6%。"), id="utf16be-no-bom-one-line"),
]


@pytest.mark.parametrize("make", READ)
def test_bad_input_encodings_are_read_and_stored_as_the_same_text(tmp_path, make):
    data, text = make()
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    db = tmp_path / "luoshi.db"
    result = ingest_in_process([path], db)
    assert (result.exit_code, result.stderr) == (0, "1 ingested, 0 replaced, 0 unchanged, 0 failed\n")
    assert stored(db) == {str(path): text}


@pytest.mark.parametrize(("stray", "where"), [(b"\x00", "NUL"), (b"\x1b", "ESC"), (b"\x7f", "DEL")])
def test_bad_input_a_stray_control_character_is_an_artefact_not_a_binary_file(tmp_path, stray, where):
    text = sample_text()
    cut = text.index("地区生产总值")
    path = tmp_path / f"{where}.txt"
    path.write_bytes(text[:cut].encode() + stray + text[cut:].encode())
    extracted = CliRunner().invoke(main, ["extract", str(path), "--format", "json"])
    assert extracted.exit_code == 0
    assert extracted.stderr == (f"warning: {path}: 1 control or undecodable character replaced by U+FFFD, the first "
                                f"at offset {cut} (kept as artefacts of type replaced_character)\n")
    clean = tmp_path / "clean.txt"
    clean.write_text(text, encoding="utf-8")
    facts = json.loads(extracted.stdout)["facts"]
    assert facts and [f["text"] for f in facts] == [
        f["text"] for f in json.loads(CliRunner().invoke(main, ["extract", str(clean)]).stdout)["facts"]]
    db = tmp_path / "luoshi.db"
    assert ingest_in_process([path], db).exit_code == 0
    stored_text = stored(db)[str(path)]
    assert stored_text == text[:cut] + "\ufffd" + text[cut:]  # one character for one: offsets hold
    with sqlite3.connect(db) as conn:
        (doc_id,), = conn.execute("SELECT id FROM documents").fetchall()
    loaded = Database(db)
    doc = loaded.load(doc_id)
    assert [(a.start, a.end, a.type) for a in doc.artefacts if a.type == "replaced_character"] == [
        (cut, cut + 1, "replaced_character")]
    loaded.close()


def test_bad_input_deeply_nested_html_is_read_in_bounded_memory(tmp_path):
    page = deep_html(tmp_path)
    code, out, err, rss = run_child("extract", str(page), "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["title"] == "示例市要闻"
    assert [f["text"] for f in document["facts"]] == ["5.5%", "3万人"]
    assert rss < 300 * MB


def test_bad_input_deep_html_without_a_closing_head_is_read(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><head><title>示例市要闻</title><body>" + "<div>" * 300 + "<p>示例市地区生产总值增长5.5%。</p>"
                    + "</div>" * 300, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(page)])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["title"], [f["text"] for f in document["facts"]]) == ("示例市要闻", ["5.5%"])


# --------------------------------------------------------------------------- memory bounds

def test_bad_input_docx_bomb_fails_in_bounded_memory(bombs):
    code, out, err, rss = run_child("extract", str(bombs["honest"]))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {bombs['honest']}: word/document.xml would inflate to 2.0 GB, more than the 64 MB limit for one "
        f"archive member (a decompression bomb? raise it with --limit member-size=SIZE)",
        "1 of 1 inputs failed"]
    assert "XML_PARSE_HUGE" not in err
    assert rss < 300 * MB


@pytest.mark.parametrize("liar", ["liar", "crc_liar"])
def test_bad_input_docx_bomb_with_a_lying_directory_fails_in_bounded_memory(bombs, liar):
    # the directory says 1,000 bytes (with, for crc_liar, the right CRC for those 1,000)
    code, _, err, rss = run_child("extract", str(bombs[liar]))
    assert code == 1
    assert error_lines(err) == [f"error: {bombs[liar]}: " + message(
        "archive_corrupt", member="word/document.xml", detail=message("member_longer", declared="1,000"))]
    assert rss < 300 * MB


def test_bad_input_docx_bomb_in_a_parallel_ingest_is_one_failure(bombs, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(sample_text(), encoding="utf-8")
    db = tmp_path / "luoshi.db"
    code, _, err, rss = run_child("ingest", str(good), str(bombs["honest"]), "--db", str(db), "--jobs", "2",
                                  "--no-progress")
    assert code == 1
    assert len(error_lines(err)) == 1 and "decompression bomb" in err
    assert stored(db) == {str(good): sample_text()}
    assert rss < 300 * MB  # the largest of the client and its workers, which it waits for


def xlsx_with_sheet(folder: Path, name: str, sheet_xml: str) -> Path:
    """An XLSX whose first sheet is ``sheet_xml`` (inside <sheetData>), the rest as openpyxl writes it."""
    from openpyxl import Workbook

    plain = folder / "plain.xlsx"
    Workbook().save(plain)
    with zipfile.ZipFile(plain) as archive:
        sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/"))
    xml = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main">{sheet_xml}</worksheet>')
    return replace_member(plain, folder / name, sheet, xml.encode())


ROW = ('<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>示例市</t></is></c><c r="B{n}" t="inlineStr"><is><t>gdp_growth'
       '</t></is></c><c r="C{n}" t="inlineStr"><is><t>2024-03</t></is></c><c r="D{n}"><v>{v}</v></c></row>')
HEADER = ('<row r="1">' + "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>'
                                  for c, h in zip("ABCD", ("region", "indicator_id", "period", "value"))) + "</row>")


def test_bad_input_xlsx_sheet_that_lies_about_its_size_or_holds_a_broken_cell(tmp_path):
    db = track_db(tmp_path)
    # 16,384 columns promised for 4,000 rows: read as the four columns there are
    padded = xlsx_with_sheet(tmp_path, "observations.xlsx", '<dimension ref="A1:XFD4000"/><sheetData>' + HEADER
                             + ROW.format(n=2, v="5.1") + "</sheetData>")
    loaded = CliRunner().invoke(main, ["track", "load", "observations", str(padded), "--db", db])
    assert loaded.exit_code == 0, loaded.stderr
    assert loaded.stderr == f"{padded}: observations loaded: 1 new, 0 replaced, 0 unchanged\n"
    broken = xlsx_with_sheet(tmp_path, "broken.xlsx", "<sheetData>" + HEADER + ROW.format(n=2, v="abc")
                             + "</sheetData>")
    result = CliRunner().invoke(main, ["track", "load", "observations", str(broken), "--db", db])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {broken}: not a readable XLSX (") and result.stderr.count("\n") == 1


def track_db(folder: Path) -> str:
    """A monitoring database holding the sample catalog, ready for observations."""
    db = str(folder / "track.db")
    loaded = CliRunner().invoke(main, ["track", "load", "catalog", str(REPO / "examples" / "track" / "monitor.yaml"),
                                       "--db", db])
    assert loaded.exit_code == 0, loaded.stderr
    return db


def test_bad_input_xlsx_bomb_for_track_is_refused_like_a_docx(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["region", "indicator_id", "period", "value"])
    book.active.append(["示例市", "gdp_growth", "2024-03", 5.1])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as archive:
        sheet = next(name for name in archive.namelist() if name.startswith("xl/worksheets/"))
    bomb = replace_member(plain, tmp_path / "observations.xlsx", sheet,
                          b'<?xml version="1.0"?><worksheet>' + b" " * (80 * MB) + b"</worksheet>")
    result = CliRunner().invoke(main, ["track", "load", "observations", str(bomb), "--db", track_db(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {bomb}: {sheet} would inflate to 80.0 MB, more than the 64 MB limit for one "
                             f"archive member (a decompression bomb?)\n")


def test_bad_input_xlsx_with_a_corrupt_member_is_one_line(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["region", "indicator_id", "period", "value"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    data = bytearray(plain.read_bytes())
    with zipfile.ZipFile(plain) as archive:
        member = archive.getinfo("docProps/app.xml")
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    data[start : start + 8] = b"\xff" * 8  # the deflate stream, broken
    broken = tmp_path / "observations.xlsx"
    broken.write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["track", "load", "observations", str(broken), "--db", track_db(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {broken}: " + message("archive_corrupt", member="docProps/app.xml",
                                                             detail=message("member_unterminated")) + "\n"


def test_bad_input_large_text_is_refused_before_it_is_read(tmp_path):
    path = big_text(tmp_path)
    code, _, err, rss = run_child("extract", str(path))
    assert code == 1
    assert error_lines(err) == [f"error: {path}: file is 100.0 MB, more than the 50 MB limit "
                                f"(raise it with --limit file-size=SIZE)"]
    assert rss < 150 * MB
    # raised past the file size, the text length limit still stops it, after decoding only
    code, _, err, rss = run_child("extract", str(path), "--limit", "file-size=200M")
    assert code == 1
    assert "more than the 10,000,000 limit (raise it with --limit text-chars=N)" in error_lines(err)[0]
    assert rss < 600 * MB


def test_bad_input_limits_are_configurable_and_checked(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(sample_text(), encoding="utf-8")
    size = path.stat().st_size
    small = CliRunner().invoke(main, ["extract", str(path), "--limit", "file-size=1K"])
    assert small.exit_code == 1
    assert error_lines(small.stderr) == [f"error: {path}: {message('too_large', size=describe_size(size), limit='1 KB')}"]
    assert CliRunner().invoke(main, ["extract", str(path), "--limit", "file-size=1M", "--limit", "text-chars=100000"]
                              ).exit_code == 0
    huge = CliRunner().invoke(main, ["extract", str(path), "--limit", "file-size=" + "9" * 400])
    assert huge.exit_code == 0  # a limit past any file is no limit, not an overflow
    assert CliRunner().invoke(main, ["extract", str(path), "--limit", "file-size=1.5K"]).stderr.startswith(
        f"error: {path}: {message('too_large', size=describe_size(size), limit='1.5 KB')}")
    for bad in ("size=1M", "file-size=", "file-size=lots", "text-chars=-3", "file-size=0.5", "text-chars=0"):
        wrong = CliRunner().invoke(main, ["extract", str(path), "--limit", bad])
        assert wrong.exit_code == 2 and "--limit" in wrong.stderr and "Traceback" not in wrong.stderr, bad
    assert "member-size" in "".join(CliRunner().invoke(main, ["ingest", "--help"]).output.split())


def test_bad_input_a_nul_in_a_corpus_record_is_stored_on_every_backend(tmp_path, database):
    from luoshi.batch import ingest

    corpus = tmp_path / "corpus.jsonl"
    text = sample_text()
    cut = text.index("地区生产总值")
    corpus.write_text(json.dumps({"text": text[:cut] + "\u0000" + text[cut:], "year": 2024}) + "\n", encoding="utf-8")
    summary = ingest([corpus], database, jobs=1)
    assert (summary.ingested, summary.failed) == (1, [])  # PostgreSQL cannot hold a NUL: it never gets one
    (row,) = database.rows("documents").records
    assert row["text"] == text[:cut] + "\ufffd" + text[cut:]


# --------------------------------------------------------------------------- a mixed folder, in parallel

def check_mixed(code: int, err: str, db: Path, good: list[Path], bad: list[Path]) -> None:
    assert code == 1
    assert "Traceback" not in err
    lines = error_lines(err)
    assert len(lines) == len(bad)
    for path in bad:  # each bad file on exactly one line, by name
        assert sum(line.startswith(f"error: {path}") for line in lines) == 1, path
    assert err.splitlines()[-1] == f"3 ingested, 0 replaced, 0 unchanged, {len(bad)} failed"
    assert {Path(p).name for p in stored(db)} == {p.name for p in good}
    assert orphan_rows(db) == 0


def test_bad_input_mixed_folder_with_two_worker_processes(tmp_path):
    good, bad = mixed_folder(tmp_path / "in")
    db = tmp_path / "luoshi.db"
    code, _, err, _ = run_child("ingest", str(tmp_path / "in"), "--db", str(db), "--jobs", "2", "--no-progress")
    check_mixed(code, err, db, good, bad)


@pytest.mark.skipif(not SCHEDULER, reason="LUOSHI_TEST_DASK_SCHEDULER not set")
def test_bad_input_mixed_folder_on_dask_workers(tmp_path):
    good, bad = mixed_folder(tmp_path / "in")
    db = tmp_path / "luoshi.db"
    code, _, err, _ = run_child("ingest", str(tmp_path / "in"), "--db", str(db), "--engine", "dask",
                                "--scheduler", SCHEDULER, "--no-progress")
    check_mixed(code, err, db, good, bad)


# --------------------------------------------------------------------------- outputs

def test_bad_input_extract_json_several_documents_is_one_json_array(tmp_path):
    good, bad = mixed_folder(tmp_path / "in")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "in"), "--format", "json"])
    assert result.exit_code == 1
    documents = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in documents] == [p.name for p in good]
    one = CliRunner().invoke(main, ["extract", str(good[0]), "--format", "json"])
    assert json.loads(one.stdout)["path"] == str(good[0])  # one file: its object, as DESIGN's contract says
    two = CliRunner().invoke(main, ["extract", str(good[0]), str(good[1]), "--format", "json"])
    assert [d["path"] for d in json.loads(two.stdout)] == [str(good[0]), str(good[1])]


def test_bad_input_extract_on_a_folder_without_documents_says_so(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert result.stderr.startswith("no documents found")


def test_bad_input_targets_on_an_empty_database_says_so(tmp_path):
    db = tmp_path / "empty.db"
    Database(db).close()
    result = CliRunner().invoke(main, ["targets", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{db} holds no documents yet" in result.stderr and "luoshi ingest" in result.stderr
    ingest_in_process([SAMPLE], db)
    nothing = CliRunner().invoke(main, ["targets", "--db", str(db), "--indicator", "no_such_indicator"])
    assert nothing.exit_code == 0
    assert nothing.stderr == f"no targets for indicator no_such_indicator in {db}\n"


# --------------------------------------------------------------------------- the API

@pytest.mark.parametrize("query", ["limit=-5", "limit=100000000", "offset=-1", "page=-1", "per_page=0", "per_page=500"])
def test_bad_input_api_parameters_are_validated_alike(tmp_path, query):
    from fastapi.testclient import TestClient

    from luoshi.web.app import Settings, create_app

    db = tmp_path / "luoshi.db"
    ingest_in_process([SAMPLE], db)
    client = TestClient(create_app(Settings(db=str(db))))
    for endpoint in ("/api/documents", "/api/facts", "/api/targets", "/api/search?q=示例"):
        response = client.get(f"{endpoint}{'&' if '?' in endpoint else '?'}{query}")
        assert response.status_code == 422, (endpoint, query)
        error = response.json()["error"]
        assert (error["code"], error["status"]) == ("E422", 422)
        name = query.split("=")[0]
        assert name in error["message"]
        if name in ("limit", "offset"):
            assert f"use {'per_page' if name == 'limit' else 'page'}" in error["message"]
    assert client.get("/api/documents?page=1&per_page=5").status_code == 200


# --------------------------------------------------------------------------- more hostile shapes

def test_bad_input_docx_table_cell_spanning_fifty_million_columns_is_read_in_bounded_memory(tmp_path):
    path = docx_of(tmp_path / "table.docx", "示例市地区生产总值增长5.5%。")
    document = docx.Document(str(path))
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "目标"
    table.cell(1, 0).text, table.cell(1, 1).text = "城镇新增就业", "3万人"
    table.cell(1, 0).merge(table.cell(2, 0))  # a vertical merge: its text once
    span = table.rows[0].cells[0]._tc.get_or_add_tcPr()
    span.append(span.makeelement(docx.oxml.ns.qn("w:gridSpan"), {docx.oxml.ns.qn("w:val"): "50000000"}))
    document.save(str(path))
    code, out, err, rss = run_child("extract", str(path), "--format", "json")
    assert (code, err) == (0, "")
    text_of = json.loads(out)
    assert [f["text"] for f in text_of["facts"]] == ["5.5%", "3万人"]
    assert rss < 300 * MB


def test_bad_input_hostile_jsonl_lines_are_each_one_error(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    good = json.dumps({"text": sample_text()}, ensure_ascii=False)
    lines = [good, "[" * 100_000, '{"text": "x", "n": ' + "9" * 5000 + "}", json.dumps({"text": "a\ud800b"}),
             json.dumps({"text": "示例", "year": 10**30}), json.dumps({"text": "示例", "year": "99999"})]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "luoshi.db"
    result = ingest_in_process([corpus], db)
    assert result.exit_code == 1
    reported = [line.split(": ", 2)[1] for line in error_lines(result.stderr)]
    assert reported == [f"{corpus}#{n}" for n in (2, 3, 5, 6)]
    assert "Traceback" not in result.stderr
    # a lone surrogate is a character that cannot be stored: replaced, like a control character
    assert sorted(stored(db).values()) == sorted([sample_text(), "a\ufffdb"])
    assert orphan_rows(db) == 0


def test_bad_input_html_too_deep_with_unclosed_comments_and_tags_is_read_in_time(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>示例市要闻</title><font>" + "<div>" * 300 + "<p>示例市地区生产总值增长5.5%。</p>"
                    + "<a" * 20_000 + " 城镇新增就业3万人。" + "<!--" * 20_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(page)])
    assert result.exit_code == 0
    assert [f["text"] for f in json.loads(result.stdout)["facts"]] == ["5.5%", "3万人"]


def test_bad_input_a_name_that_is_not_utf8_is_one_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "good.txt"
    good.write_text(sample_text(), encoding="utf-8")
    bad = Path(os.fsdecode(bytes(folder) + b"/\xb1\xa8\xb8\xe6.txt"))  # 报告, in GBK bytes
    bad.write_text(sample_text(), encoding="utf-8")
    db = tmp_path / "luoshi.db"
    result = ingest_in_process([folder], db)
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [f"error: {folder}/\\udcb1\\udca8\\udcb8\\udce6.txt: {message('not_utf8_name')}"]
    assert stored(db) == {str(good): sample_text()}


def test_bad_input_docx_with_an_empty_member_is_read(tmp_path):
    path = docx_of(tmp_path / "base.docx", "示例市地区生产总值增长5.5%。")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("customXml/empty.bin", b"")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.stderr
    assert [f["text"] for f in json.loads(result.stdout)["facts"]] == ["5.5%"]


def test_bad_input_database_or_years_out_of_range_are_one_line(tmp_path):
    long_db = tmp_path / ("库" * 200 + ".db")
    result = CliRunner().invoke(main, ["targets", "--db", str(long_db)])
    assert (result.exit_code, result.stderr) == (1, f"Error: {long_db}: File name too long\n")
    years = CliRunner().invoke(main, ["targets", "--from", "9" * 30])
    assert years.exit_code == 2 and "--from" in years.stderr and "Traceback" not in years.stderr


# --------------------------------------------------------------------------- properties

SUFFIXES = [".txt", ".md", ".html", ".docx", ".pdf", ".jsonl"]
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_ingest_of(files: dict[str, bytes]) -> None:
    """Ingest ``files`` (name -> bytes): no exception past the CLI, exit 0 or 1, every file either
    stored or reported, never both, and no row left of a document that is not stored."""
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "in"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        db = Path(temp) / "luoshi.db"
        result = ingest_in_process([folder], db)
        assert result.exit_code in (0, 1)
        assert "Traceback" not in result.stderr
        reported = {line.split(": ", 2)[1].split("#")[0] for line in error_lines(result.stderr)}
        documents = stored(db)
        kept = {path.split("#")[0] for path in documents}
        for name in files:
            path = str(folder / name)
            if name.endswith(".jsonl"):  # a corpus may be partly stored, partly reported, line by line
                assert path in reported or path in kept, name
            elif path not in kept:  # reported, or the same text as a file stored under another name
                assert path in reported or read_file(path)[0].text in documents.values(), name
            else:
                assert path not in reported, name
        assert orphan_rows(db) == 0


@PROPERTY
@given(st.dictionaries(st.sampled_from([f"f{n}{s}" for n in range(3) for s in SUFFIXES]),
                       st.binary(max_size=3000), min_size=1, max_size=4))
def test_bad_input_random_bytes_never_break_ingest(files):
    check_ingest_of(files)


@PROPERTY
@given(st.text(max_size=2000), st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_bad_input_random_unicode_never_breaks_ingest(text, codec):
    data = text.encode(codec, errors="replace")
    record = json.dumps({"text": text}, ensure_ascii=bool(len(text) % 2)).encode()
    check_ingest_of({"random.txt": data, "random.html": data, "random.jsonl": record + b"\n" + data})
