"""helpers.stats.change against published worked examples and hand-derived cases."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.errors import InputError, ParameterError
from helpers.stats import change

# Darwin's Zea mays: cross- minus self-fertilised height, eighths of an inch (Fisher 1935;
# Hollander & Wolfe 1999). Published: T = 24, exact two-sided p = .04126.
DARWIN = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]

# Hamilton depression scale factor IV (Hollander & Wolfe 1999, Table 3.1): x at entry, y after a
# tranquiliser. H&W: signed-rank T+ = 40 for x - y (one-sided p = .020); Hodges-Lehmann estimate
# 0.460; 96.1% interval (.010, .786). The same order statistics are what R's
# wilcox.test(x, y, paired = TRUE, conf.int = TRUE) returns (Bauer 1972).
DEPRESSION_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
DEPRESSION_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_darwin_signed_rank_matches_published_values():
    res = change.signed_rank(DARWIN)
    assert res.statistic == 24
    assert round(res.p_value, 5) == 0.04126
    assert res.details["T+"] == 96 and res.details["T-"] == 24
    assert res.details["p_method"] == "exact"
    assert res.estimate == pytest.approx(0.6)  # (96 - 24) / 120, Kerby (2014)
    assert res.interpretation == "large"
    assert res.n == 15


def test_rank_biserial_agrees_with_pingouin():
    pg = pytest.importorskip("pingouin")
    d = [3, -1, 2, 5, 4, -2, 6, 1, 7]
    assert change.signed_rank(d).estimate == pytest.approx(pg.wilcoxon(d)["RBC"].iloc[0])


def test_depression_one_sided_and_hodges_lehmann():
    rise = change.signed_rank(DEPRESSION_Y, DEPRESSION_X, alternative="greater")  # change x - y
    assert rise.statistic == 40
    assert round(rise.p_value, 5) == 0.01953
    hl = change.hodges_lehmann(DEPRESSION_Y, DEPRESSION_X)
    assert hl.estimate == pytest.approx(0.46)
    assert hl.ci == pytest.approx((0.010, 0.786))
    assert round(hl.ci_level, 3) == 0.961
    assert hl.details["order_statistic"] == 6 and hl.details["reachable"]


def test_hodges_lehmann_tiny_case_by_hand():
    # d = 1, 2, 4: Walsh averages 1, 1.5, 2, 2.5, 3, 4 -> median 2.25. n = 3: the widest interval
    # [W(1), W(6)] = [1, 4] covers 1 - 2/8 = 75%, so 95% is not reachable.
    hl = change.hodges_lehmann([1, 2, 4])
    assert hl.details["walsh_averages"].tolist() == [1, 1.5, 2, 2.5, 3, 4]
    assert hl.estimate == 2.25
    assert hl.ci == (1.0, 4.0)
    assert hl.ci_level == pytest.approx(0.75)
    assert not hl.details["reachable"]


def test_hodges_lehmann_n6_uses_first_and_last_walsh_average():
    # n = 6: P(T+ <= 0) = 1/64 < .025 <= P(T+ <= 1) = 2/64, so k = 1 and the interval
    # [W(1), W(21)] covers 1 - 2/64 = 96.875%.
    d = [-1, 2, 3, 5, 8, 13]
    hl = change.hodges_lehmann(d)
    assert hl.ci == (-1.0, 13.0)
    assert hl.ci_level == pytest.approx(1 - 2 / 64)
    assert hl.details["reachable"]
    assert hl.estimate == pytest.approx(np.median(change.walsh_averages(d)))


def test_signed_rank_distribution_classical_and_tied():
    support, prob = change.signed_rank_distribution(np.arange(1, 5))
    assert (prob * 16).tolist()[::2] == [1, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1]
    assert prob.sum() == pytest.approx(1)
    # tied mid-ranks 1.5, 1.5, 3: sums of subsets 0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6
    support, prob = change.signed_rank_distribution([1.5, 1.5, 3])
    assert dict(zip(support[prob > 0], prob[prob > 0] * 8, strict=True)) == {0: 1, 1.5: 2, 3: 2, 4.5: 2, 6: 1}


@pytest.mark.parametrize("zero_method", ["wilcox", "pratt"])
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_tied_p_value_equals_full_permutation(zero_method, alternative):
    d = np.array([1, 1, 2, 0, 3, -1, 2, -2, 0])
    ours = change.signed_rank(d, zero_method=zero_method, alternative=alternative)
    brute = stats.wilcoxon(
        d, zero_method=zero_method, alternative=alternative, method=stats.PermutationMethod(n_resamples=np.inf)
    )
    assert ours.details["p_method"] == "exact, conditional on tied ranks"
    assert ours.p_value == pytest.approx(brute.pvalue, abs=1e-12)
    assert ours.statistic == pytest.approx(brute.statistic)
    assert ours.details["zeros"] == 2


def test_signed_rank_everybody_up_and_nobody_changed():
    res = change.signed_rank([1, 2, 2, 3, 1, 2, 1, 1, 2])
    assert res.estimate == 1 and res.statistic == 0
    with pytest.raises(InputError, match="No pair changed"):
        change.signed_rank([3, 4], [3, 4])


def test_missing_pairs_are_dropped_and_counted():
    res = change.signed_rank([1, 2, np.nan, 4, 5, 6], [2, 4, 3, 7, 9, 12])
    assert res.n == 5 and res.details["dropped"] == 1
    with pytest.raises(InputError, match="paired data"):
        change.hodges_lehmann([1, 2, 3], [1, 2])


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    d = [1, 2, 2, 3, 0, 1, 2, 4, -1]
    a = change.bootstrap_ci(d, seed=3)
    b = change.bootstrap_ci(d, seed=3)
    assert a.ci == b.ci
    assert a.ci[0] <= a.estimate <= a.ci[1]
    assert a.estimate == 2.0
    mean = change.bootstrap_ci(d, statistic="mean", method="percentile", seed=3)
    assert mean.estimate == pytest.approx(np.mean(d))
    assert mean.details["standard_error"] == pytest.approx(np.std(d, ddof=1) / 3, rel=0.2)


def test_bootstrap_falls_back_to_percentile_when_bca_degenerates():
    res = change.bootstrap_ci([1] * 8, seed=0)
    assert "percentile (BCa not computable)" in res.method
    assert res.ci == (1.0, 1.0)


def test_paired_t_sample_size_and_power_published_values():
    # Cohen (1988): d = 0.5, alpha .05 two-sided, power .80 -> 33.37 pairs (34) / 63.77 per group (64)
    paired = change.sample_size(0.5)
    assert round(paired.estimate, 2) == 33.37 and paired.n == 34
    assert paired.details["n_wilcoxon"] == math.ceil(33.367 * math.pi / 3)
    groups = change.sample_size(0.5, design="two-group")
    assert round(groups.estimate, 2) == 63.77 and groups.n == 64 and groups.details["total"] == 128
    assert change.power(0.5, 34).estimate == pytest.approx(0.808, abs=0.001)
    assert change.power(0.5, 64, design="two-group").estimate == pytest.approx(0.8015, abs=0.001)
    assert change.minimum_detectable_effect(9).estimate == pytest.approx(1.07, abs=0.005)


def test_power_curve_is_tidy_and_monotone_in_n():
    curve = change.power_curve([0.5, 0.8], [5, 10, 20])
    assert list(curve.columns) == ["effect_size", "n", "power"]
    assert len(curve) == 6
    for _, group in curve.groupby("effect_size"):
        assert group["power"].is_monotonic_increasing


def test_bad_parameters_raise_plain_errors():
    with pytest.raises(ParameterError, match="design"):
        change.sample_size(0.5, design="crossover")
    with pytest.raises(ParameterError, match="effect_size"):
        change.sample_size(0)
    with pytest.raises(ParameterError, match="ci_level"):
        change.hodges_lehmann([1, 2, 3], ci_level=95)


def _tidy(values_pre, values_post, question="trust"):
    rows = []
    for i, (a, b) in enumerate(zip(values_pre, values_post, strict=True)):
        for wave, value in (("pre", a), ("post", b)):
            if value is not None:
                rows.append({"respondent": f"p{i}", "question": question, "wave": wave, "value": value})
    return pd.DataFrame(rows)


def test_pair_waves_and_change_by_question_on_tidy_data():
    responses = pd.concat(
        [
            _tidy([3, 4, 4, 5, 2, 3, 4, None], [5, 6, 5, 7, 3, 5, 5, 6], "trust"),
            _tidy([5, 5, 6, 4], [5, 6, 6, 5], "conflict"),
        ]
    )
    pairs = change.pair_waves(responses, "pre", "post")
    assert len(pairs) == 11
    assert pairs.loc[pairs["question"] == "trust", "difference"].tolist() == [2, 2, 1, 2, 1, 2, 1]
    table = change.change_by_question(responses, "pre", "post", seed=1)
    assert table["question"].tolist() == ["conflict", "trust"]
    conflict, trust = table.iloc[0], table.iloc[1]
    assert conflict["n_pairs"] == 4 and "suppressed" in conflict["note"] and np.isnan(conflict["p"])
    assert trust["n_pairs"] == 7 and trust["unpaired"] == 1
    assert trust["r_rb"] == 1.0 and trust["no_change"] == 0 and trust["note"] == "large r"
    expected = change.signed_rank([3, 4, 4, 5, 2, 3, 4], [5, 6, 5, 7, 3, 5, 5])
    assert trust["p"] == pytest.approx(expected.p_value)
    assert trust["p_holm"] == pytest.approx(expected.p_value)  # only one question tested
    assert trust["hl_shift"] == pytest.approx(1.5)


def test_pair_waves_names_a_missing_wave():
    responses = _tidy([1, 2], [2, 3])
    with pytest.raises(InputError, match="'follow-up'"):
        change.pair_waves(responses, "pre", "follow-up")


def test_change_by_group_suppresses_small_groups_and_their_complement():
    pre = [3, 4, 4, 5, 2, 3, 4, 5, 3, 4, 2, 3]
    post = [5, 6, 5, 7, 3, 5, 5, 6, 4, 6, 4, 4]
    responses = _tidy(pre, post)
    responses["party"] = responses["respondent"].map(lambda r: "A" if int(r[1:]) < 6 else "B")
    table = change.change_by_group(responses, "pre", "post", seed=1)
    assert table["party"].tolist() == ["A", "B"] and table["n_pairs"].tolist() == [6, 6]
    assert table["hl_shift"].notna().all()
    responses["party"] = responses["respondent"].map(lambda r: "A" if int(r[1:]) < 8 else "B")
    table = change.change_by_group(responses, "pre", "post", seed=1, min_group_size=5)
    assert table["n_pairs"].tolist() == [8, 4]
    assert table["hl_shift"].isna().all() and table["p"].isna().all()
    assert table["note"].tolist() == [
        "suppressed: would reveal a smaller group by differencing",
        "suppressed: fewer than 5 pairs",
    ]
    shown = change.compact(table)
    assert shown["HL shift [exact CI]"].tolist() == ["–", "–"]
    with pytest.raises(InputError, match="'group'"):
        change.change_by_group(responses, "pre", "post", group="group")
