"""Pseudonyms you can trust (issue 11): rows without an id cannot be linked across files; the key is
created once and atomically; an empty or unreadable key is an error, never used."""

import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from conftest import ROOT, write
from helpers.errors import WorkbookError
from helpers.polls.importers import import_export
from helpers.polls.privacy import project_key, pseudonymise

FORM = "Timestamp,How was it?,What next?\n"


def test_rows_without_an_id_are_unique_to_their_file(tmp_path):
    # two anonymous Google Forms waves: row 1 of one is not row 1 of the other
    one = write(tmp_path / "wave1.csv", FORM + "1/5/2021 10:00:00,Good,More\n1/5/2021 10:01:00,Poor,Less\n")
    two = write(tmp_path / "wave2.csv", FORM + "2/5/2021 10:00:00,Good,Same\n2/5/2021 10:01:00,Good,Less\n")
    first, second = import_export(one), import_export(two)
    assert set(first.responses["respondent"]).isdisjoint(set(second.responses["respondent"]))
    assert any("cannot be linked" in note for note in first.report.notes)
    again = import_export(one)  # the same file again: the same pseudonyms (reproducible notebooks)
    assert list(again.responses["respondent"]) == list(first.responses["respondent"])


def test_positional_ids_are_salted_but_real_ids_are_not():
    ids = pd.Series(["response on line 2", "anonymous-3", "response 4", "p-17"])
    a, b = pseudonymise(ids, b"k" * 32, nonce="file-a"), pseudonymise(ids, b"k" * 32, nonce="file-b")
    assert list(a[:3]) != list(b[:3]) and all(x != y for x, y in zip(a[:3], b[:3], strict=True))
    assert a[3] == b[3]  # a real id links waves, whatever the file


def _key_env(folder):
    env = {k: v for k, v in os.environ.items() if k != "WORKBOOK_PSEUDONYM_KEY"}
    env.update(XDG_CONFIG_HOME=str(folder), PYTHONPATH=str(ROOT / "src"))
    return env


RACER = """
import os, sys, time
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.001)
from helpers.polls.privacy import project_key
print(project_key().decode())
"""


@pytest.mark.parametrize("round_", range(6))
def test_two_first_runs_at_once_agree_on_one_key(tmp_path, round_):
    go = tmp_path / "go"
    env = _key_env(tmp_path / "config")
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(go)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    try:
        time.sleep(0.3)  # let every racer reach the starting line (imports done before the race)
        go.write_text("")
        results = [p.communicate(timeout=120) for p in racers]
    finally:
        for p in racers:
            if p.poll() is None:
                p.kill()
    keys = {out.strip() for out, _ in results}
    assert all(p.returncode == 0 for p in racers), [err for _, err in results]
    stored = (tmp_path / "config" / "workbook" / "pseudonym.key").read_text().strip()
    assert keys == {stored} and len(stored) == 64
    leftovers = [p.name for p in (tmp_path / "config" / "workbook").iterdir() if p.name != "pseudonym.key"]
    assert leftovers == []
    assert oct((tmp_path / "config" / "workbook" / "pseudonym.key").stat().st_mode & 0o777) == "0o600"


def test_an_empty_or_unreadable_key_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBOOK_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    key = tmp_path / "workbook" / "pseudonym.key"
    key.parent.mkdir()
    key.write_text("")
    with pytest.raises(WorkbookError, match="empty or too short"):
        project_key()
    key.write_bytes(b"\xff\xfe not text")
    with pytest.raises(WorkbookError, match="cannot be read"):
        project_key()
    key.unlink()
    key.mkdir()  # a folder where the key should be
    with pytest.raises(WorkbookError, match="cannot be read"):
        project_key()
    monkeypatch.setenv("WORKBOOK_PSEUDONYM_KEY", "  ")
    with pytest.raises(WorkbookError, match="set but empty"):
        project_key()
    with pytest.raises(WorkbookError, match="empty"):
        pseudonymise(pd.Series(["a"]), b"")


def test_a_new_key_is_made_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBOOK_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    first = project_key()
    assert project_key() == first and len(first) == 64
