"""What the agreement statistics share: the published interpretation bands and their sources, the
input checks, and the seeded unit bootstrap.

Bands are read from the unrounded value (:func:`band_range` reads an interval's); the band sources'
full references are kept here so each :class:`~helpers.stats.result.Result` can carry the one it uses.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from ...errors import ParameterError, WorkbookError
from .. import checks
from ..result import band

# --- interpretation bands (lower edges of labels[1:], read from the unrounded value) ----------------
# Published tables give two-decimal ranges (".00 to .30, .31 to .50"); read unrounded, a value
# above .30 is past the first range, so the edges are .30, .50...: 0.305 is "weak", not "lack".

#: LeBreton & Senter (2008), table 3: agreement read from r_wg / r_wg(J).
RWG_BANDS = (
    [0.30, 0.50, 0.70, 0.90],
    ["lack of agreement", "weak agreement", "moderate agreement", "strong agreement", "very strong agreement"],
)
#: Landis & Koch (1977) for kappa statistics.
KAPPA_BANDS = ([0.0, 0.20, 0.40, 0.60, 0.80], ["poor", "slight", "fair", "moderate", "substantial", "almost perfect"])
#: Koo & Li (2016) for intraclass correlations.
ICC_BANDS = ([0.50, 0.75, 0.90], ["poor", "moderate", "good", "excellent"])
#: LeBreton & Senter (2008) for ICC(1) as an effect size (after Murphy & Myors 1998).
ICC1_BANDS = ([0.01, 0.10, 0.25], ["negligible", "small", "medium", "large"])
#: Schmidt (1997) for Kendall's W, his anchor values read as lower edges.
W_BANDS = ([0.3, 0.5, 0.7, 0.9], ["very weak", "weak", "moderate", "strong", "unusually strong"])
#: Krippendorff (2004, p. 241): rely on alpha >= .800, tentative conclusions from .667.
ALPHA_BANDS = ([0.667, 0.800], ["unacceptable (< .667)", "tentative (.667 to .800)", "acceptable (>= .800)"])

#: Full references of the band sources, attached to the Results banded by them.
LANDIS_KOCH = "Landis, J. R., & Koch, G. G. (1977). Biometrics, 33(1), 159-174."
LEBRETON = "LeBreton, J. M., & Senter, J. L. (2008). Organizational Research Methods, 11(4), 815-852."
SCHMIDT = "Schmidt, R. C. (1997). Decision Sciences, 28(3), 763-774."
KOO_LI = "Koo, T. K., & Li, M. Y. (2016). Journal of Chiropractic Medicine, 15(2), 155-163."
KRIPPENDORFF_2004 = "Krippendorff, K. (2004). Content analysis: An introduction to its methodology (2nd ed.), p. 241."


def with_bands(reference: str, source: str) -> str:
    """A method's reference followed by the full reference of the band it is read against.

    >>> with_bands("Fleiss (1971)", LANDIS_KOCH)
    'Fleiss (1971); bands: Landis, J. R., & Koch, G. G. (1977). Biometrics, 33(1), 159-174.'
    """
    return f"{reference}; bands: {source}"


@contextmanager
def _quiet_pingouin():
    """Silence pingouin 0.7's own pandas deprecation notice (``dropna(inplace=...)``), which would
    otherwise print into every notebook output that calls it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*inplace keyword.*", category=DeprecationWarning)
        yield


def _banded(value: float, bands, *, above: bool = False) -> str:
    """The band of the unrounded value (rounding first would move the edges: .895 is not "excellent")."""
    cuts, labels = bands
    if value is None or not np.isfinite(value):
        raise WorkbookError(f"The estimate is undefined ({value!r}); it has no band.")
    return band(float(value), cuts, labels, above=above)


def band_range(low: float, high: float, bands) -> str:
    """The bands an interval spans: "moderate", or "poor to good" when the CI crosses edges.

    Koo & Li (2016) ask for the ICC's band to be read from its 95% confidence interval.

    >>> band_range(0.23, 0.79, ICC_BANDS)
    'poor to good'
    """
    first, last = _banded(low, bands), _banded(high, bands)
    return first if first == last else f"{first} to {last}"


def _numeric_matrix(data, name: str, *, allow_missing: bool) -> np.ndarray:
    """A 2-D float array from a DataFrame/array, with a plain error if it is not one."""
    try:
        matrix = np.asarray(pd.DataFrame(data).apply(pd.to_numeric, errors="raise"), dtype=float)
    except (ValueError, TypeError):
        raise WorkbookError(
            f"`{name}` must hold numbers only; convert labels to scores first (a codebook does this)."
        ) from None
    if matrix.ndim != 2 or min(matrix.shape) < 1:
        raise WorkbookError(f"`{name}` must be a table (rows x columns); it has shape {matrix.shape}.")
    if not allow_missing and np.isnan(matrix).any():
        row, col = np.argwhere(np.isnan(matrix))[0]
        raise WorkbookError(
            f"`{name}` has a missing value (row {row + 1}, column {col + 1}); "
            "remove incomplete rows or fill them before computing this statistic."
        )
    return matrix


def _check_options(n_options) -> int:
    if isinstance(n_options, bool) or not float(n_options).is_integer() or n_options < 2:
        raise ParameterError(
            f"`n_options` must be the number of answer options on the scale (a whole number >= 2); it is {n_options!r}."
        )
    return int(n_options)


def _check_level(ci_level: float) -> float:
    return checks.ci_level(ci_level)


def _unit_bootstrap(
    statistic: Callable[[np.ndarray], float], n_units: int, n_boot: int, seed: int | None, ci_level: float
) -> tuple[tuple[float, float], dict[str, Any]]:
    """Percentile CI from resampling units (columns/rows) with replacement, seeded.

    Resamples in which the statistic is undefined (e.g. every unit drew the same value) are
    skipped and counted, so a reader can see how many were usable.
    """
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n_boot):
        try:
            value = statistic(rng.integers(0, n_units, n_units))
        except (ValueError, ZeroDivisionError, FloatingPointError):
            continue
        if np.isfinite(value):
            values.append(value)
    if len(values) < max(10, n_boot // 2):
        raise WorkbookError(
            f"Only {len(values)} of {n_boot} bootstrap resamples gave a defined statistic; "
            "the data are too small or too uniform for a bootstrap interval."
        )
    tail = (1 - ci_level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    info = {"bootstrap": "percentile, resampling units", "n_boot": n_boot, "n_boot_used": len(values), "seed": seed}
    return (float(low), float(high)), info
