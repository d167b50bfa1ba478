"""Mentimeter, Slido and any other one-row-per-respondent export, through a column mapping.

No public sample of a Mentimeter or Slido export was found, and their layouts change, so the
workbook does not guess: the user says which column is what in a small mapping, a dict or a
two-column CSV file (``role,column``)::

    role,column
    header_row,3
    respondent,Participant ID
    submitted_at,Time
    group,Team
    q1,How useful was the session?
    q2,What should we change next time?

- ``header_row``: the line (text) or row (Excel) of the heading row, as the editor or Excel shows
  it; default 1. Rows above it (titles, notes) are skipped.
- ``respondent``, ``submitted_at``, ``party``, ``group``, ``wave``: optional; without a respondent
  column each row is its own respondent.
- ``joiner``: how the tool joins multiple choices in one cell (default ``;``).
- ``sheet``: not needed: the first worksheet is read; save the one you want first.
- every other role is a question id, mapped to the heading of its column.

Columns not mapped are not imported (listed in the report); mapped columns whose heading looks like
personal data are refused, so a mapping cannot bring names or e-mails in by accident.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import InputError
from ..privacy import personal_reason
from .base import Parsed, QuestionDraft, body, timestamps, wide_parsed
from .sheet import Sheet, read_sheet

ROLES = ("respondent", "submitted_at", "party", "group", "wave")
SETTINGS = ("header_row", "joiner", "sheet")


def read_mapping(mapping) -> dict[str, str]:
    """A mapping as ``{role: column}`` from a dict, a JSON file or a ``role,column`` CSV file."""
    if mapping is None:
        raise InputError(
            "Mentimeter and Slido exports need a column mapping (which column is the respondent, which are "
            "questions): pass mapping=... (a dict or a role,column CSV file); see helpers.polls.importers.mapped"
        )
    if isinstance(mapping, dict):
        return {str(k).strip(): str(v).strip() for k, v in mapping.items()}
    path = Path(mapping)
    if path.suffix.lower() == ".json":
        try:
            loaded = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as error:
            raise InputError(f"the mapping file is not valid JSON ({error})", file=path.name) from None
        if not isinstance(loaded, dict):
            raise InputError("the mapping JSON must be an object of role: column", file=path.name)
        return read_mapping(loaded)
    sheet = read_sheet(path)
    rows = sheet.nonblank()
    header = [c.strip().casefold() for c in rows[0][1]]
    if header[:2] != ["role", "column"]:
        raise InputError(
            "a mapping CSV needs the header role,column", file=path.name, line=rows[0][0], value=",".join(rows[0][1])
        )
    result = {}
    for line, row in rows[1:]:
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise InputError(
                "each mapping row needs a role and a column", file=path.name, line=line, value=",".join(row)
            )
        if row[0].strip() in result:
            raise InputError("this role is mapped twice", file=path.name, line=line, value=row[0].strip())
        result[row[0].strip()] = row[1].strip()
    return result


def parse(sheet: Sheet, mapping, tool: str = "mentimeter") -> Parsed:
    spec = read_mapping(mapping)
    try:
        header_line = int(spec.get("header_row", "1"))
    except ValueError:
        raise InputError("header_row must be a line number", value=spec.get("header_row")) from None
    joiner = spec.get("joiner", ";")
    rows = sheet.nonblank()
    start = next((i for i, (line, _) in enumerate(rows) if line >= header_line), None)
    if start is None:
        raise InputError(f"the file ends before header_row {header_line}", file=sheet.source)
    header = [c.strip() for c in rows[start][1]]
    by_heading = {h.casefold(): i for i, h in enumerate(header) if h}
    roles = {r: c for r, c in spec.items() if r not in SETTINGS}
    positions = {}
    for role, column in roles.items():
        if column.casefold() not in by_heading:
            raise InputError(
                f"the mapping names column {column!r} for {role!r}, but row {rows[start][0]} has no such heading "
                f"(headings: {', '.join(h for h in header if h)[:300]})",
                file=sheet.source,
                line=rows[start][0],
            )
        if role not in ("respondent",) and personal_reason(column):
            raise InputError(
                f"the mapping imports {column!r}, which looks like personal data ({personal_reason(column)}); "
                "map only answers and attributes",
                file=sheet.source,
                line=rows[start][0],
            )
        positions[role] = by_heading[column.casefold()]
    questions = [r for r in roles if r not in ROLES]
    if not questions:
        raise InputError(
            "the mapping names no question column "
            "(every role other than respondent, submitted_at, party, group, wave is a question id)"
        )
    notes = [f"{tool} export read through the user's column mapping (header on row {rows[start][0]})"]
    if len(rows) <= start + 1:
        raise InputError("the export has a header but no responses", file=sheet.source, line=rows[start][0])
    width = max(max(positions.values()) + 1, len(header))
    cells, lines, aside = body(rows[start + 1 :], width, notes)
    unused = [h for i, h in enumerate(header) if h and i not in positions.values()]
    if unused:
        notes.append("columns not in the mapping were not imported: " + ", ".join(unused)[:300])
    data = {}
    data["respondent"] = [
        row[positions["respondent"]].strip()
        if "respondent" in positions and row[positions["respondent"]].strip()
        else f"response on line {line}"
        for row, line in zip(cells, lines, strict=True)
    ]
    if "submitted_at" in positions:
        data["submitted_at"] = timestamps([row[positions["submitted_at"]] for row in cells])[0]
    for role in ("party", "group", "wave"):
        if role in positions:
            data[role] = [row[positions[role]] for row in cells]
    for qid in questions:
        data[qid] = [row[positions[qid]] for row in cells]
    dropped = [h for h in unused if personal_reason(h)]
    return wide_parsed(
        tool, data, [QuestionDraft(qid, roles[qid], joiner=joiner) for qid in questions], lines, dropped, aside, notes
    )
