"""Loading tidy and wide poll files: validation, scoring, and bad input (issue 2)."""

import codecs

import pandas as pd
import pytest

from conftest import write
from helpers.errors import InputError
from helpers.polls import load, read_codebook

TIDY = (
    "respondent,question,answer,party\n"
    "a,trust1, agree ,Client\n"  # line 2: case and spaces do not matter
    "a,trust2,STRONGLY AGREE,Client\n"  # line 3: reverse-keyed -> 1
    "a,meeting,6,Client\n"  # line 4
    "b,trust1,Disagree,Supplier\n"  # line 5
    "b,meeting,3,Supplier\n"  # line 6
)


def test_tidy_file_is_validated_scored_and_reverse_coded(tmp_path, codebook_csv):
    data = load(write(tmp_path / "r.csv", TIDY), codebook_csv)
    r = data.responses
    assert list(r.columns[:5]) == ["respondent", "question", "answer", "value", "party"]
    assert r["answer"].tolist() == ["Agree", "Strongly agree", "6", "Disagree", "3"]
    assert r["value"].tolist() == [4.0, 1.0, 6.0, 2.0, 3.0]
    assert data.report.counts() == {"rows_read": 5, "rows_used": 5, "rows_rejected": 0}
    assert r["respondent"].nunique() == 2 and not r["respondent"].isin(["a", "b"]).any()


def test_every_row_is_counted_and_each_rejection_says_where_and_why(tmp_path, codebook_csv):
    text = (
        TIDY
        + "b,trust1,Agree,Supplier\n"
        + "c,meeting,8,Client\n"
        + "c,trust1,Sort of,Client\n"
        + "c,meeting,4.5,Client\n"
    )
    data = load(write(tmp_path / "r.csv", text), codebook_csv)
    report = data.report
    assert report.rows_read == 9 and report.rows_used == 6 and report.rows_rejected == 3
    assert report.rows_read == report.rows_used + report.rows_rejected
    by_line = {r.line: r for r in report.rejections}
    assert "twice" in by_line[7].reason and "line 5" in by_line[7].reason  # the same answer twice
    assert by_line[8].value == "8" and "out of range 1-7" in by_line[8].reason  # never coerced
    assert "not one of the scale labels" in by_line[9].reason and by_line[9].column == "answer"
    assert 4.5 in data.responses["value"].tolist()  # a rating may be fractional
    assert all(r.file == "r.csv" for r in report.rejections)


def test_out_of_range_likert_number_is_rejected_not_coerced(tmp_path):
    codebook = write(tmp_path / "cb.csv", "question,text,kind,scale,reverse,construct\nq,Q,likert,1-5,false,\n")
    data = load(write(tmp_path / "r.csv", "respondent,question,answer\na,q,6\nb,q,0\nc,q,5\nd,q,2.5\n"), codebook)
    assert data.responses["value"].tolist() == [5.0]
    reasons = [r.reason for r in data.report.rejections]
    assert sum("out of range 1-5" in x for x in reasons) == 2 and any("whole number" in x for x in reasons)


def test_answer_to_unknown_question_is_an_error_naming_it(tmp_path, codebook_csv):
    with pytest.raises(InputError, match=r"line 3.*'mystery'.*not in the codebook") as info:
        load(write(tmp_path / "r.csv", "respondent,question,answer\na,trust1,Agree\na,mystery,Yes\n"), codebook_csv)
    assert info.value.line == 3 and info.value.column == "question"


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("respondent,question,answer\n", "header but no rows"),
        ("respondent,question,answer\r\n\r\n", "header but no rows"),
    ],
)
def test_empty_and_header_only_files_get_one_clear_message(tmp_path, codebook_csv, content, message):
    with pytest.raises(InputError, match=message):
        load(write(tmp_path / "r.csv", content), codebook_csv)


def test_semicolon_separated_file_is_read(tmp_path, codebook_csv):
    data = load(write(tmp_path / "r.csv", TIDY.replace(",", ";")), codebook_csv)
    assert data.report.rows_used == 5 and "separator ';'" in data.report.notes


def test_missing_columns_are_named_with_the_header(tmp_path, codebook_csv):
    with pytest.raises(InputError, match="missing: answer"):
        load(write(tmp_path / "r.csv", "respondent,question,reply\na,trust1,Agree\n"), codebook_csv, format="tidy")


def test_windows_1252_bytes_are_decoded(tmp_path):
    codebook = write(
        tmp_path / "cb.csv", "question,text,kind,scale,reverse,construct\nq,Q,single_choice,Café|Thé,false,\n"
    )
    path = write(tmp_path / "r.csv", "respondent,question,answer\nRené,q,café\nZoë,q,Thé\n", encoding="cp1252")
    data = load(path, codebook)
    assert data.responses["answer"].tolist() == ["Café", "Thé"]
    assert "read as Windows-1252" in data.report.notes


def test_utf8_with_bom_is_read_and_header_is_clean(tmp_path, codebook_csv):
    path = tmp_path / "r.csv"
    path.write_bytes(codecs.BOM_UTF8 + TIDY.replace("\n", "\r\n").encode("utf-8"))
    data = load(path, codebook_csv)
    assert data.report.rows_used == 5 and data.report.format == "tidy"


def test_utf16_tab_separated_unicode_text_is_read(tmp_path, codebook_csv):
    path = tmp_path / "r.txt"
    path.write_bytes(TIDY.replace(",", "\t").encode("utf-16"))
    assert load(path, codebook_csv).report.rows_used == 5


def test_binary_file_is_refused_plainly(tmp_path, codebook_csv):
    path = tmp_path / "r.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="not a text file"):
        load(path, codebook_csv)


def test_truncated_file_inside_quotes(tmp_path, codebook_csv):
    with pytest.raises(InputError, match=r"line 3.*truncated"):
        load(write(tmp_path / "r.csv", 'respondent,question,answer\na,comment,fine\nb,comment,"it was\n'), codebook_csv)


def test_newlines_inside_quoted_cells_keep_line_numbers(tmp_path, codebook_csv):
    text = 'respondent,question,answer\na,comment,"two\nlines"\nb,meeting,9\n'
    data = load(write(tmp_path / "r.csv", text), codebook_csv)
    assert data.responses["answer"].tolist() == ["two\nlines"]
    assert data.report.rejections[0].line == 4  # the record after the two-line cell starts on line 4


def test_ragged_row_with_extra_values_is_rejected_and_counted(tmp_path, codebook_csv):
    data = load(
        write(tmp_path / "r.csv", "respondent,question,answer\na,trust1,Agree\nb,trust1,Agree,oops\n"), codebook_csv
    )
    assert data.report.counts() == {"rows_read": 2, "rows_used": 1, "rows_rejected": 1}
    assert "header has 3 columns" in data.report.rejections[0].reason


def test_multi_choice_options_containing_the_separator(tmp_path, codebook_csv):
    text = 'respondent,question,answer\na,tools,"Zoom, Yes, often"\nb,tools,teams;zoom\nc,tools,"Zoom, Skype"\n'
    data = load(write(tmp_path / "r.csv", text), codebook_csv)
    assert data.responses["answer"].tolist() == ["Zoom; Yes, often", "Zoom; Teams"]
    assert "Skype" in data.report.rejections[0].reason


def test_personal_columns_are_dropped_and_free_text_masked(tmp_path, codebook_csv):
    text = (
        "respondent,question,answer,Email,IP Address\n"
        "a,comment,call me on +44 20 7946 0958 or a@b.org,a@b.org,10.0.0.1\n"
    )
    data = load(write(tmp_path / "r.csv", text), codebook_csv)
    assert data.report.dropped_columns == ["Email", "IP Address"]
    assert data.responses["answer"].tolist() == ["call me on [phone removed] or [e-mail removed]"]
    assert "a@b.org" not in data.responses.to_csv()


def test_wide_file_keeps_good_answers_of_a_row_with_a_bad_cell(tmp_path, codebook_csv):
    text = "id,party,trust1,trust2,meeting\n1,Client,Agree,Disagree,5\n2,Supplier,,,\n3,Client,maybe,Agree,3\n"
    data = load(write(tmp_path / "w.csv", text), codebook_csv)
    assert data.report.format == "wide"
    assert data.report.counts() == {"rows_read": 3, "rows_used": 2, "rows_rejected": 1}
    bad = [r for r in data.report.rejections if r.column == "trust1"][0]
    assert (bad.line, bad.value) == (4, "maybe")
    wide = data.wide()
    assert wide.shape == (2, 3) and list(wide.columns) == ["trust1", "trust2", "meeting"]
    assert wide["trust2"].tolist() == [4.0, 2.0]  # reverse-keyed


def test_xlsx_wide_file(tmp_path, codebook_csv):
    frame = pd.DataFrame({"respondent": ["p1", "p2"], "trust1": ["Agree", "Neither"], "meeting": [7, 2]})
    path = tmp_path / "w.xlsx"
    frame.to_excel(path, index=False)
    data = load(path, codebook_csv)
    assert data.responses["value"].tolist() == [4.0, 7.0, 3.0, 2.0]
    assert [r for r in data.report.to_dict()["rejections"]] == []


def test_same_person_gets_the_same_pseudonym_across_files(tmp_path, codebook_csv):
    first = load(write(tmp_path / "pre.csv", "respondent,question,answer,wave\nann,trust1,Agree,pre\n"), codebook_csv)
    second = load(
        write(tmp_path / "post.csv", "respondent,question,answer,wave\nann,trust1,Agree,post\n"), codebook_csv
    )
    assert first.responses["respondent"][0] == second.responses["respondent"][0]
    other_key = load(tmp_path / "pre.csv", codebook_csv, key=b"another project")
    assert other_key.responses["respondent"][0] != first.responses["respondent"][0]


def test_a_tidy_file_without_codebook_asks_for_one(tmp_path):
    with pytest.raises(InputError, match="needs a codebook"):
        load(write(tmp_path / "r.csv", TIDY), None)


def test_constructs_and_items(tmp_path, codebook_csv):
    data = load(write(tmp_path / "r.csv", TIDY), codebook_csv)
    assert read_codebook(codebook_csv).constructs() == {"trust": ["trust1", "trust2"]}
    assert data.items("trust").to_numpy().tolist()[0] == [4.0, 1.0]
