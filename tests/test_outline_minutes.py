"""Every timed outline adds up: the course outlines in lessons/README.md (analyst and practitioner) and the
timed plans of both tracks in each lesson text.

An outline row starts where the previous one ended; a heading that states minutes ("185 minutes, plus 25
minutes of breaks", "3½ hours", "(60 min)") states the sum of its rows; a row that names a lesson's full or
short version or its practitioner track takes that lesson's minutes from the lesson table; a plan's total
row (``| | **60** | 27 teaching + 33 exercises |``) is the sum of its rows and of its two parts.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
BREAKS = ("Break", "Lunch")
ROW = re.compile(r"^\| (\d+):(\d\d) \| (\d+|—) \| (.*?) \|")
TOTAL = re.compile(r"^\| \| \*\*(\d+)\*\* \| (\d+) teaching \+ (\d+) exercises")
RANGE = re.compile(r"^\| (\d+)-(\d+) \| ")
PRACTITIONER_MINUTES = 60


def timed_tables(path: Path):
    """(heading, rows, total) for every timed table: rows of (start, minutes, what); total row or None."""
    found, heading, rows, total = [], "", None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        match = ROW.match(line)
        if match:
            rows = rows or []
            minutes = None if match.group(3) == "—" else int(match.group(3))
            rows.append((int(match.group(1)) * 60 + int(match.group(2)), minutes, match.group(4)))
            continue
        if rows and TOTAL.match(line):
            total = tuple(int(g) for g in TOTAL.match(line).groups())
            continue
        if rows:
            found.append((heading, rows, total))
        rows, total = None, None
        if line.startswith(("#", "**Day")):
            heading = line
    return found


def lesson_table() -> dict[str, tuple[int, int, int, int | None]]:
    """Lesson number -> (full minutes, teaching, exercises, short version) from the README's lesson table."""
    table = {}
    for line in (LESSONS / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| \[(\d\d) .*? \| (\d+) \((\d+) \+ (\d+)\) \| (\d+|—) \|$", line)
        if match:
            short = None if match.group(5) == "—" else int(match.group(5))
            table[match.group(1)] = (int(match.group(2)), int(match.group(3)), int(match.group(4)), short)
    return table


def _hours(text: str) -> Fraction:
    whole, part = re.match(r"(\d*)([½¼¾]?)", text).groups()
    return Fraction(int(whole or 0)) + {"": 0, "½": Fraction(1, 2), "¼": Fraction(1, 4), "¾": Fraction(3, 4)}[part]


def test_the_lesson_table_adds_up():
    table = lesson_table()
    assert sorted(table) == ["00", "01", "02", "03", "04", "05", "06"]
    for number, (full, teaching, exercises, _) in table.items():
        assert teaching + exercises == full, number


OUTLINES = timed_tables(LESSONS / "README.md")


def test_every_outline_is_found():
    headings = [heading for heading, _, _ in OUTLINES]
    assert len(OUTLINES) == 6, headings
    assert sum("Practitioner" in h for h in headings) == 2


@pytest.mark.parametrize("heading, rows, total", OUTLINES, ids=[h for h, _, _ in OUTLINES])
def test_every_outline_row_starts_where_the_last_ended_and_the_stated_totals_hold(heading, rows, total):
    for (start, minutes, what), (next_start, _, _) in zip(rows, rows[1:], strict=False):
        assert minutes is not None, f"{heading}: {what!r} has no minutes but is not the last row"
        assert start + minutes == next_start, f"{heading}: {what!r} ends at {start + minutes}, next starts {next_start}"
    span = rows[-1][0] + (rows[-1][1] or 0) - rows[0][0]
    teaching = sum(m for _, m, what in rows if m and not what.startswith(BREAKS))
    breaks = sum(m for _, m, what in rows if m and what.startswith(BREAKS))
    claim = re.search(r"(\d+) minutes, plus (\d+) minutes of breaks", heading)
    if claim:
        assert (teaching, breaks) == (int(claim.group(1)), int(claim.group(2))), heading
    hours = re.search(r"\(([\d½¼¾]+) hours( of teaching)?", heading)
    if hours:
        stated = _hours(hours.group(1)) * 60
        assert (teaching if hours.group(2) else span) == stated, (heading, teaching, span)
    table = lesson_table()
    for _, minutes, what in rows:  # a named version of a lesson takes that lesson's minutes
        lesson = re.match(r"\*\*(\d\d) ", what)
        if not lesson or minutes is None:
            continue
        full, _, _, short = table[lesson.group(1)]
        if "(full" in what:
            assert minutes == full, what
        elif "practitioner track" in what:
            assert minutes == (PRACTITIONER_MINUTES if ", short" not in what else minutes), what
            assert minutes <= PRACTITIONER_MINUTES, what
        elif "short version" in what:
            assert minutes == short, what


CASE_LESSONS = [
    "01_landlord_and_utility",
    "02_roffey_park_alliances",
    "03_value_creation_journey",
    "04_things_that_matter",
    "05_partnership_health_check",
]


@pytest.mark.parametrize("name", CASE_LESSONS)
def test_both_plans_of_each_case_lesson_add_up(name):
    path = LESSONS / f"{name}.md"
    plans = {heading: (rows, total) for heading, rows, total in timed_tables(path)}
    full = lesson_table()[name[:2]][0]
    practitioner = [h for h in plans if h.startswith("## Practitioner plan")]
    assert practitioner == [f"## Practitioner plan ({PRACTITIONER_MINUTES} min)"]
    for heading, (rows, total) in plans.items():
        for (start, minutes, what), (next_start, _, _) in zip(rows, rows[1:], strict=False):
            assert start + minutes == next_start, f"{name} {heading}: {what!r}"
        length = rows[-1][0] + rows[-1][1] - rows[0][0]
        expected = PRACTITIONER_MINUTES if heading in practitioner else full
        assert length == expected, (name, heading, length)
        if total is not None:
            minutes, teaching, exercises = total
            assert minutes == length == teaching + exercises, (name, heading, total)
            exercise_rows = sum(
                m for _, m, what in rows if what.startswith(("**Exercise", "Discussion")) or "**Exercise" in what
            )
            assert exercise_rows == exercises, (name, heading, exercise_rows, exercises)


@pytest.mark.parametrize("name", ["00_start_here", "02_roffey_park_alliances"])
def test_range_plans_add_up(name):
    """Lessons 00 and 02 time their analyst plan as minute ranges (0-3, 3-7, ...)."""
    text = (LESSONS / f"{name}.md").read_text(encoding="utf-8")
    heading = re.search(r"^## Timing plan \((\d+) min\)$", text, re.M)
    ranges = [tuple(map(int, m.groups())) for m in map(RANGE.match, text.splitlines()) if m]
    assert ranges[0][0] == 0 and ranges[-1][1] == int(heading.group(1)) == lesson_table()[name[:2]][0]
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
