"""Qualtrics CSV (or XLSX) exports, current and legacy.

- **Current** (since 2017): three header rows — export tags (``StartDate, ..., Q1, Q2_1, Q3_TEXT``),
  question texts in the survey's language, and ``{"ImportId":"QID1"}`` JSON. Columns whose ImportId
  is not a ``QID`` are metadata or embedded data.
- **Legacy**: two header rows — ``V1..V10`` then ``Q1...`` codes; then the labels (``ResponseID,
  ResponseSet, Name, ExternalDataReference, EmailAddress, IPAddress, Status, StartDate, EndDate,
  Finished`` and the question texts); often a BOM and a trailing comma on every row.

Metadata includes recipient names and e-mails, IP address and location: those columns are dropped.
``ResponseId`` is the respondent id (pseudonymised). Rows whose ``Status`` is a survey preview, a
test or spam are set aside with that reason. Multi-select answers are joined with ``,``. Text iQ
columns (``Q2 - Topics``, sentiment) are derived, not answers, and are not imported.
"""

from __future__ import annotations

import json
import re

from ...errors import InputError
from ..privacy import personal_reason
from .base import (
    Parsed,
    QuestionDraft,
    SetAside,
    body,
    note_duplicated_texts,
    question_ids,
    read_timestamps,
    wide_parsed,
)
from .sheet import Sheet

FORMAT = "qualtrics"
_LEGACY_LABELS = (
    "ResponseID",
    "ResponseSet",
    "Name",
    "ExternalDataReference",
    "EmailAddress",
    "IPAddress",
    "Status",
    "StartDate",
    "EndDate",
    "Finished",
)
_METADATA = {
    "startdate",
    "enddate",
    "status",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "responseid",
    "responseset",
    "distributionchannel",
    "userlanguage",
    "q_recaptchascore",
    "q_relevantidduplicate",
    "q_relevantidduplicatescore",
    "q_relevantidfraudscore",
    "q_relevantidlaststartdate",
    "q_totalduration",
    "q_ballotboxstuffing",
    "q_url",
}
#: ImportIds Qualtrics gives its own metadata columns; any other non-question ImportId is embedded data.
_METADATA_IMPORT_IDS = {
    "startdate",
    "enddate",
    "status",
    "ipaddress",
    "progress",
    "duration",
    "finished",
    "recordeddate",
    "_recordid",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externaldatareference",
    "locationlatitude",
    "locationlongitude",
    "distributionchannel",
    "userlanguage",
}
#: Embedded-data names that hold an identifier (a panel or worker id, a payment code): kept, but pseudonymised.
IDENTIFIER = re.compile(r"(^|_|\b)(pid|id|uid|workerid|worker_id|panel|psid|rid|code|token)(_|\b|$)|[a-z]id$", re.I)
_NOT_REAL = ("preview", "test", "spam")
_NOT_REAL_CODES = {"1", "2", "8", "9", "12", "17"}
_ATTRIBUTES = {"party", "group", "wave"}


def _import_id(cell: str) -> str | None:
    cell = cell.strip()
    if not cell.startswith("{"):
        return None
    try:
        value = json.loads(cell)
    except ValueError:
        return None
    return str(value.get("ImportId")) if isinstance(value, dict) and "ImportId" in value else None


def _layout(rows) -> str | None:
    if len(rows) >= 3 and rows[2][1] and _import_id(rows[2][1][0]) is not None:
        return "current"
    if len(rows) >= 2 and rows[0][1][:2] == ["V1", "V2"] and rows[1][1][:1] == ["ResponseID"]:
        return "legacy"
    return None


def sniff(sheet: Sheet) -> str | None:
    layout = _layout(sheet.nonblank()[:3])
    if layout == "current":
        return 'its third row holds Qualtrics\' {"ImportId": ...} tags (current three-row layout)'
    if layout == "legacy":
        return "its first rows are Qualtrics' V1, V2... codes and ResponseID labels (legacy two-row layout)"
    return None


def parse(sheet: Sheet) -> Parsed:
    rows = sheet.nonblank()
    layout = _layout(rows[:3])
    if layout is None:
        raise InputError(
            "this does not have Qualtrics' header rows (export tags, question texts, ImportId)", file=sheet.source
        )
    header_rows = 3 if layout == "current" else 2
    if layout == "current":
        tags = [c.strip() for c in rows[0][1]]
        texts = rows[1][1] + [""] * (len(tags) - len(rows[1][1]))
        import_ids = [(_import_id(c) or "") for c in rows[2][1]] + [""] * len(tags)
    else:
        labels = [c.strip() for c in rows[1][1]]
        codes = [c.strip() for c in rows[0][1]]
        tags = [labels[i] if i < 10 else codes[i] if i < len(codes) else "" for i in range(len(labels))]
        texts = labels
        import_ids = ["QID" if i >= 10 else labels[i] for i in range(len(labels))]
    while tags and not tags[-1]:
        tags.pop()
    width = len(tags)
    notes = [f"Qualtrics {layout} layout ({header_rows} header rows)"]
    if len(rows) <= header_rows:
        raise InputError("the export has its header rows but no responses", file=sheet.source, line=rows[-1][0])
    cells, lines, aside = body(rows[header_rows:], width, notes)

    by_tag = {t.casefold(): i for i, t in enumerate(tags)}
    dropped, metadata, derived, questions, attributes, embedded = [], [], [], [], [], []
    for index, tag in enumerate(tags):
        label = texts[index].strip() if index < len(texts) else ""
        import_id = import_ids[index].strip()
        if personal_reason(tag) or (layout == "legacy" and index < 10 and personal_reason(label)):
            dropped.append(tag)
        elif (
            layout == "current"
            and import_id
            and not import_id.startswith("QID")
            and tag.casefold() not in _METADATA
            and import_id.casefold() not in _METADATA_IMPORT_IDS
            and not import_id.startswith("Q_")
            and tag.casefold() not in _ATTRIBUTES
            and tag not in ("respondent", "submitted_at")
        ):
            embedded.append(index)
        elif (
            tag.casefold() in _METADATA
            or (layout == "current" and not import_ids[index].startswith("QID") and tag.casefold() not in _ATTRIBUTES)
            or (layout == "legacy" and index < 10)
        ):
            metadata.append(tag)
        elif tag.casefold() in _ATTRIBUTES:
            attributes.append(index)
        elif " - topics" in tag.casefold() or "sentiment" in tag.casefold() or "topics" in import_ids[index].casefold():
            derived.append(tag)
        else:
            questions.append(index)
    if derived:
        notes.append("Text iQ columns are derived, not answers, and were not imported: " + ", ".join(derived))

    status = by_tag.get("status")
    kept, kept_lines = [], []
    for row, line in zip(cells, lines, strict=True):
        value = row[status].strip() if status is not None else ""
        if value in _NOT_REAL_CODES or any(word in value.casefold() for word in _NOT_REAL):
            aside.append(
                SetAside(line, "Status", value, "a survey preview, test or spam response, not a real respondent")
            )
            continue
        kept.append(row)
        kept_lines.append(line)

    id_index = by_tag.get("responseid")
    respondents = [
        row[id_index].strip() if id_index is not None and row[id_index].strip() else f"response on line {line}"
        for row, line in zip(kept, kept_lines, strict=True)
    ]
    when_index = by_tag.get("recordeddate", by_tag.get("enddate"))
    when = (
        read_timestamps([row[when_index] for row in kept], tags[when_index], notes) if when_index is not None else None
    )
    question_texts = [(texts[i].strip() or tags[i]) for i in questions]
    ids = question_ids(len(questions), [tags[i] for i in questions])
    note_duplicated_texts(question_texts, notes)
    data = {"respondent": respondents}
    if when is not None:
        data["submitted_at"] = when
    for index in attributes:
        data[tags[index].casefold()] = [row[index] for row in kept]
    hidden = []
    for index in embedded:
        data[tags[index]] = [row[index] for row in kept]
        if IDENTIFIER.search(tags[index]):
            hidden.append(tags[index])
    if embedded:
        notes.append(
            "embedded data kept as respondent attributes (use them with --by or --attribute): "
            + ", ".join(tags[i] for i in embedded)
            + (f"; {', '.join(hidden)} hold identifiers and are pseudonymised like the respondent id" if hidden else "")
        )
    for qid, index in zip(ids, questions, strict=True):
        data[qid] = [row[index] for row in kept]
    drafts = [
        QuestionDraft(qid, text, kind="open_text" if tags[i].upper().endswith("_TEXT") else None, joiner=",")
        for qid, text, i in zip(ids, question_texts, questions, strict=True)
    ]
    parsed = wide_parsed(FORMAT, data, drafts, kept_lines, dropped, aside, notes)
    parsed.pseudonymise = hidden
    return parsed
