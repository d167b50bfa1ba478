"""One source for what several layers share: the Likert labels, the synthetic-data note, the file types.

- the five-point agreement labels are package data (``helpers/data/likert_scales.csv``), read by
  :mod:`helpers.polls.scales` and, as a file, by the seeded generators, and spelled nowhere else;
- "is this bundled synthetic data?" is decided by the dataset registry alone
  (:func:`helpers.datasets.is_synthetic`), and the notebooks ask it, not a folder name;
- every lesson parameter naming a table accepts the same suffixes (:data:`helpers.polls.tables.TABLE_SUFFIXES`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import datasets
from helpers.cases import health_check, own_poll, roffey_park, things_that_matter, value_journey
from helpers.lessons.health_check import instrument
from helpers.paths import datasets_dir, notebooks_dir
from helpers.polls.scales import AGREEMENT_5, SCALES

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"


def test_the_generators_use_the_shared_labels():
    assert AGREEMENT_5 == ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
    for labels in (roffey_park.LIKERT, things_that_matter.LIKERT, value_journey.LIKERT, own_poll.LABELS):
        assert labels == AGREEMENT_5
    assert {row["scale"] for row in health_check.instrument_rows()} == {"|".join(AGREEMENT_5)}
    assert instrument.LIKERT_5 == AGREEMENT_5


def test_every_bundled_likert_codebook_uses_a_shared_label_set():
    registry = datasets.list_datasets()
    codebooks = sorted(set(registry.loc[registry["codebook"] != "", "codebook"]))
    assert len(codebooks) >= 5
    shared = {"|".join(labels) for labels in SCALES.values()}
    for relative in codebooks:
        book = pd.read_csv(datasets_dir() / relative, dtype=str, keep_default_na=False)
        likert = book.loc[book["kind"] == "likert", "scale"]
        assert set(likert) <= shared, f"{relative} spells a Likert scale of its own: {set(likert) - shared}"


def test_no_python_module_spells_the_labels_out():
    # polls/importers/draft.py lists the *spellings* an importer recognises (alternates included),
    # which is a different thing from the label set a generator or a lesson uses.
    spelled = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if '"Neither agree nor disagree", "Agree"' in path.read_text(encoding="utf-8") and path.name != "draft.py"
    ]
    assert spelled == []


def test_the_synthetic_note_comes_from_the_registry(tmp_path):
    bundled = datasets_dir() / "05_partnership_health_check" / "health_check.csv"
    assert datasets.is_synthetic(bundled) and datasets.synthetic_note(bundled) == "Synthetic data."
    copy = tmp_path / "05_partnership_health_check" / "health_check.csv"  # same folder name, not bundled
    copy.parent.mkdir()
    copy.write_bytes(bundled.read_bytes())
    assert not datasets.is_synthetic(copy) and datasets.synthetic_note(copy) is None


def _code(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


LESSON_NOTEBOOKS = sorted(p for p in notebooks_dir().glob("0[1-6]_*.ipynb"))


@pytest.mark.parametrize("notebook", LESSON_NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebooks_ask_the_registry_and_accept_the_same_file_types(notebook):
    code = _code(notebook)
    assert not re.search(r"in \w+_path\.as_posix\(\)|is_bundled\(", code), "decides 'synthetic' by itself"
    if "ynthetic" in code and notebook.stem[:2] in ("03", "04", "05", "06"):
        assert re.search(r"\b(synthetic_note|is_synthetic)\(", code)
    literal = re.findall(r"suffixes=(\([^)]*\)|\[[^]]*\])", code)
    assert all(".json" in s for s in literal), f"file types written out instead of TABLE_SUFFIXES: {literal}"
    assert "suffixes=TABLE_SUFFIXES" in code
