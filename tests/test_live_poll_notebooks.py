"""The lesson notebooks run on a live poll's session with no export step (`-p data_path SESSION`).

A lesson session (as `workbook poll start NN` creates it) is filled through the session store with the
lesson's bundled answers — as a room would give them, participant by participant, the trainer
switching the wave in lesson 01 — and `workbook run NN -p data_path SESSION ...` executes the notebook.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from helpers.cli import main
from helpers.live.server import prepare
from helpers.polls import load
from helpers.polls.session import Change, SessionStore

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "datasets"


def replay(folder: Path, files: list[Path], prefix: str) -> int:
    """Answer the session as the people in ``files`` did (grouping questions first); returns answers."""
    store = SessionStore(folder)
    for block in store.blocks():
        store.set_block_state(block.id, "open")
    store.set_state("open")
    asked = {q.id for q in store.questions()}
    waves = [w for w in store.meta()["waves"].split("|") if w]
    count = 0
    for wave in waves or [""]:
        if wave:
            store.set_wave(wave)
        for path in files:
            people: dict[str, list[Change]] = {}
            for row in csv.DictReader(path.open(encoding="utf-8")):
                if row.get("wave", wave) != wave or row["question"] not in asked:
                    continue
                pid = f"{prefix}{path.stem}-{row['respondent']}"
                changes = people.setdefault(pid, [Change(pid, g, row[g]) for g in ("party", "group") if g in row])
                changes.append(Change(pid, row["question"], row["answer"]))
            assert all(store.save([changes]) == [True] for changes in people.values())
            count += sum(len(c) for c in people.values())
    store.close()
    return count


def run_notebook(number: str, out: Path, *parameters: str) -> int:
    """``workbook run NUMBER -p NAME VALUE ... --out OUT``, through the command's own entry point (in this
    process, so on the suite's warm kernels); its exit code. A failure's message is on stderr."""
    arguments = [x for name, value in zip(parameters[0::2], parameters[1::2], strict=True) for x in ("-p", name, value)]
    return main(["run", number, *arguments, "--out", str(out)])


@pytest.mark.papermill
def test_lesson_04_runs_on_a_live_session(tmp_path):
    folder, _ = prepare("04", sessions_dir=tmp_path / "sessions")
    lesson = DATA / "04_things_that_matter"
    replay(folder, [lesson / "workshop_rankings.csv", lesson / "webinar_poll.csv"], "p-")
    rankings = load(folder, codebook=lesson / "workshop_rankings_codebook.csv")
    original = load(lesson / "workshop_rankings.csv", codebook=lesson / "workshop_rankings_codebook.csv")
    assert len(rankings.responses) == len(original.responses)
    assert run_notebook("04", tmp_path / "out", "data_path", str(folder), "rankings_path", str(folder)) == 0
    executed = next((tmp_path / "out").rglob("04_*.ipynb")).read_text()
    assert "live poll session" in executed


@pytest.mark.papermill
def test_lesson_01_runs_on_a_live_session_with_two_waves(tmp_path):
    folder, _ = prepare("01", sessions_dir=tmp_path / "sessions")
    lesson = DATA / "01_landlord_and_utility"
    replay(folder, [lesson / "evaluation.csv"], "p-")
    data = load(folder, codebook=lesson / "evaluation_codebook.csv")
    assert sorted(set(data.responses["wave"])) == ["post", "pre"]
    assert run_notebook("01", tmp_path / "out", "data_path", str(folder), "waves", "pre, post") == 0


@pytest.mark.papermill
def test_lesson_05_runs_on_a_live_session(tmp_path):
    folder, _ = prepare("05", sessions_dir=tmp_path / "sessions")
    lesson = DATA / "05_partnership_health_check"
    answers = replay(folder, [lesson / "health_check.csv"], "p-")
    data = load(folder, codebook=lesson / "health_check_codebook.csv")
    assert len(data.responses) == answers - 2 * data.responses["respondent"].nunique()  # party and group are columns
    assert run_notebook("05", tmp_path / "out", "data_path", str(folder)) == 0
