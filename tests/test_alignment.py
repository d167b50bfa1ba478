"""helpers.stats.alignment against published values and hand-checked small cases."""

from __future__ import annotations

from itertools import permutations
from math import factorial

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.errors import InputError
from helpers.stats import alignment as al
from helpers.stats.result import results_table

Q975 = stats.norm.ppf(0.975)


def series(values, things="abcdefghijklmnop"):
    return pd.Series(values, index=list(things[: len(values)]), dtype=float)


# --- Kendall's tau-b -----------------------------------------------------------------------------


def test_tau_b_matches_scipy_documented_example():
    # scipy.stats.kendalltau docstring: x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0] -> -0.47140452079103173
    x1, x2 = [12, 2, 1, 12, 2], [1, 4, 7, 1, 0]
    assert al._kendall_tau_b(np.array(x1), np.array(x2)) == pytest.approx(-0.47140452079103173, abs=1e-15)
    tau, _ = al.rank_alignment(series(x1), series(x2))
    assert tau.estimate == pytest.approx(-0.47140452079103173, abs=1e-15)


def test_vectorised_tau_b_equals_scipy_with_ties_across_many_rows():
    rng = np.random.default_rng(11)
    x = rng.integers(1, 5, size=9).astype(float)  # ties in x
    ys = rng.integers(1, 6, size=(200, 9)).astype(float)  # ties in y
    ours = al._kendall_tau_b(x, ys)
    theirs = [stats.kendalltau(x, y).statistic for y in ys]
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


# --- Spearman's rho ------------------------------------------------------------------------------


def test_rho_matches_scipy_documented_example():
    # scipy.stats.spearmanr docstring: [1, 2, 3, 4, 5] vs [5, 6, 7, 8, 7] -> 0.8207826816681233
    _, rho = al.rank_alignment(series([1, 2, 3, 4, 5]), series([5, 6, 7, 8, 7]))
    assert rho.estimate == pytest.approx(0.8207826816681233, abs=1e-15)


# --- confidence intervals against published values ---------------------------------------------


def test_spearman_ci_matches_bonett_statpsych_ci_spear_example():
    # Bonett's statpsych (R) ci.spear documentation, the Bonett & Wright (2000) interval:
    # ci.spear(.05, y, x) -> Estimate 0.8699639, SE 0.08241326, LL 0.5840951, UL 0.9638297
    y = [21, 4, 9, 12, 35, 18, 10, 22, 24, 1, 6, 8, 13, 16, 19]
    x = [67, 28, 30, 28, 52, 40, 25, 37, 44, 10, 14, 20, 28, 40, 51]
    _, rho = al.rank_alignment(series(y), series(x), n_permutations=2000)
    assert rho.estimate == pytest.approx(0.8699639, abs=5e-8)
    assert rho.ci[0] == pytest.approx(0.5840951, abs=5e-8)
    assert rho.ci[1] == pytest.approx(0.9638297, abs=5e-8)
    # statpsych's SE is on the correlation scale: SE_z * (1 - rho^2)
    assert rho.details["se_z"] * (1 - rho.estimate**2) == pytest.approx(0.08241326, abs=5e-9)


def test_kendall_ci_matches_bonett_statpsych_ci_kendalltau_example():
    # statpsych ci.kendalltau(.05, .734, 40) -> SE 0.05082, LL 0.6178, UL 0.8188 (Fieller et al. SE)
    se_z = np.sqrt(al.FHP_TAU_VARIANCE / (40 - 4))
    low, high = al._fisher_ci(0.734, se_z, Q975)
    assert (round(low, 4), round(high, 4)) == (0.6178, 0.8188)
    assert round(se_z * (1 - 0.734**2), 5) == 0.05082


def test_tau_ci_is_the_fieller_hartley_pearson_fisher_interval():
    # By hand for the five-thing case below (tau = 0.6, n = 5):
    # z = atanh(0.6) = 0.693147; SE = sqrt(0.437 / 1) = 0.661060; z +- 1.959964 * SE = [-0.602506, 1.988800]
    # tanh -> [-0.538830, 0.963228]
    tau, _ = al.rank_alignment(series([1, 2, 3, 4, 5]), series([1, 3, 2, 5, 4]))
    assert tau.ci == pytest.approx((-0.538830, 0.963228), abs=1e-6)
    assert tau.details["se_z"] == pytest.approx(0.661060, abs=1e-6)


def test_perfect_agreement_gives_a_degenerate_interval():
    tau, rho = al.rank_alignment(series(range(1, 7)), series(range(1, 7)))
    assert tau.estimate == pytest.approx(1) and tau.ci == pytest.approx((1.0, 1.0))
    assert rho.estimate == pytest.approx(1) and rho.ci == pytest.approx((1.0, 1.0))


# --- permutation test ---------------------------------------------------------------------------


def test_exact_permutation_p_values_counted_by_hand():
    # a = 1..5, b = 1 3 2 5 4: two discordant pairs of ten, tau = (8 - 2) / 10 = 0.6;
    # d = 0 1 1 1 1, sum d^2 = 4, rho = 1 - 6 * 4 / (5 * 24) = 0.8.
    # Exact two-sided p, tau: permutations of 5 with <= 2 inversions (Mahonian numbers 1, 4, 9) = 14,
    # the mirror image (>= 8 inversions) another 14: p = 28 / 120.
    # rho: sum d^2 <= 4 for the identity, 4 adjacent swaps and 3 pairs of disjoint adjacent swaps = 8,
    # mirrored (sum d^2 >= 36) another 8: p = 16 / 120.
    tau, rho = al.rank_alignment(series([1, 2, 3, 4, 5]), series([1, 3, 2, 5, 4]))
    assert (tau.estimate, rho.estimate) == (pytest.approx(0.6), pytest.approx(0.8))
    assert tau.p_value == pytest.approx(28 / 120)
    assert rho.p_value == pytest.approx(16 / 120)
    assert tau.details["test"] == "exact permutation test (120 orderings)"


def test_hand_counts_agree_with_brute_force():
    a = np.arange(1, 6)
    taus = np.array([stats.kendalltau(a, p).statistic for p in permutations(a)])
    assert np.mean(np.abs(taus) >= 0.6 - 1e-12) == pytest.approx(28 / 120)


def test_exact_permutation_test_equals_scipy_exact_kendall_test_without_ties():
    rng = np.random.default_rng(3)
    a, b = rng.permutation(8) + 1, rng.permutation(8) + 1
    tau, _ = al.rank_alignment(series(a), series(b))
    assert factorial(8) <= 50_000
    assert tau.p_value == pytest.approx(stats.kendalltau(a, b, method="exact").pvalue, abs=1e-12)


def test_monte_carlo_permutation_test_is_seeded():
    a = series(np.arange(1, 10))
    b = series([2, 1, 4, 3, 6, 5, 9, 7, 8])
    first = al.rank_alignment(a, b, n_permutations=5000, seed=7)
    again = al.rank_alignment(a, b, n_permutations=5000, seed=7)
    assert [r.p_value for r in first] == [r.p_value for r in again]
    assert first[0].details["test"].startswith("Monte Carlo permutation test (5,000")
    exact = stats.kendalltau(a, b, method="exact").pvalue
    assert first[0].p_value == pytest.approx(exact, abs=0.01)


def test_results_table_and_labels():
    tau, rho = al.rank_alignment(series([1, 2, 3, 4, 5, 6]), series([2, 1, 3, 4, 6, 5]), labels=("Client", "Supplier"))
    table = results_table([tau, rho])
    assert list(table["method"]) == ["Kendall's tau-b (Client vs Supplier)", "Spearman's rho (Client vs Supplier)"]
    assert rho.interpretation == "large"  # rho = 0.886 >= .5 (Cohen 1988)
    assert "Bonett" in rho.reference and "Fieller" in tau.reference


def test_things_are_matched_by_name_not_position():
    a = pd.Series({"x": 1, "y": 2, "z": 3, "v": 4, "w": 5})
    b = pd.Series({"w": 5, "v": 4, "z": 3, "y": 2, "x": 1})
    tau, _ = al.rank_alignment(a, b)
    assert tau.estimate == pytest.approx(1.0)


@pytest.mark.parametrize(
    "a, b, message",
    [
        (series([1, 2, 3, 4]), series([1, 2, 3, 4]), "at least 5 things"),
        (series([1, 2, 3, 4, 5]), series([1, 2, 3, 4, 5], things="vwxyz"), "same things"),
        (series([1, 1, 1, 1, 1]), series([1, 2, 3, 4, 5]), "same rank"),
        (series([1, 2, None, 4, 5]), series([1, 2, 3, 4, 5]), "missing value"),
    ],
)
def test_rank_alignment_errors_are_plain(a, b, message):
    with pytest.raises(InputError, match=message):
        al.rank_alignment(a, b)


# --- consensus ranking --------------------------------------------------------------------------


def test_consensus_ranking_by_hand_with_a_tie():
    table = pd.DataFrame(
        {"party": ["A", "A", "A", "A"], "cost": [1, 2, 1, 2], "time": [2, 1, 2, 1], "safety": [3, 3, 3, 3]}
    )
    result = al.consensus_ranking(table)
    assert list(result.columns) == ["thing", "n", "mean_rank", "sd", "consensus_rank"]
    assert list(result["thing"]) == ["cost", "time", "safety"]
    assert list(result["mean_rank"]) == [1.5, 1.5, 3.0]
    assert list(result["consensus_rank"]) == [1.5, 1.5, 3.0]  # cost and time share places 1 and 2
    assert result["sd"].iloc[0] == pytest.approx(np.std([1, 2, 1, 2], ddof=1))
    assert (result["n"] == 4).all()


def test_consensus_ranking_rejects_incomplete_rankings():
    with pytest.raises(InputError, match="missing ranks"):
        al.consensus_ranking(pd.DataFrame({"a": [1, None], "b": [2, 1]}))


# --- empathy gap ------------------------------------------------------------------------------


def test_empathy_gap_by_hand():
    own = pd.DataFrame({"a": [1, 1, 2], "b": [2, 3, 1], "c": [3, 2, 3]})
    predicted = pd.DataFrame({"a": [3, 2, 3], "b": [2, 3, 2], "c": [1, 1, 1]})
    gap = al.empathy_gap(own, predicted, n_boot=500, labels=("Client", "Supplier"))
    # own means 4/3, 2, 8/3; predicted 8/3, 7/3, 1; gaps 4/3, 1/3, -5/3; mean |gap| = 10/9
    assert gap.mean_abs_gap.estimate == pytest.approx(10 / 9)
    assert gap.alignment.estimate == pytest.approx(-1.0)
    things = gap.things.set_index("thing")
    assert things.loc["a", "gap"] == pytest.approx(4 / 3)
    assert things.loc["c", "gap"] == pytest.approx(-5 / 3)
    assert list(gap.things["thing"]) == ["a", "b", "c"]  # ordered by own mean rank
    assert things.loc["c", "reading"] == "Supplier over-rates it"  # every resample has gap -5/3 < 0
    assert gap.mean_abs_gap.n == 6 and gap.mean_abs_gap.details["n_own"] == 3


def test_empathy_gap_perfect_prediction():
    ranks = pd.DataFrame({"a": [1, 2, 1, 1], "b": [2, 1, 2, 3], "c": [3, 3, 3, 2]})
    gap = al.empathy_gap(ranks, ranks.copy(), n_boot=500)
    assert gap.mean_abs_gap.estimate == 0
    assert gap.alignment.estimate == pytest.approx(1.0)
    assert gap.mean_abs_gap.ci[0] >= 0


def test_empathy_gap_intervals_are_seeded_and_cover_the_estimate():
    rng = np.random.default_rng(5)
    own = pd.DataFrame(np.argsort(rng.normal(size=(12, 6)), axis=1) + 1, columns=list("abcdef"))
    pred = pd.DataFrame(np.argsort(rng.normal(size=(10, 6)), axis=1) + 1, columns=list("fedcba"))
    one = al.empathy_gap(own, pred, seed=3)
    two = al.empathy_gap(own, pred, seed=3)
    assert one.table().equals(two.table())
    pd.testing.assert_frame_equal(one.things, two.things)
    low, high = one.mean_abs_gap.ci
    assert low <= one.mean_abs_gap.estimate <= high
    assert "percentile bootstrap" in one.alignment.details["ci_method"]


def test_empathy_gap_needs_the_same_things():
    with pytest.raises(InputError, match="same things"):
        al.empathy_gap(pd.DataFrame({"a": [1], "b": [2]}), pd.DataFrame({"a": [1], "c": [2]}))
