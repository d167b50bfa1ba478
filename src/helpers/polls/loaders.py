"""The lower layer of loading: a :class:`~helpers.polls.read.Table` in, :class:`PollData` out.

- **tidy**: one row per answer with the columns ``respondent, question, answer`` (and optionally
  ``party, group, wave, submitted_at`` and other respondent attributes);
- **wide**: one row per respondent, one column per question id, and an id column.

The front door, :func:`helpers.polls.load`, reads the file, tells its layout apart (one detector,
:func:`helpers.polls.importers.detect`) and calls :func:`from_table` here, or an importer, which
calls :func:`from_tidy_frame` / :func:`from_wide_frame` with the tool's answers. Every path ends in
:func:`_finish`, so validation, privacy and the import report are the same whatever the source.
This module never imports the importers or the front door (a test checks it).
"""

from __future__ import annotations

from ..errors import InputError
from .codebook import Codebook, read_codebook
from .layout import RESERVED, TIDY_REQUIRED, find_id_column
from .model import PollData
from .pii import content_reason, heading_reason, mask_text
from .privacy import ROW_ID_PATTERN, drop_personal_columns, file_nonce, mask_contact_details, pseudonymise
from .read import Table
from .report import WHOLE_ROW, ImportReport, Rejection
from .validate import validate_answers

OWN_FORMATS = ("tidy", "wide")


def from_table(
    table: Table,
    codebook,
    layout: str,
    *,
    id_column: str | None = None,
    key: bytes | None = None,
    dropped_columns=(),
    format_name: str | None = None,
) -> PollData:
    """PollData from a :class:`Table` in the workbook's ``"tidy"`` or ``"wide"`` layout.

    The lower layer of :func:`helpers.polls.load`: a table in, validated :class:`PollData` out.
    """
    if codebook is None:
        raise InputError(
            f"a {layout} file needs a codebook saying what each question is: pass codebook=... (or --codebook)",
            file=table.source,
        )
    book = as_codebook(codebook)
    if layout == "tidy":
        return from_tidy_frame(table, book, dropped_columns=dropped_columns, key=key, format_name=format_name or "tidy")
    if layout == "wide":
        return from_wide_frame(
            table,
            book,
            id_column=id_column,
            dropped_columns=dropped_columns,
            key=key,
            format_name=format_name or "wide",
        )
    raise ValueError(f"unknown layout {layout!r}")


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
    ids = frame[id_name] if id_name else pd.Series([f"response on line {n}" for n in table.lines], index=frame.index)
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
    long, personal = _drop_personal_questions(long, codebook)
    dropped = [*dropped, *personal]
    codebook = masked_codebook(codebook)
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

    unscored = [q.id for q in codebook if not q.scored]  # scored answers are scale labels or numbers
    if unscored:
        is_text = valid["question"].isin(unscored)
        valid.loc[is_text, "answer"] = mask_contact_details(valid.loc[is_text, "answer"].astype(str))
    for column in [
        c
        for c in valid.columns
        if c not in ("respondent", "question", "answer", "value") and not str(c).startswith("_")
    ]:
        valid[column] = valid[column].astype(str).map(mask_text)
    positional = valid["respondent"].astype(str).str.strip().str.fullmatch(ROW_ID_PATTERN)
    valid["respondent"] = pseudonymise(valid["respondent"], key, nonce=file_nonce(table))
    notes = [mask_text(note) for note in table.notes]
    if positional.any():
        count = valid.loc[positional, "respondent"].nunique()
        notes.append(
            f"{count} respondent{'s have' if count != 1 else ' has'} no id: their pseudonyms are made from "
            "the row and this file's contents, so they are unique to this file and cannot be linked to "
            "the same people in another file (another wave)"
        )
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
        dropped_columns=list(dict.fromkeys(mask_text(str(d)) for d in dropped)),
        notes=notes,
    )
    return PollData(responses, codebook, report)  # checks the contract (schema) and the report


def _drop_personal_questions(long, codebook: Codebook):
    """Leave out the answers to questions that ask for personal data (by their text) or whose
    answers are mostly e-mails, phones, names or addresses; returns ``(long, [what was dropped])``."""
    dropped = []
    for question, answers in long.groupby("question", sort=False)["answer"]:
        if question not in codebook or codebook[question].scored:
            continue
        reason = heading_reason(codebook[question].text) or content_reason(answers.astype(str).tolist())
        if reason:
            dropped.append(f"{question} ({reason})")
            long = long[long["question"] != question]
    return long, dropped


def masked_codebook(codebook: Codebook) -> Codebook:
    """The codebook with e-mails and phone numbers masked in question texts and option labels."""
    from dataclasses import replace

    questions = {}
    for qid, question in codebook.questions.items():
        text = mask_text(question.text)
        labels = None if question.labels is None else tuple(mask_text(label) for label in question.labels)
        changed = text != question.text or labels != question.labels
        questions[qid] = replace(question, text=text, labels=labels) if changed else question
    return replace(codebook, questions=questions)


def as_codebook(codebook) -> Codebook:
    """A :class:`Codebook` from a codebook or the path of a codebook CSV."""
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
    return find_id_column(frame.columns)
