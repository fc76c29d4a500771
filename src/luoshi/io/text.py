"""Bytes -> str for text files: BOM, strict UTF-8, a declared charset, then detection.

The decoded text is the document text: only newlines are normalized (``\\r\\n`` and
``\\r`` become ``\\n``) and a stray control character (a NUL from a broken export, an
escape code) becomes U+FFFD, one character for one, so offsets still match the file's
characters; structure records each as a ``replaced_character`` artefact. A file with more than
1% control characters is not text at all ("looks like a binary file").
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path


from luoshi.errors import ReadError, message
from luoshi.model import Document
from luoshi.io.limits import DEFAULT_LIMITS, ReadLimits, check_text
from luoshi.io.paths import read_bytes

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Detector answers that are the GB family: decoded as GB18030, their superset.
_GB_FAMILY = frozenset({"gb2312", "gbk", "cp936", "ms936", "euc_cn", "hz", "gb18030"})
# Other CJK legacy answers: GB18030 wins if it decodes strictly and the detector,
# restricted to GB18030, finds that reading no messier (a real Big5 text stays Big5).
_OTHER_CJK = frozenset({
    "big5", "big5hkscs", "cp950", "cp949", "euc_kr", "johab", "iso2022_kr",
    "euc_jp", "euc_jis_2004", "euc_jisx0213", "shift_jis", "shift_jis_2004",
    "shift_jisx0213", "cp932", "iso2022_jp",
})

# C0/C1 control characters other than tab, newline, vertical tab, form feed, carriage return.
_CONTROLS = r"\x00-\x08\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
# and lone surrogates, which only a JSON string can write
_UNSTORABLE = re.compile(f"[{_CONTROLS}\ud800-\udfff]")
# Text holds at most 1% control characters; a short text may hold a handful (up to 8), but
# never one in ten — UTF-16 read as bytes has a NUL in every other byte of its ASCII.
_MAX_CONTROL_RATIO = 0.01
_FEW_CONTROLS = 8
_SHORT_TEXT_RATIO = 0.1
REPLACEMENT = "\ufffd"


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def replace_controls(text: str) -> str:
    """Each stray control character, and each lone surrogate (which a JSON string can write
    as ``\\ud800``), as U+FFFD: a database cannot hold NUL, nor UTF-8 a lone surrogate."""
    return _UNSTORABLE.sub(REPLACEMENT, text)


def _few(controls: int, length: int) -> bool:
    return controls <= max(min(_FEW_CONTROLS, length * _SHORT_TEXT_RATIO), length * _MAX_CONTROL_RATIO)


def _few_controls(text: str) -> bool:
    return _few(len(_CONTROL.findall(text)), len(text))


def _codec_name(name: str) -> str:
    return name.lower().replace("-", "_")


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_binary(data: bytes) -> bool:
    return not _few(len(_CONTROL_BYTES.findall(data)), len(data))


def _zero_parity_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM whose text is largely ASCII: a NUL in every other byte, all of
    them at odd offsets (little-endian) or all at even ones (big-endian). Too short for the
    detector to be sure, but not ambiguous."""
    if len(data) % 2 or data.count(0) < len(data) // 4:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if even and odd:
        return None
    return _strict(data, "utf-16-le" if odd else "utf-16-be")


def _prefer_gb18030(data: bytes, best) -> bool:
    import charset_normalizer  # only when a file is not UTF-8: keeps start-up light

    encoding = _codec_name(best.encoding)
    if encoding in _GB_FAMILY:
        return _strict(data, "gb18030") is not None
    if encoding in _OTHER_CJK and _strict(data, "gb18030") is not None:
        gb = charset_normalizer.from_bytes(data, cp_isolation=["gb18030"]).best()
        return gb is not None and gb.chaos <= best.chaos
    return False


def _detect(data: bytes, path: str) -> str:
    import charset_normalizer  # only when a file is not UTF-8: keeps start-up light

    sample = data
    best = charset_normalizer.from_bytes(data).best()
    wide = best is not None and _codec_name(best.encoding).startswith(("utf_16", "utf_32"))
    if not wide and not _looks_binary(data) and _CONTROL_BYTES.search(data):
        # a few stray control bytes say nothing about the encoding but can mislead the
        # detector; in UTF-16 they are half of its characters, so they stay there
        sample = _CONTROL_BYTES.sub(b"", data)
        best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        raise ReadError(path, message("binary" if _looks_binary(data) else "undecodable"))
    encoding = _codec_name(best.encoding)
    if _looks_binary(data) and not encoding.startswith(("utf_16", "utf_32")):
        raise ReadError(path, message("binary"))
    if _prefer_gb18030(sample, best):
        encoding = "gb18030"
    text = _strict(data, encoding)
    if text is None:
        raise ReadError(path, message("undecodable"))
    return text


def _finish(text: str, path: str) -> str:
    if not text.strip():
        raise ReadError(path, message("empty"))
    if not _few_controls(text):
        raise ReadError(path, message("binary"))
    return replace_controls(normalize_newlines(text))


def decode_bytes(data: bytes, path: str | Path = "<bytes>", *, declared: str | None = None) -> str:
    """Decode a text file's bytes; raise ReadError (empty, binary, undecodable).

    Order: a BOM decides (and is removed); strict UTF-8; the ``declared`` charset (e.g. an
    HTML ``<meta charset>``; GB2312/GBK are read as GB18030); charset-normalizer detection,
    preferring GB18030 for Chinese legacy bytes.
    """
    path = str(path)
    if not data.strip(b" \t\r\n\f\v"):
        raise ReadError(path, message("empty"))
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], codec)
            if text is None:
                raise ReadError(path, message("undecodable"))
            return _finish(text, path)
    # UTF-16 without a BOM can be valid UTF-8 full of NULs: such a reading is not taken
    text = _strict(data, "utf-8")
    if text is not None and not _few_controls(text):
        text = None
    if text is None and declared:
        codec = _codec_name(declared)
        if codec in _GB_FAMILY:
            codec = "gb18030"
        if not codec.startswith(("utf_16", "utf_32")) and not _looks_binary(data):
            text = _strict(data, codec)
    if text is None:
        text = _zero_parity_utf16(data) or _detect(data, path)
    return _finish(text, path)


def read_text(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    """A plain-text file (.txt, .text, .md) as one Document."""
    text = check_text(decode_bytes(read_bytes(path, limits), path), str(path), limits)
    return Document(text=text, path=str(path))
