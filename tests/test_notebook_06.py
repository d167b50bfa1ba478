"""Lesson 06 run by papermill on every poll-export fixture (real and made-by-us) and on the bundled
example with other parameters; asserts on what the outputs say, and that no name or e-mail from the
export reaches the executed notebook or its HTML report."""

from pathlib import Path

import pytest

from conftest import notebook_outputs
from helpers.course import execute

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "06_analyse_your_own_poll.ipynb"
FIXTURES = ROOT / "tests" / "fixtures" / "poll_exports"
EXPORTS = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".csv", ".xlsx", ".txt") and "mapping" not in p.name)
MAPPED = {"mentimeter.xlsx": ("mentimeter", "mentimeter_mapping.csv"), "slido.xlsx": ("slido", "slido_mapping.json")}


def _text(notebook_path: Path) -> str:
    return notebook_outputs(notebook_path, kinds=None)


@pytest.mark.papermill
@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.name)
def test_lesson_06_runs_on_each_export(export, tmp_path):
    from test_privacy import personal_values

    fmt, mapping = MAPPED.get(export.name, ("auto", None))
    report = tmp_path / "report.html"
    parameters = {
        "data_path": str(export),
        "format": fmt,
        "codebook_path": "",
        "party_question": "",
        "group_question": "",
        "mapping_path": str(FIXTURES / "made" / mapping) if mapping else "",
        "by": "",
        "report_path": str(report),
    }
    if export.name == "zoom_meeting_2020.csv":
        parameters["by"] = "wave"
    out = execute(NOTEBOOK, tmp_path / "out.ipynb", parameters)
    text = _text(out)
    assert f"{export.name} (" in text and "rows read" in text and "DRAFT codebook" in text
    if export.name == "zoom_meeting_2020.csv":
        assert "1681 rows read, 1387 used, 294 rejected" in text
    page = report.read_text(encoding="utf-8").casefold()
    secrets = personal_values(export)
    leaked = sorted(s for s in secrets if s in text.casefold() or s in page)
    assert not leaked, leaked[:5]


@pytest.mark.papermill
def test_lesson_06_bundled_example_by_role_with_a_larger_minimum(tmp_path):
    out = execute(
        NOTEBOOK, tmp_path / "out.ipynb", {"by": "group", "min_group_size": 12, "seed": 11, "report_path": ""}
    )
    text = _text(out)
    assert "44 rows read, 44 used, 0 rejected" in text
    assert "Personal data dropped: Email Address." in text
    # 11 initiators < 12 are suppressed, and with them the next smallest group (16 front line), against differencing
    assert "Suppressed groups: Front line, Initiator" in text
    assert "fewer than 12 respondents" in text and "hidden so that a smaller group cannot be recovered" in text
    assert "[e-mail removed]" in text and "@example.org" not in text
    # Only the 17 operational managers remain: nothing to compare, one r_wg row per construct
    assert "Cronbach's alpha" in text and "fewer than two groups large enough to compare" in text
    assert "Kruskal-Wallis" not in text and text.count("Operational manager  r_wg(J)") == 2


@pytest.mark.papermill
def test_lesson_06_bad_parameter_is_one_plain_sentence(tmp_path):
    from helpers.errors import WorkbookError

    with pytest.raises(WorkbookError, match="min_group_size"):
        execute(NOTEBOOK, tmp_path / "out.ipynb", {"min_group_size": 0})
