"""The set-up check: deterministic when all is well, specific when something is wrong."""

import pandas as pd

from helpers import setup_check as sc


def test_the_real_environment_passes_and_shows_no_paths_or_patch_versions():
    table = sc.check_environment()
    assert table.columns.tolist() == ["check", "item", "expected", "status"]
    assert table["status"].eq("OK").all(), table[table["status"] != "OK"].to_string()
    assert table["check"].tolist()[:3] == ["python", "kernel", "datasets"]
    assert table.loc[0, "expected"] == "3.11"
    text = table.to_string()
    assert "/" not in text.replace("bundled datasets", "")  # no paths anywhere
    packages = table[table["check"] == "package"]["item"].tolist()
    assert packages == sorted(packages) and {"pandas", "statsmodels", "pingouin", "ipywidgets"} <= set(packages)
    assert "pytest" not in packages  # test extras are not the learner's concern
    assert sc.summary(table).startswith("All ")


def test_two_runs_give_the_same_table():
    pd.testing.assert_frame_equal(sc.check_environment(), sc.check_environment())


def test_read_pins_normalises_names(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# comment\nJinja2==3.1.6\njupyter_client==8.10.0\nnumpy == 2.4.6  # pinned\n", encoding="utf-8")
    assert sc.read_pins(lock) == {"jinja2": "3.1.6", "jupyter-client": "8.10.0", "numpy": "2.4.6"}


def test_package_checks_report_missing_mismatched_and_unpinned():
    versions = {"pandas": "3.1.1", "numpy": "1.26.0", "extra": "1.0"}
    rows = sc.package_checks(
        ["pandas", "numpy", "scipy", "extra"],
        {"pandas": "3.1.1", "numpy": "2.4.6", "scipy": "1.17.1"},
        installed=versions.get,
    )
    status = {r["item"]: r["status"] for r in rows}
    assert status["pandas"] == "OK"
    assert status["numpy"].startswith("installed 1.26.0, expected 2.4.6: run `make setup`")
    assert status["scipy"].startswith("missing: run `make setup`")
    assert status["extra"] == "not pinned in requirements.lock"
    assert [r["item"] for r in rows] == ["extra", "numpy", "pandas", "scipy"]


def test_python_check_uses_major_minor_only():
    assert sc.python_check(">=3.11,<3.12", (3, 11, 9)) == {
        "check": "python",
        "item": "Python",
        "expected": "3.11",
        "status": "OK",
    }
    wrong = sc.python_check("<3.12,>=3.11", (3, 12, 1))
    assert wrong["expected"] == "3.11"
    assert wrong["status"] == "running Python 3.12: create the environment with Python 3.11"


def test_kernel_check():
    assert sc.kernel_check("python3", {"python3": "somewhere"})["status"] == "OK"
    assert "no Jupyter kernel named 'python3'" in sc.kernel_check("python3", {"ir": "x"})["status"]


def test_dataset_checks(tmp_path):
    assert "missing" in sc.dataset_checks(tmp_path)[0]["status"]
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "poll.csv").write_text("x\n")
    (tmp_path / "datasets.csv").write_text(
        "name,path,codebook,kind,lesson,synthetic,description,generator\n"
        "poll,a/poll.csv,a/poll_codebook.csv,poll,02,yes,d,g\n",
        encoding="utf-8",
    )
    assert sc.dataset_checks(tmp_path)[0]["status"].startswith("missing a/poll_codebook.csv")
    (tmp_path / "a" / "poll_codebook.csv").write_text("x\n")
    assert sc.dataset_checks(tmp_path)[0]["status"] == "OK"


def test_a_folder_without_lock_file_says_so(tmp_path):
    table = sc.check_environment(tmp_path)
    assert "requirements.lock" in table["item"].tolist()
    assert (table["status"] != "OK").sum() >= 2
    assert sc.summary(table).endswith("need attention: see the status column.")
