"""`workbook build --track practitioner --edition student` builds lessons 00-06: no formula, no method-only
cell, no answer or trainer note, every result read in words, and the lesson texts of the track beside them.

One build (7 notebooks, one after the other in this process: the suite's warm kernels) is shared by the tests
of this module; the two-at-a-time build is tested in test_course.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from helpers.cli import main
from helpers.tracks import FOLDED_TAG, cell_text, formulas_in

ROOT = Path(__file__).resolve().parents[1]
NAMES = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("practitioner")
    assert main(["build", "--track", "practitioner", "--edition", "student", "--out", str(out), "--jobs", "1"]) == 0
    return out / "student" / "practitioner"


def test_every_lesson_is_built(built):
    assert NAMES == [f"0{i}_" + n.split("_", 1)[1] for i, n in enumerate(NAMES)] and len(NAMES) == 7
    assert sorted(p.stem for p in (built / "notebooks").glob("*.ipynb")) == NAMES
    assert sorted(p.stem for p in (built / "html").glob("*.html")) == NAMES
    assert sorted(p.stem for p in (built / "lessons").glob("*.md")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_no_formula_no_method_cell_no_answer(built, name):
    nb = nbformat.read(built / "notebooks" / f"{name}.ipynb", as_version=4)
    assert nb.metadata["workbook"] == {"edition": "student", "track": "practitioner"}
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        assert not tags & {"analyst", "solution", "trainer"}, (name, cell.source[:80])
        if FOLDED_TAG in tags:  # a method computation a later cell needs: it ran, and shows nothing
            assert cell.metadata["transient"]["remove_source"] and not cell.outputs
            assert not any(o.get("output_type") == "error" for o in cell.outputs)
        assert not formulas_in(cell_text(cell)), (name, formulas_in(cell_text(cell)), cell_text(cell)[:300])
    html = (built / "html" / f"{name}.html").read_text(encoding="utf-8")
    assert "%%capture" not in html  # folded cells' code is not on the page


@pytest.mark.parametrize("name", [n for n in NAMES if n[:2] in {"01", "02", "03", "04", "05"}])
def test_each_case_lesson_reads_its_results_in_words(built, name):
    nb = nbformat.read(built / "notebooks" / f"{name}.ipynb", as_version=4)
    readings = [c for c in nb.cells if c.cell_type == "code" and "readings." in c.source]
    assert readings
    for cell in readings:
        markdown = [o["data"]["text/markdown"] for o in cell.outputs if "text/markdown" in o.get("data", {})]
        assert markdown and all(m.startswith("**") and re.search(r"\d", m) for m in markdown), cell.source
        assert not any(o.get("output_type") == "error" for o in cell.outputs)
    figures = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert figures >= 2


@pytest.mark.parametrize("name", NAMES)
def test_the_lesson_texts_of_the_track(built, name):
    text = (built / "lessons" / f"{name}.md").read_text(encoding="utf-8")
    assert not re.search(r"^## (Trainer|Facilitator)", text, re.M) and "<!-- track" not in text
    assert not formulas_in(text), formulas_in(text)  # method exercises carry `track: analyst` in their file
    if name[:2] in {"01", "02", "03", "04", "05"}:
        assert "## Practitioner plan (60 min)" in text
        assert "## Plan\n" not in text and "## Timing plan" not in text
