"""Notebook 04 run with other data: another seed, wide CSV files, a party too small to show."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import cell_outputs
from helpers.cases import things_that_matter as ttm
from helpers.cases import write_tables
from helpers.course import execute
from helpers.errors import WorkbookError
from helpers.lessons import things_that_matter as lesson
from helpers.paths import notebooks_dir
from helpers.polls import load

NOTEBOOK = notebooks_dir() / "04_things_that_matter.ipynb"
pytestmark = pytest.mark.papermill


def write_case(root, seed: int, parties=("Client", "Supplier")) -> dict:
    """Write a generated case under ``root``; return the notebook parameters pointing at it."""
    write_tables(ttm.build(seed, parties=parties), root)
    folder = root / ttm.FOLDER
    return {
        "data_path": str(folder / "webinar_poll.csv"),
        "codebook_path": str(folder / "webinar_poll_codebook.csv"),
        "rankings_path": str(folder / "workshop_rankings.csv"),
        "rankings_codebook_path": str(folder / "workshop_rankings_codebook.csv"),
        "party_names": list(parties),
    }


def outputs(path) -> list[str]:
    """Each code cell's outputs as one text (stream text, text/plain, text/html and text/markdown)."""
    return cell_outputs(path, skip_injected=True, kinds=("text/plain", "text/html", "text/markdown"))


def test_another_seed_and_other_party_names(tmp_path):
    parameters = write_case(tmp_path, seed=11, parties=("Council", "Contractor"))
    executed = execute(NOTEBOOK, tmp_path / "run.ipynb", parameters={**parameters, "seed": 1})
    text = "\n".join(outputs(executed))
    assert "Kendall's tau-b (Council vs Contractor)" in text
    assert re.search(r"<td>Council</td>\s*<td>Contractor</td>\s*<td>Kendall's tau-b, own vs predicted</td>", text)
    assert "Nothing suppressed" in text
    # the live poll, not answered in a batch run, says what to do (its table appears on Save: no re-run);
    # within-party agreement is computed for these files
    assert "No answers yet. Answer the statements above and press Save answers: your answers then appear" in text
    poll = lesson.WebinarPoll(
        load(parameters["data_path"], codebook=parameters["codebook_path"]), ["Council", "Contractor"]
    )
    for estimate in poll.agreement_within()["estimate"]:
        assert f"{estimate:.3f}" in text
    # the notebook shows what the helpers compute for these files
    data = load(parameters["rankings_path"], codebook=parameters["rankings_codebook_path"])
    concordance = lesson.Workshop(data, ["Council", "Contractor"]).concordance()
    for estimate in concordance["estimate"]:
        assert f"{estimate:.3f}" in text
    # ... which is not the bundled sample
    stored = "\n".join(outputs(NOTEBOOK))
    assert any(f"{estimate:.3f}" not in stored for estimate in concordance["estimate"])


def _wide(tidy: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent: respondent, party, group, then one column per question (answers)."""
    people = tidy.drop_duplicates("respondent").set_index("respondent")[["party", "group"]]
    answers = tidy.pivot(index="respondent", columns="question", values="answer")
    return people.join(answers).reset_index()


def test_wide_csv_files_give_the_same_results_as_the_bundled_tidy_files(tmp_path):
    tables = ttm.build()
    for name in (ttm.RANKINGS, ttm.POLL):
        _wide(tables[name]).to_csv(tmp_path / name.split("/")[-1], index=False)
        tables[name.replace(".csv", "_codebook.csv")].to_csv(
            tmp_path / name.split("/")[-1].replace(".csv", "_codebook.csv"), index=False
        )
    parameters = {
        "data_path": str(tmp_path / "webinar_poll.csv"),
        "codebook_path": str(tmp_path / "webinar_poll_codebook.csv"),
        "rankings_path": str(tmp_path / "workshop_rankings.csv"),
        "rankings_codebook_path": str(tmp_path / "workshop_rankings_codebook.csv"),
    }
    executed = outputs(execute(NOTEBOOK, tmp_path / "wide.ipynb", parameters=parameters))
    stored = outputs(NOTEBOOK)
    assert len(executed) == len(stored)
    assert re.search(r"workshop_rankings\.csv \(wide\): 26 rows read, 26 used, 0 rejected", "\n".join(executed))
    assert re.search(r"webinar_poll\.csv \(wide\): 300 rows read, 300 used, 0 rejected", "\n".join(executed))
    # every other output - tables, tests, bootstrap intervals, model - is identical to the stored run
    # (figures are left out: the Likert chart of a file outside the bundled folder has no "Synthetic data" note)
    differing = {
        i: (a[:300], b[:300])
        for i, (a, b) in enumerate(zip(executed, stored, strict=True))
        if a != b and "rows read" not in a and not b.startswith("<Figure size")
    }
    assert differing == {}


def test_a_party_too_small_to_show(tmp_path):
    parameters = write_case(tmp_path, seed=5)
    rankings = pd.read_csv(parameters["rankings_path"])
    supplier = rankings.loc[rankings["party"] == "Supplier", "respondent"].unique()
    rankings[(rankings["party"] == "Client") | rankings["respondent"].isin(supplier[:3])].to_csv(
        parameters["rankings_path"], index=False
    )
    poll = pd.read_csv(parameters["data_path"])
    supplier = poll.loc[poll["party"] == "Supplier", "respondent"].unique()
    poll[(poll["party"] == "Client") | poll["respondent"].isin(supplier[:4])].to_csv(
        parameters["data_path"], index=False
    )

    text = "\n".join(outputs(execute(NOTEBOOK, tmp_path / "small.ipynb", parameters=parameters)))
    assert (
        "Fewer than min_group_size = 5 complete rankings for: Supplier (own rankings); Supplier (predictions)"
    ) in text
    assert "Kendall's tau-b (Client vs Supplier)" not in text  # no alignment with a suppressed party
    assert "own vs predicted" not in text  # each direction needs a suppressed side
    assert "Supplier as predicted by Client" in text  # 14 Client members' predictions may be shown
    assert "By party: Supplier has fewer than min_group_size = 5 respondents" in text
    assert "Cramér's V" not in text  # no party comparison left


def test_a_party_name_not_in_the_data_stops_with_a_plain_message(tmp_path):
    parameters = write_case(tmp_path, seed=3)
    with pytest.raises(
        WorkbookError, match="'Contractor' is not in the workshop file; the parties there are: Client, Supplier"
    ):
        execute(NOTEBOOK, tmp_path / "bad.ipynb", parameters={**parameters, "party_names": "Client, Contractor"})
