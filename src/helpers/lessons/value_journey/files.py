"""Lesson 03, the user's own tables: a journey panel and a reasons log, read and checked.

The layouts (checked with pandera) and the rules a panel must follow (consecutive months, nothing
after the end of a journey, covariates fixed per initiative). Every problem becomes one
:class:`~helpers.errors.InputError` naming file, line, column and value.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...cases.value_journey import EXIT, STATES, TYPES
from ...errors import InputError
from ...polls.tables import check_schema, read_user_table

#: Other spellings accepted in a user's panel (after lower-casing and trimming).
ALIASES = {
    "latent": "latent value",
    "latent_value": "latent value",
    "explore": "exploring",
    "cohere": "cohering",
    "coherence": "cohering",
    "establish": "establishing",
    "journeying": "teaming",
    "value_creation": "value creation",
    "value": "value creation",
    "meta organisation": "meta-organisation",
    "meta-organization": "meta-organisation",
    "meta organization": "meta-organisation",
    "meta_organisation": "meta-organisation",
    "metaorganisation": "meta-organisation",
    "exit": "exited",
    "exits": "exited",
}


def _schemas():
    import pandera.pandas as pa

    stage_check = pa.Check.isin(STATES, error=f"stage must be one of: {', '.join(STATES)}")
    panel = pa.DataFrameSchema(
        {
            "initiative": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "month": pa.Column(int, pa.Check.ge(1), coerce=True, nullable=False),
            "stage": pa.Column(str, stage_check, nullable=False),
            "type": pa.Column(str, pa.Check.isin(TYPES), required=False, nullable=False),
            "informal_network": pa.Column(int, pa.Check.isin([0, 1]), coerce=True, required=False, nullable=False),
            "early_trust": pa.Column(int, pa.Check.isin([0, 1]), coerce=True, required=False, nullable=False),
        },
        strict=False,
    )
    reasons = pa.DataFrameSchema(
        {
            "initiative": pa.Column(str, pa.Check.str_length(min_value=1), required=False, nullable=False),
            "review": pa.Column(int, pa.Check.ge(1), coerce=True, nullable=False),
            "kind": pa.Column(str, pa.Check.isin(["believe", "disbelieve"]), nullable=False),
            "action": pa.Column(str, pa.Check.isin(["add", "drop"]), required=False, nullable=False),
            "weight": pa.Column(int, pa.Check.isin([1, 2, 3]), coerce=True, required=False, nullable=False),
            "reason": pa.Column(str, required=False, nullable=True),
        },
        strict=False,
    )
    return panel, reasons


_WANTED = {
    "initiative": "an initiative id (any text)",
    "month": "a whole month number, 1 or more",
    "stage": f"one of {', '.join(STATES)}",
    "type": "consortium or coalition",
    "informal_network": "1 (started from an informal network) or 0",
    "early_trust": "1 (early trust-building) or 0",
    "review": "a whole review number, 1 or more",
    "kind": "believe or disbelieve",
    "action": "add or drop",
    "weight": "1, 2 or 3",
}


def validate_panel(frame: pd.DataFrame, *, source: str = "panel", lines=None) -> pd.DataFrame:
    """Check a journey panel and return it cleaned (stage labels canonical, numbers as integers).

    Required columns: ``initiative, month, stage``; optional covariates ``type`` (consortium |
    coalition), ``informal_network`` and ``early_trust`` (1 | 0). Rules: months consecutive within an
    initiative with no repeats; nothing after ``exited`` or ``meta-organisation``; covariates fixed
    per initiative. Any problem raises :class:`~helpers.errors.InputError` naming file, line,
    column and value (``lines``: the file line of each row; default row + 2, as under a header).
    """
    frame = frame.copy()
    lines = list(lines) if lines is not None else [i + 2 for i in range(len(frame))]
    frame.index = range(len(frame))
    _require(frame, ["initiative", "month", "stage"], source)
    frame["initiative"] = frame["initiative"].astype(str).str.strip()
    frame["stage"] = frame["stage"].map(canonical_stage)
    if "type" in frame.columns:
        frame["type"] = frame["type"].astype(str).str.strip().str.casefold()
    schema, _ = _schemas()
    frame = check_schema(schema, frame, source=source, lines=lines, wanted=_WANTED)
    frame = frame.sort_values(["initiative", "month"], kind="stable")
    same = frame["initiative"].eq(frame["initiative"].shift())
    checks = [
        (
            "month",
            same & frame["month"].diff().ne(1),
            lambda r, p: (
                f"initiative {r['initiative']!r}: month {r['month']} follows month {p['month']}; give one "
                "row per initiative and month, with no gaps or repeats."
            ),
        ),
        (
            "stage",
            same & frame["stage"].shift().isin([EXIT, "meta-organisation"]),
            lambda r, p: (
                f"initiative {r['initiative']!r}: a row follows the end of its journey ({p['stage']}); "
                "the panel should stop at exited or meta-organisation."
            ),
        ),
    ] + [
        (
            column,
            same & frame[column].ne(frame[column].shift()),
            lambda r, p, column=column: (
                f"initiative {r['initiative']!r}: {column} changes between months; it "
                "describes the initiative and must be the same on all its rows."
            ),
        )
        for column in ("type", "informal_network", "early_trust")
        if column in frame.columns
    ]
    for column, bad, message in checks:
        if bad.any():
            at = bad.idxmax()
            previous = frame.index[frame.index.get_loc(at) - 1]
            raise InputError(
                message(frame.loc[at], frame.loc[previous]),
                file=source,
                line=lines[at],
                column=column,
                value=frame.loc[at, column],
            )
    return frame.reset_index(drop=True)


def validate_reasons(frame: pd.DataFrame, *, source: str = "reasons log", lines=None) -> pd.DataFrame:
    """Check a reasons log (``review, kind`` required; ``initiative, action, weight, reason`` optional).

    Labels are matched without regard to case; missing optional columns get their defaults
    (one initiative, action "add", weight 1). Problems raise :class:`~helpers.errors.InputError`
    with file, line, column and value.
    """
    frame = frame.copy()
    lines = list(lines) if lines is not None else [i + 2 for i in range(len(frame))]
    frame.index = range(len(frame))
    _require(frame, ["review", "kind"], source)
    for column in ("kind", "action"):
        if column in frame.columns:
            frame[column] = frame[column].astype(str).str.strip().str.casefold()
    if "action" in frame.columns:
        frame["action"] = frame["action"].replace({"": "add", "nan": "add"})
    _, schema = _schemas()
    frame = check_schema(schema, frame, source=source, lines=lines, wanted=_WANTED)
    defaults = {"initiative": "my initiative", "action": "add", "weight": 1, "reason": ""}
    for column, value in defaults.items():
        if column not in frame.columns:
            frame[column] = value
    return frame


def canonical_stage(value) -> str:
    """A stage label in the workbook's spelling ("Meta-Organization" -> "meta-organisation")."""
    text = " ".join(str(value).strip().casefold().split())
    return ALIASES.get(text, ALIASES.get(text.replace(" ", "_"), text))


def read_panel(path: str | Path) -> pd.DataFrame:
    """Read and validate a journey panel file (CSV, TSV, TXT or XLSX); see :func:`validate_panel`."""
    return _read(path, validate_panel)


def read_reasons(path: str | Path) -> pd.DataFrame:
    """Read and validate a reasons log file (CSV, TSV, TXT or XLSX); see :func:`validate_reasons`."""
    return _read(path, validate_reasons)


def _read(path, validate):
    frame, lines, source = read_user_table(path, fold_columns=True)
    return validate(frame, source=source, lines=lines)


def _require(frame, columns, source) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"the file has no column {missing[0]!r}; it needs {', '.join(columns)} "
            f"(it has {', '.join(map(str, frame.columns))}).",
            file=source,
        )
