"""Plain-language readings (helpers.stats.readings): the words follow the numbers, on several datasets."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.stats import alignment, change, proportions, reliability
from helpers.stats.readings import _AGREE, count_phrase, reading, scale_of
from helpers.stats.result import Result, band

FORMULA = re.compile(r"\$|\\[a-z]+|[Σ√²³]")


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+\.\d+", text)]


def test_the_issue_example_wide_interval_and_few_things():
    result = Result("Kendall's tau-b (Client vs Supplier)", 0.10, 8, ci=(-0.55, 0.67))
    text = result.reading(subject="the two parties' priorities")
    assert text.startswith("The two parties' priorities show slight agreement: τ = 0.10")
    assert "only eight things ranked" in text
    assert "could be anything from strong disagreement to strong agreement" in text
    assert "95% likely range -0.55 to 0.67" in text
    assert "-0.55 to 0.67" in text
    assert text == reading(result, subject="the two parties' priorities")


def _orders(seed: int, noise: float, n_things: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    truth = np.arange(n_things, dtype=float)
    a = truth + rng.normal(0, noise, n_things)
    b = truth + rng.normal(0, noise, n_things)
    things = [f"thing {i}" for i in range(n_things)]
    return pd.Series(a, index=things).rank(), pd.Series(b, index=things).rank()


@pytest.mark.parametrize("seed, noise, n_things", [(1, 0.5, 8), (2, 3.0, 8), (3, 20.0, 8), (4, 1.0, 40), (5, 0.3, 60)])
def test_rank_alignment_wording_follows_estimate_interval_and_n(seed, noise, n_things):
    a, b = _orders(seed, noise, n_things)
    for result in alignment.rank_alignment(a, b, labels=("A", "B"), n_permutations=2000, seed=seed):
        text = result.reading()
        cuts, labels = _AGREE
        here, low, high = (band(v, cuts, labels) for v in (result.estimate, *result.ci))
        assert f" show {here}: " in text
        assert f"= {result.estimate:.2f}" in text
        assert f"{result.ci[0]:.2f} to {result.ci[1]:.2f}" in text
        span = labels.index(high) - labels.index(low)
        if span == 0:
            assert f"stays within {here}" in text and "firm" in text
        elif span == 1:
            assert f"runs from {low} to {high}" in text and "could be either" in text
        else:
            assert f"could be anything from {low} to {high}" in text
        assert ("only eight things ranked" in text) == (n_things == 8)
        assert not FORMULA.search(text)


def test_an_interval_spanning_two_bands_says_so():
    text = Result("Spearman's rho (A vs B)", 0.45, 30, ci=(0.35, 0.62)).reading()
    assert "runs from fair agreement to strong agreement" in text and "could be either" in text
    assert "30 things ranked" in text and "only" not in text


@pytest.mark.parametrize("seed, spread, n", [(11, 0.4, 40), (12, 1.2, 300), (13, 0.8, 25), (14, 3.0, 500)])
def test_cronbach_alpha_reading_on_simulated_scales(seed, spread, n):
    from helpers.stats.reliability import ALPHA_BANDS

    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(n, 1))
    items = pd.DataFrame(trait + rng.normal(0, spread, size=(n, 4)), columns=list("abcd"))
    result = reliability.cronbach_alpha(items)
    text = result.reading(subject="the four items")
    labels = [f"{label} consistency" for label in ALPHA_BANDS[1]]
    here, low, high = (band(v, ALPHA_BANDS[0], labels) for v in (result.estimate, *result.ci))
    assert text.startswith(f"The four items show {here}: α = {result.estimate:.2f}")
    span = labels.index(high) - labels.index(low)
    expected = "firm" if span == 0 else "could be either" if span == 1 else f"anything from {low} to {high}"
    assert expected in text
    assert (count_phrase(n, "respondents", 30) in text) and (("only" in text) == (n < 30))


@pytest.mark.parametrize("count, n", [(84, 100), (4, 9), (252, 300), (1, 3)])
def test_shares_quote_their_wilson_interval_and_call_small_samples_small(count, n):
    result = proportions.wilson_ci(count, n)
    text = result.reading(subject="agree")
    low, high = result.ci
    assert text.startswith(f"{count / n:.0%} agree")
    assert f"between {low:.0%} and {high:.0%}" in text
    assert ("only" in text) == (n < 30)
    if high - low > 0.3:
        assert "treat it as rough" in text
    elif high - low <= 0.1:
        assert "within a few points" in text


def test_a_shift_whose_interval_excludes_zero_is_likely_real_and_one_including_zero_may_be_nothing():
    before = [2, 3, 2, 3, 2, 3, 3, 2, 2]
    clear = change.hodges_lehmann(before, [4, 4, 4, 5, 4, 4, 5, 4, 3])
    text = clear.reading()
    assert "rose by" in text and "only nine people" in text and "it is likely real" in text
    assert f"as small as {min(abs(v) for v in clear.ci):.2f}" in text
    unclear = change.hodges_lehmann(before, [3, 2, 2, 4, 1, 3, 4, 2, 3])
    text = unclear.reading()
    assert unclear.ci[0] <= 0 <= unclear.ci[1]
    assert "no difference at all is among the possibilities" in text
    assert f"{unclear.ci[0]:.2f} to {unclear.ci[1]:.2f}" in text
    still = Result("Hodges-Lehmann shift", 0.0, 9, ci=(-1.0, 0.0)).reading(digits=1)
    assert "did not move" in still and "anything from 1.0 lower to no difference." in still


def test_kaplan_meier_medians_not_reached():
    open_ended = Result("Kaplan-Meier median time", 9.0, 51, ci=(6.0, float("inf")))
    assert "anything from 6.00 months to longer than the data reach" in open_ended.reading(subject="half of them")
    never = Result("Kaplan-Meier median time", float("nan"), 12, ci=(float("nan"), float("nan")))
    assert never.reading(subject="half of them").startswith("Fewer than half of them got there")


def test_no_interval_says_so_and_quotes_the_p_value():
    result = change.signed_rank([2, 3, 2, 3, 2, 3, 3, 2, 2], [4, 4, 4, 5, 4, 4, 5, 4, 3])
    text = result.reading()
    assert "only nine people and no likely range" in text and "first impression" in text
    assert "rarely arise by chance alone (p = " in text


def test_tests_only_and_planning_results_are_worded_too():
    test = Result("Log-rank test", 16.7, 60, statistic=16.7, statistic_name="chi2", df=1, p_value=0.00004)
    assert "rarely arise by chance" in test.reading(subject="the two groups") and "p < .001" in test.reading()
    plan = change.sample_size(0.5)
    assert plan.reading() == plan.interpretation[:1].upper() + plan.interpretation[1:] + "."
    assert scale_of(Result("Something new", 1.0, 5)) is None
    assert "Something new" in Result("Something new", 1.0, 5).reading()


def test_lesson_context_next_step_is_appended():
    text = Result("Kendall's W (tie-corrected)", 0.62, 14).reading(
        subject="the Client's members", next_step="Use the Client's mean ranking as its voice."
    )
    assert text.startswith("The Client's members show moderate agreement: W = 0.62")
    assert text.endswith("Use the Client's mean ranking as its voice.")
