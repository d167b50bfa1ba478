"""SurveyMonkey exports ("All individual responses", CSV or XLSX, "Expanded" columns).

Two header rows. Row 1: ``Respondent ID, Collector ID, Start Date, End Date, IP Address, Email
Address, First Name, Last Name, Custom Data 1`` (older exports: ``RespondentID, CollectorID, StartDate,
EndDate, IP Address, Email Address, First Name, LastName, Custom Data``, with NUL bytes in row 2, which
the reader removes and counts) then each question's text, left blank after the first
column of a question that spans several columns. Row 2: ``Response`` (one-column question),
``Open-Ended Response``, or, for multi-column questions, the option (checkboxes) or the row label
(matrix / rating grid) of each column.

A multi-column question is read as **checkboxes** when every filled cell of each column repeats that
column's row-2 label: the chosen options become one ``multi_choice`` answer (an ``Other (please
specify)`` column becomes its own open-text question). Otherwise it is a **matrix**: each column is
its own question, ``<question> - <row label>``, which the draft codebook usually finds to be Likert.

IP address, e-mail, names and custom data are dropped; ``Respondent ID`` becomes a keyed pseudonym.
"""

from __future__ import annotations

from ...errors import InputError
from ..privacy import personal_reason
from .base import Parsed, QuestionDraft, body, note_duplicated_texts, question_ids, read_timestamps, wide_parsed
from .sheet import Sheet

FORMAT = "surveymonkey"
_METADATA = {
    "respondent id",
    "collector id",
    "start date",
    "end date",
    "respondentid",
    "collectorid",
    "startdate",
    "enddate",
}
_ROW2 = {"response", "open-ended response"}


def sniff(sheet: Sheet) -> str | None:
    rows = sheet.nonblank()[:2]
    if len(rows) < 2:
        return None
    first = [c.strip().casefold() for c in rows[0][1]]
    second = {c.strip().casefold() for c in rows[1][1]}
    if first[:2] == ["respondent id", "collector id"] and second & _ROW2:
        return (
            "its two header rows are SurveyMonkey's "
            "(Respondent ID, Collector ID...; then Response / Open-Ended Response)"
        )
    if first[:2] == ["respondentid", "collectorid"] and second & _ROW2:
        return "its two header rows are SurveyMonkey's older layout (RespondentID, CollectorID...; then Response)"
    return None


def parse(sheet: Sheet) -> Parsed:
    rows = sheet.nonblank()
    if len(rows) < 2 or sniff(sheet) is None:
        raise InputError(
            "this does not have SurveyMonkey's two header rows (Respondent ID, ...; Response)", file=sheet.source
        )
    first = [c.strip() for c in rows[0][1]]
    second = [c.strip() for c in rows[1][1]]
    width = max(len(first), len(second))
    first += [""] * (width - len(first))
    second += [""] * (width - len(second))
    while width and not first[width - 1] and not second[width - 1]:
        width -= 1
    notes: list[str] = []
    if len(rows) < 3:
        raise InputError("the export has its two header rows but no responses", file=sheet.source, line=rows[1][0])
    cells, lines, aside = body(rows[2:], width, notes)
    folded = [h.casefold() for h in first[:width]]

    dropped = [first[i] for i in range(width) if first[i] and personal_reason(first[i]) and folded[i] not in _METADATA]
    start = 0
    while start < width and (
        folded[start] in _METADATA or personal_reason(first[start]) or (not first[start] and not second[start])
    ):
        start += 1
    groups: list[tuple[str, list[int]]] = []
    for index in range(start, width):
        if first[index] or not groups:
            groups.append((first[index] or f"column {index + 1}", [index]))
        else:
            groups[-1][1].append(index)

    drafts_raw: list[tuple[str, str | None, tuple[str, ...], bool, list[str]]] = []
    for text, members in groups:
        if len(members) == 1:
            index = members[0]
            kind = "open_text" if second[index].casefold() == "open-ended response" else None
            drafts_raw.append((text, kind, (), False, [row[index] for row in cells]))
            continue
        labels = [second[i] for i in members]
        other = [i for i in members if "other" in second[i].casefold() and "specify" in second[i].casefold()]
        options = [i for i in members if i not in other]
        checkbox = all(row[i].strip() in ("", second[i]) for row in cells for i in options)
        if checkbox:
            values = ["; ".join(second[i] for i in options if row[i].strip()) for row in cells]
            drafts_raw.append((text, None, tuple(second[i] for i in options), True, values))
            for i in other:
                drafts_raw.append((f"{text} - {second[i]}", "open_text", (), False, [row[i] for row in cells]))
        else:
            notes.append(f"{text[:50]!r} spans {len(labels)} columns read as a matrix: one question per row label")
            for i in members:
                drafts_raw.append(
                    (f"{text} - {second[i]}", "open_text" if i in other else None, (), False, [row[i] for row in cells])
                )

    ids = question_ids(len(drafts_raw))
    note_duplicated_texts([d[0] for d in drafts_raw], notes)
    rid = folded.index("respondent id") if "respondent id" in folded else folded.index("respondentid")
    data = {
        "respondent": [row[rid].strip() or f"response on line {line}" for row, line in zip(cells, lines, strict=True)]
    }
    end = next((folded.index(n) for n in ("end date", "enddate") if n in folded), None)
    if end is not None:
        data["submitted_at"] = read_timestamps([row[end] for row in cells], first[end], notes)
    drafts = []
    for qid, (text, kind, choices, multi, values) in zip(ids, drafts_raw, strict=True):
        data[qid] = values
        drafts.append(QuestionDraft(qid, text, kind=kind, options=choices, multi=multi, joiner="; " if multi else None))
    return wide_parsed(FORMAT, data, drafts, lines, dropped, aside, notes)
