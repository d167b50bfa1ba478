"""Open exercises (no right answer): LikertForm, Simulator, Tracker."""

from __future__ import annotations

import datetime as dt
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.errors import WorkbookError  # noqa: E402
from helpers.exercises import LikertForm, Simulator, Tracker  # noqa: E402
from helpers.notebook import PALETTE  # noqa: E402
from helpers.polls import Codebook  # noqa: E402

pytestmark = pytest.mark.usefixtures("progress_file")  # a private progress file (conftest.py)


def saved(path, exercise_id):
    return json.loads(path.read_text())["exercises"][exercise_id]


def codebook():
    return Codebook.from_frame(
        pd.DataFrame(
            {
                "question": ["goals", "silence", "role", "note"],
                "text": ["We share goals.", "Problems go unspoken.", "Your role", "Anything else?"],
                "kind": ["likert", "likert", "single_choice", "open_text"],
                "scale": ["Disagree|Neutral|Agree", "Disagree|Neutral|Agree", "Lead|Partner", ""],
                "reverse": ["false", "true", "false", "false"],
                "construct": ["communication", "communication", "", ""],
            }
        )
    )


def test_likert_form_returns_tidy_scored_responses(progress_file):
    form = LikertForm("05-health", "How is your partnership?", codebook(), attributes={"party": "Landlord"})
    assert list(form.choices) == ["goals", "silence", "role"]  # open text is not a button question
    assert [box.description for box in form.choices.values()] == ["Answer 1:", "Answer 2:", "Answer 3:"]
    form.save_button.click()
    assert form.feedback_text == "Answer at least one question, then press Save."
    form.choices["goals"].value = "Agree"
    form.choices["silence"].value = "Agree"
    form.save_button.click()
    assert form.feedback_text == "Saved 2 of 3 answers. Answer the rest when you are ready."
    assert saved(progress_file, "05-health")["completed"] is False
    form.choices["role"].value = "Partner"
    form.save_button.click()
    assert form.feedback_text == "Saved 3 of 3 answers."
    entry = saved(progress_file, "05-health")
    assert entry["completed"] is True and entry["answer"]["silence"] == "Agree"

    responses = form.responses()
    assert list(responses.columns) == ["respondent", "question", "answer", "value", "party"]
    assert responses["question"].tolist() == ["goals", "silence", "role"]
    assert responses["answer"].tolist() == ["Agree", "Agree", "Partner"]
    assert responses["value"].iloc[0] == 3.0 and responses["value"].iloc[1] == 1.0  # reverse-keyed
    assert pd.isna(responses["value"].iloc[2])
    assert responses["party"].unique().tolist() == ["Landlord"]
    assert responses["respondent"].nunique() == 1 and responses["respondent"].iloc[0] != "you"

    again = LikertForm("05-health", "How is your partnership?", codebook(), attributes={"party": "Landlord"})
    assert again.choices["role"].value == "Partner"
    assert again.feedback_text == "Saved 3 of 3 answers."


def test_likert_form_refuses_unknown_or_open_questions():
    with pytest.raises(WorkbookError, match="'trust' is not in the codebook"):
        LikertForm("x", "?", codebook(), questions=["trust"])
    with pytest.raises(WorkbookError, match="'note' is open_text"):
        LikertForm("x", "?", codebook(), questions=["note"])


def contract_model(delay_weeks, flexibility):
    figure, axes = plt.subplots()
    axes.bar(["cost"], [delay_weeks * (1 - flexibility)], color=PALETTE[0])
    axes.set_title(f"delay {delay_weeks}, flexibility {flexibility:.1f}")
    return figure


PNG = b"\x89PNG\r\n\x1a\n"


def png(view):
    """The bytes a FigureView's Image shows (ipywidgets keeps them as a memoryview)."""
    return bytes(view.image.value)


def test_simulator_redraws_and_saves(progress_file):
    plt.close("all")  # figures other tests left open are not this test's business
    sim = Simulator(
        "01-contracts",
        "Move the sliders.",
        contract_model,
        sliders={"delay_weeks": (0, 20, 1, 4), "flexibility": (0.0, 1.0, 0.1, 0.5)},
        labels={"delay_weeks": "Delay (weeks)"},
    )
    assert sim.figure.axes[0].get_title() == "delay 4, flexibility 0.5"
    first = png(sim.plot)
    assert first.startswith(PNG) and sim.plot.image.format == "png"
    assert sim.plot.image in sim.widget.children[1 + len(sim.sliders)].children  # under the sliders
    assert sim.plot.caption.value == "Figure: delay 4, flexibility 0.5"
    assert plt.get_fignums() == []  # the model's figure is closed once it is an image
    assert [s.description for s in sim.sliders.values()] == ["Delay (weeks)", "flexibility"]
    assert type(sim.sliders["delay_weeks"]).__name__ == "IntSlider"
    assert not progress_file.exists()  # building alone saves nothing
    image = sim.plot.image
    sim.sliders["delay_weeks"].value = 10
    assert sim.figure.axes[0].get_title() == "delay 10, flexibility 0.5"
    assert sim.plot.image is image  # redrawn in place, not a new widget
    assert png(sim.plot).startswith(PNG) and png(sim.plot) != first
    assert sim.plot.caption.value == "Figure: delay 10, flexibility 0.5"
    sim.sliders["delay_weeks"].value = 4
    assert png(sim.plot) == first  # same figure, same bytes (no software/version metadata)
    sim.sliders["delay_weeks"].value = 10
    assert saved(progress_file, "01-contracts")["answer"] == {"delay_weeks": 10, "flexibility": 0.5}
    assert plt.get_fignums() == []  # figures are closed after display, none leak into the cell
    restored = Simulator(
        "01-contracts",
        "Move the sliders.",
        contract_model,
        sliders={"delay_weeks": (0, 20, 1, 4), "flexibility": (0.0, 1.0, 0.1, 0.5)},
    )
    assert restored.values() == {"delay_weeks": 10, "flexibility": 0.5}
    assert "Delay" not in restored.text_fallback() and "delay weeks (0 to 20)" in restored.text_fallback()


def test_simulator_shows_model_errors_and_checks_sliders():
    def fussy(x):
        if x > 1:
            raise WorkbookError("x above 1 has no meaning in this model.")
        return contract_model(x, 0.0)

    sim = Simulator("01-fussy", "Try it.", fussy, sliders={"x": (0, 3, 1, 1)})
    shown = png(sim.plot)
    sim.sliders["x"].value = 2
    assert sim.feedback_text == "x above 1 has no meaning in this model."
    assert png(sim.plot) == shown  # the last figure that could be drawn stays
    sim.sliders["x"].value = 0
    assert sim.feedback_text == "" and png(sim.plot) != shown
    with pytest.raises(WorkbookError, match="min < max"):
        Simulator("01-bad", "?", fussy, sliders={"x": (3, 0, 1, 1)})
    with pytest.raises(WorkbookError, match="returned str, not a matplotlib Figure"):
        Simulator("01-text", "?", lambda x: "a chart", sliders={"x": (0, 3, 1, 1)})


def test_simulator_caption_names_titles_and_axes():
    def labelled(x):
        figure, axes = plt.subplots()
        axes.plot([0, x], [0, 1], color=PALETTE[0])
        axes.set_xlabel("weeks late")
        axes.set_ylabel("cost")
        figure.suptitle("Delay cost")
        return figure

    sim = Simulator("01-labelled", "Try it.", labelled, sliders={"x": (1, 3, 1, 2)})
    assert sim.plot.caption.value == ("Figure: Delay cost. horizontal axis: weeks late; vertical axis: cost")
    assert plt.get_fignums() == []


def test_tracker_entries_balance_and_advice(progress_file):
    def advice(balance):
        return "Discuss a graceful exit." if balance["balance"].iloc[-1] < 0 else "Keep going."

    figures_before = plt.get_fignums()
    tracker = Tracker("03-believe", "Track your initiative.", advice=advice)
    assert png(tracker.plot) == b"" and tracker.plot.image.layout.display == "none"
    assert tracker.plot.caption.value == "No reasons yet, so there is no plot."
    tracker.add_button.click()
    assert tracker.feedback_text == "Write the reason first, then press Add reason."
    tracker.date.value = dt.date(2024, 3, 1)
    tracker.reason.value = "Partners co-funded the pilot"
    tracker.weight.value = 2
    tracker.add_button.click()
    assert tracker.feedback_text == "Keep going."
    first = png(tracker.plot)
    assert first.startswith(PNG) and tracker.plot.image.layout.display is None
    tracker.add("Steering group missed twice", kind="disbelieve", weight=3, date=dt.date(2024, 4, 1))
    tracker.add("Data sharing agreed", kind="believe", weight=1, date=dt.date(2024, 3, 15))
    assert tracker.feedback_text == "Keep going."  # 2 + 1 - 3 = 0 at the end
    tracker.add("Lead partner withdrew", kind="disbelieve", weight=1, date=dt.date(2024, 4, 1))
    assert tracker.feedback_text == "Discuss a graceful exit."
    assert png(tracker.plot).startswith(PNG) and png(tracker.plot) != first
    assert tracker.plot.caption.value == (
        "Figure: Reasons to believe and to disbelieve over time, 2024-03-01 to 2024-04-01; balance on 2024-04-01: -1."
    )
    assert plt.get_fignums() == figures_before  # every redraw closed its figure

    entries = tracker.entries()
    assert entries["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-01", "2024-03-15", "2024-04-01", "2024-04-01"]
    assert entries["kind"].tolist() == ["believe", "believe", "disbelieve", "disbelieve"]
    balance = tracker.balance()
    assert balance["balance"].tolist() == [2, 3, -1]
    assert balance["disbelieve"].tolist() == [0, 0, 4]
    assert "Partners co-funded the pilot" in tracker.table.value

    tracker.remove_button.click()
    assert tracker.balance()["balance"].tolist() == [2, 3, 0]
    entry = saved(progress_file, "03-believe")
    assert entry["attempts"] == 5 and len(entry["answer"]) == 3 and entry["completed"]
    assert Tracker("03-believe", "Track your initiative.").entries().equals(tracker.entries())


def test_tracker_reasons_without_dates_are_successive_reviews_and_plot_is_sharp(tmp_path, monkeypatch):
    """03's tracker: with no date picked each reason is its own review (the rule can say exit); the
    figure is shown at its natural size (not stretched) with the legend below the axes."""
    import datetime as dt

    from helpers.exercises import Tracker

    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    tracker = Tracker("03-t", "Track it.")
    for reason in ("partner left", "budget cut", "no sponsor"):
        tracker.add(reason, kind="disbelieve", weight=2)
    balance = tracker.balance()
    assert len(balance) == 3 and list(balance["balance"]) == [-2, -4, -6]
    assert (balance["date"].iloc[2] - balance["date"].iloc[0]) == dt.timedelta(days=2)
    png = tracker.plot.image.value
    width = int.from_bytes(png[16:20], "big")
    assert tracker.plot.image.layout.width == f"{round(width / 2)}px" and width >= 1000


def test_live_view_redraws_on_save_without_rerunning_a_cell(progress_file):
    """04's live poll in Voilà: the comparison below the form follows every Save (no re-run)."""
    form = LikertForm("04-live", "Your view.", codebook())
    view = form.live(lambda f: f.responses()[["question", "answer", "value"]])
    assert "No answers yet" in view.widget.value and "<table" not in view.widget.value
    assert view._repr_mimebundle_()["text/plain"].startswith("No answers yet")
    form.choices["goals"].value = "Agree"
    assert "<table" not in view.widget.value  # chosen but not saved: nothing shown yet
    form.save_button.click()
    assert "<table" in view.widget.value and "goals" in view.widget.value and "Agree" in view.widget.value
    form.choices["silence"].value = "Disagree"
    form.save_button.click()
    assert "silence" in view.widget.value
