"""Load poll data into :class:`PollData`, from the workbook's own layouts or a poll tool's export.

- **tidy**: one row per answer with the columns ``respondent, question, answer`` (and optionally
  ``party, group, wave, submitted_at`` and other respondent attributes);
- **wide**: one row per respondent, one column per question id, and an id column;
- anything else is handed to :mod:`helpers.polls.importers` (Zoom, Forms, Qualtrics, ...).

All paths end in :func:`_finish`, so validation, privacy and the import report are the same whatever
the source.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .codebook import Codebook, read_codebook
from .model import PollData
from .privacy import drop_personal_columns, mask_contact_details, pseudonymise
from .read import Table, read_table
from .report import WHOLE_ROW, ImportReport, Rejection
from .schema import check_responses
from .session import is_session
from .session import to_poll_data as session_poll_data
from .validate import validate_answers

TIDY_REQUIRED = ("respondent", "question", "answer")
RESERVED = ("party", "group", "wave", "submitted_at")
ID_CANDIDATES = (
    "respondent",
    "respondent id",
    "respondent_id",
    "id",
    "response id",
    "responseid",
    "participant",
    "participant id",
)
OWN_FORMATS = ("auto", "tidy", "wide")


def load(
    path, codebook=None, *, format: str = "auto", id_column: str | None = None, sheet=None, key: bytes | None = None
) -> PollData:
    """Load a poll file (CSV or XLSX) with its codebook.

    Parameters
    ----------
    path : the responses file: tidy, wide, or a poll tool's export; or a live poll's session folder.
    codebook : a codebook CSV path or a :class:`Codebook`. Required for tidy and wide files; an export
        from a poll tool comes with a draft codebook inferred by its importer when none is given.
    format : ``"auto"`` (default), ``"tidy"``, ``"wide"``, or an importer's name (``"zoom"``, ...).
    id_column : the respondent id column of a wide file (default: the first of respondent, id, ...).
    sheet : the sheet of an XLSX file (default: the first).
    key : the pseudonymisation key (default: the project key, see :mod:`helpers.polls.privacy`).
    """
    path = Path(path)
    fmt = str(format).strip().lower()
    if fmt in ("auto", "session") and is_session(path):  # a live poll's session (folder or session.sqlite)
        return session_poll_data(path, codebook, key=key)
    if fmt not in OWN_FORMATS:
        return _import_export(path, fmt, codebook, sheet=sheet, key=key)
    table = read_table(path, sheet=sheet)
    lowered = {str(c).strip().lower() for c in table.frame.columns}
    if fmt == "auto":
        if set(TIDY_REQUIRED) <= lowered:
            fmt = "tidy"
        elif (
            _poll_tool(path, sheet) is not None
        ):  # an export whose headings happen to be codebook ids (Qualtrics Q1...)
            return _import_export(path, "auto", codebook, sheet=sheet, key=key)
        elif codebook is not None and lowered & {q.lower() for q in _as_codebook(codebook).ids()}:
            fmt = "wide"
        else:
            return _import_export(path, "auto", codebook, sheet=sheet, key=key)
    if codebook is None:
        raise InputError(
            f"a {fmt} file needs a codebook saying what each question is: pass codebook=... (or --codebook)",
            file=table.source,
        )
    if fmt == "tidy":
        return from_tidy_frame(table, _as_codebook(codebook), key=key)
    return from_wide_frame(table, _as_codebook(codebook), id_column=id_column, key=key)


def from_tidy_frame(
    table: Table, codebook: Codebook, *, dropped_columns=(), key=None, format_name: str = "tidy"
) -> PollData:
    """PollData from a :class:`Table` in the tidy layout (one row per answer)."""
    frame = _canonical_names(table.frame, TIDY_REQUIRED + RESERVED)
    missing = [c for c in TIDY_REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            f"a tidy file needs the columns respondent, question, answer; missing: {', '.join(missing)} "
            f"(the header is: {', '.join(map(str, table.frame.columns))}). "
            "For one row per respondent, use format='wide'",
            file=table.source,
            line=1,
        )
    frame, dropped = drop_personal_columns(frame, keep=TIDY_REQUIRED + RESERVED)
    long = frame.assign(_line=table.lines, _column="answer")
    return _finish(long, table, codebook, [*dropped_columns, *dropped], key, format_name)


def from_wide_frame(
    table: Table,
    codebook: Codebook,
    *,
    id_column: str | None = None,
    dropped_columns=(),
    key=None,
    format_name: str = "wide",
) -> PollData:
    """PollData from a :class:`Table` with one row per respondent and one column per question id.

    Empty cells are questions not answered (not rejections). Without an id column, each row is its own
    respondent, identified by its line.
    """
    import pandas as pd

    frame = _canonical_names(table.frame, RESERVED)
    id_name = _find_id_column(frame, id_column, table.source)
    questions = [c for c in frame.columns if c in codebook and c != id_name]
    if not questions:
        raise InputError(
            "none of the columns is a question id from the codebook "
            f"(codebook ids: {', '.join(codebook.ids()[:8])}{'…' if len(codebook) > 8 else ''}; "
            f"columns: {', '.join(map(str, frame.columns[:8]))}{'…' if len(frame.columns) > 8 else ''})",
            file=table.source,
            line=1,
        )
    frame, dropped = drop_personal_columns(frame, keep=[*questions, *RESERVED, *([id_name] if id_name else [])])
    ids = frame[id_name] if id_name else pd.Series([f"line {n}" for n in table.lines], index=frame.index)
    attributes = [c for c in frame.columns if c not in questions and c != id_name]
    base = frame[attributes].assign(respondent=ids.to_numpy(), _line=table.lines)
    # every non-empty cell becomes one answer, row by row and in question order: one pass over the cells,
    # not one pandas pass per question (a file of 16,000 questions would take minutes)
    import numpy as np

    cells = frame[questions].to_numpy(dtype=object)
    rows, columns = np.nonzero(
        np.array([[str(v).strip() != "" for v in row] for row in cells], dtype=bool).reshape(cells.shape)
    )
    names = np.array(questions, dtype=object)
    long = (
        base.iloc[rows]
        .reset_index(drop=True)
        .assign(question=names[columns], answer=cells[rows, columns], _column=names[columns])
    )
    long = long.sort_values("_line", kind="stable").reset_index(drop=True)
    return _finish(long, table, codebook, [*dropped_columns, *dropped], key, format_name)


def _finish(long, table: Table, codebook: Codebook, dropped, key, format_name) -> PollData:
    """Validate, pseudonymise, mask free text, and account for every row."""

    source = table.source
    width = len(table.frame.columns)
    too_long = long["_line"].isin(list(table.long_rows))
    rejections = [
        Rejection(
            source,
            int(line),
            WHOLE_ROW,
            f"{table.long_rows[line]} values",
            f"the row has {table.long_rows[line]} values but the header has {width} columns: "
            "a separator inside an unquoted cell?",
        )
        for line in sorted(set(long.loc[too_long, "_line"]))
    ]
    valid, answer_rejections = validate_answers(long[~too_long], codebook, source)
    rejections += answer_rejections
    used_lines = set(valid["_line"].tolist())
    explained = {r.line for r in rejections}
    for line in table.lines:
        if line not in used_lines and line not in explained:
            rejections.append(Rejection(source, int(line), WHOLE_ROW, "", "no answers in this row"))
    rejections.sort(key=lambda r: (r.line, r.column))

    text_questions = codebook.of_kind("open_text")
    if text_questions:
        is_text = valid["question"].isin(text_questions)
        valid.loc[is_text, "answer"] = mask_contact_details(valid.loc[is_text, "answer"].astype(str))
    valid["respondent"] = pseudonymise(valid["respondent"], key)
    columns = ["respondent", "question", "answer", "value", *[c for c in RESERVED if c in valid.columns]]
    columns += [c for c in valid.columns if c not in columns and not c.startswith("_")]
    responses = valid[columns].reset_index(drop=True)
    for column in columns[4:]:
        responses[column] = responses[column].astype(str)
    report = ImportReport(
        source=source,
        format=format_name,
        rows_read=len(table.lines),
        rows_used=len(used_lines),
        answers_used=len(responses),
        rejections=rejections,
        dropped_columns=list(dict.fromkeys(dropped)),
        notes=list(table.notes),
    ).check()
    check_responses(responses, codebook)
    return PollData(responses, codebook, report)


def _as_codebook(codebook) -> Codebook:
    return codebook if isinstance(codebook, Codebook) else read_codebook(codebook)


def _canonical_names(frame, names):
    """Rename columns matching ``names`` case-insensitively (``Respondent`` -> ``respondent``)."""
    wanted = {n.lower(): n for n in names}
    renames = {
        c: wanted[str(c).strip().lower()]
        for c in frame.columns
        if str(c).strip().lower() in wanted and c != wanted[str(c).strip().lower()]
    }
    return frame.rename(columns=renames)


def _find_id_column(frame, id_column, source):
    if id_column is not None:
        if id_column not in frame.columns:
            raise InputError(
                f"no column {id_column!r} to use as respondent id; "
                f"the columns are: {', '.join(map(str, frame.columns))}",
                file=source,
                line=1,
            )
        return id_column
    by_lower = {str(c).strip().lower(): c for c in frame.columns}
    return next((by_lower[c] for c in ID_CANDIDATES if c in by_lower), None)


def _poll_tool(path: Path, sheet=None) -> str | None:
    """The poll tool that wrote ``path`` when its layout says so (not the workbook's own layouts)."""
    from .importers import detect

    try:
        found = detect(path, sheet=sheet).format
    except InputError:
        return None
    return None if found in ("tidy", "wide") else found


def _import_export(path: Path, fmt: str, codebook, *, sheet=None, key=None):
    from . import importers  # lazily: a tidy or wide file never needs the importers

    return importers.import_export(path, fmt, codebook=codebook, sheet=sheet, key=key)
