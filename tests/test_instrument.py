"""helpers.lessons.health_check.instrument: the health-check instrument, scoring, profiles and partner gaps."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.errors import InputError, ParameterError
from helpers.lessons.health_check import instrument as m
from helpers.polls import Codebook, load

LIKERT = "|".join(m.LIKERT_5)


# ------------------------------------------------------------------------------------- the instrument
def test_instrument_covers_the_seven_dimensions_with_reverse_items():
    codebook = Codebook.from_frame(m.codebook_table())
    constructs = codebook.constructs()
    assert list(constructs) == [
        "Mutual goals",
        "Communication",
        "Relationship building",
        "Clarity of roles",
        "Monitoring and adaptation",
        "Trust",
        "Formal and informal arrangements",
    ]
    assert all(len(ids) == 4 for ids in constructs.values())
    for ids in constructs.values():  # every dimension has exactly one reverse-keyed item
        assert sum(codebook[q].reverse for q in ids) == 1
    assert {codebook[q].kind for q in codebook.ids()} == {"likert"}
    assert len({q.text for q in codebook}) == 28
    assert [d.name for d in m.DIMENSIONS] == list(constructs)
    table = m.dimensions_table()
    assert table["items"].sum() == 28 and table["reverse-keyed"].sum() == 7
    assert table["inspired by"].str.contains("Nuffield PAT|Wilder").all()


@pytest.mark.parametrize("k, needed", [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4), (9, 6)])
def test_min_items_is_two_thirds_rounded_up(k, needed):
    assert m.min_items(k) == needed


# ------------------------------------------------------------------------------------------- scoring
#: construct A: a1, a2, a3 (reverse), 3 items -> needs 2; construct B: b1..b4 (b4 reverse) -> needs 3
TINY_CODEBOOK = pd.DataFrame(
    {
        "question": ["a1", "a2", "a3", "b1", "b2", "b3", "b4", "note"],
        "text": ["A one", "A two", "A three (reversed)", "B one", "B two", "B three", "B four (reversed)", "Note"],
        "kind": ["likert"] * 7 + ["open_text"],
        "scale": [LIKERT] * 7 + [""],
        "reverse": ["false", "false", "true", "false", "false", "false", "true", "false"],
        "construct": ["A", "A", "A", "B", "B", "B", "B", ""],
    }
)
TINY_ANSWERS = [
    # p1: A = (4 + 5 + (6-2)) / 3 = 13/3; B from 3 of 4 items: (3 + 4 + (6-1)) / 3 = 4
    ("p1", "a1", "Agree", "X"),
    ("p1", "a2", "Strongly agree", "X"),
    ("p1", "a3", "Disagree", "X"),
    ("p1", "b1", "Neither agree nor disagree", "X"),
    ("p1", "b2", "Agree", "X"),
    ("p1", "b4", "Strongly disagree", "X"),
    ("p1", "note", "fine", "X"),
    # p2: A from 1 of 3 (< 2) -> not scored; B from 2 of 4 (< 3) -> not scored
    ("p2", "a1", "Strongly disagree", "Y"),
    ("p2", "b1", "Disagree", "Y"),
    ("p2", "b2", "Disagree", "Y"),
    # p3: A from 2 of 3: (3 + (6-5)) / 2 = 2; B all four: (5 + 5 + 4 + (6-4)) / 4 = 4
    ("p3", "a2", "Neither agree nor disagree", "Y"),
    ("p3", "a3", "Strongly agree", "Y"),
    ("p3", "b1", "Strongly agree", "Y"),
    ("p3", "b2", "Strongly agree", "Y"),
    ("p3", "b3", "Agree", "Y"),
    ("p3", "b4", "Agree", "Y"),
]
EXPECTED = {("X", "A"): 13 / 3, ("X", "B"): 4.0, ("Y", "A"): 2.0, ("Y", "B"): 4.0}


def _tiny_files(tmp_path):
    answers = pd.DataFrame(TINY_ANSWERS, columns=["respondent", "question", "answer", "party"])
    answers.to_csv(tmp_path / "tiny.csv", index=False)
    TINY_CODEBOOK.to_csv(tmp_path / "tiny_codebook.csv", index=False)
    return answers


def _by_party(scores):
    """{(party, dimension): [scores]} (the tiny data has one scored respondent per party and dimension)."""
    result = {}
    for (party, dimension), part in scores.groupby(["party", "dimension"]):
        result[(party, dimension)] = sorted(part["score"].tolist(), key=lambda v: (math.isnan(v), v))
    return result


def test_hand_checked_scores_from_a_loaded_file(tmp_path):
    _tiny_files(tmp_path)
    data = load(tmp_path / "tiny.csv", codebook=tmp_path / "tiny_codebook.csv")
    scores = m.score_instrument(data)
    assert list(scores.columns) == ["respondent", "party", "dimension", "answered", "items", "score"]
    assert list(pd.unique(scores["dimension"])) == ["A", "B"]  # codebook order; open text ignored
    got = _by_party(scores)
    assert got[("X", "A")] == pytest.approx([13 / 3])
    assert got[("X", "B")] == pytest.approx([4.0])
    # party Y: p2 is not scored on either dimension (too few items), p3 is
    assert got[("Y", "A")][0] == pytest.approx(2.0) and math.isnan(got[("Y", "A")][1])
    assert got[("Y", "B")][0] == pytest.approx(4.0) and math.isnan(got[("Y", "B")][1])
    answered = scores.groupby("dimension")["answered"].apply(sorted).to_dict()
    assert answered == {"A": [1, 2, 3], "B": [2, 3, 4]}
    cover = m.coverage(scores).set_index("dimension")
    assert cover.loc["A", "not scored"] == 1 and cover.loc["B", "scored"] == 2
    assert cover.loc["B", "rule"] == "at least 3 of 4 items"


def test_answers_as_labels_score_like_the_loaded_file(tmp_path):
    answers = _tiny_files(tmp_path)
    codebook = Codebook.from_frame(TINY_CODEBOOK)
    from_labels = m.score_instrument(answers, codebook)
    from_file = m.score_instrument(load(tmp_path / "tiny.csv", codebook=codebook))
    assert _by_party(from_labels).keys() == _by_party(from_file).keys()
    for key, values in _by_party(from_file).items():
        np.testing.assert_allclose(_by_party(from_labels)[key], values)


def test_values_with_a_construct_mapping_and_a_stricter_rule():
    values = pd.DataFrame(
        {
            "respondent": ["r1"] * 3 + ["r2"] * 4,
            "question": ["q1", "q2", "q3", "q1", "q2", "q3", "q4"],
            "value": [4.0, 2.0, 5.0, 1.0, 2.0, 3.0, 4.0],
        }
    )
    scores = m.score_instrument(values, {"D": ["q1", "q2", "q3", "q4"]}).set_index("respondent")
    assert scores.loc["r1", "score"] == pytest.approx(11 / 3) and scores.loc["r2", "score"] == pytest.approx(2.5)
    strict = m.score_instrument(values, {"D": ["q1", "q2", "q3", "q4"]}, min_share=1.0).set_index("respondent")
    assert math.isnan(strict.loc["r1", "score"]) and strict.loc["r2", "score"] == pytest.approx(2.5)


def test_scoring_errors_are_plain():
    values = pd.DataFrame({"respondent": ["r1", "r1"], "question": ["q1", "q1"], "value": [4.0, 2.0]})
    with pytest.raises(InputError, match="answered the same question twice"):
        m.score_instrument(values, {"D": ["q1"]})
    with pytest.raises(InputError, match="no question to a construct"):
        m.score_instrument(values, {})
    with pytest.raises(InputError, match="no `value` column"):
        m.score_instrument(values.drop(columns="value"), {"D": ["q1"]})
    with pytest.raises(ParameterError, match="min_share"):
        m.score_instrument(values.iloc[:1], {"D": ["q1"]}, min_share=0)
    with pytest.raises(InputError, match="not in the scale|Strongly|answer"):
        m.score_instrument(
            pd.DataFrame({"respondent": ["r1"], "question": ["a1"], "answer": ["Maybe"]}),
            Codebook.from_frame(TINY_CODEBOOK),
        )


def test_waves_score_separately():
    values = pd.DataFrame(
        {"respondent": ["r1", "r1"], "question": ["q1", "q1"], "value": [2.0, 4.0], "wave": ["pre", "post"]}
    )
    scores = m.score_instrument(values, {"D": ["q1"]})
    assert scores.set_index("wave")["score"].to_dict() == {"post": 4.0, "pre": 2.0}


def test_dimension_reliability_is_pingouins_alpha_listwise():
    rng = np.random.default_rng(11)
    people = [f"p{i}" for i in range(12)]
    rows = []
    for i, person in enumerate(people):
        level = rng.normal(3, 1)
        for q in ("b1", "b2", "b3", "b4"):
            if not (i == 0 and q == "b2"):  # p0 misses one item: dropped listwise
                rows.append((person, q, float(np.clip(round(level + rng.normal(0, 0.7)), 1, 5)), "X" if i < 7 else "Y"))
    values = pd.DataFrame(rows, columns=["respondent", "question", "value", "party"])
    table = m.dimension_reliability(values, {"B": ["b1", "b2", "b3", "b4"]})
    wide = values.pivot(index="respondent", columns="question", values="value").dropna()
    alpha, ci = pg.cronbach_alpha(data=wide)
    row = table.iloc[0]
    assert row["n"] == 11 and row["items"] == 4
    assert row["alpha"] == pytest.approx(alpha)
    assert row["95% CI"] == f"[{ci[0]:.2f}, {ci[1]:.2f}]"
    split = m.dimension_reliability(values, {"B": ["b1", "b2", "b3", "b4"]}, by="party", min_group_size=6)
    assert split["party"].tolist() == ["X", "Y"] and split["n"].tolist() == [6, 5]
    assert not np.isnan(split["alpha"].iloc[0])
    assert np.isnan(split["alpha"].iloc[1]) and split["note"].iloc[1] == "fewer than 6 complete respondents"


def test_dimension_reliability_gives_the_reason_where_alpha_is_undefined_or_an_item_dropped():
    people = [f"p{i}" for i in range(6)]
    # a1 and a2 sum to 6 for everyone (the total has no variance); c3 is the same for everyone (constant)
    a1 = [1, 2, 3, 4, 5, 2]
    c1, c2 = [1, 2, 4, 5, 3, 2], [2, 2, 5, 4, 3, 1]
    rows = [(p, "a1", float(v)) for p, v in zip(people, a1, strict=True)]
    rows += [(p, "a2", float(6 - v)) for p, v in zip(people, a1, strict=True)]
    rows += [(p, q, float(v)) for q, vs in (("c1", c1), ("c2", c2)) for p, v in zip(people, vs, strict=True)]
    rows += [(p, "c3", 3.0) for p in people]
    values = pd.DataFrame(rows, columns=["respondent", "question", "value"])
    table = m.dimension_reliability(values, {"A": ["a1", "a2"], "C": ["c1", "c2", "c3"]}).set_index("dimension")
    assert np.isnan(table.at["A", "alpha"]) and table.at["A", "interpretation"] == ""
    assert "no variance" in table.at["A", "note"]
    assert np.isfinite(table.at["C", "alpha"]) and "c3" in table.at["C", "note"] and "dropped" in table.at["C", "note"]


# ------------------------------------------------------------------------------------------ profiles
def _scores(groups):
    """Score rows for {(party, group, dimension): [scores]}."""
    rows = [
        {"respondent": f"{p}-{g}-{i}", "party": p, "group": g, "dimension": d, "answered": 4, "items": 4, "score": v}
        for (p, g, d), values in groups.items()
        for i, v in enumerate(values)
    ]
    return pd.DataFrame(rows)


def test_profile_mean_and_t_interval_by_hand():
    x = [3.0, 3.5, 4.0, 4.25, 2.75, 3.25]
    table = m.profile(_scores({("A", "g", "D"): x}))
    row = table.iloc[0]
    half = stats.t.ppf(0.975, 5) * np.std(x, ddof=1) / math.sqrt(6)
    assert row["n"] == 6 and row["mean"] == pytest.approx(np.mean(x))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((np.mean(x) - half, np.mean(x) + half))
    assert not row["suppressed"]


def test_profile_suppresses_small_groups_and_their_complement():
    scores = _scores(
        {
            ("A", "lead", "D"): [4, 4, 5],  # 3 < 5: suppressed
            ("A", "staff", "D"): [3, 3, 4, 4, 2, 3],  # 6: next smallest -> complementary suppression
            ("A", "front", "D"): [2, 3, 3, 4, 2, 3, 3],  # 7: shown
            ("B", "staff", "D"): [3, 4, 4, 3, 5],  # 5: shown
        }
    )
    by_party = m.profile(scores, min_group_size=5).set_index("party")
    assert not by_party["suppressed"].any() and by_party.loc["A", "n"] == 16
    nested = m.profile(scores, by=("party", "group"), min_group_size=5).set_index(["party", "group"])
    assert nested.loc[("A", "lead"), "suppressed"] and math.isnan(nested.loc[("A", "lead"), "mean"])
    assert "fewer than 5" in nested.loc[("A", "lead"), "note"]
    assert nested.loc[("A", "staff"), "suppressed"] and "cannot be worked out" in nested.loc[("A", "staff"), "note"]
    assert not nested.loc[("A", "front"), "suppressed"] and not nested.loc[("B", "staff"), "suppressed"]
    matrix = m.profile_matrix(m.profile(scores, by=("party", "group")), by=("party", "group"))
    assert list(matrix.index) == ["A · front", "A · lead", "A · staff", "B · staff"]
    assert matrix.isna().sum().sum() == 2
    with pytest.raises(InputError, match="no `unit` column"):
        m.profile(scores, by=("unit",))


def test_with_respondent_adds_a_row_in_the_matrix_columns():
    scores = _scores({("A", "g", "D1"): [3, 4, 4, 5, 3], ("A", "g", "D2"): [2, 2, 3, 3, 4]})
    matrix = m.profile_matrix(m.profile(scores))
    mine = pd.DataFrame({"respondent": ["me", "me"], "dimension": ["D2", "D1"], "score": [4.5, np.nan]})
    combined = m.with_respondent(matrix, mine)
    assert list(combined.index) == ["A", "You"] and list(combined.columns) == ["D1", "D2"]
    assert math.isnan(combined.loc["You", "D1"]) and combined.loc["You", "D2"] == 4.5
    assert combined.loc["A", "D1"] == pytest.approx(3.8)


# ---------------------------------------------------------------------------------------------- gaps
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_welch_interval_matches_r_sleep_example():
    """R's documented example ``t.test(extra ~ group, data = sleep)`` (Welch Two Sample t-test):
    t = -1.8608, df = 17.776, p-value = 0.07939, 95% CI -3.3654832 0.2054832, means 0.75 and 2.33."""
    r = m.score_gap(SLEEP_1, SLEEP_2)
    assert r.statistic == pytest.approx(-1.8608, abs=5e-5)
    assert r.df == pytest.approx(17.776, abs=5e-4)
    assert r.p_value == pytest.approx(0.07939, abs=5e-6)
    assert r.ci == pytest.approx((-3.3654832, 0.2054832), abs=5e-8)
    assert r.estimate == pytest.approx(0.75 - 2.33)
    assert (r.details["mean_x"], r.details["mean_y"]) == pytest.approx((0.75, 2.33))


def test_hedges_g_matches_lakens_2013_and_its_interval():
    """Lakens (2013, Frontiers in Psychology 4:863, Table 1): movie ratings 8.7 (SD 0.82) vs 7.7 (SD 0.95),
    Cohen's d_s = 1.13, Hedges' g_s = 1.08."""
    movie_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
    movie_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]
    r = m.score_gap(movie_1, movie_2)
    g = r.details["hedges_g"]
    assert round(g, 2) == 1.08
    assert round(pg.compute_effsize(movie_1, movie_2, eftype="cohen"), 2) == 1.13
    # Hedges & Olkin (1985) normal-theory interval: g +- z(.975) * sqrt((nx+ny)/(nx*ny) + g^2 / (2(nx+ny)))
    se = math.sqrt(20 / 100 + g**2 / 40)
    crit = stats.norm.ppf(0.975)
    assert r.details["g_ci"] == pytest.approx((g - crit * se, g + crit * se), abs=1e-9)
    assert r.interpretation.startswith("large") and r.interpretation_source == "Cohen (1988)"
    assert r.table()["95% CI"].iloc[0].startswith("[")


def test_a_gap_needs_two_scores_a_side():
    with pytest.raises(InputError, match="at least two values"):
        m.score_gap([3.0], [2.0, 4.0])


def _two_partner_scores():
    rng = np.random.default_rng(7)
    groups = {}
    for d, shift in (("Roles", -0.9), ("Openness", 0.3), ("Goals", 0.0), ("Review", 0.6)):
        groups[("Us", "g", d)] = list(np.clip(np.round(rng.normal(3.5, 0.5, 12) * 4) / 4, 1, 5))
        groups[("Them", "g", d)] = list(np.clip(np.round(rng.normal(3.5 + shift, 0.5, 9) * 4) / 4, 1, 5))
    return _scores(groups)


def test_partner_gaps_against_scipy_and_statsmodels():
    from statsmodels.stats.multitest import multipletests

    scores = _two_partner_scores()
    gaps = m.partner_gaps(scores, ["Us", "Them"]).set_index("dimension")
    assert list(gaps.index) == ["Roles", "Openness", "Goals", "Review"]
    for d in gaps.index:
        us = scores.query("party == 'Us' and dimension == @d")["score"]
        them = scores.query("party == 'Them' and dimension == @d")["score"]
        welch = stats.ttest_ind(us, them, equal_var=False)
        ci = welch.confidence_interval()
        row = gaps.loc[d]
        assert row["difference"] == pytest.approx(us.mean() - them.mean())
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
        # exact J vs pingouin's approximation of it
        assert row["hedges_g"] == pytest.approx(pg.compute_effsize(us, them, eftype="hedges"), rel=2e-3)
        assert row["lower"] == ("Us" if row["difference"] < 0 else "Them" if row["difference"] > 0 else "neither")
    assert gaps["p_holm"].to_numpy() == pytest.approx(multipletests(gaps["p"], method="holm")[1])
    # default order: the two partners sorted, so the sign flips
    default = m.partner_gaps(scores).set_index("dimension")
    assert default["party_a"].iloc[0] == "Them"
    assert default["difference"].to_numpy() == pytest.approx(-gaps["difference"].to_numpy())


def test_bootstrap_interval_is_seeded_and_close_to_welch():
    scores = _two_partner_scores()
    one = m.partner_gaps(scores, ["Us", "Them"], n_boot=2000, seed=3)
    two = m.partner_gaps(scores, ["Us", "Them"], n_boot=2000, seed=3)
    other = m.partner_gaps(scores, ["Us", "Them"], n_boot=2000, seed=4)
    pd.testing.assert_frame_equal(one, two)
    assert not np.allclose(one["boot_low"], other["boot_low"])
    assert np.allclose(one["boot_low"], one["ci_low"], atol=0.15)
    assert np.allclose(one["boot_high"], one["ci_high"], atol=0.15)
    assert "boot_low" not in m.partner_gaps(scores).columns


def test_small_partner_is_suppressed_and_never_an_action_point():
    scores = _two_partner_scores()
    late_roles = (scores["party"] == "Them") & (scores["dimension"] == "Roles") & (scores["respondent"].str[-1] > "3")
    few = scores[~late_roles]
    gaps = m.partner_gaps(few, ["Us", "Them"], min_group_size=5).set_index("dimension")
    assert gaps.loc["Roles", "suppressed"] and gaps.loc["Roles", "n_b"] == 4
    assert gaps.loc["Roles", "note"] == "suppressed: Them has fewer than 5 scored respondents"
    assert gaps.loc["Roles", ["difference", "ci_low", "hedges_g", "p_holm"]].isna().all()
    assert not gaps.drop(index="Roles")["suppressed"].any()
    # Holm adjusts over the three dimensions actually tested
    from statsmodels.stats.multitest import multipletests

    tested = gaps.drop(index="Roles")
    assert tested["p_holm"].to_numpy() == pytest.approx(multipletests(tested["p"], method="holm")[1])
    points = m.action_points(gaps.reset_index())
    assert "Roles" not in set(points["dimension"])
    table = m.gap_table(gaps.reset_index())
    assert table.set_index("dimension").loc["Roles", "difference [CI]"].startswith("suppressed")


def test_action_points_rank_the_biggest_gaps_in_plain_language():
    scores = _two_partner_scores()
    gaps = m.partner_gaps(scores, ["Us", "Them"])
    points = m.action_points(gaps, digits=6)
    expected = gaps.assign(size=gaps["difference"].abs()).sort_values("size", ascending=False)["dimension"][:3]
    assert list(points["dimension"]) == list(expected)
    assert list(points["rank"]) == [1, 2, 3]
    for _, p in points.iterrows():
        g = gaps.set_index("dimension").loc[p["dimension"]]
        assert p["gap"] == pytest.approx(abs(g["difference"]))
        assert {p["lower"], p["higher"]} == {"Us", "Them"}
        assert p["action"].startswith(f"{p['lower']} staff score {p['dimension']} ")
        low, high = (float(v) for v in p["ci"].split(" to "))
        assert low <= p["gap"] <= high
        expected = "uncertain" if low <= 0 else "clear" if g["p_holm"] < 0.05 else "suggestive"
        assert p["evidence"].startswith(expected)
    # dimensions outside the bundled instrument get the generic action text
    assert points["action"].str.contains("agree one change to try").all()
    assert len(m.action_points(gaps, top=1)) == 1
    bundled = gaps.assign(dimension=gaps["dimension"].map({"Roles": "Clarity of roles"}).fillna(gaps["dimension"]))
    assert "RACI" in m.action_points(bundled, top=1)["action"].iloc[0]


def test_partner_choice_errors():
    scores = _two_partner_scores()
    three = pd.concat([scores, scores.assign(party="Third")])
    with pytest.raises(ParameterError, match="3 partners.*party_names"):
        m.partner_gaps(three)
    with pytest.raises(ParameterError, match="'Nobody' is not in"):
        m.partner_gaps(scores, ["Us", "Nobody"])
    with pytest.raises(ParameterError, match="exactly two different"):
        m.partner_gaps(scores, ["Us", "Us"])
    with pytest.raises(InputError, match="no `party` column"):
        m.partner_gaps(scores.drop(columns="party"))


def test_action_points_as_text_and_when_everything_is_suppressed():
    scores = _two_partner_scores()
    text = m.format_action_points(m.action_points(m.partner_gaps(scores, ["Us", "Them"])))
    assert text.startswith("1. Roles: gap ") and "\n\n2. " in text and "\n\n3. " in text
    tiny = scores[scores["respondent"].str[-1].isin(list("0123"))]
    gaps = m.partner_gaps(tiny, ["Us", "Them"])
    assert gaps["suppressed"].all()
    assert m.format_action_points(m.action_points(gaps)).startswith("No gap can be ranked")


def test_questions_and_sample_table():
    codebook = Codebook.from_frame(TINY_CODEBOOK)
    assert m.questions(codebook) == ["a1", "a2", "a3", "b1", "b2", "b3", "b4"]
    scores = _two_partner_scores()
    sample = m.sample_table(scores)
    assert sample.to_dict("list") == {"party": ["Them", "Us"], "group": ["g", "g"], "respondents": [9, 12]}
    assert m.sample_table(scores.drop(columns=["party", "group"])) == 21
