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

DEFAULT_MIN_GROUP_SIZE = 5
KEY_ENVIRONMENT_VARIABLE = "WORKBOOK_PSEUDONYM_KEY"

_PERSONAL = re.compile(
    r"(^|[\s_\-.])("
    r"(user|first|last|full|given|family|respondent|recipient)?[\s_\-.]?name"
    r"|e[\s_\-]?mail(\s?address)?"
    r"|ip[\s_\-]?(address|addr)?"
    r"|location[\s_\-]?(latitude|longitude)?|latitude|longitude"
    r"|recipient.*|phone|telephone|mobile"
    r")($|[\s_\-.])",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])\+?\d[\d ()\-]{7,}\d(?![\w])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_personal_column(name: str) -> bool:
    """Whether a column name says it holds personal data (names, e-mails, IPs, locations...)."""
    return bool(_PERSONAL.search(str(name).strip()))


def drop_personal_columns(frame, keep=()):
    """Return ``(frame without personal columns, [dropped names])``; ``keep`` names are never dropped."""
    dropped = [c for c in frame.columns if c not in keep and is_personal_column(c)]
    return frame.drop(columns=dropped), dropped


def project_key() -> bytes:
    """The pseudonymisation key: ``$WORKBOOK_PSEUDONYM_KEY``, else a random key stored (once) in
    ``~/.config/workbook/pseudonym.key`` — outside any data folder, readable only by the user."""
    from_env = os.environ.get(KEY_ENVIRONMENT_VARIABLE)
    if from_env:
        return from_env.encode("utf-8")
    path = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "workbook" / "pseudonym.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode("utf-8")


def pseudonymise(ids, key: bytes | None = None):
    """Keyed pseudonyms (``r-`` + 12 hex digits of HMAC-SHA256) for a Series of respondent ids.

    The result is a Categorical whose categories are in first-appearance order, so grouping and
    pivoting follow the file's order whatever the key (and so results never depend on the key).
    """
    import pandas as pd

    key = project_key() if key is None else key
    text = ids.astype(str).str.strip()
    unique = pd.unique(text)
    mapping = {raw: "r-" + hmac.new(key, raw.encode("utf-8"), hashlib.sha256).hexdigest()[:12] for raw in unique}
    return pd.Series(pd.Categorical(text.map(mapping), categories=list(dict.fromkeys(mapping.values()))), index=ids.index)


def mask_contact_details(text):
    """Mask e-mail addresses and phone numbers in a Series of free text."""
    return text.str.replace(_EMAIL, "[e-mail removed]", regex=True).str.replace(_PHONE, "[phone removed]", regex=True)


def mask_text(text: str) -> str:
    """Mask e-mail addresses and phone numbers in one piece of text."""
    return _PHONE.sub("[phone removed]", _EMAIL.sub("[e-mail removed]", text))


def small_groups(sizes, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> list:
    """The labels of groups with fewer than ``min_group_size`` members (``sizes``: label -> n)."""
    return [label for label, n in sizes.items() if n < min_group_size]


def safe_for_spreadsheet(frame):
    """A copy of ``frame`` whose text cells cannot start a spreadsheet formula (prefixed with ')."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "category"):
            out[column] = out[column].map(_neutralise)
    return out


def _neutralise(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def groups_to_suppress(sizes, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> list:
    """The groups whose figures must not be shown, safe against differencing.

    Groups smaller than ``min_group_size`` are suppressed. When a total is shown beside the groups,
    a single suppressed group could be recovered as total minus the others, so the next smallest
    group is suppressed with it (complementary suppression, as in statistical disclosure control:
    Hundepool et al. 2012, *Statistical Disclosure Control*, ch. 4).

    >>> groups_to_suppress({"A": 12, "B": 3, "C": 9})
    ['B', 'C']
    """
    small = small_groups(sizes, min_group_size)
    if len(small) == 1 and len(sizes) > 1:
        shown = sorted((n, str(label), label) for label, n in sizes.items() if label not in small)
        small.append(shown[0][2])
    return [label for label in sizes if label in small]
