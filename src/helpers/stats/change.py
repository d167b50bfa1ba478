"""Paired change for small groups: before/after (and follow-up) ratings of the same people.

A workshop evaluation often has a handful of people rated twice. The tools here are the ones that
stay honest at n = 5..20:

- :func:`signed_rank` -- Wilcoxon signed-rank test, exact where the sample allows, with the
  matched-pairs rank-biserial correlation as effect size (Kerby 2014);
- :func:`hodges_lehmann` -- the Hodges-Lehmann shift (median of the Walsh averages) with its exact
  distribution-free confidence interval (Hollander & Wolfe 1999; Bauer 1972);
- :func:`bootstrap_ci` -- a seeded bootstrap interval for the median (or mean) change;
- :func:`sample_size`, :func:`power`, :func:`minimum_detectable_effect`, :func:`power_curve` --
  planning the next evaluation (paired or two-group t-test power, statsmodels);
- :func:`pair_waves` and :func:`change_by_question` -- the same on the workbook's tidy poll data.

scipy and statsmodels do the maths. Written here, because no library offers them: the exact
Hodges-Lehmann interval (order statistics of the Walsh averages at the signed-rank critical value)
and the null distribution of the signed-rank statistic it needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ..errors import InputError, ParameterError
from .result import Result, band

ALTERNATIVES = ("two-sided", "greater", "less")
ZERO_METHODS = ("wilcox", "pratt")
DESIGNS = ("paired", "two-group")

#: Largest number of ranked differences given an exact p-value (scipy's exact distribution when
#: untied, as R does; the exact distribution conditional on the tied ranks otherwise).
MAX_EXACT_N = 50
#: Asymptotic relative efficiency of the signed-rank test to the t-test under normality, 3/pi.
WILCOXON_ARE = 3 / math.pi

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
_POWER_REF = (
    "Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences (2nd ed.). Computed "
    "with statsmodels.stats.power (TTestPower / TTestIndPower)."
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
    if value not in options:
        raise ParameterError(f"`{name}` must be one of {', '.join(map(repr, options))}; it is {value!r}.")
    return value


def _check_confidence(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ParameterError(f"`confidence` must be between 0 and 1 (e.g. 0.95); it is {confidence!r}.")
    return float(confidence)


# --------------------------------------------------------------------------------------------
# Wilcoxon signed-rank test
# --------------------------------------------------------------------------------------------

def signed_rank(before, after=None, *, alternative: str = "two-sided",
                zero_method: str = "wilcox") -> Result:
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
        p = float(stats.wilcoxon(ranked, zero_method=zero_method, alternative=alternative,
                                 method="asymptotic", correction=True).pvalue)
    elif not ties and ranks.size == ranked.size:
        label = "exact"
        p = float(stats.wilcoxon(ranked, zero_method=zero_method, alternative=alternative,
                                 method="exact").pvalue)
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
            "T+": t_plus, "T-": t_minus, "zeros": zeros, "zero_method": zero_method,
            "ties": ties, "dropped": dropped, "alternative": alternative, "p_method": label,
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
    return np.arange(counts.size) / 2.0, counts / 2.0 ** doubled.size


# --------------------------------------------------------------------------------------------
# Hodges-Lehmann shift with its exact interval
# --------------------------------------------------------------------------------------------

def walsh_averages(d) -> np.ndarray:
    """All ``n(n+1)/2`` Walsh averages ``(d_i + d_j) / 2``, ``i <= j``, sorted (Walsh 1949)."""
    d = np.asarray(d, dtype=float)
    i, j = np.triu_indices(d.size)
    return np.sort((d[i] + d[j]) / 2.0)


def hodges_lehmann(before, after=None, *, confidence: float = 0.95) -> Result:
    """Hodges-Lehmann estimate of the paired shift with its exact distribution-free interval.

    Parameters
    ----------
    before, after : array_like
        Paired scores (change is ``after - before``) or the differences alone.
    confidence : float
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
    confidence = _check_confidence(confidence)
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
            "walsh_averages": walsh, "order_statistic": k, "requested_confidence": confidence,
            "reachable": bool(reachable), "dropped": dropped,
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


def bootstrap_ci(before, after=None, *, statistic: str = "median", confidence: float = 0.95,
                 n_resamples: int = 9999, seed: int = 0, method: str = "BCa") -> Result:
    """Seeded bootstrap confidence interval for the median (or mean, or HL) change.

    Parameters
    ----------
    before, after : array_like
        Paired scores (change is ``after - before``) or the differences alone.
    statistic : {"median", "mean", "hodges_lehmann"}
        What to estimate from the differences.
    confidence : float
        Two-sided coverage.
    n_resamples : int
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
    confidence = _check_confidence(confidence)
    d, dropped = differences(before, after)
    if d.size < 2:
        raise InputError(f"A bootstrap needs at least 2 complete pairs; there are {d.size}.")
    func = _STATISTICS[statistic]

    def run(how: str):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # degenerate resamples: handled below, not printed
            return stats.bootstrap((d,), func, n_resamples=n_resamples, confidence_level=confidence,
                                   method=how, rng=np.random.default_rng(seed), vectorized=True)

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
        details={"standard_error": float(res.standard_error), "n_resamples": n_resamples,
                 "seed": seed, "dropped": dropped},
    )


def paired_change(before, after=None, *, confidence: float = 0.95, seed: int = 0,
                  alternative: str = "two-sided") -> list[Result]:
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
        hodges_lehmann(before, after, confidence=confidence),
        bootstrap_ci(before, after, confidence=confidence, seed=seed),
    ]


# --------------------------------------------------------------------------------------------
# Power and sample size
# --------------------------------------------------------------------------------------------

def _power_engine(design: str):
    from statsmodels.stats.power import TTestIndPower, TTestPower

    _check_choice("design", design, DESIGNS)
    return TTestPower() if design == "paired" else TTestIndPower()


def _nobs(design: str, n) -> dict:
    """statsmodels names the sample size ``nobs`` (paired) and ``nobs1`` (two groups)."""
    return {"nobs" if design == "paired" else "nobs1": n}


def _alt(alternative: str) -> str:
    _check_choice("alternative", alternative, ("two-sided", "larger", "smaller"))
    return alternative


def _check_effect(effect_size: float) -> float:
    if not effect_size or not np.isfinite(effect_size):
        raise ParameterError(
            f"`effect_size` must be a non-zero number (Cohen's d, e.g. 0.5); it is {effect_size!r}."
        )
    return float(effect_size)


def sample_size(effect_size: float, *, design: str = "paired", alpha: float = 0.05,
                power: float = 0.80, alternative: str = "two-sided") -> Result:
    """Sample size for a paired or two-group t-test to reach a given power.

    Parameters
    ----------
    effect_size : float
        Cohen's d: for ``design="paired"`` the mean change divided by the SD of the changes
        (``d_z``); for ``"two-group"`` the mean difference divided by the pooled SD.
    design : {"paired", "two-group"}
        Same people measured twice (statsmodels ``TTestPower``), or two independent groups of
        equal size (``TTestIndPower``).
    alpha, power : float
        Type I error rate and wanted power.
    alternative : {"two-sided", "larger", "smaller"}

    Returns
    -------
    Result
        ``estimate`` the exact (fractional) solution; ``n`` it rounded up -- pairs for a paired
        design, people *per group* for two groups; ``details`` adds ``total`` people and
        ``n_wilcoxon``, the n to plan when the analysis will be the signed-rank / rank-sum test:
        ``n / (3/pi)``, the asymptotic relative efficiency under normality (Lehmann 1975).

    Examples
    --------
    >>> res = sample_size(0.5)
    >>> round(res.estimate, 2), res.n
    (33.37, 34)
    >>> res = sample_size(0.5, design="two-group")
    >>> round(res.estimate, 2), res.n, res.details["total"]
    (63.77, 64, 128)
    """
    engine = _power_engine(design)
    effect_size = _check_effect(effect_size)
    exact = float(engine.solve_power(effect_size=effect_size, alpha=alpha, power=power,
                                     alternative=_alt(alternative)))
    n = math.ceil(exact - 1e-9)
    unit = "pairs" if design == "paired" else "per group"
    total = n if design == "paired" else 2 * n
    return Result(
        method=f"Sample size, {design} t-test",
        estimate=exact,
        n=n,
        interpretation=f"{n} {unit} for {power:.0%} power at d = {effect_size:g}, alpha = {alpha:g} ({alternative})",
        reference=_POWER_REF,
        details={"effect_size": effect_size, "alpha": alpha, "power": power, "design": design,
                 "total": total, "n_wilcoxon": math.ceil(exact / WILCOXON_ARE - 1e-9)},
    )


def power(effect_size: float, n: int, *, design: str = "paired", alpha: float = 0.05,
          alternative: str = "two-sided") -> Result:
    """Power of a paired or two-group t-test with ``n`` pairs (or ``n`` per group).

    Examples
    --------
    Nine people rated twice, a medium change (d = 0.5):

    >>> round(power(0.5, 9).estimate, 3)
    0.263
    """
    engine = _power_engine(design)
    effect_size = _check_effect(effect_size)
    value = float(engine.power(effect_size=effect_size, alpha=alpha, alternative=_alt(alternative),
                               **_nobs(design, n)))
    unit = "pairs" if design == "paired" else "per group"
    return Result(
        method=f"Power, {design} t-test",
        estimate=value,
        n=int(n),
        interpretation=f"{value:.0%} chance to detect d = {effect_size:g} with {n} {unit}",
        reference=_POWER_REF,
        details={"effect_size": effect_size, "alpha": alpha, "design": design},
    )


def minimum_detectable_effect(n: int, *, design: str = "paired", alpha: float = 0.05,
                              power: float = 0.80, alternative: str = "two-sided") -> Result:
    """The smallest Cohen's d a paired or two-group t-test detects with the given power.

    Examples
    --------
    >>> round(minimum_detectable_effect(9).estimate, 2)
    1.07
    """
    engine = _power_engine(design)
    value = float(engine.solve_power(effect_size=None, alpha=alpha, power=power,
                                     alternative=_alt(alternative), **_nobs(design, n)))
    unit = "pairs" if design == "paired" else "per group"
    return Result(
        method=f"Minimum detectable effect (Cohen's d), {design} t-test",
        estimate=value,
        n=int(n),
        interpretation=f"with {n} {unit}, {power:.0%} power only for d >= {value:.2f}",
        reference=_POWER_REF,
        details={"alpha": alpha, "power": power, "design": design},
    )


def power_curve(effect_sizes: Iterable[float], ns: Iterable[int], *, design: str = "paired",
                alpha: float = 0.05, alternative: str = "two-sided"):
    """Power for every combination of effect size and n, as a tidy DataFrame.

    Returns
    -------
    pandas.DataFrame with columns ``effect_size``, ``n``, ``power``, sorted.
    """
    import pandas as pd

    engine = _power_engine(design)
    rows = [
        {"effect_size": float(es), "n": int(n),
         "power": float(engine.power(effect_size=_check_effect(es), alpha=alpha,
                                     alternative=_alt(alternative), **_nobs(design, int(n))))}
        for es in effect_sizes for n in ns
    ]
    return pd.DataFrame(rows).sort_values(["effect_size", "n"], ignore_index=True)


# --------------------------------------------------------------------------------------------
# Tidy poll data
# --------------------------------------------------------------------------------------------

def pair_waves(responses, before: str, after: str, *, wave: str = "wave", value: str = "value",
               by: str = "question"):
    """Pair each respondent's answer at wave ``before`` with their answer at wave ``after``.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy answers with columns ``respondent``, ``by`` (default ``question``), ``wave`` and the
        numeric ``value`` (as in :attr:`helpers.polls.PollData.responses`).
    before, after : str
        The two wave labels, e.g. ``"pre"`` and ``"post"``.

    Returns
    -------
    pandas.DataFrame
        One row per respondent and question with both answers: ``by``, ``respondent``,
        ``before``, ``after``, ``difference`` (after - before), sorted. Respondents who answered at
        only one of the two waves are left out; :func:`change_by_question` counts them.
    """
    missing = [c for c in ("respondent", by, wave, value) if c not in responses.columns]
    if missing:
        raise InputError(
            f"The responses have no column {missing[0]!r}; pairing waves needs respondent, {by}, "
            f"{wave} and {value}."
        )
    waves = set(responses[wave].dropna().astype(str))
    for label in (before, after):
        if label not in waves:
            raise InputError(
                f"No answers at wave {label!r}; the waves in the data are "
                f"{', '.join(sorted(map(repr, waves))) or 'none'}.",
                column=wave, value=label,
            )
    frame = responses.loc[responses[wave].astype(str).isin([before, after]) & responses[value].notna(),
                          ["respondent", by, wave, value]].copy()
    frame[wave] = frame[wave].astype(str)
    wide = frame.pivot_table(index=[by, "respondent"], columns=wave, values=value, aggfunc="mean",
                             observed=True)
    wide = wide.reindex(columns=[before, after]).dropna().reset_index()
    wide.columns = [by, "respondent", "before", "after"]
    wide["difference"] = wide["after"] - wide["before"]
    return wide.sort_values([by, "respondent"], ignore_index=True)


def change_by_question(responses, before: str, after: str, *, questions: Sequence[str] | None = None,
                       confidence: float = 0.95, seed: int = 0, min_group_size: int = 5,
                       by: str = "question", wave: str = "wave", value: str = "value"):
    """Paired change from wave ``before`` to wave ``after`` for every question, one row each.

    Each row holds the number of complete pairs, the respondents seen at only one of the two waves,
    the pairs with no change (dropped by the signed-rank test, Wilcoxon's convention: the
    rank-biserial ``r`` then describes only those who moved), the medians at both waves, the
    Hodges-Lehmann shift with its exact interval, the bootstrap
    interval of the median change, the signed-rank ``T`` and p-value, the Holm-adjusted p-value
    across the questions in the table (Holm 1979, statsmodels ``multipletests``) and the
    rank-biserial ``r``. Questions with fewer than ``min_group_size`` pairs are kept as a row but
    their numbers are suppressed (privacy, and too few to say anything).

    Returns
    -------
    pandas.DataFrame sorted by ``by``; numeric columns are floats (NaN where suppressed or where
    nobody changed).
    """
    import pandas as pd
    from statsmodels.stats.multitest import multipletests

    pairs = pair_waves(responses, before, after, wave=wave, value=value, by=by)
    present = responses.loc[responses[wave].astype(str).isin([before, after]) & responses[value].notna()]
    seen = present.groupby(by, observed=True)["respondent"].nunique()
    wanted = list(questions) if questions is not None else sorted(seen.index.astype(str))
    rows = []
    for question in wanted:
        group = pairs[pairs[by] == question]
        n = len(group)
        row = {by: question, "n_pairs": n, "unpaired": int(seen.get(question, 0)) - n}
        if n < min_group_size:
            row["note"] = f"suppressed: fewer than {min_group_size} pairs"
            rows.append(row)
            continue
        hl = hodges_lehmann(group["before"], group["after"], confidence=confidence)
        boot = bootstrap_ci(group["before"], group["after"], confidence=confidence, seed=seed)
        assert hl.ci is not None and boot.ci is not None  # both always carry an interval
        row.update(
            {
                "no_change": int((group["difference"] == 0).sum()),
                "median_before": float(group["before"].median()),
                "median_after": float(group["after"].median()),
                "hl_shift": hl.estimate,
                "hl_low": hl.ci[0],
                "hl_high": hl.ci[1],
                "hl_coverage": hl.ci_level,
                "boot_low": boot.ci[0],
                "boot_high": boot.ci[1],
            }
        )
        if (group["difference"] != 0).any():
            test = signed_rank(group["before"], group["after"])
            row.update(
                {"T": test.statistic, "p": test.p_value, "r_rb": test.estimate, "note": f"{test.interpretation} r"}
            )
        else:
            row["note"] = "nobody changed"
        rows.append(row)
    table = pd.DataFrame(rows)
    columns = [
        by,
        "n_pairs",
        "unpaired",
        "no_change",
        "median_before",
        "median_after",
        "hl_shift",
        "hl_low",
        "hl_high",
        "hl_coverage",
        "boot_low",
        "boot_high",
        "T",
        "p",
        "p_holm",
        "r_rb",
        "note",
    ]
    table = table.reindex(columns=columns)
    tested = table["p"].notna()
    if tested.any():
        table.loc[tested, "p_holm"] = multipletests(table.loc[tested, "p"], method="holm")[1]
    table["no_change"] = table["no_change"].astype("Int64")
    for column in columns[4:-1]:
        table[column] = table[column].astype(float)
    return table.sort_values(by, ignore_index=True)


def change_by_group(responses, before: str, after: str, *, group: str = "party", min_group_size: int = 5, **options):
    """:func:`change_by_question` within each level of ``group`` (e.g. party), stacked.

    Privacy: for every question, the groups chosen by
    :func:`helpers.polls.privacy.groups_to_suppress` are blanked -- those with fewer than
    ``min_group_size`` pairs and, when exactly one is that small, the next smallest too, because the
    whole-group figures shown beside them would otherwise give it away by differencing
    (complementary suppression). The rows stay, with a note, so a reader sees what was withheld.
    """
    import pandas as pd

    from ..polls.privacy import groups_to_suppress

    if group not in responses.columns:
        raise InputError(f"The responses have no column {group!r} to split the change by.")
    pairs = pair_waves(responses, before, after)
    pairs = pairs.merge(responses[["respondent", group]].drop_duplicates(), on="respondent")
    sizes = pairs.groupby(["question", group], observed=True).size()
    hidden = {
        (question, level)
        for question, counts in sizes.groupby(level=0)
        for level in groups_to_suppress(counts.droplevel(0).to_dict(), min_group_size)
    }
    frames = []
    for level, part in responses.groupby(group, observed=True, sort=True):
        shown = (
            any((q, level) not in hidden for q in sizes.xs(level, level=group).index)
            if level in sizes.index.get_level_values(group)
            else False
        )
        # a group withheld for every question is not computed at all
        table = change_by_question(part, before, after, min_group_size=2 if shown else 10**9, **options)
        table.insert(0, group, level)
        frames.append(table)
    table = pd.concat(frames, ignore_index=True)
    blank = [c for c in _TABLE_COLUMNS if c not in ("n_pairs", "unpaired", "note")]
    withheld = [
        (q, level) in hidden or n < min_group_size
        for q, level, n in zip(table["question"], table[group], table["n_pairs"], strict=True)
    ]
    mask = np.array(withheld, dtype=bool)
    small = mask & (table["n_pairs"] < min_group_size).to_numpy()
    table.loc[mask, blank] = np.nan
    table.loc[small, "note"] = f"suppressed: fewer than {min_group_size} pairs"
    table.loc[mask & ~small, "note"] = "suppressed: would reveal a smaller group by differencing"
    return table


def compact(table, digits: int = 2):
    """A readable version of a :func:`change_by_question` table: one string per estimate and interval.

    Columns: the question (and group, if present), ``pairs``, ``no change``, ``median before ->
    after``, ``HL shift [exact CI]``, ``CI coverage``, ``bootstrap CI``, ``T``, ``p``,
    ``p (Holm)``, ``r``, ``note``. Suppressed rows show a dash.
    """
    import pandas as pd

    from .result import format_p

    def number(value, fmt=f".{digits}f"):
        return "–" if pd.isna(value) else format(value, fmt)

    def interval(low, high):
        return "–" if pd.isna(low) else f"[{low:.{digits}f}, {high:.{digits}f}]"

    keys = [c for c in table.columns if c not in _TABLE_COLUMNS]
    rows = []
    for _, row in table.iterrows():
        out = {key: row[key] for key in keys}
        out.update(
            {
                "pairs": int(row["n_pairs"]),
                "no change": "–" if pd.isna(row["no_change"]) else int(row["no_change"]),
                "median before -> after": "–"
                if pd.isna(row["median_before"])
                else f"{row['median_before']:g} -> {row['median_after']:g}",
                "HL shift [exact CI]": "–"
                if pd.isna(row["hl_shift"])
                else f"{row['hl_shift']:.{digits}f} {interval(row['hl_low'], row['hl_high'])}",
                "CI coverage": "–" if pd.isna(row["hl_coverage"]) else f"{row['hl_coverage']:.1%}",
                "bootstrap CI": interval(row["boot_low"], row["boot_high"]),
                "T": number(row["T"], "g"),
                "p": "–" if pd.isna(row["p"]) else format_p(row["p"]),
                "p (Holm)": "–" if pd.isna(row["p_holm"]) else format_p(row["p_holm"]),
                "r": number(row["r_rb"]),
                "note": "" if pd.isna(row["note"]) else row["note"],
            }
        )
        rows.append(out)
    return pd.DataFrame(rows)


_TABLE_COLUMNS = (
    "n_pairs",
    "unpaired",
    "no_change",
    "median_before",
    "median_after",
    "hl_shift",
    "hl_low",
    "hl_high",
    "hl_coverage",
    "boot_low",
    "boot_high",
    "T",
    "p",
    "p_holm",
    "r_rb",
    "note",
)
