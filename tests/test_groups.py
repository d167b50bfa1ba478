"""Group differences, checked against published worked examples and hand-derived cases."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.errors import InputError
from helpers.stats import groups

# Hollander & Wolfe (1973, p. 116): the example of R's ?kruskal.test, whose documented output is
# "Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68".
HW = pd.DataFrame(
    {
        "y": [2.9, 3.0, 2.5, 2.6, 3.2, 3.8, 2.7, 4.0, 2.4, 2.8, 3.4, 3.7, 2.2, 2.0],
        "g": ["x"] * 5 + ["y"] * 4 + ["z"] * 5,
    }
)

# Montgomery & Runger, Applied Statistics and Probability for Engineers, Example 13-1 (tensile strength
# of paper at four hardwood concentrations) and its Minitab output (Table S13-2): SS 382.79 / 130.17,
# MS 127.60 / 6.51, F = 19.61, p = 0.000; Tukey intervals with "Critical value 3.96".
PAPER = pd.DataFrame(
    {
        "strength": [7, 8, 15, 11, 9, 10, 12, 17, 13, 18, 19, 15, 14, 18, 19, 17, 16, 18, 19, 25, 22, 23, 18, 20],
        "conc": ["05%"] * 6 + ["10%"] * 6 + ["15%"] * 6 + ["20%"] * 6,
    }
)


def test_kruskal_wallis_matches_r_documented_example():
    r = groups.kruskal_wallis(HW, "y", "g", n_boot=0)
    assert round(r.statistic, 5) == 0.77143
    assert r.df == 2
    assert round(r.p_value, 2) == 0.68
    assert r.n == 14
    # epsilon-squared = H / (n - 1), Tomczak & Tomczak (2014)
    assert r.estimate == pytest.approx(0.7714285714 / 13, rel=1e-9)
    assert r.ci is None
    assert r.details["groups"]["mean_rank"].round(2).tolist() == [7.2, 9.0, 6.6]


def test_kruskal_wallis_bootstrap_ci_is_seeded_and_sensible():
    a = groups.kruskal_wallis(HW, "y", "g", n_boot=500, seed=3)
    b = groups.kruskal_wallis(HW, "y", "g", n_boot=500, seed=3)
    c = groups.kruskal_wallis(HW, "y", "g", n_boot=500, seed=4)
    assert a.ci == b.ci
    assert a.ci != c.ci
    assert 0 <= a.ci[0] <= a.ci[1] <= 1


def test_kruskal_wallis_respects_the_order_given():
    r = groups.kruskal_wallis(HW, "y", "g", order=["z", "y", "x"], n_boot=0)
    assert r.details["groups"]["g"].tolist() == ["z", "y", "x"]
    assert round(r.statistic, 5) == 0.77143


def test_kruskal_wallis_large_effect_is_banded_large():
    df = pd.DataFrame({"y": list(range(1, 16)), "g": ["a"] * 5 + ["b"] * 5 + ["c"] * 5})
    r = groups.kruskal_wallis(df, "y", "g", n_boot=0)
    # perfectly separated groups: H = 12.5, epsilon² = 12.5 / 14
    assert r.statistic == pytest.approx(12.5)
    assert r.estimate == pytest.approx(12.5 / 14)
    assert r.interpretation == "large"


def test_identical_values_and_single_group_are_explained():
    with pytest.raises(InputError, match="the same"):
        groups.kruskal_wallis(pd.DataFrame({"y": [3] * 6, "g": list("aaabbb")}), "y", "g")
    with pytest.raises(InputError, match="at least two groups"):
        groups.kruskal_wallis(pd.DataFrame({"y": [1, 2, 3], "g": list("aaa")}), "y", "g")
    with pytest.raises(InputError, match="no column 'level'"):
        groups.kruskal_wallis(HW, "y", "level")


def test_pairwise_mann_whitney_exact_p_and_holm_by_hand():
    df = pd.DataFrame(
        {"y": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2.5, 3.5, 5.5, 7.5, 11], "g": ["A"] * 5 + ["B"] * 5 + ["C"] * 5}
    )
    t = groups.pairwise_mann_whitney(df, "y", "g")
    # exact null distribution of U for n = m = 5 has 252 equally likely arrangements:
    # U = 0 -> P(U <= 0) = 1/252; U = 5 -> 19/252; U = 7 (B vs C, U_C = 25 - 18) -> 39/252.
    assert t["U"].tolist() == [0.0, 5.0, 18.0]
    assert t["p_unc"].tolist() == pytest.approx([2 / 252, 38 / 252, 78 / 252])
    # Holm: 3p(1), max(that, 2p(2)), max(that, p(3))
    assert t["p_adj"].tolist() == pytest.approx([6 / 252, 76 / 252, 78 / 252])
    # rank-biserial = 1 - 2U/(n_A n_B) with U counted for A
    assert t["rank_biserial"].tolist() == pytest.approx([-1.0, -0.6, 0.44])


def test_one_way_anova_matches_montgomery_minitab_output():
    r = groups.one_way_anova(PAPER, "strength", "conc")
    table = r.details["anova"]
    assert table["SS"].round(2).tolist() == [382.79, 130.17]
    assert table["MS"].round(2).tolist() == [127.60, 6.51]
    assert table["df"].tolist() == [3, 20]
    assert round(r.statistic, 2) == 19.61
    assert f"{r.p_value:.3f}" == "0.000"
    assert r.df == (3, 20)
    assert r.estimate == pytest.approx(382.791667 / 512.958333, rel=1e-6)
    # omega² = (SS_b - df_b MS_w) / (SS_t + MS_w), by hand
    ms_w = 130.166667 / 20
    assert r.details["omega_squared"] == pytest.approx((382.791667 - 3 * ms_w) / (512.958333 + ms_w), rel=1e-6)
    assert r.interpretation == "large"


def test_tukey_reproduces_minitab_intervals_with_its_printed_critical_value():
    t = groups.tukey_hsd(PAPER, "strength", "conc")
    assert t[["A", "B"]].values.tolist() == [
        ["05%", "10%"],
        ["05%", "15%"],
        ["05%", "20%"],
        ["10%", "15%"],
        ["10%", "20%"],
        ["15%", "20%"],
    ]
    # Minitab computed its intervals with the studentised range rounded to 3.96 (its "Critical value");
    # rescaling our exact half-widths to that q must give Minitab's printed limits to 3 decimals.
    q_exact = stats.studentized_range.ppf(0.95, 4, 20)
    half = (t["ci_high"] - t["ci_low"]) / 2 * 3.96 / q_exact
    low, high = (t["diff"] - half).round(3).tolist(), (t["diff"] + half).round(3).tolist()
    assert low == [-9.791, -11.124, -15.291, -5.458, -9.624, -8.291]
    assert high == [-1.542, -2.876, -7.042, 2.791, -1.376, -0.042]


def test_tukey_matches_nist_handbook_example():
    # NIST/SEMATECH e-Handbook of Statistical Methods, 7.4.7.1 (Tukey's method), 95% intervals:
    # mu2-mu1 (0.29, 4.47), mu3-mu1 (1.13, 5.31), mu1-mu4 (-2.25, 1.93), mu2-mu3 (-2.93, 1.25),
    # mu2-mu4 (0.13, 4.31), mu3-mu4 (0.97, 5.15).
    values = [6.9, 5.4, 5.8, 4.6, 4.0, 8.3, 6.8, 7.8, 9.2, 6.5, 8.0, 10.5, 8.1, 6.9, 9.3, 5.8, 3.8, 6.1, 5.6, 6.2]
    df = pd.DataFrame({"y": values, "g": np.repeat(["1", "2", "3", "4"], 5)})
    t = groups.tukey_hsd(df, "y", "g").set_index(["A", "B"])

    def interval(a, b):
        if (a, b) in t.index:
            row = t.loc[(a, b)]
            return round(row["ci_low"], 2), round(row["ci_high"], 2)
        row = t.loc[(b, a)]
        return round(-row["ci_high"], 2), round(-row["ci_low"], 2)

    assert interval("2", "1") == (0.29, 4.47)
    assert interval("3", "1") == (1.13, 5.31)
    assert interval("1", "4") == (-2.25, 1.93)
    assert interval("2", "3") == (-2.93, 1.25)
    assert interval("2", "4") == (0.13, 4.31)
    assert interval("3", "4") == (0.97, 5.15)


def test_eta_squared_ci_matches_stata_esizei():
    # Stata 14 `esizei 2 40 7.47403193349075, level(90)`: eta² = .2720399, 90% CI [.0742092, .4156117]
    # (reference values recorded in statsmodels' test suite). Build 43 answers in 3 groups with that F.
    rng = np.random.default_rng(1)
    noise = rng.normal(size=43)
    labels = np.repeat(["a", "b", "c"], [14, 14, 15])
    noise -= pd.Series(noise).groupby(labels).transform("mean").to_numpy()  # pure within-group noise
    offsets = pd.Series(labels).map({"a": -1.0, "b": 0.2, "c": 0.8}).to_numpy()
    f0 = groups.one_way_anova(pd.DataFrame({"y": offsets + noise, "g": labels}), "y", "g").statistic
    scale = np.sqrt(7.47403193349075 / f0)
    df = pd.DataFrame({"y": scale * offsets + noise, "g": labels})
    r = groups.one_way_anova(df, "y", "g", ci_level=0.90)
    assert r.statistic == pytest.approx(7.47403193349075, rel=1e-9)
    assert r.estimate == pytest.approx(0.2720398648288652, rel=1e-9)
    assert r.ci == pytest.approx((0.0742092468714613, 0.4156116886974804), rel=1e-4)


def test_describe_groups_suppresses_small_groups():
    df = pd.DataFrame({"y": [1, 2, 3, 4, 5, 6, 9, 9, 8, 8, 8], "g": ["big"] * 6 + ["tiny"] * 2 + ["wee"] * 3})
    table = groups.describe_groups(df, "y", "g", min_group_size=5)
    assert table["n"].tolist() == ["6", "< 5", "< 5"]  # tiny and wee pool 5 people: nothing else hidden
    assert table.loc[0, "mean"] == 3.5
    assert table.loc[1, ["mean", "sd", "median"]].isna().all()
    # alone, tiny would be the total minus big: big is hidden with it
    alone = groups.describe_groups(df[df["g"] != "wee"], "y", "g", min_group_size=5)
    assert alone["n"].tolist() == ["hidden", "< 5"] and alone["mean"].isna().all()
    kept = groups.large_groups(df, "g", 5)
    assert kept["g"].unique().tolist() == ["big"]
