"""Cronbach's alpha and item analysis: pingouin's documented examples and a hand-checked matrix."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.errors import ParameterError, WorkbookError
from helpers.stats import reliability

# A tiny matrix worked by hand (4 respondents x 3 items).
TINY = pd.DataFrame({"i1": [1, 2, 3, 4], "i2": [2, 2, 3, 3], "i3": [1, 3, 2, 4]})


def test_cronbach_alpha_pingouin_docs_likert_example():
    # pingouin.cronbach_alpha docstring (validated there against R's psych package), dataset
    # "cronbach_alpha" bundled with pingouin: alpha = 0.5917, 95% CI [0.195, 0.84].
    long = pg.read_dataset("cronbach_alpha")
    items = long.pivot(index="Subj", columns="Items", values="Scores")
    result = reliability.cronbach_alpha(items)
    assert round(result.estimate, 4) == 0.5917
    assert result.ci == pytest.approx((0.195, 0.840), abs=5e-4)  # pingouin rounds to 3 decimals; we do not
    assert result.n == 15 and result.details["n_items"] == 10
    assert result.interpretation == "poor"
    assert result.interpretation_source == "George & Mallery (2003)"


def test_cronbach_alpha_pingouin_docs_missing_values():
    # Same docstring, dataset "cronbach_wide_missing" (12 x 11 binary items, 4 missing):
    # pairwise alpha = 0.7327, CI [0.435, 0.909] (R: psych::alpha(use="pairwise"));
    # listwise alpha = 0.8017 (R: psych::alpha(use="complete.obs")).
    data = pg.read_dataset("cronbach_wide_missing")
    pairwise = reliability.cronbach_alpha(data, nan_policy="pairwise")
    assert round(pairwise.estimate, 4) == 0.7327
    assert pairwise.ci == pytest.approx((0.435, 0.909), abs=5e-4)
    assert pairwise.n == 12
    listwise = reliability.cronbach_alpha(data)
    assert round(listwise.estimate, 4) == 0.8017
    # Only 9 respondents answered every item. Feldt's interval uses those 9 (pingouin's own
    # listwise call keeps n = 12 in the F degrees of freedom and reports [0.581, 0.933]).
    assert listwise.n == 9
    n, k = 9, 11
    low = 1 - (1 - listwise.estimate) * stats.f.isf(0.025, n - 1, (n - 1) * (k - 1))
    high = 1 - (1 - listwise.estimate) * stats.f.isf(0.975, n - 1, (n - 1) * (k - 1))
    assert listwise.ci == pytest.approx((low, high), abs=0.0005)


def test_cronbach_alpha_tiny_matrix_by_hand():
    # Item variances 5/3, 1/3, 5/3 (sum 11/3); totals 4, 7, 8, 11 have variance 25/3.
    # alpha = 3/2 (1 - (11/3) / (25/3)) = 1.5 x 0.56 = 0.84.
    result = reliability.cronbach_alpha(TINY)
    assert result.estimate == pytest.approx(0.84)
    assert result.interpretation == "good"


def test_item_analysis_by_hand():
    # i1 vs i2 + i3 = (3, 5, 5, 7): r = 6 / sqrt(5 x 8) = 0.9487.
    # i2 vs i1 + i3 = (2, 5, 5, 8): r = 3 / sqrt(1 x 18) = 0.7071.
    # i3 vs i1 + i2 = (3, 4, 6, 7): r = 5 / sqrt(5 x 10) = 0.7071.
    # Alpha without i1: 2 (1 - (1/3 + 5/3) / (8/3)) = 0.5; without i2: 2 (1 - (10/3) / 6) = 0.8889;
    # without i3: 2 (1 - 2 / (10/3)) = 0.8.
    table = reliability.item_analysis(TINY)
    assert list(table.columns) == ["item", "n", "mean", "sd", "item_total_r", "alpha_if_deleted"]
    assert list(table["item"]) == ["i1", "i2", "i3"]
    assert table["item_total_r"].tolist() == pytest.approx([6 / np.sqrt(40), 3 / np.sqrt(18), 5 / np.sqrt(50)])
    assert table["alpha_if_deleted"].tolist() == pytest.approx([0.5, 8 / 9, 0.8])
    assert table["mean"].tolist() == pytest.approx([2.5, 2.5, 2.5])
    assert table["sd"].tolist() == pytest.approx(np.sqrt([5 / 3, 1 / 3, 5 / 3]).tolist())
    detailed = reliability.cronbach_alpha(TINY).details["item_analysis"]
    pd.testing.assert_frame_equal(detailed, table)


def test_item_analysis_two_items_and_missing():
    two = reliability.item_analysis(TINY[["i1", "i2"]])
    assert two["alpha_if_deleted"].isna().all()
    gappy = TINY.astype(float).copy()
    gappy.loc[5] = [np.nan, 1, 1]
    gappy.loc[6] = [3, 3, 3]
    assert reliability.item_analysis(gappy)["n"].tolist() == [5, 5, 5]


def test_reliability_input_errors():
    with pytest.raises(WorkbookError, match="at least two items"):
        reliability.cronbach_alpha(TINY[["i1"]])
    with pytest.raises(WorkbookError, match="not numeric"):
        reliability.cronbach_alpha(TINY.assign(i2=["a", "b", "c", "d"]))
    with pytest.raises(WorkbookError, match="at least 3"):
        reliability.cronbach_alpha(TINY.iloc[:2])
    with pytest.raises(ParameterError, match="nan_policy"):
        reliability.cronbach_alpha(TINY, nan_policy="drop")
