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


@pytest.mark.parametrize(
    "column, row, bad",
    [
        ("respondent", 0, "alice"),
        ("respondent", 2, "r-0123456789abcdef"),  # a pseudonym too long
        ("question", 1, "unknown"),
        ("question", 0, None),
        ("answer", 0, None),
        ("value", 1, 8.0),
        ("value", 1, 0.0),
        ("value", 0, "high"),  # not a float column any more: pandera decides
    ],
)
def test_the_quick_check_passes_only_what_pandera_passes(data, column, row, bad):
    """check_responses skips pandera for a table plainly valid; anything pandera refuses is never
    "plainly valid", so the refusal and its wording stay pandera's."""
    import pandera.errors

    from helpers.polls.schema import _plainly_valid, responses_schema

    good = data.responses.astype({"respondent": str})
    assert _plainly_valid(good, data.codebook)
    responses_schema(data.codebook).validate(good)
    broken = good.astype({"value": object}) if column == "value" and isinstance(bad, str) else good.copy()
    broken.loc[row, column] = bad
    refused = (pandera.errors.SchemaError, pandera.errors.SchemaErrors)  # a failed coercion: SchemaErrors
    with pytest.raises(refused):
        responses_schema(data.codebook).validate(broken, lazy=False)
    assert not _plainly_valid(broken, data.codebook)
    with pytest.raises((AssertionError, *refused)):
        check_responses(broken, data.codebook)
