"""Differences between independent groups (e.g. initiators, operational managers, front line).

Two routes, with the effect size a reader needs to judge the difference:

* :func:`kruskal_wallis` — rank-based, for Likert scale scores from small groups; effect size
  epsilon-squared with a seeded bootstrap CI; follow up with :func:`pairwise_mann_whitney`
  (Holm-adjusted).
* :func:`one_way_anova` — means-based; effect size eta-squared with the noncentral-F CI (omega-squared
  alongside); follow up with :func:`tukey_hsd` (simultaneous CIs for every pair of means).

scipy, pingouin and statsmodels do the maths; this module frames the question, keeps the group order
the reader asked for and reports effect sizes with intervals and references. Groups smaller than
``min_group_size`` are dropped by :func:`large_groups` before any comparison, and shown only as a count
in :func:`describe_groups`, so no table exposes the answers of a handful of people.

Kept whole: the group comparisons (Kruskal-Wallis, pairwise, ANOVA, Tukey) share one group-order policy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..polls.suppress import suppression
from . import checks
from .result import Result, band

#: Cohen's (1988) benchmarks for variance-explained effect sizes (eta², omega², epsilon²).
VARIANCE_BANDS = ([0.01, 0.06, 0.14], ["negligible", "small", "medium", "large"])
VARIANCE_BANDS_SOURCE = "Cohen (1988) benchmarks for eta²-type effect sizes"


def _samples(data: pd.DataFrame, dv: str, group: str, order: Sequence[str] | None = None):
    """The non-missing values of ``dv`` per group, as ``{label: ndarray}`` in a stable order."""
    for column in (dv, group):
        if column not in data.columns:
            raise InputError(
                f"The data has no column {column!r}; it has {', '.join(map(str, data.columns))}.",
                column=column,
            )
    clean = data[[dv, group]].dropna()
    labels = list(order) if order is not None else sorted(clean[group].unique(), key=str)
    samples = {label: clean.loc[clean[group] == label, dv].to_numpy(dtype=float) for label in labels}
    samples = {label: values for label, values in samples.items() if len(values)}
    if len(samples) < 2:
        raise InputError(
            f"Comparing groups needs at least two groups with answers in column {group!r}; "
            f"found {len(samples)}. Check the group column, or lower min_group_size.",
            column=group,
        )
    return samples


def _check_means(samples: dict, dv: str) -> None:
    """Refuse the data a comparison of means cannot use, naming what is degenerate."""
    ones = [label for label, values in samples.items() if len(values) < 2]
    if ones:
        raise InputError(
            f"Group(s) {', '.join(map(repr, ones))} have a single value: a group of one has no "
            "within-group variance to compare against. Drop it (min_group_size) or report its value alone.",
        )
    values = np.concatenate(list(samples.values()))
    if np.ptp(values) == 0:
        raise InputError(
            f"Every value of {dv!r} is the same ({values[0]:g}, constant data), so there is no difference "
            "between groups to test. Report the value and the group sizes instead.",
            column=dv,
        )
    if all(np.ptp(v) == 0 for v in samples.values()):
        raise InputError(
            f"No within-group variance: everyone in a group gave the same value of {dv!r}, so F is infinite and "
            "eta-squared says nothing. Report the group values (and counts) instead.",
            column=dv,
        )


def _noncentrality(f: float, df1: float, df2: float, target: float) -> float:
    """The noncentrality lambda at which P(F <= f) = target (0 if even lambda = 0 falls short)."""
    from scipy import optimize, stats

    if stats.f.cdf(f, df1, df2) <= target:
        return 0.0
    high = max(10.0, 2 * f * df1)
    while stats.ncf.cdf(f, df1, df2, high) > target:
        high *= 2
    return float(optimize.brentq(lambda lam: stats.ncf.cdf(f, df1, df2, lam) - target, 0.0, high, xtol=1e-12))


def eta_squared_interval(f: float, df1: float, df2: float, n: int, ci_level: float = 0.95) -> tuple[float, float]:
    """Steiger's (2004) interval for eta-squared: invert the noncentral F, eta2 = lambda / (lambda + N).

    >>> tuple(round(v, 4) for v in eta_squared_interval(11.3077, 3, 26, 30))
    (0.2321, 0.6899)
    """
    tail = (1 - ci_level) / 2
    low, high = _noncentrality(f, df1, df2, 1 - tail), _noncentrality(f, df1, df2, tail)
    return low / (low + n), high / (high + n)


def large_groups(data: pd.DataFrame, group: str, min_group_size: int = 5) -> pd.DataFrame:
    """The rows whose group has at least ``min_group_size`` members (privacy and stability).

    The number of people is counted as rows, so pass one row per respondent (e.g. scale scores).
    """
    sizes = data[group].map(data[group].value_counts())
    return data[sizes >= min_group_size]


def describe_groups(
    data: pd.DataFrame,
    dv: str,
    group: str,
    *,
    order: Sequence[str] | None = None,
    min_group_size: int = 5,
) -> pd.DataFrame:
    """n, mean, SD, median and quartiles of ``dv`` per group; small groups suppressed.

    A group with fewer than ``min_group_size`` members keeps its row, with n shown as
    ``"< min_group_size"`` and no statistics, so a reader sees that it exists without seeing answers;
    the complement :func:`helpers.polls.suppress.suppression` hides with it shows n as ``"hidden"``.
    """
    clean = data[[dv, group]].dropna()
    labels = list(order) if order is not None else sorted(clean[group].unique(), key=str)
    rows = []
    hidden = suppression(
        {label: int((clean[group] == label).sum()) for label in labels}, group, min_group_size=min_group_size
    ).hidden  # small groups and their complements
    for label in labels:
        values = clean.loc[clean[group] == label, dv]
        if label in hidden:
            rows.append({group: label, "n": f"< {min_group_size}" if len(values) < min_group_size else "hidden"})
            continue
        q1, median, q3 = values.quantile([0.25, 0.5, 0.75])
        rows.append(
            {
                group: label,
                "n": str(len(values)),
                "mean": values.mean(),
                "sd": values.std(ddof=1),
                "median": median,
                "q1": q1,
                "q3": q3,
            }
        )
    table = pd.DataFrame(rows, columns=[group, "n", "mean", "sd", "median", "q1", "q3"])
    return table.round(3)


def kruskal_wallis(
    data: pd.DataFrame,
    dv: str,
    group: str,
    *,
    order: Sequence[str] | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    ci_level: float = 0.95,
) -> Result:
    """Kruskal-Wallis H test with epsilon-squared and its bootstrap confidence interval.

    Parameters
    ----------
    data : one row per respondent.
    dv : the column compared (e.g. a scale score).
    group : the column naming each respondent's group.
    order : the group labels in the order to report them (default: sorted).
    n_boot : bootstrap resamples for the CI of epsilon-squared (0 for no CI).
    seed : seed of the bootstrap's ``numpy.random.Generator`` (same seed, same interval).
    ci_level : coverage of the interval.

    Returns
    -------
    Result
        ``estimate`` is epsilon-squared, ``statistic`` the tie-corrected H (chi-squared distributed
        with k - 1 df under the null), ``details["groups"]`` the n and mean rank per group.

    Notes
    -----
    H is computed by :func:`scipy.stats.kruskal` (corrected for ties). The effect size is

    .. math:: \\varepsilon^2_H = \\frac{H}{(n^2 - 1)/(n + 1)} = \\frac{H}{n - 1}

    (Tomczak & Tomczak, 2014), the share of rank variance explained by the groups, between 0 and 1.
    Its interval is a percentile bootstrap, resampling respondents within each group (stratified, so
    every resample keeps the design's group sizes). With very small groups the interval is rough:
    read it as a range of plausible values, not a test.

    References
    ----------
    Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis. JASA 47, 583-621.
    Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited. Trends in Sport
    Sciences, 1(21), 19-25.

    Examples
    --------
    Hollander & Wolfe (1973, p. 116), the example of R's ``kruskal.test``:

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [2.9, 3.0, 2.5, 2.6, 3.2, 3.8, 2.7, 4.0, 2.4, 2.8, 3.4, 3.7, 2.2, 2.0],
    ...                    "g": list("xxxxx") + list("yyyy") + list("zzzzz")})
    >>> r = kruskal_wallis(df, "y", "g", n_boot=0)
    >>> round(r.statistic, 5), r.df, round(r.p_value, 2)
    (0.77143, 2, 0.68)
    """
    from scipy import stats

    ci_level = checks.ci_level(ci_level)
    n_boot = checks.n_boot(n_boot)
    samples = _samples(data, dv, group, order)
    values = list(samples.values())
    n = sum(len(v) for v in values)
    if np.ptp(np.concatenate(values)) == 0:
        raise InputError(
            f"Every value of {dv!r} is the same, so there is no difference between groups to test.",
            column=dv,
        )
    h, p = stats.kruskal(*values)
    epsilon = h / (n - 1)

    ci = None
    if n_boot:
        rng = checks.rng(seed)
        resamples = [rng.choice(v, size=(n_boot, len(v)), replace=True) for v in values]
        with np.errstate(invalid="ignore", divide="ignore"):
            h_boot, _ = stats.kruskal(*resamples, axis=1)
        # a resample where every answer is the same has no rank variance to explain: epsilon² = 0
        boots = np.nan_to_num(h_boot, nan=0.0) / (n - 1)
        tail = (1 - ci_level) / 2
        ci = (float(np.quantile(boots, tail)), float(np.quantile(boots, 1 - tail)))

    ranks = stats.rankdata(np.concatenate(values))
    edges = np.cumsum([0] + [len(v) for v in values])
    per_group = pd.DataFrame(
        {
            group: list(samples),
            "n": [len(v) for v in values],
            "mean_rank": [ranks[a:b].mean() for a, b in zip(edges[:-1], edges[1:], strict=True)],
            "median": [float(np.median(v)) for v in values],
        }
    )
    return Result(
        method="Kruskal-Wallis H, epsilon-squared",
        estimate=float(epsilon),
        n=int(n),
        ci=ci,
        ci_level=ci_level,
        statistic=float(h),
        statistic_name="H",
        df=len(values) - 1,
        p_value=float(p),
        interpretation=band(epsilon, *VARIANCE_BANDS),
        interpretation_source=VARIANCE_BANDS_SOURCE,
        reference="Kruskal & Wallis (1952); epsilon-squared: Tomczak & Tomczak (2014); "
        "CI: stratified percentile bootstrap",
        details={"groups": per_group, "n_boot": n_boot, "seed": seed},
    )


def pairwise_mann_whitney(
    data: pd.DataFrame,
    dv: str,
    group: str,
    *,
    order: Sequence[str] | None = None,
    padjust: str = "holm",
) -> pd.DataFrame:
    """Mann-Whitney U for every pair of groups, p-values adjusted for multiplicity (Holm by default).

    Returns one row per pair: ``A, B, n_A, n_B, U, p_unc, p_adj, rank_biserial, method``. ``U`` is
    the statistic of group A (R's ``W``). The p-value is exact when both groups have fewer than 50
    values and no value is tied, as in R's ``wilcox.test``; otherwise the normal approximation with
    tie and continuity corrections; ``method`` says which for each pair. The rank-biserial
    correlation ``2 U / (n_A n_B) - 1`` (Kerby, 2014) is the effect size: the share of (A, B) pairs of
    respondents where A is higher minus the share where B is higher, from -1 to 1 (R's
    ``effectsize::rank_biserial``). Adjustment by :func:`statsmodels.stats.multitest.multipletests`
    (Holm, 1979: step-down Bonferroni, which keeps the family-wise error rate).
    """
    from scipy import stats

    from .multitest import multipletests

    samples = _samples(data, dv, group, order)
    labels = list(samples)
    rows = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            x, y = samples[a], samples[b]
            tied = np.unique(np.concatenate([x, y])).size < x.size + y.size
            exact = len(x) < 50 and len(y) < 50 and not tied
            if np.ptp(np.concatenate([x, y])) == 0:
                raise InputError(
                    f"Groups {a!r} and {b!r} give {dv!r} the same value throughout (constant data): there "
                    "is no order to test. Report the counts instead.",
                    column=dv,
                )
            test = stats.mannwhitneyu(
                x, y, alternative="two-sided", use_continuity=True, method="exact" if exact else "asymptotic"
            )
            u = float(test.statistic)
            rows.append(
                {
                    "A": a,
                    "B": b,
                    "n_A": len(x),
                    "n_B": len(y),
                    "U": u,
                    "p_unc": float(test.pvalue),
                    "rank_biserial": 2 * u / (len(x) * len(y)) - 1,
                    "method": "exact"
                    if exact
                    else "normal approximation, tie and continuity corrected" + (" (ties)" if tied else ""),
                }
            )
    table = pd.DataFrame(rows)
    table.insert(6, "p_adj", multipletests(table["p_unc"].to_numpy(), method=padjust)[1])
    return table


def one_way_anova(
    data: pd.DataFrame,
    dv: str,
    group: str,
    *,
    order: Sequence[str] | None = None,
    ci_level: float = 0.95,
) -> Result:
    """One-way ANOVA with eta-squared, its noncentral-F confidence interval, and omega-squared.

    Returns
    -------
    Result
        ``estimate`` is eta-squared (SS_between / SS_total); ``statistic`` F with ``df`` (k - 1, N - k);
        ``details["anova"]`` the ANOVA table (SS, df, MS, F, p), ``details["omega_squared"]`` the less
        biased omega-squared, ``details["tukey"]`` the :func:`tukey_hsd` table.

    Notes
    -----
    Sums of squares by statsmodels (``anova_lm`` of ``ols('y ~ C(group)')``). The CI of eta-squared
    inverts the noncentral F
    distribution (Steiger, 2004) (:func:`eta_squared_interval`, scipy's noncentral F), mapping
    a noncentrality bound to eta-squared as lambda / (lambda + N) (Steiger's population eta-squared).
    R's ``effectsize::eta_squared`` maps it as lambda / (lambda + df_error) instead, which gives a
    slightly higher interval; the reference tests hold ours to Steiger's formula.
    Constant data, no within-group variance and groups of one are refused with the reason.
    Omega-squared = (SS_b - (k - 1) MS_w) / (SS_t + MS_w) (Hays, 1963).

    References
    ----------
    Steiger, J. H. (2004). Beyond the F test: effect size confidence intervals and tests of close fit in
    the analysis of variance and contrast analysis. Psychological Methods, 9(2), 164-182.

    Examples
    --------
    Montgomery & Runger's paper-strength example (tensile strength at four hardwood concentrations):

    >>> import pandas as pd
    >>> y = [7, 8, 15, 11, 9, 10, 12, 17, 13, 18, 19, 15, 14, 18, 19, 17, 16, 18, 19, 25, 22, 23, 18, 20]
    >>> df = pd.DataFrame({"y": y, "conc": ["05"] * 6 + ["10"] * 6 + ["15"] * 6 + ["20"] * 6})
    >>> r = one_way_anova(df, "y", "conc")
    >>> round(r.statistic, 2), r.df
    (19.61, (3, 20))
    """
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm

    ci_level = checks.ci_level(ci_level)
    samples = _samples(data, dv, group, order)
    _check_means(samples, dv)
    long = pd.DataFrame(
        {"y": np.concatenate(list(samples.values())), "g": np.repeat(list(samples), [len(v) for v in samples.values()])}
    )
    aov = anova_lm(smf.ols("y ~ C(g)", data=long).fit())
    ss_b, ss_w = (float(v) for v in aov["sum_sq"])
    df_b, df_w = (int(v) for v in aov["df"])
    f, p = float(aov["F"].iloc[0]), float(aov["PR(>F)"].iloc[0])
    ms_w = ss_w / df_w
    eta2 = ss_b / (ss_b + ss_w)
    omega2 = (ss_b - df_b * ms_w) / (ss_b + ss_w + ms_w)
    ci_eta = eta_squared_interval(f, df_b, df_w, len(long), ci_level)
    table = pd.DataFrame(
        {
            "source": [group, "residual"],
            "SS": [ss_b, ss_w],
            "df": [df_b, df_w],
            "MS": [ss_b / df_b, ms_w],
            "F": [f, np.nan],
            "p": [p, np.nan],
        }
    )
    return Result(
        method="One-way ANOVA, eta-squared",
        estimate=float(eta2),
        n=int(len(long)),
        ci=(max(0.0, float(ci_eta[0])), min(1.0, float(ci_eta[1]))),
        ci_level=ci_level,
        statistic=f,
        statistic_name="F",
        df=(df_b, df_w),
        p_value=p,
        interpretation=band(eta2, *VARIANCE_BANDS),
        interpretation_source=VARIANCE_BANDS_SOURCE,
        reference="Fisher's one-way ANOVA; eta-squared CI: Steiger (2004); omega-squared: Hays (1963)",
        details={
            "anova": table,
            "omega_squared": float(omega2),
            "tukey": tukey_hsd(data, dv, group, order=order, ci_level=ci_level),
        },
    )


def tukey_hsd(
    data: pd.DataFrame,
    dv: str,
    group: str,
    *,
    order: Sequence[str] | None = None,
    ci_level: float = 0.95,
) -> pd.DataFrame:
    """Tukey's HSD: every pair of group means with simultaneous CIs and family-wise p-values.

    One row per pair ``A, B, mean_A, mean_B, diff (= mean_A - mean_B), ci_low, ci_high, p_tukey``.
    Computed by :func:`scipy.stats.tukey_hsd` (Tukey-Kramer when group sizes differ). The intervals
    hold together: with 95% coverage, all of them cover their true differences in 95 of 100 studies.

    Reference: Tukey, J. W. (1949). Comparing individual means in the analysis of variance.
    Biometrics, 5(2), 99-114; NIST/SEMATECH e-Handbook of Statistical Methods, section 7.4.7.1.
    """
    from scipy import stats

    ci_level = checks.ci_level(ci_level)
    samples = _samples(data, dv, group, order)
    _check_means(samples, dv)
    labels = list(samples)
    res = stats.tukey_hsd(*samples.values())
    ci = res.confidence_interval(confidence_level=ci_level)
    rows = []
    for i, a in enumerate(labels):
        for j in range(i + 1, len(labels)):
            b = labels[j]
            rows.append(
                {
                    "A": a,
                    "B": b,
                    "mean_A": samples[a].mean(),
                    "mean_B": samples[b].mean(),
                    "diff": float(res.statistic[i, j]),
                    "ci_low": float(ci.low[i, j]),
                    "ci_high": float(ci.high[i, j]),
                    "p_tukey": float(res.pvalue[i, j]),
                }
            )
    return pd.DataFrame(rows)
