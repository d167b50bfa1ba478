"""Import poll exports from the tools trainers and researchers already use.

>>> from helpers.polls.importers import detect, import_export
>>> detect("PollReport.csv")                      # doctest: +SKIP
Detection(format='zoom', reason="its header is Zoom's '#,User Name,User Email,Submitted Date/Time'")
>>> data = import_export("PollReport.csv")        # doctest: +SKIP
>>> data.codebook.write("draft_codebook.csv")     # doctest: +SKIP

Each tool has one module that understands its layout and returns a :class:`~.base.Parsed`; this
module picks the tool (:func:`detect`), drafts a codebook when none is given
(:mod:`.draft`), and hands the answers to the shared loader (:func:`helpers.polls.from_wide_frame`),
so validation, pseudonyms, masking and the import report are the same for every tool. The report's
notes say which format was chosen and why, how the file was read, and what the draft codebook
guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
from ..codebook import Codebook, read_codebook
from ..layout import own_layout
from ..model import PollData
from ..read import Table
from ..report import Rejection
from . import google_forms, limesurvey, mapped, microsoft_forms, qualtrics, surveymonkey, zoom
from .base import Parsed
from .draft import draft_codebook
from .sheet import Sheet, read_sheet

__all__ = ["Detection", "FORMATS", "detect", "import_export", "parse_export"]

#: Tool modules in the order they are tried; the first whose ``sniff`` answers wins.
_TOOLS = (zoom, qualtrics, surveymonkey, limesurvey, microsoft_forms, google_forms)
#: Every format name ``import_export`` accepts.
FORMATS = (
    "zoom",
    "google_forms",
    "microsoft_forms",
    "qualtrics",
    "surveymonkey",
    "limesurvey",
    "mentimeter",
    "slido",
    "tidy",
    "wide",
)


@dataclass(frozen=True)
class Detection:
    """Which format a file is in, and the evidence."""

    format: str
    reason: str


def detect(path: str | Path, *, codebook=None, sheet=None) -> Detection:
    """Tell which poll tool wrote ``path``, or whether it is the workbook's own tidy/wide layout.

    The one detector of the workbook: :func:`helpers.polls.load` and :func:`import_export` both ask
    it. With a ``codebook``, a file whose headings are its question ids is the wide layout.
    Raises :class:`~helpers.errors.InputError` when no known layout fits, naming the first line and
    what was expected.
    """
    book = None if codebook is None else (codebook if isinstance(codebook, Codebook) else read_codebook(codebook))
    return _detect(read_sheet(path, sheet=sheet), book.ids() if book is not None else ())


def _detect(sheet: Sheet, codebook_ids=()) -> Detection:
    for tool in _TOOLS:
        reason = tool.sniff(sheet)
        if reason:
            return Detection(tool.FORMAT, reason)
    own = _own_layout(sheet, codebook_ids)
    if own:
        return own
    first = sheet.nonblank()[0]
    shown = ",".join(first[1][:6])
    raise InputError(
        "the workbook cannot tell which poll tool wrote this file (the first row does not match Zoom, "
        "Google Forms, Microsoft Forms, Qualtrics, SurveyMonkey or LimeSurvey, nor the workbook's tidy "
        "layout). Pass format=... (Mentimeter and Slido need a column mapping), or save it as a tidy CSV "
        "with respondent, question, answer",
        file=sheet.source,
        line=first[0],
        value=shown,
    )


def _own_layout(sheet: Sheet, codebook_ids=()) -> Detection | None:
    found = own_layout(sheet.nonblank()[0][1], codebook_ids)
    return Detection(*found) if found else None


def parse_export(
    path: str | Path, format: str = "auto", *, mapping=None, sheet=None, reason: str | None = None
) -> Parsed:
    """Understand an export's layout without loading it (for inspection and tests)."""
    sheet = read_sheet(path, sheet=sheet)
    fmt = _format_name(format)
    if fmt in ("mentimeter", "slido"):
        return mapped.parse(sheet, mapping, tool=fmt)
    if fmt == "auto":
        detection = _detect(sheet)
        fmt, reason = detection.format, detection.reason
    else:
        reason = reason or "format given by the user"
    if fmt in ("tidy", "wide"):
        raise InputError(
            f"this is the workbook's own {fmt} layout: load it with helpers.polls.load(path, codebook)",
            file=sheet.source,
        )
    tool = {t.FORMAT: t for t in _TOOLS}[fmt]
    parsed = tool.parse(sheet)
    parsed.notes[:0] = [f"format {fmt}: {reason}", f"read as {sheet.describe()}", *sheet.notes]
    return parsed


def import_export(
    path: str | Path,
    format: str = "auto",
    *,
    codebook=None,
    mapping=None,
    attributes=None,
    key: bytes | None = None,
    sheet=None,
    id_column: str | None = None,
) -> PollData:
    """Import a poll tool's export (or the workbook's own tidy/wide file) as :class:`~helpers.polls.PollData`.

    Parameters
    ----------
    path : the export file (CSV, TSV or XLSX as the tool wrote it, or re-saved by Excel).
    format : ``"auto"`` (detect), or one of :data:`FORMATS`.
    codebook : a codebook (path or :class:`Codebook`) whose question ids match the draft's; without
        one, the importer drafts it from the answers (see :mod:`.draft`) and the report says so.
    mapping : for Mentimeter and Slido, which column is what (see :mod:`.mapped`).
    attributes : ``{"party": "q02", "group": "q03"}``: questions that describe the respondent (which
        organisation, which role) to use as grouping columns instead of as answers. Ids as in the
        draft codebook.
    key : pseudonymisation key (default: the project key, :func:`helpers.polls.privacy.project_key`).
    sheet : the sheet of an Excel file (name or 0-based index; default: the first visible sheet).
    id_column : the respondent id column (default: the layout's own, e.g. a wide file's ``respondent``).

    The report's ``notes`` start with the chosen format and the reason. :func:`helpers.polls.load`
    is the same door.
    """
    from ..loaders import from_table, from_tidy_frame, from_wide_frame
    from ..read import read_table

    fmt = _format_name(format)
    reason = None
    if fmt == "auto":
        detection = detect(path, codebook=codebook, sheet=sheet)
        fmt, reason = detection.format, detection.reason
    if fmt in ("tidy", "wide"):
        if codebook is None:
            raise InputError(
                f"this looks like the workbook's own {fmt} layout, which needs a codebook: pass codebook=...",
                file=Path(path).name,
            )
        data = from_table(read_table(path, sheet=sheet), codebook, fmt, id_column=id_column, key=key)
        return data.with_report(notes=[f"format {fmt}: {reason or 'format given by the user'}", *data.report.notes])
    parsed = parse_export(path, fmt, mapping=mapping, sheet=sheet, reason=reason)
    _pseudonymise_identifiers(parsed, key)
    if id_column is not None:
        if id_column not in parsed.frame.columns:
            from ...errors import ParameterError

            raise ParameterError(
                f"no column {id_column!r} to use as respondent id in this export; its columns are: "
                f"{', '.join(map(str, parsed.frame.columns[:20]))}"
            )
        parsed.id_column = id_column
    if attributes:
        _use_as_attributes(parsed, attributes)
    drop_personal_questions(parsed)  # before a draft codebook could copy their answers into a scale
    if codebook is None:
        answers = _answers_by_question(parsed)
        book, guesses = draft_codebook(parsed.questions, answers, source="draft codebook")
        notes = (
            parsed.notes
            + [
                "no codebook given: a DRAFT codebook was inferred from the answers; check every kind and scale "
                "(write it with data.codebook.write(...)) and pass it back as codebook=..."
            ]
            + guesses
        )
    else:
        book = codebook if isinstance(codebook, Codebook) else read_codebook(codebook)
        notes = parsed.notes
    table = Table(parsed.frame.astype(str), list(parsed.line_numbers), Path(path).name, notes=list(notes))
    if parsed.layout == "tidy":
        data = from_tidy_frame(table, book, dropped_columns=parsed.dropped_columns, key=key, format_name=parsed.format)
    else:
        data = from_wide_frame(
            table,
            book,
            id_column=parsed.id_column,
            dropped_columns=parsed.dropped_columns,
            key=key,
            format_name=parsed.format,
        )
    return _add_set_aside(data, parsed, table.source)


def drop_personal_questions(parsed: Parsed) -> None:
    """Drop the questions that ask for personal data (by their text) or whose answers are mostly
    e-mails, phones, names or addresses, and mask e-mails and phones in every other cell."""
    from ..pii import mask_text
    from ..privacy import personal_column_reason

    frame = parsed.frame
    if parsed.layout == "wide":
        for question in list(parsed.questions):
            if question.id in frame.columns:
                reason = personal_column_reason(question.text, frame[question.id].astype(str).tolist())
                if reason:
                    frame = frame.drop(columns=[question.id])
                    parsed.questions.remove(question)
                    parsed.dropped_columns.append(f"{mask_text(question.text)[:60]} ({reason})")
    keep = {parsed.id_column} if parsed.layout == "wide" else {"respondent"}
    for column in frame.columns:
        if column not in keep:
            frame[column] = frame[column].astype(str).map(mask_text)
    parsed.frame = frame


def _use_as_attributes(parsed: Parsed, attributes: dict) -> None:
    """Turn the named questions into respondent attribute columns (e.g. party, group)."""
    known = {q.id: q for q in parsed.questions}
    for name, qid in attributes.items():
        if parsed.layout == "wide" and qid in parsed.frame.columns and qid not in known and qid != "respondent":
            # already a respondent attribute (Qualtrics embedded data such as ``condition``): rename it if asked
            if name != qid:
                if name in parsed.frame.columns:
                    from ...errors import ParameterError

                    raise ParameterError(f"the export already has a {name!r} column; choose another attribute name")
                parsed.frame = parsed.frame.rename(columns={qid: name})
            parsed.notes.append(f"the respondent attribute {qid!r} is used as {name!r}")
            continue
        if qid not in known or parsed.layout != "wide":
            from ...errors import ParameterError

            raise ParameterError(
                f"attribute {name!r} names question {qid!r}, which this export does not have; "
                f"its questions are: {', '.join(list(known)[:20])}"
                + (f"; its respondent attributes: {', '.join(extra)}" if (extra := _attribute_columns(parsed)) else "")
            )
        if name in parsed.frame.columns:
            from ...errors import ParameterError

            raise ParameterError(f"the export already has a {name!r} column; choose another attribute name")
        parsed.frame = parsed.frame.rename(columns={qid: name})
        parsed.questions = [q for q in parsed.questions if q.id != qid]
        parsed.notes.append(f"question {qid} ({known[qid].text[:50]!r}) is used as the respondent attribute {name!r}")


def _pseudonymise_identifiers(parsed: Parsed, key: bytes | None) -> None:
    """Replace identifier attributes (panel ids) by keyed pseudonyms, keeping blanks blank."""
    from ..privacy import pseudonymise

    for column in parsed.pseudonymise:
        values = parsed.frame[column].astype(str).str.strip()
        filled = values.ne("")
        if filled.any():
            values = values.astype(object)
            values[filled] = pseudonymise(values[filled], key).astype(str).to_numpy()
        parsed.frame[column] = values


def _attribute_columns(parsed: Parsed) -> list[str]:
    questions = {q.id for q in parsed.questions}
    return [str(c) for c in parsed.frame.columns if c not in questions and c not in ("respondent", "submitted_at")]


def _format_name(format: str) -> str:
    fmt = str(format or "auto").strip().casefold().replace("-", "_").replace(" ", "_")
    aliases = {
        "google": "google_forms",
        "forms": "google_forms",
        "msforms": "microsoft_forms",
        "microsoft": "microsoft_forms",
        "ms_forms": "microsoft_forms",
        "monkey": "surveymonkey",
        "survey_monkey": "surveymonkey",
        "lime": "limesurvey",
    }
    fmt = aliases.get(fmt, fmt)
    if fmt != "auto" and fmt not in FORMATS:
        from ...errors import ParameterError

        raise ParameterError(f"unknown format {format!r}; use auto or one of: {', '.join(FORMATS)}")
    return fmt


def _answers_by_question(parsed: Parsed) -> dict[str, list[str]]:
    frame = parsed.frame
    if parsed.layout == "tidy":
        return {q: list(group["answer"]) for q, group in frame.groupby("question", sort=False)}
    return {q.id: list(frame[q.id]) for q in parsed.questions if q.id in frame.columns}


def _add_set_aside(data: PollData, parsed: Parsed, source: str) -> PollData:
    """Count the rows an importer set aside before the loader saw them, keeping read = used + rejected."""
    report = data.report
    table_lines = set(parsed.line_numbers)
    extra_lines = {a.line for a in parsed.set_aside if a.line not in table_lines}
    rejections = report.rejections + [
        Rejection(source, a.line, a.column or "(whole row)", a.value or "", a.reason) for a in parsed.set_aside
    ]
    rejections.sort(key=lambda r: (r.line, r.column))
    return data.with_report(rows_read=report.rows_read + len(extra_lines), rejections=rejections)
