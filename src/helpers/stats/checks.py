"""The argument checks every public statistic shares, so each refuses a bad argument the same way.

One name per concept across :mod:`helpers.stats`: ``ci_level`` (an interval's coverage, a number
between 0 and 1), ``n_boot`` (bootstrap resamples), ``seed`` (the seed of a
:class:`numpy.random.Generator`, so the same seed gives the same interval). A check raises
:class:`~helpers.errors.ParameterError` with one plain sentence naming the argument, its value and
what to give instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import ParameterError, WorkbookError


def ci_level(value: Any, name: str = "ci_level") -> float:
    """The interval's coverage as a float strictly between 0 and 1 (95 or True are refused).

    >>> ci_level(0.9)
    0.9
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not np.isfinite(value)
        or not 0 < value < 1
    ):
        hint = f" (for {value}% write {value / 100:g})" if isinstance(value, (int, float)) and 1 < value < 100 else ""
        raise ParameterError(f"`{name}` must be a number between 0 and 1, e.g. 0.95; it is {value!r}{hint}.")
    return float(value)


def n_boot(value: Any, *, allow_zero: bool = True, name: str = "n_boot") -> int:
    """The number of bootstrap resamples: a whole number >= 0 (0 = no bootstrap), or >= 1."""
    low = 0 if allow_zero else 1
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not float(value).is_integer()
        or value < low
    ):
        raise ParameterError(f"`{name}` must be a whole number >= {low} (resamples); it is {value!r}.")
    return int(value)


def rng(seed: Any) -> np.random.Generator:
    """A numpy Generator from a seed (a whole number >= 0, None for fresh entropy, or a Generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ParameterError(f"`seed` must be a whole number >= 0 (or None); it is {seed!r}.")
    return np.random.default_rng(seed)


def choice(name: str, value: Any, options: Sequence[Any]) -> Any:
    """``value`` if it is one of ``options``, else a plain error listing them."""
    if value not in options:
        raise ParameterError(f"`{name}` must be one of {', '.join(map(repr, options))}; it is {value!r}.")
    return value


def finite(value: float, what: str, instead: str) -> float:
    """``value`` if it is a finite number; else a plain error saying the statistic is undefined here."""
    if value is None or not np.isfinite(value):
        raise WorkbookError(f"{what} is undefined here ({value!r}). {instead}")
    return float(value)


def notes_from(caught: Sequence[warnings.WarningMessage]) -> list[str]:
    """Library warnings caught during a computation, as plain notes for ``Result.details['notes']``."""
    seen: list[str] = []
    for item in caught:
        text = f"{item.category.__name__}: {item.message}"
        if text not in seen:
            seen.append(text)
    return seen
