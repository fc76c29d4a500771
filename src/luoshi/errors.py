"""Named exceptions and the user-facing messages, with codes that appear in logs and API errors."""

from __future__ import annotations


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
}


def message(key: str, **detail: object) -> str:
    return MESSAGES[key].format(**detail)


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
