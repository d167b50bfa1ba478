"""How importing a wide export scales with its number of columns (issue 12: cost linear in the input).

Writes Google-Forms-like CSVs of 20 respondents and N rating questions (N = 1,000, 2,000, 4,000 by
default), then times ``workbook check FILE`` on each in a fresh process and prints the wall time, the
peak memory and the time per column: linear work keeps the time per column flat. Files over the
column limit (16,384, ``WORKBOOK_MAX_COLUMNS``) are refused before any of this work.

    .venv/bin/python bench/import_width.py
    .venv/bin/python bench/import_width.py --columns 1000 8000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def make_export(columns: int, folder: Path, rows: int = 20) -> Path:
    header = "Timestamp," + ",".join(f"Question {i}" for i in range(columns))
    lines = [header] + [
        f"3/14/2023 10:{r:02d}:00," + ",".join(str((i + r) % 5 + 1) for i in range(columns)) for r in range(rows)
    ]
    path = folder / f"wide_{columns}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, nargs="+", default=[1000, 2000, 4000])
    arguments = parser.parse_args()
    workbook = str(Path(sys.executable).parent / "workbook")
    env = {**os.environ, "WORKBOOK_PSEUDONYM_KEY": os.environ.get("WORKBOOK_PSEUDONYM_KEY", "bench-key")}
    print(f"{'columns':>8} {'seconds':>8} {'ms/column':>10} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for columns in arguments.columns:
            path = make_export(columns, Path(folder))
            out = subprocess.run(
                [sys.executable, "-c", _MEASURE, workbook, "check", str(path)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            ).stdout.split()
            seconds, peak_kb = float(out[0]), int(out[1])
            print(f"{columns:>8} {seconds:>8.1f} {1000 * seconds / columns:>10.2f} {peak_kb / 1024:>8.0f}")


if __name__ == "__main__":
    main()
