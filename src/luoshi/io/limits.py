"""How much one input may hold before it is refused: file size, text length, and what an
archive (DOCX, XLSX) may inflate to.

Every limit is checked before the expensive step it guards — the file's size by ``stat``
before it is read, an archive's members from its directory (and then by inflating each in
bounded chunks) before any library parses one — so a refused file costs milliseconds and
little memory. The defaults are far above any real report
(a national report is ~100 KB of text, its DOCX ~1 MB of XML) and each can be raised on the
command line: ``--limit file-size=200M``.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation

from luoshi.errors import LuoshiError, ReadError, message

_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", re.IGNORECASE)


class LimitError(LuoshiError):
    """A ``--limit`` option that names no limit or gives no number."""

    code = "E110"


@dataclass(frozen=True)
class ReadLimits:
    # bytes of one input file (JSONL is exempt: it is read a record at a time)
    file_size: int = 50 * 1024**2
    # characters of one document's text (a file, or one JSONL record)
    text_chars: int = 10_000_000
    # bytes one archive member may inflate to (DOCX's word/document.xml, an XLSX sheet)
    member_size: int = 64 * 1024**2
    # bytes the XML parts of an archive may inflate to together: they are parsed into trees,
    # which cost 10-40 times their size in memory (a national report's are under 1 MB)
    xml_size: int = 16 * 1024**2
    # bytes all members of an archive may inflate to together
    archive_size: int = 256 * 1024**2
    # inflated / compressed size of the whole archive (real Office files: 3–20)
    archive_ratio: int = 200

    def with_options(self, options: tuple[str, ...] | list[str]) -> "ReadLimits":
        """These limits with ``NAME=VALUE`` options applied (``file-size=200M``, ``archive-ratio=500``)."""
        changes = {}
        for option in options:
            name, _, value = option.partition("=")
            field = name.strip().replace("-", "_")
            if field not in LIMIT_NAMES or not value:
                raise LimitError(message("limit_name", option=option, names=", ".join(_option_names())))
            changes[field] = _parse_amount(value, option)
        return replace(self, **changes)


DEFAULT_LIMITS = ReadLimits()
LIMIT_NAMES = tuple(f.name for f in fields(ReadLimits))


def _option_names() -> list[str]:
    return [name.replace("_", "-") for name in LIMIT_NAMES]


def _parse_amount(value: str, option: str) -> int:
    match = _SIZE.fullmatch(value)
    try:
        amount = int(Decimal(match.group(1)) * _UNITS[match.group(2).lower()]) if match else 0
    except InvalidOperation:  # more digits than a Decimal holds
        amount = 0
    if amount < 1:
        raise LimitError(message("limit_value", option=option))
    return amount


def describe_size(size: int) -> str:
    """A byte count as people write it: 2.0 GB, 64 MB, 12 KB, 900 bytes (×1024 units)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            amount = size / factor
            return f"{amount:.0f} {unit}" if amount == int(amount) else f"{amount:.1f} {unit}"
    return f"{size} bytes"


def check_file_size(size: int, path: str, limits: ReadLimits) -> None:
    if size > limits.file_size:
        raise ReadError(path, message("too_large", size=describe_size(size), limit=describe_size(limits.file_size)))


def check_text(text: str, path: str, limits: ReadLimits) -> str:
    if len(text) > limits.text_chars:
        raise ReadError(path, message("too_long", chars=f"{len(text):,}", limit=f"{limits.text_chars:,}"))
    return text


def check_archive(data: bytes, path: str, limits: ReadLimits, configurable: bool = True) -> None:
    """Refuse an archive (DOCX, XLSX; ``data`` is the whole file) that would inflate past the
    limits, or whose directory does not tell the truth about its members, before any library
    inflates it.

    The directory's sizes are checked first, then each member's compressed data is inflated in
    bounded chunks to its declared size, to prove that the stream ends there. Both steps are
    needed: ``zipfile``, asked for a whole member (as python-docx asks), inflates all of its
    data in one call before it compares the result with the declared size, so a directory that
    under-states a member (even with the right CRC for the part it states) puts gigabytes in
    memory.
    """
    def hint(option: str) -> str:
        return f" raise it with --limit {option}" if configurable else ""

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ReadError(path, message("bad_archive", detail=str(exc) or type(exc).__name__)) from exc
    total = xml = 0
    for member in members:
        if member.file_size > limits.member_size:
            raise ReadError(path, message("archive_member", member=member.filename,
                                          size=describe_size(member.file_size),
                                          limit=describe_size(limits.member_size), hint=hint("member-size=SIZE")))
        total += member.file_size
        xml += member.file_size if member.filename.lower().endswith(_XML_PARTS) else 0
    if xml > limits.xml_size:
        raise ReadError(path, message("archive_xml", size=describe_size(xml), limit=describe_size(limits.xml_size),
                                      hint=hint("xml-size=SIZE")))
    if total > limits.archive_size:
        raise ReadError(path, message("archive_total", size=describe_size(total),
                                      limit=describe_size(limits.archive_size), hint=hint("archive-size=SIZE")))
    # a small archive may compress well for honest reasons (an empty template): the ratio
    # only counts once there is something worth inflating
    if total > 8 * 1024**2 and total > len(data) * limits.archive_ratio:
        raise ReadError(path, message("archive_ratio", ratio=total // max(len(data), 1),
                                      limit=limits.archive_ratio, hint=hint("archive-ratio=N")))
    for member in members:
        problem = _member_problem(data, member)
        if problem:
            raise ReadError(path, message("archive_corrupt", member=member.filename, detail=problem))


_CHUNK = 1024**2
_XML_PARTS = (".xml", ".rels", ".vml")
_LOCAL_HEADER = b"PK\x03\x04"


def _member_problem(data: bytes, member: zipfile.ZipInfo) -> str | None:
    """Why ``member``'s stored data is not what the directory says (None: it is)."""
    if member.flag_bits & 0x1:
        return message("member_encrypted")
    offset = member.header_offset
    if data[offset : offset + 4] != _LOCAL_HEADER:
        return message("member_missing")
    start = offset + 30 + int.from_bytes(data[offset + 26 : offset + 28], "little") \
        + int.from_bytes(data[offset + 28 : offset + 30], "little")
    raw = memoryview(data)[start : start + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED or (member.file_size == 0 and not raw):
        inflated = len(raw)  # stored as it is; or empty, which a zip may deflate to no data at all
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        inflated = _inflated_size(raw, member.file_size)
        if inflated is None:
            return message("member_unterminated")
    else:  # bzip2, lzma: no Office program writes them, and each would need its own bound
        return message("member_method", method=member.compress_type)
    if inflated > member.file_size:
        return message("member_longer", declared=f"{member.file_size:,}")
    if inflated != member.file_size:
        return message("member_shorter", declared=f"{member.file_size:,}", actual=f"{inflated:,}")
    return None


def _inflated_size(raw: memoryview, declared: int) -> int | None:
    """How many bytes the deflate stream ``raw`` inflates to, counting no further than
    ``declared + 1`` (one more than the directory says, to catch a lie) and holding at most
    one chunk in memory; None if the stream is broken or does not end."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    inflated = position = 0
    pending: bytes | memoryview = b""
    try:
        while not inflater.eof and inflated <= declared:
            if not pending and position < len(raw):
                pending = raw[position : position + _CHUNK]
                position += _CHUNK
            # max_length bounds the output of one call; 0 would mean no bound, hence >= 1
            output = inflater.decompress(pending, min(_CHUNK, declared + 1 - inflated))
            if not output and not pending:
                break  # all input given, nothing more comes out: the stream does not end
            inflated += len(output)
            pending = inflater.unconsumed_tail
    except zlib.error:
        return None
    if inflated > declared:
        return inflated
    return inflated if inflater.eof else None
