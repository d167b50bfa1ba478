"""Cultural-distance profiles, distances and friction points, checked by hand."""

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError
from helpers.stats import culture

DIMS = ["speed", "bureaucracy", "quality"]


def _survey():
    # Two alliances; alliance 1 = Council (slow, bureaucratic) + Firm (fast, flat); alliance 2 = two
    # similar organisations; Tiny has only 2 respondents and must be left out.
    rows = []
    for org, alliance, profile in [
        ("Council", "A1", (2, 6, 4)),
        ("Firm", "A1", (6, 2, 5)),
        ("Trust", "A2", (4, 4, 5)),
        ("Charity", "A2", (4, 5, 5)),
    ]:
        for spread in (-1, 0, 0, 0, 1):
            rows.append(
                {
                    "org": org,
                    "alliance": alliance,
                    "speed": profile[0] + spread,
                    "bureaucracy": profile[1] - spread,
                    "quality": profile[2],
                }
            )
    rows += [{"org": "Tiny", "alliance": "A3", "speed": 7, "bureaucracy": 1, "quality": 1}] * 2
    # a second small organisation (in a third alliance with Tiny), so that the two hidden ones pool
    # at least 5 people and no shown organisation is hidden as their complement (polls.suppress rule 2)
    rows += [{"org": "Wee", "alliance": "A3", "speed": 1, "bureaucracy": 7, "quality": 2}] * 3
    return pd.DataFrame(rows)


def test_profiles_are_means_and_drop_small_organisations():
    prof = culture.profiles(_survey(), "org", DIMS, min_group_size=5)
    assert prof.index.tolist() == ["Charity", "Council", "Firm", "Trust"]
    assert prof.loc["Council", DIMS].tolist() == [2.0, 6.0, 4.0]
    assert prof["n"].tolist() == [5, 5, 5, 5]
    assert "Tiny" in culture.profiles(_survey(), "org", DIMS, min_group_size=2).index


def test_profiles_hide_a_complement_when_one_organisation_is_small():
    # with only Tiny hidden, its means would be (total - the four shown) / 2: Charity goes too
    data = _survey()
    data = data[data["org"] != "Wee"]
    prof = culture.profiles(data, "org", DIMS, min_group_size=5)
    assert prof.index.tolist() == ["Council", "Firm", "Trust"]


def test_distance_by_hand():
    a, b = {"speed": 2, "bureaucracy": 6, "quality": 4}, {"speed": 6, "bureaucracy": 2, "quality": 5}
    # gaps -4, 4, -1: Euclidean sqrt(16 + 16 + 1) = sqrt(33)
    assert culture.distance(a, b) == {"euclidean": pytest.approx(np.sqrt(33))}
    # Kogut & Singh with variances 2, 4, 0.5: (16/2 + 16/4 + 1/0.5) / 3 = 14/3
    d = culture.distance(a, b, variances={"speed": 2, "bureaucracy": 4, "quality": 0.5})
    assert d["kogut_singh"] == pytest.approx(14 / 3)
    assert culture.distance(a, a, variances={"speed": 1, "bureaucracy": 1, "quality": 1}) == {
        "euclidean": 0.0,
        "kogut_singh": 0.0,
    }


def test_zero_variance_is_explained():
    with pytest.raises(InputError, match="quality"):
        culture.distance({"speed": 1, "quality": 2}, {"speed": 2, "quality": 2}, variances={"speed": 1, "quality": 0})


def test_friction_points_use_a_strict_threshold():
    t = culture.friction_points(
        {"speed": 2, "bureaucracy": 5, "quality": 4},
        {"speed": 5, "bureaucracy": 4, "quality": 4.5},
        threshold=1.0,
        names=("Council", "Firm"),
    )
    assert t.columns.tolist() == ["dimension", "Council", "Firm", "gap", "friction"]
    assert t["gap"].tolist() == [-3.0, 1.0, -0.5]
    assert t["friction"].tolist() == [True, False, False]  # a gap of exactly 1.0 is not over the threshold


def test_partner_distances_within_each_alliance():
    data = _survey()
    t = culture.partner_distances(data, "org", DIMS, partnership="alliance", threshold=1.0)
    assert t[["alliance", "A", "B"]].values.tolist() == [["A1", "Council", "Firm"], ["A2", "Charity", "Trust"]]
    assert t["friction_points"].tolist() == ["speed, bureaucracy", ""]
    assert t["n_friction"].tolist() == [2, 0]
    assert t.loc[0, "euclidean"] == pytest.approx(np.sqrt(16 + 16 + 1))
    # Kogut & Singh with the variances of all respondents' ratings (Tiny's two included)
    var = data[DIMS].var(ddof=1)
    expected = (16 / var["speed"] + 16 / var["bureaucracy"] + 1 / var["quality"]) / 3
    assert t.loc[0, "kogut_singh"] == pytest.approx(expected)


def test_partner_distances_without_partnership_compares_every_pair():
    t = culture.partner_distances(_survey(), "org", DIMS)
    assert len(t) == 6  # four organisations of 5+, all pairs
    assert "alliance" not in t.columns


def test_missing_column_is_explained():
    with pytest.raises(InputError, match="no column 'hierarchy'"):
        culture.profiles(_survey(), "org", ["speed", "hierarchy"])
