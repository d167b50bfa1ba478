"""The course outlines in lessons/README.md add up: every row starts where the last one ended, and a
heading that states minutes of teaching states the sum of the rows that are not breaks."""

from __future__ import annotations

import re
from pathlib import Path

OUTLINES = Path(__file__).resolve().parents[1] / "lessons" / "README.md"
BREAKS = ("Break", "Lunch")


def tables() -> list[tuple[str, list[tuple[int, int | None, str]]]]:
    """(heading, rows of (start minute, minutes, what)) for every timed table."""
    found, heading, rows = [], "", None
    for line in OUTLINES.read_text(encoding="utf-8").splitlines() + [""]:
        match = re.match(r"^\| (\d+):(\d\d) \| (\d+|—) \| (.*) \|$", line)
        if match:
            rows = [] if rows is None else rows
            minutes = None if match.group(3) == "—" else int(match.group(3))
            rows.append((int(match.group(1)) * 60 + int(match.group(2)), minutes, match.group(4)))
            continue
        if rows:
            found.append((heading, rows))
        rows = None
        if line.startswith(("## ", "**Day")):
            heading = line
    return found


def test_every_row_starts_where_the_last_ended():
    outlines = tables()
    assert len(outlines) == 6  # four analyst outlines, two practitioner ones (tests/test_outline_minutes.py checks all)
    for heading, rows in outlines:
        for (start, minutes, what), (next_start, _, _) in zip(rows, rows[1:], strict=False):
            ends = start + minutes
            assert ends == next_start, f"{heading}: {what!r} ends at {ends}, the next row starts at {next_start}"


def test_stated_teaching_minutes_are_the_sum_of_the_rows():
    stated = 0
    for heading, rows in tables():
        claim = re.search(r"(\d+) minutes, plus (\d+) minutes of breaks", heading)
        if not claim:
            continue
        teaching = sum(m for _, m, what in rows if m and not what.startswith(BREAKS))
        breaks = sum(m for _, m, what in rows if m and what.startswith(BREAKS))
        assert (teaching, breaks) == (int(claim.group(1)), int(claim.group(2))), heading
        stated += 1
    assert stated == 1
