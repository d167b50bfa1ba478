"""`workbook progress`, `workbook collect` and the student copy `workbook serve` serves, tested through
the sub-command functions the lead's CLI dispatches to (serve itself: tests/test_serve.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.cli import exercises as cli
from helpers.errors import WorkbookError
from helpers.exercises import progress

FIXTURE = Path(__file__).parent / "fixtures" / "exercise_app.ipynb"


def parse(*argv):
    top = argparse.ArgumentParser(prog="workbook")
    cli.register(top.add_subparsers(dest="command", required=True))
    return top.parse_args(argv)


def write_progress(path, entries):
    document = progress.empty()
    document["exercises"] = {
        exercise_id: {
            "kind": kind,
            "attempts": attempts,
            "completed": completed,
            "answer": None,
            "updated": "2024-01-01T00:00:00+00:00",
        }
        for exercise_id, kind, attempts, completed in entries
    }
    progress.write(document, path)


def test_progress_lists_exercises_without_answers(tmp_path, capsys):
    path = tmp_path / "workbook-progress.json"
    write_progress(path, [("04-w", "SingleChoice", 2, True), ("01-sort", "Categorise", 1, False)])
    arguments = parse("progress", str(path))
    assert arguments.func(arguments) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["exercise", "kind", "attempts", "completed"]
    assert out[2].split() == ["01-sort", "Categorise", "1", "no"]
    assert out[3].split() == ["04-w", "SingleChoice", "2", "yes"]
    assert out[4] == "1 of 2 exercises answered are completed."


def test_progress_default_file_and_errors(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("WORKBOOK_PROGRESS", raising=False)
    monkeypatch.chdir(tmp_path)
    arguments = parse("progress")
    with pytest.raises(WorkbookError, match="No progress file at .*workbook-progress.json"):
        arguments.func(arguments)
    (tmp_path / "workbook-progress.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(WorkbookError, match="is damaged"):
        arguments.func(arguments)


def test_collect_summarises_anonymously_and_suppresses_small_groups(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    for n in range(6):  # six students did 04-w; only three did 01-sort
        entries = [("04-w", "SingleChoice", n + 1, n % 2 == 0)]
        if n < 3:
            entries.append(("01-sort", "Categorise", 1, True))
        write_progress(folder / f"student-alice-{n}.json", entries)
    (folder / "notes.json").write_text('{"not": "progress"}', encoding="utf-8")
    out_file = tmp_path / "summary.csv"
    arguments = parse("collect", str(folder), "--min-group-size", "5", "--out", str(out_file))
    assert arguments.func(arguments) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(
        "6 progress files read; 1 file(s) skipped as not workbook progress files; exercises "
        "with fewer than 5 students suppressed."
    )
    summary = pd.read_csv(out_file, dtype=str)
    assert summary.columns.tolist() == cli.SUMMARY_COLUMNS
    assert summary.to_dict("records") == [
        {
            "exercise": "01-sort",
            "kind": "Categorise",
            "students": "suppressed (<5)",
            "completed": "suppressed (<5)",
            "completion_rate": "suppressed (<5)",
            "median_attempts": "suppressed (<5)",
        },
        {
            "exercise": "04-w",
            "kind": "SingleChoice",
            "students": "6",
            "completed": "3",
            "completion_rate": "0.5",
            "median_attempts": "3.5",
        },
    ]
    everything = printed + out_file.read_text()
    assert "alice" not in everything and "student-" not in everything and "notes" not in everything


def test_collect_errors(tmp_path):
    arguments = parse("collect", str(tmp_path / "missing"))
    with pytest.raises(WorkbookError, match="is not a folder"):
        arguments.func(arguments)
    arguments = parse("collect", str(tmp_path))
    with pytest.raises(WorkbookError, match="No workbook progress files found"):
        arguments.func(arguments)
    arguments = parse("collect", str(tmp_path), "--min-group-size", "0")
    with pytest.raises(WorkbookError, match="--min-group-size must be 1 or more"):
        arguments.func(arguments)


def test_serve_student_copy_is_the_student_edition_beside_the_source(tmp_path):
    source = tmp_path / "app.ipynb"
    source.write_bytes(FIXTURE.read_bytes())
    copy = cli.student_copy(source)
    try:
        assert copy.parent == source.parent and copy.name.startswith("_serving_app_")
        nb = nbformat.read(copy, as_version=4)
        assert nb.metadata["workbook"]["edition"] == "student"
        assert not any({"solution", "trainer"} & set(c.metadata.get("tags", [])) for c in nb.cells)
    finally:
        copy.unlink()
