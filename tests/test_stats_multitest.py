"""Holm's adjustment done in the workbook (statsmodels' ends with a full garbage collection) gives
statsmodels' numbers to the bit; other methods are statsmodels' own."""

import gc

import numpy as np
import pytest
from statsmodels.stats import multitest as sm

from helpers.stats.multitest import multipletests


def _families():
    rng = np.random.default_rng(16)
    yield np.array([0.01, 0.04, 0.03, 0.005])
    yield np.array([0.02, 0.02, 0.02, 0.5, 0.5])  # ties
    yield np.array([0.9, 0.7, 0.8])  # capped at 1
    yield np.array([0.001])
    yield np.array([])
    for size in (2, 7, 14, 40):
        yield rng.uniform(size=size)
        yield np.round(rng.uniform(0, 0.2, size=size), 3)  # many ties


@pytest.mark.parametrize("method", ["holm", "h", "Holm"])
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_holm_is_statsmodels_to_the_bit(method, alpha, monkeypatch):
    monkeypatch.setattr(gc, "collect", lambda *_: 0)  # statsmodels' collection: slow, and not what is compared
    for pvals in _families():
        ours = multipletests(pvals, alpha=alpha, method=method)
        theirs = sm.multipletests(pvals, alpha=alpha, method=method)
        np.testing.assert_array_equal(ours[0], theirs[0])
        assert ours[1].tobytes() == theirs[1].tobytes()
        assert ours[1].dtype == theirs[1].dtype
        np.testing.assert_array_equal([ours[2], ours[3]], [theirs[2], theirs[3]])


def test_holm_takes_a_series_and_other_methods_go_to_statsmodels():
    import pandas as pd

    series = pd.Series([0.04, 0.01, 0.03], index=[5, 6, 7])
    assert multipletests(series, method="holm")[1].tolist() == sm.multipletests(series, method="holm")[1].tolist()
    pvals = np.array([0.01, 0.04, 0.03, 0.005])
    for method in ("fdr_bh", "bonferroni", "hs"):
        assert multipletests(pvals, method=method)[1].tolist() == sm.multipletests(pvals, method=method)[1].tolist()
