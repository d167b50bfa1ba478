"""Lesson 01's bundled data: reproducible, loadable, documented, with the effects it claims."""

from pathlib import Path

import pandas as pd
import pytest

from helpers.cases import landlord_utility as case
from helpers.cases import write_tables
from helpers.lessons.landlord_utility import contracts
from helpers.polls import load
from helpers.stats import change

DATASETS = Path(__file__).resolve().parents[1] / "datasets"


def test_default_seed_reproduces_the_committed_files(tmp_path):
    for path in write_tables(case.build(), tmp_path):
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (DATASETS / relative).read_bytes(), relative


def test_other_seed_gives_other_answers_same_shape():
    a = case.build(case.DEFAULT_SEED)[case.EVALUATION]
    b = case.build(case.DEFAULT_SEED + 1)[case.EVALUATION]
    assert len(a) == len(b) == 9 * 7 * 2 + 8 * 7
    assert not a["answer"].equals(b["answer"])


def test_bundled_evaluation_loads_cleanly_in_the_data_model():
    folder = DATASETS / case.FOLDER
    data = load(folder / "evaluation.csv", codebook=folder / "evaluation_codebook.csv")
    assert data.report.rows_read == data.report.rows_used == 182
    assert data.report.rows_rejected == 0
    responses = data.responses
    assert responses.groupby("party")["respondent"].nunique().to_dict() == {"Landlord": 5, "Utility": 4}
    assert responses["value"].between(1, 10).all()
    assert set(data.codebook.constructs()) == {"relationship", "contract"}
    assert data.codebook["contract_pain"].reverse
    # reverse-keying: the scored value of contract_pain is 11 - the answer given
    pain = responses[responses["question"] == "contract_pain"]
    assert (pain["value"] == 11 - pain["answer"].astype(int)).all()


def test_built_in_effects_show_up():
    folder = DATASETS / case.FOLDER
    responses = load(folder / "evaluation.csv", codebook=folder / "evaluation_codebook.csv").responses
    post = change.change_by_question(responses, "pre", "post", seed=1).set_index("question")
    relationship = ["trust", "understanding", "conflict", "engagement", "shared_picture"]
    assert (post.loc[relationship, "hl_shift"] >= 1).all()
    assert (post.loc[["contract_pain", "contract_speed"], "hl_shift"] <= 0.5).all()
    follow = change.change_by_question(responses, "pre", "follow-up", seed=1)
    assert follow["n_pairs"].eq(8).all() and follow["unpaired"].eq(1).all()


def test_milestones_are_a_valid_schedule_and_readme_names_every_column():
    schedule = contracts.read_schedule(DATASETS / case.MILESTONES)
    assert schedule["planned_weeks"].sum() == 68
    readme = (DATASETS / case.FOLDER / "README.md").read_text()
    assert "SYNTHETIC" in readme
    for relative in case.build():
        for column in pd.read_csv(DATASETS / relative).columns:
            assert f"`{column}`" in readme, column


@pytest.mark.parametrize("relative", sorted(case.build()))
def test_every_file_is_registered(relative):
    registry = pd.read_csv(DATASETS / "datasets.csv", dtype=str)
    row = registry[registry["path"] == relative]
    assert len(row) == 1
    assert row["lesson"].iloc[0] == "01" and row["synthetic"].iloc[0] == "yes"
    assert row["generator"].iloc[0] == "helpers.cases.landlord_utility"
