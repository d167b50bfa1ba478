"""Agreement statistics against their published worked examples (source named above each test)."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from helpers.errors import ParameterError, WorkbookError
from helpers.stats import agreement
from helpers.stats.result import Result

NA = np.nan

# Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability, the example with 4 coders x
# 12 units and missing values ('.' in the source): nominal .743, ordinal .815, interval .849,
# ratio .797.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
]

# Shrout, P. E., & Fleiss, J. L. (1979), Psychological Bulletin 86, 420-428, table 2:
# 6 targets rated by 4 judges.
SHROUT_FLEISS = pd.DataFrame(
    {
        "J1": [9, 6, 8, 7, 10, 6],
        "J2": [2, 1, 4, 1, 5, 2],
        "J3": [5, 3, 6, 2, 6, 4],
        "J4": [8, 2, 8, 6, 9, 7],
    },
    index=pd.Index(range(1, 7), name="target"),
)

# Fleiss (1971) style example as worked on Wikipedia ("Fleiss' kappa", worked example):
# 10 subjects, 14 raters, 5 categories; kappa = 0.210.
FLEISS_WIKIPEDIA = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

# SAS PROC FREQ example output, as reproduced in statsmodels' test suite
# (statsmodels/stats/tests/test_inter_rater.py, `table10`): kappa 0.4842, ASE 0.1380,
# 95% CI 0.2137 to 0.7547; weighted (linear, Cicchetti-Allison) kappa 0.4701, CI 0.1845 to 0.7558.
SAS_TABLE = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]


def _long(wide: pd.DataFrame) -> pd.DataFrame:
    return wide.reset_index().melt(id_vars="target", var_name="judge", value_name="score")


# --- Krippendorff's alpha ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_2011_worked_example(level, expected):
    result = agreement.krippendorff_alpha(KRIPPENDORFF_2011, level=level, value_domain=[1, 2, 3, 4, 5])
    assert isinstance(result, Result)
    assert round(result.estimate, 3) == expected
    assert result.n == 11  # unit 12 was coded once only: not pairable
    assert result.details["n_values"] == 41
    assert result.interpretation_source == "Krippendorff (2004)"


def test_krippendorff_bands_at_three_decimals():
    assert agreement.krippendorff_alpha(KRIPPENDORFF_2011, level="nominal").interpretation.startswith("tentative")
    assert agreement.krippendorff_alpha(KRIPPENDORFF_2011, level="interval").interpretation.startswith("acceptable")


def test_krippendorff_labels_with_ordered_domain_match_numbers():
    words = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    labelled = pd.DataFrame(KRIPPENDORFF_2011).map(lambda v: words.get(v) if v == v else None)
    domain = ["very low", "low", "mid", "high", "very high"]
    result = agreement.krippendorff_alpha(labelled, level="ordinal", value_domain=domain)
    assert round(result.estimate, 3) == 0.815
    nominal = agreement.krippendorff_alpha(labelled, level="nominal")
    assert round(nominal.estimate, 3) == 0.743


def test_krippendorff_input_errors():
    with pytest.raises(ParameterError, match="level"):
        agreement.krippendorff_alpha(KRIPPENDORFF_2011, level="cardinal")
    with pytest.raises(WorkbookError, match="not in `value_domain`"):
        agreement.krippendorff_alpha(KRIPPENDORFF_2011, level="ordinal", value_domain=[1, 2, 3, 4])
    with pytest.raises(WorkbookError, match="needs `value_domain`"):
        agreement.krippendorff_alpha([["a", "b"], ["a", "b"]], level="ordinal")
    with pytest.raises(WorkbookError, match="numeric"):
        agreement.krippendorff_alpha([["a", "b"], ["a", "b"]], level="interval")
    with pytest.raises(WorkbookError, match="pairable"):
        agreement.krippendorff_alpha([[1, NA], [NA, 2]], level="nominal")


def test_krippendorff_bootstrap_is_seeded_and_brackets_estimate():
    first = agreement.krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_boot=300, seed=11)
    again = agreement.krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_boot=300, seed=11)
    other = agreement.krippendorff_alpha(KRIPPENDORFF_2011, level="interval", n_boot=300, seed=12)
    assert first.ci == again.ci
    assert first.ci != other.ci
    assert first.ci[0] < first.estimate <= first.ci[1] <= 1
    assert first.details["n_boot_used"] <= 300
    no_ci = agreement.krippendorff_alpha(KRIPPENDORFF_2011, level="interval")
    assert no_ci.ci is None


# --- ICC (Shrout & Fleiss) -----------------------------------------------------------------------


def test_icc_shrout_fleiss_1979_table_4():
    table = agreement.icc(_long(SHROUT_FLEISS), "target", "judge", "score").set_index("icc")
    expected = {"ICC1": 0.166, "ICC2": 0.290, "ICC3": 0.715, "ICC1k": 0.443, "ICC2k": 0.620, "ICC3k": 0.909}
    assert table["estimate"].round(3).to_dict() == expected
    assert list(table.columns) == [
        "type",
        "description",
        "estimate",
        "ci_low",
        "ci_high",
        "F",
        "df1",
        "df2",
        "p",
        "n_targets",
        "n_raters",
        "interpretation",
    ]
    assert (table["ci_low"] < table["estimate"]).all() and (table["estimate"] < table["ci_high"]).all()
    # CIs at full precision (pingouin rounds them to 2 decimals by default).
    assert round(table.at["ICC3", "ci_low"], 4) == 0.3425
    # Koo & Li read the band from the 95% CI (0.34 to 0.92 here), not from the estimate.
    assert table.at["ICC3", "interpretation"] == "poor to excellent (Koo & Li 2016, from the 95% CI)"
    assert table.at["ICC3k", "interpretation"] == "moderate to excellent (Koo & Li 2016, from the 95% CI)"
    assert table.at["ICC1", "interpretation"] == "poor to moderate (Koo & Li 2016, from the 95% CI)"
    assert table.at["ICC2", "df2"] == 15 and table.at["ICC1", "df2"] == 18
    assert (table["n_targets"] == 6).all() and (table["n_raters"] == 4).all()


def test_icc_leaves_pingouin_rounding_options_alone():
    before = dict(pg.options)
    agreement.icc(_long(SHROUT_FLEISS), "target", "judge", "score")
    assert dict(pg.options) == before


def test_icc_missing_ratings():
    data = _long(SHROUT_FLEISS)
    data = data[~((data.target == 2) & (data.judge == "J3"))]
    with pytest.raises(WorkbookError, match="drop_incomplete=True"):
        agreement.icc(data, "target", "judge", "score")
    table = agreement.icc(data, "target", "judge", "score", drop_incomplete=True)
    assert (table["n_targets"] == 5).all()
    with pytest.raises(WorkbookError, match="more than one rating"):
        agreement.icc(pd.concat([_long(SHROUT_FLEISS)] * 2), "target", "judge", "score")
    with pytest.raises(WorkbookError, match="not in the data"):
        agreement.icc(_long(SHROUT_FLEISS), "target", "rater", "score")


# --- Kendall's W ---------------------------------------------------------------------------------


def test_kendalls_w_on_shrout_fleiss_judges():
    # The Shrout & Fleiss matrix read as 4 judges ranking 6 targets: each judge's scores ranked
    # across targets (judge 1 ties two 6s). W = .887 with the tie correction, .855 without.
    ranks = SHROUT_FLEISS.T  # raters x items
    corrected = agreement.kendalls_w(ranks)
    assert round(corrected.estimate, 3) == 0.887
    assert corrected.n == 4 and corrected.df == 5
    assert corrected.statistic == pytest.approx(4 * 5 * corrected.estimate)
    assert round(corrected.p_value, 4) == 0.0033
    assert corrected.interpretation == "strong" and corrected.interpretation_source == "Schmidt (1997)"
    uncorrected = agreement.kendalls_w(ranks, correct_ties=False)
    assert round(uncorrected.estimate, 3) == 0.855
    # The mean ranks: target 5 is every judge's top score (rank 6).
    assert corrected.details["mean_ranks"].index[-1] == 5


def test_kendalls_w_hand_example_and_errors():
    # Three raters, three items: rank sums 3, 7, 8 (mean 6), S = 9 + 1 + 4 = 14,
    # W = 12 S / (m^2 (n^3 - n)) = 168 / 216 = 0.7778 (no ties, so both versions agree).
    ranks = [[1, 2, 3], [1, 3, 2], [1, 2, 3]]
    assert agreement.kendalls_w(ranks).estimate == pytest.approx(168 / 216)
    assert agreement.kendalls_w(ranks, correct_ties=False).estimate == pytest.approx(168 / 216)
    with pytest.raises(WorkbookError, match="missing"):
        agreement.kendalls_w([[1, 2, NA], [1, 2, 3]])
    with pytest.raises(WorkbookError, match="at least two raters"):
        agreement.kendalls_w([[1, 2, 3]])
    with pytest.raises(WorkbookError, match="same rank"):
        agreement.kendalls_w([[2, 2, 2], [1, 1, 1]])
    # one rater tying every item is defined with the tie correction, as R's friedman.test computes it
    from scipy import stats

    tied = np.array([[2, 2, 2], [1, 2, 3], [1, 3, 2]])
    chi2 = stats.friedmanchisquare(*tied.T).statistic
    assert agreement.kendalls_w(tied).estimate == pytest.approx(chi2 / (3 * 2))


# --- kappas --------------------------------------------------------------------------------------


def test_cohens_kappa_sas_example():
    result = agreement.cohens_kappa(SAS_TABLE)
    assert round(result.estimate, 4) == 0.4842
    assert round(result.ci[0], 4) == 0.2137 and round(result.ci[1], 4) == 0.7547
    assert round(result.details["se"], 4) == 0.1380
    assert result.n == 19
    assert result.interpretation == "moderate" and result.interpretation_source == "Landis & Koch (1977)"
    weighted = agreement.cohens_kappa(SAS_TABLE, weights="linear")
    assert round(weighted.estimate, 4) == 0.4701
    assert round(weighted.ci[0], 4) == 0.1845 and round(weighted.ci[1], 4) == 0.7558
    assert "linear" in weighted.method


def test_cohens_kappa_from_two_raters_equals_table():
    table = np.array(SAS_TABLE)
    first, second = [], []
    for i, j in np.ndindex(table.shape):
        first += [["low", "mid", "high"][i]] * table[i, j]
        second += [["low", "mid", "high"][j]] * table[i, j]
    order = ["low", "mid", "high"]
    result = agreement.cohens_kappa(first, second, categories=order, weights="linear")
    assert round(result.estimate, 4) == 0.4701
    # Without `categories` the labels sort alphabetically: right for unweighted kappa only.
    assert round(agreement.cohens_kappa(first, second).estimate, 4) == 0.4842
    # A 90% interval is narrower.
    narrow = agreement.cohens_kappa(SAS_TABLE, ci_level=0.90)
    assert narrow.ci[0] > 0.2137 and narrow.ci_level == 0.90


def test_cohens_kappa_errors():
    with pytest.raises(WorkbookError, match="square"):
        agreement.cohens_kappa([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(WorkbookError, match="counts"):
        agreement.cohens_kappa([[1.5, 2], [0, 1]])
    with pytest.raises(ParameterError, match="weights"):
        agreement.cohens_kappa(SAS_TABLE, weights="cubic")
    with pytest.raises(WorkbookError, match="different numbers"):
        agreement.cohens_kappa([1, 2, 3], [1, 2])
    with pytest.raises(WorkbookError, match="not one of the categories"):
        agreement.cohens_kappa([1, 2, 3], [1, 2, 4], categories=[1, 2, 3])


def test_fleiss_kappa_wikipedia_example():
    result = agreement.fleiss_kappa(FLEISS_WIKIPEDIA)
    assert round(result.estimate, 3) == 0.210
    assert result.n == 10 and result.details["raters_per_subject"] == 14
    assert result.interpretation == "fair"
    boot = agreement.fleiss_kappa(FLEISS_WIKIPEDIA, n_boot=200, seed=3)
    assert boot.ci == agreement.fleiss_kappa(FLEISS_WIKIPEDIA, n_boot=200, seed=3).ci
    assert boot.ci[0] < boot.estimate < boot.ci[1]


def test_fleiss_kappa_errors():
    with pytest.raises(WorkbookError, match="same number"):
        agreement.fleiss_kappa([[3, 0], [1, 1]])
    with pytest.raises(WorkbookError, match="whole numbers"):
        agreement.fleiss_kappa([[2.5, 0.5], [1, 2]])


# --- within-group agreement ----------------------------------------------------------------------


def test_rwg_worked_example():
    # Ratings 4, 4, 5, 4, 3 on a 5-point scale: s^2 = 0.5, sigma^2_EU = (25 - 1) / 12 = 2,
    # r_wg = 1 - 0.5 / 2 = .75 (James, Demaree & Wolf 1984 formula).
    result = agreement.rwg([4, 4, 5, 4, 3], n_options=5)
    assert result.estimate == pytest.approx(0.75)
    assert result.n == 5
    assert result.interpretation == "strong agreement"
    assert result.interpretation_source == "LeBreton & Senter (2008)"


def test_rwg_truncates_and_validates():
    # 1, 5, 1, 5: s^2 = 16/3 > 2, more spread than random answering -> truncated to 0.
    result = agreement.rwg([1, 5, 1, 5], n_options=5)
    assert result.estimate == 0 and result.details["untruncated"] == pytest.approx(1 - (16 / 3) / 2)
    assert agreement.rwg([4, 4, NA, 4], n_options=5).n == 3
    with pytest.raises(WorkbookError, match="wider than a 3-point"):
        agreement.rwg([1, 5], n_options=3)
    with pytest.raises(ParameterError, match="n_options"):
        agreement.rwg([1, 2], n_options=1)
    with pytest.raises(WorkbookError, match="at least two"):
        agreement.rwg([3], n_options=5)
    with pytest.raises(WorkbookError, match="numeric"):
        agreement.rwg(["agree", "agree"], n_options=5)


def test_rwg_j_by_hand():
    # Two items, four members: each item has ratings {4, 4, 5, 4}, variance 0.25.
    # Mean variance / sigma^2_EU = 0.25 / 2 = 0.125; r_wg(2) = 2(0.875) / (2(0.875) + 0.125) = 0.9333.
    items = pd.DataFrame({"q1": [4, 4, 5, 4], "q2": [4, 5, 4, 4]})
    result = agreement.rwg_j(items, n_options=5)
    assert result.estimate == pytest.approx(1.75 / 1.875)
    assert result.details["item_variances"].to_dict() == {"q1": 0.25, "q2": 0.25}
    assert result.n == 4
    # Mean variance above the null -> 0.
    assert agreement.rwg_j([[1, 5], [5, 1], [1, 5]], n_options=5).estimate == 0


@pytest.mark.filterwarnings("ignore:.*inplace keyword:DeprecationWarning")
def test_icc_aggregation_by_hand_balanced():
    # Teams a: 1, 2, 3; b: 3, 4, 5; c: 5, 6, 7. Means 2, 4, 6, grand mean 4.
    # SSB = 3 (4 + 0 + 4) = 24 on 2 df -> MSB = 12; SSW = 2 + 2 + 2 = 6 on 6 df -> MSW = 1; k = 3.
    # ICC(1) = (12 - 1) / (12 + 2 x 1) = 11/14; ICC(2) = (12 - 1) / 12 = 11/12; F = 12 on (2, 6).
    data = pd.DataFrame({"team": list("aaabbbccc"), "score": [1, 2, 3, 3, 4, 5, 5, 6, 7]})
    icc1, icc2 = agreement.icc_aggregation(data, "team", "score")
    assert icc1.estimate == pytest.approx(11 / 14)
    assert icc2.estimate == pytest.approx(11 / 12)
    assert icc1.statistic == pytest.approx(12) and icc1.df == (2, 6)
    assert icc1.interpretation == "large"
    # Balanced groups: the same as pingouin's one-way ICC(1,1) and ICC(1,k), CIs included.
    data["member"] = [0, 1, 2, 1, 2, 0, 2, 0, 1]  # position within team: irrelevant to a one-way ICC
    pg_table = pg.intraclass_corr(data, "team", "member", "score").set_index("Type")
    assert icc1.estimate == pytest.approx(pg_table.at["ICC(1,1)", "ICC"])
    assert icc2.estimate == pytest.approx(pg_table.at["ICC(1,k)", "ICC"])
    assert icc1.ci == pytest.approx(tuple(pg_table.at["ICC(1,1)", "CI95"]), abs=0.005)
    assert icc2.ci == pytest.approx(tuple(pg_table.at["ICC(1,k)", "CI95"]), abs=0.005)


def test_icc_aggregation_by_hand_unbalanced():
    # a: 2, 4 (mean 3); b: 5, 6, 7 (mean 6); N = 5, grand mean 4.8, mean group size k = 2.5.
    # SSB = 2(1.8^2) + 3(1.2^2) = 10.8 on 1 df; SSW = 2 + 2 = 4 on 3 df -> MSW = 4/3.
    # ICC(1) = (10.8 - 4/3) / (10.8 + 1.5 x 4/3) = 9.4667 / 12.8; ICC(2) = 9.4667 / 10.8.
    data = pd.DataFrame({"g": list("aabbb"), "y": [2, 4, 5, 6, 7]})
    result = agreement.icc_aggregation(data, "g", "y")
    assert result.icc1.estimate == pytest.approx((10.8 - 4 / 3) / 12.8)
    assert result.icc2.estimate == pytest.approx((10.8 - 4 / 3) / 10.8)
    assert result.icc1.details["balanced"] is False
    with pytest.raises(WorkbookError, match="at least two members"):
        agreement.icc_aggregation(pd.DataFrame({"g": list("aab"), "y": [1, 2, 3]}), "g", "y")


def test_every_banded_result_carries_its_band_source_in_full():
    """The band sources' full references travel with the Results banded by them."""
    kappa = agreement.cohens_kappa([[20, 5], [3, 12]])
    fleiss = agreement.fleiss_kappa([[3, 0], [0, 3], [2, 1], [3, 0]])
    assert kappa.reference.endswith("bands: " + agreement.LANDIS_KOCH)
    assert fleiss.reference.startswith("Fleiss (1971)") and agreement.LANDIS_KOCH in fleiss.reference
    assert agreement.LEBRETON in agreement.rwg([4, 4, 5, 4, 3], 5).reference
    assert agreement.LEBRETON in agreement.rwg_j([[4, 4], [4, 5], [5, 4], [4, 4]], 5).reference
    teams = pd.DataFrame({"team": list("aaabbbccc"), "score": [1, 2, 3, 3, 4, 5, 5, 6, 7]})
    icc1, icc2 = agreement.icc_aggregation(teams, "team", "score")
    assert agreement.LEBRETON in icc1.reference and "Bliese (2000)" in icc1.reference
    assert icc2.reference.startswith("Bliese (2000)") and "bands" not in icc2.reference  # ICC(2) has no band
    assert agreement.SCHMIDT in agreement.kendalls_w([[1, 2, 3], [1, 3, 2], [1, 2, 3]]).reference
    alpha = agreement.krippendorff_alpha([[1, 2, 3, 3, 2], [1, 2, 3, 3, 1]], level="nominal")
    assert agreement.KRIPPENDORFF_2004 in alpha.reference
    wide = pd.DataFrame({"J1": [9, 6, 8, 7, 10, 6], "J2": [2, 1, 4, 1, 5, 2], "J3": [5, 3, 6, 2, 6, 4]})
    long = wide.rename_axis("target").reset_index().melt("target", var_name="judge")
    assert agreement.KOO_LI in agreement.icc(long, "target", "judge", "value").attrs["reference"]
