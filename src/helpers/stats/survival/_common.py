"""Input checks shared by the survival functions: columns present, durations >= 0, events 0/1.

A bad row is named with its value (never a traceback); the event column accepts 1/0, true/false, yes/no.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...errors import InputError, ParameterError
from .. import checks


def _columns(data: pd.DataFrame, names: Sequence[str]) -> None:
    missing = [n for n in names if n not in data.columns]
    if missing:
        raise ParameterError(
            f"Column {missing[0]!r} is not in the data (columns: {', '.join(map(str, data.columns))}). "
            "Name a column that exists."
        )


def _durations(data: pd.DataFrame, duration: str, event: str) -> tuple[np.ndarray, np.ndarray]:
    """Durations (non-negative numbers) and events (0/1) as arrays, or a clear error naming the row."""
    _columns(data, [duration, event])
    time = pd.to_numeric(data[duration], errors="coerce")
    bad = time.isna() | (time < 0)
    if bad.any():
        row = bad.idxmax()
        raise InputError(
            f"row {row}: a duration must be a number of at least 0. Fix or remove that row.",
            column=duration,
            value=data.loc[row, duration],
        )
    status = data[event].map(_as_event)
    if status.isna().any():
        row = status.isna().idxmax()
        raise InputError(
            f"row {row}: the event column must be 1 (the event happened) or 0 (censored). Fix or remove that row.",
            column=event,
            value=data.loc[row, event],
        )
    return time.to_numpy(dtype=float), status.to_numpy(dtype=float)


def _as_event(value) -> float | None:
    text = str(value).strip().casefold()
    if text in {"1", "1.0", "true", "yes"}:
        return 1.0
    if text in {"0", "0.0", "false", "no"}:
        return 0.0
    return None


def _z(ci_level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + checks.ci_level(ci_level) / 2))
