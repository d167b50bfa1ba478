"""Two tracks from one source (helpers.tracks): the tags, the filtering, and the tagged lessons 01-05."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from helpers.errors import WorkbookError
from helpers.tracks import (
    FOLDED_TAG,
    cell_text,
    cell_track,
    filter_markdown,
    formulas_in,
    make_track,
    names_bound,
    names_used,
)

ROOT = Path(__file__).resolve().parents[1]
CASE_LESSONS = [
    "01_landlord_and_utility",
    "02_roffey_park_alliances",
    "03_value_creation_journey",
    "04_things_that_matter",
    "05_partnership_health_check",
]


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    for kind, source, tags in cells:
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        cell = make(source)
        cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    return nb


SAMPLE = _nb(
    ("md", "# Title with $W = \\frac{12S}{m^2}$", ["analyst"]),
    ("md", "# Title in words", ["practitioner"]),
    ("code", "x = 1\nprint('method table')", ["analyst"]),
    ("code", "unused = 2\nunused", ["analyst"]),
    ("code", "y = x + 1", []),
    ("code", "print('reading of', y)", ["practitioner"]),
)


def test_the_default_is_the_full_lesson_which_is_the_analyst_track():
    for track in (None, "analyst"):
        cells = make_track(SAMPLE, track).cells
        assert [c.source.splitlines()[0] for c in cells] == [
            "# Title with $W = \\frac{12S}{m^2}$",
            "x = 1",
            "unused = 2",
            "y = x + 1",
        ]
    assert len(SAMPLE.cells) == 6  # the source is not changed


def test_practitioner_drops_method_cells_and_folds_the_ones_whose_results_are_needed():
    result = make_track(SAMPLE, "practitioner")
    assert result.metadata["workbook"]["track"] == "practitioner"
    sources = [c.source for c in result.cells]
    assert sources[0] == "# Title in words"
    folded = result.cells[1]
    assert FOLDED_TAG in folded.metadata["tags"] and "analyst" not in folded.metadata["tags"]
    assert folded.source.startswith("%%capture") and "x = 1" in folded.source
    assert folded.metadata["jupyter"]["source_hidden"] and folded.metadata["transient"]["remove_source"]
    assert not any("unused" in s for s in sources)  # nothing later reads it: left out
    assert sources[2:] == ["y = x + 1", "print('reading of', y)"]
    assert cell_text(folded) == ""  # a reader sees neither the code nor an output


def test_bad_tracks_and_tags_are_clear_errors():
    with pytest.raises(WorkbookError, match="unknown track 'manager'"):
        make_track(SAMPLE, "manager")
    both = _nb(("code", "1", ["analyst", "practitioner"]))
    with pytest.raises(WorkbookError, match="tagged for both tracks"):
        make_track(both, "practitioner")


def test_names_bound_and_used():
    assert names_bound("a, b = 1, 2\nimport numpy as np\ndef f(): pass") == {"a", "b", "np", "f"}
    assert names_used("print(a + b)") == {"print", "a", "b"}
    assert names_used("%matplotlib inline") == {"*"}  # a magic: assume it reads anything


def test_markdown_sections_by_track():
    text = (
        "intro\n<!-- track: analyst -->\nformulas\n<!-- /track -->\n"
        "<!-- track: practitioner -->\nwords\n<!-- /track -->\nend\n"
    )
    assert filter_markdown(text, "practitioner") == "intro\nwords\nend\n"
    assert filter_markdown(text, "analyst") == "intro\nformulas\nend\n"
    assert filter_markdown(text, None) == "intro\nformulas\nwords\nend\n"
    with pytest.raises(WorkbookError, match="no matching"):
        filter_markdown("a\n<!-- track: analyst -->\nb\n", "practitioner")
    with pytest.raises(WorkbookError, match="'analysts'"):
        filter_markdown("<!-- track: analysts -->\nb\n<!-- /track -->\n", "practitioner")


@pytest.mark.parametrize(
    "text",
    [
        "$$W$$",
        "$\\sqrt{2}$",
        "\\frac{a}{b}",
        "S = Σ (R − m)²",
        "b₀ + b₁x",
        "2ⁿ ways",
        "N = (I − Q)⁻¹",
        "W = 12 S / (m² (n³ − n))",
        "p = 2/32",
    ],
)
def test_formulas_are_found(text):
    assert formulas_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "τ = 0.10, with eight things ranked",
        "84% agree (between 79% and 88%)",
        "costs $5 a head",
        "benchmarks for eta²-type effect sizes",
        "f² ≈ .03 is small",
        "r_wg(J), J = 3 items</td>",
    ],
)
def test_plain_text_is_not_a_formula(text):
    assert not formulas_in(text)


# --- the tagged lessons ----------------------------------------------------------------------------


def _read(name: str):
    return nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", CASE_LESSONS)
def test_each_case_lesson_has_both_tracks_and_a_reading_per_result(name):
    nb = _read(name)
    tracks = [cell_track(c) for c in nb.cells]
    assert tracks.count("analyst") >= 3 and tracks.count("practitioner") >= 2
    readings = [c for c in nb.cells if cell_track(c) == "practitioner" and c.cell_type == "code"]
    assert readings and all("readings." in c.source for c in readings)
    for cell in readings:  # each reading cell shows its reading in the stored outputs (nbval compares them)
        assert cell.outputs, cell.source
        assert not formulas_in(cell_text(cell)), cell.source


@pytest.mark.parametrize("name", CASE_LESSONS)
def test_the_practitioner_track_has_no_formula_and_no_method_cell(name):
    nb = _read(name)
    practitioner = make_track(nb, "practitioner")
    for cell in practitioner.cells:
        assert cell_track(cell) != "analyst"
        text = cell_text(cell) if FOLDED_TAG not in cell.metadata.get("tags", []) else ""
        assert not formulas_in(text), (name, text[:200])
    # everything else of the lesson is still there: the case, the data, the figures, the exercises
    kept = {c.source for c in practitioner.cells}
    untagged = [c for c in nb.cells if cell_track(c) is None]
    assert all(c.source in kept for c in untagged)
    assert any("image/png" in o.get("data", {}) for c in practitioner.cells for o in c.get("outputs", []))


LESSON_TEXTS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.md"))


@pytest.mark.parametrize("path", LESSON_TEXTS, ids=lambda p: p.stem)
def test_lesson_texts_filter_cleanly_and_the_practitioner_text_has_no_formula(path):
    text = path.read_text(encoding="utf-8")
    practitioner = filter_markdown(text, "practitioner")
    analyst = filter_markdown(text, "analyst")
    assert "<!--" not in re.sub(r"<!-- exercises:.*?-->", "", practitioner)
    readable = re.sub(r"^## Trainer section.*?(?=^## |\Z)", "", practitioner, flags=re.S | re.M)
    readable = re.sub(r"<!-- exercises:learner BEGIN.*?<!-- exercises:learner END -->", "", readable, flags=re.S)
    assert not formulas_in(readable), formulas_in(readable)
    if path.stem in CASE_LESSONS:
        assert "## Practitioner plan (60 min)" in practitioner and "## Practitioner plan" not in analyst
        assert "## Practitioner plan" in filter_markdown(text, None)  # the full text names both plans


def test_an_exercise_file_and_its_notebook_cell_name_the_same_track():
    """A method exercise is `track: analyst` in its data file (its lesson-text lines) and tagged analyst in the
    notebook (its cell): the two cannot drift apart."""
    from helpers.exercises import catalogue
    from helpers.exercises import spec as specs

    tracks = {s.id: s.track for path in catalogue.lesson_files() for s in specs.load(path).exercises}
    seen = 0
    for path in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            match = re.search(r'exercise\("([^"]+)"', cell.source) if cell.cell_type == "code" else None
            if match:
                seen += 1
                tags = set(cell.metadata.get("tags", []))
                expected = "analyst" if "analyst" in tags else "practitioner" if "practitioner" in tags else None
                assert tracks[match.group(1)] == expected, (path.name, match.group(1))
    assert seen >= 20
