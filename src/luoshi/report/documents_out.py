"""Analysed documents written out as they are done: Markdown pages, JSON Lines items, one
JSON object, or the objects of one JSON array (DESIGN's output contract)."""

from __future__ import annotations

import json
from collections.abc import Callable

from luoshi.model import Document


class DocumentsOutput:
    """``emit`` each document as it is done, then ``close``. As an array, ``[`` comes with the
    first document and ``]`` at the close (``[]`` when there was none), one document per line
    in between, so a long run is never held in memory and its output is still one JSON value."""

    def __init__(self, fmt: str, what: str, as_array: bool, write: Callable[[str], None]) -> None:
        self.fmt, self.what, self.as_array, self.write = fmt, what, as_array, write
        self.count = 0

    def emit(self, doc: Document) -> None:
        if self.fmt == "md":
            from luoshi.report.document_md import render_markdown

            self.write(render_markdown(doc))
        elif self.fmt == "json" or self.what == "all":
            data = doc.to_dict(include_internal=False)
            if self.what != "all":
                data = {"id": data["id"], "path": data["path"], self.what: data[self.what]}
            line = json.dumps(data, ensure_ascii=False)
            self.write(("[" if self.count == 0 else ",") + line if self.as_array else line)
        else:
            for item in doc.to_dict(include_internal=False)[self.what]:
                self.write(json.dumps({"doc": doc.id, "path": doc.path, **item}, ensure_ascii=False))
        self.count += 1

    def close(self) -> None:
        if self.as_array:
            self.write("]" if self.count else "[]")


def replaced_characters(doc: Document) -> tuple[int, int | None]:
    """How many characters the reader replaced by U+FFFD, and the offset of the first."""
    runs = [a for a in doc.artefacts if a.type == "replaced_character"]
    return sum(a.end - a.start for a in runs), (runs[0].start if runs else None)
