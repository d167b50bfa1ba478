"""Privacy by default: what never leaves the import step, and what every output does.

- Columns holding names, e-mail addresses, IP addresses, locations, recipients or phone numbers are
  dropped on import and listed in the import report.
- Respondent ids become keyed pseudonyms: HMAC-SHA256 with a per-project key kept outside the data
  (``WORKBOOK_PSEUDONYM_KEY``, else a key file in the user's config folder), so the same person gets
  the same pseudonym across waves and files, and nobody without the key can reverse it.
- E-mail addresses and phone numbers inside free text are masked.
- Tables and plots suppress groups smaller than ``min_group_size`` (default 5).
- Text the workbook writes to CSV or Excel cannot start a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from .pii import content_reason, heading_reason, mask_text

DEFAULT_MIN_GROUP_SIZE = 5
KEY_ENVIRONMENT_VARIABLE = "WORKBOOK_PSEUDONYM_KEY"

_WHOLE_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")  # one @ between non-blank text: linear time (the classes exclude @)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_personal_column(name: str) -> bool:
    """Whether a column name says it holds personal data (names, e-mails, IPs, locations...)."""
    return personal_reason(str(name)) is not None


def personal_reason(heading: str) -> str | None:
    """Why a column with this heading is personal data (or a quasi-identifier), or None when it is
    not recognised as such (:func:`helpers.polls.pii.heading_reason`).

    >>> personal_reason("RecipientEmail")
    'e-mail address'
    >>> personal_reason("Q1: How satisfied are you?") is None
    True
    """
    return heading_reason(heading)


def drop_personal_columns(frame, keep=()):
    """Return ``(frame without personal columns, [dropped names])``; ``keep`` names are never dropped.

    A column is personal by its heading (:func:`personal_reason`) or by its values
    (:func:`helpers.polls.pii.content_reason`: mostly e-mails, phones, names or addresses).
    """
    dropped = [c for c in frame.columns if c not in keep and personal_column_reason(c, frame[c]) is not None]
    return frame.drop(columns=dropped), [mask_text(str(c)) for c in dropped]


def personal_column_reason(heading, values=()) -> str | None:
    """Why a column is personal data, by its heading or else by its values; None when it is not."""
    return heading_reason(heading) or content_reason(list(values))


#: Ids the workbook makes from a row's position when a file has none (``response on line 7``,
#: Zoom's ``anonymous-7``, Microsoft Forms' running ``response 3``): they say nothing about who answered.
ROW_ID_PATTERN = r"(?:response on line |response |anonymous-|line )\d+"


def file_nonce(table) -> str:
    """A nonce from a table's contents (SHA-256 of its cells): rows without an id get pseudonyms that
    are unique to this file, and loading the same file again gives the same ones."""
    digest = hashlib.sha256()
    frame = table.frame if hasattr(table, "frame") else table
    for column in frame.columns:
        digest.update(str(column).encode("utf-8") + b"\x1f")
        for value in frame[column].astype(str):
            digest.update(value.encode("utf-8") + b"\x1e")
    return digest.hexdigest()[:32]


def _key_path() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "workbook" / "pseudonym.key"


def project_key() -> bytes:
    """The pseudonymisation key: ``$WORKBOOK_PSEUDONYM_KEY``, else a random key stored (once) in
    ``~/.config/workbook/pseudonym.key`` — outside any data folder, readable only by the user.

    The key file is created atomically: the key is written to a private temporary file and linked
    into place only if no key file exists yet (``os.link`` fails when the name is taken), so two
    first runs at once agree on one key and nobody ever reads a half-written one. An empty or
    unreadable key file is an error, never used: anyone could compute its pseudonyms.
    """
    from ..errors import WorkbookError

    from_env = os.environ.get(KEY_ENVIRONMENT_VARIABLE)
    if from_env is not None:
        if not from_env.strip():
            raise WorkbookError(
                f"${KEY_ENVIRONMENT_VARIABLE} is set but empty: set it to a long random secret, "
                "or unset it to use the key file"
            )
        return from_env.encode("utf-8")
    try:
        path = _key_path()
        if not path.exists():
            _create_key(path)
    except (OSError, RuntimeError) as error:  # no home folder, or one the user cannot write to
        raise WorkbookError(
            f"the pseudonym key cannot be kept in your config folder ({type(error).__name__}: {error}); set "
            f"{KEY_ENVIRONMENT_VARIABLE} to a long secret, or XDG_CONFIG_HOME to a folder you can write to"
        ) from None
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise WorkbookError(
            f"the pseudonym key file {path} cannot be read ({type(error).__name__}): fix its "
            "permissions, or restore it from your backup. Do not delete it unless you accept "
            "new pseudonyms for everyone"
        ) from None
    if len(text) < 32:
        raise WorkbookError(
            f"the pseudonym key file {path} is empty or too short: restore it from your backup, or "
            "delete it to create a new key (every pseudonym will change)"
        )
    return text.encode("utf-8")


def _create_key(path: Path) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor, temporary = tempfile.mkstemp(prefix=".pseudonym-", dir=path.parent)  # O_EXCL, mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # atomic, and fails if another process created the key first
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)


def pseudonymise(ids, key: bytes | None = None, *, nonce: str | None = None):
    """Keyed pseudonyms (``r-`` + 12 hex digits of HMAC-SHA256) for a Series of respondent ids.

    An id that is an e-mail address is compared case-insensitively (``Ada@Example.org`` is
    ``ada@example.org``, as every poll tool's importer reads it); other ids are compared exactly.
    Ids made from a row's position (:data:`ROW_ID_PATTERN`) are salted with ``nonce`` (see
    :func:`file_nonce`), so row 1 of one file is not row 1 of another.
    The result is a Categorical whose categories are in first-appearance order, so grouping and
    pivoting follow the file's order whatever the key (and so results never depend on the key).
    """
    import pandas as pd

    key = project_key() if key is None else key
    if not key:
        from ..errors import WorkbookError

        raise WorkbookError("the pseudonymisation key is empty: pass a long random secret as key=...")
    text = ids.astype(str).str.strip()
    is_email = text.map(lambda t: bool(_WHOLE_EMAIL.fullmatch(t)) and "." in t.rpartition("@")[2]).astype(bool)
    text = text.where(~is_email, text.str.casefold())  # the same address however it is capitalised
    if nonce is not None:
        positional = text.str.fullmatch(ROW_ID_PATTERN)
        text = text.where(~positional, text + " in file " + nonce)
    codes, unique = pd.factorize(text, sort=False)  # first-appearance order; one hash per person
    names = ["r-" + hmac.new(key, str(raw).encode("utf-8"), hashlib.sha256).hexdigest()[:12] for raw in unique]
    if len(set(names)) == len(names):
        return pd.Series(pd.Categorical.from_codes(codes, categories=names), index=ids.index)
    mapping = dict(zip(unique, names, strict=True))  # (vanishingly rare) two ids share the 48-bit prefix
    return pd.Series(pd.Categorical(text.map(mapping), categories=list(dict.fromkeys(names))), index=ids.index)


def mask_contact_details(text):
    """Mask e-mail addresses and phone numbers in a Series of text (:func:`helpers.polls.pii.mask_text`)."""
    return text.map(mask_text)


def small_groups(sizes, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> list:
    """The labels of groups with fewer than ``min_group_size`` members (``sizes``: label -> n): rule 1
    of :func:`helpers.polls.suppress.suppression` only. Use it to *name* the small groups; decide what
    to hide with ``suppression``, which adds the complements."""
    from .suppress import suppression

    return suppression(dict(sizes), min_group_size=min_group_size).small


def safe_for_spreadsheet(frame):
    """A copy of ``frame`` whose text cannot start a spreadsheet formula ("CSV injection", OWASP).

    Text cells and column names starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    get a leading apostrophe, which spreadsheets show as text. Plain numbers written as text
    (``-2``, ``+3.5``) are left alone: they are data, and no formula can hide in them. Use it for
    every CSV or Excel file the workbook writes.

    >>> import pandas as pd
    >>> safe_for_spreadsheet(pd.DataFrame({"answer": ["=HYPERLINK(1)", "-2", "ok"]}))["answer"].tolist()
    ["'=HYPERLINK(1)", '-2', 'ok']
    """
    out = frame.copy()
    for column in out.columns:
        dtype = str(out[column].dtype)
        if dtype == "category":
            out[column] = out[column].cat.rename_categories(lambda value: _neutralise(value))
        elif out[column].dtype == object or dtype.startswith(("string", "str")):
            out[column] = out[column].map(_neutralise)
    out.columns = [_neutralise(c) for c in out.columns]
    return out


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?$")


def _neutralise(value):
    """One cell made safe. A line break inside a cell (a bare carriage return included, which some
    spreadsheets and CSV readers take for a new row) becomes ``\\n``, and every line of the cell that
    would start a formula gets the apostrophe, not only the first."""
    if not isinstance(value, str):
        return value
    rest = value[1:]
    if "\r" not in rest and "\n" not in rest:
        return _neutralise_line(value)
    lines = rest.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tail = "\n".join([lines[0], *[_neutralise_line(line) for line in lines[1:]]])
    start = "'" if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value) else ""
    return start + value[:1] + tail


def _neutralise_line(value: str) -> str:
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def groups_to_suppress(sizes, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> list:
    """The groups whose figures must not be shown, safe against differencing (a shortcut for
    :func:`helpers.polls.suppress.suppression`, which decides it for every output).

    >>> groups_to_suppress({"A": 12, "B": 3, "C": 9})
    ['B', 'C']
    """
    from .suppress import suppression

    return list(suppression(dict(sizes), min_group_size=min_group_size).hidden)


def suppress_small_groups(table, *, count: str = "n", min_group_size: int = DEFAULT_MIN_GROUP_SIZE):
    """A copy of a per-group table with every figure of a suppressed group blanked.

    ``table`` has one row per group (the index holds the group labels) and a column ``count`` with
    each group's number of respondents. The groups :func:`helpers.polls.suppress.suppression` hides
    (too small, or the complement that would let a reader recover one by differencing from a total)
    keep their row, so the reader sees that they exist, but all their numbers become NaN and the
    column ``suppressed`` says why.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"n": [12, 3, 9], "mean": [3.1, 4.0, 2.5]}, index=["A", "B", "C"])
    >>> suppress_small_groups(table)["mean"].tolist()
    [3.1, nan, nan]
    """
    from .suppress import suppression_table

    return suppression_table(table, "group", count=count, min_group_size=min_group_size)
