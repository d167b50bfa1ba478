"""The progress file: location, format marker, atomic writes, and damaged or foreign files."""

from __future__ import annotations

import json
import os

import pytest

from helpers.errors import WorkbookError
from helpers.exercises import SingleChoice, progress


@pytest.fixture(autouse=True)
def _student(monkeypatch):
    monkeypatch.delenv("WORKBOOK_EDITION", raising=False)


def exercise():
    return SingleChoice("01-q", "Pick b.", ["a", "b"], answer="b", feedback={"a": "Not a."})


def test_default_path_is_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBOOK_PROGRESS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert progress.progress_path() == tmp_path / "workbook-progress.json"
    item = exercise()
    item.choice.value = "b"
    item.check_button.click()
    document = json.loads((tmp_path / "workbook-progress.json").read_text())
    assert document["format"] == "collaborative-working-workbook/progress"
    assert document["version"] == 1
    assert document["exercises"]["01-q"]["completed"] is True


def test_env_var_overrides_and_missing_file_is_empty(tmp_path, monkeypatch):
    target = tmp_path / "sub" / "mine.json"
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(target))
    assert progress.progress_path() == target
    assert progress.read() == progress.empty()
    progress.save_entry("x", kind="K", answer=1, attempted=True, completed=False)
    assert progress.read()["exercises"]["x"]["attempts"] == 1
    assert [p.name for p in target.parent.iterdir()] == ["mine.json"]  # no temp file left


@pytest.mark.parametrize(
    "content, message",
    [('{"exercises": {', r"is damaged \(not valid JSON"),
     ('{"name": "my notes"}', "is not a workbook progress file"),
     ('[1, 2]', "is not a workbook progress file"),
     ('{"format": "collaborative-working-workbook/progress", "version": 99, "exercises": {}}',
      "has format version 99"),
     ('{"format": "collaborative-working-workbook/progress", "version": 1, "exercises": []}',
      "no readable \"exercises\" table")],
)
def test_bad_file_is_reported_and_never_overwritten(tmp_path, monkeypatch, content, message):
    path = tmp_path / "workbook-progress.json"
    path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(path))
    with pytest.raises(WorkbookError, match=message) as caught:
        progress.read()
    assert "move or rename it" in str(caught.value) and str(path) in str(caught.value)
    with pytest.raises(WorkbookError):
        progress.save_entry("01-q", kind="SingleChoice", answer="b", attempted=True, completed=True)

    item = exercise()  # building the exercise still works, and says why nothing was loaded
    assert "Saved answers were not loaded" in item.status.value
    item.choice.value = "b"
    item.check_button.click()
    assert item.feedback_text == "Correct."  # the student still gets feedback
    assert "Your answer was not saved" in item.status.value
    assert path.read_text(encoding="utf-8") == content  # the file is left exactly as it was
    assert sorted(os.listdir(tmp_path)) == ["workbook-progress.json"]


def test_write_is_atomic_when_dump_fails(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    progress.write(progress.empty(), path)
    before = path.read_text()
    with pytest.raises(TypeError):
        progress.write({"format": progress.FORMAT, "version": 1, "exercises": {"x": object()}}, path)
    assert path.read_text() == before
    assert sorted(os.listdir(tmp_path)) == ["p.json"]


def test_answer_that_no_longer_fits_is_not_restored(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(path))
    progress.save_entry("01-q", kind="SingleChoice", answer="an option since removed",
                        attempted=True, completed=False)
    item = exercise()
    assert item.choice.value is None
    assert "no longer fits" in item.status.value
