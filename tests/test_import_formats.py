"""Each importer on the real exports (tests/fixtures/poll_exports/real) and on files made to mimic
each documented layout (tests/fixtures/poll_exports/made, see its README)."""

from pathlib import Path

import pytest

from helpers.errors import InputError, ParameterError
from helpers.polls.importers import detect, import_export, parse_export
from helpers.polls.importers.draft import split_choices

FIXTURES = Path(__file__).parent / "fixtures" / "poll_exports"
REAL = FIXTURES / "real"
MADE = FIXTURES / "made"


def _accounts(data):
    report = data.report
    assert report.rows_read == report.rows_used + report.rows_rejected
    assert {r.line for r in report.rejections} >= set() and report.check()
    return report


@pytest.mark.parametrize(
    "path, expected",
    [
        (REAL / "zoom_meeting_2020.csv", "zoom"),
        (REAL / "google_forms_sheet.csv", "google_forms"),
        (REAL / "qualtrics_3row.csv", "qualtrics"),
        (MADE / "zoom_2021_jan_meeting.csv", "zoom"),
        (MADE / "zoom_2021_sep_webinar.csv", "zoom"),
        (MADE / "google_forms_direct_semicolon.csv", "google_forms"),
        (MADE / "google_forms_excel_cp1252.csv", "google_forms"),
        (MADE / "google_forms_excel_utf16.txt", "google_forms"),
        (MADE / "qualtrics_legacy_2row.csv", "qualtrics"),
        (MADE / "surveymonkey.csv", "surveymonkey"),
        (MADE / "surveymonkey.xlsx", "surveymonkey"),
        (MADE / "limesurvey_api.csv", "limesurvey"),
        (MADE / "microsoft_forms.xlsx", "microsoft_forms"),
    ],
)
def test_detect_names_the_tool_and_the_report_says_why(path, expected):
    detection = detect(path)
    assert detection.format == expected
    data = import_export(path)
    report = _accounts(data)
    assert report.format == expected
    assert report.notes[0] == f"format {expected}: {detection.reason}"
    assert any("DRAFT codebook" in note for note in report.notes)


def test_zoom_2020_real_report_keeps_first_answer_of_relaunched_polls():
    data = import_export(REAL / "zoom_meeting_2020.csv")
    report = _accounts(data)
    assert report.rows_read == 1681  # every data row of the file
    assert report.dropped_columns == ["User Name", "User Email"]
    assert report.rows_rejected == 294
    assert all("answered this question twice" in r.reason for r in report.rejections)
    assert sorted(data.responses["wave"].unique()) == ["2020-06-05", "2020-06-08", "2020-06-10"]
    assert data.codebook["q01"].text == "P1" and data.codebook["q01"].labels == ("A", "B", "C", "D", "E")
    # about 100 students answer each poll in each session
    per_poll = data.responses.groupby(["question", "wave"], observed=True).size()
    assert per_poll.between(96, 100).all()
    assert data.responses["submitted_at"].iloc[0] == "2020-06-05 11:05:06"


def test_zoom_january_2021_preamble_pairs_newline_and_multi_select():
    data = import_export(MADE / "zoom_2021_jan_meeting.csv")
    _accounts(data)
    assert "January 2021 layout" in " ".join(data.report.notes)
    assert data.codebook["q02"].text == "How much do you trust\nthe other partner?"
    assert data.codebook["q02"].kind == "likert" and len(data.codebook["q02"].labels) == 5
    assert data.codebook["q03"].kind == "multi_choice"
    answers = data.responses.query("question == 'q03'")["answer"].tolist()
    assert answers[2] == "Email; Shared drive; Video calls"
    assert data.responses["respondent"].nunique() == 6  # the row without e-mail is identified by its name


def test_zoom_september_2021_webinar_subtables_and_anonymous_attendees():
    parsed = parse_export(MADE / "zoom_2021_sep_webinar.csv")
    assert [q.text for q in parsed.questions] == [
        "The will is there, but is the way?",
        "How often do partners review goals together?",
    ]
    assert "webinar" in parsed.notes[-2] or any("webinar" in n for n in parsed.notes)
    data = import_export(MADE / "zoom_2021_sep_webinar.csv")
    assert data.responses["respondent"].nunique() == 11  # each anonymous row is its own respondent
    assert data.codebook["q02"].labels == ("Never", "Rarely", "Sometimes", "Often", "Always")
    values = data.responses.query("question == 'q02'")["value"].tolist()
    assert values == [3.0, 2.0, 4.0, 1.0, 3.0]


def test_google_forms_sheet_real_checkbox_answers_are_split_into_options():
    data = import_export(REAL / "google_forms_sheet.csv")
    report = _accounts(data)
    assert (report.rows_read, report.rows_used) == (42, 42)
    q = data.codebook["q03"]
    assert q.kind == "multi_choice"
    assert "Someone in my family is autistic" in q.labels and len(q.labels) == 7
    assert data.codebook["q02"].kind == "open_text"
    chosen = data.responses.query("question == 'q03'")["answer"]
    assert chosen.str.contains("I am autistic; I am a parent/ guardian of someone autistic").any()
    # a free-text answer with newlines survives whole
    assert data.responses["answer"].str.contains("Ideas for Focus Groups:\n\nWhat intrigued you").any()


def test_google_forms_direct_csv_semicolons_time_zone_and_option_with_a_comma():
    data = import_export(MADE / "google_forms_direct_semicolon.csv")
    _accounts(data)
    assert data.report.dropped_columns == ["Email Address"]
    assert data.responses["submitted_at"].iloc[0] == "2021-03-15 10:32:11+01:00"
    q = data.codebook["q03"]
    assert q.kind == "multi_choice" and "Regular meetings, with minutes" in q.labels
    answers = data.responses.query("question == 'q03'")["answer"].tolist()
    assert answers[3] == "Regular meetings, with minutes; Shared data"
    # the e-mail linked a person, but appears nowhere
    assert not data.responses.astype(str).apply(lambda c: c.str.contains("@")).any().any()


@pytest.mark.parametrize(
    "name, encoding", [("google_forms_excel_cp1252.csv", "Windows-1252"), ("google_forms_excel_utf16.txt", "utf-16")]
)
def test_excel_resaves_keep_accents_and_day_first_dates(name, encoding):
    data = import_export(MADE / name)
    assert any(encoding in note for note in data.report.notes)
    assert data.codebook["q01"].labels == ("Régie de l'eau", "Société HLM")
    assert data.responses["submitted_at"].iloc[0] == "2021-04-21 09:10:00"
    assert data.codebook["q02"].kind == "likert"


def test_qualtrics_current_three_rows_drops_recipient_ip_and_location():
    data = import_export(REAL / "qualtrics_3row.csv")
    report = _accounts(data)
    assert set(report.dropped_columns) == {
        "IPAddress",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "LocationLongitude",
    }
    assert data.codebook.ids() == ["Q1", "Q2"]
    assert data.codebook["Q1"].text == "This is a multiple choice question."
    assert any("Q2 - Topics" in note for note in report.notes)
    assert data.responses["answer"].tolist() == ["2", "Hello World!"]


def test_qualtrics_legacy_two_rows_sets_aside_previews():
    data = import_export(MADE / "qualtrics_legacy_2row.csv")
    report = _accounts(data)
    assert (report.rows_read, report.rows_used, report.rows_rejected) == (4, 3, 1)
    assert report.rejections[0].line == 5 and "preview" in report.rejections[0].reason
    assert {"Name", "EmailAddress", "IPAddress"} <= set(report.dropped_columns)
    assert data.codebook["Q2_1"].text == "Trust - I trust the partner"


@pytest.mark.parametrize("name", ["surveymonkey.csv", "surveymonkey.xlsx"])
def test_surveymonkey_checkboxes_become_one_multi_choice_and_matrix_rows_items(name):
    data = import_export(MADE / name)
    _accounts(data)
    book = data.codebook
    assert book["q02"].kind == "multi_choice" and book["q02"].labels == ("Email", "Phone", "Meetings")
    assert book["q03"].kind == "open_text" and book["q03"].text.endswith("Other (please specify)")
    assert book["q04"].text == "How far do you agree? - Our goals are shared" and book["q04"].kind == "likert"
    first = data.responses[data.responses["respondent"] == data.responses["respondent"].iloc[0]]
    assert first.set_index("question")["answer"]["q02"] == "Email; Meetings"
    assert {"IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1"} <= set(
        data.report.dropped_columns
    )


def test_limesurvey_code_and_text_headings_na_unchecked():
    data = import_export(MADE / "limesurvey_api.csv")
    _accounts(data)
    book = data.codebook
    assert book["G1Q2"].kind == "multi_choice"
    assert book["G1Q2"].labels == ("Email", "Shared drive", "Video calls, with camera")
    answers = data.responses.query("question == 'G1Q2'")["answer"].tolist()
    assert answers == [
        "Email; Video calls, with camera",
        "Shared drive",
        "Email; Shared drive; Video calls, with camera",
    ]
    assert book["G1Q2_other"].kind == "open_text"
    assert book["G1Q3_SQ001"].text == book["G1Q3_SQ002"].text  # duplicated text, two ids
    assert any("appears more than once" in n for n in data.report.notes)
    assert {"token", "ipaddr"} <= set(data.report.dropped_columns)


def test_microsoft_forms_xlsx_quiz_columns_anonymous_and_trailing_semicolon():
    data = import_export(MADE / "microsoft_forms.xlsx")
    _accounts(data)
    assert data.report.dropped_columns == ["Email", "Name"]
    assert any("quiz columns" in n for n in data.report.notes)
    assert data.codebook["q03"].labels == ("Board", "Working group", "Site visits")
    assert data.codebook["q04"].kind == "rating" and data.codebook["q04"].scale_text == "1-10"
    assert data.responses["submitted_at"].iloc[0] == "2024-01-15 10:04:00"


def test_mentimeter_through_a_csv_mapping_and_slido_through_json():
    data = import_export(MADE / "mentimeter.xlsx", "mentimeter", mapping=MADE / "mentimeter_mapping.csv")
    _accounts(data)
    assert data.codebook.ids() == ["useful", "word"]
    assert data.responses["group"].unique().tolist() == ["Red", "Blue"]
    slido = import_export(MADE / "slido.xlsx", "slido", mapping=MADE / "slido_mapping.json")
    assert slido.report.dropped_columns == ["User Name", "User Email"]
    assert slido.responses["respondent"].nunique() == 3


def test_mapping_errors_are_plain():
    with pytest.raises(InputError, match="need a column mapping"):
        import_export(MADE / "mentimeter.xlsx", "mentimeter")
    with pytest.raises(InputError, match="no such heading"):
        import_export(MADE / "mentimeter.xlsx", "mentimeter", mapping={"header_row": "3", "q1": "Nope"})
    with pytest.raises(InputError, match="personal data"):
        import_export(MADE / "slido.xlsx", "slido", mapping={"q1": "User Email"})


def test_attributes_turn_questions_into_grouping_columns():
    data = import_export(MADE / "zoom_2021_jan_meeting.csv", attributes={"party": "q01"})
    assert "q01" not in data.codebook
    assert set(data.responses["party"]) == {"Housing trust", "Water utility"}
    with pytest.raises(ParameterError, match="does not have"):
        import_export(MADE / "zoom_2021_jan_meeting.csv", attributes={"party": "q99"})


def test_a_confirmed_codebook_replaces_the_draft(tmp_path):
    draft = import_export(MADE / "zoom_2021_sep_webinar.csv").codebook
    path = draft.write(tmp_path / "codebook.csv")
    text = path.read_text().replace("No|Not sure|Yes", "Yes|No|Not sure")
    path.write_text(text)
    data = import_export(MADE / "zoom_2021_sep_webinar.csv", codebook=path)
    assert data.codebook["q01"].labels == ("Yes", "No", "Not sure")
    assert not any("DRAFT" in n for n in data.report.notes)


def test_format_given_by_the_user_and_unknown_format():
    data = import_export(REAL / "qualtrics_3row.csv", "Qualtrics")
    assert data.report.notes[0] == "format qualtrics: format given by the user"
    with pytest.raises(ParameterError, match="unknown format"):
        import_export(REAL / "qualtrics_3row.csv", "typeform")


def test_own_tidy_and_wide_files_are_recognised(tmp_path, codebook_csv):
    tidy = tmp_path / "tidy.csv"
    tidy.write_text("respondent,question,answer\nA,meeting,5\nB,meeting,6\n")
    assert detect(tidy).format == "tidy"
    assert import_export(tidy, codebook=codebook_csv).report.rows_used == 2
    wide = tmp_path / "wide.csv"
    wide.write_text("id,meeting,trust1\nA,5,Agree\n")
    assert detect(wide).format == "wide"
    with pytest.raises(InputError, match="needs a codebook"):
        import_export(wide)


def test_cannot_tell_gives_one_clear_message(tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("colour,size\nred,3\n")
    with pytest.raises(InputError, match="cannot tell which poll tool") as error:
        detect(odd)
    assert "odd.csv, line 1" in str(error.value)


@pytest.mark.parametrize(
    "answer, joiner, known, expected",
    [
        ("Yes, often, No", ", ", ("Yes, often", "No"), ["Yes, often", "No"]),
        ("Yes, often, No", ", ", (), ["Yes, often", "No"]),
        ("A;B;", ";", (), ["A", "B"]),
        (
            "Video calls, with camera; Email",
            "; ",
            ("Email", "Video calls, with camera"),
            ["Video calls, with camera", "Email"],
        ),
    ],
)
def test_split_choices_matches_known_options_first(answer, joiner, known, expected):
    assert split_choices(answer, joiner, known) == expected


def test_load_with_a_codebook_still_recognises_an_export_whose_headings_are_ids(tmp_path):
    """Qualtrics headings are Q1, Q2...: with the confirmed codebook, load() must not read it as a wide file."""
    from helpers.polls import load

    path = import_export(REAL / "qualtrics_3row.csv").codebook.write(tmp_path / "codebook.csv")
    data = load(REAL / "qualtrics_3row.csv", path)
    assert data.report.format == "qualtrics"
    assert (data.report.rows_read, data.report.rows_used, data.report.answers_rejected) == (1, 1, 0)


def test_sheet_nonblank_is_found_once_and_a_new_list_each_call():
    from helpers.polls.importers.sheet import Sheet

    sheet = Sheet("x.csv", [["a", "b"], ["", " "], ["1", ""]], [1, 2, 3], "utf-8", ",")
    first = sheet.nonblank()
    assert first == [(1, ["a", "b"]), (3, ["1", ""])]
    first.pop()  # a caller's changes stay in its own list
    assert sheet.nonblank() == [(1, ["a", "b"]), (3, ["1", ""])]
    sheet.rows.append(["2", "c"])
    sheet.lines.append(4)
    assert sheet.nonblank()[-1] == (4, ["2", "c"])  # rows added since: scanned again
