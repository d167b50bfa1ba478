"""helpers.cases.health_check: the synthetic lesson-05 data, its layouts and the KPI review rule."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.cases import health_check as h
from helpers.cases import write_tables
from helpers.errors import InputError
from helpers.lessons import health_check as lesson
from helpers.lessons.health_check import instrument as m
from helpers.paths import datasets_dir
from helpers.polls import load

POLL = f"{h.FOLDER}/health_check.csv"
CODEBOOK = f"{h.FOLDER}/health_check_codebook.csv"


@pytest.fixture(scope="module")
def tables():
    return h.build()


def test_build_is_seeded(tables):
    again = h.build()
    for path, frame in tables.items():
        pd.testing.assert_frame_equal(frame, again[path])
    other = h.build(h.DEFAULT_SEED + 1)
    assert not other[POLL].equals(tables[POLL])
    assert other[CODEBOOK].equals(tables[CODEBOOK])


def test_committed_files_are_the_generator_output(tables, tmp_path):
    for written in write_tables(tables, tmp_path):
        relative = written.relative_to(tmp_path)
        assert (datasets_dir() / relative).read_bytes() == written.read_bytes(), relative


def test_poll_loads_cleanly_in_the_data_model():
    data = load(datasets_dir() / POLL, codebook=datasets_dir() / CODEBOOK)
    assert data.report.ok and data.report.rows_rejected == 0
    people = data.respondent_attributes()
    assert people.groupby("party").size().to_dict() == {"Cobalt Engineering": 26, "Riverside Water": 22}
    sizes = people.groupby(["party", "group"]).size()
    assert sizes[("Riverside Water", "Leadership")] == 4  # below min_group_size on purpose
    assert set(data.responses.columns) >= {"respondent", "question", "answer", "value", "party", "group"}


def test_built_in_effects_are_recovered(tables):
    """The README states the gaps built in; the bundled sample shows them (Welch CIs)."""
    from helpers.polls import Codebook

    scores = m.score_instrument(tables[POLL], Codebook.from_frame(tables[CODEBOOK]))
    gaps = m.partner_gaps(scores, list(h.PARTIES)).set_index("dimension")
    for dimension in ("Communication", "Clarity of roles"):  # Riverside much lower: CI above 0.4
        assert gaps.loc[dimension, "ci_low"] > 0.4 and gaps.loc[dimension, "lower"] == "Riverside Water"
    assert gaps.loc["Monitoring and adaptation", "ci_high"] < 0  # Cobalt lower
    for dimension in ("Relationship building", "Formal and informal arrangements"):
        assert abs(gaps.loc[dimension, "difference"]) < 0.2
    top = m.action_points(gaps.reset_index()).set_index("dimension")
    assert list(top.index) == ["Communication", "Clarity of roles", "Monitoring and adaptation"]
    assert top.loc["Communication", "evidence"].startswith("clear")
    assert top.loc["Monitoring and adaptation", "evidence"].startswith("suggestive")  # Holm p about .10
    not_scored = m.coverage(scores).set_index("dimension")["not scored"]
    assert not_scored["Trust"] >= 2 and not_scored["Communication"] == 0  # two people stopped halfway


def test_raci_example_has_exactly_the_two_documented_faults(tables):
    raci = tables[f"{h.FOLDER}/raci_example.csv"].set_index("task")
    accountable = (raci == "A").sum(axis=1)
    responsible = (raci == "R").sum(axis=1)
    assert list(accountable[accountable != 1].index) == ["Approve changes to scope or budget"]
    assert list(responsible[responsible == 0].index) == [
        "Tell customers about supply interruptions",
        "Approve changes to scope or budget",
    ]
    assert list(raci.columns) == list(h.ROLES)


def test_read_raci_normalises_and_rejects_unknown_codes(tmp_path):
    path = tmp_path / "raci.csv"
    path.write_text("task,Lead,Team\nPlan,a,r\nBuild,A/R, \n", encoding="utf-8")
    table = lesson.read_raci(path)
    assert table.index.name == "task"
    assert table.reset_index().to_dict("list") == {"task": ["Plan", "Build"], "Lead": ["A", "R/A"], "Team": ["R", ""]}
    path.write_text("task,Lead,Team\nPlan,A,X\n", encoding="utf-8")
    with pytest.raises(InputError, match="raci.csv, line 2, column 'Team', value 'X'"):
        lesson.read_raci(path)
    path.write_text("job,Lead\nPlan,A\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs a `task` column"):
        lesson.read_raci(path)
    path.write_text("task,Lead\nPlan,A\nPlan,R\n", encoding="utf-8")
    with pytest.raises(InputError, match="raci.csv, line 3, column 'task', value 'Plan': this appears more than once"):
        lesson.read_raci(path)


def test_bundled_raci_breaks_exactly_the_documented_rules():
    from helpers.exercises import validate_raci

    check = validate_raci(lesson.read_raci(datasets_dir() / h.FOLDER / "raci_example.csv"))
    assert check.errors == [
        "“Tell customers about supply interruptions” has no Responsible role: someone must do the work (an R).",
        "“Approve changes to scope or budget” has 2 Accountable roles (Cobalt project lead, Riverside asset "
        "manager): exactly one role must own the outcome, or no one does.",
        "“Approve changes to scope or budget” has no Responsible role: someone must do the work (an R).",
    ]


def test_kpi_review_rule(tables):
    review = lesson.review_kpis(tables[f"{h.FOLDER}/kpi_review.csv"]).set_index("kpi")
    assert list(review.index) == list(h.KPIS)  # KPIs keep their order
    decisions = review["decision"].to_dict()
    assert decisions["Schemes finished on time"] == "keep going"  # 91 >= 90
    assert decisions["Complaints per 1,000 properties affected"] == "adapt: change what we do"  # off twice
    assert decisions["Days to approve a change request"] == "watch"  # 11 within 2 of 10
    assert review.loc["Days to approve a change request", "status"] == "near"
    assert review.loc["Complaints per 1,000 properties affected", "trend"] == "better"  # 3.2 -> 3.0, lower is better
    assert review.loc["Joint site visits", "previous"] == 4
    wide = lesson.kpi_wide(tables[f"{h.FOLDER}/kpi_review.csv"])
    assert list(wide.index) == list(h.KPIS) and list(wide.columns) == list(h.QUARTERS)
    assert wide.loc["Joint site visits"].tolist() == [6, 7, 4, 6]


def test_kpi_review_first_miss_is_watch_and_layout_is_checked(tmp_path):
    kpis = pd.DataFrame(
        {
            "kpi": ["k"] * 3,
            "better": ["higher"] * 3,
            "target": [10.0] * 3,
            "tolerance": [1.0] * 3,
            "quarter": ["Q1", "Q2", "Q3"],
            "value": [10.0, 10.0, 5.0],
        }
    )
    assert lesson.review_kpis(kpis)["decision"].iloc[0] == "watch"
    assert lesson.review_kpis(kpis.assign(value=[5.0, 5.0, 5.0]))["decision"].iloc[0] == "adapt: change what we do"
    path = tmp_path / "kpis.csv"
    kpis.to_csv(path, index=False)
    assert lesson.read_kpis(path)["value"].tolist() == [10.0, 10.0, 5.0]
    kpis.assign(better=["more", "higher", "higher"]).to_csv(path, index=False)
    expected = "line 2, column 'better', value 'more': this value is not allowed: use higher or lower"
    with pytest.raises(InputError, match=expected):
        lesson.read_kpis(path)
