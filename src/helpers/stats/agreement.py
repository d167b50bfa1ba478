"""Agreement between raters: do people who rate the same things give the same answers?

Two families live here. *Within-group agreement* (``rwg``, ``rwg_j``, ``icc_aggregation``) asks
whether members of one team answer alike enough that their mean speaks for the team (James,
Demaree & Wolf 1984; Bliese 2000). *Inter-rater reliability* (``icc``, ``kendalls_w``,
``krippendorff_alpha``, ``cohens_kappa``, ``fleiss_kappa``) asks whether raters, judges or coders
rank, score or classify the same units consistently.

Each function returns a :class:`~helpers.stats.result.Result` (or, for the ICC family, a tidy
DataFrame) with the estimate, a confidence interval where one exists, n, the method's reference and
the interpretation band the literature gives, named so a reader can look it up. The libraries do the
maths: pingouin (ICC, Kendall's W), krippendorff (alpha), statsmodels (kappas).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any, Literal, NamedTuple, cast

import numpy as np
import pandas as pd

from ..errors import ParameterError, WorkbookError
from .result import Result, band

# --- interpretation bands (lower edges of labels[1:]; read to two decimals, as published) --------

#: LeBreton & Senter (2008), table 3: agreement read from r_wg / r_wg(J).
RWG_BANDS = ([0.31, 0.51, 0.71, 0.91],
             ["lack of agreement", "weak agreement", "moderate agreement", "strong agreement",
              "very strong agreement"])
#: Landis & Koch (1977) for kappa statistics.
KAPPA_BANDS = ([0.0, 0.21, 0.41, 0.61, 0.81],
               ["poor", "slight", "fair", "moderate", "substantial", "almost perfect"])
#: Koo & Li (2016) for intraclass correlations.
ICC_BANDS = ([0.50, 0.75, 0.90], ["poor", "moderate", "good", "excellent"])
#: LeBreton & Senter (2008) for ICC(1) as an effect size (after Murphy & Myors 1998).
ICC1_BANDS = ([0.01, 0.10, 0.25], ["negligible", "small", "medium", "large"])
#: Schmidt (1997) for Kendall's W, his anchor values read as lower edges.
W_BANDS = ([0.3, 0.5, 0.7, 0.9], ["very weak", "weak", "moderate", "strong", "unusually strong"])
#: Krippendorff (2004, p. 241): rely on alpha >= .800, tentative conclusions from .667.
ALPHA_BANDS = ([0.667, 0.800], ["unacceptable (< .667)", "tentative (.667 to .800)",
                                "acceptable (>= .800)"])

_LANDIS_KOCH = "Landis, J. R., & Koch, G. G. (1977). Biometrics, 33(1), 159-174."
_LEBRETON = "LeBreton, J. M., & Senter, J. L. (2008). Organizational Research Methods, 11(4), 815-852."


@contextmanager
def _quiet_pingouin():
    """Silence pingouin 0.7's own pandas deprecation notice (``dropna(inplace=...)``), which would
    otherwise print into every notebook output that calls it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*inplace keyword.*", category=DeprecationWarning)
        yield


def _banded(value: float, bands, digits: int = 2) -> str:
    cuts, labels = bands
    return band(round(float(value), digits), cuts, labels)


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
            f"`n_options` must be the number of answer options on the scale (a whole number >= 2); "
            f"it is {n_options!r}."
        )
    return int(n_options)


def _check_level(ci_level: float) -> float:
    if not 0 < ci_level < 1:
        raise ParameterError(f"`ci_level` must be between 0 and 1 (e.g. 0.95); it is {ci_level!r}.")
    return float(ci_level)


def _unit_bootstrap(statistic: Callable[[np.ndarray], float], n_units: int, n_boot: int,
                    seed: int | None, ci_level: float) -> tuple[tuple[float, float], dict]:
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
    info = {"bootstrap": "percentile, resampling units", "n_boot": n_boot,
            "n_boot_used": len(values), "seed": seed}
    return (float(low), float(high)), info


# --- within-group agreement --------------------------------------------------------------------

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
        method="r_wg (uniform null)", estimate=estimate, n=int(values.size),
        interpretation=_banded(estimate, RWG_BANDS), interpretation_source="LeBreton & Senter (2008)",
        reference="James, Demaree & Wolf (1984), J. Appl. Psychol. 69, 85-98",
        details={"observed_variance": observed, "null_variance": null, "untruncated": raw,
                 "n_options": n_options},
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
        method=f"r_wg(J), J = {j} items (uniform null)", estimate=estimate,
        n=int((~np.isnan(matrix)).any(axis=1).sum()),
        interpretation=_banded(estimate, RWG_BANDS), interpretation_source="LeBreton & Senter (2008)",
        reference="James, Demaree & Wolf (1984), J. Appl. Psychol. 69, 85-98",
        details={"item_variances": pd.Series(variances, index=frame.columns, name="variance"),
                 "null_variance": _null_variance(n_options), "n_items": j, "n_options": n_options},
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
    shared: dict[str, Any] = dict(n=int(len(frame)), ci_level=ci_level, statistic=f_value, statistic_name="F",
                  df=(df1, df2), p_value=p_value,
                  reference="Bliese (2000), in Klein & Kozlowski (Eds.), pp. 349-381")
    details = {"MSB": msb, "MSW": msw, "mean_group_size": k, "n_groups": int(len(sizes)),
               "balanced": bool(sizes.nunique() == 1)}
    return AggregationICC(
        Result(method="ICC(1) (Bliese 2000)", estimate=icc1,
               ci=((f_low - 1) / (f_low + k - 1), (f_high - 1) / (f_high + k - 1)),
               interpretation=_banded(icc1, ICC1_BANDS), interpretation_source="LeBreton & Senter (2008)",
               details=details, **shared),
        Result(method="ICC(2) (Bliese 2000)", estimate=icc2, ci=(1 - 1 / f_low, 1 - 1 / f_high),
               details=details, **shared),
    )


# --- inter-rater reliability -------------------------------------------------------------------

#: pingouin's names (McGraw & Wong / Liljequist) -> Shrout & Fleiss (1979) names and meaning.
_ICC_NAMES = {
    "ICC(1,1)": ("ICC1", "one-way random, single rater"),
    "ICC(A,1)": ("ICC2", "two-way random, absolute agreement, single rater"),
    "ICC(C,1)": ("ICC3", "two-way mixed, consistency, single rater"),
    "ICC(1,k)": ("ICC1k", "one-way random, mean of k raters"),
    "ICC(A,k)": ("ICC2k", "two-way random, absolute agreement, mean of k raters"),
    "ICC(C,k)": ("ICC3k", "two-way mixed, consistency, mean of k raters"),
}


def icc(data: pd.DataFrame, targets: str, raters: str, ratings: str,
        drop_incomplete: bool = False) -> pd.DataFrame:
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
    if wide.shape[0] < 2 or wide.shape[1] < 2:
        raise WorkbookError("The ICC needs at least two targets rated by at least two raters.")
    long = wide.rename_axis(index="target", columns="rater").stack().rename("rating").reset_index()
    saved = dict(pg.options)
    pg.options["round.column.CI95"] = None  # keep the interval at full precision
    try:
        with _quiet_pingouin():
            table = pg.intraclass_corr(data=long, targets="target", raters="rater", ratings="rating")
    finally:
        pg.options.clear()
        pg.options.update(saved)
    names = table["Type"].map(_ICC_NAMES)
    result = pd.DataFrame({
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
        "interpretation": [_banded(v, ICC_BANDS) + " (Koo & Li 2016)" for v in table["ICC"]],
    })
    result.attrs.update(method="Intraclass correlation (two-way ANOVA), 95% CI",
                        reference="Shrout & Fleiss (1979), Psychol. Bull. 86, 420-428; bands of Koo & Li (2016)")
    return result


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
    if (ranked == ranked[:, :1]).all(axis=1).any():
        raise WorkbookError("A rater gave every item the same rank; Kendall's W is undefined for that rater.")
    rank_sums = ranked.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = 0.0
    if correct_ties:
        for row in matrix:
            _, sizes = np.unique(row, return_counts=True)
            ties += float((sizes**3 - sizes).sum())
    w = 12 * s / (m**2 * (n**3 - n) - m * ties)
    chi2 = m * (n - 1) * w
    mean_ranks = (pd.Series(ranked.mean(axis=0), index=frame.columns, name="mean_rank")
                  .rename_axis("item").sort_values(kind="stable"))
    return Result(
        method="Kendall's W" + (" (tie-corrected)" if correct_ties else " (no tie correction)"),
        estimate=w, n=m, statistic=chi2, statistic_name="chi2", df=n - 1,
        p_value=float(stats.chi2.sf(chi2, n - 1)),
        interpretation=_banded(w, W_BANDS), interpretation_source="Schmidt (1997)",
        reference="Kendall & Babington Smith (1939), Ann. Math. Stat. 10, 275-287",
        details={"n_items": n, "mean_ranks": mean_ranks},
    )


_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _reliability_codes(reliability_data, level: str, value_domain):
    """Coders x units as floats for :func:`krippendorff.alpha`, labels mapped to domain positions."""
    frame = pd.DataFrame(reliability_data)
    if frame.shape[0] < 2 or frame.shape[1] < 1:
        raise WorkbookError("Krippendorff's alpha needs at least two coders (rows) and one unit (column).")
    values = frame.to_numpy(dtype=object).ravel()
    present = pd.notna(values)
    numeric = pd.to_numeric(pd.Series(values[present]), errors="coerce").notna().all()
    if numeric:
        codes = np.asarray(pd.DataFrame(frame).apply(pd.to_numeric), dtype=float)
        if value_domain is None:
            return codes, None
        domain = np.asarray(value_domain, dtype=float)
        outside = sorted(set(codes[~np.isnan(codes)]) - set(domain))
        if outside:
            raise WorkbookError(f"Value {outside[0]!r} is not in `value_domain` {list(value_domain)}.")
        return codes, domain
    if level in ("interval", "ratio"):
        raise WorkbookError(f"A {level} alpha needs numeric ratings; these hold labels. Use level='ordinal' "
                            "with an ordered `value_domain`, or 'nominal'.")
    if value_domain is None:
        if level == "ordinal":
            raise WorkbookError("An ordinal alpha on labels needs `value_domain`: the labels in their order.")
        value_domain = sorted(set(values[present]), key=str)
    position = {label: float(i) for i, label in enumerate(value_domain)}
    unknown = [v for v in values[present] if v not in position]
    if unknown:
        raise WorkbookError(f"Label {unknown[0]!r} is not in `value_domain` {list(value_domain)}.")
    codes = np.array([position[v] if ok else np.nan for v, ok in zip(values, present, strict=True)])
    codes = codes.reshape(frame.shape)
    return codes, np.arange(len(value_domain), dtype=float)


def krippendorff_alpha(
    reliability_data,
    level: str = "interval",
    value_domain: Sequence | None = None,
    n_boot: int = 0,
    seed: int | None = None,
    ci_level: float = 0.95,
) -> Result:
    """Krippendorff's alpha for any number of coders, missing data and any level of measurement.

    .. math:: \\alpha = 1 - D_o / D_e

    the observed over the expected disagreement, computed from the coincidence matrix by the
    ``krippendorff`` package. Pass ``value_domain`` (all the scale's categories, in order) so that
    categories nobody used still count: the ordinal distance depends on them.

    Parameters
    ----------
    reliability_data : DataFrame or 2-D array, coders (rows) x units (columns); missing = NaN/None.
        Numbers, or labels (then ``value_domain`` gives their order for an ordinal alpha).
    level : 'nominal', 'ordinal', 'interval' or 'ratio' (Stevens' level of the ratings).
    value_domain : every possible value, ordered; default the values seen.
    n_boot : if > 0, a percentile bootstrap CI from resampling units ``n_boot`` times (seeded by
        ``seed``). This resamples units, not the coincidences of Hayes & Krippendorff (2007).
    seed, ci_level : the bootstrap's seed and coverage.

    Returns
    -------
    Result; n = units coded by at least two coders (pairable units). Band after Krippendorff (2004):
    unacceptable below .667, tentative from .667, acceptable from .800.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication, University of Pennsylvania. Krippendorff, K. (2004). Content analysis (2nd ed.).

    Examples
    --------
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> round(krippendorff_alpha(data, level="nominal").estimate, 3)
    0.743
    """
    import krippendorff

    if level not in _LEVELS:
        raise ParameterError(f"`level` must be one of {', '.join(_LEVELS)}; it is {level!r}.")
    ci_level = _check_level(ci_level)
    codes, domain = _reliability_codes(reliability_data, level, value_domain)
    pairable = int(((~np.isnan(codes)).sum(axis=0) >= 2).sum())
    if pairable < 1:
        raise WorkbookError("No unit was coded by two or more coders; alpha needs pairable values.")

    measurement = cast(Literal["nominal", "ordinal", "interval", "ratio"], level)  # checked against _LEVELS above

    def statistic(columns: np.ndarray) -> float:
        with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 when one value only: NaN, handled
            return float(
                krippendorff.alpha(
                    reliability_data=codes[:, columns], value_domain=domain, level_of_measurement=measurement
                )
            )

    try:
        estimate = statistic(np.arange(codes.shape[1]))
    except ValueError as error:  # a single value in the whole domain, for instance
        raise WorkbookError(f"Krippendorff's alpha cannot be computed here: {error}") from None
    if not np.isfinite(estimate):
        raise WorkbookError("Krippendorff's alpha is undefined: every coder used the same single value.")
    ci: tuple[float, float] | None = None
    info: dict[str, Any] = {}
    if n_boot:
        ci, info = _unit_bootstrap(statistic, codes.shape[1], int(n_boot), seed, ci_level)
    return Result(
        method=f"Krippendorff's alpha ({level})",
        estimate=estimate,
        n=pairable,
        ci=ci,
        ci_level=ci_level,
        interpretation=_banded(estimate, ALPHA_BANDS, digits=3),
        interpretation_source="Krippendorff (2004)",
        reference="Krippendorff (2011), Computing Krippendorff's alpha-reliability",
        details={
            "n_coders": codes.shape[0],
            "n_units": codes.shape[1],
            "n_values": int((~np.isnan(codes)).sum()),
            "level": level,
            **info,
        },
    )


def _contingency(rater1, rater2, categories) -> pd.DataFrame:
    first, second = pd.Series(list(rater1)), pd.Series(list(rater2))
    if len(first) != len(second):
        raise WorkbookError(f"The two raters rated different numbers of units ({len(first)} and {len(second)}).")
    both = first.notna() & second.notna()
    first, second = first[both], second[both]
    if categories is None:
        categories = sorted(set(first) | set(second), key=lambda v: (str(type(v)), v))
    unknown = sorted((set(first) | set(second)) - set(categories), key=str)
    if unknown:
        raise WorkbookError(f"Rating {unknown[0]!r} is not one of the categories {list(categories)}.")
    return pd.crosstab(pd.Categorical(first, categories), pd.Categorical(second, categories), dropna=False).reindex(
        index=categories, columns=categories, fill_value=0
    )


def cohens_kappa(
    table_or_rater1,
    rater2=None,
    *,
    weights: str | None = None,
    categories: Sequence | None = None,
    ci_level: float = 0.95,
) -> Result:
    """Cohen's kappa for two raters, unweighted or with linear / quadratic weights.

    .. math:: \\kappa = \\frac{p_o - p_e}{1 - p_e}

    (observed minus chance agreement over its maximum). Weighted kappa credits near misses on an
    ordered scale; weights depend on category *positions* (0, 1, 2...), not their values. The CI
    uses the asymptotic standard error of Fleiss, Cohen & Everitt (1969) and the z test its
    standard error under kappa = 0, both from :func:`statsmodels.stats.inter_rater.cohens_kappa`.

    Parameters
    ----------
    table_or_rater1 : a square contingency table (rows rater 1, columns rater 2, same category
        order), or rater 1's ratings when ``rater2`` is given.
    rater2 : rater 2's ratings of the same units, in the same order (pairs with a missing rating
        are dropped).
    weights : None, 'linear' or 'quadratic'.
    categories : every category in order (needed for ratings whose order is not their sort order,
        and so that unused categories count in a weighted kappa).
    ci_level : coverage of the interval.

    Returns
    -------
    Result with kappa, CI, z and two-sided p, n = rated units, Landis & Koch (1977) band: poor
    (< 0), slight, fair (.21), moderate (.41), substantial (.61), almost perfect (.81).

    References
    ----------
    Cohen, J. (1960). Educational and Psychological Measurement, 20(1), 37-46. Cohen, J. (1968).
    Weighted kappa. Psychological Bulletin, 70(4), 213-220.

    Examples
    --------
    >>> round(cohens_kappa([[0, 4, 1], [0, 8, 0], [0, 1, 5]]).estimate, 4)
    0.4842
    """
    from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa

    if weights not in (None, "linear", "quadratic"):
        raise ParameterError(f"`weights` must be None, 'linear' or 'quadratic'; it is {weights!r}.")
    ci_level = _check_level(ci_level)
    if rater2 is None:
        table = _numeric_matrix(table_or_rater1, "table", allow_missing=False)
        if table.shape[0] != table.shape[1] or table.shape[0] < 2:
            raise WorkbookError(
                f"A kappa table must be square (same categories for both raters); it is "
                f"{table.shape[0]} x {table.shape[1]}. To pass ratings, give both raters: "
                "cohens_kappa(rater1, rater2)."
            )
        if (table < 0).any() or not np.equal(np.mod(table, 1), 0).all():
            raise WorkbookError("A kappa table must hold counts (whole numbers >= 0).")
    else:
        table = _contingency(table_or_rater1, rater2, categories).to_numpy(dtype=float)
    n = int(table.sum())
    if n < 2:
        raise WorkbookError(f"Cohen's kappa needs at least two rated units; got {n}.")
    wt = {None: None, "linear": "linear", "quadratic": "quadratic"}[weights]
    with np.errstate(all="ignore"):  # degenerate margins give 0/0 variances: handled below
        res = sm_kappa(table, wt=wt)
        low, high = res.distribution_kappa.interval(ci_level)
    if not np.isfinite(res.kappa):
        raise WorkbookError("Cohen's kappa is undefined: both raters used one and the same category throughout.")
    # With degenerate margins (a rater using one category only) the standard errors are undefined.
    has_ci = bool(np.isfinite(low) and np.isfinite(high) and res.std_kappa > 0)
    has_test = bool(np.isfinite(res.z_value) and res.std_kappa0 > 0)
    name = "Cohen's kappa" if weights is None else f"Cohen's kappa ({weights} weights)"
    return Result(
        method=name,
        estimate=float(res.kappa),
        n=n,
        ci=(float(low), float(high)) if has_ci else None,
        ci_level=ci_level,
        statistic=float(res.z_value) if has_test else None,
        statistic_name="z",
        p_value=float(res.pvalue_two_sided) if has_test else None,
        interpretation=_banded(res.kappa, KAPPA_BANDS),
        interpretation_source="Landis & Koch (1977)",
        reference="Cohen (1960); Cohen (1968) for weighted kappa; SE of Fleiss, Cohen & Everitt (1969)",
        details={"table": table, "se": float(res.std_kappa) if has_ci else None, "kappa_max": float(res.kappa_max)},
    )


def fleiss_kappa(counts, n_boot: int = 0, seed: int | None = None, ci_level: float = 0.95) -> Result:
    """Fleiss' kappa: agreement of many raters classifying subjects into nominal categories.

    .. math:: \\kappa = \\frac{\\bar P - \\bar P_e}{1 - \\bar P_e}

    with :math:`\\bar P` the mean agreement per subject and :math:`\\bar P_e` the agreement expected
    from the category shares (Fleiss 1971), computed by
    :func:`statsmodels.stats.inter_rater.fleiss_kappa`. Raters need not be the same people for every
    subject, but each subject must be rated by the same number of raters.

    Parameters
    ----------
    counts : DataFrame or 2-D array, subjects (rows) x categories (columns): how many raters put
        each subject in each category. (:func:`statsmodels.stats.inter_rater.aggregate_raters`
        builds it from subjects x raters labels.)
    n_boot, seed, ci_level : if ``n_boot`` > 0, a seeded percentile bootstrap CI resampling subjects.

    Returns
    -------
    Result with kappa, n = subjects, ``details["raters_per_subject"]`` and the Landis & Koch (1977)
    band (which Landis & Koch proposed for kappa statistics generally).

    References
    ----------
    Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
    Bulletin, 76(5), 378-382.

    Examples
    --------
    >>> round(fleiss_kappa([[3, 0], [0, 3], [2, 1], [3, 0]]).estimate, 3)
    0.625
    """
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    ci_level = _check_level(ci_level)
    table = _numeric_matrix(counts, "counts", allow_missing=False)
    if (table < 0).any() or not np.equal(np.mod(table, 1), 0).all():
        raise WorkbookError("Fleiss' kappa needs counts of raters (whole numbers >= 0) in every cell.")
    per_subject = table.sum(axis=1)
    if table.shape[0] < 2 or table.shape[1] < 2:
        raise WorkbookError("Fleiss' kappa needs at least two subjects (rows) and two categories (columns).")
    if len(set(per_subject)) != 1 or per_subject[0] < 2:
        first_odd = int(np.argmax(per_subject != per_subject[0])) + 1
        raise WorkbookError(
            "Every subject must be rated by the same number (>= 2) of raters; "
            f"row 1 has {per_subject[0]:g} ratings, row {first_odd} has {per_subject[first_odd - 1]:g}."
        )

    def statistic(rows: np.ndarray) -> float:
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(sm_fleiss(table[rows], method="fleiss"))

    estimate = statistic(np.arange(table.shape[0]))
    if not np.isfinite(estimate):
        raise WorkbookError("Fleiss' kappa is undefined: every rating fell in one category.")
    ci: tuple[float, float] | None = None
    info: dict[str, Any] = {}
    if n_boot:
        ci, info = _unit_bootstrap(statistic, table.shape[0], int(n_boot), seed, ci_level)
    return Result(
        method="Fleiss' kappa",
        estimate=estimate,
        n=int(table.shape[0]),
        ci=ci,
        ci_level=ci_level,
        interpretation=_banded(estimate, KAPPA_BANDS),
        interpretation_source="Landis & Koch (1977)",
        reference="Fleiss (1971), Psychol. Bull. 76, 378-382",
        details={"raters_per_subject": int(per_subject[0]), "n_categories": int(table.shape[1]), **info},
    )
