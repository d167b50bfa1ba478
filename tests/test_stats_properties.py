"""Properties every agreement / reliability statistic must have, checked on random data (hypothesis).

Relabelling or reordering raters, units or rows must not change a statistic; raters who agree
perfectly must get the maximum. Few examples each, so the file runs in seconds.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.errors import WorkbookError
from helpers.stats import agreement, proportions, reliability

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def ratings_matrix(draw, min_raters=2, max_raters=5, min_units=3, max_units=10, k=5, missing=False):
    """Raters x units, values 1..k, optionally with missing cells."""
    m = draw(st.integers(min_raters, max_raters))
    n = draw(st.integers(min_units, max_units))
    values = draw(arrays(np.float64, (m, n), elements=st.integers(1, k).map(float)))
    if missing:
        mask = draw(arrays(np.bool_, (m, n), elements=st.booleans()))
        values = np.where(mask & (np.arange(m)[:, None] > 1), np.nan, values)  # keep 2 full raters
    return values


def permutation(draw, size):
    return np.asarray(draw(st.permutations(list(range(size)))))


@FAST
@given(ratings_matrix(missing=True), st.sampled_from(["nominal", "ordinal", "interval", "ratio"]), st.data())
def test_alpha_ignores_order_of_coders_and_units(data, level, draw):
    assume(len(np.unique(data[~np.isnan(data)])) > 1)
    rows, cols = permutation(draw.draw, data.shape[0]), permutation(draw.draw, data.shape[1])
    domain = [1, 2, 3, 4, 5]
    base = agreement.krippendorff_alpha(data, level=level, value_domain=domain)
    shuffled = agreement.krippendorff_alpha(data[rows][:, cols], level=level, value_domain=domain)
    assert shuffled.estimate == pytest.approx(base.estimate)
    assert shuffled.n == base.n


@FAST
@given(ratings_matrix(), st.data())
def test_nominal_alpha_ignores_category_names(data, draw):
    assume(len(np.unique(data)) > 1)
    names = draw.draw(st.permutations(["red", "green", "blue", "amber", "grey"]))
    labelled = pd.DataFrame(data).map(lambda v: names[int(v) - 1])
    assert agreement.krippendorff_alpha(labelled, level="nominal").estimate == pytest.approx(
        agreement.krippendorff_alpha(data, level="nominal").estimate
    )


@FAST
@given(
    arrays(np.float64, st.integers(3, 12), elements=st.integers(1, 5).map(float)),
    st.integers(2, 5),
    st.sampled_from(["nominal", "ordinal", "interval"]),
)
def test_alpha_of_identical_coders_is_one(unit_values, n_coders, level):
    assume(len(np.unique(unit_values)) > 1)
    data = np.tile(unit_values, (n_coders, 1))
    assert agreement.krippendorff_alpha(data, level=level).estimate == pytest.approx(1.0)


@FAST
@given(ratings_matrix(min_units=3), st.data())
def test_kendalls_w_ignores_order_of_raters_and_items(data, draw):
    assume(all(len(np.unique(row)) > 1 for row in data))
    rows, cols = permutation(draw.draw, data.shape[0]), permutation(draw.draw, data.shape[1])
    for ties in (True, False):
        base = agreement.kendalls_w(data, correct_ties=ties).estimate
        assert agreement.kendalls_w(data[rows][:, cols], correct_ties=ties).estimate == pytest.approx(base)
        assert 0 <= base <= 1 + 1e-12


@FAST
@given(arrays(np.float64, st.integers(3, 8), elements=st.integers(1, 9).map(float), unique=True), st.integers(2, 5))
def test_kendalls_w_of_identical_rankings_is_one(scores, n_raters):
    assert agreement.kendalls_w(np.tile(scores, (n_raters, 1))).estimate == pytest.approx(1.0)


@FAST
@given(
    arrays(
        np.int64,
        st.tuples(st.integers(3, 4), st.integers(3, 4)).map(lambda s: (s[0], s[0])),
        elements=st.integers(0, 12),
    ),
    st.data(),
)
def test_cohens_kappa_symmetric_in_raters_and_categories(table, draw):
    # Kappa needs chance agreement below 1: both raters must use more than one category.
    assume((table.sum(axis=0) > 0).sum() > 1 and (table.sum(axis=1) > 0).sum() > 1)
    base = agreement.cohens_kappa(table)
    order = permutation(draw.draw, table.shape[0])
    assert agreement.cohens_kappa(table.T).estimate == pytest.approx(base.estimate)
    assert agreement.cohens_kappa(table[order][:, order]).estimate == pytest.approx(base.estimate)
    # Reversing an ordered scale keeps every distance: weighted kappa is unchanged.
    reverse = table[::-1, ::-1]
    assert agreement.cohens_kappa(reverse, weights="quadratic").estimate == pytest.approx(
        agreement.cohens_kappa(table, weights="quadratic").estimate
    )


@FAST
@given(ratings_matrix(min_raters=3, max_raters=6, min_units=4), st.data())
def test_fleiss_kappa_ignores_subject_and_category_order(data, draw):
    counts = np.stack([(data == c).sum(axis=0) for c in range(1, 6)], axis=1)  # subjects x categories
    assume((counts.sum(axis=0) > 0).sum() > 1)
    base = agreement.fleiss_kappa(counts).estimate
    rows, cols = permutation(draw.draw, counts.shape[0]), permutation(draw.draw, 5)
    assert agreement.fleiss_kappa(counts[rows][:, cols]).estimate == pytest.approx(base)


@FAST
@given(ratings_matrix(min_raters=2, max_raters=4, min_units=3, max_units=8), st.data())
def test_icc_table_ignores_row_order_and_rater_names(data, draw):
    wide = pd.DataFrame(data.T, columns=[f"r{i}" for i in range(data.shape[0])])
    assume(wide.nunique().min() > 1 and wide.T.nunique().min() > 1)
    long = wide.rename_axis("target").reset_index().melt("target", var_name="rater", value_name="y")
    order = permutation(draw.draw, len(long))
    renamed = long.iloc[order].assign(rater=lambda d: d.rater.map(lambda r: "judge " + r[::-1]))
    try:
        base = agreement.icc(long, "target", "rater", "y")
    except WorkbookError as refused:  # an undefined interval is refused whatever the row order
        with pytest.raises(WorkbookError) as again:
            agreement.icc(renamed, "target", "rater", "y")
        assert str(again.value) == str(refused)
        return
    pd.testing.assert_frame_equal(agreement.icc(renamed, "target", "rater", "y"), base)


@FAST
@given(st.lists(st.integers(1, 5), min_size=2, max_size=15), st.data())
def test_rwg_ignores_order(ratings, draw):
    shuffled = draw.draw(st.permutations(ratings))
    assert agreement.rwg(shuffled, 5).estimate == pytest.approx(agreement.rwg(ratings, 5).estimate)
    assert 0 <= agreement.rwg(ratings, 5).estimate <= 1


@FAST
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(1, 7)), min_size=8, max_size=30), st.data())
def test_icc_aggregation_ignores_row_order_and_group_names(rows, draw):
    data = pd.DataFrame(rows, columns=["team", "y"])
    sizes = data.team.value_counts()
    assume(len(sizes) >= 2 and sizes.min() >= 2)
    try:
        base = agreement.icc_aggregation(data, "team", "y")
    except WorkbookError:
        assume(False)
    shuffled = data.iloc[permutation(draw.draw, len(data))].assign(team=lambda d: d.team.map(str.upper))
    again = agreement.icc_aggregation(shuffled, "team", "y")
    assert again.icc1.estimate == pytest.approx(base.icc1.estimate)
    assert again.icc2.estimate == pytest.approx(base.icc2.estimate)


@FAST
@given(ratings_matrix(min_raters=3, max_raters=8, min_units=3, max_units=5), st.data())
def test_cronbach_alpha_ignores_row_and_item_order(data, draw):
    items = pd.DataFrame(data, columns=[f"q{i}" for i in range(data.shape[1])])
    assume(items.std().min() > 0 and items.sum(axis=1).std() > 0)
    base = reliability.cronbach_alpha(items).estimate
    rows, cols = permutation(draw.draw, items.shape[0]), permutation(draw.draw, items.shape[1])
    assert reliability.cronbach_alpha(items.iloc[rows, cols]).estimate == pytest.approx(base)


@FAST
@given(arrays(np.float64, st.integers(3, 12), elements=st.integers(1, 5).map(float)), st.integers(2, 5))
def test_cronbach_alpha_of_identical_items_is_one(column, k):
    assume(np.std(column) > 0)
    items = pd.DataFrame({f"q{i}": column for i in range(k)})
    assert reliability.cronbach_alpha(items).estimate == pytest.approx(1.0)


@FAST
@given(arrays(np.int64, st.tuples(st.integers(2, 4), st.integers(2, 4)), elements=st.integers(1, 20)), st.data())
def test_cramers_v_ignores_row_and_column_order(table, draw):
    base = proportions.chi_square(table)
    rows, cols = permutation(draw.draw, table.shape[0]), permutation(draw.draw, table.shape[1])
    for other in (table[rows][:, cols], table.T):
        again = proportions.chi_square(other)
        assert again.estimate == pytest.approx(base.estimate)
        assert again.details["cramers_v_corrected"] == pytest.approx(base.details["cramers_v_corrected"])
    assert 0 <= base.details["cramers_v_corrected"] <= base.estimate + 1e-12


@FAST
@given(st.lists(st.sampled_from(["yes", "no", "unsure"]), min_size=1, max_size=40), st.data())
def test_proportions_table_ignores_answer_order(answers, draw):
    shuffled = draw.draw(st.permutations(answers))
    order = ["yes", "no", "unsure"]
    pd.testing.assert_frame_equal(
        proportions.proportions_table(shuffled, order=order), proportions.proportions_table(answers, order=order)
    )


@FAST
@given(ratings_matrix(min_raters=3, max_raters=6, min_units=3, max_units=8))
def test_kendalls_w_matches_pingouin_friedman(data):
    # pingouin.friedman computes the tie-corrected W (from three raters up).
    import pingouin as pg

    assume(all(len(np.unique(row)) > 1 for row in data))
    expected = float(pg.friedman(pd.DataFrame(data))["W"].iloc[0])
    assert agreement.kendalls_w(data).estimate == pytest.approx(expected)


@FAST
@given(arrays(np.float64, st.integers(3, 9), elements=st.integers(1, 50).map(float), unique=True), st.data())
def test_kendalls_w_of_two_raters_is_spearman_rescaled(first, draw):
    # With two raters and no ties, W = (rho_s + 1) / 2 (Kendall & Babington Smith 1939).
    from scipy.stats import spearmanr

    second = np.asarray(draw.draw(st.permutations(first)))
    rho = spearmanr(first, second).statistic
    assert agreement.kendalls_w([first, second]).estimate == pytest.approx((rho + 1) / 2)
