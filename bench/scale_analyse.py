"""How `workbook analyse` scales with the number of answers (DESIGN: 10^6 answers < 30 s, < 2 GB).

Generates synthetic tidy poll files of 10^4, 10^5 and 10^6 answers (10 Likert items per respondent,
so up to 100,000 respondents, with a party and a group column), then measures, each in a fresh
process: the wall time and peak memory (max RSS) of
``workbook analyse FILE --codebook CB --by party --json OUT``, and the floor of just reading the
file with ``pandas.read_csv``. Prints one row per size and the ratio to the floor.

    .venv/bin/python bench/scale_analyse.py            # all three sizes
    .venv/bin/python bench/scale_analyse.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

LABELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
ITEMS = 10


def make_poll(answers: int, folder: Path, seed: int = 2024) -> tuple[Path, Path]:
    """A tidy CSV with ``answers`` rows (answers / 10 respondents x 10 items) and its codebook."""
    rng = np.random.default_rng(seed)
    people = answers // ITEMS
    party = rng.choice(["Landlord", "Utility", "Council"], size=people)
    group = rng.choice(["Initiator", "Manager", "Front line"], size=people)
    latent = rng.normal(0, 1, size=people)
    codes = np.clip(np.round(2 + latent[:, None] + rng.normal(0, 0.8, size=(people, ITEMS))), 0, 4).astype(int)
    frame = pd.DataFrame(
        {
            "respondent": np.repeat([f"P{i:06d}" for i in range(people)], ITEMS),
            "question": np.tile([f"item{j + 1:02d}" for j in range(ITEMS)], people),
            "answer": np.asarray(LABELS, dtype=object)[codes.ravel()],
            "party": np.repeat(party, ITEMS),
            "group": np.repeat(group, ITEMS),
        }
    )
    data = folder / f"poll_{answers}.csv"
    frame.to_csv(data, index=False)
    codebook = folder / "codebook.csv"
    rows = [
        f"item{j + 1:02d},Item {j + 1},likert,{'|'.join(LABELS)},"
        f"{'true' if j == 9 else 'false'},{'trust' if j < 5 else 'goals'}"
        for j in range(ITEMS)
    ]
    codebook.write_text("question,text,kind,scale,reverse,construct\n" + "\n".join(rows) + "\n")
    return data, codebook


_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{wall} {peak} {done.returncode}")
if done.returncode:
    print(done.stderr[-2000:], file=sys.stderr)
"""


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak MiB) of ``command`` run in a fresh child process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    wall, peak, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"command failed: {' '.join(command)}\n{out.stderr}")
    return float(wall), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    arguments = parser.parse_args()
    workbook = str(Path(sys.executable).with_name("workbook"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="workbook-scale-") as tmp:
        folder = Path(tmp)
        for size in arguments.sizes:
            data, codebook = make_poll(size, folder)
            floor_wall, floor_peak = measure([sys.executable, "-c", f"import pandas; pandas.read_csv({str(data)!r})"])
            wall, peak = measure(
                [
                    workbook,
                    "analyse",
                    str(data),
                    "--codebook",
                    str(codebook),
                    "--by",
                    "party",
                    "--json",
                    str(folder / "out.json"),
                ]
            )
            result = json.loads((folder / "out.json").read_text())
            assert result["respondents"] == size // ITEMS
            rows.append(
                {
                    "answers": size,
                    "analyse_s": wall,
                    "analyse_peak_MiB": peak,
                    "read_csv_s": floor_wall,
                    "read_csv_peak_MiB": floor_peak,
                    "time_ratio": wall / floor_wall,
                    "s_per_10^5_answers": wall / size * 1e5,
                }
            )
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    top = table.iloc[-1]
    verdict = (
        "meets"
        if top["answers"] >= 1_000_000 and top["analyse_s"] < 30 and top["analyse_peak_MiB"] < 2048
        else "check against"
    )
    print(f"\nAim: 10^6 answers under 30 s and 2 GB — the largest run {verdict} it.")


if __name__ == "__main__":
    main()
