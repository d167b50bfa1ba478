"""Two independent means: Welch's t interval for their difference, with Hedges' g.

General (lesson-free): the health-check lesson's partner gaps call :func:`welch_test`.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..errors import InputError
from . import checks
from .result import Result, band

#: Cohen (1988): the lower edges of a small, medium and large standardised difference |g|.
G_BANDS = ([0.2, 0.5, 0.8], ["negligible", "small", "medium", "large"])
G_SOURCE = "Cohen (1988)"
WELCH_REFERENCE = (
    "Welch, B. L. (1947). The generalization of 'Student's' problem when several different "
    "population variances are involved. Biometrika, 34, 28-35. Hedges' g and its CI: Hedges, L. V., "
    "& Olkin, I. (1985). Statistical methods for meta-analysis. Academic Press (ch. 5)."
)


def hedges_correction(df: float) -> float:
    """Hedges' (1981) exact small-sample correction J = Γ(df/2) / (√(df/2) Γ((df-1)/2)).

    >>> round(hedges_correction(10), 6)
    0.922746
    """
    return math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)


def welch_test(x, y, *, ci_level: float = 0.95) -> Result:
    """Welch's two-sample t interval for ``mean(x) - mean(y)`` and Hedges' g with its interval.

    Welch's test does not assume equal variances, which is safer when the groups differ in size and
    spread (scipy ``ttest_ind(equal_var=False)``). Hedges' g is Cohen's d (difference over the pooled
    SD) times the exact correction J of Hedges (1981), as R's ``effectsize::hedges_g``; its interval
    is the Hedges & Olkin (1985, eq. 5.15) normal-theory one,
    :math:`g \\pm z_{1-\\alpha/2} \\sqrt{(n_x + n_y)/(n_x n_y) + g^2 / (2 (n_x + n_y))}`
    (effectsize's noncentral-t interval is a little wider at small n).

    .. math:: \\bar x - \\bar y \\pm t_{1-\\alpha/2,\\,\\nu}\\sqrt{s_x^2/n_x + s_y^2/n_y}

    Degenerate data are refused with the reason: fewer than two values on a side, or no variance
    within either group (every value equal on both sides), where t, its interval and g are undefined.

    Returns
    -------
    Result with the difference, Welch's CI, t, df and p; ``interpretation`` is the Cohen (1988) band
    of |g|; ``details``: ``mean_x, mean_y, n_x, n_y, sd_x, sd_y, hedges_g, g_ci``.

    Examples
    --------
    R's ``t.test(extra ~ group, data = sleep)`` reports t = -1.8608, df = 17.776:

    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = welch_test(g1, g2)
    >>> round(r.statistic, 4), round(r.df, 3), [round(v, 7) for v in r.ci]
    (-1.8608, 17.776, [-3.3654832, 0.2054832])
    """
    from scipy import stats

    level = checks.ci_level(ci_level)
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        raise InputError(
            f"A difference of means needs at least two values on each side; there are {len(a)} and "
            f"{len(b)}. Report the values themselves instead."
        )
    sd_a, sd_b = float(a.std(ddof=1)), float(b.std(ddof=1))
    if sd_a == 0 and sd_b == 0:
        raise InputError(
            "No variance within either group (every value on each side is the same), so Welch's t, its "
            f"interval and Hedges' g are undefined. Report the two values ({a[0]:g} and {b[0]:g}) instead."
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        test = stats.ttest_ind(a, b, equal_var=False)
        ci = test.confidence_interval(level)
    notes = checks.notes_from(caught)
    n_a, n_b = len(a), len(b)
    pooled = math.sqrt(((n_a - 1) * sd_a**2 + (n_b - 1) * sd_b**2) / (n_a + n_b - 2))
    g = (a.mean() - b.mean()) / pooled * hedges_correction(n_a + n_b - 2)
    se_g = math.sqrt((n_a + n_b) / (n_a * n_b) + g**2 / (2 * (n_a + n_b)))
    z = float(stats.norm.ppf(0.5 + level / 2))
    return Result(
        method="Difference of means (Welch)",
        estimate=float(a.mean() - b.mean()),
        n=n_a + n_b,
        ci=(float(ci.low), float(ci.high)),
        ci_level=level,
        statistic=float(test.statistic),
        statistic_name="t",
        df=float(test.df),
        p_value=float(test.pvalue),
        interpretation=f"{band(abs(g), *G_BANDS)} (g = {g:.2f})",
        interpretation_source=G_SOURCE,
        reference=WELCH_REFERENCE,
        details={
            "mean_x": float(a.mean()),
            "mean_y": float(b.mean()),
            "n_x": n_a,
            "n_y": n_b,
            "sd_x": sd_a,
            "sd_y": sd_b,
            "hedges_g": float(g),
            "g_ci": (float(g - z * se_g), float(g + z * se_g)),
            "g_ci_method": "Hedges & Olkin (1985) normal-theory interval",
            "notes": notes,
        },
    )
