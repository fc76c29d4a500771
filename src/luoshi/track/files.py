"""Reading the analysts' files: CSV (UTF-8, with or without BOM, or GB18030 as Excel writes
it in China), XLSX (the first sheet) and, for catalogs, YAML — as rows with their line numbers."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from luoshi.errors import LuoshiError

MAX_FILE_BYTES = 200 * 1024 * 1024


class TrackFileError(LuoshiError):
    """A monitoring file cannot be read at all (missing, wrong type, no header, missing columns)."""

    code = "E600"


@dataclass(frozen=True)
class FileRows:
    path: str
    columns: tuple[str, ...]
    rows: list[tuple[int, dict]]  # (line in the file, the row by column)
    place: str = "line"  # what the number counts: a line of CSV, a row of a sheet, an item of YAML


def _decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise TrackFileError(f"{path}: file is empty")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TrackFileError(f"{path}: looks like a binary file, not CSV")
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TrackFileError(f"{path}: cannot decode the text (UTF-8 or GB18030 expected)")


def _clean(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _csv_rows(path: Path) -> FileRows:
    text = _decode(path, path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise TrackFileError(f"{path}: no header row") from None
    except csv.Error as exc:
        raise TrackFileError(f"{path}: line 1: {exc}") from exc
    columns = tuple(h.strip().lstrip("\ufeff") for h in header)
    rows = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
                rows.append((line, {"__error__": f"{len(cells)} cells, the header has {len(columns)}"}))
                continue
            rows.append((line, {c: _clean(v) for c, v in zip(columns, cells)}))
    except csv.Error as exc:
        raise TrackFileError(f"{path}: line {reader.line_num}: {exc}") from exc
    return FileRows(str(path), columns, rows)


# what openpyxl (and zipfile, zlib and the XML parser under it) raise on a file that is not a workbook
_XLSX_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, TypeError, EOFError,
                SyntaxError, zlib.error, NotImplementedError, RuntimeError)


def _xlsx_rows(path: Path) -> FileRows:
    from openpyxl import load_workbook

    from luoshi.errors import ReadError
    from luoshi.io.limits import DEFAULT_LIMITS, check_archive

    try:
        # the same decompression limits as a DOCX: an XLSX is a zip of XML parts too
        data = path.read_bytes()
        check_archive(data, str(path), DEFAULT_LIMITS, configurable=False)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)  # read once, checked
    except ReadError as exc:
        raise TrackFileError(f"{path}: {exc.reason}") from exc
    except _XLSX_ERRORS as exc:
        raise TrackFileError(f"{path}: not a readable XLSX ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        # the sheet's own <dimension> is not trusted: "A1:XFD4000" would pad every row to 16,384 cells
        sheet.reset_dimensions()
        cells = sheet.iter_rows(values_only=True)
        header = next(cells, None)
        if not header or not any(header):
            raise TrackFileError(f"{path}: no header row in the first sheet")
        columns = tuple(_clean(h) or "" for h in header)
        rows = []
        for line, values in enumerate(cells, start=2):
            if not any(v is not None and str(v).strip() for v in values):
                continue
            rows.append((line, {c: _cell(v) for c, v in zip(columns, values)}))
        return FileRows(str(path), columns, rows, "row")
    except _XLSX_ERRORS as exc:  # openpyxl reads the sheet lazily: a broken cell surfaces here
        raise TrackFileError(f"{path}: not a readable XLSX ({exc})") from exc
    finally:
        book.close()


def _cell(value) -> str | None:
    import datetime

    if isinstance(value, datetime.datetime):
        return value.date().isoformat()[:7] if value.day == 1 else value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return _clean(value)


def _require_file(path: Path) -> None:
    try:
        found = path.is_file()
    except OSError as exc:  # a name too long for the file system
        raise TrackFileError(f"{path}: {exc.strerror or exc}") from exc
    if not found:
        raise TrackFileError(f"{path}: no such file")


def read_rows(path: str | Path, required: tuple[str, ...]) -> FileRows:
    """The rows of a CSV or XLSX file; a missing file or a header without the required columns
    is a ``TrackFileError`` naming the file."""
    path = Path(path)
    _require_file(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise TrackFileError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt", ".tsv", ""):
        rows = _csv_rows(path)
    else:
        raise TrackFileError(f"{path}: unsupported file type {path.suffix!r} (csv or xlsx)")
    missing = [c for c in required if c not in rows.columns]
    if missing:
        raise TrackFileError(f"{path}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                             f"(the header has {', '.join(c for c in rows.columns if c) or 'nothing'})")
    return rows


def read_catalog_rows(path: str | Path) -> FileRows:
    """Catalog entries from YAML (``indicators:`` list) or CSV/XLSX, with their positions."""
    path = Path(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        from luoshi.errors import DataFileError
        from luoshi.resources.loader import load_yaml

        _require_file(path)
        try:
            data = load_yaml(path)
        except DataFileError as exc:
            if "expected a mapping at the top level" not in str(exc):
                raise TrackFileError(str(exc)) from exc
            data = {"indicators": _yaml_list(path)}  # a bare list of indicators
        items = data.get("indicators")
        if not isinstance(items, list):
            raise TrackFileError(f"{path}: expected 'indicators:' with a list of indicators")
        rows = [(i + 1, item if isinstance(item, dict) else {"__error__": "not a mapping"}) for i, item in enumerate(items)]
        return FileRows(str(path), (), rows, "indicator")
    return read_rows(path, ("id", "name", "domain", "unit", "kind", "direction", "frequency"))


def _yaml_list(path: Path) -> list:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise TrackFileError(f"{path}: expected 'indicators:' with a list of indicators, or a list")
    return data
