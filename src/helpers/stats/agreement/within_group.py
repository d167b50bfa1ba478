"""Within-group agreement: do members of one team answer alike enough that their mean speaks for it?

r_wg on one item and r_wg(J) across parallel items (James, Demaree & Wolf 1984), and ICC(1)/ICC(2)
for aggregating answers to group means (Bliese 2000), banded after LeBreton & Senter (2008).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ...errors import WorkbookError
from ..result import Result
from ._common import (
    ICC1_BANDS,
    LEBRETON,
    RWG_BANDS,
    _banded,
    _check_level,
    _check_options,
    _numeric_matrix,
    _quiet_pingouin,
    with_bands,
)

_JAMES = "James, Demaree & Wolf (1984), J. Appl. Psychol. 69, 85-98"
_BLIESE = "Bliese (2000), in Klein & Kozlowski (Eds.), pp. 349-381"


def _null_variance(n_options: int) -> float:
    # Variance of a discrete uniform distribution over A options: (A^2 - 1) / 12.
    return (n_options**2 - 1) / 12


def _clean_ratings(ratings, n_options: int, name: str) -> np.ndarray:
    values = pd.to_numeric(pd.Series(np.ravel(np.asarray(ratings, dtype=object))), errors="coerce")
    given = pd.Series(np.ravel(np.asarray(ratings, dtype=object)))
    bad = given[values.isna() & given.notna()]
    if len(bad):
        raise WorkbookError(f"`{name}` must hold numeric ratings; it holds {bad.iloc[0]!r}.")
    values = values.dropna().to_numpy(dtype=float)
    if values.size and values.max() - values.min() > n_options - 1:
        raise WorkbookError(
            f"`{name}` spans {values.min():g} to {values.max():g}, wider than a {n_options}-point "
            "scale; check `n_options`."
        )
    return values


def rwg(ratings, n_options: int) -> Result:
    """Within-group agreement r_wg on one item (James, Demaree & Wolf 1984).

    .. math:: r_{wg} = 1 - s^2_x / \\sigma^2_{EU}, \\qquad \\sigma^2_{EU} = (A^2 - 1) / 12

    where :math:`s^2_x` is the observed (n - 1) variance of the group's ratings and
    :math:`\\sigma^2_{EU}` the variance expected if people answered at random, uniformly over the
    *A* options. Values below 0 (more spread than random answering) are truncated to 0, as James et
    al. recommend. Missing ratings are dropped.

    Parameters
    ----------
    ratings : sequence of numbers, one group's answers to one item.
    n_options : number of answer options *A* on the scale (5 for a 5-point Likert item).

    Returns
    -------
    Result with the estimate, n, the observed and null variances in ``details`` and the band of
    LeBreton & Senter (2008): lack (< .31), weak, moderate, strong (.71 to .90), very strong (>= .91).

    References
    ----------
    James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. Journal of Applied Psychology, 69(1), 85-98.

    Examples
    --------
    >>> rwg([4, 4, 5, 4, 3], n_options=5).estimate
    0.75
    """
    n_options = _check_options(n_options)
    values = _clean_ratings(ratings, n_options, "ratings")
    if values.size < 2:
        raise WorkbookError(f"r_wg needs at least two ratings; got {values.size}.")
    observed = float(np.var(values, ddof=1))
    null = _null_variance(n_options)
    raw = 1 - observed / null
    estimate = max(raw, 0.0)
    return Result(
        method="r_wg (uniform null)",
        estimate=estimate,
        n=int(values.size),
        interpretation=_banded(estimate, RWG_BANDS, above=True),
        interpretation_source="LeBreton & Senter (2008)",
        reference=with_bands(_JAMES, LEBRETON),
        details={"observed_variance": observed, "null_variance": null, "untruncated": raw, "n_options": n_options},
    )


def rwg_j(items, n_options: int) -> Result:
    """Within-group agreement r_wg(J) across *J* parallel items (James, Demaree & Wolf 1984).

    .. math:: r_{wg(J)} = \\frac{J (1 - \\bar s^2_x / \\sigma^2_{EU})}
                               {J (1 - \\bar s^2_x / \\sigma^2_{EU}) + \\bar s^2_x / \\sigma^2_{EU}}

    with :math:`\\bar s^2_x` the mean of the items' observed variances and
    :math:`\\sigma^2_{EU} = (A^2 - 1)/12`. When the mean observed variance exceeds the null variance
    the index is set to 0 (LeBreton & Senter 2008 recommend this truncation). Each item's variance
    uses the ratings present for it.

    Parameters
    ----------
    items : DataFrame or 2-D array, one group: rows are members, columns are items of one scale.
    n_options : number of answer options *A* on the items' scale.

    Returns
    -------
    Result; ``details["item_variances"]`` holds each item's observed variance. Band as :func:`rwg`.

    References
    ----------
    James, L. R., Demaree, R. G., & Wolf, G. (1984). Journal of Applied Psychology, 69(1), 85-98.

    Examples
    --------
    >>> round(rwg_j([[4, 4], [4, 5], [5, 4], [4, 4]], n_options=5).estimate, 3)
    0.933
    """
    n_options = _check_options(n_options)
    frame = pd.DataFrame(items)
    matrix = _numeric_matrix(frame, "items", allow_missing=True)
    _clean_ratings(matrix, n_options, "items")
    counts = (~np.isnan(matrix)).sum(axis=0)
    if matrix.shape[1] < 1 or (counts < 2).any():
        raise WorkbookError("r_wg(J) needs at least two ratings on every item.")
    variances = np.nanvar(matrix, axis=0, ddof=1)
    ratio = float(variances.mean()) / _null_variance(n_options)
    j = matrix.shape[1]
    estimate = 0.0 if ratio >= 1 else j * (1 - ratio) / (j * (1 - ratio) + ratio)
    return Result(
        method=f"r_wg(J), J = {j} items (uniform null)",
        estimate=estimate,
        n=int((~np.isnan(matrix)).any(axis=1).sum()),
        interpretation=_banded(estimate, RWG_BANDS, above=True),
        interpretation_source="LeBreton & Senter (2008)",
        reference=with_bands(_JAMES, LEBRETON),
        details={
            "item_variances": pd.Series(variances, index=frame.columns, name="variance"),
            "null_variance": _null_variance(n_options),
            "n_items": j,
            "n_options": n_options,
        },
    )


class AggregationICC(NamedTuple):
    """ICC(1) and ICC(2) of one variable across groups (Bliese 2000); a sequence of two Results."""

    icc1: Result
    icc2: Result


def icc_aggregation(data: pd.DataFrame, group: str, value: str, ci_level: float = 0.95) -> AggregationICC:
    """ICC(1) and ICC(2) for aggregating individual answers to group means (Bliese 2000).

    From a one-way ANOVA of ``value`` by ``group`` (mean squares from :func:`pingouin.anova`):

    .. math:: ICC(1) = \\frac{MSB - MSW}{MSB + (k - 1) MSW}, \\qquad ICC(2) = \\frac{MSB - MSW}{MSB}

    with *k* the mean group size (as in Bliese's R package ``multilevel``). ICC(1) is the share of
    variance due to group membership; ICC(2) is the reliability of the group means. The confidence
    intervals invert the F test F = MSB / MSW (Shrout & Fleiss 1979, case 1); with unequal group
    sizes they are approximate. Rows with a missing group or value are dropped.

    Parameters
    ----------
    data : long DataFrame, one row per person.
    group : column naming each person's group (team, party, table).
    value : numeric column to aggregate.
    ci_level : coverage of the intervals.

    Returns
    -------
    AggregationICC(icc1, icc2): two Results. ICC(1) is banded as an effect size after LeBreton &
    Senter (2008): .01 small, .10 medium, .25 large. ICC(2) has no published band; it reads as a
    reliability (of the group means).

    References
    ----------
    Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability. In K. J. Klein &
    S. W. J. Kozlowski (Eds.), Multilevel theory, research, and methods in organizations (pp. 349-381).
    Jossey-Bass.

    Examples
    --------
    >>> df = pd.DataFrame({"team": list("aaabbbccc"), "score": [1, 2, 3, 3, 4, 5, 5, 6, 7]})
    >>> round(icc_aggregation(df, "team", "score").icc1.estimate, 3)
    0.786
    """
    import pingouin as pg
    from scipy import stats

    ci_level = _check_level(ci_level)
    for column in (group, value):
        if column not in data.columns:
            raise WorkbookError(f"Column `{column}` is not in the data; columns are {list(data.columns)}.")
    frame = data[[group, value]].dropna()
    if not pd.api.types.is_numeric_dtype(frame[value]):
        raise WorkbookError(f"Column `{value}` must be numeric to compute an ICC.")
    sizes = frame.groupby(group, observed=True).size()
    if len(sizes) < 2 or sizes.min() < 2:
        raise WorkbookError("ICC(1)/ICC(2) need at least two groups, each with at least two members.")
    with _quiet_pingouin(), np.errstate(all="ignore"):  # zero within-group variance: checked below
        aov = pg.anova(data=frame, dv=value, between=group, detailed=True)
    msb, msw = float(aov.at[0, "MS"]), float(aov.at[1, "MS"])
    df1, df2 = int(aov.at[0, "DF"]), int(aov.at[1, "DF"])
    if msb <= 0 or msw <= 0:
        raise WorkbookError("ICC(1)/ICC(2) are undefined when all groups or all members agree exactly.")
    k = len(frame) / len(sizes)
    f_value = msb / msw
    p_value = float(stats.f.sf(f_value, df1, df2))
    tail = (1 - ci_level) / 2
    f_low = f_value / stats.f.ppf(1 - tail, df1, df2)
    f_high = f_value * stats.f.ppf(1 - tail, df2, df1)
    icc1 = (msb - msw) / (msb + (k - 1) * msw)
    icc2 = (msb - msw) / msb
    shared: dict[str, Any] = dict(
        n=int(len(frame)), ci_level=ci_level, statistic=f_value, statistic_name="F", df=(df1, df2), p_value=p_value
    )
    details = {
        "MSB": msb,
        "MSW": msw,
        "mean_group_size": k,
        "n_groups": int(len(sizes)),
        "balanced": bool(sizes.nunique() == 1),
    }
    return AggregationICC(
        Result(
            method="ICC(1) (Bliese 2000)",
            estimate=icc1,
            ci=((f_low - 1) / (f_low + k - 1), (f_high - 1) / (f_high + k - 1)),
            interpretation=_banded(icc1, ICC1_BANDS),
            interpretation_source="LeBreton & Senter (2008)",
            reference=with_bands(_BLIESE, LEBRETON),
            details=details,
            **shared,
        ),
        Result(
            method="ICC(2) (Bliese 2000)",
            estimate=icc2,
            ci=(1 - 1 / f_low, 1 - 1 / f_high),
            reference=_BLIESE,
            details=details,
            **shared,
        ),
    )
