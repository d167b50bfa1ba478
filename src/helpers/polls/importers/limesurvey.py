"""LimeSurvey response exports (CSV from "Export responses" or the RemoteControl API; XLSX).

System columns come first: ``id, submitdate, lastpage, startlanguage, seed, token, startdate,
datestamp, ipaddr, refurl`` (or, with full headings, ``Response ID, Date submitted, Last page, ...``).
Question headings depend on the export option; all of these are read:

- code and text: ``E2[SQ001]. Which tools do you use? [Zoom]`` (sub-question ``SQ001``, label ``Zoom``);
- code only: ``E2[SQ001]`` or ``E2``;
- text only: ``Which tools do you use? [Zoom]``.

Sub-question columns of one question code form a group. When every cell of the group is ``Yes``/``Y``
(checked) or ``N/A``/``No``/empty (unchecked), it is a **multi-choice** question and the checked
labels become one answer. Otherwise each sub-question is its own item (an array / matrix).
``[other]`` and ``[...comment]`` columns are open text. API exports are ``;``-separated, often with a
BOM. ``token``, ``ipaddr`` and ``refurl`` are dropped; ``id`` becomes a keyed pseudonym.
"""

from __future__ import annotations

import re

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

FORMAT = "limesurvey"
#: System columns by their code, as headings "Question code & question text" write them (``id. Response ID``).
SYSTEM_CODES = {
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "token",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "interviewtime",
}
#: System columns by their code or their label, as plain headings write them.
SYSTEM = (SYSTEM_CODES - {"interviewtime"}) | {
    "response id",
    "date submitted",
    "last page",
    "start language",
    "date started",
    "date last action",
    "ip address",
    "referrer url",
    "access code",
}
_PERSONAL_CODES = {"token", "ipaddr", "refurl"}
_CHECKED = {"yes", "y"}
_UNCHECKED = {"n/a", "no", "n", ""}
_HEADING = re.compile(r"^(?P<code>[A-Za-z][A-Za-z0-9_]*)(?:\[(?P<sub>[^\]]*)\])?(?:\.\s*(?P<text>.*))?$", re.S)
_LABEL = re.compile(r"^(?P<text>.*?)\s*\[(?P<label>[^\[\]]*)\]\s*$", re.S)


def system_name(heading: str) -> str | None:
    """The system column a heading names (``id``, ``submitdate``, ``response id``...), or None for a question.

    Headings come as the code (``submitdate``), the text (``Date submitted``) or both
    (``submitdate. Date submitted``); participant attributes (``attribute_1. kd_fak``) count as system too.
    """
    folded = heading.strip().casefold()
    if folded in SYSTEM:
        return folded
    code, sub, text, _ = split_heading(heading)
    if code and sub is None:
        folded_code = code.casefold()
        if (
            folded_code in SYSTEM_CODES
            or re.fullmatch(r"attribute_\d+", folded_code)
            or folded_code.endswith("time")
            and "time" in text.casefold()
        ):
            return folded_code
    return None


def sniff(sheet: Sheet) -> str | None:
    header = {c.strip().casefold() for c in sheet.nonblank()[0][1]}
    codes = {system_name(c) for c in sheet.nonblank()[0][1]} - {None}
    if {"id", "submitdate"} <= header and header & {"lastpage", "startlanguage"}:
        return "its header has LimeSurvey's system columns id, submitdate, lastpage/startlanguage"
    if {"id", "submitdate"} <= codes and codes & {"lastpage", "startlanguage"}:
        return (
            "its header has LimeSurvey's system columns with code and text ('id. Response ID', "
            "'submitdate. Date submitted', ...)"
        )
    if {"response id", "date submitted"} <= header and header & {"last page", "start language"}:
        return "its header has LimeSurvey's system columns (full headings: Response ID, Date submitted, Last page)"
    return None


def split_heading(heading: str) -> tuple[str | None, str | None, str, str | None]:
    """(code, sub-question code, text, option label) of a LimeSurvey column heading."""
    heading = heading.strip()
    match = _HEADING.match(heading)
    if match and (match.group("sub") is not None or match.group("text") is not None or " " not in heading):
        text = (match.group("text") or "").strip()
        label = None
        if match.group("sub") is not None and text:
            tail = _LABEL.match(text)
            if tail:
                text, label = tail.group("text").strip(), tail.group("label").strip()
        return match.group("code"), match.group("sub"), text, label
    tail = _LABEL.match(heading)
    if tail:
        return None, tail.group("label").strip(), tail.group("text").strip(), tail.group("label").strip()
    return None, None, heading, None


def parse(sheet: Sheet) -> Parsed:
    header, cells, lines, aside, notes = one_header_table(sheet, "the export has a header but no responses")
    system = [system_name(h) for h in header]
    folded = [name or h.casefold() for name, h in zip(system, header, strict=True)]
    dropped = [
        h
        for h, name in zip(header, system, strict=True)
        if (name or h.casefold()) in (*_PERSONAL_CODES, "ip address", "referrer url", "access code")
        or (name and name.startswith("attribute_"))
        or (name is None and personal_reason(h) and len(h) < 30)
    ]
    skipped = [h for h, name in zip(header, system, strict=True) if name and h not in dropped]
    if skipped:
        notes.append("LimeSurvey's system columns are not questions and were not imported: " + ", ".join(skipped))

    groups: dict[str, list[tuple[int, str | None, str, str | None]]] = {}
    for index, heading in enumerate(header):
        if system[index] or heading in dropped:
            continue
        code, sub, text, label = split_heading(heading)
        key = code or text
        groups.setdefault(key, []).append((index, sub, text, label))

    raw: list[
        tuple[str | None, str, str | None, tuple[str, ...], bool, list[str]]
    ] = []  # code, text, kind, options, multi, values
    for key, members in groups.items():
        code = key if members[0][1] is not None or _HEADING.match(key) else None
        text = members[0][2] or key
        if len(members) == 1 and members[0][1] is None:
            raw.append((code, text, None, (), False, [row[members[0][0]] for row in cells]))
            continue
        free = [m for m in members if (m[1] or "").casefold() == "other" or (m[1] or "").casefold().endswith("comment")]
        main = [m for m in members if m[1] is None]
        subs = [m for m in members if m not in free and m not in main]
        if main and not subs:  # "List with Other" / "List with comment": the list itself, and its text column(s)
            raw.append((code, text, None, (), False, [row[main[0][0]] for row in cells]))
            for m in free:
                raw.append(
                    (
                        f"{code}_{m[1]}" if code else None,
                        f"{text} [{m[3] or m[1]}]",
                        "open_text",
                        (),
                        False,
                        [row[m[0]] for row in cells],
                    )
                )
            continue
        subs = main + subs
        checkbox = bool(subs) and all(
            row[m[0]].strip().casefold() in _CHECKED | _UNCHECKED for row in cells for m in subs
        )
        if checkbox:
            labels = tuple(m[3] or m[1] or f"option {n}" for n, m in enumerate(subs, start=1))
            values = [
                "; ".join(
                    label for m, label in zip(subs, labels, strict=True) if row[m[0]].strip().casefold() in _CHECKED
                )
                for row in cells
            ]
            raw.append((code, text, None, labels, True, values))
        else:
            if subs:
                notes.append(f"{key} has {len(subs)} sub-questions read as separate items (an array)")
            for m in subs:
                label = m[3] or m[1]
                raw.append(
                    (
                        f"{code}_{m[1]}" if code and m[1] else code,
                        f"{text} [{label}]" if label else text,
                        None,
                        (),
                        False,
                        [row[m[0]] for row in cells],
                    )
                )
        for m in free:
            raw.append(
                (
                    f"{code}_{m[1]}" if code and m[1] else None,
                    f"{text} [{m[3] or m[1]}]",
                    "open_text",
                    (),
                    False,
                    [row[m[0]] for row in cells],
                )
            )

    codes = [r[0] for r in raw]
    ids = question_ids(len(raw), codes if all(codes) else None)
    note_duplicated_texts([r[1] for r in raw], notes)
    ident = next((folded.index(n) for n in ("id", "response id") if n in folded), None)
    data = {
        "respondent": [
            row[ident].strip() if ident is not None and row[ident].strip() else f"response on line {line}"
            for row, line in zip(cells, lines, strict=True)
        ]
    }
    submitted = next((folded.index(n) for n in ("submitdate", "date submitted") if n in folded), None)
    if submitted is not None:
        data["submitted_at"] = read_timestamps([row[submitted] for row in cells], "submitdate", notes)
    drafts = []
    for qid, (_code, text, kind, options, multi, values) in zip(ids, raw, strict=True):
        data[qid] = [v if not (multi is False and v.strip().casefold() == "n/a") else "" for v in values]
        drafts.append(QuestionDraft(qid, text, kind=kind, options=options, multi=multi, joiner="; " if multi else None))
    return wide_parsed(FORMAT, data, drafts, lines, dropped, aside, notes)
