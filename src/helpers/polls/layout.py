"""The workbook's own layouts, told apart in one place (the front door and every importer ask here).

- **tidy**: one row per answer, with the columns ``respondent, question, answer``;
- **wide**: one row per respondent, one column per question, and a respondent id column (one of
  :data:`ID_CANDIDATES`, compared case- and space-insensitively) or, with a codebook, headings
  that are its question ids.

This module imports nothing from the rest of the workbook, so the loaders (lower layer) and the
importers (above them) can both use it without importing each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TIDY_REQUIRED = ("respondent", "question", "answer")
RESERVED = ("party", "group", "wave", "submitted_at")
#: Headings taken as the respondent id column of a wide file (after :func:`normalise_heading`).
ID_CANDIDATES = (
    "respondent",
    "respondent id",
    "id",
    "response id",
    "responseid",
    "participant",
    "participant id",
    "participant code",
    "respondent code",
)


def normalise_heading(heading) -> str:
    """``"Participant_ID "`` -> ``"participant id"``: case, underscores and spaces do not matter."""
    return re.sub(r"[\s_]+", " ", str(heading)).strip().casefold()


def find_id_column(headings: Iterable) -> str | None:  # the heading as written in the file
    """The first heading that names a respondent id column (in :data:`ID_CANDIDATES` order)."""
    by_name: dict[str, object] = {}
    for heading in headings:
        by_name.setdefault(normalise_heading(heading), heading)
    found = next((by_name[c] for c in ID_CANDIDATES if c in by_name), None)
    return None if found is None else str(found)


def own_layout(headings: Iterable, codebook_ids: Iterable[str] = ()) -> tuple[str, str] | None:
    """``(format, reason)`` when a header row is the workbook's tidy or wide layout, else None.

    >>> own_layout(["Respondent", "Question", "Answer"])[0]
    'tidy'
    >>> own_layout(["Participant ID", "q1", "q2"])[0]
    'wide'
    >>> own_layout(["Name", "q1"], codebook_ids=["q1"])[0]
    'wide'
    >>> own_layout(["Timestamp", "How was it?"]) is None
    True
    """
    headings = [h for h in headings if str(h).strip()]
    names = {normalise_heading(h) for h in headings}
    if set(TIDY_REQUIRED) <= names:
        return "tidy", "its header has the workbook's tidy columns respondent, question, answer"
    identifier = find_id_column(headings)
    if identifier is not None:
        return "wide", (
            f"its first row is a header with the respondent id column {str(identifier).strip()!r} and no "
            "poll tool's layout: read as the workbook's wide layout (one row per respondent)"
        )
    ids = {normalise_heading(q) for q in codebook_ids}
    if ids and names & ids:
        return "wide", (
            "its headings are question ids of the codebook: read as the workbook's wide layout (one row per respondent)"
        )
    return None
