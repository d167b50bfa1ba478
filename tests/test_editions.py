"""Student and trainer editions: the student build holds no solution/trainer cell and no reveal
button; proved by executing the fixture notebook in each edition in a real kernel."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import papermill
import pytest

from helpers.editions import defines_checked_exercise, kernel_environment, make_edition
from helpers.errors import WorkbookError

FIXTURE = Path(__file__).parent / "fixtures" / "exercise_app.ipynb"
REVEAL = "Show answer (trainer)"


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each edition made from the fixture and run by papermill with that edition's environment (on the
    suite's warm kernel, reset in between: the edition is read from the environment when an exercise is shown)."""
    results = {}
    for edition in ("student", "trainer"):
        folder = tmp_path_factory.mktemp(edition)
        nb = make_edition(nbformat.read(FIXTURE, as_version=4), edition)
        with pytest.MonkeyPatch.context() as patch:
            for name, value in kernel_environment(edition).items():
                patch.setenv(name, value)
            patch.setenv("WORKBOOK_PROGRESS", str(folder / "progress.json"))
            nb = papermill.execute_notebook(
                nb, str(folder / "executed.ipynb"), cwd=str(folder), progress_bar=False, kernel_name="python3"
            )
        results[edition] = (nb, folder)
    return results


def widget_descriptions(nb):
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return [model["state"].get("description") for model in state.values()]


def all_text(nb):
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.extend(str(v) for v in output.get("data", {}).values())
    return "\n".join(parts)


def exercise_output(nb):
    cell = next(c for c in nb.cells if "SingleChoice(" in c.source and "id=" in c.source)
    (output,) = cell.outputs
    return cell, output


def test_student_edition_has_no_solution_no_notes_no_reveal(executed):
    nb, folder = executed["student"]
    assert nb.metadata["workbook"]["edition"] == "student"
    assert not any(tags(cell) & {"solution", "trainer"} for cell in nb.cells)
    text = all_text(nb)
    assert "Solution:" not in text and "Trainer note" not in text
    descriptions = widget_descriptions(nb)
    assert "Check" in descriptions  # the exercise really ran and saved its widget state
    assert REVEAL not in descriptions
    cell, output = exercise_output(nb)
    assert cell.metadata["jupyter"]["source_hidden"] is True  # answer key folded away
    assert "application/vnd.jupyter.widget-view+json" in output["data"]
    assert output["data"]["text/plain"].startswith("Exercise fixture-kendall-w (single choice)")
    assert "within one party" not in output["data"]["text/plain"]  # feedback never in the fallback
    assert not (folder / "progress.json").exists()  # running a notebook saves no answers


def test_trainer_edition_keeps_everything_and_offers_reveal(executed):
    nb, _ = executed["trainer"]
    assert nb.metadata["workbook"]["edition"] == "trainer"
    assert {"solution", "trainer"} <= set().union(*(tags(cell) for cell in nb.cells))
    assert "Solution: the answer is the first option" in all_text(nb)
    assert REVEAL in widget_descriptions(nb)
    assert "source_hidden" not in exercise_output(nb)[0].metadata.get("jupyter", {})
    assert len(nb.cells) == len(nbformat.read(FIXTURE, as_version=4).cells)


def test_static_output_is_the_same_in_both_editions(executed):
    student = exercise_output(executed["student"][0])[1]
    trainer = exercise_output(executed["trainer"][0])[1]
    for mime in ("text/plain", "text/html"):
        assert student["data"][mime] == trainer["data"][mime]


def test_make_edition_leaves_the_source_alone_and_drops_saved_widget_state():
    source = nbformat.read(FIXTURE, as_version=4)
    source.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    before = copy.deepcopy(source)
    student = make_edition(source, "student")
    assert source == before
    assert "widgets" not in student.metadata
    assert "widgets" in make_edition(source, "trainer").metadata
    assert len(student.cells) == len(source.cells) - 2
    with pytest.raises(WorkbookError, match="Unknown edition 'teacher'"):
        make_edition(source, "teacher")
    assert kernel_environment("trainer") == {"WORKBOOK_EDITION": "trainer"}


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from helpers.exercises import Numeric\nNumeric('a', 'b', answer=1)", True),
        ("import helpers.exercises as ex\nex.RaciGrid('a', 'b', ['t'], ['r', 's'])", True),
        ("Tracker('03-t', 'Track it')", False),
        ("%matplotlib inline\nSingleChoice(id='x')", True),
        ("print('Order matters')", False),
    ],
)
def test_detects_cells_that_hold_an_answer_key(source, expected):
    assert defines_checked_exercise(source) is expected


def test_restored_progress_changes_the_widget_not_the_stored_text(executed, tmp_path, monkeypatch):
    """A saved answer is restored into the widget when the notebook runs, while the text outputs
    nbval compares stay byte-identical to a run without progress."""
    saved_answer = "90% of members answered"
    progress_file = tmp_path / "progress.json"
    progress_file.write_text(
        json.dumps(
            {
                "format": "collaborative-working-workbook/progress",
                "version": 1,
                "exercises": {
                    "fixture-kendall-w": {
                        "kind": "SingleChoice",
                        "answer": saved_answer,
                        "attempts": 1,
                        "completed": False,
                    }
                },
            }
        )
    )
    before = progress_file.read_bytes()
    nb = make_edition(nbformat.read(FIXTURE, as_version=4), "student")
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(progress_file))
    monkeypatch.delenv("WORKBOOK_EDITION", raising=False)
    nb = papermill.execute_notebook(
        nb, str(tmp_path / "executed.ipynb"), cwd=str(tmp_path), progress_bar=False, kernel_name="python3"
    )
    fresh = exercise_output(executed["student"][0])[1]
    restored = exercise_output(nb)[1]
    for mime in ("text/plain", "text/html"):
        assert restored["data"][mime] == fresh["data"][mime]
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    radios = [m["state"] for m in state.values() if m["model_name"] == "RadioButtonsModel"]
    assert radios[0]["_options_labels"][radios[0]["index"]] == saved_answer
    assert progress_file.read_bytes() == before  # restoring never writes
