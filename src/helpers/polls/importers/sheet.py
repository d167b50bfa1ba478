"""Read a poll export into raw rows, whatever its encoding, separator or container.

Poll tools write files that a plain ``pandas.read_csv`` trips over: a preamble before the header
(Zoom), a header shorter than the rows (Zoom before 2021), two or three header rows (SurveyMonkey,
Qualtrics), sub-tables each with its own header (Zoom since September 2021). So the importers first
need the rows as the file holds them, each with the line an editor would show, and only then decide
what the rows mean. This module does that first step and nothing else:

- text: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text", tab-separated),
  Windows-1252 when the bytes are not UTF-8; separator ``,``, ``;`` or tab, chosen by which one
  splits the file into the most consistent rows; CRLF or LF; newlines inside quoted cells.
- Excel ``.xlsx``: the first worksheet, one row per spreadsheet row (row numbers as line numbers).

Bad files raise one :class:`~helpers.errors.InputError` sentence (empty, not a table, truncated
inside a quoted cell, a cell too large to be a poll answer) instead of a traceback.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from ...errors import InputError

#: The largest cell we accept, in characters. A free-text poll answer is far shorter; a larger cell
#: means a broken file (an unclosed quote swallowing the rest) or something that is not a poll.
MAX_CELL = 100_000
_SEPARATORS = (",", ";", "\t")
_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass
class Sheet:
    """The rows of one export, as text, with where each row starts in the file.

    Attributes
    ----------
    source : the file name used in messages (no folders: outputs must not show paths).
    rows : each row's cells as strings ('' for an empty cell); rows may differ in length.
    lines : the 1-based line (text) or row number (Excel) where each row starts.
    encoding, separator : what was detected ('xlsx' and '' for a workbook).
    """

    source: str
    rows: list[list[str]]
    lines: list[int]
    encoding: str
    separator: str
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One phrase saying how the file was read, for the import report."""
        if self.encoding == "xlsx":
            return "Excel workbook (first worksheet)"
        return f"{self.encoding} text, {_SEPARATOR_NAMES.get(self.separator, repr(self.separator))}-separated"

    def nonblank(self) -> list[tuple[int, list[str]]]:
        """(line, row) pairs of the rows that hold at least one non-empty cell."""
        return [(ln, row) for ln, row in zip(self.lines, self.rows) if any(c.strip() for c in row)]


def read_sheet(path: str | Path) -> Sheet:
    """Read ``path`` (CSV/TSV/TXT text or ``.xlsx``) into a :class:`Sheet`.

    Raises
    ------
    InputError
        When the file is missing, empty, binary, truncated or holds a cell larger than ``MAX_CELL``.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError("file not found; check the path.", file=name)
    data = path.read_bytes()
    if not data.strip():
        raise InputError("the file is empty; export the poll results again.", file=name)
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(path, data)
    text, encoding = decode(data, name)
    return _read_text(text, name, encoding)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode the bytes of a text export; return (text, encoding name)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    head = data[:4096]
    if head and head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a BOM: every other byte is NUL for Latin text.
        odd_nuls = head[1::2].count(b"\x00")
        even_nuls = head[0::2].count(b"\x00")
        if odd_nuls > len(head) // 3:
            return _try(data, "utf-16-le", name), "UTF-16"
        if even_nuls > len(head) // 3:
            return _try(data, "utf-16-be", name), "UTF-16"
    if b"\x00" in head:
        raise _binary(name)
    if data.startswith(b"\xef\xbb\xbf"):
        return _try(data, "utf-8-sig", name), "UTF-8 with BOM"
    try:
        text = data.decode("utf-8")
        encoding = "UTF-8"
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        encoding = "Windows-1252"
    if _looks_binary(text):
        raise _binary(name)
    return text, encoding


def _try(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise _binary(name) from None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls > max(2, len(sample) // 100) or "\ufffd" * 3 in sample


def _binary(name: str) -> InputError:
    return InputError(
        "this is not a text table (CSV/TSV) or an Excel .xlsx workbook; export the poll results as "
        "CSV or .xlsx and try again.",
        file=name,
    )


def _read_text(text: str, name: str, encoding: str) -> Sheet:
    separator = "\t" if encoding == "UTF-16" and "\t" in text[:4096] else sniff_separator(text)
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    previous = 0
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL + 1)
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                line = previous + 1
                message = str(error)
                if "field larger" in message:
                    raise InputError(
                        f"a cell is longer than {MAX_CELL:,} characters, which no poll answer is; "
                        "the file is probably broken (an unclosed quote) — export it again.",
                        file=name,
                        line=line,
                    ) from None
                if "unexpected end of data" in message:
                    raise InputError(
                        "the file ends inside a quoted cell, so it is truncated or a quote is "
                        "unbalanced; export it again.",
                        file=name,
                        line=line,
                    ) from None
                raise InputError(
                    f"the row is not valid CSV ({message}); open the file in a spreadsheet, save it "
                    "as CSV again and retry.",
                    file=name,
                    line=line,
                ) from None
            rows.append(row)
            lines.append(previous + 1)
            previous = reader.line_num
    finally:
        csv.field_size_limit(old_limit)
    return Sheet(name, rows, lines, encoding, separator)


def sniff_separator(text: str) -> str:
    """The separator (``,``, ``;`` or tab) that splits the first lines most consistently.

    Each candidate parses the first 60 records; its score is the number of records that share the
    most common field count (above one), times that count. Preambles (Zoom) and ragged rows lower
    a candidate's score a little but do not flip a clear winner.
    """
    sample = text[:65536]
    best, best_score = ",", -1.0
    for separator in _SEPARATORS:
        counts: dict[int, int] = {}
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=separator)
            for index, row in enumerate(reader):
                if index >= 60:
                    break
                if len(row) > 1:
                    counts[len(row)] = counts.get(len(row), 0) + 1
        except csv.Error:
            continue
        if not counts:
            continue
        width, times = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = times * width + sum(counts.values()) * 0.5
        if score > best_score:
            best, best_score = separator, score
    return best


def _read_xlsx(path: Path, data: bytes) -> Sheet:
    from openpyxl import load_workbook

    name = path.name
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError(
            f"this looks like an Excel workbook but cannot be opened ({type(error).__name__}); "
            "open it in Excel or LibreOffice, save it as .xlsx again and retry.",
            file=name,
        ) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        lines: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            for cell in cells:
                if len(cell) > MAX_CELL:
                    raise InputError(
                        f"a cell is longer than {MAX_CELL:,} characters, which no poll answer is; "
                        "check the workbook.",
                        file=name,
                        line=number,
                    )
            rows.append(cells)
            lines.append(number)
    finally:
        book.close()
    notes = [f"read worksheet {sheet.title!r} of {len(book.sheetnames)}"] if len(book.sheetnames) > 1 else []
    return Sheet(name, rows, lines, "xlsx", "", notes)


def cell_text(value) -> str:
    """An Excel cell as the text a CSV export would hold (dates ISO, whole numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)
