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
    [
        ('{"exercises": {', r"is damaged \(not valid JSON"),
        ('{"name": "my notes"}', "is not a workbook progress file"),
        ("[1, 2]", "is not a workbook progress file"),
        (
            '{"format": "collaborative-working-workbook/progress", "version": 99, "exercises": {}}',
            "has format version 99",
        ),
        (
            '{"format": "collaborative-working-workbook/progress", "version": 1, "exercises": []}',
            'no readable "exercises" table',
        ),
    ],
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
    progress.save_entry("01-q", kind="SingleChoice", answer="an option since removed", attempted=True, completed=False)
    item = exercise()
    assert item.choice.value is None
    assert "no longer fits" in item.status.value


# ---- saves never lost; links, permissions and foreign files respected ----------------------------
def _writer(path: str, name: str, count: int) -> None:
    from helpers.exercises import progress as store

    for number in range(count):
        store.save_entry("shared", kind="Numeric", answer=number, attempted=True, completed=False, path=path)
        store.save_entry(f"{name}-{number}", kind="Numeric", answer=number, attempted=True, completed=False, path=path)


def test_two_processes_saving_at_once_lose_no_save(tmp_path):
    import multiprocessing

    path = str(tmp_path / "workbook-progress.json")
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(path, name, 200)) for name in ("lab", "voila")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=300)
        assert writer.exitcode == 0
    exercises = progress.read(path)["exercises"]
    assert exercises["shared"]["attempts"] == 400  # every one of the 2 x 200 saves counted
    assert len(exercises) == 1 + 400


def test_symlinked_progress_file_stays_a_link(tmp_path, monkeypatch):
    real = tmp_path / "kept" / "real.json"
    real.parent.mkdir()
    progress.write(progress.empty(), real)
    link = tmp_path / "workbook-progress.json"
    link.symlink_to(real)
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(link))
    progress.save_entry("x", kind="K", answer=1, attempted=True, completed=False)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert progress.read(real)["exercises"]["x"]["attempts"] == 1


def test_file_mode_kept_and_read_only_file_refused(tmp_path, monkeypatch):
    path = tmp_path / "workbook-progress.json"
    progress.write(progress.empty(), path)
    os.chmod(path, 0o644)
    progress.save_entry("x", kind="K", answer=1, attempted=True, completed=False, path=path)
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    os.chmod(path, 0o444)
    before = path.read_bytes()
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(path))
    item = exercise()
    item.choice.value = "b"
    item.check_button.click()
    assert "read-only" in item.status.value and path.read_bytes() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '{"format": "collaborative-working-workbook/progress", "version": 1, "exercises": {}}'.encode("utf-16"),
            "UTF-16",
        ),
        (bytes(range(256)), "binary data"),
        (
            b'{"format": "collaborative-working-workbook/progress", "version": 1, '
            b'"exercises": {"01-q": {"kind": "SingleChoice", "attempts": "two", "answer": "b"}}}',
            "not a whole number",
        ),
    ],
)
def test_damaged_or_foreign_file_gets_the_plain_message_and_is_untouched(tmp_path, monkeypatch, content, message):
    path = tmp_path / "workbook-progress.json"
    path.write_bytes(content)
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(path))
    item = exercise()  # builds without an error; says what is wrong
    assert "were not loaded" in item.status.value and message in item.status.value
    item.choice.value = "b"
    item.check_button.click()
    assert "was not saved" in item.status.value and message in item.status.value
    assert path.read_bytes() == content
