"""Seeded generators of the bundled case datasets (all synthetic).

Each case module exposes ``DEFAULT_SEED`` and ``build(seed) -> {path: DataFrame}``, the paths being
relative to ``datasets/``. This package is the bottom layer: it imports numpy and pandas and nothing
from the rest of ``helpers`` (a test checks). What it shares with the layers above (the Likert label
sets, the health-check questionnaire) is package data in ``helpers/data/``, which both sides read as
files; the lessons' analyses of these datasets are in :mod:`helpers.lessons`.

Regenerating with the default seed must give the committed files byte for byte (a test checks), so
every table is written through :func:`write_tables`, which fixes the float format and line endings.

>>> from helpers.cases import regenerate
>>> written = regenerate("datasets")   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import importlib
import pkgutil
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas  # annotations only: `import helpers` stays light

#: Package data shared with the layers above (read as files, never imported).
DATA_DIR = Path(__file__).resolve().parents[1] / "data"

#: Floats in bundled CSVs: enough digits to reproduce every statistic, few enough to read.
FLOAT_FORMAT = "%.6g"


def write_tables(tables: Mapping[str, pandas.DataFrame], root: str | Path) -> list[Path]:
    """Write each table as CSV under ``root`` (UTF-8, ``\\n`` line ends, fixed float format)."""
    written = []
    for relative, frame in sorted(tables.items()):
        path = Path(root) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(path, index=False, lineterminator="\n", float_format=FLOAT_FORMAT, encoding="utf-8")
        written.append(path)
    return written


def likert_labels(scale: str = "agreement_5") -> tuple[str, ...]:
    """The labels of a Likert scale from ``helpers/data/likert_scales.csv``, most negative first (the
    file :mod:`helpers.polls.scales` reads too)."""
    with open(DATA_DIR / "likert_scales.csv", newline="", encoding="utf-8") as file:
        scales = {row["scale"]: tuple(row["labels"].split("|")) for row in csv.DictReader(file)}
    return scales[scale]


def likert_codebook_rows(items: Mapping[str, tuple[str, bool, str]], labels) -> list[dict[str, str]]:
    """Codebook rows (the poll data model's columns) for Likert items ``{question: (text, reverse,
    construct)}`` answered on ``labels``, in the items' order."""
    scale = "|".join(labels)
    return [
        {
            "question": key,
            "text": text,
            "kind": "likert",
            "scale": scale,
            "reverse": "true" if reverse else "false",
            "construct": construct,
        }
        for key, (text, reverse, construct) in items.items()
    ]


def case_modules() -> list[ModuleType]:
    """Every generator module in this package (those defining ``build``), sorted by name."""
    modules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if callable(getattr(module, "build", None)):
            modules.append(module)
    return modules


def regenerate(root: str | Path) -> list[Path]:
    """Rebuild every bundled dataset with its default seed into ``root``."""
    written = []
    for module in case_modules():
        written += write_tables(module.build(module.DEFAULT_SEED), root)
    return written
