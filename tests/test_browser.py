"""A real browser answers an exercise in the Voilà app.

`workbook serve` (a course sub-command) starts Voilà on a free loopback port with the fixture
notebook; Debian's Chromium, driven by Playwright, answers the exercise wrongly, then rightly, and
the test reads both feedback texts from the page, checks the saved progress, and saves a screenshot
to build/screenshots/exercise.png. Missing Chromium is a failure, not a skip: the test is the proof
that the app works in a browser.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "exercise_app.ipynb"
SCREENSHOT = ROOT / "build" / "screenshots" / "exercise.png"
CHROMIUM = Path("/usr/bin/chromium")
START_TIMEOUT = 120  # seconds: Voilà and its kernel start slowly on a loaded 2-core machine

# Runs the real `serve` sub-command through the same register()/func protocol as `workbook`.
LAUNCHER = (
    "import argparse, sys\n"
    "from helpers.cli import course\n"
    "parser = argparse.ArgumentParser(prog='workbook')\n"
    "course.register(parser.add_subparsers(dest='command', required=True))\n"
    "arguments = parser.parse_args(sys.argv[1:])\n"
    "sys.exit(arguments.func(arguments))\n"
)

WRONG = "The two parties agree with each other"
RIGHT = "The party's members rank the priorities much alike"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"workbook serve exited early with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"Voilà did not open port {port} within {timeout} s")


def wait_for_ready(log_path: Path, process: subprocess.Popen, timeout: float) -> str:
    """The URL (with its token) from serve's "Ready in N s: open URL" line."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"workbook serve exited early with code {process.returncode}")
        found = re.search(r"^Ready in [\d.]+ s: open (\S+)", log_path.read_text(), re.M)
        if found:
            return found[1]
        time.sleep(0.5)
    raise AssertionError(f"workbook serve was not ready within {timeout} s")


def stop_server(process: subprocess.Popen) -> None:
    """SIGTERM to the serve command (it stops Voilà and removes its student copy); if it hangs,
    kill the process group this test started."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.browser
def test_answer_exercise_in_voila_with_chromium(tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's chromium is not installed at {CHROMIUM}; the browser test needs it "
            "(sudo apt-get install chromium, or run `make test`, which installs it)."
        )
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    progress_file = tmp_path / "progress.json"
    environment = {**os.environ, "WORKBOOK_PROGRESS": str(progress_file)}
    environment.pop("WORKBOOK_EDITION", None)
    log = (tmp_path / "voila.log").open("w")
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, "serve", str(FIXTURE), "--port", str(port)],
        env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_for_port(port, server, START_TIMEOUT)
        url = wait_for_ready(tmp_path / "voila.log", server, START_TIMEOUT)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update"],
            )
            page = None
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 700})
                page.set_default_timeout(START_TIMEOUT * 1000)
                page.goto(url, timeout=START_TIMEOUT * 1000)
                wrong = page.get_by_role("radio", name=WRONG)
                wrong.wait_for(state="visible")
                rendered = time.monotonic() - started

                feedback = page.locator(".workbook-feedback")
                wrong.check()
                page.get_by_role("button", name="Check").click()
                expect(feedback).to_contain_text(
                    "Not yet. W is computed within one party; agreement between parties needs a "
                    "between-party measure such as tau.")
                expect(feedback).to_contain_text(
                    "Hint: W is a coefficient of concordance among raters.")
                SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOT.with_name("exercise-wrong.png")),
                                full_page=True)

                page.get_by_role("radio", name=RIGHT).check()
                page.get_by_role("button", name="Check").click()
                expect(feedback).to_contain_text("Correct.")
                expect(feedback).to_contain_text(
                    "W near 1 means the raters of one party order the items almost the same way.")

                # student app: no reveal button, no code, no trainer-only cells
                assert page.get_by_role("button", name="Show answer (trainer)").count() == 0
                content = page.content()
                assert "SingleChoice(" not in content and "Trainer note" not in content
                assert "Solution:" not in content

                page.screenshot(path=str(SCREENSHOT), full_page=True)
            except Exception:
                if page is None:
                    raise
                SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOT.with_name("exercise-failure.png")),
                                full_page=True)
                raise
            finally:
                browser.close()
        total = time.monotonic() - started
        print(f"\nbrowser test: page rendered after {rendered:.1f} s, total {total:.1f} s")
        entry = json.loads(progress_file.read_text())["exercises"]["fixture-kendall-w"]
        assert (entry["attempts"], entry["completed"], entry["answer"]) == (2, True, RIGHT)
    finally:
        stop_server(server)
        log.close()
    leftovers = list(FIXTURE.parent.glob("_serving_*.ipynb"))
    assert leftovers == [], "the serve command left its student copy behind"
    assert not (FIXTURE.parent / "workbook-progress.json").exists()
