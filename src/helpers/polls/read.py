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
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    import pandas  # annotations only: `import helpers` stays light

#: Limits that keep the work on any file bounded: (environment variable, default, what it bounds). The
#: defaults are Excel's own limits (a cell holds at most 32,767 characters; a sheet 16,384 columns and
#: 1,048,576 rows), so no export a poll tool or Excel wrote is refused; raise one by setting its variable.
LIMITS = {
    "cell": ("WORKBOOK_MAX_CELL_CHARS", 32_767, "characters in one cell"),
    "columns": ("WORKBOOK_MAX_COLUMNS", 16_384, "columns"),
    "rows": ("WORKBOOK_MAX_ROWS", 1_048_576, "rows"),
    "xlsx_mb": ("WORKBOOK_MAX_XLSX_MB", 256, "MB of uncompressed content in an Excel file"),
    "file_mb": ("WORKBOOK_MAX_FILE_MB", 512, "MB in a text file"),
}
#: The default cell limit (kept as a name other modules use).
MAX_CELL_CHARS = LIMITS["cell"][1]
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


def limit(name: str) -> int:
    """The current value of limit ``name`` (see :data:`LIMITS`): its environment variable, else the default."""
    variable, default, _ = LIMITS[name]
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise InputError(f"{variable} must be a whole number, not {text!r}") from None
    if value < 1:
        raise InputError(f"{variable} must be at least 1, not {text!r}")
    return value


def over_limit(name: str, found, source: str, *, line=None, column=None) -> InputError:
    """The one-line error for a file over limit ``name``, naming the limit and how to raise it."""
    variable, _, what = LIMITS[name]
    shown = f"{found:,}" if isinstance(found, int) else str(found)
    return InputError(
        f"the file has {shown} {what}; the workbook's limit is {limit(name):,}. Check that it is the export you "
        f"meant, or raise the limit by setting the environment variable {variable}",
        file=source,
        line=line,
        column=column,
    )


def read_table(path: str | Path, *, sheet: str | int | None = None, header_row: int = 0) -> Table:
    """Read ``path`` (CSV/TSV/TXT or XLSX) into a :class:`Table` of strings.

    ``header_row`` is the 0-based index (among non-blank rows) of the header; rows above it are
    skipped (some exports put a preamble first).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file; check the path", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm") or _is_zip(path):
        notes: list[str] = []
        pairs = _xlsx_rows(path, sheet, notes)
        encoding, separator = "xlsx", ""
        rows, lines = [r for r, _ in pairs], [n for _, n in pairs]
    else:
        notes = []
        text, encoding = decode(read_bytes(path), path.name, notes)
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
    if body.count(separator, 0, body.find("\n") if "\n" in body else len(body)) >= limit("columns"):
        return None  # too wide: the careful reader refuses it, before pandas spends time on it
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
    if len(header) > limit("columns"):
        raise over_limit("columns", len(header), source, line=1)
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
    if len(body) > limit("cell") and max(map(len, body.split("\n"))) > limit("cell"):
        return None
    blank = '[ \t"' + re.escape(separator) + "]*\r?"
    if re.search("\n" + blank + "\n", body) or re.fullmatch(blank, body.rsplit("\n", 1)[-1]):
        return None  # a blank row: the careful reader skips and counts it
    check_case_clashes(header, source)
    frame = frame.fillna("")  # rows shorter than the header, padded as the careful reader does
    return Table(frame.astype(object), list(range(2, len(frame) + 2)), source, encoding, separator, notes, {})


def read_bytes(path: Path) -> bytes:
    """The bytes of a text file, refused in one line when it is over the size limit."""
    size = path.stat().st_size
    if size > limit("file_mb") * 1_000_000:
        raise over_limit("file_mb", f"{size / 1e6:,.0f}", path.name)
    return path.read_bytes()


def _is_zip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == _ZIP_MAGIC


def decode(raw: bytes, name: str, notes: list[str] | None = None) -> tuple[str, str]:
    """Decode file bytes, detecting BOMs, UTF-16, UTF-8 and Windows-1252; reject binary files.

    Decoding is decided per line, not per file: a UTF-8 file in which a few lines were re-typed in
    Windows-1252 (one bad byte) stays UTF-8, and only those lines are read as Windows-1252 and named
    in ``notes``. Stray NUL bytes inside a text file (older SurveyMonkey exports hold some in their
    second header row) are removed and counted in ``notes``; a file full of them is binary.
    """
    notes = [] if notes is None else notes
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError("the file is empty: export the poll again, or choose another file", file=name)
    if raw.startswith(codecs.BOM_UTF8):
        return _per_line(raw[3:], name, notes), "utf-8-sig"
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
        if head.count(0) > len(head) // 20 or _binary(head):
            raise InputError(
                "this is not a text file (it holds binary data): export the poll as CSV or XLSX", file=name
            )
    if b"\x00" in raw:
        lines = sorted({raw.count(b"\n", 0, match.start()) + 1 for match in re.finditer(b"\x00+", raw)})
        notes.append(f"{raw.count(0)} NUL byte(s) removed (line(s) {_lines_text(lines)})")
        raw = raw.replace(b"\x00", b"")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _utf8_evidence(raw):
        return _per_line(raw, name, notes), "utf-8"
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def _binary(head: bytes) -> bool:
    """Control bytes other than tab, newline, carriage return and NUL: not a text file."""
    controls = sum(1 for byte in head if byte < 32 and byte not in (0, 9, 10, 13))
    return controls > max(2, len(head) // 100)


def _utf8_evidence(raw: bytes) -> bool:
    """Whether the file holds valid multi-byte UTF-8 sequences (so it was written as UTF-8)."""
    return re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", raw) is not None


def _per_line(raw: bytes, name: str, notes: list[str]) -> str:
    """UTF-8 line by line; a line that is not UTF-8 is read as Windows-1252 and named in ``notes``."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    parts, bad = [], []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(line.decode("cp1252", errors="replace"))
            bad.append(number)
    notes.append(f"the file is UTF-8 but line(s) {_lines_text(bad)} are not: read as Windows-1252; check those answers")
    return "\n".join(parts)


def _lines_text(lines: list[int], most: int = 10) -> str:
    shown = ", ".join(map(str, lines[:most]))
    return shown + (f" and {len(lines) - most} more" if len(lines) > most else "")


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
    """Every record of a CSV text with the line it starts on; cells, columns and rows within the limits."""
    max_cell, max_columns, max_rows = limit("cell"), limit("columns"), limit("rows")
    csv.field_size_limit(max_cell)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for row in reader:
            if len(row) > max_columns:
                raise over_limit("columns", len(row), name, line=start)
            if len(rows) >= max_rows:
                raise over_limit("rows", f"more than {max_rows:,}", name, line=start)
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        message = str(error)
        if "field larger" in message:
            raise InputError(
                f"a cell is longer than the workbook's limit of {max_cell:,} characters (Excel's own maximum): "
                "this is not a poll answer; check that the file is the export you meant (a quote may be unclosed), "
                f"or raise the limit by setting the environment variable {LIMITS['cell'][0]}",
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


def _xlsx_rows(path: Path, sheet, notes: list[str] | None = None) -> list[tuple[list[str], int]]:
    """The rows of one sheet of an Excel file, as text, with their row numbers (see :mod:`.xlsx`)."""
    from .xlsx import xlsx_rows

    return xlsx_rows(path, sheet, notes)


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
    check_case_clashes(header, source)
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


#: Column names the workbook gives a meaning to whatever their case (``Respondent`` is ``respondent``).
RESERVED_NAMES = ("respondent", "question", "answer", "party", "group", "wave", "submitted_at")


def check_case_clashes(header: list[str], source: str) -> None:
    """Refuse two columns whose names differ only in case when the workbook reads one of them by name."""
    seen: dict[str, str] = {}
    for name in header:
        key = name.strip().casefold()
        if key in RESERVED_NAMES and key in seen and seen[key] != name:
            raise InputError(
                f"the columns {seen[key]!r} and {name!r} differ only in case, and the workbook reads {key!r} by name: "
                "rename or remove one of them",
                file=source,
                line=1,
            )
        seen.setdefault(key, name)


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
