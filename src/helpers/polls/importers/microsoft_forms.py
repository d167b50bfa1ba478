"""Microsoft Forms responses ("Open in Excel" / download, ``.xlsx``; also accepted re-saved as CSV).

Layout: ``ID, Start time, Completion time, Email, Name`` (and ``Last modified time`` in newer
exports), then one column per question, headed by its text. Quizzes add ``Total points``,
``Quiz feedback`` and, per question, ``Points - <question>`` and ``Feedback - <question>``: those
are marks, not answers, and are not imported. Anonymous forms write ``anonymous`` as the e-mail.
Multi-select answers are joined with ``;`` (often with a trailing ``;``). Dates follow the locale
of whoever exported the file; Excel cells are read as dates directly.

``Email`` and ``Name`` are dropped; the e-mail (when not anonymous) links answers of one person as a
keyed pseudonym, else the response ``ID`` does.
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

FORMAT = "microsoft_forms"
_FIXED = {
    "id",
    "start time",
    "completion time",
    "last modified time",
    "email",
    "name",
    "total points",
    "quiz feedback",
    "grade posted time",
    "startzeit",
    "fertigstellungszeit",
    "e-mail",
}


def sniff(sheet: Sheet) -> str | None:
    header = [c.strip().casefold() for c in sheet.nonblank()[0][1]]
    if (
        len(header) > 3
        and header[0] == "id"
        and header[1] in ("start time", "startzeit")
        and header[2] in ("completion time", "fertigstellungszeit")
    ):
        return "its header starts with Microsoft Forms' ID, Start time, Completion time"
    return None


def parse(sheet: Sheet) -> Parsed:
    header, cells, lines, aside, notes = one_header_table(sheet, "the file has a header but no responses")
    folded = [h.casefold() for h in header]
    marks = [
        h
        for h in header
        if h.casefold().startswith(("points - ", "feedback - ")) or h.casefold() in ("total points", "quiz feedback")
    ]
    if marks:
        notes.append(f"{len(marks)} quiz columns (points, feedback) were not imported")
    dropped = [h for h in header if personal_reason(h) and h.casefold() not in ("id",)]
    questions = [
        i for i, h in enumerate(header) if h.casefold() not in _FIXED and h not in marks and not personal_reason(h)
    ]
    email = next((i for i, h in enumerate(folded) if h in ("email", "e-mail")), None)
    ident = folded.index("id") if "id" in folded else None

    def respondent(row, line):
        mail = row[email].strip().casefold() if email is not None else ""
        if mail and mail != "anonymous":
            return mail
        return (
            f"response {row[ident].strip()}" if ident is not None and row[ident].strip() else f"response on line {line}"
        )

    respondents = [respondent(row, line) for row, line in zip(cells, lines, strict=True)]
    if email is not None and all(row[email].strip().casefold() in ("", "anonymous") for row in cells):
        notes.append("the form was anonymous: each response is its own respondent")
    done = folded.index("completion time") if "completion time" in folded else None
    texts = [header[i] for i in questions]
    ids = question_ids(len(texts))
    note_duplicated_texts(texts, notes)
    data = {"respondent": respondents}
    if done is not None:
        data["submitted_at"] = read_timestamps([row[done] for row in cells], "Completion time", notes)
    for qid, index in zip(ids, questions, strict=True):
        data[qid] = [row[index].strip().rstrip(";") for row in cells]
    return wide_parsed(
        FORMAT,
        data,
        [QuestionDraft(qid, text, joiner=";") for qid, text in zip(ids, texts, strict=True)],
        lines,
        dropped,
        aside,
        notes,
    )
