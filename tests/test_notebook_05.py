"""Notebook 05 (partnership health check) run by papermill with other parameters and other data."""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from helpers.cases import health_check
from helpers.course import execute
from helpers.exercises import progress
from helpers.paths import datasets_dir, notebooks_dir

NOTEBOOK = notebooks_dir() / "05_partnership_health_check.ipynb"
CODEBOOK = datasets_dir() / health_check.FOLDER / "health_check_codebook.csv"
PSEUDONYM = re.compile(r"\br-[0-9a-f]{8,}\b")

pytestmark = pytest.mark.papermill


def _output(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output["text"])
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
        elif output.get("output_type") == "error":
            parts.append(f"{output['ename']}: {output['evalue']}")
    return "".join(parts)


def _cell(nb, marker: str) -> str:
    """The text output of the one code cell whose source contains ``marker``."""
    found = [c for c in nb.cells if c.cell_type == "code" and marker in c.source]
    assert len(found) == 1, marker
    return _output(found[0])


def _all_output(nb) -> str:
    return "\n".join(_output(c) for c in nb.cells if c.cell_type == "code")


def _run(tmp_path, monkeypatch, parameters, progress_file=None):
    """Execute the notebook; with ``progress_file``, as a learner whose saved answers are in that file.

    helpers.course.execute gives every run a throw-away progress file (so nobody's answers end up in an
    executed notebook); to test the self-survey with saved answers, papermill is called directly.
    """
    out = tmp_path / "out.ipynb"
    if progress_file is None:
        execute(NOTEBOOK, out, parameters=parameters)
    else:
        import papermill

        monkeypatch.setenv("WORKBOOK_PROGRESS", str(progress_file))
        papermill.execute_notebook(
            str(NOTEBOOK),
            str(out),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(notebooks_dir()),
            progress_bar=False,
            request_save_on_cell_execute=False,
        )
    return nbformat.read(out, as_version=4)


def test_another_seed_moves_only_the_bootstrap_and_scores_a_saved_self_survey(tmp_path, monkeypatch):
    answers = {q: "Agree" for q in ("co1", "co2", "co4", "ro1", "ro2", "ro4")} | {
        "co3": "Disagree",
        "ro3": "Strongly agree",
    }
    saved = tmp_path / "progress.json"
    progress.save_entry(
        "05-health-check-self", kind="LikertForm", answer=answers, attempted=True, completed=False, path=saved
    )
    nb = _run(tmp_path, monkeypatch, {"seed": 7}, progress_file=saved)
    stored = nbformat.read(NOTEBOOK, as_version=4)

    marker_gaps, marker_boot = "instrument.gap_table(gaps)", '"boot_low", "boot_high"'
    assert _cell(nb, marker_gaps) == _cell(stored, marker_gaps)  # Welch and Hedges do not use the seed
    assert _cell(nb, marker_boot) != _cell(stored, marker_boot)  # the bootstrap does
    assert "Communication" in _cell(nb, marker_boot)
    points = _cell(nb, "format_action_points")
    assert points.startswith("1. Communication: gap 1.03")
    assert "Riverside Water staff score Clarity of roles" in points

    mine = _cell(nb, "form.responses()")
    assert "Answer the survey above first" not in mine
    table = mine.splitlines()
    you = next(line for line in table if line.startswith("You"))
    # Communication: (4 + 4 + (6 - 2) + 4) / 4 = 4.0; Clarity of roles: (4 + 4 + (6 - 5) + 4) / 4 = 3.25
    assert "4.0" in you and "3.25" in you and "NaN" in you  # dimensions not answered stay empty
    assert not PSEUDONYM.search(_all_output(nb))


def _user_answers():
    """Two partners x 6 people on a three-dimension instrument of their own (wide, with an e-mail column)."""
    labels = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
    codebook = pd.DataFrame(
        {
            "question": ["sp1", "sp2", "sp3", "op1", "op2", "op3", "rs1", "rs2", "rs3"],
            "text": [
                "We share a purpose.",
                "Our aims fit together.",
                "We work to different ends.",
                "I hear about problems early.",
                "I can speak my mind.",
                "News reaches us late.",
                "We have the people we need.",
                "We have the budget we need.",
                "We are short of time.",
            ],
            "kind": "likert",
            "scale": "|".join(labels),
            "reverse": ["false", "false", "true"] * 3,
            "construct": ["Shared purpose"] * 3 + ["Openness"] * 3 + ["Resources"] * 3,
        }
    )
    rng = np.random.default_rng(5)
    rows = []
    for party, openness in (("Harbour Trust", 4.5), ("City Council", 1.8)):
        for i in range(6):
            row = {
                "Respondent ID": f"{party[:2].upper()}-{i:02d}",
                "Email": f"person{i}@{party[:4].lower()}.example",
                "party": party,
            }
            for q, level in zip(codebook["question"], [3.5] * 3 + [openness] * 3 + [3.0] * 3, strict=True):
                value = int(np.clip(round(level + rng.normal(0, 0.5)), 1, 5))
                if q.endswith("3"):
                    value = 6 - value
                row[q] = labels[value - 1]
            rows.append(row)
    return pd.DataFrame(rows), codebook


def test_a_small_user_dataset_of_their_own(tmp_path, monkeypatch):
    answers, codebook = _user_answers()
    answers.to_csv(tmp_path / "my_answers.csv", index=False)
    codebook.to_csv(tmp_path / "my_codebook.csv", index=False)
    nb = _run(
        tmp_path,
        monkeypatch,
        {
            "data_path": str(tmp_path / "my_answers.csv"),
            "codebook_path": str(tmp_path / "my_codebook.csv"),
            "party_names": "City Council,Harbour Trust",
            "seed": 3,
        },
    )
    assert "Personal data dropped: Email" in _cell(nb, "data.report.summary()")
    assert "No breakdown by staff level" in _cell(nb, "by_level = instrument.profile")
    gaps = _cell(nb, "instrument.gap_table(gaps)")
    assert "City Council mean (n)" in gaps and "Openness" in gaps and "Resources" in gaps
    points = _cell(nb, "format_action_points")
    assert points.startswith("1. Openness: gap ")
    assert "City Council staff score Openness" in points and "agree one change to try" in points
    sample = _cell(nb, "instrument.sample_table(scores)")
    assert "City Council" in sample and "6" in sample
    everything = _all_output(nb)
    assert "Answer the survey above first" in everything  # a fresh progress file: no answers yet
    for secret in list(answers["Respondent ID"]) + list(answers["Email"]):
        assert secret not in everything
    assert not PSEUDONYM.search(everything)


def test_a_partner_below_min_group_size_is_suppressed(tmp_path, monkeypatch):
    bundled = health_check.responses()
    keep = [f"C{i:02d}" for i in range(1, 7)] + [f"R{i:02d}" for i in range(1, 5)]
    bundled[bundled["respondent"].isin(keep)].to_csv(tmp_path / "small.csv", index=False)
    nb = _run(
        tmp_path,
        monkeypatch,
        {
            "data_path": str(tmp_path / "small.csv"),
            "codebook_path": str(CODEBOOK),
            "min_group_size": 5,
        },
    )
    gaps = _cell(nb, "instrument.gap_table(gaps)")
    assert gaps.count("suppressed: Riverside Water has fewer than 5") == 7
    assert _cell(nb, "format_action_points").startswith("No gap can be ranked")
    profile = _cell(nb, "by_party = instrument.profile")
    riverside = [line for line in profile.splitlines() if "Riverside Water" in line]
    assert len(riverside) == 7 and all("NaN" in line and "True" in line for line in riverside)
    split = _cell(nb, 'by="party"')
    assert "fewer than 5 complete respondents" in split
    # two partners, one too small: the other's profile and the total would give it away, so both go
    assert "No profile by partner" in _cell(nb, "shown = instrument.profile_matrix(by_party)")
