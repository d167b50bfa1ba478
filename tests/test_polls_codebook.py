"""Codebook parsing: every problem names file, line, column and value."""

import pytest

from conftest import write
from helpers.errors import InputError
from helpers.polls import read_codebook

HEADER = "question,text,kind,scale,reverse,construct\n"


def test_codebook_round_trip(tmp_path, codebook_csv):
    codebook = read_codebook(codebook_csv)
    assert codebook["trust2"].reverse and codebook["trust2"].labels[0] == "Strongly disagree"
    assert (codebook["meeting"].low, codebook["meeting"].high) == (1.0, 7.0)
    again = read_codebook(codebook.write(tmp_path / "again.csv"))
    assert again.to_frame().equals(codebook.to_frame())


@pytest.mark.parametrize(
    "row, column, fragment",
    [
        ("q,Q,slider,1-5,false,", "kind", "unknown kind"),
        ("q,Q,likert,,false,", "scale", "needs a scale"),
        ("q,Q,likert,5-1,false,", "scale", "from low to high"),
        ("q,Q,likert,Yes||No,false,", "scale", "non-empty and different"),
        ("q,Q,likert,1-5,perhaps,", "reverse", "true or false"),
        ("q,Q,numeric,,true,", "reverse", "only likert and rating"),
        (",Q,likert,1-5,false,", "question", "no question id"),
    ],
)
def test_bad_codebook_rows(tmp_path, row, column, fragment):
    with pytest.raises(InputError, match=fragment) as info:
        read_codebook(write(tmp_path / "cb.csv", HEADER + "ok,Fine,likert,1-5,false,\n" + row + "\n"))
    assert info.value.line == 3 and info.value.column == column and info.value.file == "cb.csv"


def test_duplicate_question_id(tmp_path):
    with pytest.raises(InputError, match="listed twice"):
        read_codebook(write(tmp_path / "cb.csv", HEADER + "q,A,likert,1-5,false,\nq,B,likert,1-5,false,\n"))


def test_codebook_without_required_columns(tmp_path):
    with pytest.raises(InputError, match="kind is missing"):
        read_codebook(write(tmp_path / "cb.csv", "question,text\nq,Q\n"))
