"""Where a notebook's own time goes: every cell of every course notebook, timed, as a Markdown table.

Usage (from the repository root, after `make setup`):
    .venv/bin/python bench/cell_profile.py                   # all notebooks -> bench/cell_profile.md
    .venv/bin/python bench/cell_profile.py 04 05 --top 5     # some notebooks, 5 slowest cells each

Each notebook is executed once by papermill (as `workbook run` does); papermill records each cell's
wall time in the cell's metadata. The table lists, per notebook, its total, the kernel start (the
time before the first cell starts), and the slowest cells with the first line of their source, so
the waste (an import paid late, a bootstrap too big, a figure drawn twice) shows at a glance.
The load average is written with the table: on a shared machine the figures are only comparable
at similar loads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def profile(path: Path) -> tuple[float, float, list[tuple[int, float, str]]]:
    """Total wall time, the time before the first cell, and (cell number, seconds, first line) per code cell."""
    import nbformat

    from helpers.course import execute

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        executed = execute(path, Path(out) / path.name)
        total = time.perf_counter() - started
        nb = nbformat.read(executed, as_version=4)
    cells, first_start = [], None
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        meta = cell.metadata.get("papermill", {})
        if first_start is None and meta.get("start_time"):
            first_start = dt.datetime.fromisoformat(meta["start_time"].replace("Z", "+00:00"))
        line = next((s.strip() for s in cell.source.splitlines() if s.strip() and not s.startswith("#")), "")
        cells.append((number, float(meta.get("duration") or 0.0), line[:70]))
    started_at = nb.metadata.get("papermill", {}).get("start_time")
    before_first = 0.0
    if started_at and first_start:
        before_first = (first_start - dt.datetime.fromisoformat(started_at.replace("Z", "+00:00"))).total_seconds()
    return total, before_first, cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook numbers (default: all)")
    parser.add_argument("--top", type=int, default=0, help="only the N slowest cells of each notebook (default all)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "cell_profile.md"), help="Markdown file to write")
    arguments = parser.parse_args()
    os.environ.setdefault("WORKBOOK_PSEUDONYM_KEY", "bench-key")
    sys.path.insert(0, str(ROOT / "src"))
    from helpers.course import notebook_paths

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"# Cell profile ({dt.date.today()}, {os.cpu_count()} cores, load average {load} at the start)",
        "",
        "Seconds per code cell, from papermill's cell metadata (`bench/cell_profile.py`). "
        "'start' is kernel start-up before the first cell.",
        "",
    ]
    for path in notebook_paths():
        if arguments.notebooks and path.stem[:2] not in arguments.notebooks:
            continue
        total, before_first, cells = profile(path)
        shown = sorted(cells, key=lambda c: -c[1])[: arguments.top] if arguments.top else cells
        lines += [
            f"## {path.stem}: {total:.1f} s in all, start {before_first:.1f} s, cells {sum(c[1] for c in cells):.1f} s",
            "",
            "| cell | s | first line |",
            "|---:|---:|---|",
        ]
        lines += [f"| {n} | {s:.2f} | `{text.replace('|', '/')}` |" for n, s, text in shown]
        lines.append("")
        print(f"{path.stem}: {total:.1f} s", flush=True)
    Path(arguments.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"written: {arguments.out}")


if __name__ == "__main__":
    main()
