"""Personal data in text and in columns: found, masked, and never allowed into an output.

- :func:`mask_text` (from :mod:`helpers.redact`) masks e-mail addresses and phone numbers in any
  text (answers of every kind, question texts, notes, reports, error messages). Phones in
  international and national formats (``+44 20 7946 0958``, ``(020) 7946 0958``, ``555.123.4567``, ``06.12.34.56.78``,
  ``030/1234567``, ``555-1234``, spaced with non-breaking spaces) are masked; dates, date-times,
  year ranges and ISBNs are not phones and are left alone.
- :func:`heading_reason` says whether a column heading asks for personal data, in English, German,
  French and Spanish, including long headings ("Please enter your e-mail address ...") and
  quasi-identifiers (browser, operating system, device, location, self-made codes).
- :func:`content_reason` says whether a column's *values* are mostly e-mail addresses, phone
  numbers, people's names or postal addresses, whatever its heading.

Every pattern runs in linear time: no nested quantifiers, character classes that cannot overlap at a
boundary, and bounded repeats (a test runs them on a long adversarial string). What is *not* found:
a name inside a sentence ("ask Maria in finance") — free text can hold names, and the workbook
cannot tell them from other words.

The text masking itself lives in :mod:`helpers.redact` (a utility that imports nothing of ours, so
error messages can use it); this module adds the column-level detection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..redact import EMAIL, EMAIL_MASK, PHONE_MASK, has_contact_details, mask_text

__all__ = ["EMAIL", "EMAIL_MASK", "PHONE_MASK", "content_reason", "has_contact_details", "heading_reason", "mask_text"]


# --- headings -------------------------------------------------------------------------------------

_RULES: tuple[tuple[str, str], ...] = (
    (r"e-?mail|courriel|correo|mail ?address|mailadresse", "e-mail address"),
    (r"\bip\b|ip ?address|ipaddr|ip-adresse", "IP address"),
    (
        r"latitude|longitude|breitengrad|l.ngengrad|location|geoloc|post ?code|postleitzahl|\bplz\b|zip ?code|"
        r"city\b|^town$|home ?town|wohnort|^ort$|^ville$|ciudad|(home|postal|street|your|mailing) address|^address|"
        r"^adresse|anschrift|direcci.n|^street|stra(ss|ß)e und|where do you live|wo wohnst|wo wohnen",
        "location or address",
    ),
    (r"recipient|empf.nger|external ?(data )?ref", "recipient (panel) field"),
    (
        r"phone|mobile|\bmobil\b|handy|telefon|t.l.phone|^t[eé]l\b|portable|tel.fono|celular|\bcell\b|whatsapp",
        "phone number",
    ),
    (
        r"(^|\b)(user ?name|full ?name|first ?name|last ?name|surname|given ?name|family ?name|"
        r"name|nom|nombre|vorname|nachname|participant|pr.nom|apellido)($|\b)|wie hei(ss|ß)(t|en) (du|sie)|"
        r"what is your name|what.s your name|comment vous appelez|c.mo te llamas",
        "name",
    ),
    (
        r"^(your )?(contact |personal )?details$|^contact( details| info| information)?$|^kontakt(daten|angaben)?$|"
        r"^coordonn.es$|^datos de contacto$|^(your )?personal (details|data|information)$|"
        r"^pers.nliche (daten|angaben)$",
        "contact details",
    ),
    (r"^token$|access ?token|respondent ?email", "invitation token"),
    (r"custom ?data", "custom data (may hold identifiers)"),
    (
        r"refurl|referr?er ?url|user ?agent|browser|operating ?system|\bos\b|betriebssystem|\bdevice\b|ger.t|"
        r"screen ?resolution|bildschirm",
        "browser or device (quasi-identifier)",
    ),
    (
        r"(personal|self.?(made|generated|created)|identification|participant|pers.nlich\w*|your( own)?) ?code\b|"
        r"\bcode ?(word|name)\b|kennung|pseudonym",
        "self-made code (quasi-identifier)",
    ),
)
_NOT_A_PERSON = r"(company|organi[sz]ation|team|project|product|group|party|partner|file|event|initiative)('s)? name"
#: A long heading is a question; it asks for personal data only when it asks for *your* name, e-mail...
_ASKS_FOR = re.compile(
    r"\b(your|ihre?n?|deine?n?|votre|vos|tu|su) (?:(?:full|first|last|given|family|home|private|personal|work|"
    r"mobile|cell|own|postal|contact|current|e-?mail|phone|telephone|handy|mobil|vollständige[rn]?) ){0,2}"
    r"(e-?mail|mail address|phone|mobile|telephone|handy\w*|telefon\w*|name|vorname|nachname|nom|nombre|address|"
    r"adresse|anschrift|details|postcode|zip code|whatsapp|date of birth|birthday|geburtsdatum)\b"
    r"|wie hei(ss|ß)(t|en) (du|sie)|where do you live|wo wohnst du|o. habitez|d.nde vives"
)


def heading_reason(heading) -> str | None:
    """Why a column with this heading is personal data (or a quasi-identifier), or None.

    >>> heading_reason("RecipientEmail"), heading_reason("Wie heißt du?"), heading_reason("Handynummer")
    ('e-mail address', 'name', 'phone number')
    >>> heading_reason("Please enter your e-mail address so that we can send you the results of the survey")
    'asks for personal data'
    >>> heading_reason("How well does your partner communicate by phone and e-mail in the alliance?") is None
    True
    """
    raw = str(heading).strip()
    text = re.sub(r"[\s_.]+", " ", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", raw)).casefold().strip(" ?:*")
    text = re.sub(_NOT_A_PERSON, " ", text).strip()  # "your company's name" is not a person's
    if len(text) > 60:  # a question: personal only when it asks for the respondent's own details
        return "asks for personal data" if _ASKS_FOR.search(text) else None
    if _ASKS_FOR.search(text):
        for pattern, reason in _RULES:
            if re.search(pattern, text):
                return reason
        return "asks for personal data"
    for pattern, reason in _RULES:
        if re.search(pattern, text):
            return reason
    return None


# --- content --------------------------------------------------------------------------------------

_NAME = re.compile(
    r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]{1,30}(?: (?:van|von|de|der|da|di|le|la|del)?)?"
    r" [A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]{1,30}(?:[ -][A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]{1,30})?"
)
_ADDRESS = re.compile(
    r"\d{1,5}[a-z]? [\w .'-]{0,40}?\b(street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|close|place|square|"
    r"boulevard|blvd|terrace|crescent|court)\b"
    r"|\b[\wäöüß-]{2,40}(stra(ss|ß)e|str\.|weg|gasse|platz|allee|ring)\s?\d{1,4}"
    r"|\b\d{1,4},? (rue|avenue|boulevard|chemin|place|calle|avenida)\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"  # a UK postcode
    r"|\b\d{5} [A-ZÄÖÜ][a-zäöüß]{2,}",  # a German or French postcode and town
    re.IGNORECASE,
)


def _little_else(masked: str) -> bool:
    """A value that is mostly contact details: little text is left once they are masked."""
    rest = masked.replace(EMAIL_MASK, "").replace(PHONE_MASK, "")
    return len(rest.strip(" :;,./-()")) <= 12


def content_reason(values: Iterable, *, share: float = 0.5) -> str | None:
    """Why a column's values are personal data, or None: when at least ``share`` of its (first 2,000)
    non-empty values are e-mail addresses, phone numbers or postal addresses, or (names) when most are two or
    three capitalised words and nearly all different.

    >>> content_reason(["ada@example.org", "ben@example.org", ""])
    'its values are e-mail addresses'
    >>> content_reason(["Agree", "Disagree", "Agree"]) is None
    True
    """
    present = [str(v).strip() for v in values if v is not None and str(v).strip() and str(v).strip().lower() != "nan"]
    if not present:
        return None
    present = present[:2000]  # the first 2,000 answers tell what a column holds
    limit = max(1, int(len(present) * share + 0.999999))
    masked = [mask_text(v) for v in present]
    emails = sum(1 for m in masked if EMAIL_MASK in m and _little_else(m))
    if emails >= limit:
        return "its values are e-mail addresses"
    phones = sum(1 for m in masked if PHONE_MASK in m and _little_else(m))
    if phones >= limit:
        return "its values are phone numbers"
    addresses = sum(1 for v in present if len(v) <= 120 and _ADDRESS.search(v))
    if addresses >= limit:
        return "its values are postal addresses"
    names = sum(1 for v in present if _NAME.fullmatch(v))
    if len(present) >= 3 and names >= max(limit, int(0.7 * len(present))) and len(set(present)) >= 0.8 * len(present):
        return "its values are people's names"
    return None
