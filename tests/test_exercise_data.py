"""Exercises as data: the lesson files validate, errors name file, line, exercise and field, the
lesson texts are generated from the files, and a sealed key checks answers it does not show."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from helpers.errors import WorkbookError
from helpers.exercises import catalogue, lesson_text, seal
from helpers.exercises import spec as specs

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))


def test_every_lesson_file_validates_and_ids_are_unique():
    ids = []
    for path in catalogue.lesson_files():
        ids += [s.id for s in specs.load(path).exercises]
    assert len(ids) == len(set(ids)) == 25


def test_every_notebook_exercise_cell_names_an_exercise_of_the_files():
    import ast

    import nbformat

    known = {s.id for p in catalogue.lesson_files() for s in specs.load(p).exercises}
    named = set()
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            source = cell.source
            for kind in ("SingleChoice(", "MultipleChoice(", "Numeric(", "Order(", "Categorise(", "RaciGrid("):
                assert kind not in source, f"{path.name}: an exercise is still defined in a cell"
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "exercise":
                    named.add(node.args[0].value)
    assert named <= known
    assert known - named == set(), "every exercise in the files is used by a notebook"


def write(tmp_path, text):
    path = tmp_path / "09_test.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_error_names_file_line_exercise_and_field(tmp_path):
    path = write(
        tmp_path,
        """\
        lesson: 09_test
        exercises:
        - id: 09-fine
          kind: numeric
          title: Fine
          prompt: Two plus two?
          answer: 4
        - id: 09-broken
          kind: numeric
          title: Broken
          prompt: How much?
          answer: 1
          tolerance: lots
        """,
    )
    with pytest.raises(WorkbookError) as caught:
        specs.load(path)
    message = str(caught.value)
    assert str(path) in message and "line 8" in message and "'09-broken'" in message
    assert "field 'tolerance'" in message and "valid number" in message


def test_wrong_option_without_feedback_and_two_right_options_are_refused(tmp_path):
    path = write(
        tmp_path,
        """\
        lesson: 09_test
        exercises:
        - id: 09-choice
          kind: single_choice
          title: Choice
          prompt: Which?
          options:
          - {text: A, correct: true}
          - {text: B}
        """,
    )
    with pytest.raises(WorkbookError, match=r"'09-choice'.*wrong option 'B' needs `feedback`"):
        specs.load(path)
    path.write_text(path.read_text().replace("{text: B}", "{text: B, correct: true}"))
    with pytest.raises(WorkbookError, match="exactly one option"):
        specs.load(path)


def test_unknown_field_and_bad_yaml(tmp_path):
    path = write(
        tmp_path,
        """\
        lesson: 09_test
        exercises:
        - id: 09-x
          kind: order
          title: X
          prompt: Order them.
          items: [{text: a}, {text: b}]
          answer_key: [a, b]
        """,
    )
    with pytest.raises(WorkbookError, match="field 'answer_key'"):
        specs.load(path)
    path.write_text("lesson: [\n")
    with pytest.raises(WorkbookError, match=r"not valid YAML"):
        specs.load(path)


def test_lesson_texts_are_generated_from_the_exercise_files():
    checked = 0
    for path in catalogue.lesson_files():
        markdown = lesson_text.lesson_markdown_path(path)
        if "exercises:learner BEGIN" not in markdown.read_text(encoding="utf-8"):
            continue
        text = markdown.read_text(encoding="utf-8")
        assert lesson_text.render(text, specs.load(path)) == text, (
            f"{markdown.name} is out of date: run python -m helpers.exercises.lesson_text"
        )
        checked += 1
    assert checked >= 4


def test_lesson_text_changes_when_the_file_changes():
    path = ROOT / "lessons" / "exercises" / "04_things_that_matter.yaml"
    lesson = specs.load(path)
    changed = lesson.model_copy(
        update={
            "exercises": tuple(
                s.model_copy(update={"trainer_answer": "CHANGED"}) if s.id == "04-kendalls-w" else s
                for s in lesson.exercises
            )
        }
    )
    text = lesson_text.lesson_markdown_path(path).read_text(encoding="utf-8")
    assert "**Exercise 2.** CHANGED" in lesson_text.render(text, changed)


def test_sealed_key_opens_only_with_its_probe():
    key = seal.SealedKey()
    key.add("right", {"text": "the explanation"})
    restored = seal.SealedKey.from_json(json.loads(json.dumps(key.to_json())))
    assert restored.open("right") == {"text": "the explanation"}
    assert restored.open("wrong") is None
    assert "explanation" not in json.dumps(key.to_json())


@pytest.mark.parametrize("edition", ["student", "trainer"])
def test_numeric_answer_on_the_tolerance_grid(monkeypatch, tmp_path, edition):
    monkeypatch.setenv("WORKBOOK_EDITION", edition)
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    widget = catalogue.exercise("04-kendalls-w")
    assert (widget.sealed is not None) == (edition == "student")
    results = {}
    for typed in ("0.77", "0.778", "0.787", "0.79", "0.5", "2.33"):
        widget.entry.value = typed
        results[typed] = widget.check().correct
    assert results == {"0.77": True, "0.778": True, "0.787": True, "0.79": False, "0.5": False, "2.33": False}
    assert "m²" in widget.feedback_text  # the specific feedback of the known slip (2.33)
    widget.entry.value = "0.78"
    widget.check()
    assert "420 / 540" in widget.feedback_text  # the explanation opens once right


def test_spell_length_one_over_p_gets_its_own_feedback(monkeypatch, tmp_path):
    """03 Exercise 2: typing 1/p (1.15) names that slip, not p / (1 - p)."""
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    p = 0.869
    widget = catalogue.exercise(
        "03-spell-length",
        answer=7.6,
        mistakes={"one_over_p": 1 / p, "odds": p / (1 - p)},
        values={"stage": "teaming", "p_stay": p, "mean_spell": 1 / (1 - p)},
    )
    widget.entry.value = "1.15"
    widget.check()
    assert "1 / p" in widget.feedback_text and "p / (1 − p)?" not in widget.feedback_text
    widget.entry.value = "6.6"
    widget.check()
    assert "p / (1 − p)?" in widget.feedback_text


def test_choice_feedback_is_specific_for_each_wrong_option_in_the_student_edition(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    definition = specs.load(ROOT / "lessons" / "exercises" / "05_partnership_health_check.yaml")["05-kpi-review"]
    widget = catalogue.exercise("05-kpi-review")
    assert widget.sealed is not None and widget.reveal_button is None
    for option in definition.options:
        widget.choice.value = option.text
        verdict = widget.check()
        assert verdict.correct is option.correct
        assert (option.feedback or definition.explanation) in widget.feedback_text


def test_trainer_edition_reveals_the_answer(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBOOK_EDITION", "trainer")
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    widget = catalogue.exercise("04-kendalls-w")
    widget.reveal()
    assert "0.778" in widget.feedback_text and "420 / 540" in widget.feedback_text


def test_runtime_field_not_declared_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    with pytest.raises(WorkbookError, match="'answer' cannot be given in the notebook"):
        catalogue.exercise("04-kendalls-w", answer=1.0)
    with pytest.raises(WorkbookError, match="No exercise '04-nope'"):
        catalogue.exercise("04-nope")


def test_sealed_multiple_choice_and_order_give_the_plain_feedback(monkeypatch, tmp_path):
    """Sealing keeps every verdict: a multiple choice and an order judged sealed and plain alike."""
    from helpers.exercises import MultipleChoice, Order

    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    plain = {
        "kind": "multiple_choice",
        "id": "09-mc",
        "title": "MC",
        "prompt": "Tick the primes.",
        "hint": "Divisors.",
        "options": ["2", "3", "4", "9"],
        "answers": ["2", "3"],
        "feedback": {"4": "4 = 2 x 2.", "9": "9 = 3 x 3."},
        "explanation": "2 and 3 only.",
    }
    definition, key = catalogue.seal_definition(plain)
    assert "answers" not in definition and "2 and 3 only." not in json.dumps(key.to_json())
    sealed = MultipleChoice(**{k: v for k, v in definition.items() if k != "kind"}, sealed=key)
    clear = MultipleChoice(**{k: v for k, v in plain.items() if k != "kind"})
    for ticked in (["2", "4"], ["2"], ["2", "3"], ["9"]):
        assert sealed._verdict(ticked).correct == clear._verdict(ticked).correct
        assert sealed._verdict(ticked).why.split(" You ticked")[0] == clear._verdict(ticked).why.split(" You ticked")[0]
    assert sealed._verdict(["2", "3"]).explanation == "2 and 3 only."

    items = ["plan", "build", "test", "ship"]
    plain = {
        "kind": "order",
        "id": "09-order",
        "title": "O",
        "prompt": "Order.",
        "hint": None,
        "items": items,
        "feedback": {"test": "Test before you ship."},
        "explanation": "Plan first.",
    }
    definition, key = catalogue.seal_definition(plain)
    sealed = Order(**{k: v for k, v in definition.items() if k != "kind"}, sealed=key)
    clear = Order(**{k: v for k, v in plain.items() if k != "kind"})
    assert sealed.start == clear.start  # the same shuffle is shown
    for answer in (["build", "plan", "test", "ship"], ["plan", "build", "ship", "test"], items):
        assert (sealed._verdict(answer).correct, sealed._verdict(answer).why) == (
            clear._verdict(answer).correct,
            clear._verdict(answer).why,
        )
