"""Measure what a notebook costs beyond its kernel-and-imports floor, and the parallel build's speed-up.

Usage (from the repository root, after `make setup`):
    .venv/bin/python bench/notebook_timing.py                 # notebook 04, 3 repeats, and the build
    .venv/bin/python bench/notebook_timing.py --notebooks 01 04 --repeats 5 --no-build

The floor is a notebook that only starts a kernel and imports what every lesson imports (pandas,
seaborn, statsmodels, pingouin, helpers). A notebook's own time is its median wall time minus the
floor's median. The build compares `workbook build --jobs 1` against `--jobs 2` on the whole course.
Figures go to stdout; nothing here is a test (the machines are shared and noisy).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

ROOT = Path(__file__).resolve().parents[1]
FLOOR_IMPORTS = (
    "import pandas, seaborn, statsmodels.api, pingouin, matplotlib.pyplot\n"
    "import helpers.notebook\nhelpers.notebook.setup()"
)


def timed_execution(path: Path, cwd: Path) -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        papermill.execute_notebook(
            str(path), str(Path(out) / path.name), kernel_name="python3", cwd=str(cwd), progress_bar=False
        )
        return time.perf_counter() - started


def floor_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_IMPORTS)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def median_time(path: Path, cwd: Path, repeats: int) -> float:
    return statistics.median(timed_execution(path, cwd) for _ in range(repeats))


def build_time(jobs: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "workbook"), "build", "--jobs", str(jobs), "--out", out],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", nargs="*", default=["04"], help="notebook numbers or names (default 04)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="skip the jobs 1 vs jobs 2 build comparison")
    arguments = parser.parse_args()

    from helpers.course import find_notebook

    notebooks_dir = ROOT / "notebooks"
    with tempfile.TemporaryDirectory() as scratch:
        floor = median_time(floor_notebook(Path(scratch)), notebooks_dir, arguments.repeats)
    print(f"floor (kernel start + imports): {floor:.2f} s (median of {arguments.repeats})")
    for name in arguments.notebooks:
        path = find_notebook(name)
        total = median_time(path, notebooks_dir, arguments.repeats)
        print(f"{path.stem}: {total:.2f} s in all, own work {total - floor:.2f} s beyond the floor")
    if not arguments.no_build:
        one, two = build_time(1), build_time(2)
        print(f"workbook build: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s, speed-up {one / two:.2f}x")


if __name__ == "__main__":
    main()
