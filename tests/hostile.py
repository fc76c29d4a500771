"""Hostile and broken files for the bad-input tests and benchmark, made on the spot (none is
committed): decompression bombs, a 100 MB text, HTML nested 300,000 deep, a scanned PDF; and
``run_child``, which runs ``luoshi`` in a child process and reads its peak memory."""

from __future__ import annotations

import random
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import docx
from fpdf import FPDF

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "examples" / "示例市-2024.txt"
MB = 1024**2


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


# Linux keeps a process's peak RSS across exec, so a child forked straight from this (large)
# test process would report this process's peak: a small launcher forks the measured command
# and reports its ``ru_maxrss`` (from ``os.wait4``) on its last stderr line.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
sys.stderr.write(f"\\nmaxrss={usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_child(*args: str) -> tuple[int, str, str, int]:
    """``luoshi ARGS`` in a child process: (exit code, stdout, stderr, peak RSS in bytes). The
    peak is the largest of the process and the children it waited for (``--jobs`` workers)."""
    result = subprocess.run([sys.executable, "-c", LAUNCHER, sys.executable, "-m", "luoshi", *args],
                            capture_output=True, text=True, timeout=600)
    err, _, peak = result.stderr.rpartition("\nmaxrss=")
    return result.returncode, result.stdout, err, int(peak) * 1024


def write(name: str, data: bytes):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def make_pdf(path: Path, text: str | None) -> Path:
    pdf = FPDF()
    pdf.add_page()
    if text is None:  # a scan: marks on the page, no text layer
        pdf.rect(20, 20, 120, 60, style="F")
    else:
        pdf.set_font("Helvetica", size=12)
        pdf.cell(text=text)
    pdf.output(str(path))
    return path


def truncated_pdf(folder: Path) -> Path:
    data = make_pdf(folder / "whole.pdf.tmp", "GDP grew 5.2% in 2023").read_bytes()
    (folder / "whole.pdf.tmp").unlink()
    return write("truncated.pdf", data[: len(data) * 6 // 10])(folder)


def scanned_pdf(folder: Path) -> Path:
    return make_pdf(folder / "scanned.pdf", None)


def zip_not_docx(folder: Path) -> Path:
    path = folder / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return path


def docx_of(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def replace_member(source: Path, target: Path, member: str, data: bytes) -> Path:
    """A copy of the zip ``source`` with ``member``'s content replaced (deflated, level 9)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == member else old.read(info.filename))
    return target


def lie_about_size(path: Path, member: str, claimed: int, crc: int | None = None) -> Path:
    """Rewrite the central directory so that ``member`` claims ``claimed`` bytes uncompressed
    (and, given ``crc``, that CRC-32: the right one for the part it claims makes the lie hold
    up to ``zipfile``'s own checks)."""
    data = bytearray(path.read_bytes())
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + name_length] == member.encode():
            data[position + 24 : position + 28] = claimed.to_bytes(4, "little")
            if crc is not None:
                data[position + 16 : position + 20] = crc.to_bytes(4, "little")
        position += 4
    path.write_bytes(bytes(data))
    return path


def prefix_crc(path: Path, member: str, size: int) -> int:
    """The CRC-32 of the first ``size`` inflated bytes of ``member``."""
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        return zlib.crc32(stream.read(size))


# word/document.xml around one text run
XML_OPEN = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            b'main"><w:body><w:p><w:r><w:t>')
XML_CLOSE = b"</w:t></w:r></w:p></w:body></w:document>"


def bomb_docx(path: Path, inflated: int = 2 * 1024**3) -> Path:
    """A valid DOCX whose word/document.xml inflates from ~2 MB to ``inflated`` bytes."""
    docx_of(path.with_suffix(".tmp"), "x")
    with zipfile.ZipFile(path.with_suffix(".tmp")) as old, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for info in old.infolist():
            if info.filename != "word/document.xml":
                new.writestr(info.filename, old.read(info.filename))
        with new.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(XML_OPEN)
            chunk = b" " * (16 * MB)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
            member.write(XML_CLOSE)
    path.with_suffix(".tmp").unlink()
    return path


def spaces_docx(path: Path, megabytes: int) -> Path:
    """A DOCX whose document.xml is one text run of ``megabytes`` MB of spaces."""
    base = docx_of(path.with_suffix(".tmp"), "x")
    replace_member(base, path, "word/document.xml", XML_OPEN + b" " * (megabytes * MB) + XML_CLOSE)
    base.unlink()
    return path


def ratio_bomb(folder: Path) -> Path:
    """Inflates 1,000 times: within every size limit, but far beyond any real Office file."""
    return spaces_docx(folder / "ratio.docx", 12)


def xml_heavy_docx(folder: Path) -> Path:
    """A document.xml of 20 MB: over the XML limit, under every other."""
    return spaces_docx(folder / "heavy.docx", 20)


def inflation(path: Path) -> int:
    """How many times its size an archive inflates to, from its directory."""
    with zipfile.ZipFile(path) as archive:
        return sum(member.file_size for member in archive.infolist()) // path.stat().st_size


def big_text(folder: Path) -> Path:
    path = folder / "big.txt"
    block = sample_text().encode()
    with open(path, "wb") as handle:
        for _ in range(100 * MB // len(block) + 1):
            handle.write(block)
    return path


def deep_html(folder: Path, depth: int = 300_000) -> Path:
    path = folder / "deep.html"
    path.write_text("<html><head><title>示例市要闻</title></head><body>" + "<div>" * depth
                    + "<p>示例市地区生产总值增长5.5%。</p><script>var hidden = 1;</script>" + "</div>" * depth
                    + "<p>城镇新增就业3万人。</p></body></html>", encoding="utf-8")
    return path


def mixed_folder(folder: Path) -> tuple[list[Path], list[Path]]:
    """Three good documents (txt, docx, html) and six bad ones of as many kinds."""
    folder.mkdir()
    text = sample_text()
    good = [write("a-good.txt", text.encode())(folder),
            docx_of(folder / "b-good.docx", *text.splitlines()[:20]),
            write("c-good.html", f"<html><body><p>{next(line for line in text.splitlines() if '增长' in line)}</p>"
                  f"</body></html>".encode())(folder)]
    bad = [write("d-empty.txt", b"")(folder), write("e-noise.txt", random.Random(5).randbytes(4000))(folder),
           truncated_pdf(folder), write("g-fake.docx", b"not a zip")(folder), scanned_pdf(folder),
           write("i-bad.jsonl", b'{"text": 5}\n')(folder)]
    return good, bad
