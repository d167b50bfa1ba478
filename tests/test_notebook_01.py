"""Notebook 01 run with other data: another seed and case, a trainer's own small pre/post evaluation."""

from __future__ import annotations

import pytest

from conftest import notebook_outputs
from helpers.cases import landlord_utility as case
from helpers.cases import write_tables
from helpers.course import execute
from helpers.errors import WorkbookError
from helpers.paths import notebooks_dir
from helpers.stats import change

NOTEBOOK = notebooks_dir() / "01_landlord_and_utility.ipynb"
pytestmark = pytest.mark.papermill

LIKERT = "Strongly disagree|Disagree|Neither|Agree|Strongly agree"
LABELS = LIKERT.split("|")


def outputs(path) -> str:
    """All code-cell outputs of an executed notebook as one text, without papermill's parameter cell."""
    return notebook_outputs(path, skip_injected=True)


def test_another_seed_and_generated_case(tmp_path):
    write_tables(case.build(7), tmp_path)
    folder = tmp_path / case.FOLDER
    parameters = {
        "data_path": str(folder / "evaluation.csv"),
        "codebook_path": str(folder / "evaluation_codebook.csv"),
        "schedule_path": str(folder / "milestones.csv"),
        "seed": 3,
        "n_simulations": 500,
        "tolerance": 2.0,
        "planned_effect": 0.8,
    }
    text = outputs(execute(NOTEBOOK, tmp_path / "run.ipynb", parameters=parameters))
    assert "evaluation.csv (tidy): 182 rows read, 182 used, 0 rejected" in text
    assert "pre -&gt; follow-up" in text and "pre -&gt; post" in text
    # the simulation ran with the new size and band
    assert "<th>tolerance band (weeks)</th>\n      <td>0.00</td>\n      <td>2.00</td>" in text
    assert "<th>simulated projects</th>\n      <td>500</td>\n      <td>500</td>" in text
    # planning for d = 0.8: 14.30 pairs -> 15; 25.52 per group -> 26 (52 people)
    assert "<td>0.8</td>\n      <td>14.30</td>\n      <td>15</td>" in text
    assert "<td>0.8</td>\n      <td>25.52</td>\n      <td>26</td>\n      <td>52</td>" in text
    # another case seed gives other ratings than the bundled notebook
    assert text != outputs(NOTEBOOK)


def _write_own_workshop(tmp_path):
    """Six people, two parties of three, rated before and after on three agreement items."""
    before = {"trust": [1, 2, 2, 3, 1, 2], "conflict": [2, 2, 3, 3, 2, 1], "painful": [4, 5, 4, 3, 4, 5]}
    after = {"trust": [3, 3, 4, 4, 2, 4], "conflict": [3, 2, 3, 4, 3, 3], "painful": [4, 4, 3, 3, 3, 4]}
    lines = ["respondent,name,question,answer,party,wave"]
    for wave, table in (("before", before), ("after", after)):
        for question, values in table.items():
            for i, value in enumerate(values):
                party = "Council" if i < 3 else "Contractor"
                lines.append(f"P{i + 1},Person Surname{i + 1},{question},{LABELS[value - 1]},{party},{wave}")
    data = tmp_path / "my_workshop.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    codebook = tmp_path / "my_codebook.csv"
    codebook.write_text(
        "question,text,kind,scale,reverse,construct\n"
        f"trust,I trust the people in the other organisation,likert,{LIKERT},false,relationship\n"
        f"conflict,We deal well with disagreements,likert,{LIKERT},false,relationship\n"
        f"painful,Changing the contract is painful,likert,{LIKERT},true,contract\n",
        encoding="utf-8",
    )
    return data, codebook, before, after


def test_own_small_pre_post_evaluation(tmp_path):
    data, codebook, before, after = _write_own_workshop(tmp_path)
    parameters = {
        "data_path": str(data),
        "codebook_path": str(codebook),
        "waves": "before, after",
        "focus_question": "trust",
        "n_simulations": 200,
    }
    text = outputs(execute(NOTEBOOK, tmp_path / "run.ipynb", parameters=parameters))
    assert "my_workshop.csv (tidy): 36 rows read, 36 used, 0 rejected" in text
    assert "Personal data dropped: name." in text
    assert "Surname" not in text and "P1" not in text  # no names, no raw respondent ids
    assert "follow-up" not in text.split("Exercise: The smallest p (single choice)")[0]
    assert "before -&gt; after" in text
    # the trust row matches the change module on the same six pairs
    hl = change.hodges_lehmann(before["trust"], after["trust"])
    assert f"{hl.estimate:.2f} [{hl.ci[0]:.2f}, {hl.ci[1]:.2f}]" in text
    assert "96.9%" in text  # 6 pairs: the exact interval's coverage is 1 - 2/64
    # reverse-keyed item: 'painful' falling means the scored value rises
    assert change.hodges_lehmann([6 - v for v in before["painful"]], [6 - v for v in after["painful"]]).estimate > 0
    # two parties of three: both withheld
    assert text.count("suppressed: fewer than 5 pairs") >= 6
    # power for six pairs
    detectable = change.minimum_detectable_effect(6).estimate
    assert f"with 6 pairs, 80% power only for d &gt;= {detectable:.2f}" in text
    assert round(detectable, 2) == 1.43


def test_a_wave_missing_from_the_data_is_a_plain_error(tmp_path):
    data, codebook, *_ = _write_own_workshop(tmp_path)
    parameters = {"data_path": str(data), "codebook_path": str(codebook), "waves": "pre, post"}
    with pytest.raises(WorkbookError, match="parameter `waves` asks for pre, post"):
        execute(NOTEBOOK, tmp_path / "run.ipynb", parameters=parameters)
