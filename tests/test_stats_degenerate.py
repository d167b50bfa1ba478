"""Degenerate data gets a reason: every public statistic returns an earned estimate or a plain error.

Constant, tiny and all-missing inputs are fed to every public statistic (hypothesis draws the size
and the constant). Allowed outcomes: a result whose estimate is finite wherever it carries a band or
an interval, or a :class:`~helpers.errors.WorkbookError` (the package's plain error). Any other
exception (ZeroDivisionError, scipy's ValueError, pingouin's AssertionError) fails the test. A bad
confidence level (95 for 95%) gets the same ParameterError from every statistic that takes one.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.errors import ParameterError, WorkbookError
from helpers.stats import (
    agreement,
    alignment,
    change,
    groups,
    means,
    moderation,
    ordinal,
    power,
    proportions,
    reliability,
    survival,
)
from helpers.stats.result import Result


def _long(values: np.ndarray) -> pd.DataFrame:
    wide = pd.DataFrame(values, columns=[f"r{j}" for j in range(values.shape[1])])
    return wide.rename_axis("target").reset_index().melt("target", var_name="rater", value_name="rating")


def _groups(values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"y": values, "g": [f"g{i % 3}" for i in range(len(values))]})


def _survival(values: np.ndarray) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame(
        {
            "t": np.abs(values) + 1,
            "e": [1] * n,
            "g": [f"g{i % 2}" for i in range(n)],
            "x": [float(i % 2) for i in range(n)],
        }
    )


def _ranks(values: np.ndarray) -> pd.Series:
    return pd.Series(values, index=[f"t{i}" for i in range(len(values))])


#: Every public statistic, as a call on one array of numbers (rows x columns where it needs a table).
CALLS = {
    "cronbach_alpha": lambda v: reliability.cronbach_alpha(pd.DataFrame(v)),
    "cronbach_alpha_pairwise": lambda v: reliability.cronbach_alpha(pd.DataFrame(v), nan_policy="pairwise"),
    "item_analysis": lambda v: reliability.item_analysis(pd.DataFrame(v)),
    "icc": lambda v: agreement.icc(_long(v), "target", "rater", "rating"),
    "icc_aggregation": lambda v: agreement.icc_aggregation(_groups(v[:, 0]), "g", "y"),
    "rwg": lambda v: agreement.rwg(np.clip(v[:, 0], 1, 5), n_options=5),
    "rwg_j": lambda v: agreement.rwg_j(np.clip(v, 1, 5), n_options=5),
    "kendalls_w": lambda v: agreement.kendalls_w(v),
    "krippendorff_alpha": lambda v: agreement.krippendorff_alpha(v.T, level="interval"),
    "cohens_kappa": lambda v: agreement.cohens_kappa(v[:, 0], v[:, 1]),
    "fleiss_kappa": lambda v: agreement.fleiss_kappa(np.abs(np.round(v))),
    "signed_rank": lambda v: change.signed_rank(v[:, 0], v[:, 1]),
    "hodges_lehmann": lambda v: change.hodges_lehmann(v[:, 0], v[:, 1]),
    "bootstrap_ci": lambda v: change.bootstrap_ci(v[:, 0], v[:, 1], n_boot=99),
    "kruskal_wallis": lambda v: groups.kruskal_wallis(_groups(v[:, 0]), "y", "g", n_boot=50),
    "pairwise_mann_whitney": lambda v: groups.pairwise_mann_whitney(_groups(v[:, 0]), "y", "g"),
    "one_way_anova": lambda v: groups.one_way_anova(_groups(v[:, 0]), "y", "g"),
    "tukey_hsd": lambda v: groups.tukey_hsd(_groups(v[:, 0]), "y", "g"),
    "welch_test": lambda v: means.welch_test(v[:, 0], v[:, 1]),
    "moderation": lambda v: moderation.moderation(pd.DataFrame(v[:, :3], columns=["y", "x", "m"]), "y", "x", "m"),
    "ordinal_logit": lambda v: ordinal.ordinal_logit(pd.DataFrame({"a": np.round(v[:, 0]), "x": v[:, 1]}), "a", ["x"]),
    "wilson_ci": lambda v: proportions.wilson_ci(v[0, 0] if np.isnan(v[0, 0]) else int(v[0, 0]) % 3, 2),
    "chi_square": lambda v: proportions.chi_square(np.abs(np.round(v[:, :2]))),
    "kaplan_meier": lambda v: survival.kaplan_meier(_survival(v[:, 0]), "t", "e", "g"),
    "logrank": lambda v: survival.logrank(_survival(v[:, 0]), "t", "e", "g"),
    "cox": lambda v: survival.cox(_survival(v[:, 0]), "t", "e", ["x"]),
    "rank_alignment": lambda v: alignment.rank_alignment(_ranks(v[:, 0]), _ranks(v[:, 1]), n_permutations=200),
    "sample_size": lambda v: power.sample_size(float(v[0, 0]) or 0.5),
}


def _check_outcome(result) -> None:
    """A result's banded or interval estimates must be finite."""
    results = result if isinstance(result, (list, tuple)) else [result]
    for item in results:
        if isinstance(item, Result):
            if item.interpretation is not None or item.ci is not None:
                assert np.isfinite(item.estimate), item
            if item.ci is not None:
                assert all(np.isfinite(c) or np.isinf(c) and "median" in item.method.lower() for c in item.ci), item
        elif isinstance(item, pd.DataFrame) and "interpretation" in item.columns:
            assert np.isfinite(item["estimate"].astype(float)).all()


def _run(name: str, values: np.ndarray) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy warning: an unguarded 0/0; a library one: not made a note
        try:
            _check_outcome(CALLS[name](values))
        except WorkbookError:
            pass


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(constant=st.integers(1, 5), rows=st.integers(1, 7))
def test_constant_and_tiny_inputs_get_a_reason(name, constant, rows):
    _run(name, np.full((rows, 4), float(constant)))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_all_missing_inputs_get_a_reason(name):
    _run(name, np.full((6, 4), np.nan))


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(st.integers(1, 5), min_size=2, max_size=12))
def test_tiny_varied_inputs_get_a_reason(name, data):
    values = np.array(data * 4, dtype=float)[: len(data) * 4].reshape(len(data), 4)
    values[:, 1] = values[::-1, 1]  # columns differ
    _run(name, values)


# --- the cases the issue lists, each failing on the code before this change -------------------------


def test_anova_refuses_constant_data_and_no_within_group_variance():
    with pytest.raises(WorkbookError, match="constant"):
        groups.one_way_anova(pd.DataFrame({"y": [3.0] * 9, "g": list("aaabbbccc")}), "y", "g")
    with pytest.raises(WorkbookError, match="within-group variance"):
        groups.one_way_anova(pd.DataFrame({"y": [1.0] * 3 + [2.0] * 3 + [3.0] * 3, "g": list("aaabbbccc")}), "y", "g")
    with pytest.raises(WorkbookError, match="single value"):
        groups.one_way_anova(pd.DataFrame({"y": [1.0, 2.0, 3.0], "g": list("abc")}), "y", "g")
    with pytest.raises(WorkbookError, match="single value"):
        groups.tukey_hsd(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "g": list("aabc")}), "y", "g")


def test_welch_refuses_two_constant_groups():
    with pytest.raises(WorkbookError, match="No variance"):
        means.welch_test([2, 2, 2], [3, 3, 3])


def test_icc_and_alpha_refuse_undefined_estimates_instead_of_banding_them():
    with pytest.raises(WorkbookError, match="constant"):
        agreement.icc(_long(np.full((4, 3), 2.0)), "target", "rater", "rating")
    with pytest.raises(WorkbookError, match="five ratings"):
        agreement.icc(_long(np.array([[1.0, 2.0], [3.0, 5.0]])), "target", "rater", "rating")
    with pytest.raises(WorkbookError, match="no variance"):  # two items summing to a constant
        reliability.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [5, 4, 3, 2, 1]}))
    with pytest.raises(WorkbookError, match="Fewer than two items vary"):
        reliability.cronbach_alpha(pd.DataFrame({"a": [3] * 5, "b": [3] * 5, "c": [1, 2, 3, 4, 5]}))


def test_constant_item_dropped_from_alpha_with_a_note():
    items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [2, 2, 3, 5, 4, 1], "c": [3] * 6})
    res = reliability.cronbach_alpha(items)
    assert res.details["dropped_items"] == ["c"] and "c" in res.details["note"]
    assert res.estimate == pytest.approx(reliability.cronbach_alpha(items[["a", "b"]]).estimate)


def test_pairwise_alpha_with_few_complete_respondents():
    items = pd.DataFrame({"a": [1, 2, 3, np.nan, 5, 4], "b": [2, np.nan, 3, 5, 4, 5], "c": [np.nan, 3, 4, 4, 5, 5]})
    res = reliability.cronbach_alpha(items, nan_policy="pairwise")  # 2 complete rows: psych gives it
    assert np.isfinite(res.estimate)


def test_cox_with_too_few_events_says_so():
    frame = pd.DataFrame({"t": [1.0, 2.0], "e": [1, 1], "x": [0.0, 1.0]})
    with pytest.raises(WorkbookError, match="Kaplan-Meier"):
        survival.cox(frame, "t", "e", ["x"])


def test_ordinal_logit_without_a_clear_maximum_says_so_instead_of_a_nan_standard_error():
    # Found by the property test above: the fit ends where the Hessian is not negative definite, so a
    # variance is negative and sqrt warned (NaN standard errors) before this was checked.
    data = [3, 4, 1, 1, 2, 3, 1, 1, 1, 2, 1, 1]
    values = np.array(data * 4, dtype=float)[: len(data) * 4].reshape(len(data), 4)
    values[:, 1] = values[::-1, 1]
    frame = pd.DataFrame({"a": np.round(values[:, 0]), "x": values[:, 1]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(WorkbookError, match="cannot pin down its estimates from these 12 respondents"):
            ordinal.ordinal_logit(frame, "a", ["x"])


def test_bands_are_read_unrounded_and_from_intervals():
    from helpers.stats.result import band

    assert band(0.70, *reliability.ALPHA_BANDS, above=True) == "questionable"  # George & Mallery: "> .7"
    assert band(0.895, *agreement.ICC_BANDS) == "good"  # not "excellent" from 0.90
    assert agreement.band_range(0.23, 0.79, agreement.ICC_BANDS) == "poor to good"


def test_mann_whitney_exact_below_50_without_ties():
    frame = pd.DataFrame({"y": list(range(1, 11)) + [v + 0.5 for v in range(4, 14)], "g": ["a"] * 10 + ["b"] * 10})
    row = groups.pairwise_mann_whitney(frame, "y", "g").iloc[0]
    from scipy import stats

    assert row["method"] == "exact"
    assert row["p_unc"] == pytest.approx(stats.mannwhitneyu(frame.y[:10], frame.y[10:], method="exact").pvalue)


# --- one check for the confidence level -------------------------------------------------------------

GOOD = np.array(
    [[1, 2, 4, 3], [2, 3, 4, 4], [3, 3, 5, 4], [4, 5, 5, 5], [2, 2, 3, 1], [5, 4, 5, 5], [1, 1, 2, 2], [3, 4, 3, 3]],
    dtype=float,
)
WITH_LEVEL = {
    "cronbach_alpha": lambda lvl: reliability.cronbach_alpha(pd.DataFrame(GOOD), ci_level=lvl),
    "icc_aggregation": lambda lvl: agreement.icc_aggregation(_groups(GOOD.ravel()), "g", "y", ci_level=lvl),
    "krippendorff_alpha": lambda lvl: agreement.krippendorff_alpha(GOOD.T, ci_level=lvl),
    "cohens_kappa": lambda lvl: agreement.cohens_kappa(GOOD[:, 0], GOOD[:, 1], ci_level=lvl),
    "fleiss_kappa": lambda lvl: agreement.fleiss_kappa(np.array([[3, 0], [1, 2], [2, 1]]), ci_level=lvl),
    "hodges_lehmann": lambda lvl: change.hodges_lehmann(GOOD[:, 0], GOOD[:, 2], ci_level=lvl),
    "bootstrap_ci": lambda lvl: change.bootstrap_ci(GOOD[:, 0], GOOD[:, 2], ci_level=lvl),
    "paired_change": lambda lvl: change.paired_change(GOOD[:, 0], GOOD[:, 2], ci_level=lvl),
    "kruskal_wallis": lambda lvl: groups.kruskal_wallis(_groups(GOOD.ravel()), "y", "g", ci_level=lvl),
    "one_way_anova": lambda lvl: groups.one_way_anova(_groups(GOOD.ravel()), "y", "g", ci_level=lvl),
    "tukey_hsd": lambda lvl: groups.tukey_hsd(_groups(GOOD.ravel()), "y", "g", ci_level=lvl),
    "welch_test": lambda lvl: means.welch_test(GOOD[:, 0], GOOD[:, 1], ci_level=lvl),
    "moderation": lambda lvl: moderation.moderation(
        pd.DataFrame(GOOD[:, :3], columns=["y", "x", "m"]), "y", "x", "m", ci_level=lvl
    ),
    "ordinal_logit": lambda lvl: ordinal.ordinal_logit(
        pd.DataFrame({"a": GOOD[:, 0], "x": GOOD[:, 1]}), "a", ["x"], ci_level=lvl
    ),
    "wilson_ci": lambda lvl: proportions.wilson_ci(3, 8, ci_level=lvl),
    "proportions_table": lambda lvl: proportions.proportions_table(["a", "b", "a"], ci_level=lvl),
    "chi_square": lambda lvl: proportions.chi_square([[3, 4], [5, 1]], ci_level=lvl),
    "kaplan_meier": lambda lvl: survival.kaplan_meier(_survival(GOOD[:, 0]), "t", "e", ci_level=lvl),
    "cox": lambda lvl: survival.cox(_survival(GOOD[:, 0]), "t", "e", ["x"], ci_level=lvl),
    "rank_alignment": lambda lvl: alignment.rank_alignment(_ranks(GOOD[:, 0]), _ranks(GOOD[:, 3]), ci_level=lvl),
    "empathy_gap": lambda lvl: alignment.empathy_gap(pd.DataFrame(GOOD), pd.DataFrame(GOOD[::-1]), ci_level=lvl),
}


@pytest.mark.parametrize("name", sorted(WITH_LEVEL))
@pytest.mark.parametrize("level", [95, 0, 1, -0.5, True, float("nan")])
def test_a_bad_confidence_level_gets_the_same_plain_error(name, level):
    with pytest.raises(ParameterError, match=r"^`ci_level` must be a number between 0 and 1"):
        WITH_LEVEL[name](level)


def test_power_checks_alpha_and_power():
    with pytest.raises(ParameterError, match="`power` must be"):
        power.sample_size(0.5, power=80)
    with pytest.raises(ParameterError, match="`alpha` must be"):
        power.power(0.5, 10, alpha=5)


def test_moderation_refuses_collinear_predictors_instead_of_warning():
    # m is x shifted: x, m and x*m cannot be told apart, statsmodels only warns (SingularMatrixWarning)
    data = pd.DataFrame({"y": [1.0, 3, 2, 5, 4, 6, 8, 7], "x": [0.0, 1, 2, 3, 4, 5, 6, 7]})
    data["m"] = data["x"] + 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(WorkbookError, match="collinear"):
            moderation.moderation(data, "y", "x", "m")
