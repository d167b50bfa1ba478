"""Notebook 00 run with other parameters: another seed, a participant's own poll file, a bad value."""

from __future__ import annotations

import re

import pytest

from conftest import cell_outputs as conftest_cell_outputs
from helpers.course import execute
from helpers.errors import WorkbookError
from helpers.paths import notebooks_dir

NOTEBOOK = notebooks_dir() / "00_start_here.ipynb"
pytestmark = pytest.mark.papermill


def cell_outputs(path) -> list[str]:
    return conftest_cell_outputs(path, kinds=("text/plain",))


def dice_counts(texts: list[str]) -> list[int]:
    table = next(t for t in texts if "times rolled" in t)
    return [int(m) for m in re.findall(r"^\d\s+(\d+)$", table, flags=re.MULTILINE)]


def test_another_seed_and_number_of_dice(tmp_path):
    texts = cell_outputs(execute(NOTEBOOK, tmp_path / "run.ipynb", parameters={"seed": 7, "dice": 600}))
    counts = dice_counts(texts)
    assert len(counts) == 6 and sum(counts) == 600
    stored = dice_counts(cell_outputs(NOTEBOOK))
    assert sum(stored) == 60
    joined = "\n".join(texts)
    assert "checks passed: your set-up matches the workbook's." in joined
    assert "Exercise: Which cell do you change? (single choice)" in joined


def test_a_participants_own_poll_file_is_reported(tmp_path):
    (tmp_path / "my_codebook.csv").write_text(
        "question,text,kind,scale,reverse,construct\n"
        "trust,I trust our partner,likert,No|Partly|Yes,false,\n"
        "pace,Rate the pace,rating,1-5,false,\n",
        encoding="utf-8",
    )
    (tmp_path / "my_poll.csv").write_text(
        "respondent,question,answer,group\n"
        "a1,trust,Yes,Team A\na1,pace,4,Team A\na2,trust,Partly,Team A\na2,pace,9,Team A\n"
        "a3,trust,Maybe,Team B\na3,pace,2,Team B\n",
        encoding="utf-8",
    )
    parameters = {"data_path": str(tmp_path / "my_poll.csv"), "codebook_path": str(tmp_path / "my_codebook.csv")}
    joined = "\n".join(cell_outputs(execute(NOTEBOOK, tmp_path / "own.ipynb", parameters=parameters)))
    assert "PollData: 4 answers from 3 respondents to 2 questions" in joined
    assert "my_poll.csv (tidy): 6 rows read" in joined
    assert "value '9'" in joined and "value 'Maybe'" in joined
    assert str(tmp_path) not in joined  # no folder paths in outputs
    assert "a1" not in joined.split("PollData")[1]  # respondent ids never shown


def test_a_bad_parameter_stops_with_a_plain_message(tmp_path):
    with pytest.raises(WorkbookError, match=r"Parameter `dice` must be a whole number from 1 to 1000"):
        execute(NOTEBOOK, tmp_path / "bad.ipynb", parameters={"dice": 0})
