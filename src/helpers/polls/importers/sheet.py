"""Read a poll export into raw rows, before deciding what the rows mean.

Poll tools write files that a header-first reader trips over: a preamble before the header (Zoom),
a header shorter than the rows (Zoom before 2021), two or three header rows (SurveyMonkey,
Qualtrics), sub-tables each with its own header (Zoom since September 2021). So the importers first
take the rows as the file holds them, each with the line an editor would show, and only then decide
what they mean. Decoding (BOM, UTF-16, Windows-1252), separator detection and the CSV rules (quoted
newlines, a cell too large, a file truncated inside a quote) are the shared ones of
:mod:`helpers.polls.read`; this module only keeps the rows raw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...errors import InputError
from .. import read

_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


@dataclass
class Sheet:
    """The rows of one export, as text, with where each row starts in the file.

    Attributes
    ----------
    source : the file name used in messages (no folders: outputs must not show paths).
    rows : each row's cells as strings ('' for an empty cell); rows may differ in length.
    lines : the 1-based line (text) or row number (Excel) where each row starts.
    encoding, separator : what was detected (``xlsx`` and ``''`` for a workbook).
    """

    source: str
    rows: list[list[str]]
    lines: list[int]
    encoding: str
    separator: str
    notes: list[str] = field(default_factory=list)
    _nonblank: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def describe(self) -> str:
        """One phrase saying how the file was read, for the import report."""
        if self.encoding == "xlsx":
            return "Excel workbook"
        return f"{self.encoding} text, {_SEPARATOR_NAMES.get(self.separator, repr(self.separator))}-separated"

    def nonblank(self) -> list[tuple[int, list[str]]]:
        """(line, row) pairs of the rows that hold at least one non-empty cell (a new list each call).

        Found once per sheet: the format detectors each ask for it, and scanning every cell of a
        2,000-row export ten times cost a notebook's load 0.1-0.2 s. Rows or lines replaced or
        lengthened since are noticed and scanned again.
        """
        key = (id(self.rows), len(self.rows), id(self.lines), len(self.lines))
        if self._nonblank is None or self._nonblank[0] != key:
            found = [(ln, row) for ln, row in zip(self.lines, self.rows, strict=True) if any(c.strip() for c in row)]
            self._nonblank = (key, found)
        return list(self._nonblank[1])


def read_sheet(path: str | Path, sheet: str | int | None = None) -> Sheet:
    """Read ``path`` (CSV/TSV/TXT text, or an Excel ``.xlsx`` whatever its name) into a :class:`Sheet`.

    ``sheet`` chooses the sheet of an Excel file (name or 0-based index; default the first visible).
    Raises :class:`~helpers.errors.InputError` for a missing, empty, binary, broken or too large file
    (see :data:`helpers.polls.read.LIMITS`).
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError("no such file; check the path", file=name)
    notes: list[str] = []
    if read._is_zip(path):
        pairs = read._xlsx_rows(path, sheet, notes)
        rows = [_trim(row) for row, _ in pairs]
        result = Sheet(name, rows, [n for _, n in pairs], "xlsx", "", notes)
    else:
        text, encoding = read.decode(read.read_bytes(path), name, notes)
        separator = sniff_separator(text)
        rows, lines = read._csv_rows(text, separator, name)
        if "\r" in text:  # CRLF files keep CRLF inside quoted cells: one newline is one newline
            rows = [[cell.replace("\r\n", "\n") if "\r" in cell else cell for cell in row] for row in rows]
        result = Sheet(name, rows, lines, encoding, separator, notes)
    if not result.nonblank():
        raise InputError("the file has no rows (it is empty or blank): export the poll again", file=name)
    return result


def sniff_separator(text: str) -> str:
    """The separator (``,``, ``;`` or tab) that splits the first records most consistently.

    The first line alone can mislead for exports with a preamble (Zoom's ``Poll Report``), so each
    candidate parses up to 60 records and scores the most common field count times how often it
    occurs; the shared first-line sniffer decides ties.
    """
    import csv
    import io

    sample = text[:65536]
    scores = {}
    for separator in (",", ";", "\t"):
        counts: dict[int, int] = {}
        try:
            for index, row in enumerate(csv.reader(io.StringIO(sample, newline=""), delimiter=separator)):
                if index >= 60:
                    break
                if len(row) > 1:
                    counts[len(row)] = counts.get(len(row), 0) + 1
        except csv.Error:
            continue
        if counts:
            width, times = max(counts.items(), key=lambda item: (item[1], item[0]))
            scores[separator] = times * width
    first_line = read.sniff_separator(text)
    if not scores:
        return first_line
    best = max(scores.values())
    winners = [s for s, score in scores.items() if score == best]
    return first_line if first_line in winners else winners[0]


def _trim(row: list[str]) -> list[str]:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row
