"""Answer label sets of Likert scales: one source for the whole workbook.

The sets are package data (``helpers/data/likert_scales.csv``: ``scale, labels`` with the labels
joined by ``|``, most negative first), read here for every layer above the seeded generators, and
read as a file by the generators themselves (:mod:`helpers.cases` imports nothing from the rest of
the package), so a label is spelled in exactly one place.

>>> AGREEMENT_5
('Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree')
"""

from __future__ import annotations

import csv
from pathlib import Path

#: The file both this module and the generators read.
SCALES_FILE = Path(__file__).resolve().parents[1] / "data" / "likert_scales.csv"


def _read() -> dict[str, tuple[str, ...]]:
    with open(SCALES_FILE, newline="", encoding="utf-8") as file:
        return {row["scale"]: tuple(row["labels"].split("|")) for row in csv.DictReader(file)}


#: scale name -> its labels, most negative first.
SCALES: dict[str, tuple[str, ...]] = _read()
#: The five-point agreement scale every bundled Likert item uses.
AGREEMENT_5: tuple[str, ...] = SCALES["agreement_5"]
