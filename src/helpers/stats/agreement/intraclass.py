"""Intraclass correlations: do raters score the same targets consistently (Shrout & Fleiss 1979)?

The six ICCs from pingouin's two-way ANOVA, each banded from its 95% interval as Koo & Li (2016) ask.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ...errors import WorkbookError
from ._common import ICC_BANDS, KOO_LI, _quiet_pingouin, band_range, with_bands

#: pingouin's names (McGraw & Wong / Liljequist) -> Shrout & Fleiss (1979) names and meaning.
_ICC_NAMES = {
    "ICC(1,1)": ("ICC1", "one-way random, single rater"),
    "ICC(A,1)": ("ICC2", "two-way random, absolute agreement, single rater"),
    "ICC(C,1)": ("ICC3", "two-way mixed, consistency, single rater"),
    "ICC(1,k)": ("ICC1k", "one-way random, mean of k raters"),
    "ICC(A,k)": ("ICC2k", "two-way random, absolute agreement, mean of k raters"),
    "ICC(C,k)": ("ICC3k", "two-way mixed, consistency, mean of k raters"),
}


def icc(data: pd.DataFrame, targets: str, raters: str, ratings: str, drop_incomplete: bool = False) -> pd.DataFrame:
    """The six intraclass correlations of Shrout & Fleiss (1979), with 95% CIs and Koo & Li bands.

    Computed by :func:`pingouin.intraclass_corr` from a two-way ANOVA (targets x raters). Each row
    names the coefficient as Shrout & Fleiss do (ICC1, ICC2, ICC3 and their *k*-rater means) and as
    McGraw & Wong / pingouin do (``ICC(1,1)``, ``ICC(A,1)``, ``ICC(C,1)``...). Koo & Li (2016)
    advise choosing the model first (one-way / two-way random / two-way mixed, single / mean, absolute
    agreement / consistency) and then reading the *interval*, not only the estimate.

    Parameters
    ----------
    data : long DataFrame, one row per (target, rater) rating.
    targets : column of the things rated (partners, proposals, wines).
    raters : column of the raters (judges, sessions).
    ratings : numeric column of the ratings.
    drop_incomplete : if True, targets missing any rater's rating are dropped (listwise);
        otherwise they raise an error naming them.

    Returns
    -------
    DataFrame, one row per coefficient: ``icc`` (Shrout & Fleiss name), ``type`` (pingouin name),
    ``description``, ``estimate``, ``ci_low``, ``ci_high`` (95%), ``F``, ``df1``, ``df2``, ``p``,
    ``n_targets``, ``n_raters``, ``interpretation`` (Koo & Li 2016: poor < .50, moderate < .75,
    good < .90, excellent); ``attrs`` names the method and reference.

    References
    ----------
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    reliability. Psychological Bulletin, 86(2), 420-428.
    Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass correlation
    coefficients for reliability research. Journal of Chiropractic Medicine, 15(2), 155-163.

    Examples
    --------
    >>> wide = pd.DataFrame({"J1": [9, 6, 8, 7, 10, 6], "J2": [2, 1, 4, 1, 5, 2],
    ...                      "J3": [5, 3, 6, 2, 6, 4], "J4": [8, 2, 8, 6, 9, 7]})
    >>> long = wide.rename_axis("target").reset_index().melt("target", var_name="judge")
    >>> table = icc(long, "target", "judge", "value").set_index("icc")
    >>> round(float(table.at["ICC3", "estimate"]), 3)
    0.715
    """
    import pingouin as pg

    for column in (targets, raters, ratings):
        if column not in data.columns:
            raise WorkbookError(f"Column `{column}` is not in the data; columns are {list(data.columns)}.")
    frame = data[[targets, raters, ratings]]
    if not pd.api.types.is_numeric_dtype(frame[ratings]):
        raise WorkbookError(f"Column `{ratings}` must be numeric to compute an ICC.")
    duplicated = frame.duplicated([targets, raters])
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise WorkbookError(
            f"Target {row[targets]!r} has more than one rating from rater {row[raters]!r}; "
            "keep one rating per target and rater."
        )
    wide = frame.pivot(index=targets, columns=raters, values=ratings)
    incomplete = wide.index[wide.isna().any(axis=1)]
    if len(incomplete) and not drop_incomplete:
        raise WorkbookError(
            f"{len(incomplete)} target(s) lack a rating from some rater (first: {incomplete[0]!r}); "
            "the ICC needs complete data: pass drop_incomplete=True to drop them."
        )
    wide = wide.dropna()
    if wide.shape[0] < 2 or wide.shape[1] < 2 or wide.size < 5:
        raise WorkbookError(
            f"The ICC needs at least two targets rated by at least two raters, and five ratings in all; "
            f"there are {wide.shape[0]} target(s) x {wide.shape[1]} rater(s). Report the ratings instead."
        )
    if np.ptp(wide.to_numpy(dtype=float)) == 0:
        raise WorkbookError(
            "Every rating is the same (constant data), so the ICC is undefined (0/0). "
            "Report the ratings and that the raters agree exactly."
        )
    long = wide.rename_axis(index="target", columns="rater").stack().rename("rating").reset_index()
    saved = dict(pg.options)
    pg.options["round.column.CI95"] = None  # keep the interval at full precision
    try:
        with _quiet_pingouin(), np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # 0/0 mean squares: refused just below
            table = pg.intraclass_corr(data=long, targets="target", raters="rater", ratings="rating")
    finally:
        pg.options.clear()
        pg.options.update(saved)
    if not np.isfinite(table["ICC"].astype(float)).all() or not all(np.isfinite(ci).all() for ci in table["CI95"]):
        raise WorkbookError(
            "The ICC is undefined for these ratings (no variance within targets or between "
            "them). Report the ratings instead."
        )
    names = table["Type"].map(_ICC_NAMES)
    result = pd.DataFrame(
        {
            "icc": [name for name, _ in names],
            "type": table["Type"],
            "description": [text for _, text in names],
            "estimate": table["ICC"].astype(float),
            "ci_low": [float(ci[0]) for ci in table["CI95"]],
            "ci_high": [float(ci[1]) for ci in table["CI95"]],
            "F": table["F"].astype(float),
            "df1": table["df1"].astype(int),
            "df2": table["df2"].astype(int),
            "p": table["pval"].astype(float),
            "n_targets": wide.shape[0],
            "n_raters": wide.shape[1],
            "interpretation": [
                band_range(float(ci[0]), float(ci[1]), ICC_BANDS) + " (Koo & Li 2016, from the 95% CI)"
                for ci in table["CI95"]
            ],
        }
    )
    result.attrs.update(
        method="Intraclass correlation (two-way ANOVA), 95% CI",
        reference=with_bands("Shrout & Fleiss (1979), Psychol. Bull. 86, 420-428", KOO_LI),
    )
    return result
