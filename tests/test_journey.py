"""Reasons tracker, continue / graceful-exit rule, robustness grid and Tuckman scoring, by hand."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError, ParameterError
from helpers.lessons.value_journey.journey import (
    exit_rule,
    reason_balance,
    rule_robustness,
    rule_versus_outcome,
    stuck_in_storming,
    tuckman_scores,
)

# Initiative A: review 1 adds believe 2 and disbelieve 1 (balance +1); review 2 adds disbelieve 3
# (standing: believe 2, disbelieve 4 -> -2); review 3 no entry (-2); review 4 drops the believe 2
# (0 - 4 = -4); review 5 drops the disbelieve 3 (0 - 1 = -1).
# Initiative B: review 2 adds believe 1 (+1); review 3 adds disbelieve 2 (-1); review 4 adds believe 3 (+2).
LOG = pd.DataFrame(
    {
        "initiative": ["A", "A", "A", "A", "A", "B", "B", "B"],
        "review": [1, 1, 2, 4, 5, 2, 3, 4],
        "kind": ["believe", "disbelieve", "Disbelieve", "believe", "disbelieve", "believe", "disbelieve", "believe"],
        "weight": [2, 1, 3, 2, 3, 1, 2, 3],
        "action": ["add", "add", "add", "drop", "drop", "add", "", "add"],
        "reason": [
            "pilot worked",
            "no budget yet",
            "partner left",
            "pilot worked",
            "partner left",
            "champion",
            "legal",
            "funder",
        ],
    }
)


@pytest.fixture
def balances():
    return reason_balance(LOG)


def test_balance_by_hand(balances):
    a = balances[balances["initiative"] == "A"]
    assert a["review"].tolist() == [1, 2, 3, 4, 5]
    assert a["believe"].tolist() == [2, 2, 2, 0, 0]
    assert a["disbelieve"].tolist() == [1, 4, 4, 4, 1]
    assert a["balance"].tolist() == [1, -2, -2, -4, -1]
    b = balances[balances["initiative"] == "B"]
    assert b["review"].tolist() == [2, 3, 4]
    assert b["balance"].tolist() == [1, -1, 2]


def test_exit_rule_by_hand(balances):
    # threshold 0, k 3: A is below 0 at reviews 2, 3, 4 -> signal at review 4. B never 3 in a row.
    decisions = exit_rule(balances, threshold=0, k=3).set_index("initiative")
    assert decisions.loc["A", "decision"] == "graceful exit"
    assert decisions.loc["A", "exit_review"] == 4
    assert decisions.loc["B", "decision"] == "continue"
    assert pd.isna(decisions.loc["B", "exit_review"])
    assert decisions.loc["A", ["reviews", "last_balance"]].tolist() == [5, -1]
    # k 1: B's single review below 0 (review 3) is enough; A fires at its first negative review 2.
    quick = exit_rule(balances, threshold=0, k=1).set_index("initiative")["exit_review"]
    assert quick.tolist() == [2, 3]
    # threshold -3, k 1: only A's -4 at review 4 is below.
    strict = exit_rule(balances, threshold=-3, k=1).set_index("initiative")["decision"]
    assert strict.tolist() == ["graceful exit", "continue"]


def test_robustness_grid_by_hand(balances):
    # thresholds (-2, 0) x k (1, 4):
    #  t=-2,k=1: A (-4 < -2) exits, B no          -> exits 1; agreement with reference (A exit, B continue) 1.0
    #  t=-2,k=4: nobody has 4 below -2             -> exits 0; agreement 0.5
    #  t=0, k=1: A and B exit                      -> exits 2; agreement 0.5
    #  t=0, k=4: A below 0 at 2,3,4,5 -> exits     -> exits 1; agreement 1.0
    # A keeps "graceful exit" in 3 of 4 settings (0.75); B keeps "continue" in 3 of 4 (0.75).
    result = rule_robustness(balances, threshold=0, k=3, thresholds=(-2, 0), ks=(1, 4))
    assert result.grid["exits"].tolist() == [1, 0, 2, 1]
    assert result.grid["agreement"].tolist() == [1.0, 0.5, 0.5, 1.0]
    assert result.units.set_index("initiative")["stability"].tolist() == [0.75, 0.75]
    assert result.reference == (0, 3)


def test_rule_versus_outcome(balances):
    decisions = exit_rule(balances, threshold=0, k=3)
    outcomes = pd.DataFrame({"initiative": ["A", "B"], "end": ["exited", "reached"], "months": [6, 9]})
    table = rule_versus_outcome(decisions, outcomes)
    assert table.to_dict("records")[0] == {
        "decision": "continue",
        "outcome": "reached",
        "initiatives": 1,
        "median lead": pytest.approx(np.nan, nan_ok=True),
    }
    assert table.to_dict("records")[1]["median lead"] == 2  # exited at 6, signal at review 4
    still = rule_versus_outcome(decisions, outcomes.assign(end=["still in progress", "reached"]))
    assert np.isnan(still.set_index("outcome").loc["still in progress", "median lead"])  # no outcome yet


def test_single_initiative_log_without_optional_columns():
    log = pd.DataFrame({"review": [1, 2, 2], "kind": ["disbelieve", "disbelieve", "believe"]})
    out = reason_balance(log)
    assert out["initiative"].unique().tolist() == ["my initiative"]
    assert out["balance"].tolist() == [-1, -1]


def test_log_errors_name_the_row():
    bad = LOG.assign(kind=["believe"] * 7 + ["maybe"])
    with pytest.raises(
        InputError, match=r"row 7.*kind.*column 'kind', value 'maybe'|column 'kind', value 'maybe'.*row 7"
    ):
        reason_balance(bad)
    with pytest.raises(InputError, match="weight of 1, 2 or 3"):
        reason_balance(LOG.assign(weight=[2, 1, 3, 2, 3, 1, 2, 5]))
    with pytest.raises(InputError, match="more weight dropped than was added"):
        reason_balance(pd.DataFrame({"review": [1], "kind": ["believe"], "action": ["drop"]}))
    with pytest.raises(ParameterError, match="no column 'kind'"):
        reason_balance(pd.DataFrame({"review": [1]}))
    with pytest.raises(ParameterError, match="`k` must be a whole number"):
        exit_rule(reason_balance(LOG), k=0)


# -- Tuckman -------------------------------------------------------------------------------------

CONSTRUCTS = {"Forming": ["f1", "f2"], "Storming": ["s1", "s2"], "Norming": ["n1", "n2"], "Performing": ["p1", "p2"]}


def answers(team, wave, respondent, f, s, n, p):
    """One respondent's eight answers: (f1, f2), (s1, s2), ... as given."""
    values = {"f1": f[0], "f2": f[1], "s1": s[0], "s2": s[1], "n1": n[0], "n2": n[1], "p1": p[0], "p2": p[1]}
    return [
        {"group": team, "wave": wave, "respondent": respondent, "question": q, "value": v} for q, v in values.items()
    ]


def test_tuckman_scores_by_hand():
    # Team T, wave 1, two respondents:
    #   r1: forming (2,3)=2.5, storming (4,5)=4.5, norming (3,3)=3, performing (2,2)=2 -> own top storming
    #   r2: forming (3,3)=3,   storming (3,4)=3.5, norming (4,4)=4, performing (2,1)=1.5 -> own top norming
    # Team means: forming 2.75, storming 4.0, norming 3.5, performing 1.75 -> storming, margin 0.5,
    # agreement 1/2.
    rows = answers("T", 1, "r1", (2, 3), (4, 5), (3, 3), (2, 2)) + answers("T", 1, "r2", (3, 3), (3, 4), (4, 4), (2, 1))
    scores = tuckman_scores(pd.DataFrame(rows), CONSTRUCTS, min_group_size=2)
    row = scores.iloc[0]
    assert row[["forming", "storming", "norming", "performing"]].tolist() == [2.75, 4.0, 3.5, 1.75]
    assert row["stage"] == "storming" and row["margin"] == 0.5 and row["agreement"] == 0.5 and row["n"] == 2


def test_tuckman_tie_goes_to_earlier_stage_and_small_teams_are_suppressed():
    rows = answers("T", 1, "r1", (3, 3), (4, 4), (4, 4), (1, 1))
    tie = tuckman_scores(pd.DataFrame(rows), CONSTRUCTS, by=(), min_group_size=1)
    assert tie.loc[0, "stage"] == "storming" and tie.loc[0, "margin"] == 0
    hidden = tuckman_scores(pd.DataFrame(rows), CONSTRUCTS, min_group_size=5)
    assert hidden.loc[0, "stage"] == "suppressed" and np.isnan(hidden.loc[0, "storming"]) and hidden.loc[0, "n"] == 1


def test_tuckman_needs_the_four_constructs():
    with pytest.raises(InputError, match="no construct 'performing'"):
        tuckman_scores(
            pd.DataFrame(answers("T", 1, "r", *[(1, 1)] * 4)),
            {"forming": ["f1"], "storming": ["s1"], "norming": ["n1"]},
        )


def test_stage_counts_in_stage_order():
    from helpers.lessons.value_journey.journey import stage_counts

    scores = pd.DataFrame(
        {
            "wave": ["wave 2", "wave 1", "wave 1", "wave 10"],
            "stage": ["norming", "storming", "suppressed", "performing"],
        }
    )
    table = stage_counts(scores)
    assert table.index.tolist() == ["wave 1", "wave 2", "wave 10"]
    assert table.columns.tolist() == ["forming", "storming", "norming", "performing", "suppressed"]
    assert table.loc["wave 1"].tolist() == [0, 1, 0, 0, 1]
    assert stage_counts(scores[scores["stage"] != "suppressed"], by=None).columns.tolist()[-1] == "performing"


def test_stuck_in_storming():
    scores = pd.DataFrame(
        {
            "group": ["A", "A", "A", "B", "B", "B", "C", "D", "D"],
            "wave": ["wave 1", "wave 2", "wave 10", "wave 1", "wave 2", "wave 10", "wave 1", "wave 1", "wave 2"],
            "stage": [
                "forming",
                "storming",
                "storming",
                "storming",
                "storming",
                "norming",
                "storming",
                "storming",
                "suppressed",
            ],
        }
    )
    table = stuck_in_storming(scores, waves=2).set_index("group")
    assert table.loc["A", "path"] == "forming > storming > storming"  # "wave 10" sorts after "wave 2"
    assert table["stuck"].tolist() == [True, False, False, False]
    assert table.loc["C", "note"] == "too few scored waves to tell"
    assert table.loc["D", "note"] == "too few scored waves to tell"  # the suppressed wave does not count
    assert stuck_in_storming(scores, waves=1).set_index("group")["stuck"].tolist() == [True, False, True, True]


# -- the learner's own tracker ---------------------------------------------------------------------


def test_tracker_log_goes_through_the_rule(tmp_path, monkeypatch):
    import datetime as dt

    from helpers.exercises import Tracker
    from helpers.lessons.value_journey.journey import from_tracker, tracker_advice

    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    tracker = Tracker(id="03-test-tracker", prompt="Track your initiative.", advice=tracker_advice(threshold=0, k=2))
    # review 1 (6 Jan): believe 2, disbelieve 3 -> -1 ; review 2 (3 Feb): disbelieve 1 -> -2: two below 0
    tracker.add("A partner brings a capability", "believe", 2, dt.date(2025, 1, 6))
    tracker.add("No budget committed", "disbelieve", 3, dt.date(2025, 1, 6))
    assert tracker.feedback_text.endswith("in a row): continue.")
    tracker.add("Key contact left", "disbelieve", 1, dt.date(2025, 2, 3))
    assert tracker.feedback_text == (
        "Balance -2 after 2 reviews. Rule (balance below 0 for 2 reviews in a row): graceful exit, "
        "signalled at review 2 (2025-02-03)."
    )
    log = from_tracker(tracker.entries())
    assert log["review"].tolist() == [1, 1, 2]
    assert reason_balance(log)["balance"].tolist() == [-1, -2]


# -- plots (helpers.plots.journey): assert on the artists ---------------------------------------------


@pytest.fixture
def agg_backend():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_timeline_artists(agg_backend):
    from matplotlib.colors import to_hex

    from helpers.notebook import PALETTE
    from helpers.plots.journey import plot_timeline

    states = ["latent value", "exploring", "cohering", "exited"]
    panel = pd.DataFrame(
        {
            "initiative": ["A"] * 4 + ["B"] * 3,
            "month": [1, 2, 3, 4, 1, 2, 3],
            "stage": ["latent value", "exploring", "exploring", "cohering", "latent value", "exploring", "exited"],
        }
    )
    fig = plot_timeline(panel, states, title="Two journeys (synthetic)")
    ax = fig.axes[0]
    assert ax.get_title() == "Two journeys (synthetic)"
    assert ax.get_xlabel() == "months since the initiative began"
    # one collection of bars per stage drawn: (left, width, row) of each bar, and the stage's colour
    bars = [
        (
            path.vertices[:, 0].min(),
            np.ptp(path.vertices[:, 0]),
            (path.vertices[:, 1].min() + path.vertices[:, 1].max()) / 2,
            to_hex(c.get_facecolor()[0]),
        )
        for c in ax.collections
        for path in c.get_paths()
    ]
    # A: latent (1 month), exploring (2), cohering (1); B: latent, exploring -> 5 spells
    assert len(bars) == 5
    assert sorted((left, width) for left, width, _, _ in bars) == [(0, 1), (0, 1), (1, 1), (1, 2), (3, 1)]
    assert all(abs(np.ptp(c.get_paths()[0].vertices[:, 1]) - 0.8) < 1e-9 for c in ax.collections)  # bar height
    assert sorted((row, colour) for _, _, row, colour in bars) == sorted(
        [(0, to_hex(PALETTE[4])), (1, to_hex(PALETTE[4])), (0, to_hex(PALETTE[0])), (1, to_hex(PALETTE[0]))]
        + [(0, to_hex(PALETTE[1]))]
    )
    cross = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(cross) == 1 and cross[0].get_xdata().tolist() == [2.5]  # B exits in month 3
    # A reached further (cohering), so it is the top row (y = 0); B's exit cross sits on row 1
    assert cross[0].get_ydata().tolist() == [1]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == states


def test_km_plot_artists(agg_backend):
    from helpers.plots.journey import plot_km
    from helpers.stats.survival import kaplan_meier

    data = pd.DataFrame(
        {"months": [1, 2, 2, 3, 4, 5, 6, 6], "cohered": [1, 1, 0, 1, 0, 1, 1, 0], "trust": ["yes"] * 4 + ["no"] * 4}
    )
    fig = plot_km(
        kaplan_meier(data, "months", "cohered", "trust"), ylabel="share not yet cohered", legend_title="early trust"
    )
    ax = fig.axes[0]
    assert ax.get_ylabel() == "share not yet cohered" and ax.get_xlabel() == "months"
    assert ax.get_title().startswith("Kaplan-Meier curves")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["no (n = 4, events = 2)", "yes (n = 4, events = 3)"]
    steps = [line for line in ax.get_lines() if line.get_linewidth() == 2]
    assert len(steps) == 2
    # "yes": S = 3/4 after 1, 3/4*2/3 = 1/2 after 2, 0 after 3; the step starts at (0, 1)
    yes = steps[1]
    assert yes.get_xdata()[0] == 0 and yes.get_ydata()[0] == 1
    assert yes.get_ydata()[-1] == 0
    ticks = [line for line in ax.get_lines() if line.get_marker() == "|"]
    assert [len(t.get_xdata()) for t in ticks] == [2, 1]  # censored: no at 4 and 6; yes at 2
    assert len(ax.collections) == 2  # one interval band per group


def test_balance_plot_marks_exit_signal(agg_backend, balances):
    from helpers.plots.journey import plot_balance

    decisions = exit_rule(balances, threshold=0, k=3)
    fig = plot_balance(balances, ["A", "B"], threshold=0, k=3, decisions=decisions)
    ax = fig.axes[0]
    diamonds = [line for line in ax.get_lines() if line.get_marker() == "D"]
    assert len(diamonds) == 1 and diamonds[0].get_xdata().tolist() == [4] and diamonds[0].get_ydata().tolist() == [-4]
    assert "threshold 0\n(exit after 3 reviews below)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert ax.get_title().startswith("Reasons to believe minus")


def _reason_balance_one_unit_at_a_time(log, unit="initiative", review="review"):
    """The per-unit loop reason_balance used to run: the reference its all-at-once sums must equal."""
    from helpers.lessons.value_journey.journey import _clean_log

    log = _clean_log(log, unit, review)
    sign = np.where(log["action"] == "add", 1, -1) * log["weight"]
    log = log.assign(
        believe=np.where(log["kind"] == "believe", sign, 0), disbelieve=np.where(log["kind"] == "disbelieve", sign, 0)
    )
    rows = []
    for name, entries in log.groupby(unit, sort=True):
        per_review = entries.groupby(review)[["believe", "disbelieve"]].sum()
        reviews = range(int(per_review.index.min()), int(per_review.index.max()) + 1)
        standing = per_review.reindex(reviews, fill_value=0).cumsum()
        if (standing < 0).any().any():
            return f"{name!r}, review {standing[(standing < 0).any(axis=1)].index[0]}"
        standing["balance"] = standing["believe"] - standing["disbelieve"]
        standing.insert(0, unit, name)
        rows.append(standing.rename_axis(review).reset_index())
    columns = [unit, review, "believe", "disbelieve", "balance"]
    return pd.concat(rows, ignore_index=True)[columns].astype(
        {review: int, "believe": int, "disbelieve": int, "balance": int}
    )


@pytest.mark.parametrize("labels", [["a", "b", "c"], [3, 1, 2], None])
def test_reason_balance_equals_the_unit_by_unit_sums(labels):
    from helpers.errors import InputError
    from helpers.lessons.value_journey.journey import reason_balance

    rng = np.random.default_rng(16)
    for _ in range(60):
        n = int(rng.integers(1, 25))
        log = pd.DataFrame(
            {
                "review": rng.integers(1, 7, n),
                "kind": rng.choice(["believe", "disbelieve"], n),
                "weight": rng.integers(1, 4, n),
                "action": rng.choice(["add", "add", "add", "drop"], n),
            }
        )
        if labels is not None:
            log.insert(0, "initiative", rng.choice(labels, n))
        expected = _reason_balance_one_unit_at_a_time(log)
        if isinstance(expected, str):  # a drop without its add: the same unit and review named
            with pytest.raises(InputError, match=re.escape(expected)):
                reason_balance(log)
        else:
            pd.testing.assert_frame_equal(reason_balance(log), expected, check_exact=True)
