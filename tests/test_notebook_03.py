"""Notebook 03 run by papermill with other parameters: another seed, a user's own small panel, a bad file."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from conftest import cell_outputs
from helpers.course import execute
from helpers.errors import WorkbookError
from helpers.paths import notebooks_dir

NOTEBOOK = notebooks_dir() / "03_value_creation_journey.ipynb"
pytestmark = pytest.mark.papermill


@pytest.fixture(autouse=True)
def kernel_environment(tmp_path, monkeypatch):
    """A private progress file; the inline backend (conftest's Agg would hide the figures we count)."""
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.delenv("MPLBACKEND", raising=False)


def texts(path) -> list[str]:
    """Every code cell's text outputs (streams and text/plain), one string per cell."""
    return cell_outputs(path, kinds=("text/plain",))


def cell_after(outputs: list[str], marker: str) -> str:
    return next(text for text in outputs if marker in text)


def images(path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_another_seed_changes_only_the_bootstrap(tmp_path):
    out = execute(NOTEBOOK, tmp_path / "seed.ipynb", parameters={"seed": 7, "n_boot": 300})
    fresh, stored = texts(out), texts(NOTEBOOK)
    table = cell_after(fresh, "expected_months")
    assert table != cell_after(stored, "expected_months")  # other resamples, other interval bounds
    total_fresh = next(line for line in table.splitlines() if "total" in line).split()
    total_stored = next(line for line in cell_after(stored, "expected_months").splitlines() if "total" in line).split()
    assert total_fresh[2] == total_stored[2] == "14.52"  # the estimate itself does not depend on the seed
    assert cell_after(fresh, "hazard ratio") == cell_after(stored, "hazard ratio")
    assert "teams are stuck in storming" in "\n".join(fresh)
    assert images(out) == 3


def user_panel() -> pd.DataFrame:
    """Sixteen initiatives in a user's own spelling: half built trust early and cohere faster."""
    rows = []
    for i in range(16):
        trust = i % 2
        months_cohering = (1 + i % 3) if trust else (3 + i % 5)
        path = ["Latent Value"] + ["Exploring"] * 2 + ["Cohering"] * months_cohering
        if i % 4 == 3 and not trust:
            path += ["Exit"]
        elif i % 7 == 6:
            pass  # still cohering when the study ends: censored
        else:
            path += ["Establishing"] * 2 + ["Journeying"] * (2 + i % 3) + ["Value creation"]
        for month, stage in enumerate(path, start=1):
            rows.append(
                {
                    "initiative": f"project-{i:02d}",
                    "month": month,
                    "stage": stage,
                    "early_trust": trust,
                    "sector": "energy" if i < 8 else "forestry",
                }
            )
    return pd.DataFrame(rows)


def test_users_own_small_panel(tmp_path):
    data = tmp_path / "my_panel.csv"
    user_panel().to_csv(data, index=False)
    out = execute(
        NOTEBOOK,
        tmp_path / "mine.ipynb",
        parameters={
            "data_path": str(data),
            "reasons_path": "",
            "questionnaire_path": "",
            "covariates": "early_trust",
            "km_group": "early_trust",
            "n_boot": 200,
        },
    )
    outputs = "\n".join(texts(out))
    assert "16 initiatives" in outputs
    assert "No reasons log (reasons_path is empty)" in outputs
    assert "No questionnaire (questionnaire_path is empty)" in outputs
    assert "early_trust" in cell_after(texts(out), "hazard ratio")
    assert "(synthetic data)" not in outputs
    # 'Journeying' is read as teaming, 'Exit' as exited: both appear in the stage tables
    assert "teaming" in cell_after(texts(out), "last stage seen") or "teaming" in outputs
    assert "Log-rank test" in outputs
    assert images(out) == 2  # timeline and Kaplan-Meier; no reasons plot without a log


def test_a_bad_panel_stops_with_file_line_column_value(tmp_path):
    bad = user_panel()
    bad.loc[5, "stage"] = "brainstorming"
    data = tmp_path / "broken.csv"
    bad.to_csv(data, index=False)
    with pytest.raises(WorkbookError) as caught:
        execute(
            NOTEBOOK,
            tmp_path / "broken.ipynb",
            parameters={"data_path": str(data), "reasons_path": "", "questionnaire_path": "", "covariates": ""},
        )
    assert "broken.csv, line 7, column 'stage', value 'brainstorming'" in str(caught.value)
