"""Scale reliability: do the items of one questionnaire scale measure the same thing?

:func:`cronbach_alpha` gives coefficient alpha with Feldt's confidence interval (pingouin) and
:func:`item_analysis` the per-item table a scale developer reads next to it: the corrected item-total
correlation and alpha if the item were deleted. Reverse-worded items must be recoded first
(``PollData.items(construct)`` returns them recoded).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import WorkbookError
from . import checks
from .result import Result, band

#: George & Mallery (2003, p. 231) rule of thumb for alpha: "> .9 excellent, > .8 good, > .7
#: acceptable, > .6 questionable, > .5 poor, <= .5 unacceptable" (strict edges, read unrounded).
ALPHA_BANDS = ([0.5, 0.6, 0.7, 0.8, 0.9], ["unacceptable", "poor", "questionable", "acceptable", "good", "excellent"])

_POLICIES = ("listwise", "pairwise")


def _items_frame(items) -> pd.DataFrame:
    frame = pd.DataFrame(items)
    if frame.shape[1] < 2:
        raise WorkbookError(f"A reliability analysis needs at least two items (columns); got {frame.shape[1]}.")
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise WorkbookError(
                f"Item `{column}` is not numeric; score the answers first (a codebook maps labels to 1..k)."
            )
    return frame.astype(float)


def _complete(frame: pd.DataFrame) -> pd.DataFrame:
    complete = frame.dropna()
    if len(complete) < 3:
        raise WorkbookError(
            f"Only {len(complete)} respondent(s) answered every item; a reliability analysis needs at least 3. "
            "Report the answers per item instead, or use nan_policy='pairwise'."
        )
    return complete


def _constant_items(frame: pd.DataFrame) -> list:
    """Items everyone (who answered) gave the same answer: they carry no variance to share."""
    return [c for c in frame.columns if frame[c].nunique(dropna=True) <= 1]


def _feldt(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    """Feldt, Woodruff & Salih (1987): (1 - alpha) follows (1 - true alpha) times an F(n-1, (n-1)(k-1))."""
    from scipy import stats

    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    return (
        1 - (1 - alpha) * float(stats.f.ppf(1 - tail, df1, df2)),
        1 - (1 - alpha) * float(stats.f.ppf(tail, df1, df2)),
    )


def item_analysis(items) -> pd.DataFrame:
    """Item statistics of one scale: corrected item-total correlation and alpha if item deleted.

    The *corrected* item-total correlation is the Pearson correlation of an item with the sum of the
    *other* items (so the item does not correlate with itself). Items below about .30 are commonly
    reviewed (Nunnally & Bernstein 1994). Respondents with a missing item are dropped (listwise).

    Parameters
    ----------
    items : DataFrame, respondents (rows) x items (columns) of one scale, numeric, reversed already.

    Returns
    -------
    DataFrame, one row per item in the input's order: ``item``, ``n``, ``mean``, ``sd``,
    ``item_total_r`` (corrected), ``alpha_if_deleted`` (NaN for a two-item scale: one item has no
    alpha).

    References
    ----------
    Nunnally, J. C., & Bernstein, I. H. (1994). Psychometric theory (3rd ed.). McGraw-Hill.

    Examples
    --------
    >>> items = pd.DataFrame({"i1": [1, 2, 3, 4], "i2": [2, 2, 3, 3], "i3": [1, 3, 2, 4]})
    >>> item_analysis(items)[["item", "item_total_r", "alpha_if_deleted"]].round(3)
      item  item_total_r  alpha_if_deleted
    0   i1         0.949             0.500
    1   i2         0.707             0.889
    2   i3         0.707             0.800
    """
    frame = _complete(_items_frame(items))
    total = frame.sum(axis=1)
    rows = []
    for column in frame.columns:
        rest = frame.drop(columns=column)
        others = (total - frame[column]).to_numpy(dtype=float)
        own = frame[column].to_numpy(dtype=float)
        # a constant item (or constant rest) has no correlation: NaN, not a warning
        defined = np.ptp(own) > 0 and np.ptp(others) > 0
        rows.append(
            {
                "item": column,
                "n": len(frame),
                "mean": frame[column].mean(),
                "sd": frame[column].std(ddof=1),
                "item_total_r": float(np.corrcoef(own, others)[0, 1]) if defined else np.nan,
                "alpha_if_deleted": _alpha(rest) if rest.shape[1] >= 2 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _alpha(frame: pd.DataFrame) -> float:
    """Coefficient alpha from the (pairwise-complete) covariances; NaN when the total has no variance."""
    cov = frame.cov().to_numpy(dtype=float)
    total = float(cov.sum())
    if not np.isfinite(total) or total <= 0:
        return float("nan")
    k = frame.shape[1]
    return k / (k - 1) * (1 - float(np.trace(cov)) / total)


def cronbach_alpha(items, nan_policy: str = "listwise", ci_level: float = 0.95) -> Result:
    """Cronbach's alpha of one scale, with Feldt's confidence interval.

    .. math:: \\alpha = \\frac{k}{k - 1}\\left(1 - \\frac{\\sum_i \\sigma^2_i}{\\sigma^2_X}\\right)

    for *k* items with variances :math:`\\sigma^2_i` and total-score variance :math:`\\sigma^2_X`,
    from the (pairwise-complete) item covariances, as ``psych::alpha`` and pingouin compute it; the
    interval is Feldt, Woodruff & Salih's (1987), from the F distribution, at full precision. A
    constant item (everyone gave the same answer) is dropped, as psych does, and ``details["note"]``
    names it. The band is read from the unrounded alpha ("acceptable" means alpha >= .70 exactly).

    Parameters
    ----------
    items : DataFrame, respondents (rows) x items (columns) of one scale, numeric, reversed already.
    nan_policy : 'listwise' (default: respondents with any missing item are dropped, so every
        number rests on the same people) or 'pairwise' (each covariance uses who answered both items,
        as pingouin and R's ``psych::alpha(use="pairwise")`` do).
    ci_level : coverage of the interval.

    Returns
    -------
    Result with alpha, CI, n (respondents used), ``details["item_analysis"]`` (see
    :func:`item_analysis`), ``details["n_items"]`` and the George & Mallery (2003) band:
    unacceptable (< .5), poor, questionable (.6), acceptable (.7), good (.8), excellent (>= .9).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. Psychometrika,
    16(3), 297-334. Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Applied Psychological
    Measurement, 11(1), 93-103. George, D., & Mallery, P. (2003). SPSS for Windows step by step
    (4th ed.). Allyn & Bacon.

    Examples
    --------
    >>> items = pd.DataFrame({"i1": [1, 2, 3, 4], "i2": [2, 2, 3, 3], "i3": [1, 3, 2, 4]})
    >>> round(cronbach_alpha(items).estimate, 2)
    0.84
    """
    checks.choice("nan_policy", nan_policy, _POLICIES)
    ci_level = checks.ci_level(ci_level)
    frame = _items_frame(items)
    used = _complete(frame) if nan_policy == "listwise" else frame.dropna(how="all")
    notes = []
    constant = _constant_items(used)
    if constant:
        # As psych::alpha does: an item without variance is dropped (it would lower alpha while
        # measuring nothing), and the reader is told.
        notes.append(
            f"Item(s) {', '.join(map(str, constant))} had the same answer from everyone (a constant "
            "item) and were dropped from alpha; report them separately."
        )
        used = used.drop(columns=constant)
        frame = frame.drop(columns=constant)
        if used.shape[1] < 2:
            raise WorkbookError(
                "Fewer than two items vary (constant items: " + ", ".join(map(str, constant)) + "), so alpha "
                "is undefined. Report each item's answers instead of a reliability."
            )
    if nan_policy == "pairwise":
        pairs = used.notna().astype(int)
        if int((pairs.T @ pairs).to_numpy().min()) < 2:
            raise WorkbookError(
                "Some pair of items was answered together by fewer than two respondents, so their "
                "covariance (and alpha) is undefined. Use more respondents or drop the sparse item."
            )
    k = used.shape[1]
    estimate = _alpha(used)  # pairwise-complete covariances, as psych::alpha(use = "pairwise") and pingouin
    if not np.isfinite(estimate):
        raise WorkbookError(
            "The items' total score has no variance (the items cancel out, e.g. one is the reverse of "
            "the other without being recoded), so alpha is undefined. Check the reverse-keyed items."
        )
    n = int(len(used))
    ci = _feldt(estimate, n, k, ci_level)
    return Result(
        method="Cronbach's alpha",
        estimate=float(estimate),
        n=n,
        ci=ci,
        ci_level=ci_level,
        interpretation=band(float(estimate), *ALPHA_BANDS, above=True),
        interpretation_source="George & Mallery (2003)",
        reference="Cronbach (1951), Psychometrika 16, 297-334; CI of Feldt, Woodruff & Salih (1987)",
        details={
            "item_analysis": item_analysis(frame) if len(frame.dropna()) >= 3 else None,
            "n_items": int(k),
            "nan_policy": nan_policy,
            "dropped_items": constant,
            "note": " ".join(notes),
            "notes": notes,
        },
    )
