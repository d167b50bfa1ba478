"""Moderation and the condition test, against a published example and hand-derived cases."""

import io

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.errors import InputError
from helpers.stats import moderation as mo

# Motor Trend (1974) cars, as R's `mtcars` (Henderson & Velleman, 1981): name, mpg, wt, gear.
MTCARS = pd.read_csv(
    io.StringIO("""car,mpg,wt,gear
Mazda RX4,21,2.62,4
Mazda RX4 Wag,21,2.875,4
Datsun 710,22.8,2.32,4
Hornet 4 Drive,21.4,3.215,3
Hornet Sportabout,18.7,3.44,3
Valiant,18.1,3.46,3
Duster 360,14.3,3.57,3
Merc 240D,24.4,3.19,4
Merc 230,22.8,3.15,4
Merc 280,19.2,3.44,4
Merc 280C,17.8,3.44,4
Merc 450SE,16.4,4.07,3
Merc 450SL,17.3,3.73,3
Merc 450SLC,15.2,3.78,3
Cadillac Fleetwood,10.4,5.25,3
Lincoln Continental,10.4,5.424,3
Chrysler Imperial,14.7,5.345,3
Fiat 128,32.4,2.2,4
Honda Civic,30.4,1.615,4
Toyota Corolla,33.9,1.835,4
Toyota Corona,21.5,2.465,3
Dodge Challenger,15.5,3.52,3
AMC Javelin,15.2,3.435,3
Camaro Z28,13.3,3.84,3
Pontiac Firebird,19.2,3.845,3
Fiat X1-9,27.3,1.935,4
Porsche 914-2,26,2.14,5
Lotus Europa,30.4,1.513,5
Ford Pantera L,15.8,3.17,5
Ferrari Dino,19.7,2.77,5
Maserati Bora,15,3.57,5
Volvo 142E,21.4,2.78,4
""")
)

# 2 x 2 design, two answers per cell at cell mean -1 and +1: cell means (x, m) -> 1, 3, 4, 8.
HAND = pd.DataFrame({"x": [0, 0, 1, 1, 0, 0, 1, 1], "m": [0, 0, 0, 0, 1, 1, 1, 1], "y": [0, 2, 2, 4, 3, 5, 7, 9]})


def test_simple_slopes_match_rempsyc_nice_slopes_on_mtcars():
    # rempsyc (Thériault, 2023) tests/testthat/_snaps/nice_slopes.md:
    # nice_slopes(data = mtcars, response = "mpg", predictor = "gear", moderator = "wt") prints, for
    # gear at LOW-wt / MEAN-wt / HIGH-wt (moderator at -1 SD, mean, +1 SD): df 28,
    # B (standardised) 0.14841920 / -0.08718042 / -0.32278004, t 1.0767040 / -0.7982999 / -1.9035367,
    # p 0.29080233 / 0.43141565 / 0.06729622.
    r = mo.moderation(MTCARS, "mpg", "gear", "wt")
    slopes = r.details["simple_slopes"]
    assert slopes["level"].tolist() == ["-1 SD", "mean", "+1 SD"]
    assert r.df == 28
    assert slopes["t"].round(7).tolist() == [1.0767040, -0.7982999, -1.9035367]
    assert slopes["p"].round(8).tolist() == [0.29080233, 0.43141565, 0.06729622]
    standardised = slopes["slope"] * MTCARS["gear"].std() / MTCARS["mpg"].std()
    assert standardised.round(8).tolist() == [0.14841920, -0.08718042, -0.32278004]


def test_hand_derived_two_by_two():
    r = mo.moderation(HAND, "y", "x", "m")
    # raw slopes of x: 3 - 1 = 2 at m = 0 and 8 - 4 = 4 at m = 1, so b3 = 2; centred b1 = 3 (at m = 0.5)
    assert r.estimate == pytest.approx(2.0)
    coef = r.details["coefficients"].set_index("term")
    assert coef.loc["x (centred)", "b"] == pytest.approx(3.0)
    # residuals are all +-1: SSE = 8 on 8 - 4 = 4 df, sigma² = 2; Var(b3) = sigma² * 4 * (1/2) = 4
    assert coef.loc["x × m", "se"] == pytest.approx(2.0)
    assert r.statistic == pytest.approx(1.0)
    assert r.df == 4
    # simple slope = b1 + b3 * m_c, with SD(m) = sqrt(2/7); at raw m = t its variance is sigma² ((1-t)² + t²)
    sd = np.sqrt(2 / 7)
    slopes = r.details["simple_slopes"]
    for (_, row), k in zip(slopes.iterrows(), (-1, 0, 1), strict=True):
        t_raw = 0.5 + k * sd
        assert row["slope"] == pytest.approx(3 + 2 * k * sd)
        assert row["slope"] == pytest.approx(2 + 2 * t_raw)  # the slope at raw m: 2 + 2m
        assert row["se"] == pytest.approx(np.sqrt(2 * ((1 - t_raw) ** 2 + t_raw**2)))
        assert row["p"] == pytest.approx(2 * stats.t.sf(abs(row["slope"] / row["se"]), 4))
    # R² added by the interaction: its contrast L = 8 - 3 - 4 + 1 = 2 has SS = n L² / sum(c²) = 2*4/4 = 2
    sst = ((HAND["y"] - HAND["y"].mean()) ** 2).sum()
    assert r.details["delta_r2"] == pytest.approx(2 / sst)
    assert r.details["r2"] == pytest.approx(1 - 8 / sst)


def test_predicted_lines_follow_the_model():
    r = mo.moderation(HAND, "y", "x", "m", grid=3)
    lines = r.details["lines"]
    assert lines["level"].tolist() == ["-1 SD"] * 3 + ["mean"] * 3 + ["+1 SD"] * 3
    at_mean = lines[lines["level"] == "mean"]
    # at the mean of m the line runs from the mean of the x = 0 cells (2.5) to the x = 1 cells (5.5)
    assert at_mean["predicted"].tolist() == pytest.approx([2.5, 4.0, 5.5])
    assert (lines["ci_low"] < lines["predicted"]).all() and (lines["predicted"] < lines["ci_high"]).all()


def test_covariates_are_centred_and_reported():
    df = HAND.assign(z=[1.0, 3.0, 2.0, 2.0, 5.0, 1.0, 2.0, 4.0])
    r = mo.moderation(df, "y", "x", "m", covariates=["z"])
    assert "z (centred)" in r.details["coefficients"]["term"].tolist()
    assert r.df == 3


def test_simple_slopes_table_is_reader_ready():
    table = mo.simple_slopes_table(mo.moderation(HAND, "y", "x", "m"))
    assert table.columns.tolist() == ["m at", "m value", "slope", "SE", "95% CI", "t", "p"]
    assert table.loc[1, "95% CI"] == "[0.224, 5.776]"
    assert table.loc[1, "p"] == ".040"


def test_condition_test_hand_derived():
    # Where the condition is met y = 2x (+-1 noise), where not y = 0x (+-1): slopes 2 and 0.
    x = np.array([1, 1, 2, 2, 3, 3, 4, 4], dtype=float)
    noise = np.array([-1, 1, 1, -1, -1, 1, 1, -1], dtype=float)
    df = pd.DataFrame(
        {"x": np.concatenate([x, x]), "bc": [1.0] * 8 + [5.0] * 8, "y": np.concatenate([3 + noise, 2 * x + noise])}
    )
    r = mo.condition_test(df, "y", "x", "bc", threshold=3)
    slopes = r.details["slopes"].set_index("condition")
    assert slopes.loc["not met", "slope"] == pytest.approx(0.0, abs=1e-12)
    assert slopes.loc["met", "slope"] == pytest.approx(2.0)
    assert r.estimate == pytest.approx(2.0)
    assert (r.details["n_met"], r.details["n_not_met"]) == (8, 8)
    # pooled residual variance 16 / 12; Var(slope) per group = sigma² / Sxx, Sxx = 10
    assert slopes.loc["met", "se"] == pytest.approx(np.sqrt(16 / 12 / 10))
    assert r.details["at_high_x"].set_index("condition").loc["not met", "predicted"] == pytest.approx(3.0)
    high = r.details["at_high_x"].set_index("condition").loc["met", "predicted"]
    assert high == pytest.approx(2 * (2.5 + np.sqrt(20 / 15)))  # mean x + 1 SD of x (n - 1)


def test_condition_test_needs_both_sides():
    with pytest.raises(InputError, match="each side needs at least two"):
        mo.condition_test(HAND, "y", "x", "m", threshold=5)


def test_missing_columns_and_constant_predictors_are_explained():
    with pytest.raises(InputError, match="no column 'w'"):
        mo.moderation(HAND, "y", "x", "w")
    with pytest.raises(InputError, match="same value for everyone"):
        mo.moderation(HAND.assign(m=1), "y", "x", "m")


def test_condition_sensitivity_lists_each_usable_threshold():
    x = np.array([1, 1, 2, 2, 3, 3, 4, 4], dtype=float)
    noise = np.array([-1, 1, 1, -1, -1, 1, 1, -1], dtype=float)
    df = pd.DataFrame(
        {"x": np.concatenate([x, x]), "bc": [1.0] * 8 + [5.0] * 8, "y": np.concatenate([3 + noise, 2 * x + noise])}
    )
    table = mo.condition_sensitivity(df, "y", "x", "bc", thresholds=[0.5, 3, 6])
    assert table["threshold"].tolist() == [3]  # 0.5 and 6 leave one side empty
    assert table.loc[0, "slope if met"].startswith("2.00 [")
    assert table.loc[0, "slope if not met"].startswith(("0.00 [", "-0.00 ["))


def test_condition_test_with_a_covariate_holds_it_constant():
    rng = np.random.default_rng(0)
    z = rng.normal(size=200)
    x = 0.6 * z + rng.normal(size=200)
    met = np.repeat([0.0, 1.0], 100)
    y = 1.0 * z + 0.5 * x * met + rng.normal(scale=0.1, size=200)
    df = pd.DataFrame({"y": y, "x": x, "bc": met * 4 + 1, "z": z})
    adjusted = mo.condition_test(df, "y", "x", "bc", threshold=3, covariates=["z"]).details["slopes"]
    assert adjusted.set_index("condition").loc["not met", "slope"] == pytest.approx(0.0, abs=0.05)
    naive = mo.condition_test(df, "y", "x", "bc", threshold=3).details["slopes"]
    assert naive.set_index("condition").loc["not met", "slope"] > 0.2  # z's effect leaks into x without it
