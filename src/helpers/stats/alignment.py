"""Alignment between two parties' priorities: consensus rankings, rank correlation, the empathy gap.

Three questions a partnership workshop asks of a ranking exercise:

1. What does each party, as a group, rank first? -> :func:`consensus_ranking` (mean rank).
2. Do the two parties put the Things That Matter in a similar order? -> :func:`rank_alignment`
   (Kendall's tau-b and Spearman's rho between the two consensus rankings, each with a confidence
   interval and a permutation test).
3. Does each party know what matters to the other? -> :func:`empathy_gap` (a party's own consensus
   against the partner's prediction of it, thing by thing and overall, with bootstrap intervals).

scipy computes the correlations, the permutation distribution and the bootstrap; this module
chooses the intervals, frames the result and documents the choices. Written by hand here is only
what no library offers: Kendall's tau-b vectorised over many permutations at once (checked against
:func:`scipy.stats.kendalltau` in the tests), so an exact permutation test over the 40,320 orderings
of eight things takes a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError
from . import checks
from .result import Result, band, results_table

#: Fieller, Hartley & Pearson (1957): variance of Fisher's z of Kendall's tau is about 0.437 / (n - 4).
FHP_TAU_VARIANCE = 0.437
COHEN_R_CUTS, COHEN_R_LABELS = [0.1, 0.3, 0.5], ["negligible", "small", "moderate", "large"]

REF_FHP = (
    "Fieller, E. C., Hartley, H. O., & Pearson, E. S. (1957). Tests for rank correlation "
    "coefficients. I. Biometrika, 44(3/4), 470-481."
)
REF_BW = (
    "Bonett, D. G., & Wright, T. A. (2000). Sample size requirements for estimating Pearson, "
    "Kendall and Spearman correlations. Psychometrika, 65(1), 23-28."
)
REF_KENDALL = "Kendall, M. G. (1945). The treatment of ties in ranking problems. Biometrika, 33(3), 239-251."
REF_PERMUTATION = "Good, P. I. (2005). Permutation, parametric and bootstrap tests of hypotheses (3rd ed.). Springer."
REF_BOOTSTRAP = "Efron, B., & Tibshirani, R. J. (1993). An introduction to the bootstrap. Chapman & Hall."


def consensus_ranking(ranks: pd.DataFrame) -> pd.DataFrame:
    """A group's consensus ranking: the things ordered by their mean rank.

    The mean rank is the Borda-style consensus that Kendall's W is built on: the thing with the
    smallest mean rank is the one the group, on average, put nearest the top.

    Parameters
    ----------
    ranks : one row per respondent, one column per thing, values the ranks (1 = matters most).
        Non-numeric columns (e.g. ``party``) are ignored.

    Returns
    -------
    DataFrame with columns ``thing, n, mean_rank, sd, consensus_rank`` sorted from the top
    (``consensus_rank`` 1), ties in mean rank sharing the average rank and sorted by name.

    Examples
    --------
    >>> table = pd.DataFrame({"cost": [1, 2, 1], "time": [2, 1, 3], "safety": [3, 3, 2]})
    >>> consensus_ranking(table)[["thing", "mean_rank", "consensus_rank"]].round(3)
        thing  mean_rank  consensus_rank
    0    cost      1.333             1.0
    1    time      2.000             2.0
    2  safety      2.667             3.0
    """
    values = _rank_matrix(ranks, "ranks")
    mean = values.mean(axis=0)
    frame = pd.DataFrame(
        {
            "thing": values.columns,
            "n": values.shape[0],
            "mean_rank": mean.to_numpy(),
            "sd": values.std(axis=0, ddof=1).to_numpy(),
            # rounded before ranking so that float noise cannot split a true tie
            "consensus_rank": stats.rankdata(mean.round(9).to_numpy()),
        }
    )
    return frame.sort_values(["consensus_rank", "thing"], kind="stable").reset_index(drop=True)


def rank_alignment(
    a: pd.Series,
    b: pd.Series,
    *,
    labels: tuple[str, str] = ("a", "b"),
    ci_level: float = 0.95,
    n_permutations: int = 50_000,
    seed: int = 0,
) -> list[Result]:
    """How far two rankings of the same things agree: Kendall's tau-b and Spearman's rho.

    Both run from -1 (exactly reversed) through 0 (unrelated) to +1 (identical order). With the
    handful of things a workshop ranks (n = 8), both intervals are wide: read them before the
    point estimates.

    Confidence intervals use Fisher's z, ``z = atanh(r)``, ``tanh(z ± q * SE)``, with the standard
    errors recommended for rank correlations:

    - Kendall's tau-b: ``SE = sqrt(0.437 / (n - 4))`` (Fieller, Hartley & Pearson, 1957);
    - Spearman's rho: ``SE = sqrt((1 + rho**2 / 2) / (n - 3))`` (Bonett & Wright, 2000).

    The p-values come from a permutation test (:func:`scipy.stats.permutation_test`, pairings):
    under "no association" every matching of ``a``'s ranks to ``b``'s things is equally likely.
    It is exact (all ``n!`` orderings) when ``n! <= n_permutations`` - up to eight things with the
    default - and a seeded Monte Carlo test otherwise.

    Parameters
    ----------
    a, b : rankings or mean ranks indexed by thing (the same things; order does not matter).
    labels : names of the two rankings for the method text, e.g. ``("Client", "Supplier")``.
    ci_level : coverage of the intervals.
    n_permutations : permutations for the test (exact when at least ``n!``).
    seed : seed of the Monte Carlo permutations (unused when exact).

    Returns
    -------
    ``[tau_b, rho]``: two :class:`Result` objects (``n`` = number of things); ``results_table``
    stacks them. ``details`` holds the Fisher-z standard error and the permutation method.

    References
    ----------
    Kendall (1945); Fieller, Hartley & Pearson (1957); Bonett & Wright (2000).

    Examples
    --------
    >>> a = pd.Series([1, 2, 3, 4, 5], index=list("vwxyz"))
    >>> b = pd.Series([1, 3, 2, 5, 4], index=list("vwxyz"))
    >>> tau, rho = rank_alignment(a, b)
    >>> round(tau.estimate, 3), round(rho.estimate, 3), round(tau.p_value, 4)
    (0.6, 0.8, 0.2333)
    """
    ci_level = checks.ci_level(ci_level)
    n_resamples = checks.n_boot(n_permutations, allow_zero=False, name="n_permutations")
    x, y = _paired(a, b)
    n = x.size
    if n < 5:
        raise InputError(
            f"rank alignment needs at least 5 things ranked by both parties; there are {n}. "
            "Rank more things, or compare the rankings by eye."
        )
    exact = factorial(n) <= n_resamples
    rng = checks.rng(seed)
    q = stats.norm.ppf(0.5 + ci_level / 2)
    test_text = (
        f"exact permutation test ({factorial(n):,} orderings)"
        if exact
        else f"Monte Carlo permutation test ({n_resamples:,} orderings, seed {seed})"
    )
    where = f"{labels[0]} vs {labels[1]}"

    tau = stats.kendalltau(x, y).statistic
    se_tau = np.sqrt(FHP_TAU_VARIANCE / (n - 4))
    p_tau = _permutation_p(x, y, _kendall_tau_b, n_resamples, rng)
    tau_result = Result(
        method=f"Kendall's tau-b ({where})",
        estimate=float(tau),
        n=n,
        ci=_fisher_ci(tau, se_tau, q),
        ci_level=ci_level,
        p_value=p_tau,
        interpretation="no conventional bands for tau: read the CI",
        reference=f"{REF_KENDALL} CI: {REF_FHP} Test: {REF_PERMUTATION}",
        details={"se_z": float(se_tau), "test": test_text, "ci_method": "Fisher z, Fieller-Hartley-Pearson SE"},
    )

    rx, ry = stats.rankdata(x), stats.rankdata(y)
    rho = stats.spearmanr(x, y).statistic
    se_rho = np.sqrt((1 + rho**2 / 2) / (n - 3))
    p_rho = _permutation_p(rx, ry, _pearson, n_resamples, rng)
    rho_result = Result(
        method=f"Spearman's rho ({where})",
        estimate=float(rho),
        n=n,
        ci=_fisher_ci(rho, se_rho, q),
        ci_level=ci_level,
        p_value=p_rho,
        interpretation=band(abs(rho), COHEN_R_CUTS, COHEN_R_LABELS),
        interpretation_source="Cohen (1988), |r|",
        reference=f"CI: {REF_BW} Test: {REF_PERMUTATION}",
        details={"se_z": float(se_rho), "test": test_text, "ci_method": "Fisher z, Bonett-Wright SE"},
    )
    return [tau_result, rho_result]


@dataclass(frozen=True)
class EmpathyGap:
    """How well one party predicts the other's priorities (see :func:`empathy_gap`).

    Attributes
    ----------
    things : one row per thing: the party's own mean rank, the partner's predicted mean rank,
        the gap (predicted - own, in rank places) with its bootstrap interval, and a reading.
    mean_abs_gap : mean over things of ``|predicted - own|`` mean rank (0 = perfect empathy).
    alignment : Kendall's tau-b between the own and the predicted mean ranks (1 = perfect order).
    """

    things: pd.DataFrame
    mean_abs_gap: Result
    alignment: Result
    labels: tuple[str, str] = ("own", "partner")

    def table(self, digits: int = 3) -> pd.DataFrame:
        """The two overall results as APA-style rows, with whose priorities and who predicted them."""
        table = results_table([self.alignment, self.mean_abs_gap], digits)
        table.insert(0, "predicted by", self.labels[1])
        table.insert(0, "priorities of", self.labels[0])
        return table


def empathy_gap(
    own: pd.DataFrame,
    predicted: pd.DataFrame,
    *,
    labels: tuple[str, str] = ("own", "partner"),
    ci_level: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
) -> EmpathyGap:
    """The empathy gap: one party's own priorities against the partner's prediction of them.

    ``own`` holds party A's members' rankings of their own organisation; ``predicted`` holds
    party B's members' predictions of how A would rank the same things. Per thing, the gap is
    ``mean predicted rank - mean own rank``: positive means B thinks the thing matters *less* to A
    than it does (B ranks it lower down), negative that B thinks it matters more. Overall:

    - the mean absolute gap, in rank places (0 = B predicts A's mean ranks exactly);
    - Kendall's tau-b between A's mean ranks and B's predicted mean ranks (1 = B gets A's order right).

    Intervals are percentile bootstrap intervals from resampling A's and B's members independently
    (:func:`scipy.stats.bootstrap`, ``paired=False``, seeded). Percentile rather than BCa because
    tau on eight things is a coarse, discrete statistic, for which BCa's acceleration estimate is
    unstable. A thing's gap is read as a gap only when its interval excludes 0.

    Parameters
    ----------
    own, predicted : one row per respondent, one column per thing (the same things), ranks.
    labels : names for the text, e.g. ``("Client", "Supplier")`` = the Client's own priorities as
        predicted by the Supplier.
    ci_level, n_boot, seed : bootstrap settings.

    Returns
    -------
    :class:`EmpathyGap`. Its results have ``n`` = respondents resampled (own + predictors);
    ``table()`` shows them with the two labels.

    References
    ----------
    Efron & Tibshirani (1993), percentile interval; Kendall (1945), tau-b.

    Examples
    --------
    >>> own = pd.DataFrame({"a": [1, 1, 2], "b": [2, 3, 1], "c": [3, 2, 3]})
    >>> predicted = pd.DataFrame({"a": [3, 2, 3], "b": [2, 3, 2], "c": [1, 1, 1]})
    >>> gap = empathy_gap(own, predicted, n_boot=200)
    >>> round(gap.mean_abs_gap.estimate, 3), round(gap.alignment.estimate, 3)
    (1.111, -1.0)
    """
    ci_level = checks.ci_level(ci_level)
    n_resamples = checks.n_boot(n_boot, allow_zero=False)
    a = _rank_matrix(own, "own")
    b = _rank_matrix(predicted, "predicted")
    if sorted(a.columns) != sorted(b.columns):
        raise InputError(
            "own and predicted rankings must cover the same things; only in one of them: "
            + ", ".join(sorted(set(a.columns) ^ set(b.columns)))
        )
    b = b[a.columns]
    things = list(a.columns)
    own_values, pred_values = a.to_numpy(float), b.to_numpy(float)

    def summary(i, j, axis=-1):
        own_mean = own_values[i].mean(axis=-2)  # (..., things)
        pred_mean = pred_values[j].mean(axis=-2)
        gaps = pred_mean - own_mean
        return np.concatenate(
            [np.abs(gaps).mean(axis=-1)[None], _kendall_tau_b(own_mean, pred_mean)[None], np.moveaxis(gaps, -1, 0)]
        )

    i_all, j_all = np.arange(a.shape[0]), np.arange(b.shape[0])
    point = summary(i_all, j_all)
    boot = stats.bootstrap(
        (i_all, j_all),
        summary,
        paired=False,
        vectorized=True,
        n_resamples=n_resamples,
        confidence_level=ci_level,
        method="percentile",
        random_state=checks.rng(seed),
    )
    low, high = boot.confidence_interval
    n_people = a.shape[0] + b.shape[0]
    boot_text = f"percentile bootstrap, {n_resamples:,} resamples of respondents, seed {seed}"
    details = {
        "n_own": a.shape[0],
        "n_predicted": b.shape[0],
        "ci_method": boot_text,
        "priorities_of": labels[0],
        "predicted_by": labels[1],
    }
    mean_abs = Result(
        method="Mean absolute rank gap",
        estimate=float(point[0]),
        n=n_people,
        ci=(float(low[0]), float(high[0])),
        ci_level=ci_level,
        reference=REF_BOOTSTRAP,
        details=details,
    )
    alignment = Result(
        method="Kendall's tau-b, own vs predicted",
        estimate=float(point[1]),
        n=n_people,
        ci=(float(low[1]), float(high[1])),
        ci_level=ci_level,
        reference=f"{REF_KENDALL} CI: {REF_BOOTSTRAP}",
        details=details,
    )
    level = f"{ci_level:.0%}"
    table = pd.DataFrame(
        {
            "thing": things,
            "own_mean_rank": own_values.mean(axis=0),
            "predicted_mean_rank": pred_values.mean(axis=0),
            "gap": point[2:],
            f"gap {level} CI low": low[2:],
            f"gap {level} CI high": high[2:],
        }
    )
    table["reading"] = np.select(
        [table[f"gap {level} CI low"] > 0, table[f"gap {level} CI high"] < 0],
        [f"{labels[1]} under-rates it", f"{labels[1]} over-rates it"],
        "no clear gap",
    )
    table = table.sort_values(["own_mean_rank", "thing"], kind="stable").reset_index(drop=True)
    return EmpathyGap(table, mean_abs, alignment, (str(labels[0]), str(labels[1])))


# --- helpers ------------------------------------------------------------------------------------


def _rank_matrix(ranks: pd.DataFrame, name: str) -> pd.DataFrame:
    """The numeric columns of a respondents x things table, complete and with at least one row."""
    if not isinstance(ranks, pd.DataFrame):
        raise InputError(f"{name} must be a table with one row per respondent and one column per thing")
    values = ranks.select_dtypes("number")
    if values.shape[0] == 0 or values.shape[1] < 2:
        raise InputError(
            f"{name} needs at least one respondent and two ranked things; "
            f"it has {values.shape[0]} rows and {values.shape[1]} numeric columns"
        )
    if values.isna().any().any():
        missing = values.columns[values.isna().any()].tolist()
        raise InputError(
            f"{name} has missing ranks (in {', '.join(map(str, missing))}); "
            "keep complete rankings only, or ask respondents to rank every thing"
        )
    return values.astype(float)


def _paired(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The two rankings as arrays in the same order of things, checked."""
    a, b = pd.Series(a, dtype=float), pd.Series(b, dtype=float)
    if set(a.index) != set(b.index):
        raise InputError(
            "both rankings must cover the same things; only in one of them: "
            + ", ".join(map(str, sorted(set(a.index) ^ set(b.index), key=str)))
        )
    b = b.reindex(a.index)
    if a.isna().any() or b.isna().any():
        raise InputError("a ranking has a missing value; give every thing a rank in both rankings")
    if a.nunique() < 2 or b.nunique() < 2:
        raise InputError("a ranking gives every thing the same rank, so no order can be compared")
    return a.to_numpy(), b.to_numpy()


def _fisher_ci(r: float, se_z: float, q: float) -> tuple[float, float]:
    """``tanh(atanh(r) ± q * se_z)``; r of ±1 gives the degenerate interval (r, r)."""
    if abs(r) >= 1 - 1e-12:  # perfect (or reversed) order: atanh is infinite, no spread to estimate
        return (float(r), float(r))
    z = np.arctanh(r)
    return (float(np.tanh(z - q * se_z)), float(np.tanh(z + q * se_z)))


def _kendall_tau_b(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Kendall's tau-b along the last axis, broadcasting over leading axes (many permutations at once).

    ``tau_b = (n_c - n_d) / sqrt((n0 - t_x) (n0 - t_y))`` with ``n0 = n (n - 1) / 2`` pairs and
    ``t_x``, ``t_y`` the pairs tied in x and in y (Kendall, 1945) - the same quantity as
    ``scipy.stats.kendalltau(x, y).statistic``.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = x.shape[-1]
    upper = np.triu_indices(n, 1)
    sx = np.sign(x[..., :, None] - x[..., None, :])[..., upper[0], upper[1]]
    sy = np.sign(y[..., :, None] - y[..., None, :])[..., upper[0], upper[1]]
    n0 = n * (n - 1) / 2
    s = (sx * sy).sum(axis=-1)
    ties_x = (sx == 0).sum(axis=-1)
    ties_y = (sy == 0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return s / np.sqrt((n0 - ties_x) * (n0 - ties_y))


def _pearson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson's r along the last axis (Spearman's rho when x and y are ranks)."""
    return stats.pearsonr(x, y, axis=-1).statistic


def _permutation_p(x, y, statistic, n_resamples: int, rng) -> float:
    """Two-sided permutation p-value of ``statistic(x, y)``, permuting the pairing of x with y."""
    result = stats.permutation_test(
        (x,),
        lambda xs, axis=-1: statistic(np.moveaxis(xs, axis, -1), y),
        permutation_type="pairings",
        vectorized=True,
        n_resamples=n_resamples,
        alternative="two-sided",
        random_state=rng,
    )
    return float(result.pvalue)
