"""Issue 12, part 1: the exports people publish read right on auto-detect.

Real files are in tests/fixtures/poll_exports/real (see its SOURCES.md); where no public file of a
layout was found, tests/fixtures/poll_exports/made holds one written to the tool's documented layout
(see made/README.md). Each test names which it uses.
"""

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.cli import main
from helpers.polls.importers import detect, import_export
from helpers.polls.privacy import pseudonymise

FIXTURES = Path(__file__).parent / "fixtures" / "poll_exports"
REAL, MADE = FIXTURES / "real", FIXTURES / "made"
KEY = b"issue-12-test-key"


def test_zoom_pre_2021_report_with_a_header_padded_by_excel_reads_like_the_original(tmp_path):
    """Real file (nbruin/pollscore); Excel re-saves the header `#,User Name,User Email,Submitted Date/Time,,,`."""
    text = (REAL / "zoom_meeting_2020.csv").read_bytes().decode("utf-8")
    first, rest = text.split("\n", 1)
    padded = tmp_path / "PollReport-resaved.csv"
    padded.write_bytes((first.rstrip("\r").rstrip(",") + ",,,\n" + rest).encode("utf-8"))
    original, resaved = import_export(REAL / "zoom_meeting_2020.csv", key=KEY), import_export(padded, key=KEY)
    assert any("pre-2021 layout" in note for note in resaved.report.notes)
    assert [(q.id, q.text) for q in resaved.codebook] == [(q.id, q.text) for q in original.codebook]
    assert [q.text for q in resaved.codebook][:3] == ["P1", "P2", "P3"]
    assert (
        resaved.report.counts()
        == original.report.counts()
        == {"rows_read": 1681, "rows_used": 1387, "rows_rejected": 294}
    )
    columns = ["respondent", "question", "answer", "wave"]
    assert resaved.responses[columns].astype(str).equals(original.responses[columns].astype(str))


def test_limesurvey_question_code_and_question_text_headings():
    """Made to the documented layout: `id. Response ID`, `G01Q01[SQ001]. text [sub]`, List with Other."""
    path = MADE / "limesurvey_code_and_text.csv"
    assert detect(path).format == "limesurvey"
    data = import_export(path, key=KEY)
    # the six system columns are not questions; the sub-questions and options are
    assert data.codebook.ids() == ["G01Q01_SQ001", "G01Q01_SQ002", "G01Q02", "G01Q02_other", "G01Q03", "G01Q04"]
    assert any("system columns are not questions" in note for note in data.report.notes)
    # "List with Other": the list keeps its own text, no invented " [None]"
    assert data.codebook["G01Q02"].text == "Which tool do you use most?"
    assert data.codebook["G01Q02_other"].text == "Which tool do you use most? [Other]"
    assert not any("[None]" in q.text for q in data.codebook)
    assert data.codebook["G01Q03"].kind == "multi_choice" and data.codebook["G01Q03"].labels == ("Morning", "Afternoon")
    # respondents are keyed by the response id, and the raw id is never published
    expected = set(pseudonymise(pd.Series([str(n) for n in range(11, 17)]), KEY).astype(str))
    assert set(data.responses["respondent"].astype(str)) == expected
    published = data.responses.astype(str).to_csv(index=False)
    assert not any(f",{n}," in published or published.startswith(f"{n},") for n in range(11, 17))
    assert data.report.rows_read == 6 and data.report.rows_used == 6


def test_case_variants_become_one_label_spelt_as_most_respondents_spelt_it(tmp_path):
    path = tmp_path / "attention.csv"
    rows = ["Timestamp,Do you pay attention?,Was it useful?"]
    answers = ["I pay attention"] * 6 + ["I PAY ATTENTION"] + ["Not really"] * 3
    useful = ["Agree"] * 5 + ["AGREE", "agree ", "Disagree", "Disagree", "disagree"]
    rows += [f"3/14/2023 10:{i:02d}:00,{a},{u}" for i, (a, u) in enumerate(zip(answers, useful, strict=False))]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = import_export(path, key=KEY)
    assert data.codebook["q01"].labels == ("I pay attention", "Not really")
    assert "Agree" in data.codebook["q02"].labels and "AGREE" not in data.codebook["q02"].labels
    from helpers.analysis import analyse

    result = analyse(data)
    assert result["questions"]["q01"]["distribution"] == {"I pay attention": 7, "Not really": 3}
    assert result["questions"]["q02"]["distribution"]["Agree"] == 7
    assert result["questions"]["q02"]["distribution"]["Disagree"] == 3
    # the limesurvey fixture's `No`, `NO`, `no ` are one label too
    lime = import_export(MADE / "limesurvey_code_and_text.csv", key=KEY)
    assert lime.codebook["G01Q04"].labels == ("No", "Yes")
    assert analyse(lime)["questions"]["G01Q04"]["distribution"] == {"No": 4, "Yes": 1}


def test_qualtrics_embedded_data_kept_as_attributes_usable_with_by_and_attribute(tmp_path, capsys):
    """Made to the documented layout: embedded data `condition`, `PROLIFIC_PID`, `payment_code`."""
    path = MADE / "qualtrics_embedded_data.csv"
    data = import_export(path, key=KEY)
    assert {"condition", "PROLIFIC_PID", "payment_code"} <= set(data.attributes)
    per_arm = data.responses.groupby("condition")["respondent"].nunique().to_dict()
    assert per_arm == {"control": 6, "treatment": 6}
    assert any("embedded data kept as respondent attributes" in note for note in data.report.notes)
    # identifiers are kept for linking, but only as keyed pseudonyms
    text = data.responses.astype(str).to_csv(index=False)
    assert "5f" + f"{7777:022x}" not in text and "C004242" not in text
    assert data.responses["PROLIFIC_PID"].astype(str).str.match(r"^r-[0-9a-f]{12}$").all()
    # the command line: --attribute renames it, --by groups by it
    out = tmp_path / "imported"
    assert main(["import", str(path), "--out", str(out), "--attribute", "arm=condition"]) == 0
    tidy = pd.read_csv(out / "qualtrics_embedded_data_responses.csv", dtype=str)
    assert "arm" in tidy.columns and set(tidy["arm"]) == {"control", "treatment"}
    capsys.readouterr()
    assert main(["analyse", str(path), "--by", "condition", "--json", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert sorted(result["groups"]) == ["control", "treatment"] and result["suppressed"] == []


def test_surveymonkey_older_layout_with_nul_bytes_in_row_2():
    """Made to the documented layout: `RespondentID,CollectorID,StartDate,...,Custom Data`, NULs in row 2."""
    path = MADE / "surveymonkey_2014_nul.csv"
    assert b"\x00" in path.read_bytes()
    assert detect(path).format == "surveymonkey"
    data = import_export(path, key=KEY)
    report = data.report
    assert (report.rows_read, report.rows_used, report.rows_rejected) == (4, 4, 0)
    assert report.dropped_columns == ["IP Address", "Email Address", "First Name", "LastName", "Custom Data"]
    assert any("4 NUL byte(s) removed (line(s) 2)" in note for note in report.notes)
    assert data.codebook["q02"].kind == "multi_choice" and data.codebook["q02"].labels == ("Talks", "Exercises")
    assert [q.text for q in data.codebook] == [
        "How useful was the session?",
        "Which parts did you like?",
        "Which parts did you like? - Other (please specify)",
    ]
    assert "198.51.100" not in data.responses.astype(str).to_csv()


def test_google_sheets_xlsx_timestamps_with_milliseconds():
    """Made to the documented layout: the Sheet downloaded as XLSX, Timestamp cells carrying milliseconds."""
    data = import_export(MADE / "google_sheets_download.xlsx", key=KEY)
    assert not any("does not know" in note for note in data.report.notes)
    first = data.responses.drop_duplicates("respondent")["submitted_at"].tolist()
    assert first == [
        "2023-03-14 09:30:12.345",
        "2023-03-14 09:31:02.007",
        "2023-03-14 09:33:45.999",
        "2023-03-15 17:02:00.120",
    ]


def test_qualtrics_legacy_real_sample():
    """Real file (ropensci/qualtRics tests/testthat/files/sample_legacy.csv), IP and location replaced."""
    path = REAL / "qualtrics_legacy_sample.csv"
    assert detect(path).format == "qualtrics"
    data = import_export(path, key=KEY)
    assert data.codebook.ids() == ["Q1", "Q2"]
    assert data.report.rows_read == 1 and data.responses["respondent"].nunique() == 1
    assert "IPAddress" in data.report.dropped_columns and "Name" in data.report.dropped_columns


def _file_counts(path: Path, skip: int, id_column: int | None) -> int:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if any(cell.strip() for cell in row)][skip:]
    return len({row[id_column] for row in rows}) if id_column is not None else len(rows)


@pytest.mark.parametrize(
    "name, skip, id_column, questions",
    [
        ("real/zoom_meeting_2020.csv", 1, 2, 10),  # respondents by e-mail; labels P1..P5, Poll 1..Poll 5
        ("real/google_forms_sheet.csv", 1, None, 4),  # one respondent per row; 4 questions after Timestamp
        ("real/qualtrics_3row.csv", 3, 8, 2),  # ResponseId; Q1, Q2 (Text iQ column is derived)
        ("real/qualtrics_legacy_sample.csv", 2, 0, 2),
        ("made/limesurvey_code_and_text.csv", 1, 0, 6),
        ("made/surveymonkey_2014_nul.csv", 2, 0, 3),
        ("made/qualtrics_embedded_data.csv", 3, 8, 3),
    ],
)
def test_every_respondent_and_question_the_file_holds_is_read(name, skip, id_column, questions):
    path = FIXTURES / name
    data = import_export(path, key=KEY)
    held = _file_counts(path, skip, id_column)
    if name == "made/qualtrics_embedded_data.csv":
        held -= 1  # the survey preview row is set aside, and counted as rejected
        assert data.report.rows_rejected == 1
    assert data.responses["respondent"].nunique() == held
    if questions is not None:
        assert len(data.codebook) == questions
