"""RACI rules (validate_raci) and the RaciGrid widget."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError, WorkbookError
from helpers.exercises import RaciGrid, validate_raci
from helpers.exercises.raci import parse_cell

pytestmark = pytest.mark.usefixtures("progress_file")  # a private progress file (conftest.py)


ROLES = ["Landlord", "Utility", "Council", "Residents", "Contractor"]


def frame(rows):
    return pd.DataFrame(rows, index=[f"task {i + 1}" for i in range(len(rows))], columns=ROLES)


def test_valid_matrix_passes():
    check = validate_raci(frame([["A", "R", "C", "I", ""], ["A/R", "C", "", "I", "I"], ["I", "A", "", "", "R"]]))
    assert check.ok and check.errors == [] and check.warnings == []


def test_each_rule_is_reported_with_task_and_roles():
    check = validate_raci(
        frame(
            [
                ["A", "A", "R", "", "I"],  # two Accountable
                ["", "R", "", "", "I"],  # no Accountable
                ["A", "C", "C", "C", "I"],  # no Responsible, three Consulted (> 5 // 2 = 2)
            ]
        )
    )
    assert check.errors == [
        "“task 1” has 2 Accountable roles (Landlord, Utility): exactly one role must own the outcome, or no one does.",
        "“task 2” has no Accountable role: give exactly one role an A.",
        "“task 3” has no Responsible role: someone must do the work (an R).",
    ]
    assert check.warnings == [
        "“task 3” consults 3 roles (Utility, Council, Residents): each consultation slows the "
        "decision; could some be Informed instead?",
    ]
    assert not check.ok


def test_consulted_limit_is_a_parameter_and_unused_roles_are_flagged():
    matrix = frame([["A", "R", "C", "C", ""]])
    assert validate_raci(matrix).warnings == ["“Contractor” has no part in any task: is this role needed here?"]
    assert validate_raci(matrix, max_consulted=1).warnings[0].startswith("“task 1” consults 2 roles")


@pytest.mark.parametrize(
    "cell, letters",
    [
        ("A/R", {"A", "R"}),
        ("ar", {"A", "R"}),
        (" c ", {"C"}),
        ("", set()),
        (None, set()),
        (np.nan, set()),
        ("R, A", {"A", "R"}),
    ],
)
def test_parse_cell(cell, letters):
    assert parse_cell(cell) == frozenset(letters)


def test_bad_cell_names_task_role_and_value():
    with pytest.raises(InputError, match=r"column 'Utility', value 'X': the RACI cell for task 'task 1'"):
        validate_raci(frame([["A", "X", "", "", ""]]))


def grid(**kwargs):
    return RaciGrid(
        "05-raci",
        "Who does what in the meter roll-out?",
        tasks=["Agree the plan", "Fit the meters"],
        roles=["Landlord", "Utility", "Residents"],
        hint="Every task needs one owner (A) and someone doing it (R).",
        explanation="One A per task keeps decisions from stalling.",
        **kwargs,
    )


def test_grid_live_validation_check_and_progress(progress_file):
    exercise = grid()
    assert "Fill in the grid" in exercise.live.value
    exercise.check_button.click()
    assert exercise.feedback_text == "Choose letters in the grid, then press Check."
    exercise.cells["Agree the plan"]["Landlord"].value = "A"
    exercise.cells["Agree the plan"]["Utility"].value = "A"
    assert "2 Accountable roles (Landlord, Utility)" in exercise.live.value  # live, before Check
    exercise.check_button.click()
    assert exercise.feedback_text.startswith("Not yet. “Agree the plan” has 2 Accountable roles (Landlord, Utility)")
    assert exercise.feedback_text.endswith("Hint: Every task needs one owner (A) and someone doing it (R).")
    exercise.cells["Agree the plan"]["Utility"].value = "R"
    exercise.cells["Fit the meters"]["Utility"].value = "A/R"
    exercise.cells["Fit the meters"]["Residents"].value = "I"
    assert "The grid follows the RACI rules." in exercise.live.value
    exercise.check_button.click()
    assert exercise.feedback_text == "Correct.\nOne A per task keeps decisions from stalling."
    expected = pd.DataFrame(
        [["A", "R", ""], ["", "A/R", "I"]],
        index=pd.Index(["Agree the plan", "Fit the meters"], name="task"),
        columns=["Landlord", "Utility", "Residents"],
    )
    pd.testing.assert_frame_equal(exercise.matrix(), expected)
    entry = json.loads(progress_file.read_text())["exercises"]["05-raci"]
    assert entry["completed"] and entry["attempts"] == 2
    assert entry["answer"]["Fit the meters"]["Utility"] == "A/R"
    pd.testing.assert_frame_equal(grid().matrix(), expected)  # restored on re-run


def test_grid_cells_are_labelled_and_reveal_uses_solution(monkeypatch):
    exercise = grid()
    # each label names the role, and (for a screen reader, visually hidden) the task
    assert all(
        cell.description.endswith(f"</span>{role}") and f">{task}: </span>" in cell.description
        for task, row in exercise.cells.items()
        for role, cell in row.items()
    )
    monkeypatch.setenv("WORKBOOK_EDITION", "trainer")
    solved = grid(
        solution={
            "Agree the plan": {"Landlord": "A", "Utility": "R"},
            "Fit the meters": {"Utility": "A/R", "Residents": "I"},
        }
    )
    solved.reveal_button.click()
    assert solved.feedback_text.startswith(
        "Answer: Agree the plan: Landlord A, Utility R; Fit the meters: Utility A/R, Residents I"
    )
    with pytest.raises(WorkbookError, match="solution grid breaks the RACI rules"):
        grid(solution={"Agree the plan": {"Landlord": "R"}, "Fit the meters": {"Utility": "A/R"}})
