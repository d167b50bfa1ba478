"""Kendall's W: do raters rank the same items alike (Kendall & Babington Smith 1939)?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...errors import WorkbookError
from ..result import Result
from ._common import SCHMIDT, W_BANDS, _banded, _numeric_matrix, with_bands


def kendalls_w(ranks, correct_ties: bool = True) -> Result:
    """Kendall's coefficient of concordance W: do raters rank the items alike?

    Each rater's row is ranked across the items (ties get mid-ranks), so raw scores may be passed
    as well as ranks. With *m* raters, *n* items and :math:`R_j` the rank sum of item *j*,

    .. math:: W = \\frac{12 S}{m^2 (n^3 - n) - m \\sum T}, \\qquad S = \\sum_j (R_j - \\bar R)^2,
              \\qquad T = \\sum (t^3 - t)

    over each rater's groups of *t* tied items; ``correct_ties=False`` drops the :math:`m \\sum T`
    term (Kendall & Babington Smith 1939). The test is Friedman's chi-square,
    :math:`\\chi^2 = m (n - 1) W` on *n - 1* df. No library covers both versions for any number of
    raters (:func:`pingouin.friedman` gives the tie-corrected W from three raters up), so the few
    lines are written here and tested against pingouin and the published example.

    Parameters
    ----------
    ranks : DataFrame or 2-D array, raters (rows) x items (columns), complete.
    correct_ties : apply the correction for tied ranks (default; what most software reports).

    Returns
    -------
    Result with W, the chi-square test, n = number of raters, ``details["mean_ranks"]`` (items by
    mean rank) and Schmidt's (1997) band: very weak (< .3), weak, moderate (.5), strong (.7),
    unusually strong (.9).

    References
    ----------
    Kendall, M. G., & Babington Smith, B. (1939). The problem of m rankings. Annals of Mathematical
    Statistics, 10(3), 275-287.
    Schmidt, R. C. (1997). Managing Delphi surveys using nonparametric statistical techniques.
    Decision Sciences, 28(3), 763-774.

    Examples
    --------
    >>> round(kendalls_w([[1, 2, 3], [1, 3, 2], [1, 2, 3]]).estimate, 3)
    0.778
    """
    from scipy import stats

    frame = pd.DataFrame(ranks)
    matrix = _numeric_matrix(frame, "ranks", allow_missing=False)
    m, n = matrix.shape
    if m < 2 or n < 2:
        raise WorkbookError(f"Kendall's W needs at least two raters and two items; got {m} x {n}.")
    ranked = stats.rankdata(matrix, axis=1)
    flat = (ranked == ranked[:, :1]).all(axis=1)
    if flat.all():
        raise WorkbookError(
            "Every rater gave every item the same rank, so there is no order to agree on and Kendall's W "
            "is undefined. Report the ratings instead."
        )
    rank_sums = ranked.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = 0.0
    if correct_ties:
        for row in matrix:
            _, sizes = np.unique(row, return_counts=True)
            ties += float((sizes**3 - sizes).sum())
    w = 12 * s / (m**2 * (n**3 - n) - m * ties)
    chi2 = m * (n - 1) * w
    mean_ranks = (
        pd.Series(ranked.mean(axis=0), index=frame.columns, name="mean_rank")
        .rename_axis("item")
        .sort_values(kind="stable")
    )
    return Result(
        method="Kendall's W" + (" (tie-corrected)" if correct_ties else " (no tie correction)"),
        estimate=w,
        n=m,
        statistic=chi2,
        statistic_name="chi2",
        df=n - 1,
        p_value=float(stats.chi2.sf(chi2, n - 1)),
        interpretation=_banded(w, W_BANDS),
        interpretation_source="Schmidt (1997)",
        reference=with_bands("Kendall & Babington Smith (1939), Ann. Math. Stat. 10, 275-287", SCHMIDT),
        details={
            "n_items": n,
            "mean_ranks": mean_ranks,
            "note": (
                f"{int(flat.sum())} rater(s) tied every item; they count in the tie correction, as in "
                "R's friedman.test."
                if flat.any()
                else ""
            ),
        },
    )
