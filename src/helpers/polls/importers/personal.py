"""Which export columns hold personal data, by their heading.

Poll tools add columns that identify people: names, e-mail addresses, IP addresses, locations,
recipient (panel) fields, phone numbers. They are dropped on import, before anything else looks at
them, and listed in the import report's ``dropped_columns``. The respondent id that links answers is
kept only as a keyed pseudonym (see :mod:`helpers.polls.privacy`).
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[str, str], ...] = (
    (r"e-?mail|courriel|correo", "e-mail address"),
    (r"\bip\b|ip ?address|ipaddr|ip-adresse", "IP address"),
    (r"latitude|longitude|breitengrad|l.ngengrad|location|geoloc|postcode|zip ?code|city\b", "location"),
    (r"recipient|empf.nger|external ?(data )?ref", "recipient (panel) field"),
    (r"phone|mobile|telefon|t.l.phone", "phone number"),
    (r"(^|\b)(user ?name|full ?name|first ?name|last ?name|surname|given ?name|family ?name|"
     r"name|nom|nombre|vorname|nachname|participant)($|\b)", "name"),
    (r"^token$|access ?token|respondent ?email", "invitation token"),
    (r"custom ?data", "custom data (may hold identifiers)"),
    (r"refurl|referr?er ?url|user ?agent", "browser details"),
)

_NOT_A_PERSON = r"(company|organi[sz]ation|team|project|product|group|party|partner|file|event)('s)? name"


def personal_reason(heading: str) -> str | None:
    """Why a column with this heading is personal data, or None when it is not recognised as such.

    >>> personal_reason("RecipientEmail")
    'e-mail address'
    >>> personal_reason("Q1: How satisfied are you?") is None
    True
    """
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", heading.strip()).casefold()
    if len(text) > 60:  # a question text, not a metadata heading
        return None
    for pattern, reason in _RULES:
        if reason == "name" and re.search(_NOT_A_PERSON, text):
            continue
        if re.search(pattern, text):
            return reason
    return None
