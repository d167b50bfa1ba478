"""Every "fast in the room" figure next to its floor, as a ratio, in one run (issue 16's table).

Usage (from the repository root, after `make setup`):
    .venv/bin/python bench/room.py                      # everything but the test suite
    .venv/bin/python bench/room.py --pytest             # also time `make test`'s pytest run (minutes)
    .venv/bin/python bench/room.py --only list serve    # some rows only
    .venv/bin/python bench/room.py --repeats 3          # medians of 3 (default 1: the machine is shared)

Rows (figure / floor = ratio; a ratio near 1 means "at the floor"):

* serve: `workbook serve 04` -- seconds until it says it is ready, then the page fetched (first
  visit, reload, a second visitor) against Voila's "about a second" with preheated kernels. A page
  counts as served when its whole body has arrived (Voila streams cells as they execute).
* run-all: notebook 05 (and 03) executed start to finish by papermill against the kernel-and-imports
  floor: what a student waits for after Run All.
* own: each notebook's time beyond that floor, against the aim of 3 s.
* floor: the kernel-and-imports floor (pandas, seaborn, statsmodels, pingouin, helpers imported as
  the lessons did) against an empty notebook through papermill; and the imports every lesson still
  pays up front now (pandas, matplotlib, helpers.notebook), the rest being imported where used.
* build: `workbook build --jobs 2` against `--jobs 1`: speed-up against the 2 cores' 2x.
* list: `workbook list` wall time (a fresh process) against reading 7 notebooks' JSON (0.1 s).
* pytest: `make test`'s pytest command line against the aim of 180 s (only with --pytest).

The load average is printed first and last: the figures are only comparable at similar loads.
Nothing here is a test; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKBOOK = [sys.executable, "-c", "import sys; from helpers.cli import main; sys.exit(main())"]
# What every lesson notebook imported before issue 16 (the "kernel-and-imports floor"); the
# own-time rows are measured against it, as the were.
FLOOR_IMPORTS = (
    "import pandas, seaborn, statsmodels.api, pingouin, matplotlib.pyplot\n"
    "import helpers.notebook\nhelpers.notebook.setup()"
)
# What every lesson notebook pays now before its own first cell: the heavy libraries (scipy.stats,
# statsmodels, pingouin, pandera) are imported by the helpers that use them, when they are used.
COMMON_IMPORTS = "import pandas, matplotlib.pyplot\nimport helpers.notebook\nhelpers.notebook.setup()"
ROWS = ("list", "floor", "own", "build", "serve", "pytest")
rows_printed: list[str] = []


def report(what: str, figure: float, floor: float, unit: str = "s", note: str = "") -> None:
    line = f"{what:<46} {figure:8.2f} {unit:<2} floor {floor:6.2f} {unit:<2} ratio {figure / floor:5.2f}"
    line += f"  {note}" if note else ""
    rows_printed.append(line)
    print(line, flush=True)


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    env.setdefault("WORKBOOK_PSEUDONYM_KEY", "bench-key")
    return env


# ---- notebooks ----------------------------------------------------------------------------------
def execute_seconds(path: Path, cwd: Path) -> float:
    """Wall time of one papermill execution, as `workbook run` does it (without the HTML)."""
    from helpers.course import execute

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        execute(path, Path(out) / path.name)
        return time.perf_counter() - started


def one_cell_notebook(folder: Path, name: str, source: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def median(samples) -> float:
    return statistics.median(list(samples))


def notebook_rows(repeats: int, notebooks: list[str]) -> None:
    os.environ.update(environment())
    notebooks_dir = ROOT / "notebooks"
    with tempfile.TemporaryDirectory() as scratch:
        empty = median(
            execute_seconds(one_cell_notebook(Path(scratch), "empty", "pass"), notebooks_dir) for _ in range(repeats)
        )
        floor = median(
            execute_seconds(one_cell_notebook(Path(scratch), "floor", FLOOR_IMPORTS), notebooks_dir)
            for _ in range(repeats)
        )
        common = median(
            execute_seconds(one_cell_notebook(Path(scratch), "common", COMMON_IMPORTS), notebooks_dir)
            for _ in range(repeats)
        )
    report("floor: kernel + issue's lesson imports vs empty", floor, empty)
    report("floor: kernel + imports every lesson pays now", common, empty)
    for path in sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb")):
        if notebooks and path.stem[:2] not in notebooks:
            continue
        total = median(execute_seconds(path, notebooks_dir) for _ in range(repeats))
        if path.stem[:2] in ("03", "05"):
            report(f"run all {path.stem[:24]} vs floor", total, floor)
        report(f"own time {path.stem[:24]} vs aim", total - floor, 3.0, note=f"(total {total:.1f} s)")


# ---- build --------------------------------------------------------------------------------------
def build_seconds(jobs: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        done = subprocess.run(
            [*WORKBOOK, "build", "--jobs", str(jobs), "--out", out],
            capture_output=True,
            text=True,
            env=environment(),
            cwd=ROOT,
        )
        if done.returncode:
            raise SystemExit(f"workbook build --jobs {jobs} failed: {done.stderr.strip()[-2000:]}")
        return time.perf_counter() - started


def build_rows(repeats: int) -> None:
    one = median(build_seconds(1) for _ in range(repeats))
    two = median(build_seconds(2) for _ in range(repeats))
    # the floor of a speed-up is the core count: ratio = 2 / speed-up (1.0 = perfect scaling)
    report(
        "build --jobs 2 speed-up vs 2 cores (x)",
        one / two,
        2.0,
        unit="x",
        note=f"(--jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s)",
    )


# ---- list ---------------------------------------------------------------------------------------
def list_rows(repeats: int) -> None:
    def once() -> tuple[float, str]:
        started = time.perf_counter()
        done = subprocess.run([*WORKBOOK, "list"], capture_output=True, text=True, env=environment(), cwd=ROOT)
        return time.perf_counter() - started, done.stderr

    runs = [once() for _ in range(repeats)]
    warnings = runs[0][1].count("Unable to parse") + runs[0][1].lower().count("warning")
    report("workbook list", median(r[0] for r in runs), 0.1, note=f"({warnings} warning line(s) on stderr)")


# ---- serve --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch_seconds(url: str, timeout: float = 180) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as response:
        body = response.read()
    return time.perf_counter() - started, len(body)


def serve_rows(notebook: str = "04") -> None:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [*WORKBOOK, "serve", notebook, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment(),
        cwd=ROOT,
        start_new_session=True,
    )
    url, ready, log = None, None, []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            log.append(line)
            found = re.search(r"https?://127\.0\.0\.1:\d+/\S*", line)
            if found and url is None:
                url = found.group(0).rstrip(".,)")
            if line.lower().startswith("ready"):
                ready = time.perf_counter() - started
                break
            if url and "press ctrl+c" in line.lower():
                break  # the serve before issue 16: one "Serving ... at URL" line, no "Ready"
        if url is None:
            print("serve: no URL printed:\n" + "".join(log[-20:]))
            return
        for _ in range(480):  # the old serve printed its URL before Voila listened
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.25)
        listening = time.perf_counter() - started
        first, size = fetch_seconds(url)
        reload, _ = fetch_seconds(url)
        second, _ = fetch_seconds(url)
        report(
            "serve 04: says ready / listens after start",
            ready or listening,
            1.0,
            note="(said ready)" if ready else "(no ready message: time to listen)",
        )
        report("serve 04: first page served", first, 1.0, note=f"({size} bytes)")
        report("serve 04: reload", reload, 1.0)
        report("serve 04: a second visitor", second, 1.0)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


# ---- pytest -------------------------------------------------------------------------------------
def pytest_rows() -> None:
    make = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", make, re.M).group(1).replace("\\\n", " ")
    # each recipe line: `env -u PYTHONDONTWRITEBYTECODE $(BIN)/python ARGS` (compileall, then pytest)
    commands = [line.split("$(BIN)/python", 1)[1].split() for line in recipe.splitlines() if "$(BIN)/python" in line]
    env = environment()
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as make test runs it
    for arguments in commands[:-1]:
        subprocess.run([sys.executable, *arguments], cwd=ROOT, env=env, check=True)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *commands[-1], "-p", "no:cacheprovider", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - started
    log = ROOT / "build" / "bench-pytest.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(done.stdout + done.stderr, encoding="utf-8")  # which tests failed, if any
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    report("pytest run (make test's command)", took, 180.0, note=f"({summary}; output in {log})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="medians of this many runs (default 1)")
    parser.add_argument("--only", nargs="*", choices=ROWS, help="only these rows")
    parser.add_argument("--notebooks", nargs="*", default=[], help="notebook numbers for the own-time rows")
    parser.add_argument("--pytest", action="store_true", help="also time the test suite (several minutes)")
    arguments = parser.parse_args()
    chosen = set(arguments.only or [r for r in ROWS if r != "pytest" or arguments.pytest])
    print(f"bench/room.py on {os.cpu_count()} cores, {load()}", flush=True)
    if "list" in chosen:
        list_rows(max(arguments.repeats, 3))
    if "serve" in chosen:
        serve_rows()
    if "floor" in chosen or "own" in chosen:
        notebook_rows(arguments.repeats, arguments.notebooks)
    if "build" in chosen:
        build_rows(arguments.repeats)
    if "pytest" in chosen:
        pytest_rows()
    print(f"done, {load()}")


if __name__ == "__main__":
    main()
