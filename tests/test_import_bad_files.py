"""Bad files give one clear message (file, line, what to do), never a traceback; ragged rows are
counted. Every file here is written into a temporary folder by the test itself."""

from pathlib import Path

import pytest

from helpers.cli import main
from helpers.errors import InputError
from helpers.polls.importers import detect, import_export

ZOOM_HEADER = "#,User Name,User Email,Submitted Date/Time,\n"


def _write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.csv", b"\r\n  \r\n", "the file is empty"),
        ("binary.csv", bytes(range(256)) * 8, "not a text file"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 300, "cannot be opened"),
        ("truncated.csv", 'Timestamp,Q1\n8/21/2019 13:10:31,"an answer that never ends\n', "ends inside a quoted cell"),
        ("huge.csv", 'Timestamp,Q1\n8/21/2019 13:10:31,"' + "x" * 1_000_000 + '"\n', "longer than"),
        ("zoom_header_only.csv", ZOOM_HEADER, "header but no answers"),
        ("forms_header_only.csv", "Timestamp,How was it?\n", "header but no responses"),
        ("monkey_header_only.csv", "Respondent ID,Collector ID,Q1\n,,Response\n", "no responses"),
    ],
)
def test_bad_file_one_clear_message(tmp_path, name, data, message, capsys):
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError, match=message) as error:
        import_export(path)
    assert name in str(error.value)
    assert "\n" not in str(error.value)
    # the command line prints the same sentence, no traceback, exit code 1
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert name in err and "Traceback" not in err and err.count("\n") == 1


def test_truncated_file_names_the_line(tmp_path):
    path = _write(tmp_path, "cut.csv", 'Timestamp,Q1\n8/21/2019 13:10:31,fine\n8/21/2019 13:11:00,"cut off here\n')
    with pytest.raises(InputError, match="line 3"):
        import_export(path)


def test_ragged_rows_are_counted_and_explained(tmp_path):
    text = (
        "Timestamp,Which side?,How was it?\n"
        "8/21/2019 13:10:31,Client,Good\n"
        "8/21/2019 13:11:00,Client,Good,unexpected,extra\n"  # longer than the header: set aside
        "8/21/2019 13:12:00,Contractor\n"  # shorter: padded
        "8/21/2019 13:13:00,Contractor,Poor\n"
    )
    data = import_export(_write(tmp_path, "ragged.csv", text))
    report = data.report
    assert (report.rows_read, report.rows_used, report.rows_rejected) == (4, 3, 1)
    assert report.rejections[0].line == 3 and "cells but the header only" in report.rejections[0].reason
    assert any("padded" in note for note in report.notes)


def test_duplicated_question_texts_keep_separate_ids(tmp_path):
    text = "Timestamp,Rate it,Rate it\n8/21/2019 13:10:31,3,4\n8/21/2019 13:10:35,4,4\n"
    data = import_export(_write(tmp_path, "dupes.csv", text))
    assert data.codebook.ids() == ["q01", "q02"]
    assert data.codebook["q01"].text == data.codebook["q02"].text == "Rate it"


def test_a_row_without_answers_is_rejected_not_lost(tmp_path):
    text = "Timestamp,Which side?\n8/21/2019 13:10:31,Client\n8/21/2019 13:11:00,\n8/21/2019 13:12:00,Client\n"
    report = import_export(_write(tmp_path, "gap.csv", text)).report
    assert (report.rows_read, report.rows_used, report.rows_rejected) == (3, 2, 1)
    assert report.rejections[0].line == 3


def test_utf8_with_and_without_bom_read_the_same(tmp_path):
    text = "Timestamp,Wie war's?\n8/21/2019 13:10:31,Schön\n8/21/2019 13:11:31,Schön\n"
    plain = import_export(_write(tmp_path, "plain.csv", text))
    bom = import_export(_write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert plain.responses["answer"].tolist() == bom.responses["answer"].tolist() == ["Schön", "Schön"]
    assert plain.codebook["q01"].text == bom.codebook["q01"].text == "Wie war's?"


def test_detect_on_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        detect(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2\n3,4\n",
        "a,b\r\n1,2\r\n3,4\r\n",
        "a,b\n1,2\n3\n",
        "a,b\n1,2\n,\n3,4\n",
        'a,b\n1,2\n"",""\n',
        "a,a\n1,2\n",
        "a,b,\n1,2,\n",
        'a,b\n"x\ny",2\n',
        "a;b\n1;2\n",
        "a,b\n1,2\n\n3,4\n",
        "a,b\n1,2,3\n",
        "a,b\n 1 , 2\n",
        "a,b\n1,2",
        "a,b\n1,\n",
    ],
)
def test_fast_reader_gives_the_careful_readers_table(tmp_path, text):
    """read_table's pandas fast path (used for large regular files) must equal the row-by-row reader."""
    from helpers.polls import read

    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    fast = read.read_table(path)
    rows, lines = read._csv_rows(text, read.sniff_separator(text), "t.csv")
    careful = read._to_table(rows, lines, "t.csv", fast.encoding, fast.separator, [], 0)
    assert fast.frame.equals(careful.frame) and list(fast.frame.columns) == list(careful.frame.columns)
    assert (fast.lines, fast.long_rows) == (careful.lines, careful.long_rows)
