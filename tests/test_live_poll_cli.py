"""`workbook poll status | close | export` against a real running server, and the one-line errors."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from live_poll_support import LAUNCH, Participant, PollServer

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "tests" / "fixtures" / "live_poll_codebook.csv"


def workbook(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "WORKBOOK_PSEUDONYM_KEY": "test-key"}
    return subprocess.run(
        [sys.executable, "-c", LAUNCH, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_status_close_and_export(tmp_path):
    sessions = tmp_path / "sessions"
    server = PollServer(CODEBOOK, sessions)
    try:
        assert "Join at   http://127.0.0.1:" in server.output() and "Projector http://127.0.0.1:" in server.output()
        assert (server.folder / "join-qr.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        server.open_all()
        phones = [Participant(server) for _ in range(2)]
        for n, phone in enumerate(phones):
            phone.page()
            assert phone.answer("about", [("party", "Client")]).status_code == 200
            assert phone.answer("wish", {"wish": f'=HYPERLINK("http://x") call +44 20 7946 0{n}58'}).status_code == 200
        status = workbook("poll", "status", "--dir", str(sessions), cwd=tmp_path)
        assert status.returncode == 0, status.stderr
        assert "poll open; 2 joined, 2 answered, 4 answers" in status.stdout
        closed = workbook("poll", "close", "--dir", str(sessions), cwd=tmp_path)
        assert closed.returncode == 0, closed.stderr
        assert "2 people gave 4 answers" in closed.stdout
        assert server.process.wait(timeout=30) == 0  # the server stopped by itself
        assert not (server.folder / "server.json").exists()
        for phone in phones:
            phone.close()
    finally:
        server.stop()
    out = tmp_path / "export"
    exported = workbook("poll", "export", str(server.folder), "--out", str(out), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    name = server.folder.name
    rows = list(csv.DictReader((out / f"{name}_responses.csv").open(encoding="utf-8")))
    assert len(rows) == 2 and {r["party"] for r in rows} == {"Client"}
    assert all(r["answer"] == '\'=HYPERLINK("http://x") call [phone removed]' for r in rows)  # neutralised, masked
    assert all(r["respondent"].startswith("r-") for r in rows)
    codebook = list(csv.DictReader((out / f"{name}_codebook.csv").open(encoding="utf-8")))
    assert [r["question"] for r in codebook][:2] == ["agree", "agree_rev"] and "party" not in {
        r["question"] for r in codebook
    }
    assert "2 rows read, 2 used" in (out / f"{name}_import_report.txt").read_text()


def test_errors_are_one_line(tmp_path):
    cases = [
        (("poll", "start", "09"), "lesson 09 has no live poll"),
        (("poll", "status", "--dir", str(tmp_path)), "no running poll found"),
        (("poll", "close", "--dir", str(tmp_path)), "no running poll found"),
        (("poll", "export", str(tmp_path), "--out", str(tmp_path / "o")), "not a live-poll session"),
        (("poll", "start", "04", "--port", "70000"), "--port must be from 0 to 65535"),
    ]
    for args, message in cases:
        result = workbook(*args, cwd=tmp_path)
        assert result.returncode == 1, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_sigterm_stops_cleanly_and_an_empty_session_exports(tmp_path):
    server = PollServer("05", tmp_path / "sessions")
    assert server.stop() == 0  # SIGTERM: a clean stop, not a kill
    assert "Poll stopped." in server.output() and not (server.folder / "server.json").exists()
    exported = workbook("poll", "export", str(server.folder), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert exported.returncode == 1 and "0 answers used" in exported.stdout, exported.stderr  # nothing to analyse yet
    assert "Traceback" not in exported.stderr
