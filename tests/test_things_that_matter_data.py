"""Lesson 04 data: the seeded generator, the committed files, and the workshop layout reader."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.cases import things_that_matter as ttm
from helpers.cases import write_tables
from helpers.errors import InputError
from helpers.lessons import things_that_matter as lesson
from helpers.paths import datasets_dir
from helpers.polls import load
from helpers.polls.codebook import Codebook

FOLDER = datasets_dir() / ttm.FOLDER


@pytest.fixture(scope="module")
def tables():
    return ttm.build()


def test_committed_files_are_the_generator_output(tmp_path, tables):
    for path in write_tables(tables, tmp_path):
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (datasets_dir() / relative).read_bytes(), f"{relative} is stale: regenerate it"


def test_same_seed_same_tables_other_seed_other_tables(tables):
    again = ttm.build(ttm.DEFAULT_SEED)
    other = ttm.build(ttm.DEFAULT_SEED + 1)
    for key in tables:
        pd.testing.assert_frame_equal(tables[key], again[key])
    assert not tables[ttm.RANKINGS].equals(other[ttm.RANKINGS])
    assert not tables[ttm.POLL].equals(other[ttm.POLL])


def test_party_names_are_parameters():
    renamed = ttm.build(3, parties=("Council", "Contractor"))
    assert set(renamed[ttm.RANKINGS]["party"]) == {"Council", "Contractor"}
    assert set(renamed[ttm.POLL]["party"]) == {"Council", "Contractor"}
    with pytest.raises(ValueError):
        ttm.build(3, parties=("Same", "Same"))


def test_codebooks_parse_with_the_data_model(tables):
    rankings = Codebook.from_frame(tables[ttm.RANKINGS.replace(".csv", "_codebook.csv")])
    assert len(rankings.of_kind("ranking")) == 16
    assert all(q.low == 1 and q.high == 8 for q in rankings)
    assert rankings.constructs() == {
        "own": [f"own_{k}" for k in ttm.THINGS],
        "predicted": [f"pred_{k}" for k in ttm.THINGS],
    }
    poll = Codebook.from_frame(tables[ttm.POLL.replace(".csv", "_codebook.csv")])
    assert poll.of_kind("likert") == ["will_understand", "will_invest", "way_know", "way_method", "way_guess"]
    assert [q.id for q in poll if q.reverse] == ["way_guess"]


def test_every_member_ranks_every_thing_once_in_both_viewpoints(tables):
    rankings = tables[ttm.RANKINGS]
    rankings = rankings.assign(view=rankings["question"].str.split("_").str[0])
    ranks = rankings.groupby(["respondent", "view"])["answer"].apply(sorted)
    assert all(r == list(range(1, 9)) for r in ranks)
    members = rankings.drop_duplicates("respondent").groupby("party").size()
    assert members.to_dict() == {"Client": 14, "Supplier": 12}


def test_bundled_files_load_without_rejections():
    for name in ("workshop_rankings", "webinar_poll"):
        data = load(FOLDER / f"{name}.csv", codebook=FOLDER / f"{name}_codebook.csv")
        assert data.report.ok and data.report.rows_rejected == 0
        assert data.report.rows_read == data.report.rows_used


def test_poll_has_high_will_and_low_way(tables):
    poll = tables[ttm.POLL]
    agree = poll.assign(agree=poll["answer"].isin(["Agree", "Strongly agree"])).groupby("question")["agree"].mean()
    assert agree["will_understand"] > 0.7 and agree["will_invest"] > 0.6
    assert agree["way_method"] < 0.3 and agree["way_know"] < 0.5
    assert poll["respondent"].nunique() == 300
    # the tiny "Other" group is there on purpose, to show suppression
    assert poll.drop_duplicates("respondent")["group"].value_counts()["Other"] == 4


def test_built_in_poll_effects_are_recovered_by_an_ordinal_model():
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    poll = ttm.build(11)[ttm.POLL]
    know = poll[poll["question"] == "way_know"].copy()
    know["y"] = know["answer"].map({label: i for i, label in enumerate(ttm.LIKERT)})
    know["supplier"] = (know["party"] == "Supplier").astype(float)
    fit = OrderedModel(know["y"], know[["supplier"]], distr="logit").fit(method="bfgs", disp=False)
    # built in: 0.6 on the logit scale, attenuated a little by the unmodelled person trait
    assert 0.1 < fit.params["supplier"] < 1.1


def test_empathy_gap_is_built_in_supplier_reads_client_better(tables):
    from helpers.stats.alignment import empathy_gap

    data = tables[ttm.RANKINGS].assign(value=lambda t: t["answer"].astype(float))
    codebook = Codebook.from_frame(tables[ttm.RANKINGS.replace(".csv", "_codebook.csv")])
    ranks = lesson.workshop_ranks(data, codebook)
    own, pred = ranks["own"], ranks["predicted"]
    client = empathy_gap(own[own.party == "Client"], pred[pred.party == "Supplier"], n_boot=200)
    supplier = empathy_gap(own[own.party == "Supplier"], pred[pred.party == "Client"], n_boot=200)
    assert client.alignment.estimate > supplier.alignment.estimate
    assert client.mean_abs_gap.estimate < supplier.mean_abs_gap.estimate


def test_workshop_ranks_layout_and_incomplete_rankings(tables):
    data = tables[ttm.RANKINGS].assign(value=lambda t: t["answer"].astype(float))
    data = data[~((data["respondent"] == "W03") & (data["question"] == "pred_cost"))]
    codebook = Codebook.from_frame(tables[ttm.RANKINGS.replace(".csv", "_codebook.csv")])
    ranks = lesson.workshop_ranks(data, codebook)
    assert list(ranks["own"].columns) == ["party", *ttm.THINGS.values()]
    assert len(ranks["own"]) == 26 and len(ranks["predicted"]) == 25
    assert ranks["predicted"].attrs["incomplete"] == 1 and ranks["own"].attrs["incomplete"] == 0


def test_workshop_ranks_needs_twinned_questions(tables):
    codebook = tables[ttm.RANKINGS.replace(".csv", "_codebook.csv")]
    broken = Codebook.from_frame(codebook[codebook["question"] != "pred_cost"], source="my_codebook.csv")
    with pytest.raises(InputError, match=r"my_codebook.csv.*no twin for: cost"):
        lesson.workshop_ranks(tables[ttm.RANKINGS].assign(value=1.0), broken)


def test_readme_documents_every_file_and_column(tables):
    readme = (FOLDER / "README.md").read_text()
    assert "SYNTHETIC" in readme and str(ttm.DEFAULT_SEED) in readme
    for relative, frame in tables.items():
        name = relative.split("/")[-1]
        assert name in readme, name
        for column in frame.columns:
            assert re.search(rf"`{column}`", readme), f"{name}: column {column} undocumented"


def test_registered_in_datasets_csv():
    registry = pd.read_csv(datasets_dir() / "datasets.csv", dtype=str)
    mine = registry[registry["generator"] == "helpers.cases.things_that_matter"]
    assert sorted(mine["path"]) == sorted(ttm.build(1))
    assert set(mine["synthetic"]) == {"yes"} and set(mine["lesson"]) == {"04"}
    assert np.all(mine.loc[mine["kind"] == "poll", "codebook"].str.endswith("_codebook.csv"))


# --- the lesson's analysis objects -----------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    workshop = load(FOLDER / "workshop_rankings.csv", codebook=FOLDER / "workshop_rankings_codebook.csv")
    poll = load(FOLDER / "webinar_poll.csv", codebook=FOLDER / "webinar_poll_codebook.csv")
    return workshop, poll


def test_workshop_on_bundled_data(bundled):
    workshop = lesson.Workshop(bundled[0], ["Client", "Supplier"])
    assert workshop.comparable and workshop.note().startswith("Nothing suppressed")
    assert repr(workshop.note()) == str(workshop.note())  # shown as text, not a quoted string
    assert workshop.sizes().to_dict("records") == [
        {"party": "Client", "own rankings": 14, "predictions of the partner": 14},
        {"party": "Supplier", "own rankings": 12, "predictions of the partner": 12},
    ]
    assert list(workshop.concordance()["party"]) == ["Client", "Supplier"]
    assert list(workshop.consensus().columns) == [
        "Client own",
        "Client as predicted by Supplier",
        "Supplier own",
        "Supplier as predicted by Client",
    ]
    assert [r.method for r in workshop.alignment()] == [
        "Kendall's tau-b (Client vs Supplier)",
        "Spearman's rho (Client vs Supplier)",
    ]
    gaps = workshop.empathy()
    assert set(gaps) == {"Client", "Supplier"}
    matrix = workshop.gap_matrix(gaps)
    assert matrix.shape == (8, 2) and list(matrix.columns) == ["Client", "Supplier"]
    assert list(matrix.index) == list(ttm.THINGS.values())
    assert matrix.loc["A fair profit margin", "Supplier"] == pytest.approx(
        gaps["Supplier"].things.set_index("thing").loc["A fair profit margin", "gap"]
    )
    assert len(workshop.projection()) == 4


def test_workshop_suppresses_a_small_party(bundled):
    data = bundled[0]
    respondents = data.responses.loc[data.responses["party"] == "Supplier", "respondent"].unique()[:3]
    small = type(data)(
        data.responses[(data.responses["party"] == "Client") | data.responses["respondent"].isin(respondents)],
        data.codebook,
        data.report,
    )
    workshop = lesson.Workshop(small, ["Client", "Supplier"], min_group_size=5)
    assert not workshop.comparable
    assert workshop.sizes().loc[1, "own rankings"] == "fewer than 5"
    assert "Supplier (own rankings); Supplier (predictions)" in workshop.note()
    assert list(workshop.concordance()["party"]) == ["Client"]
    assert workshop.alignment() == [] and workshop.empathy() == {}
    # the Client's 14 predictions of the Supplier describe Client members, so they may be shown
    assert list(workshop.consensus().columns) == ["Client own", "Supplier as predicted by Client"]


def test_workshop_unknown_party_is_a_plain_error(bundled):
    with pytest.raises(
        InputError, match="'Contractor' is not in the workshop file; the parties there are: Client, Supplier"
    ):
        lesson.Workshop(bundled[0], ["Client", "Contractor"])


def test_poll_agreement_suppression_and_model_frame(bundled):
    poll = lesson.WebinarPoll(bundled[1], ["Client", "Supplier"])
    overall = poll.agreement()
    assert list(overall["question"]) == ["will_understand", "will_invest", "way_know", "way_method", "way_guess"]
    assert (overall["ci_low"] < overall["share"]).all() and (overall["share"] < overall["ci_high"]).all()
    by_group = poll.agreement("group")
    hidden = by_group[by_group["suppressed"] != ""]
    assert set(hidden["group"]) == {"Other", "Leadership"}  # Leadership hidden with Other (differencing)
    assert hidden["share"].isna().all()
    assert "Other has fewer than min_group_size = 5" in poll.note()
    frame, predictors, levels = poll.model_frame("way_method")
    assert predictors == ["party", "group"]
    assert "Other" not in set(frame["group"]) and levels["group"][-1] == "Leadership"
    assert levels["answer"] == list(ttm.LIKERT)
    crosstab = poll.crosstab("how_find_out")
    assert list(crosstab.index) == ["Client", "Supplier"] and crosstab.to_numpy().sum() > 250


def test_poll_with_one_tiny_party_has_no_party_comparison(bundled):
    data = bundled[1]
    keep = data.responses.loc[data.responses["party"] == "Supplier", "respondent"].unique()[:3]
    small = type(data)(
        data.responses[(data.responses["party"] == "Client") | data.responses["respondent"].isin(keep)],
        data.codebook,
        data.report,
    )
    poll = lesson.WebinarPoll(small, ["Client", "Supplier"])
    assert poll.crosstab("how_find_out") is None
    by_party = poll.agreement("party")
    assert by_party["share"].isna().all()  # Supplier too small; Client hidden with it (differencing from the total)
    _, predictors, _ = poll.model_frame("way_method")
    assert "party" not in predictors


def test_results_do_not_depend_on_the_pseudonymisation_key():
    # respondents keep their file order whatever their pseudonyms, so the bootstrap resamples the same people
    runs = []
    for key in (b"one key", b"another key"):
        data = load(FOLDER / "workshop_rankings.csv", codebook=FOLDER / "workshop_rankings_codebook.csv", key=key)
        runs.append(lesson.Workshop(data, ["Client", "Supplier"]).empathy(seed=4))
    for party in ("Client", "Supplier"):
        pd.testing.assert_frame_equal(runs[0][party].things, runs[1][party].things)
        assert runs[0][party].table().equals(runs[1][party].table())


# --- agreement within parties and the live poll: a small case checkable by hand ---------------

SMALL_POLL = {  # respondent: (party, q1 way, q2 way reverse-keyed, q3 will), answers as worded
    "a1": ("A", "Agree", "Disagree", "Strongly agree"),
    "a2": ("A", "Agree", "Disagree", "Strongly agree"),
    "a3": ("A", "Agree", "Disagree", "Strongly agree"),
    "a4": ("A", "Agree", "Disagree", "Strongly agree"),
    "a5": ("A", "Agree", "Disagree", "Strongly agree"),
    "b1": ("B", "Agree", "Disagree", "Strongly agree"),
    "b2": ("B", "Agree", "Disagree", "Strongly agree"),
    "b3": ("B", "Agree", "Disagree", "Agree"),
    "b4": ("B", "Agree", "Disagree", "Agree"),
    "b5": ("B", "Agree", "Agree", "Neither agree nor disagree"),
}


@pytest.fixture
def small_poll(tmp_path):
    scale = "|".join(ttm.LIKERT)
    (tmp_path / "codebook.csv").write_text(
        "question,text,kind,scale,reverse,construct\n"
        f"q1,We know what matters to them,likert,{scale},false,way\n"
        f"q2,We mostly guess,likert,{scale},true,way\n"
        f"q3,It matters to my work,likert,{scale},false,will\n",
        encoding="utf-8",
    )
    lines = ["respondent,question,answer,party"] + [
        f"{person},{question},{answer},{party}"
        for person, (party, *answers) in SMALL_POLL.items()
        for question, answer in zip(("q1", "q2", "q3"), answers, strict=True)
    ]
    (tmp_path / "poll.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load(tmp_path / "poll.csv", codebook=tmp_path / "codebook.csv")


def test_agreement_within_parties_by_hand(small_poll):
    from helpers.stats.agreement import krippendorff_alpha

    table = lesson.WebinarPoll(small_poll, ["A", "B"]).agreement_within()
    assert list(table.columns) == ["party", "method", "items", "people", "estimate", "interpretation"]
    assert list(table["items"]) == ["all 3 statements (units)", "way (2 items)", "will (1 items)"] * 2
    rows = table.set_index(["party", "items"])
    # A: every member gives the same answer to each statement -> perfect agreement everywhere
    assert rows.loc[("A", "all 3 statements (units)"), "estimate"] == 1.0
    assert rows.loc[("A", "way (2 items)"), "estimate"] == 1.0
    # B, r_wg(J) on way: variances 0 (q1) and 0.8 (q2 scored 4,4,4,4,2); mean 0.4 / null (25 - 1) / 12 = 0.2;
    # J = 2: 2 (1 - 0.2) / (2 (1 - 0.2) + 0.2) = 1.6 / 1.8
    assert rows.loc[("B", "way (2 items)"), "estimate"] == pytest.approx(1.6 / 1.8, abs=5e-4)
    assert rows.loc[("B", "way (2 items)"), "interpretation"].startswith("strong agreement")
    # B, will: q3 = 5, 5, 4, 4, 3, variance 0.7, r_wg = 1 - 0.7 / 2 = 0.65
    assert rows.loc[("B", "will (1 items)"), "estimate"] == pytest.approx(0.65, abs=5e-4)
    # alpha: respondents are coders, statements units, labels as worded over the whole 5-point domain
    coders = [[answers[i] for i in range(3)] for party, *answers in SMALL_POLL.values() if party == "B"]
    expected = krippendorff_alpha(coders, level="ordinal", value_domain=list(ttm.LIKERT)).estimate
    assert rows.loc[("B", "all 3 statements (units)"), "estimate"] == pytest.approx(expected, abs=5e-4)
    assert rows.loc[("B", "all 3 statements (units)"), "people"] == 5


def test_agreement_within_suppresses_small_parties(small_poll):
    table = lesson.WebinarPoll(small_poll, ["A", "B"], min_group_size=6).agreement_within()
    assert table["estimate"].isna().all() and table["people"].isna().all()
    assert set(table["note"]) == {"too few respondents"}


def test_compare_with_the_room(small_poll, tmp_path, monkeypatch):
    from helpers.exercises import LikertForm
    from helpers.stats.proportions import wilson_ci

    poll = lesson.WebinarPoll(small_poll, ["A", "B"])
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    form = LikertForm("04-test-poll", "Your view", small_poll.codebook, questions=poll.likert)
    for nothing in (form.responses(), None):  # before the learner answers: a deterministic note
        assert str(poll.compare_with(nothing)) == (
            "No answers yet. Answer the poll above and press Save answers: your answers then show next to the room's."
        )
    mine = pd.DataFrame({"question": ["q3", "q2"], "answer": ["Neither agree nor disagree", "Disagree"]})
    table = poll.compare_with(mine)
    assert list(table["statement"]) == ["We mostly guess", "It matters to my work"]  # codebook order
    assert list(table["you agree"]) == ["no", "no"]
    # q2 in the room: 1 of 10 agree, 9 of 10 answered Disagree like you; q3: 9 of 10 agree, 1 neither
    assert list(table["room agrees"]) == pytest.approx([0.1, 0.9])
    assert list(table["same answer as you"]) == pytest.approx([0.9, 0.1])
    assert list(table["n"]) == [10, 10]
    assert (table.loc[1, "ci_low"], table.loc[1, "ci_high"]) == pytest.approx(wilson_ci(9, 10).ci)
    # a room smaller than min_group_size shows no figures beside the learner's answers
    tiny = lesson.WebinarPoll(small_poll, ["A", "B"], min_group_size=11).compare_with(mine)
    assert tiny[["room agrees", "same answer as you", "n"]].isna().all().all()
    assert list(tiny["your answer"]) == ["Disagree", "Neither agree nor disagree"]
