"""One front door (issue 11): load() detects with one detector and passes every argument on; the
loaders are the lower layer (no import cycle); PollData is checked when built and cannot be changed
behind its contract."""

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import LIKERT, ROOT, write
from helpers.polls import PollData, load
from helpers.polls.importers import detect, import_export
from helpers.polls.privacy import pseudonymise

FIXTURES = Path(__file__).parent / "fixtures" / "poll_exports"
ZOOM = FIXTURES / "made" / "zoom_2021_jan_meeting.csv"
POLLS = ROOT / "src" / "helpers" / "polls"


def test_load_passes_the_key_on_to_an_importer():
    custom = load(ZOOM, format="zoom", key=b"custom")
    default = load(ZOOM, format="zoom")
    auto = load(ZOOM, key=b"custom")
    assert list(custom.responses["respondent"]) == list(auto.responses["respondent"])
    assert set(custom.responses["respondent"]).isdisjoint(set(default.responses["respondent"]))
    assert set(import_export(ZOOM, key=b"custom").responses["respondent"]) == set(custom.responses["respondent"])


@pytest.mark.parametrize("heading", ["participant id", "Participant_ID", "respondent id", "Response ID", "id"])
def test_one_detector_for_both_doors(tmp_path, heading):
    codebook = write(
        tmp_path / "cb.csv", f"question,text,kind,scale,reverse,construct\nq1,Trust,likert,{LIKERT},false,\n"
    )
    path = write(tmp_path / "wide.csv", f"{heading},q1\np1,Agree\np2,Disagree\n")
    assert detect(path).format == "wide"
    one = load(path, codebook)
    two = import_export(path, codebook=codebook)
    assert list(one.responses["respondent"]) == list(two.responses["respondent"])
    assert one.report.notes[0].startswith("format wide:") and two.report.notes[0] == one.report.notes[0]


def test_wide_by_codebook_headings_and_id_column_passed_on(tmp_path):
    codebook = write(
        tmp_path / "cb.csv", f"question,text,kind,scale,reverse,construct\nq1,Trust,likert,{LIKERT},false,\n"
    )
    path = write(tmp_path / "wide.csv", "code,q1\nx1,Agree\nx2,Disagree\nx1,Agree\n")
    data = load(path, codebook, id_column="code")
    assert data.responses["respondent"].nunique() == 2  # x1 twice = one person
    assert load(path, codebook).report.notes[0].startswith("format wide: its headings are question ids")


def test_load_passes_the_sheet_on(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing here"])
    answers = book.create_sheet("Answers")
    for row in (["respondent", "question", "answer"], ["a", "q1", "Agree"], ["b", "q1", "Disagree"]):
        answers.append(row)
    path = tmp_path / "poll.xlsx"
    book.save(path)
    codebook = write(
        tmp_path / "cb.csv", f"question,text,kind,scale,reverse,construct\nq1,Trust,likert,{LIKERT},false,\n"
    )
    data = load(path, codebook, sheet="Answers")
    assert data.responses["answer"].tolist() == ["Agree", "Disagree"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_import_cycle_between_loaders_and_importers():
    lower = _imports(POLLS / "loaders.py")
    assert not any("importers" in name or name.endswith("front") for name in lower), lower
    for module in (POLLS / "importers").glob("*.py"):
        assert not any(name.endswith("front") for name in _imports(module)), module.name
    # and at run time: importing the loaders does not pull in the importers
    code = "import sys, helpers.polls.loaders as l; print('helpers.polls.importers' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src"), "WORKBOOK_PSEUDONYM_KEY": "k"},
    )
    assert out.stdout.strip() == "False"


def test_polldata_is_checked_when_built_and_cannot_be_changed(tmp_path):
    codebook = write(
        tmp_path / "cb.csv", f"question,text,kind,scale,reverse,construct\nq1,Trust,likert,{LIKERT},false,\n"
    )
    data = load(write(tmp_path / "t.csv", "respondent,question,answer\na,q1,Agree\nb,q1,Agree\n"), codebook)
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.responses = pd.DataFrame()
    mine = data.responses
    mine.loc[0, "answer"] = "Strongly agree"
    mine["respondent"] = "ada@example.org"
    assert data.responses["answer"].tolist() == ["Agree", "Agree"]
    assert data.responses["respondent"].str.fullmatch(r"r-[0-9a-f]{12}").all()
    data.report.notes.append("changed")
    data.codebook.questions.clear()
    assert "changed" not in data.report.notes and len(data.codebook) == 1
    broken = data.responses.assign(respondent="ada@example.org")  # a raw id: breaks the contract
    with pytest.raises(AssertionError, match="contract"):
        PollData(broken, data.codebook, data.report)
    later = data.with_report(notes=["first", *data.report.notes])
    assert later.report.notes[0] == "first" and data.report.notes[0] != "first"


def test_email_ids_are_compared_case_insensitively_in_every_format(tmp_path):
    codebook = write(
        tmp_path / "cb.csv", f"question,text,kind,scale,reverse,construct\nq1,Trust,likert,{LIKERT},false,\n"
    )
    tidy = load(write(tmp_path / "t.csv", "respondent,question,answer\nAda.Lovelace@Example.ORG,q1,Agree\n"), codebook)
    assert tidy.responses["respondent"][0] == pseudonymise(pd.Series(["ada.lovelace@example.org"]))[0]
    assert pseudonymise(pd.Series([" ADA.LOVELACE@example.org "]))[0] == tidy.responses["respondent"][0]
    assert pseudonymise(pd.Series(["Ada"]))[0] != pseudonymise(pd.Series(["ada"]))[0]  # other ids stay exact
