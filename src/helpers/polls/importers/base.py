"""What every importer produces before the shared loader takes over.

An importer's only job is to understand one tool's layout. It returns a :class:`Parsed`: the answers
as a frame in the workbook's wide or tidy shape (raw respondent ids, personal columns already
removed), the questions it found (:class:`QuestionDraft`), the line each row came from, and rows it
had to set aside with the reason. :func:`helpers.polls.importers.import_export` then drafts the
codebook and hands the frame to the shared loader, so validation, pseudonyms and the import report
are the same for every tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from ...errors import InputError


@dataclass
class QuestionDraft:
    """A question as found in an export, before the user confirms it in the codebook.

    ``options`` are answer options the export itself reveals (a SurveyMonkey or LimeSurvey column
    per option, a Microsoft Forms multi-select); ``multi`` says answers may hold several options.
    ``kind`` is set only when the layout says it for certain (an open-ended column).
    """

    id: str
    text: str
    kind: str | None = None
    options: tuple[str, ...] = ()
    multi: bool = False
    joiner: str | None = None


@dataclass
class SetAside:
    """A row an importer could not use (counted as rejected in the import report)."""

    line: int
    column: str | None
    value: str | None
    reason: str


@dataclass
class Parsed:
    """One export understood: answers plus what the importer learned on the way."""

    format: str
    frame: pd.DataFrame
    layout: str  # "wide" or "tidy"
    questions: list[QuestionDraft]
    line_numbers: list[int]
    id_column: str = "respondent"
    dropped_columns: list[str] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: attribute columns holding identifiers (panel ids): pseudonymised with the respondent key on import
    pseudonymise: list[str] = field(default_factory=list)


# --- small shared helpers -------------------------------------------------------------------------


def question_ids(count: int, codes: list[str | None] | None = None) -> list[str]:
    """Ids for ``count`` questions: the export's own codes when usable and unique, else q01, q02...

    A usable code is a short identifier (letters, digits, ``_``); it is kept so that the draft
    codebook speaks the tool's language (Qualtrics ``Q3_1``, LimeSurvey ``E2_SQ001``).
    """
    width = max(2, len(str(count)))
    fallback = [f"q{index:0{width}d}" for index in range(1, count + 1)]
    if not codes:
        return fallback
    cleaned = [_clean_code(code) if code else None for code in codes]
    if any(code is None for code in cleaned) or len(set(cleaned)) != len(cleaned):
        return fallback
    if set(cleaned) & {"respondent", "party", "group", "wave", "submitted_at"}:
        return fallback
    return cleaned  # type: ignore[return-value]


def _clean_code(code: str) -> str | None:
    text = re.sub(r"[^0-9A-Za-z_]+", "_", code.strip()).strip("_")
    if not text or len(text) > 40:
        return None
    return text if not text[0].isdigit() else "q" + text


_TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%b %d, %Y %H:%M:%S",
    "%b %d %Y, %H:%M:%S",
    "%b %d, %Y %I:%M:%S %p",
    "%Y-%m-%d",
)
_ZONE = re.compile(r"\s+(?:GMT|UTC)([+-]\d{1,2})(?::?(\d{2}))?$|\s+(?:GMT|UTC|[A-Z]{3,4})$")


def timestamps(values: list[str]) -> tuple[list[str], str | None]:
    """Normalise a column of timestamps to ISO 8601 text; return (values, format used or None).

    One format must fit every non-empty value of the column (so ``3/4/2021`` is read the same way
    as ``21/4/2021`` beside it: day first). When both the day-first and the month-first reading fit
    every value and give different dates (no day above 12 anywhere), the order cannot be told: the
    values are left as they are and the format returned is :data:`AMBIGUOUS`. A trailing time zone
    such as ``GMT+1`` (Google Forms' direct CSV) is kept as an ISO offset. When no format fits, the
    values are left as they are.
    """
    present = [v.strip() for v in values if v and v.strip()]
    if not present:
        return list(values), None
    zones = []
    bare = []
    for value in present:
        match = _ZONE.search(value)
        if match:
            bare.append(value[: match.start()].strip())
            if match.group(1):
                hours = int(match.group(1))
                minutes = int(match.group(2) or 0)
                zones.append(f"{'+' if hours >= 0 else '-'}{abs(hours):02d}:{minutes:02d}")
            else:
                zones.append("")
        else:
            bare.append(value)
            zones.append("")
    for fmt in _TIMESTAMP_FORMATS:
        parsed = _parse_all(bare, fmt)
        if parsed is None:
            continue
        if "%m/%d" in fmt or "%d/%m" in fmt:
            other = fmt.replace("%m/%d", "%D/%M").replace("%d/%m", "%m/%d").replace("%D/%M", "%d/%m")
            swapped = _parse_all(bare, other)
            if swapped is not None and swapped != parsed:
                return list(values), AMBIGUOUS
        iso = iter(
            p.isoformat(sep=" ", timespec="milliseconds" if p.microsecond else "seconds") + z
            for p, z in zip(parsed, zones, strict=True)
        )
        return [next(iso) if v and v.strip() else "" for v in values], fmt
    return list(values), None


#: What :func:`timestamps` returns as the format when day-first and month-first both fit.
AMBIGUOUS = "ambiguous day/month order"


def _parse_all(values: list[str], fmt: str) -> list[datetime] | None:
    try:
        return [datetime.strptime(v, fmt) for v in values]
    except ValueError:
        return None


def read_timestamps(values: list[str], column: str, notes: list[str]) -> list[str]:
    """:func:`timestamps` of a column, with the note of :func:`timestamp_note` added to ``notes``."""
    iso, fmt = timestamps(values)
    note = timestamp_note(column, fmt, values)
    if note:
        notes.append(note)
    return iso


def timestamp_note(column: str, fmt: str | None, values: list[str]) -> str | None:
    """The report note for a timestamp column that could not be read as dates, or None."""
    if fmt == AMBIGUOUS:
        return (
            f"the {column} dates fit both day-first and month-first (no day above 12): the order cannot be told, "
            "so they are kept as text and no date is derived from them; export with ISO dates (2021-03-04) to use them"
        )
    if fmt is None and any(v and v.strip() for v in values):
        return f"the {column} column is in a format the workbook does not know; kept as text"
    return None


def is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def body(
    rows: list[tuple[int, list[str]]], width: int, notes: list[str]
) -> tuple[list[list[str]], list[int], list[SetAside]]:
    """The data rows of a one-header table, made ``width`` cells long.

    A row shorter than the header is padded with empty cells (spreadsheets drop trailing empty
    cells) and counted in ``notes``; a row with non-empty cells beyond the header is set aside,
    because which question those cells answer cannot be known.
    """
    kept, lines, aside = [], [], []
    padded = 0
    for line, row in rows:
        if len(row) > width and any(c.strip() for c in row[width:]):
            aside.append(
                SetAside(
                    line,
                    None,
                    row[width][:60],
                    f"the row has {len(row)} cells but the header only {width}; "
                    "check the separator or quotes on this line",
                )
            )
            continue
        if len(row) < width:
            padded += 1
            row = row + [""] * (width - len(row))
        kept.append(row[:width])
        lines.append(line)
    if padded:
        notes.append(f"{padded} rows were shorter than the header and were padded with empty cells")
    return kept, lines, aside


def one_header_table(
    sheet, no_responses: str
) -> tuple[list[str], list[list[str]], list[int], list[SetAside], list[str]]:
    """Read a table whose first non-blank row is its only header row (Google Forms, Microsoft Forms, LimeSurvey).

    Returns ``(header, cells, lines, set_aside, notes)``: the stripped header without trailing empty
    headings, then the data rows as :func:`body` gives them, and the notes it wrote. Raises
    :class:`~helpers.errors.InputError` saying ``no_responses`` when there is no row under the header.
    """
    rows = sheet.nonblank()
    header = [c.strip() for c in rows[0][1]]
    while header and not header[-1]:
        header.pop()
    if len(rows) < 2:
        raise InputError(no_responses, file=sheet.source, line=rows[0][0])
    notes: list[str] = []
    cells, lines, aside = body(rows[1:], len(header), notes)
    return header, cells, lines, aside, notes


def duplicated_texts(texts: list[str]) -> list[str]:
    """Question texts that occur more than once (each keeps its own id; the user should check)."""
    seen: dict[str, int] = {}
    for text in texts:
        seen[text] = seen.get(text, 0) + 1
    return [text for text, count in seen.items() if count > 1]


def note_duplicated_texts(texts: list[str], notes: list[str]) -> None:
    """Append to ``notes`` one line per question text that occurs more than once."""
    for text in duplicated_texts(texts):
        notes.append(f"the question text {text[:60]!r} appears more than once; each column keeps its own id")


def wide_parsed(
    format: str,
    data: dict,
    questions: list[QuestionDraft],
    lines: list[int],
    dropped: list[str],
    aside: list[SetAside],
    notes: list[str],
) -> Parsed:
    """The :class:`Parsed` of a wide export whose answers are ``data`` (column name -> values)."""
    return Parsed(
        format=format,
        frame=pd.DataFrame(data),
        layout="wide",
        questions=questions,
        line_numbers=lines,
        dropped_columns=dropped,
        set_aside=aside,
        notes=notes,
    )
