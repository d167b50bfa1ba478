"""One reader for the tables a lesson takes from a user that are not polls, and one error translator.

A milestone schedule, a RACI chart, a KPI review, a journey panel or a reasons log is read exactly like
a poll export: by :func:`helpers.polls.read.read_table`, which accepts any of :data:`TABLE_SUFFIXES`,
guesses the encoding (UTF-8 with or without BOM, UTF-16, Windows-1252) and the separator (``,``,
``;``, tab, ``|``), and remembers the file line of every row. The lesson then states its layout as a
pandera schema and calls :func:`check_schema`, the one place where a pandera failure becomes the
workbook's plain :class:`~helpers.errors.InputError`: file, line, column, the value as written, what is
wrong and what to do.

>>> from helpers.polls.tables import TABLE_SUFFIXES
>>> TABLE_SUFFIXES
('.csv', '.tsv', '.txt', '.xlsx')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .read import read_table

if TYPE_CHECKING:
    import pandas

#: The file types every lesson parameter that names a table accepts (what read_table reads).
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")

_UNIQUE_CHECKS = ("field_uniqueness", "multiple_fields_uniqueness", "unique")


def read_user_table(
    path: str | Path,
    *,
    required: Sequence[str] = (),
    layout: str = "",
    fold_columns: bool = False,
    sheet: str | int | None = None,
) -> tuple[pandas.DataFrame, list[int], str]:
    """Read a user's table into text cells (blank cells NaN), with the file line of every row.

    Parameters
    ----------
    path : a file of one of :data:`TABLE_SUFFIXES`.
    required : columns the table must have; the first one missing stops with a message naming the
        columns there are (after the header names are trimmed, and lower-cased with ``fold_columns``).
    layout : how to describe the expected columns in that message (default: the required ones).
    sheet : the sheet of an Excel file (default the first).

    Returns
    -------
    ``(frame, lines, source)``: the table, the line of the file each row came from (for messages),
    and the file's name.
    """
    import numpy as np

    table = read_table(path, sheet=sheet)
    frame = table.frame.replace({"": np.nan})
    frame.columns = [str(c).strip().casefold() if fold_columns else str(c).strip() for c in frame.columns]
    source = Path(path).name
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"the file has no column {missing[0]!r}; it needs {layout or ', '.join(required)} "
            f"(it has {', '.join(map(str, frame.columns))}).",
            file=source,
            line=1,
        )
    return frame, list(table.lines), source


def check_schema(
    schema: Any,
    frame: pandas.DataFrame,
    *,
    source: str | None = None,
    lines: Sequence[int] | None = None,
    wanted: Mapping[str, str] | None = None,
) -> pandas.DataFrame:
    """Validate ``frame`` with a pandera ``schema``; the first failure becomes one plain InputError.

    Parameters
    ----------
    schema : a ``pandera.DataFrameSchema`` (lazy validation: every failure is collected first).
    frame : the table as read (its index is the row number, from 0).
    source : the file name for the message (None for a table given in code).
    lines : the file line of each row (default: row + 2, as under a one-line header).
    wanted : column -> what a valid value is ("a whole month number, 1 or more"); used for the message
        of any failure in that column. Without it, the check's own ``error=`` text is used.

    Returns
    -------
    The validated (and coerced) frame.

    The message names the earliest row with a problem (for a repeated value: the repeat, not the first
    occurrence), its file line, the column and the value as written, then what is wrong and "fix it
    and run again", and how many more rows have problems.
    """
    import pandas as pd
    import pandera.errors

    try:
        return schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as error:
        cases = error.failure_cases
    wanted = dict(wanted or {})
    located = cases[cases["index"].notna()].copy()
    if located.empty:  # a whole column is wrong (missing, or of the wrong kind)
        first = cases.iloc[0]
        column = first["column"] if isinstance(first["column"], str) else None
        why = f"{column} must be {wanted[column]}" if column in wanted else f"it is not usable ({first['check']})"
        raise InputError(f"{why}; fix it and run again", file=source, column=column) from None
    located["_row"] = located["index"].astype(int)
    unique = located["check"].astype(str).map(lambda check: any(name in check for name in _UNIQUE_CHECKS))
    # a repeated value: point at its repeats, not at its first occurrence
    first_of_value = located.groupby([located["column"], located["failure_case"].astype(str)])["_row"].transform("min")
    candidates = located[~unique | (located["_row"] > first_of_value)]
    if candidates.empty:
        candidates = located
    first = candidates.sort_values("_row", kind="stable").iloc[0]
    row, column, check = int(first["_row"]), first["column"], str(first["check"])
    if column in wanted:
        why = f"{column} must be {wanted[column]}"
    elif any(name in check for name in _UNIQUE_CHECKS):
        why = "this appears more than once; each must be unique"
    elif "dtype" in check or "coerce" in check:
        why = "this must be a number"
    else:
        why = f"this value is not allowed: {check}"
    more = len(set(candidates["_row"])) - 1
    tail = f" ({more} more row{'s' if more != 1 else ''} with problems)" if more else ""
    line = lines[row] if lines is not None else row + 2
    value = frame.iloc[row][column] if column in frame.columns else first["failure_case"]
    raise InputError(
        f"{why}; fix it and run again{tail}",
        file=source,
        line=line,
        column=column,
        value="" if pd.isna(value) else value,
    ) from None
