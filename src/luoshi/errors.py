"""Named exceptions and the user-facing messages, with codes that appear in logs and API errors."""

from __future__ import annotations

import unicodedata


class LuoshiError(Exception):
    """Base class: a problem the user can act on; the CLI prints it without a traceback."""

    code = "E000"


class ReadError(LuoshiError):
    """A file could not be read as a document (empty, binary, truncated, wrong type)."""

    code = "E100"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self):
        # a worker process sends it back to the parent: rebuild it from both fields
        return type(self), (self.path, self.reason)


class DataFileError(LuoshiError):
    """A packaged or user data file (catalog, lexicon) is malformed."""

    code = "E200"


class GoldError(LuoshiError):
    """An answer-key folder is missing or malformed."""

    code = "E300"


MESSAGES = {
    "empty": "file is empty",
    "binary": "looks like a binary file, not text",
    "undecodable": "cannot detect the text encoding",
    "no_text": "no text found",
    "not_zip": "not a valid DOCX (not a zip archive)",
    "bad_docx": "not a valid DOCX ({detail})",
    "bad_pdf": "not a readable PDF ({detail})",
    "no_text_layer": "PDF has no text layer (scanned?)",
    "html_no_text": "HTML page has no visible text",
    "unsupported": "unsupported file type '{suffix}' (txt, html, docx, pdf, jsonl)",
    "missing": "no such file or folder",
    "unreadable": "cannot read file ({detail})",
    "bad_jsonl": "line {line}: {detail}",
    "too_large": "file is {size}, more than the {limit} limit (raise it with --limit file-size=SIZE)",
    "too_long": "text has {chars} characters, more than the {limit} limit (raise it with --limit text-chars=N)",
    "archive_member": ("{member} would inflate to {size}, more than the {limit} limit for one archive member "
                       "(a decompression bomb?{hint})"),
    "archive_xml": ("its XML parts would inflate to {size}, more than the {limit} limit "
                    "(a decompression bomb?{hint})"),
    "archive_total": ("the archive would inflate to {size}, more than the {limit} limit "
                      "(a decompression bomb?{hint})"),
    "archive_ratio": ("the archive would inflate to {ratio} times its size, more than the limit of {limit} "
                      "(a decompression bomb?{hint})"),
    "bad_archive": "not a readable zip archive ({detail})",
    "archive_corrupt": "not a valid archive: {member} {detail}",
    "member_encrypted": "is encrypted",
    "member_missing": "is not where the archive's directory says",
    "member_unterminated": "is corrupt: its compressed data is broken or cut short",
    "member_method": "uses compression method {method}, which Office files do not use",
    "member_longer": "inflates past the {declared} bytes the archive's directory declares (a decompression bomb?)",
    "member_shorter": "inflates to {actual} bytes, not the {declared} the archive's directory declares",
    "member_crc": "is corrupt: its data does not match the archive's directory",
    "xml_limit": "its XML is nested too deeply or holds a text too long for a document",
    "record_too_long": '"text" has {chars} characters, more than the {limit} limit (raise it with --limit text-chars=N)',
    "line_too_long": ("longer than {longest} bytes, the most a record of {limit} characters can take "
                      "(raise it with --limit text-chars=N)"),
    "limit_name": "--limit {option!r}: expected NAME=VALUE with NAME one of {names}",
    "limit_value": "--limit {option!r}: the value must be a number that comes to at least 1, optionally with K, M or G (×1024)",
    "replaced": ("{count} control or undecodable character{s} replaced by U+FFFD, the first at offset {first} "
                 "(kept as artefacts of type replaced_character)"),
    "no_documents": "no documents found: PATHS hold no file of a supported type ({suffixes})",
    "empty_database": "{db} holds no documents yet: store some with `luoshi ingest PATH --db {db}`, then ask again",
    "no_targets": "no targets{asked} in {db}",
    "unknown_parameter": "unknown parameter{s} {names}{hints}; {endpoint} takes {accepted}",
    "not_utf8_name": "the file's name is not UTF-8 (rename it: its name is stored with the document)",
    "not_regular": "not a regular file (a pipe, socket or device)",
    "link_loop": "symbolic link loop",
    "broken_link": "broken symbolic link (its target does not exist)",
}


def message(key: str, **detail: object) -> str:
    return MESSAGES[key].format(**detail)


# control, format and line/paragraph separator characters: they would break or hide a line
_UNSHOWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})  # Cs: a byte of a name that is not UTF-8


def shown_path(path: str) -> str:
    """A path as one line of output: a newline or other control character in a file's name is
    written as its escape (``\\n``, ``\\x1b``), so each error stays on its line; every other
    character (an ideographic space in a Chinese name, say) is shown as it is."""
    return "".join(ascii(ch)[1:-1] if unicodedata.category(ch) in _UNSHOWN else ch for ch in str(path))


class DatabaseError(LuoshiError):
    """The database cannot be opened, migrated or written."""

    code = "E400"


class NotFoundError(LuoshiError):
    """A document, indicator or page the request names does not exist."""

    code = "E404"


class BadParameterError(LuoshiError):
    """A request parameter is missing, malformed or out of range."""

    code = "E422"


class RequestTooLargeError(LuoshiError):
    """A request body is larger than the server accepts."""

    code = "E413"
