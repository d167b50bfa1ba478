"""Measure the privacy stage: masking on long and adversarial text, and the suppression decision.

Usage (from the repository root, after `make setup`):
    .venv/bin/python bench/privacy_stage.py            # n = 200,000 characters, 1,000 respondents
    .venv/bin/python bench/privacy_stage.py --chars 1000000 --people 5000

Masking must grow linearly with the text: each adversarial string is timed at n and at 2n and the
ratio printed (about 2 for linear time; a backtracking pattern shows 4 or far more). The suppression
decision is timed for one grouping and for two groupings checked together (the exact linear-algebra
check across tables). Figures go to stdout; nothing here is a test.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from helpers.polls.pii import content_reason, mask_text
from helpers.polls.suppress import suppression

ADVERSARIAL = {
    "letters, no @": lambda n: "a" * n,
    "dotted local part, no domain": lambda n: "a." * (n // 2) + "@",
    "digits and spaces": lambda n: "1 " * (n // 2) + "x",
    "many @": lambda n: "a@" * (n // 2),
    "dates": lambda n: "2024-01-01 " * (n // 11),
    "ordinary prose with contacts": lambda n: ("Call 030 1234567 or mail jo@example.org about 2019-2021. " * n)[:n],
}


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=1_000)
    arguments = parser.parse_args()
    n = arguments.chars
    print(f"mask_text, {n:,} and {2 * n:,} characters")
    for name, make in ADVERSARIAL.items():
        small, large = timed(mask_text, make(n)), timed(mask_text, make(2 * n))
        print(f"  {name:32s} {small * 1000:8.1f} ms  {large * 1000:8.1f} ms  ratio {large / max(small, 1e-9):4.1f}")
    column = [f"person{i}@example.org" for i in range(arguments.people)]
    print(f"content_reason on {arguments.people:,} e-mails: {timed(content_reason, column) * 1000:.1f} ms")
    rng = np.random.default_rng(0)
    people = pd.DataFrame(
        {
            "site": rng.choice(list("ABCDE"), arguments.people, p=[0.4, 0.3, 0.2, 0.07, 0.03]),
            "dept": rng.choice(list("vwxyz"), arguments.people, p=[0.5, 0.3, 0.15, 0.04, 0.01]),
        }
    )
    print(f"suppression by site alone: {timed(suppression, people, 'site') * 1000:.1f} ms")
    both = timed(lambda: suppression(people, "site", shown_with=["dept"]))
    print(f"suppression by site checked with dept ({arguments.people:,} people): {both * 1000:.1f} ms")


if __name__ == "__main__":
    main()
