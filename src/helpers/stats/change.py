"""Paired change for small groups: before/after (and follow-up) ratings of the same people.

A workshop evaluation often has a handful of people rated twice. The tools here are the ones that
stay honest at n = 5..20:

- :func:`signed_rank` -- Wilcoxon signed-rank test, exact where the sample allows, with the
  matched-pairs rank-biserial correlation as effect size (Kerby 2014);
- :func:`hodges_lehmann` -- the Hodges-Lehmann shift (median of the Walsh averages) with its exact
  distribution-free confidence interval (Hollander & Wolfe 1999; Bauer 1972);
- :func:`bootstrap_ci` -- a seeded bootstrap interval for the median (or mean) change;
- planning the next evaluation (:func:`sample_size`, :func:`power`...) is in :mod:`.power` and the
  same tests on the workbook's tidy poll data (:func:`pair_waves`, :func:`change_by_question`) in
  :mod:`.waves`; both are importable from here too.

scipy and statsmodels do the maths. Written here, because no library offers them: the exact
Hodges-Lehmann interval (order statistics of the Walsh averages at the signed-rank critical value)
and the null distribution of the signed-rank statistic it needs.

Kept whole: the paired-change family (signed rank, Hodges-Lehmann, bootstrap) shares its checks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from ..errors import InputError
from . import checks

# The planning and tidy-data halves live in their own modules; their names stay importable from here
# (notebooks call ``change.power``, ``change.pair_waves``...). waves imports this module lazily.
from .power import DESIGNS, WILCOXON_ARE, minimum_detectable_effect, power, power_curve, sample_size
from .result import Result, band
from .waves import change_by_group, change_by_question, compact, pair_waves

ALTERNATIVES = ("two-sided", "greater", "less")
ZERO_METHODS = ("wilcox", "pratt")

#: Largest number of ranked differences given an exact p-value (scipy's exact distribution when
#: untied, as R does; the exact distribution conditional on the tied ranks otherwise).
MAX_EXACT_N = 50

_R_BANDS = ([0.1, 0.3, 0.5], ["negligible", "small", "medium", "large"])
_R_SOURCE = "Cohen (1988) bands for r"
_WILCOXON_REF = (
    "Wilcoxon, F. (1945). Individual comparisons by ranking methods. Biometrics Bulletin, 1(6), "
    "80-83. Effect size: Kerby, D. S. (2014). The simple difference formula: an approach to "
    "teaching nonparametric correlation. Comprehensive Psychology, 3, 11.IT.3.1."
)
_HL_REF = (
    "Hodges, J. L., & Lehmann, E. L. (1963). Estimates of location based on rank tests. Annals of "
    "Mathematical Statistics, 34, 598-611. Interval: Hollander, M., & Wolfe, D. A. (1999). "
    "Nonparametric Statistical Methods (2nd ed.), section 3.3; Bauer, D. F. (1972). Constructing "
    "confidence sets using rank statistics. JASA, 67, 687-690."
)
_BOOT_REF = (
    "Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall "
    "(BCa: chapter 14). Computed with scipy.stats.bootstrap."
)


# --------------------------------------------------------------------------------------------
# input
# --------------------------------------------------------------------------------------------


def differences(before, after=None) -> tuple[np.ndarray, int]:
    """Paired differences ``after - before`` with incomplete pairs removed.

    Parameters
    ----------
    before : array_like
        Scores at the first occasion, or the differences themselves when ``after`` is None.
    after : array_like, optional
        Scores at the second occasion, paired by position with ``before``.

    Returns
    -------
    (d, dropped) : the differences as a float array and the number of pairs dropped for a
        missing value (reported by every function here, never dropped silently).
    """
    first = np.asarray(before, dtype=float).ravel()
    if after is None:
        d = first
    else:
        second = np.asarray(after, dtype=float).ravel()
        if first.shape != second.shape:
            raise InputError(
                f"`before` has {first.size} values and `after` has {second.size}; paired data need "
                "one `after` value for each `before` value, in the same order."
            )
        d = second - first
    keep = np.isfinite(d)
    return d[keep], int((~keep).sum())


def _check_choice(name: str, value: str, options: Sequence[str]) -> str:
    return checks.choice(name, value, options)


# --------------------------------------------------------------------------------------------
# Wilcoxon signed-rank test
# --------------------------------------------------------------------------------------------


def signed_rank(before, after=None, *, alternative: str = "two-sided", zero_method: str = "wilcox") -> Result:
    """Wilcoxon signed-rank test of paired change, exact for small samples, with effect size.

    Parameters
    ----------
    before, after : array_like
        Paired scores (change is ``after - before``), or the differences alone in ``before``.
        Pairs with a missing value are dropped and counted in ``details["dropped"]``.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: scores rise from ``before`` to ``after``.
    zero_method : {"wilcox", "pratt"}
        How zero differences (no change) are handled. ``"wilcox"`` (default, as in R and scipy)
        drops them before ranking (Wilcoxon 1945); ``"pratt"`` ranks them with the others and then
        ignores their ranks, which is more conservative (Pratt 1959).

    Returns
    -------
    Result
        ``estimate`` is the matched-pairs rank-biserial correlation ``r``; ``statistic`` is
        ``T`` (the smaller of the two rank sums for a two-sided test, else ``T+``); ``p_value``;
        ``n`` the number of complete pairs (zeros included); ``details`` holds ``T+``, ``T-``,
        the number of zeros, whether there were ties, the p-value method and ``r_z``
        (Z / sqrt(n), for comparison with older reports).

    Notes
    -----
    Method. The absolute differences are ranked (average ranks for ties) and ``T+`` / ``T-`` are
    the rank sums of the rises and the falls. Under H0 each non-zero difference is equally likely
    to be a rise or a fall. The p-value comes from

    - scipy's exact null distribution (``scipy.stats.wilcoxon(method="exact")``) when the ranked
      differences are untied (and, with ``"pratt"``, none is zero) and there are at most 50;
    - with ties, the exact null distribution *conditional on the tied ranks*: all ``2**n`` sign
      patterns are counted by :func:`signed_rank_distribution` (a dynamic programme on the
      doubled mid-ranks, so it is instant for any n <= 50). The textbook table -- and
      ``method="exact"`` -- would be wrong here, and scipy's permutation alternative enumerates
      the patterns one by one (seconds at n = 13); rating-scale data nearly always have ties;
    - above 50, the normal approximation with tie and continuity corrections.

    Effect size. The matched-pairs rank-biserial correlation (Kerby 2014, "simple difference
    formula")

    .. math:: r = \\frac{T_+ - T_-}{T_+ + T_-}

    is the share of the rank evidence favouring a rise minus the share favouring a fall; it runs
    from -1 (everyone fell) to +1 (everyone rose) and needs no normal approximation, which is why
    it is the headline effect size here. ``details["r_z"]`` is Rosenthal's (1991)
    ``r = Z / sqrt(N)`` with N the number of pairs ranked. Bands for ``|r|``: Cohen (1988),
    .1 small, .3 medium, .5 large.

    References
    ----------
    Wilcoxon (1945); Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank
    procedures. JASA 54, 655-667; Kerby (2014); Rosenthal, R. (1991). Meta-analytic procedures for
    social research (rev. ed.). Sage.

    Examples
    --------
    Darwin's Zea mays data, cross- minus self-fertilised height in eighths of an inch
    (Fisher 1935; Hollander & Wolfe 1999):

    >>> d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
    >>> res = signed_rank(d)
    >>> res.statistic, round(res.p_value, 5), res.estimate
    (24.0, 0.04126, 0.6)
    """
    from scipy import stats

    _check_choice("alternative", alternative, ALTERNATIVES)
    _check_choice("zero_method", zero_method, ZERO_METHODS)
    d, dropped = differences(before, after)
    zeros = int((d == 0).sum())
    if zeros == d.size:
        raise InputError(
            f"No pair changed: all {d.size} differences are zero (or missing), so there is nothing "
            "to rank. Report the counts instead of a test."
        )
    ranked = d[d != 0] if zero_method == "wilcox" else d
    all_ranks = stats.rankdata(np.abs(ranked))
    signs = np.sign(ranked)
    ranks = all_ranks[signs != 0]  # the ranks that carry a sign
    t_plus = float(all_ranks[signs > 0].sum())
    t_minus = float(all_ranks[signs < 0].sum())
    ties = bool(np.unique(ranks).size < ranks.size)
    n_ranked = int(ranks.size)

    if n_ranked > MAX_EXACT_N:
        label = "normal approximation, tie and continuity corrected"
        p = float(
            stats.wilcoxon(
                ranked, zero_method=zero_method, alternative=alternative, method="asymptotic", correction=True
            ).pvalue
        )
    elif not ties and ranks.size == ranked.size:
        label = "exact"
        p = float(stats.wilcoxon(ranked, zero_method=zero_method, alternative=alternative, method="exact").pvalue)
    else:
        label = "exact, conditional on tied ranks"
        support, prob = signed_rank_distribution(ranks)
        lower = float(prob[support <= t_plus + 1e-9].sum())
        upper = float(prob[support >= t_plus - 1e-9].sum())
        p = {"less": lower, "greater": upper}.get(alternative, min(1.0, 2.0 * min(lower, upper)))
    statistic = min(t_plus, t_minus) if alternative == "two-sided" else t_plus
    z = stats.wilcoxon(ranked, zero_method=zero_method, method="asymptotic").zstatistic
    r = (t_plus - t_minus) / (t_plus + t_minus)
    return Result(
        method=f"Wilcoxon signed-rank ({label}); effect size rank-biserial r",
        estimate=float(r),
        n=int(d.size),
        statistic=float(statistic),
        statistic_name="T",
        p_value=p,
        interpretation=band(abs(r), *_R_BANDS),
        interpretation_source=_R_SOURCE,
        reference=_WILCOXON_REF,
        details={
            "T+": t_plus,
            "T-": t_minus,
            "zeros": zeros,
            "zero_method": zero_method,
            "ties": ties,
            "dropped": dropped,
            "alternative": alternative,
            "p_method": label,
            "r_z": float(np.sign(r) * abs(z) / math.sqrt(n_ranked)),
        },
    )


def signed_rank_distribution(ranks) -> tuple[np.ndarray, np.ndarray]:
    """Exact null distribution of ``T+`` given the ranks (mid-ranks allowed) of the non-zero differences.

    Under H0 every rank is a rise or a fall with probability 1/2, independently, so ``T+`` is a
    sum over a random subset of the ranks. Mid-ranks are multiples of 1/2, so the doubled ranks
    are integers and the number of subsets reaching each doubled sum is counted by the usual
    dynamic programme: adding rank ``s`` adds a copy of the counts shifted by ``s``. With untied
    ranks 1..n this is the classical distribution (Wilcoxon 1945); with ties it is the exact
    permutation distribution conditional on the ties (Lehmann 1975, section 3.3).

    Returns
    -------
    (support, probability) : the possible values of ``T+`` (steps of 1/2) and their probabilities.

    Examples
    --------
    >>> support, prob = signed_rank_distribution([1, 2, 3])
    >>> (prob * 8)[support == support.round()].tolist()
    [1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0]
    """
    doubled = np.rint(2 * np.asarray(ranks, dtype=float)).astype(int)
    counts = np.zeros(int(doubled.sum()) + 1)
    counts[0] = 1.0
    for s in doubled:
        counts[s:] = counts[s:] + counts[:-s].copy()
    return np.arange(counts.size) / 2.0, counts / 2.0**doubled.size


# --------------------------------------------------------------------------------------------
# Hodges-Lehmann shift with its exact interval
# --------------------------------------------------------------------------------------------


def walsh_averages(d) -> np.ndarray:
    """All ``n(n+1)/2`` Walsh averages ``(d_i + d_j) / 2``, ``i <= j``, sorted (Walsh 1949)."""
    d = np.asarray(d, dtype=float)
    i, j = np.triu_indices(d.size)
    return np.sort((d[i] + d[j]) / 2.0)


def hodges_lehmann(before, after=None, *, ci_level: float = 0.95) -> Result:
    """Hodges-Lehmann estimate of the paired shift with its exact distribution-free interval.

    Parameters
    ----------
    before, after : array_like
        Paired scores (change is ``after - before``) or the differences alone.
    ci_level : float
        Wanted two-sided coverage. The signed-rank distribution is discrete, so the interval's
        achieved coverage is the nearest level at or above it; that level is ``ci_level`` of the
        result (e.g. 96.1% for n = 9 when 95% is asked for).

    Returns
    -------
    Result
        ``estimate`` the median of the Walsh averages (the "pseudo-median" of R's wilcox.test);
        ``ci`` the interval; ``details`` the Walsh averages, the order statistic used and whether
        the requested confidence was reachable.

    Notes
    -----
    With the ``M = n(n+1)/2`` Walsh averages sorted, ``W(1) <= ... <= W(M)``, the estimate is
    their median (Hodges & Lehmann 1963). The interval inverts the signed-rank test (Hollander &
    Wolfe 1999, section 3.3; Bauer 1972): with ``k`` the smallest integer for which
    ``P(T+ <= k) >= alpha / 2`` under H0,

    .. math:: [\\,W_{(k)},\\; W_{(M - k + 1)}\\,]

    has coverage ``1 - 2 P(T+ <= k - 1)`` -- the same order statistics as R's
    ``wilcox.test(conf.int = TRUE)``. For n <= 5 no interval reaches 95%; the widest one,
    ``[W(1), W(M)]``, is returned with its true coverage and ``details["reachable"] = False``.
    All differences are used, zeros included (Hollander & Wolfe's definition; R drops zeros). The
    coverage statement assumes continuous data; with many ties (rating scales) the closed interval
    is, if anything, conservative.

    Examples
    --------
    Hamilton depression scale factor IV, nine patients before (x) and after (y) a tranquiliser
    (Hollander & Wolfe 1999, Table 3.1); H&W report an estimate of 0.46 and the 96.1% interval
    (.010, .786) for x - y:

    >>> x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    >>> y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    >>> res = hodges_lehmann(y, x)          # change x - y
    >>> round(res.estimate, 3), tuple(round(v, 3) for v in res.ci), round(res.ci_level, 3)
    (0.46, (0.01, 0.786), 0.961)
    """
    confidence = checks.ci_level(ci_level)
    d, dropped = differences(before, after)
    n = d.size
    if n == 0:
        raise InputError("No complete pairs: every pair has a missing value, so no shift can be estimated.")
    walsh = walsh_averages(d)
    m = walsh.size
    support, prob = signed_rank_distribution(np.arange(1, n + 1))
    cdf = np.cumsum(prob[support == np.round(support)])  # untied ranks: T+ takes whole values only
    alpha = 1.0 - confidence
    k = int(np.searchsorted(cdf, alpha / 2.0 - 1e-12))  # smallest k with P(T+ <= k) >= alpha/2
    reachable = k >= 1
    k = max(k, 1)
    achieved = 1.0 - 2.0 * cdf[k - 1]
    low, high = float(walsh[k - 1]), float(walsh[m - k])
    return Result(
        method="Hodges-Lehmann shift (median of Walsh averages), exact distribution-free CI",
        estimate=float(np.median(walsh)),
        n=int(n),
        ci=(low, high),
        ci_level=float(achieved),
        reference=_HL_REF,
        details={
            "walsh_averages": walsh,
            "order_statistic": k,
            "requested_confidence": confidence,
            "reachable": bool(reachable),
            "dropped": dropped,
        },
    )


# --------------------------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------------------------


def _hl_along_last_axis(d: np.ndarray, axis: int = -1) -> np.ndarray:
    d = np.moveaxis(np.asarray(d, dtype=float), axis, -1)
    i, j = np.triu_indices(d.shape[-1])
    return np.median((d[..., i] + d[..., j]) / 2.0, axis=-1)


_STATISTICS: dict[str, Callable[..., np.ndarray]] = {
    "median": np.median,
    "mean": np.mean,
    "hodges_lehmann": _hl_along_last_axis,
}


def bootstrap_ci(
    before,
    after=None,
    *,
    statistic: str = "median",
    ci_level: float = 0.95,
    n_boot: int = 9999,
    seed: int = 0,
    method: str = "BCa",
) -> Result:
    """Seeded bootstrap confidence interval for the median (or mean, or HL) change.

    Parameters
    ----------
    before, after : array_like
        Paired scores (change is ``after - before``) or the differences alone.
    statistic : {"median", "mean", "hodges_lehmann"}
        What to estimate from the differences.
    ci_level : float
        Two-sided coverage.
    n_boot : int
        Bootstrap resamples (9999 by default, scipy's default).
    seed : int
        Seed of the numpy Generator: the same seed gives the same interval.
    method : {"BCa", "percentile", "basic"}
        Interval method (scipy.stats.bootstrap). When BCa cannot be computed -- it happens with very
        few distinct values, e.g. all nine people moved by +1 -- the percentile interval is
        returned instead and the method name says so.

    Returns
    -------
    Result with the statistic, its bootstrap interval and ``details["standard_error"]``.

    Notes
    -----
    The bootstrap resamples the n differences with replacement and reads the interval off the
    distribution of the recomputed statistic (Efron & Tibshirani 1993). With n below about 10 it
    is rough: the resamples can only re-use the few values observed, so the interval is often too
    narrow. Show it next to the exact Hodges-Lehmann interval, not instead of it.

    Examples
    --------
    >>> res = bootstrap_ci([1, 2, 2, 3, 0, 1, 2, 4, -1], seed=1)
    >>> res.estimate
    2.0
    """
    import warnings

    from scipy import stats

    _check_choice("statistic", statistic, tuple(_STATISTICS))
    _check_choice("method", method, ("BCa", "percentile", "basic"))
    confidence = checks.ci_level(ci_level)
    n_resamples = checks.n_boot(n_boot, allow_zero=False)
    d, dropped = differences(before, after)
    if d.size < 2:
        raise InputError(f"A bootstrap needs at least 2 complete pairs; there are {d.size}.")
    func = _STATISTICS[statistic]

    def run(how: str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # degenerate resamples: handled below, not printed
            return stats.bootstrap(
                (d,),
                func,
                n_resamples=n_resamples,
                confidence_level=confidence,
                method=how,
                rng=np.random.default_rng(seed),
                vectorized=True,
            )

    used = method
    res = run(method)
    interval = res.confidence_interval
    if not (np.isfinite(interval.low) and np.isfinite(interval.high)):
        used = "percentile (BCa not computable)" if method == "BCa" else method
        res = run("percentile")
        interval = res.confidence_interval
    return Result(
        method=f"Bootstrap {used} CI of the {statistic.replace('_', '-')} change",
        estimate=float(func(d)),
        n=int(d.size),
        ci=(float(interval.low), float(interval.high)),
        ci_level=confidence,
        reference=_BOOT_REF,
        details={"standard_error": float(res.standard_error), "n_boot": n_resamples, "seed": seed, "dropped": dropped},
    )


def paired_change(
    before, after=None, *, ci_level: float = 0.95, seed: int = 0, alternative: str = "two-sided"
) -> list[Result]:
    """The three small-n summaries of one paired change: signed-rank test, HL shift, bootstrap.

    Examples
    --------
    >>> from helpers.stats import results_table
    >>> table = results_table(paired_change([3, 4, 4, 5, 2, 3, 4, 5, 3], [5, 6, 5, 7, 3, 5, 5, 6, 4]))
    >>> list(table["n"])
    [9, 9, 9]
    """
    return [
        signed_rank(before, after, alternative=alternative),
        hodges_lehmann(before, after, ci_level=ci_level),
        bootstrap_ci(before, after, ci_level=ci_level, seed=seed),
    ]


__all__ = [
    "ALTERNATIVES",
    "DESIGNS",
    "MAX_EXACT_N",
    "WILCOXON_ARE",
    "ZERO_METHODS",
    "bootstrap_ci",
    "change_by_group",
    "change_by_question",
    "compact",
    "differences",
    "hodges_lehmann",
    "minimum_detectable_effect",
    "pair_waves",
    "paired_change",
    "power",
    "power_curve",
    "sample_size",
    "signed_rank",
    "signed_rank_distribution",
    "walsh_averages",
]
