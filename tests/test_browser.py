"""A real browser answers exercises in the Voilà app and in JupyterLab, and reads a built page offline.

`workbook serve` (a course sub-command) starts Voilà on a free loopback port with the fixture
notebook (tests/fixtures/exercise_lab.ipynb); Debian's Chromium, driven by Playwright, answers each
exercise wrongly, then rightly, by mouse and by keyboard, reads the feedback texts from the page, runs
axe over it, checks the saved progress, and saves screenshots to build/screenshots/. JupyterLab runs the
same fixture beside the file browser. Missing Chromium is a failure, not a skip: the tests are the proof
that the apps work in a browser.
"""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def serving(notebook: Path, tmp_path: Path):
    """``workbook serve NOTEBOOK`` on a free loopback port, as a student gets it (no edition set, a
    private progress file): yields the URL it prints (with its token) and the progress file; stopped after."""
    progress_file = tmp_path / "progress.json"
    environment = {**os.environ, "WORKBOOK_PROGRESS": str(progress_file)}
    environment.pop("WORKBOOK_EDITION", None)
    port = free_port()
    with (tmp_path / "voila.log").open("w") as log:
        server = subprocess.Popen(
            # one page view: one preheated kernel (the pool itself is test_serve.py's)
            [sys.executable, "-c", LAUNCHER, "serve", str(notebook), "--port", str(port), "--pool", "1"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_port(port, server, START_TIMEOUT)
            yield wait_for_ready(tmp_path / "voila.log", server, START_TIMEOUT), progress_file
        finally:
            stop_server(server)


# ---- lessons' exercises in Voilà and JupyterLab, the RACI grid, pages offline, accessibility ------
LAB_FIXTURE = ROOT / "tests" / "fixtures" / "exercise_lab.ipynb"
SHOTS = SCREENSHOT.parent
W_PROMPT = "Compute Kendall's W"


def launch(playwright):
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM} (run `make test`, which installs it).")
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    )


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for the module's tests (each test opens its own context: no cookie or storage shared)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


def serious_violations(page, context=None) -> list[str]:
    """axe-core (pinned by axe-playwright-python) over the page: serious and critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""

    def luminance(css):
        red, green, blue = (int(float(v)) / 255 for v in re.findall(r"[\d.]+", css)[:3])
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def numeric_exercise(page):
    return page.locator(".workbook-exercise", has_text=W_PROMPT)


def answer_w_wrong_then_right(page, shot_prefix: str) -> None:
    """Type a slip (2.33: m not squared), Check, read its own feedback; then the right W."""
    from playwright.sync_api import expect

    box = numeric_exercise(page)
    entry = box.get_by_label("Your answer:")
    entry.fill("2.33")
    entry.press("Tab")  # the keyboard alone: Tab to Check, Enter presses it
    box.get_by_role("button", name="Check").focus()
    page.keyboard.press("Enter")
    feedback = box.locator(".workbook-feedback")
    expect(feedback).to_contain_text("Not yet. W can never exceed 1: you divided by m, not m².")
    expect(feedback).to_contain_text("Hint: Rank sums are 4, 6, 8 and 12")
    page.screenshot(path=str(SHOTS / f"{shot_prefix}-wrong.png"), full_page=False)
    entry.fill("0.78")
    box.get_by_role("button", name="Check").click()
    expect(feedback).to_contain_text("Correct.")
    expect(feedback).to_contain_text("420 / 540 = 0.78")


@pytest.mark.browser
def test_student_app_in_voila_wrong_then_right_by_keyboard_and_accessible(chromium, tmp_path):
    """One `workbook serve` of the fixture, one page: a choice, an ordering by keyboard alone, a number and
    a Likert form answered; feedback read from the page, progress saved, no answer or trainer cell shown."""
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with serving(LAB_FIXTURE, tmp_path) as (url, progress_file):  # the URL carries serve's token
        with chromium.new_context(viewport={"width": 1400, "height": 900}) as context:
            page = None
            try:
                page = context.new_page()
                page.set_default_timeout(START_TIMEOUT * 1000)
                page.goto(url, timeout=START_TIMEOUT * 1000)
                wrong = page.get_by_role("radio", name=WRONG)
                wrong.wait_for(state="visible")
                rendered = time.monotonic() - started

                choice = page.locator(".workbook-exercise").filter(has=wrong)
                feedback = choice.locator(".workbook-feedback")
                wrong.check()
                choice.get_by_role("button", name="Check").click()
                expect(feedback).to_contain_text(
                    "Not yet. W is computed within one party; agreement between parties needs a "
                    "between-party measure such as tau."
                )
                expect(feedback).to_contain_text("Hint: W is a coefficient of concordance among raters.")
                choice.screenshot(path=str(SHOTS / "exercise-wrong.png"))
                page.get_by_role("radio", name=RIGHT).check()
                choice.get_by_role("button", name="Check").click()
                expect(feedback).to_contain_text("Correct.")
                expect(feedback).to_contain_text(
                    "W near 1 means the raters of one party order the items almost the same way."
                )

                # the Order exercise from the keyboard alone; each arrow button is named after its item
                order = page.locator(".workbook-exercise").filter(has_text="first three stages")
                expect(order).to_contain_text("2. Cohere")  # the deterministic starting shuffle
                order.get_by_role("button", name="Move “Explore” up").focus()
                page.keyboard.press("Enter")
                expect(order).to_contain_text("2. Explore")
                expect(order.get_by_role("button", name="Move “Cohere” down")).to_be_disabled()  # now last
                order.get_by_role("button", name="Check").focus()
                page.keyboard.press("Enter")
                expect(order.locator(".workbook-feedback")).to_contain_text("Correct.")
                page.screenshot(path=str(SCREENSHOT))

                answer_w_wrong_then_right(page, "voila-numeric")
                page.screenshot(path=str(SHOTS / "voila-numeric-right.png"), full_page=True)

                # the chosen Likert answer stands out: its background against the others' >= 3:1
                form = page.locator(".workbook-exercise", has_text="Your view")
                agree = form.locator(".workbook-likert").first.get_by_role("button", name="Agree", exact=True)
                agree.focus()
                page.keyboard.press("Enter")  # keyboard alone
                other = form.locator(".workbook-likert").first.get_by_role("button", name="Disagree", exact=True)
                chosen, plain = (b.evaluate("e => getComputedStyle(e).backgroundColor") for b in (agree, other))
                assert contrast(chosen, plain) >= 3, (chosen, plain)
                form.screenshot(path=str(SHOTS / "voila-likert-selected.png"))
                violations = serious_violations(page)
                assert violations == [], violations

                # student app: no reveal button, no code, no trainer-only cells
                assert page.get_by_role("button", name="Show answer (trainer)").count() == 0
                content = page.content()
                assert "SingleChoice(" not in content and "Trainer note" not in content
                assert "Solution:" not in content
            except Exception:
                if page is not None:
                    page.screenshot(path=str(SHOTS / "voila-failure.png"), full_page=True)
                raise
        print(f"\nbrowser test: page rendered after {rendered:.1f} s, total {time.monotonic() - started:.1f} s")
        saved = json.loads(progress_file.read_text())["exercises"]
        assert (saved["fixture-kendall-w"]["attempts"], saved["fixture-kendall-w"]["completed"]) == (2, True)
        assert saved["fixture-kendall-w"]["answer"] == RIGHT
        assert (saved["04-kendalls-w"]["attempts"], saved["04-kendalls-w"]["completed"]) == (2, True)
    assert list(LAB_FIXTURE.parent.glob("_serving_*.ipynb")) == [], "the serve command left its student copy behind"
    assert not (LAB_FIXTURE.parent / "workbook-progress.json").exists()


@pytest.mark.browser
def test_jupyterlab_wrong_then_right_and_raci_grid_at_1400px_with_file_browser(chromium, tmp_path):
    import secrets
    import shutil

    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(LAB_FIXTURE, root / "exercises.ipynb")
    for wide in WIDE_TABLE_NOTEBOOKS:  # opened with their stored outputs, for the tables' widths
        shutil.copy(ROOT / "notebooks" / wide, root / wide)
    port, token = free_port(), secrets.token_hex(16)
    environment = {
        **os.environ,
        "WORKBOOK_PROGRESS": str(tmp_path / "progress.json"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws"),
    }
    environment.pop("WORKBOOK_EDITION", None)
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--ServerApp.token={token}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
            "--allow-root",  # CI runs as root
            f"--LabApp.workspaces_dir={tmp_path / 'ws'}",
        ],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, server, START_TIMEOUT)
        with chromium.new_context(viewport={"width": 1400, "height": 900}) as context:
            page = context.new_page()
            page.set_default_timeout(START_TIMEOUT * 1000)
            try:
                page.goto(f"http://127.0.0.1:{port}/lab/tree/exercises.ipynb?token={token}")
                page.locator(".jp-Notebook").wait_for(state="visible")
                page.wait_for_function("window.jupyterapp && window.jupyterapp.shell")
                page.evaluate("() => { window.jupyterapp.commands.execute('filebrowser:activate'); }")
                page.locator(".jp-DirListing").wait_for(state="visible")  # the file browser is open
                page.wait_for_function(  # the notebook's kernel has started
                    "() => { const w = window.jupyterapp.shell.currentWidget;"
                    " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
                    " return k && k.status === 'idle'; }"
                )
                # not awaited: the command's promise settles only when every cell has run
                page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
                numeric_exercise(page).get_by_label("Your answer:").wait_for(state="visible")
                # the stored-output wording: in JupyterLab a student is told to run the cell
                answer_w_wrong_then_right(page, "jupyterlab-numeric")
                page.screenshot(path=str(SHOTS / "jupyterlab-numeric-right.png"))

                grid = page.locator(".workbook-exercise", has_text="RACI")
                grid.scroll_into_view_if_needed()
                names = grid.locator("div.workbook-raci-task")
                expect(names.first).to_be_visible()
                assert names.count() == 8
                for index in range(names.count()):
                    size = names.nth(index).evaluate(
                        "e => ({w: e.getBoundingClientRect().width, sw: e.scrollWidth, cw: e.clientWidth,"
                        " text: e.innerText})"
                    )
                    assert size["w"] >= 150, size  # the task column keeps its width with the file browser open
                    assert size["sw"] <= size["cw"] + 1, size  # and its names are not cut
                assert names.first.inner_text().strip() == "Agree the annual work programme"
                # each cell's accessible name says its task and its role (the task part visually hidden)
                first_row = grid.get_by_role("combobox", name="Agree the annual work programme: Cobalt project lead")
                assert first_row.evaluate("e => e.options[e.selectedIndex].text") == "R"  # starts from the chart
                live = grid.locator(".workbook-live")
                expect(live).to_contain_text("Accountable")  # the chart's faults listed at once
                grid.screenshot(path=str(SHOTS / "jupyterlab-raci-1400px.png"))
                page.screenshot(path=str(SHOTS / "jupyterlab-raci-page-1400px.png"))

                # the lessons whose tables were cut off: every column fits beside the open file browser
                for wide in WIDE_TABLE_NOTEBOOKS:
                    assert clipped_tables(page, wide) == [], wide
            except Exception:
                page.screenshot(path=str(SHOTS / "jupyterlab-failure.png"))
                raise
    finally:
        stop_server(server)
        log.close()


#: Lessons whose wide tables were clipped in JupyterLab at 1400 px with the file browser open.
WIDE_TABLE_NOTEBOOKS = ("01_landlord_and_utility.ipynb", "05_partnership_health_check.ipynb")


def stored_tables(name: str) -> int:
    """How many HTML tables ``name``'s stored outputs show in JupyterLab (a widget output shows its widget)."""
    cells = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    data = [output.get("data", {}) for cell in cells for output in cell.get("outputs", [])]
    return sum("".join(d.get("text/html", "")).count("<table") for d in data if WIDGET_VIEW not in d)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def clipped_tables(page, name: str) -> list[dict]:
    """Open ``name`` (its stored outputs) in JupyterLab; the tables wider than their output area."""
    expected = stored_tables(name)
    # The command's promise resolves to the notebook widget: not returned, as Playwright would serialise
    # that whole object graph back to Python (about 10 s a notebook).
    page.evaluate("name => { window.jupyterapp.commands.execute('docmanager:open', {path: name}); }", name)
    page.wait_for_function(  # the current tab with every stored table rendered; marked so that it can be found
        "([name, expected]) => { const w = window.jupyterapp.shell.currentWidget;"
        " if (!w || !w.context || w.context.path !== name) return false;"
        " if (w.node.querySelectorAll('.jp-OutputArea-output table').length < expected) return false;"
        " w.node.setAttribute('data-workbook-open', name); return true; }",
        arg=[name, expected],
    )
    sizes = page.evaluate(  # each table brought into view and measured where it is laid out
        "name => [...document.querySelectorAll(`[data-workbook-open='${name}'] .jp-OutputArea-output table`)]"
        ".map(t => { t.scrollIntoView(); return {table: t.scrollWidth,"
        " area: t.closest('.jp-OutputArea-output').clientWidth,"
        " head: t.tHead ? t.tHead.innerText.slice(0, 80) : ''}; })",
        name,
    )
    assert len(sizes) == expected >= 5, (name, sizes)
    assert all(size["area"] > 600 for size in sizes), (name, sizes)  # laid out beside the file browser
    return [size for size in sizes if size["table"] > size["area"] + 1]


@pytest.mark.browser
def test_built_page_renders_formulas_and_tables_offline_and_is_accessible(chromium, tmp_path):
    from helpers.course import to_html

    SHOTS.mkdir(parents=True, exist_ok=True)
    page_path = to_html(ROOT / "notebooks" / "04_things_that_matter.ipynb", tmp_path / "04.html")
    blocked = []
    with chromium.new_context(viewport={"width": 1200, "height": 900}) as context:

        def no_network(route):
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", no_network)
        page = context.new_page()
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        text = page.inner_text("body")
        assert "$$" not in text and "\\frac" not in text.replace("alttext", "")
        formulas = page.locator("math")
        assert formulas.count() >= 5
        box = formulas.first.bounding_box()
        assert box and box["width"] > 10 and box["height"] > 5  # rendered, not hidden
        assert page.locator("table").count() >= 5
        page.locator("math[display='block']").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "offline-04-formula.png"))
        violations = serious_violations(page)
        assert violations == [], violations
    assert blocked == [], f"the page asked the network for {blocked}"
