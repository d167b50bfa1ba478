"""Wilson intervals, chi-square with Cramér's V, and p-value adjustment."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats.contingency import association

from helpers.errors import ParameterError, WorkbookError
from helpers.stats import proportions


@pytest.mark.parametrize(
    "count, n, low, high",
    [
        # Newcombe (1998), Statistics in Medicine 17, 857-872, table I, method 3 (score / Wilson):
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_newcombe_1998(count, n, low, high):
    result = proportions.wilson_ci(count, n)
    assert result.estimate == pytest.approx(count / n)
    assert (round(result.ci[0], 4), round(result.ci[1], 4)) == (low, high)
    assert result.n == n and result.details["count"] == count
    assert "Wilson" in result.method and "Newcombe" in result.reference


def test_wilson_errors_and_level():
    assert proportions.wilson_ci(81, 263, ci_level=0.99).ci[0] < 0.2553
    with pytest.raises(WorkbookError, match="cannot exceed"):
        proportions.wilson_ci(5, 4)
    with pytest.raises(WorkbookError, match="n = 0"):
        proportions.wilson_ci(0, 0)
    with pytest.raises(WorkbookError, match="whole number"):
        proportions.wilson_ci(2.5, 10)
    with pytest.raises(ParameterError, match="level"):
        proportions.wilson_ci(1, 10, ci_level=95)


def test_proportions_table_from_answers_and_counts():
    answers = pd.Series(["Agree"] * 81 + ["Disagree"] * 182 + [None] * 3)
    table = proportions.proportions_table(answers, order=["Agree", "Neutral", "Disagree"])
    assert list(table.columns) == ["label", "count", "n", "proportion", "ci_low", "ci_high"]
    assert table["label"].tolist() == ["Agree", "Neutral", "Disagree"]
    assert table["count"].tolist() == [81, 0, 182]
    assert (table["n"] == 263).all()
    assert round(table.at[0, "ci_low"], 4) == 0.2553 and round(table.at[0, "ci_high"], 4) == 0.3662
    assert table.at[1, "ci_low"] == 0
    assert "Wilson" in table.attrs["method"]
    from_counts = proportions.proportions_table({"Agree": 81, "Disagree": 182})
    pd.testing.assert_frame_equal(from_counts, table.drop(index=1).reset_index(drop=True), check_dtype=False)
    assert proportions.proportions_table(pd.Series({"a": 1, "b": 3}), counts=True)["count"].tolist() == [1, 3]


def test_proportions_table_errors():
    with pytest.raises(WorkbookError, match="not one of the options"):
        proportions.proportions_table(["x", "y"], order=["x"])
    with pytest.raises(WorkbookError, match="whole numbers"):
        proportions.proportions_table({"a": -1, "b": 2})
    with pytest.raises(WorkbookError, match="n = 0"):
        proportions.proportions_table([None, None])


def test_chi_square_cramers_v_by_hand():
    # [[20, 10], [10, 20]], n = 60: every expected count is 15, so
    # chi2 = 4 x (5^2 / 15) = 6.667 on 1 df, V = sqrt(6.667 / 60) = 1/3.
    # Bergsma (2013): phi^2 = 1/9 - 1/59 = 0.09416; r~ = k~ = 2 - 1/59; V~ = sqrt(0.09416 / (1 - 1/59)) = 0.3095.
    table = pd.DataFrame([[20, 10], [10, 20]], index=["A", "B"], columns=["yes", "no"])
    result = proportions.chi_square(table)
    assert result.statistic == pytest.approx(20 / 3)
    assert result.df == 1 and result.n == 60
    assert result.estimate == pytest.approx(1 / 3)
    assert result.estimate == pytest.approx(association(table.to_numpy(), method="cramer"))
    assert round(result.p_value, 4) == 0.0098
    corrected = (1 / 9 - 1 / 59) / (1 - 1 / 59)
    assert result.details["cramers_v_corrected"] == pytest.approx(math.sqrt(corrected))
    assert round(result.details["cramers_v_corrected"], 4) == 0.3095
    assert result.method == "Cramér's V" and result.interpretation == "medium"
    assert "warning" not in result.details
    bias = proportions.chi_square(table, bias_corrected=True)
    assert bias.estimate == pytest.approx(math.sqrt(corrected)) and "Bergsma" in bias.method
    # Yates: chi2 = 4 x (4.5^2 / 15) = 5.4.
    assert proportions.chi_square(table, yates=True).statistic == pytest.approx(5.4)


def test_chi_square_larger_table_and_sparse_warning():
    # 2 x 3: df* = 1, so Cohen's cut-offs stay .1/.3/.5.
    table = np.array([[30, 10, 10], [10, 30, 10]])
    result = proportions.chi_square(table)
    assert result.df == 2
    assert result.estimate == pytest.approx(association(table, method="cramer"))
    sparse = proportions.chi_square([[3, 1], [1, 4]])
    assert "Cochran" in sparse.details["warning"] and "4 of 4 cells" in sparse.details["warning"]
    # 3 x 3: df* = 2, cut-offs .1/sqrt(2) etc.
    square = proportions.chi_square(np.array([[10, 5, 5], [5, 10, 5], [5, 5, 10]]))
    assert square.interpretation_source == "Cohen (1988), df* = 2"


def test_chi_square_bootstrap_and_errors():
    table = [[20, 10], [10, 20]]
    first = proportions.chi_square(table, n_boot=200, seed=5)
    assert first.ci == proportions.chi_square(table, n_boot=200, seed=5).ci
    assert 0 <= first.ci[0] < first.estimate < first.ci[1] <= 1
    with pytest.raises(WorkbookError, match="all zero"):
        proportions.chi_square(pd.DataFrame([[1, 0], [2, 0]], columns=["a", "b"]))
    with pytest.raises(WorkbookError, match="2 x 2"):
        proportions.chi_square([[1, 2, 3]])
    with pytest.raises(WorkbookError, match="counts"):
        proportions.chi_square([[1.5, 2], [3, 4]])


def test_adjust_p_by_hand():
    # p = .01, .04, .03, .005. Holm: sorted .005, .01, .03, .04 times 4, 3, 2, 1 = .02, .03, .06, .04,
    # made monotone (running max) = .02, .03, .06, .06. BH: sorted times 4/rank = .02, .02, .04, .04
    # (running min from the top) = .02, .02, .04, .04.
    pvalues = pd.Series([0.01, 0.04, 0.03, 0.005], index=["q1", "q2", "q3", "q4"])
    holm = proportions.adjust_p(pvalues)
    assert holm["test"].tolist() == ["q1", "q2", "q3", "q4"]
    assert holm["p_adjusted"].tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm["reject"].tolist() == [True, False, False, True]
    bh = proportions.adjust_p(pvalues, method="fdr_bh")
    assert bh["p_adjusted"].tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert bh["reject"].all()
    assert "Benjamini" in bh.attrs["method"]
    with pytest.raises(ParameterError, match="method"):
        proportions.adjust_p(pvalues, method="bonferroni")
    with pytest.raises(WorkbookError, match="lie in"):
        proportions.adjust_p([0.2, 1.5])
