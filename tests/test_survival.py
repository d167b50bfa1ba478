"""Kaplan-Meier, log-rank and Cox against hand calculations and a published worked example.

The published example is the Gehan (1965) / Freireich et al. (1963) leukaemia remission data,
the data set of Cox's (1972) paper: remission in weeks for 21 patients on 6-MP and 21 on placebo.
Reference output: G. Rodriguez, *Survival Analysis* (Princeton), "Cox Proportional Hazards with Two
Groups", https://grodri.github.io/survival/cox (Stata ``stcox treated``, Breslow ties: HR .2210887,
95% CI .0990706 to .4933877, log likelihood -86.379622, LR chi2(1) = 15.21; R ``coxph`` with its
default Efron ties: coef -1.572, se 0.412) and "The Gehan Survival Data",
https://grodri.github.io/survival/gehan (log-rank chi2(1) = 16.79).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError, ParameterError
from helpers.stats.survival import cox, kaplan_meier, logrank

# 6-MP group (a "+" in the paper marks censoring): 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23
# 25+ 32+ 32+ 34+ 35+ ; placebo: 1 1 2 2 3 4 4 5 5 8 8 8 8 11 11 12 12 15 17 22 23 (all relapsed).
SIX_MP = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIX_MP_EVENT = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PLACEBO = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]


@pytest.fixture
def gehan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "weeks": SIX_MP + PLACEBO,
            "relapse": SIX_MP_EVENT + [1] * 21,
            "treated": [1] * 21 + [0] * 21,
            "arm": ["6-MP"] * 21 + ["placebo"] * 21,
        }
    )


def test_product_limit_by_hand():
    # Eight initiatives, months to cohere (+ = censored): 1, 2, 2, 2+, 3, 4+, 5, 5.
    # t=1: 8 at risk, 1 event  -> S = 7/8                     = 0.875
    # t=2: 7 at risk, 2 events (the 2+ is still at risk at 2) -> S = 0.875 * 5/7 = 0.625
    # t=3: 4 at risk, 1 event  -> S = 0.625 * 3/4              = 0.46875
    # t=4: 3 at risk, 0 events, 1 censored -> S stays 0.46875
    # t=5: 2 at risk, 2 events -> S = 0
    # Greenwood at t=2: S^2 * (1/(8*7) + 2/(7*5)) = 0.390625 * 0.075 -> se = 0.171163
    # Median: first time S < 0.5 -> 3 months.
    data = pd.DataFrame({"months": [1, 2, 2, 2, 3, 4, 5, 5], "cohered": [1, 1, 1, 0, 1, 0, 1, 1]})
    km = kaplan_meier(data, "months", "cohered")
    table = km.survival
    assert table["time"].tolist() == [1, 2, 3, 4, 5]
    assert table["at_risk"].tolist() == [8, 7, 4, 3, 2]
    assert table["events"].tolist() == [1, 2, 1, 0, 2]
    assert table["censored"].tolist() == [0, 1, 0, 1, 0]
    assert table["survival"].tolist() == pytest.approx([0.875, 0.625, 0.46875, 0.46875, 0.0])
    assert table.loc[1, "se"] == pytest.approx(math.sqrt(0.390625 * 0.075))
    assert km.medians["all"].estimate == 3
    assert km.summary().loc[0, "median"] == "3"


def test_kaplan_meier_gehan_log_log_interval(gehan):
    # 6-MP at 6 weeks: S = 18/21 = 0.857143, Greenwood se = S*sqrt(3/(21*18)) = 0.076360.
    # log-log: v = se/(S*|log S|) = 0.076360/(0.857143*0.154151) = 0.57792;
    # log(-log S) = -1.86982 -> +-1.95996*v -> [-3.00252, -0.73712];
    # S limits exp(-exp(.)) = [0.6197, 0.9516] (Stata's `sts list` gives the same).
    km = kaplan_meier(gehan, "weeks", "relapse", group="arm")
    row = km.survival.query("group == '6-MP' and time == 6").iloc[0]
    assert row["survival"] == pytest.approx(18 / 21)
    assert row["se"] == pytest.approx(0.076360, abs=5e-7)
    assert (round(row["ci_low"], 4), round(row["ci_high"], 4)) == (0.6197, 0.9516)
    # Product limit at 23 weeks (6-MP): 18/21*16/17*14/15*11/12*10/11*6/7*5/6 = 0.448179
    assert km.survival.query("group == '6-MP' and time == 23")["survival"].item() == pytest.approx(0.448179, abs=1e-6)
    # Medians: 6-MP 23 weeks (first S < .5); placebo 8 weeks (S(8) = 8/21 = 0.381)
    assert km.medians["6-MP"].estimate == 23
    assert km.medians["placebo"].estimate == 8
    assert km.medians["6-MP"].ci[1] == math.inf  # upper limit not reached
    summary = km.summary().set_index("group")
    assert summary.loc["6-MP", "95% CI"].endswith("not reached]")
    assert summary.loc["placebo", ["n", "events", "censored"]].tolist() == [21, 21, 0]


def test_logrank_gehan_matches_published(gehan):
    result = logrank(gehan, "weeks", "relapse", "arm")
    assert round(result.statistic, 2) == 16.79
    assert result.df == 1
    assert result.p_value == pytest.approx(4.17e-5, rel=1e-2)
    oe = result.details["observed_expected"].set_index("group")
    assert oe.loc["6-MP", "observed"] == 9 and oe.loc["placebo", "observed"] == 21
    assert oe["expected"].sum() == pytest.approx(30)  # expected events add up to all events


def test_logrank_by_hand():
    # Six units, one event each at t = 1..6; group a holds t = 1, 2, 3.
    # E_a = 3/6 + 2/5 + 1/4 = 1.15 ; V = 9*5/(36*5) + 6*4/(25*4) + 3*3/(16*3) = .25 + .24 + .1875
    # chi2 = (3 - 1.15)^2 / 0.6775 = 5.0517
    data = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1] * 6, "g": list("aaabbb")})
    result = logrank(data, "t", "e", "g")
    assert result.statistic == pytest.approx(1.85**2 / 0.6775)
    assert result.details["observed_expected"].set_index("group").loc["a", "expected"] == pytest.approx(1.15)


def test_cox_breslow_matches_stata(gehan):
    model = cox(gehan, "weeks", "relapse", ["treated"], ties="breslow")
    hr = model.hazard_ratios[0]
    assert round(hr.estimate, 7) == 0.2210887
    assert (round(hr.ci[0], 7), round(hr.ci[1], 7)) == (0.0990706, 0.4933877)
    assert round(hr.estimate * hr.details["se"], 7) == 0.0905501  # Stata's Std. Err. of the HR
    assert round(model.likelihood_ratio.details["loglik"], 6) == -86.379622
    assert round(model.likelihood_ratio.statistic, 2) == 15.21
    assert model.events == 30


def test_cox_efron_matches_r(gehan):
    model = cox(gehan, "weeks", "relapse", ["treated"])
    hr = model.hazard_ratios[0]
    assert round(hr.details["coef"], 3) == -1.572
    assert round(hr.details["se"], 3) == 0.412
    assert round(hr.estimate, 3) == 0.208


def test_cox_codes_text_covariates_against_reference(gehan):
    default = cox(gehan, "weeks", "relapse", ["arm"])  # reference = first level, "6-MP"
    assert default.hazard_ratios[0].details["term"] == "arm: placebo vs 6-MP"
    assert round(default.hazard_ratios[0].estimate, 3) == round(1 / 0.20760, 3)
    flipped = cox(gehan, "weeks", "relapse", ["arm"], reference={"arm": "placebo"})
    assert flipped.hazard_ratios[0].details["term"] == "arm: 6-MP vs placebo"
    table = flipped.table()
    assert table.columns.tolist()[:4] == ["term", "n", "events", "hazard ratio"]
    assert table.loc[0, "hazard ratio"] == 0.208


def test_clear_errors():
    data = pd.DataFrame({"t": [1, -2, 3], "e": [1, 1, 0], "g": ["a", "b", "b"]})
    with pytest.raises(InputError, match=r"row 1.*column 't'.*value '-2'|column 't', value '-2'"):
        kaplan_meier(data, "t", "e")
    data = pd.DataFrame({"t": [1, 2, 3], "e": [1, "maybe", 0], "g": ["a", "a", "a"]})
    with pytest.raises(InputError, match="maybe"):
        kaplan_meier(data, "t", "e")
    data = pd.DataFrame({"t": [1, 2, 3], "e": [1, 1, 0], "g": ["a", "a", "a"]})
    with pytest.raises(ParameterError, match="only one value"):
        logrank(data, "t", "e", "g")
    with pytest.raises(ParameterError, match="'nope' is not in the data"):
        cox(data, "t", "e", ["nope"])
    with pytest.raises(ParameterError, match="ties"):
        cox(data.assign(x=[0, 1, 0]), "t", "e", ["x"], ties="exact")


def test_events_may_be_booleans_or_words():
    data = pd.DataFrame({"t": [1, 2, 3], "e": [True, "yes", 0]})
    assert kaplan_meier(data, "t", "e").survival["events"].tolist() == [1, 1, 0]
    assert np.isnan(kaplan_meier(pd.DataFrame({"t": [1, 2], "e": [0, 0]}), "t", "e").medians["all"].estimate)
