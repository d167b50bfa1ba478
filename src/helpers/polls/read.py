"""Read a table from a CSV or XLSX file the way a poll tool or a spreadsheet wrote it.

Handles what real exports do: UTF-8 with or without BOM, Windows-1252 (Excel re-saves), UTF-16
"Unicode text" (tab-separated), ``,`` ``;`` or tab separators, CRLF, newlines inside quoted cells,
ragged rows and duplicated column names. Every row keeps the line of the file it starts on, so a
problem can be reported as "file, line, column, value". Problems that make the file unreadable raise
:class:`~helpers.errors.InputError` with one plain sentence; nothing here prints a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    import pandas  # annotations only: `import helpers` stays light

#: A single cell longer than this is not a poll answer: the file is probably not what it seems.
MAX_CELL_CHARS = 200_000
_SEPARATORS = (",", ";", "\t", "|")
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """A table of text cells with the file line each row starts on."""

    frame: pandas.DataFrame
    lines: list[int]
    source: str
    encoding: str = "utf-8"
    separator: str = ","
    notes: list[str] = field(default_factory=list)
    #: line -> number of values, for rows with more (non-empty) values than the header has columns
    long_rows: dict[int, int] = field(default_factory=dict)


def read_table(path: str | Path, *, sheet: str | int | None = None, header_row: int = 0) -> Table:
    """Read ``path`` (CSV/TSV/TXT or XLSX) into a :class:`Table` of strings.

    ``header_row`` is the 0-based index (among non-blank rows) of the header; rows above it are
    skipped (some exports put a preamble first).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file; check the path", file=str(path))
    notes: list[str] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        numbered = _xlsx_rows(path, sheet)
        rows, lines = [r for r, _ in numbered], [n for _, n in numbered]
        encoding, separator = "xlsx", ""
    else:
        text, encoding = decode(path.read_bytes(), path.name)
        separator = sniff_separator(text)
        if encoding not in ("utf-8", "utf-8-sig"):
            notes.append(f"read as {encoding}")
        if separator != ",":
            notes.append("separator " + {"\t": "tab", ";": "';'", "|": "'|'"}[separator])
        fast = _fast_table(text, separator, path.name, encoding, notes) if header_row == 0 else None
        if fast is not None:
            return fast
        rows, lines = _csv_rows(text, separator, path.name)
    return _to_table(rows, lines, path.name, encoding, separator, notes, header_row)


def _fast_table(text: str, separator: str, source: str, encoding: str, notes: list[str]) -> Table | None:
    """The same Table as the row-by-row reader, from pandas' C parser, for regular files.

    Used only when the result is provably identical: no blank lines and one record per line (so
    record i starts on line i + 2), a header without empty or repeated names, no cell over the size
    limit, no row longer or shorter than the header. Anything else returns None and the careful
    reader handles it (a million-answer file reads in seconds instead of a minute).
    """
    import warnings

    import pandas as pd

    body = text[:-1] if text.endswith("\n") else text
    if (
        not body
        or "\n\n" in body
        or "\r\n\r\n" in body
        or body.startswith(("\n", "\r"))
        or ("\r" in body and "\r" in body.replace("\r\n", ""))
    ):
        return None
    physical = body.count("\n") + 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)  # a row longer than the header
            frame = pd.read_csv(
                io.StringIO(text),
                sep=separator,
                dtype=str,
                na_filter=False,
                engine="c",
                skip_blank_lines=False,
                quoting=csv.QUOTE_MINIMAL,
                index_col=False,
                on_bad_lines="error",
            )
    except (ValueError, pd.errors.ParserError, pd.errors.ParserWarning):
        return None
    header = [str(c) for c in frame.columns]
    if (
        len(frame) + 1 != physical
        or not len(frame)
        or any(not h.strip() or h.startswith("Unnamed: ") for h in header)
        or len(set(header)) != len(header)
        or header != [h.strip() for h in header]
    ):
        return None
    first_line = body.split("\n", 1)[0].rstrip("\r")
    if next(csv.reader([first_line], delimiter=separator)) != header or not isinstance(frame.index, pd.RangeIndex):
        return None  # pandas renamed a repeated column ("a.1"), or a row is longer: the careful reader reports it
    if len(body) > MAX_CELL_CHARS and max(map(len, body.split("\n"))) > MAX_CELL_CHARS:
        return None
    blank = '[ \t"' + re.escape(separator) + "]*\r?"
    if re.search("\n" + blank + "\n", body) or re.fullmatch(blank, body.rsplit("\n", 1)[-1]):
        return None  # a blank row: the careful reader skips and counts it
    frame = frame.fillna("")  # rows shorter than the header, padded as the careful reader does
    return Table(frame.astype(object), list(range(2, len(frame) + 2)), source, encoding, separator, notes, {})


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """Decode file bytes, detecting BOMs, UTF-16, UTF-8 and Windows-1252; reject binary files."""
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError("the file is empty: export the poll again, or choose another file", file=name)
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[3:], "utf-8", name), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", name), "utf-16"
    head = raw[:4096]
    if head.startswith(_ZIP_MAGIC):
        raise InputError(
            "this is an Excel (or other zip) file with a text-file name: rename it to .xlsx, or save it as CSV",
            file=name,
        )
    if b"\x00" in head:
        zeros_odd = head[1::2].count(0) / max(1, len(head[1::2]))
        zeros_even = head[0::2].count(0) / max(1, len(head[0::2]))
        if zeros_odd > 0.4 and zeros_even < 0.1:
            return _strict(raw, "utf-16-le", name), "utf-16-le"
        if zeros_even > 0.4 and zeros_odd < 0.1:
            return _strict(raw, "utf-16-be", name), "utf-16-be"
        raise InputError("this is not a text file (it holds binary data): export the poll as CSV or XLSX", file=name)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def _strict(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as error:
        raise InputError(
            f"the file claims to be {encoding} but byte {error.start} is not: re-export it as UTF-8 CSV",
            file=name,
        ) from None


def sniff_separator(text: str) -> str:
    """The separator of the first non-blank line, counting only characters outside quotes."""
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    counts = {sep: 0 for sep in _SEPARATORS}
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


def _csv_rows(text: str, separator: str, name: str) -> tuple[list[list[str]], list[int]]:
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows, lines, start = [], [], 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        message = str(error)
        if "field larger" in message:
            raise InputError(
                f"a cell is longer than {MAX_CELL_CHARS:,} characters: this is not a poll answer; "
                "check that the file is the export you meant (a quote may be unclosed)",
                file=name,
                line=start,
            ) from None
        if "unexpected end of data" in message or "EOF" in message:
            raise InputError(
                "the file ends inside a quoted cell: it may be truncated, or a quote is not closed; export it again",
                file=name,
                line=start,
            ) from None
        raise InputError(
            f"the file is not valid CSV ({message}); fix the quoting there", file=name, line=start
        ) from None
    return rows, lines


def _xlsx_rows(path: Path, sheet) -> list[tuple[list[str], int]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise InputError(
            f"this Excel file cannot be opened ({type(error).__name__}); save it again from Excel", file=path.name
        ) from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif isinstance(sheet, int):
            worksheet = workbook.worksheets[sheet]
        else:
            worksheet = workbook[sheet]
    except (KeyError, IndexError):
        raise InputError(
            f"no sheet {sheet!r}; the sheets are {', '.join(workbook.sheetnames)}", file=path.name
        ) from None
    rows = []
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        rows.append(([_xlsx_text(v) for v in values], number))
    workbook.close()
    return rows


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_table(rows, lines, source, encoding, separator, notes, header_row) -> Table:
    import pandas as pd

    content = [(row, line) for row, line in zip(rows, lines, strict=True) if any(cell.strip() for cell in row)]
    blank = len(rows) - len(content)
    if not content:
        raise InputError("the file has no rows (it is empty or blank): export the poll again", file=source)
    if header_row >= len(content):
        raise InputError("the file ends before its header row", file=source)
    header = [cell.strip() for cell in content[header_row][0]]
    body = content[header_row + 1 :]
    while header and not header[-1]:
        header.pop()  # trailing separators on the header line
    if not body:
        raise InputError(
            "the file has a header but no rows of answers: export it again after people have answered",
            file=source,
            line=content[header_row][1],
        )
    columns = _unique_names(header, notes)
    width = len(columns)
    cells, row_lines, long_rows = [], [], {}
    for row, line in body:
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                long_rows[line] = len(row)
            row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        cells.append(row)
        row_lines.append(line)
    if blank:
        notes.append(f"{blank} blank line(s) ignored")
    frame = pd.DataFrame(cells, columns=columns, dtype=object)
    return Table(frame, row_lines, source, encoding, separator, notes, long_rows)


def _unique_names(header: list[str], notes: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for index, name in enumerate(header, start=1):
        name = name or f"column {index}"
        if name in seen:
            seen[name] += 1
            new = f"{name} ({seen[name]})"
            notes.append(f"column {name!r} appears more than once; the repeat is called {new!r}")
            name = new
        else:
            seen[name] = 1
        names.append(name)
    return names
