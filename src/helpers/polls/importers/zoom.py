"""Zoom poll reports (meetings and webinars), in the three layouts Zoom has written.

- **Before 2021**: the first line is ``#,User Name,User Email,Submitted Date/Time,`` and each row
  then holds question/answer pairs (the header is shorter than the rows; trailing commas).
- **From January 2021**: the same table after a preamble that starts with ``Poll Report`` and
  gives the report date and the meeting (``Topic,Meeting ID,...``) or webinar (``Topic,Webinar
  ID,...``, about six lines) details.
- **From September 2021**: one sub-table per question, each with its own header
  ``#,User Name,User Email,Submitted Date/Time,<question text>`` and one answer per row.

Facts checked against public parsers (nbruin/pollscore reads the first and third layouts the same
way). Multi-select answers are joined with ``;``; anonymous polls show ``Anonymous Attendee`` with no
e-mail, and then every row is its own respondent. When a person answers the same question twice in
one session (the host relaunched the poll) the loader keeps the first answer and rejects the
repeat, naming the line of the first. When the report spans several days, the day becomes the ``wave``.

User names and e-mails are dropped: the e-mail (else the name) only serves as the respondent id,
which the loader turns into a keyed pseudonym.
"""

from __future__ import annotations

import pandas as pd

from ...errors import InputError
from .base import AMBIGUOUS, Parsed, QuestionDraft, SetAside, question_ids, timestamp_note, timestamps
from .sheet import Sheet

FORMAT = "zoom"
_ANONYMOUS = {"anonymous attendee", "anonymous", ""}


def _is_header(row: list[str]) -> bool:
    cells = [c.strip().casefold() for c in row[:4]]
    return (
        len(cells) == 4
        and cells[0] == "#"
        and cells[1] in {"user name", "name"}
        and "email" in cells[2]
        and cells[3].startswith("submitted")
    )


def sniff(sheet: Sheet) -> str | None:
    """Why this sheet is a Zoom poll report, or None."""
    rows = sheet.nonblank()[:40]
    if not rows:
        return None
    first = rows[0][1]
    for _, row in rows:
        if _is_header(row):
            if first and first[0].strip() == "Poll Report":
                return "it starts with 'Poll Report' and has Zoom's '#,User Name,User Email,Submitted Date/Time' table"
            return "its header is Zoom's '#,User Name,User Email,Submitted Date/Time'"
    return None


def parse(sheet: Sheet) -> Parsed:
    rows = sheet.nonblank()
    headers = [i for i, (_, row) in enumerate(rows) if _is_header(row)]
    if not headers:
        raise InputError(
            "no '#,User Name,User Email,Submitted Date/Time' header found; is this a Zoom poll report?",
            file=sheet.source,
        )
    preamble = [row for _, row in rows[: headers[0]]]
    notes = [_describe(preamble, rows, headers)]

    records: list[tuple[int, str, str, str, str, str]] = []  # line, name, email, when, question, answer
    set_aside: list[SetAside] = []
    rows_in_tables = 0
    for position, start in enumerate(headers):
        end = headers[position + 1] if position + 1 < len(headers) else len(rows)
        header = _without_trailing_empty(rows[start][1])
        subtable_question = ",".join(header[4:]).strip()
        for line, row in rows[start + 1 : end]:
            rows_in_tables += 1
            cells = row + [""] * (4 - len(row)) if len(row) < 4 else row
            name, email, when = cells[1].strip(), cells[2].strip(), cells[3].strip()
            if subtable_question:
                answer = ",".join(cells[4:]).strip() if len(cells) > 4 else ""
                records.append((line, name, email, when, subtable_question, answer))
                continue
            pairs = cells[4:]
            while pairs and pairs[-1].strip() == "":
                pairs = pairs[:-1]
            if not pairs:
                set_aside.append(SetAside(line, None, None, "the row holds no question/answer pair"))
                continue
            if len(pairs) % 2:
                pairs = pairs + [""]
            for index in range(0, len(pairs), 2):
                records.append((line, name, email, when, pairs[index].strip(), pairs[index + 1].strip()))
    if not records and not set_aside:
        raise InputError(
            "the report has a header but no answers; export it again after the poll has run.", file=sheet.source
        )

    texts = list(dict.fromkeys(r[4] for r in records))
    ids = dict(zip(texts, question_ids(len(texts)), strict=True))
    when_iso, fmt = timestamps([r[3] for r in records])
    note = timestamp_note("Submitted Date/Time", fmt, [r[3] for r in records])
    if note:
        notes.append(note)
    by_line: dict[int, dict[str, str]] = {}
    for record, when in zip(records, when_iso, strict=True):
        answers = by_line.setdefault(record[0], {"respondent": _respondent(record), "submitted_at": when})
        qid = ids[record[4]]
        if qid in answers:  # the same question twice on one row: keep the first, like the loader does
            set_aside.append(
                SetAside(record[0], qid, record[5], "the question appears twice on this row; the first answer is kept")
            )
            continue
        answers[qid] = record[5]
    frame = pd.DataFrame(list(by_line.values()), columns=["respondent", "submitted_at", *ids.values()]).fillna("")
    anonymous = sum(1 for r in records if r[2] == "" and r[1].casefold() in _ANONYMOUS)
    if anonymous:
        notes.append(f"{anonymous} answers came from anonymous attendees: each such row counts as its own respondent")
    days = frame["submitted_at"].str[:10] if fmt not in (None, AMBIGUOUS) else None
    if days is not None and days.nunique() > 1:
        frame.insert(2, "wave", days)
        notes.append(
            f"the report spans {days.nunique()} days; each day is a wave (session), and a question label "
            "reused on another day is treated as the same question"
        )
    return Parsed(
        format=FORMAT,
        frame=frame,
        layout="wide",
        questions=[QuestionDraft(ids[t], t, joiner=";") for t in texts],
        line_numbers=list(by_line),
        dropped_columns=["User Name", "User Email"],
        set_aside=set_aside,
        notes=notes,
    )


def _without_trailing_empty(header: list[str]) -> list[str]:
    """A header row without the empty cells Excel pads it with when it re-saves a report."""
    header = list(header)
    while header and not header[-1].strip():
        header.pop()
    return header


def _respondent(record) -> str:
    line, name, email = record[0], record[1], record[2]
    if email:
        return email.casefold()
    if name.casefold() in _ANONYMOUS:
        return f"anonymous-{line}"
    return "name:" + name.casefold()


def _describe(preamble: list[list[str]], rows, headers) -> str:
    flat = {c.strip().casefold() for row in preamble for c in row}
    kind = "webinar" if "webinar id" in flat else "meeting"
    if len(headers) > 1 or (rows and ",".join(_without_trailing_empty(rows[headers[0]][1])[4:]).strip()):
        layout = "September 2021 layout (one sub-table per question)"
    elif preamble and preamble[0] and preamble[0][0].strip() == "Poll Report":
        layout = "January 2021 layout (report preamble, question/answer pairs)"
    else:
        layout = "pre-2021 layout (question/answer pairs on each row)"
    if not preamble:
        kind = "meeting or webinar"
    return f"Zoom {kind} poll report, {layout}"
