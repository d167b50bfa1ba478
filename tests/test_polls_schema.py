"""The pandera contract of PollData.responses catches what the loaders must never produce."""

import pytest

from conftest import write
from helpers.polls import load
from helpers.polls.schema import check_responses


@pytest.fixture
def data(tmp_path, codebook_csv):
    text = "respondent,question,answer\na,trust1,Agree\na,meeting,7\nb,trust2,Disagree\n"
    return load(write(tmp_path / "r.csv", text), codebook_csv)


def test_loaded_responses_keep_the_contract(data):
    check_responses(data.responses, data.codebook)  # load() already checked; checking again passes


@pytest.mark.parametrize(
    "column, row, bad, fragment",
    [
        ("respondent", 0, "alice", "str_matches"),  # a raw id instead of a pseudonym
        ("question", 1, "unknown", "isin"),  # not in the codebook
        ("value", 1, 8.0, "outside its question's scale"),  # 8 on a 1-7 rating
    ],
)
def test_a_broken_responses_table_fails_loudly(data, column, row, bad, fragment):
    broken = data.responses.astype({"respondent": str})
    broken.loc[row, column] = bad
    with pytest.raises(AssertionError, match=fragment):
        check_responses(broken, data.codebook)
