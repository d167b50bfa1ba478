"""Mask e-mail addresses and phone numbers in any text: answers, notes, reports, error messages.

Phones in international and national formats (``+44 20 7946 0958``, ``(020) 7946 0958``,
``555.123.4567``, ``06.12.34.56.78``, ``030/1234567``, ``555-1234``, spaced with non-breaking spaces)
are masked; dates, date-times, year ranges and ISBNs are not phones and are left alone. Every pattern
runs in linear time: no nested quantifiers, an e-mail may start only where no address character
precedes, and repeats are bounded.

A small utility at the bottom of the package (it imports nothing of ours), so that even
:class:`helpers.errors.InputError` can mask what it quotes; :mod:`helpers.polls.pii` builds the
column-level detection on it.
"""

from __future__ import annotations

import re

EMAIL_MASK = "[e-mail removed]"
PHONE_MASK = "[phone removed]"

_LOCAL = r"\w.!#$%&'*+/=?^`{|}~-"
#: an e-mail address: it may start only where no local-part character precedes (so a long run of
#: letters without "@" is tried once, not at every position), one "@", a dotted domain.
EMAIL = re.compile(rf"(?<![{_LOCAL}])[{_LOCAL}]{{1,64}}@[\w-]{{1,63}}\.[\w.-]{{0,190}}\w")
#: a phone-number candidate: optional +, an optional bracketed area code, then digits and the
#: separators people use (space, no-break and thin spaces, dot, hyphen, slash, brackets); bounded.
_SEPARATORS = " \u00a0\u2009\u202f.\\-/()"
_PHONE_CANDIDATE = re.compile(rf"(?<![\w+])(?:\+|00)?\(?\d[\d{_SEPARATORS}]{{4,24}}\d(?![\w])")
_DATE_START = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")
_TIME_AFTER = re.compile(r"[ T]\d{1,2}$")
_YEAR_RANGE = re.compile(r"(?:1[89]|20)\d{2} ?[-/] ?(?:(?:1[89]|20)\d{2}|\d{2})")
_ISBN_SHAPE = re.compile(r"(?:97[89][- ])?\d{1,5}[- ]\d{1,7}[- ]\d{1,7}[- ][\dX]|97[89]\d{10}|\d{9}[\dX]")


_MAY_HOLD = re.compile(r"[\d@]")


def _is_isbn(digits: str) -> bool:
    if len(digits) == 13 and digits[:3] in ("978", "979"):
        return sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0
    if len(digits) == 10:
        values = [10 if d == "X" else int(d) for d in digits]
        return sum((10 - i) * v for i, v in enumerate(values)) % 11 == 0
    return False


def _phone_or_keep(match: re.Match) -> str:
    text = match.group(0)
    start = _DATE_START.match(text)
    if start:  # a date (perhaps with an hour: "2024-01-01 18" of "18:17"): keep it, look at the rest
        rest = text[start.end() :]
        if not rest or _TIME_AFTER.match(rest) or not re.search(r"\d", rest):
            return text
        return text[: start.end()] + _PHONE_CANDIDATE.sub(_phone_or_keep, rest)
    digits = re.sub(r"[^\dX]", "", text)
    if _YEAR_RANGE.fullmatch(text.strip()):
        return text
    before = match.string[max(0, match.start() - 6) : match.start()].casefold()
    if (_ISBN_SHAPE.fullmatch(text) and _is_isbn(digits)) or "isbn" in before:
        return text
    count = sum(c.isdigit() for c in text)
    separated = any(c in _SEPARATORS for c in text.strip("()"))
    if count > 15 or count < 7 or (not separated and count < 9 and not text.startswith("+")):
        return text
    return PHONE_MASK


def mask_text(text) -> str:
    """``text`` with every e-mail address and phone number masked.

    >>> mask_text("Call 555.123.4567 or mail tomasz%k@example.pl")
    'Call [phone removed] or mail [e-mail removed]'
    >>> mask_text("met on 2024-01-01 18:17, ISBN 978-3-16-148410-0, in 2019-2021")
    'met on 2024-01-01 18:17, ISBN 978-3-16-148410-0, in 2019-2021'
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not _MAY_HOLD.search(text):  # most answers are labels: no digit, no "@", nothing to mask
        return text
    if "@" in text:
        text = EMAIL.sub(EMAIL_MASK, text)
    return _PHONE_CANDIDATE.sub(_phone_or_keep, text)


def has_contact_details(text) -> bool:
    """Whether ``text`` holds an e-mail address or a phone number."""
    return mask_text(text) != str(text)
