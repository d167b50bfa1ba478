"""Google Forms responses: the linked Sheet downloaded as CSV/XLSX, or the Forms "Download
responses (.csv)" file.

Layout: one header row whose first cell is ``Timestamp`` (or its translation), then the full text of
each question; an ``Email Address`` column when the form collected e-mails, ``Score`` for quizzes.
Timestamps look like ``8/21/2019 13:10:31`` in the Sheet; the direct CSV may use ``;`` as separator
(continental locales) and add a time zone (``2021/03/15 10:32:11 AM GMT+1``). Checkbox answers are
joined with ``", "`` — and an option may itself hold a comma, so options are matched as wholes where
the codebook lists them (see :func:`.draft.split_choices`). Cells may hold newlines.

There is no respondent id: each row is one response. When e-mails were collected, the e-mail links
answers of the same person across forms (as a keyed pseudonym) and is then dropped.
"""

from __future__ import annotations

from ..privacy import personal_reason
from .base import (
    Parsed,
    QuestionDraft,
    note_duplicated_texts,
    one_header_table,
    question_ids,
    read_timestamps,
    wide_parsed,
)
from .sheet import Sheet

FORMAT = "google_forms"
TIMESTAMP_HEADINGS = {
    "timestamp",
    "marca temporal",
    "horodateur",
    "zeitstempel",
    "informazioni cronologiche",
    "carimbo de data/hora",
    "tijdstempel",
    "sygnatura czasowa",
    "tidsstempel",
    "tidsstämpel",
}
_METADATA = {"score", "total score", "punteggio", "puntuación", "punkte", "points"}


def sniff(sheet: Sheet) -> str | None:
    header = sheet.nonblank()[0][1]
    if header and header[0].strip().casefold() in TIMESTAMP_HEADINGS and len(header) > 1:
        return f"its first column is Google Forms' {header[0].strip()!r} followed by question texts"
    return None


def parse(sheet: Sheet) -> Parsed:
    header, cells, lines, aside, notes = one_header_table(
        sheet, "the file has a header but no responses: download it again after people have answered"
    )

    email_col = next((i for i, h in enumerate(header) if personal_reason(h) == "e-mail address"), None)
    dropped = [h for i, h in enumerate(header[1:], start=1) if personal_reason(h)]
    question_cols = [
        i for i, h in enumerate(header[1:], start=1) if not personal_reason(h) and h.casefold() not in _METADATA
    ]
    skipped = [header[i] for i in range(1, len(header)) if header[i].casefold() in _METADATA]
    if skipped:
        notes.append("quiz columns not imported: " + ", ".join(skipped))
    texts = [header[i] for i in question_cols]
    ids = question_ids(len(texts))
    note_duplicated_texts(texts, notes)

    when = read_timestamps([row[0] for row in cells], "Timestamp", notes)
    respondents = [
        (
            row[email_col].strip().casefold()
            if email_col is not None and row[email_col].strip()
            else f"response on line {line}"
        )
        for row, line in zip(cells, lines, strict=True)
    ]
    data = {"respondent": respondents, "submitted_at": when}
    for qid, column in zip(ids, question_cols, strict=True):
        data[qid] = [row[column] for row in cells]
    if email_col is None:
        notes.append("the form did not collect e-mails: each row is its own respondent")
    return wide_parsed(
        FORMAT,
        data,
        [QuestionDraft(qid, text, joiner=", ") for qid, text in zip(ids, texts, strict=True)],
        lines,
        dropped,
        aside,
        notes,
    )
