"""Proportional-odds regression against the Copenhagen housing worked example."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.errors import ParameterError, WorkbookError
from helpers.stats.ordinal import ordinal_logit

HOUSING = Path(__file__).parent / "fixtures" / "copenhagen_housing.csv"
LEVELS = {
    "Sat": ["Low", "Medium", "High"],
    "Infl": ["Low", "Medium", "High"],
    "Type": ["Tower", "Apartment", "Atrium", "Terrace"],
    "Cont": ["Low", "High"],
}


@pytest.fixture(scope="module")
def housing_fit():
    data = pd.read_csv(HOUSING)
    return ordinal_logit(data, "Sat", ["Infl", "Type", "Cont"], weights="Freq", levels=LEVELS)


def test_copenhagen_housing_venables_ripley(housing_fit):
    # Madsen (1976) Copenhagen housing survey; Venables & Ripley (2002), Modern Applied Statistics
    # with S, 4th ed., section 7.3: polr(Sat ~ Infl + Type + Cont, weights = Freq) gives
    # InflMedium 0.5664 (SE 0.1047), InflHigh 1.2888 (0.1272), TypeApartment -0.5724 (0.1192),
    # TypeAtrium -0.3662 (0.1552), TypeTerrace -1.0910 (0.1515), ContHigh 0.3603 (0.0955);
    # intercepts Low|Medium -0.4961 (0.1248), Medium|High 0.6907 (0.1255).
    table = housing_fit.set_index("term")
    expected = {
        "Infl[Medium]": 0.566,
        "Infl[High]": 1.289,
        "Type[Apartment]": -0.572,
        "Type[Atrium]": -0.366,
        "Type[Terrace]": -1.091,
        "Cont[High]": 0.360,
        "Low|Medium": -0.496,
        "Medium|High": 0.691,
    }
    assert table["estimate"].round(3).to_dict() == expected
    expected_se = {
        "Infl[Medium]": 0.1047,
        "Infl[High]": 0.1272,
        "Type[Apartment]": 0.1192,
        "Type[Atrium]": 0.1552,
        "Type[Terrace]": 0.1515,
        "Cont[High]": 0.0955,
        "Low|Medium": 0.1248,
        "Medium|High": 0.1255,
    }
    assert table["se"].round(4).to_dict() == expected_se


def test_table_shape_and_odds_ratios(housing_fit):
    assert list(housing_fit.columns) == [
        "term",
        "kind",
        "estimate",
        "se",
        "z",
        "p",
        "ci_low",
        "ci_high",
        "odds_ratio",
        "or_ci_low",
        "or_ci_high",
    ]
    assert housing_fit["kind"].tolist() == ["coefficient"] * 6 + ["cut-point"] * 2
    coef = housing_fit[housing_fit.kind == "coefficient"]
    assert np.allclose(coef["odds_ratio"], np.exp(coef["estimate"]))
    assert np.allclose(coef["or_ci_low"], np.exp(coef["estimate"] - 1.959964 * coef["se"]))
    assert housing_fit.loc[housing_fit.kind == "cut-point", "odds_ratio"].isna().all()
    # Cut-points on the usual scale are increasing.
    cuts = housing_fit.loc[housing_fit.kind == "cut-point", "estimate"].to_numpy()
    assert (np.diff(cuts) > 0).all()
    attrs = housing_fit.attrs
    assert attrs["n"] == 1681 and attrs["n_rows"] == 72
    assert attrs["outcome_levels"] == ["Low", "Medium", "High"]
    assert attrs["converged"] and attrs["warnings"] == []
    # polr's residual deviance for this model is 3479.149 (Venables & Ripley): -2 logL.
    assert round(-2 * attrs["log_likelihood"], 2) == 3479.15
    assert "rows repeated" in attrs["weights"]


def test_expanded_rows_equal_weights():
    data = pd.read_csv(HOUSING)
    expanded = data.loc[data.index.repeat(data.Freq)].drop(columns="Freq")
    weighted = ordinal_logit(data, "Sat", ["Infl", "Cont"], weights="Freq", levels=LEVELS)
    plain = ordinal_logit(expanded, "Sat", ["Infl", "Cont"], levels=LEVELS)
    pd.testing.assert_frame_equal(weighted, plain, check_exact=False, atol=1e-4)


def test_reference_level_and_numeric_predictor():
    data = pd.read_csv(HOUSING)
    levels = dict(LEVELS, Infl=["High", "Medium", "Low"])
    table = ordinal_logit(data, "Sat", ["Infl"], weights="Freq", levels=levels).set_index("term")
    assert list(table.index[:2]) == ["Infl[Medium]", "Infl[Low]"]
    assert table.at["Infl[Low]", "estimate"] < 0
    data["contact"] = (data["Cont"] == "High").astype(int)
    numeric = ordinal_logit(data, "Sat", ["contact"], weights="Freq", levels=LEVELS).set_index("term")
    as_factor = ordinal_logit(data, "Sat", ["Cont"], weights="Freq", levels=LEVELS).set_index("term")
    assert numeric.at["contact", "estimate"] == pytest.approx(as_factor.at["Cont[High]", "estimate"], abs=1e-4)


def test_ordinal_errors():
    data = pd.read_csv(HOUSING)
    with pytest.raises(ParameterError, match="order of the answers"):
        ordinal_logit(data, "Sat", ["Infl"], weights="Freq")
    with pytest.raises(WorkbookError, match="not in levels"):
        ordinal_logit(data, "Sat", ["Infl"], weights="Freq", levels={"Sat": ["Low", "High"]})
    with pytest.raises(WorkbookError, match="not in the data"):
        ordinal_logit(data, "Sat", ["Influence"], levels=LEVELS)
    with pytest.raises(WorkbookError, match="whole numbers"):
        ordinal_logit(data.assign(Freq=data.Freq / 2), "Sat", ["Infl"], weights="Freq", levels=LEVELS)
    with pytest.raises(WorkbookError, match="no respondents"):
        ordinal_logit(
            data, "Sat", ["Infl"], weights="Freq", levels=dict(LEVELS, Infl=["Low", "Medium", "High", "Huge"])
        )
    with pytest.raises(WorkbookError, match="redundant"):
        ordinal_logit(data.assign(Cont2=data.Cont), "Sat", ["Cont", "Cont2"], weights="Freq", levels=LEVELS)
    separated = pd.DataFrame(
        {
            "answer": ["low", "mid", "high", "mid", "high", "low", "mid", "low"],
            "team": ["a", "a", "b", "b", "b", "a", "b", "a"],
        }
    )
    with pytest.raises(WorkbookError, match="separates"):
        ordinal_logit(separated, "answer", ["team"], levels={"answer": ["low", "mid", "high"]})
