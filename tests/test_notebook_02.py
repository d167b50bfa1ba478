"""Notebook 02 run with other data: another sample and seed, a researcher's own wide survey, a bad level list."""

from __future__ import annotations

import pytest

from conftest import notebook_outputs as outputs
from helpers.cases import roffey_park as rp
from helpers.cases import write_tables
from helpers.course import execute
from helpers.errors import WorkbookError
from helpers.lessons import roffey_park
from helpers.paths import notebooks_dir
from helpers.polls import load
from helpers.stats import culture, groups, moderation

NOTEBOOK = notebooks_dir() / "02_roffey_park_alliances.ipynb"
pytestmark = pytest.mark.papermill
CONSTRUCTS = list(rp.CONSTRUCT_LABELS)


def test_another_sample_and_seed(tmp_path):
    write_tables(rp.build(11), tmp_path)
    survey, codebook = tmp_path / rp.SURVEY, tmp_path / rp.CODEBOOK
    executed = execute(
        NOTEBOOK,
        tmp_path / "run.ipynb",
        parameters={"data_path": str(survey), "codebook_path": str(codebook), "seed": 7},
    )
    text = outputs(executed)
    stored = outputs(NOTEBOOK)
    # the notebook shows what the helpers compute for this file and seed ...
    scores = roffey_park.respondent_scores(load(survey, codebook=codebook), CONSTRUCTS, list(rp.CULTURE_ITEMS))
    kw = groups.kruskal_wallis(scores, "effectiveness", "group", order=rp.LEVELS, seed=7)
    assert f"[{kw.ci[0]:.3f}, {kw.ci[1]:.3f}]" in text
    assert f"{kw.statistic:.3f}" in text
    mod = moderation.moderation(scores, "effectiveness", "formal_processes", "informal_relationships")
    assert f"[{mod.ci[0]:.3f}, {mod.ci[1]:.3f}]" in text
    # ... which is not the bundled sample
    assert f"[{mod.ci[0]:.3f}, {mod.ci[1]:.3f}]" not in stored
    assert "Exercise: Predict the simple-slopes plot (single choice)" in text
    assert "Exercise: Culture-profile sliders (simulator)" in text


def _researchers_wide_survey(folder):
    """Four organisations, no alliance column, own construct and question names, own level names,
    only three 'Sponsor' respondents (a level too small to show), one row per respondent."""
    tables = rp.build(23)
    tidy = tables[rp.SURVEY]
    tidy = tidy[tidy["alliance"].isin(["Civic services", "IT outsourcing"])]
    sponsors = tidy.loc[tidy["group"] == "Initiator", "respondent"].drop_duplicates()
    tidy = tidy[~tidy["respondent"].isin(sponsors.iloc[3:])]
    tidy = tidy.assign(
        group=tidy["group"].map({"Initiator": "Sponsor", "Operational manager": "Manager", "Front line": "Staff"})
    )
    questions = {"cu_speed": "pace", "cu_bureaucracy": "layers", "cu_quality": "quality_first"}
    tidy = tidy.assign(question=tidy["question"].replace(questions))
    people = tidy.drop_duplicates("respondent").set_index("respondent")[["party", "group"]]
    wide = people.join(tidy.pivot(index="respondent", columns="question", values="answer")).reset_index()
    wide = wide.rename(columns={"respondent": "ID"})
    book = tables[rp.CODEBOOK].copy()
    book["question"] = book["question"].replace(questions)
    book["construct"] = book["construct"].replace(
        {
            "formal_processes": "structure",
            "informal_relationships": "relations",
            "business_case": "logic",
            "effectiveness": "success",
        }
    )
    wide.to_csv(folder / "my_survey.csv", index=False)
    book.to_csv(folder / "my_codebook.csv", index=False)
    return folder / "my_survey.csv", folder / "my_codebook.csv"


def test_a_researchers_own_wide_survey(tmp_path):
    survey, codebook = _researchers_wide_survey(tmp_path)
    parameters = {
        "data_path": str(survey),
        "codebook_path": str(codebook),
        "seed": 3,
        "formal_construct": "structure",
        "informal_construct": "relations",
        "business_case_construct": "logic",
        "outcome_construct": "success",
        "level_order": "Sponsor,Manager,Staff",
        "business_case_threshold": 3.0,
        "culture_questions": ["pace", "layers", "quality_first"],
        "culture_labels": ["pace", "layers", "quality first"],
        "partnership_column": "",
    }
    text = outputs(execute(NOTEBOOK, tmp_path / "own.ipynb", parameters=parameters))
    assert "compared across 2 levels (Manager, Staff). Left out, fewer than 5 respondents: Sponsor." in text
    assert "&lt; 5" in text or "< 5" in text  # the small level is listed without its numbers
    data = load(survey, codebook=codebook)
    scores = roffey_park.respondent_scores(
        data, ["structure", "relations", "logic", "success"], ["pace", "layers", "quality_first"], partnership=None
    )
    scores = scores.rename(columns={"quality_first": "quality first"})
    distances = culture.partner_distances(scores, "party", ["pace", "layers", "quality first"])
    assert len(distances) == 6  # four organisations, every pair (no partnership column)
    for value in distances["euclidean"]:
        assert f"{value:.2f}" in text
    condition = moderation.condition_test(
        scores, "success", "relations", "logic", threshold=3.0, covariates=["structure"]
    )
    assert f"[{condition.ci[0]:.3f}, {condition.ci[1]:.3f}]" in text
    assert "structure" in text and "formal_processes" not in text


def test_levels_that_are_not_in_the_data_are_explained(tmp_path):
    with pytest.raises(WorkbookError, match="level_order"):
        execute(NOTEBOOK, tmp_path / "bad.ipynb", parameters={"level_order": ["Board", "Staff"]})
