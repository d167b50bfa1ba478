"""Kernel-free tests of the basic exercise kinds: build, answer, click Check, read feedback and
the saved progress file."""

from __future__ import annotations

import json

import pytest

from helpers.errors import WorkbookError
from helpers.exercises import Categorise, MultipleChoice, Numeric, Order, SingleChoice
from helpers.exercises.base import WHERE_TO_ANSWER

pytestmark = pytest.mark.usefixtures("progress_file")  # a private progress file (conftest.py)


def saved(path):
    return json.loads(path.read_text(encoding="utf-8"))["exercises"]


def single():
    return SingleChoice(
        id="04-what-is-w",
        prompt="What does Kendall's W measure?",
        options=["Agreement among raters of one party", "Alignment between two parties", "The size of a group"],
        answer="Agreement among raters of one party",
        feedback={
            "Alignment between two parties": "Between parties we compare two rankings with tau.",
            "The size of a group": "W is a coefficient from 0 to 1, not a count.",
        },
        hint="W is a coefficient of concordance.",
        explanation="W runs from 0 (no agreement) to 1 (everyone ranks alike).",
    )


def test_single_choice_wrong_then_right(progress_file):
    exercise = single()
    exercise.choice.value = "The size of a group"
    exercise.check_button.click()
    assert exercise.feedback_text == (
        "Not yet. W is a coefficient from 0 to 1, not a count.\nHint: W is a coefficient of concordance."
    )
    entry = saved(progress_file)["04-what-is-w"]
    assert entry["answer"] == "The size of a group"
    assert (entry["attempts"], entry["completed"], entry["kind"]) == (1, False, "SingleChoice")

    exercise.choice.value = "Alignment between two parties"
    exercise.check_button.click()
    assert "compare two rankings with tau" in exercise.feedback_text

    exercise.choice.value = "Agreement among raters of one party"
    exercise.check_button.click()
    assert exercise.feedback_text == ("Correct.\nW runs from 0 (no agreement) to 1 (everyone ranks alike).")
    assert "workbook-correct" in exercise.feedback.value
    entry = saved(progress_file)["04-what-is-w"]
    assert (entry["attempts"], entry["completed"]) == (3, True)


def test_check_without_answer_is_not_an_attempt(progress_file):
    exercise = single()
    exercise.check_button.click()
    assert exercise.feedback_text == "Choose an option, then press Check."
    assert not progress_file.exists()


def test_progress_restored_on_rerun_and_completion_kept(progress_file):
    first = single()
    first.choice.value = "Agreement among raters of one party"
    first.check_button.click()
    first.choice.value = "The size of a group"
    first.check_button.click()
    again = single()  # the cell is re-run
    assert again.choice.value == "The size of a group"
    assert again.attempts == 2 and again.completed
    assert again.feedback_text.startswith("Not yet. W is a coefficient")


def test_static_fallback_is_deterministic_and_hides_the_answer(progress_file):
    exercise = single()
    bundle = exercise._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == (
        "Exercise 04-what-is-w (single choice)\n"
        "What does Kendall's W measure?\n"
        "Options:\n"
        "  - Agreement among raters of one party\n"
        "  - Alignment between two parties\n"
        "  - The size of a group\n" + WHERE_TO_ANSWER
    )
    assert "<li>The size of a group</li>" in bundle["text/html"]
    # answering and restoring must not change the static outputs
    exercise.choice.value = "Agreement among raters of one party"
    exercise.check_button.click()
    restored = single()
    assert restored._repr_mimebundle_()["text/plain"] == bundle["text/plain"]
    assert restored._repr_mimebundle_()["text/html"] == bundle["text/html"]
    for text in (bundle["text/plain"], bundle["text/html"]):
        assert "W runs from 0" not in text and "tau" not in text and "Hint" not in text


def test_reveal_only_in_trainer_edition(monkeypatch):
    assert single().reveal_button is None
    with pytest.raises(WorkbookError, match="trainer edition"):
        single().reveal()
    monkeypatch.setenv("WORKBOOK_EDITION", "trainer")
    exercise = single()
    exercise.reveal_button.click()
    assert exercise.feedback_text.startswith("Answer: Agreement among raters of one party")
    monkeypatch.setenv("WORKBOOK_EDITION", "teacher")  # unknown value: the safe default
    assert single().reveal_button is None


def test_single_choice_demands_feedback_for_every_wrong_option():
    with pytest.raises(WorkbookError, match="'b' has no feedback"):
        SingleChoice("x-1", "Q?", ["a", "b"], answer="a", feedback={})
    with pytest.raises(WorkbookError, match="not one of the options"):
        SingleChoice("x-1", "Q?", ["a", "b"], answer="c", feedback={"a": "..", "b": ".."})
    with pytest.raises(WorkbookError, match="lists 'a' twice"):
        SingleChoice("x-1", "Q?", ["a", "a"], answer="a")
    with pytest.raises(WorkbookError, match="not usable"):
        SingleChoice("bad id", "Q?", ["a", "b"], answer="a", feedback={"b": "no"})


def multiple():
    return MultipleChoice(
        "03-signs-of-storming",
        "Which are signs of a team stuck in storming?",
        options=["Roles are contested", "Meetings re-open settled decisions", "Shared KPIs are reviewed"],
        answers=["Roles are contested", "Meetings re-open settled decisions"],
        feedback={
            "Shared KPIs are reviewed": "Reviewing shared KPIs is a sign of performing.",
            "Meetings re-open settled decisions": "Re-opening decisions shows unresolved conflict.",
        },
        hint="Storming is about conflict over roles and direction.",
        explanation="Both show conflict the team has not worked through.",
    )


def test_multiple_choice_feedback(progress_file):
    exercise = multiple()
    exercise.boxes[0].value = True
    exercise.boxes[2].value = True
    exercise.check_button.click()
    assert exercise.feedback_text == (
        "Not yet. “Shared KPIs are reviewed” does not apply: Reviewing shared KPIs is a sign of "
        "performing. You ticked 1 of the 2 options that apply.\n"
        "Hint: Storming is about conflict over roles and direction."
    )
    exercise.boxes[2].value = False
    exercise.check_button.click()
    assert exercise.feedback_text.startswith("Not yet. You ticked 1 of the 2 options that apply. Re-opening decisions")
    exercise.boxes[1].value = True
    exercise.check_button.click()
    assert exercise.feedback_text.startswith("Correct.")
    entry = saved(progress_file)["03-signs-of-storming"]
    assert entry["answer"] == ["Roles are contested", "Meetings re-open settled decisions"]
    assert (entry["attempts"], entry["completed"]) == (3, True)
    assert multiple().boxes[1].value is True


def stages():
    return Order(
        "03-order-stages",
        "Put the stages of value creation in order.",
        items=["Latent value", "Convening", "Coalition", "Meta-organisation"],
        hint="Value is latent before anyone convenes.",
        explanation="Each stage builds the trust the next needs.",
        feedback={"Convening": "Someone must convene before a coalition can form."},
    )


def test_order_is_shuffled_deterministically_and_moves():
    first, second = stages(), stages()
    assert first.order == second.order != first.items
    assert sorted(first.order) == sorted(first.items)
    top = first.order[0]
    first.up_buttons[0].click()  # cannot move the top item up
    assert first.order[0] == top
    first.down_buttons[0].click()
    assert first.order[1] == top
    assert first.labels[1].value == f"2. {top}"
    assert first.up_buttons[0].disabled and first.down_buttons[-1].disabled


def test_order_feedback_names_a_wrong_pair(progress_file):
    exercise = stages()
    exercise.order = ["Coalition", "Convening", "Latent value", "Meta-organisation"]
    exercise.check_button.click()
    assert exercise.feedback_text == (
        "Not yet. 2 of 4 items are in the right place. “Coalition” cannot come before "
        "“Convening”. Someone must convene before a coalition can form.\n"
        "Hint: Value is latent before anyone convenes."
    )
    exercise._show_answer(exercise.items)
    exercise.check_button.click()
    assert exercise.feedback_text.startswith("Correct.")
    assert saved(progress_file)["03-order-stages"]["answer"] == exercise.items
    assert stages().order == exercise.items  # restored


def sorter():
    return Categorise(
        "01-ai-questions",
        "Appreciative or deficit question?",
        bins=["Appreciative", "Deficit"],
        items={
            "When did our joint work go best?": "Appreciative",
            "What keeps going wrong with the meters?": "Deficit",
        },
        feedback={
            "When did our joint work go best?": "It asks for a peak experience to build on.",
            "What keeps going wrong with the meters?": "It starts from a problem to fix.",
        },
        hint="Does the question look for what works?",
        explanation="Appreciative questions look for the best of what is.",
    )


def test_categorise_feedback(progress_file):
    exercise = sorter()
    boxes = list(exercise.dropdowns.values())
    boxes[0].value = "Deficit"
    exercise.check_button.click()
    assert exercise.feedback_text == "1 of 2 items have no group yet; choose one for each."
    assert not progress_file.exists()
    boxes[1].value = "Deficit"
    exercise.check_button.click()
    assert exercise.feedback_text == (
        "Not yet. 1 of 2 items are in the wrong group. “When did our joint work go best?” does "
        "not belong in Deficit: It asks for a peak experience to build on.\n"
        "Hint: Does the question look for what works?"
    )
    boxes[0].value = "Appreciative"
    exercise.check_button.click()
    assert exercise.feedback_text.startswith("Correct.")
    assert saved(progress_file)["01-ai-questions"]["completed"] is True
    assert all(box.description for box in boxes)  # every dropdown has a visible label


def test_categorise_checks_its_definition():
    with pytest.raises(WorkbookError, match="not one of the bins"):
        Categorise("x-2", "?", ["A", "B"], {"i": "C"}, feedback={"i": "."})
    with pytest.raises(WorkbookError, match="has no feedback"):
        Categorise("x-2", "?", ["A", "B"], {"i": "A"})


def share():
    return Numeric(
        "04-share-agree",
        "What share of the 50 respondents agreed (31 did)?",
        answer=0.62,
        tolerance=0.005,
        hint="Divide those who agreed by everyone who answered.",
        explanation="31 / 50 = 0.62.",
        feedback_low="Did you divide by more than the 50 who answered?",
        feedback_high="A share cannot be more than those who agreed out of all who answered.",
    )


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("0.5", "Not yet. Did you divide by more than the 50 who answered?"),
        ("0,7", "Not yet. A share cannot be more"),
        ("lots", "“lots” is not a number; type digits such as 0.5."),
        ("", "Type a number (for example 0.5), then press Check."),
        ("0,62", "Correct.\n31 / 50 = 0.62."),
        ("0.624", "Correct."),
    ],
)
def test_numeric_feedback(typed, expected):
    exercise = share()
    exercise.entry.value = typed
    exercise.check_button.click()
    assert exercise.feedback_text.startswith(expected)


def test_numeric_saves_the_number(progress_file):
    exercise = share()
    exercise.entry.value = "0.62"
    exercise.check_button.click()
    assert saved(progress_file)["04-share-agree"]["answer"] == 0.62
    assert share().entry.value == "0.62"


def test_every_basic_kind_has_labelled_inputs():
    for exercise in (single(), multiple(), stages(), sorter(), share()):
        labelled = [w for w in exercise.inputs if hasattr(w, "description")]
        assert all(getattr(w, "description", "") or getattr(w, "value", "") for w in labelled)
        assert exercise.check_button.description == "Check"
