"""The practitioner readings of lessons 04 and 05 (helpers.lessons.readings) hold to the numbers they read,
on the bundled data and on a second, differently seeded dataset."""

from __future__ import annotations

import re

import pytest

from helpers.cases import health_check
from helpers.lessons import readings
from helpers.lessons.health_check import instrument
from helpers.lessons.things_that_matter import WebinarPoll
from helpers.paths import datasets_dir
from helpers.polls import load

POLL = datasets_dir() / "04_things_that_matter"


def _bullets(note) -> list[str]:
    return [line[2:] for line in str(note).splitlines() if line.startswith("- ")]


def test_poll_shares_are_quoted_as_computed():
    data = load(POLL / "webinar_poll.csv", codebook=POLL / "webinar_poll_codebook.csv")
    poll = WebinarPoll(data, ["Client", "Supplier"])
    table = poll.agreement()
    lines = _bullets(readings.ttm_poll(table, poll.texts()))
    assert len(lines) == len(table)
    for line, (_, row) in zip(lines, table.iterrows(), strict=True):
        assert line.startswith(f"{row['share']:.0%} agree that “")
        assert f"between {row['ci_low']:.0%} and {row['ci_high']:.0%}" in line
        assert f"with {int(row['n'])} respondents" in line


@pytest.mark.parametrize("seed", [None, 7])
def test_partner_gaps_are_read_with_their_own_numbers(tmp_path, seed):
    folder = datasets_dir() / health_check.FOLDER
    if seed is None:
        path = folder / "health_check.csv"
    else:
        path = tmp_path / "health_check.csv"
        health_check.responses(seed).to_csv(path, index=False)
    data = load(path, codebook=folder / "health_check_codebook.csv")
    gaps = instrument.partner_gaps(instrument.score_instrument(data), ["Cobalt Engineering", "Riverside Water"])
    lines = _bullets(readings.health_gaps(gaps))[:-1]
    assert len(lines) == len(gaps)
    for line, (_, row) in zip(lines, gaps.iterrows(), strict=True):
        assert line.startswith(f"On *{row['dimension']}*, Cobalt Engineering's staff score ")
        word = "higher" if row["difference"] > 0 else "lower"
        assert f"score {word} than Riverside Water's by {abs(row['difference']):.2f} points" in line
        assert f"{row['ci_low']:.2f}" in line and f"{row['ci_high']:.2f}" in line
        excludes_zero = row["ci_low"] > 0 or row["ci_high"] < 0
        assert ("it is likely real" in line) == excludes_zero
        assert re.search(rf"with {int(row['n_a'] + row['n_b'])} respondents", line)
