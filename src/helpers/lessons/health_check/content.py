"""The health check's content: its dimensions and items, read from package data at run time.

The questionnaire lives in two CSV files, not in Python: ``helpers/data/health_check_instrument.csv``
(the 28 items as a codebook in the workbook's data model: ``question, text, kind, scale, reverse,
construct``; the seeded generator :mod:`helpers.cases.health_check` reads the same file, and the
bundled dataset's codebook is a copy of it) and ``helpers/lessons/data/health_check_dimensions.csv``
(each dimension's short label, what a high score means, the frameworks that inspired it, and the
action text for a gap; the row ``*`` is the action for a dimension of another codebook).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ...cases.health_check import INSTRUMENT_FILE, instrument_rows

DIMENSIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "health_check_dimensions.csv"
#: The dimensions file's row for a dimension it does not describe (another codebook's).
GENERIC = "*"


@dataclass(frozen=True)
class Dimension:
    """One dimension of the health check.

    name : the construct name used in the codebook (and shown in tables).
    short : a short label for plot axes.
    description : what a high score means, in one sentence.
    inspired_by : the published frameworks that name this dimension (their items are not used).
    action : what to do when the partners' scores differ; ``{lower}`` and ``{higher}`` are filled
        with the partner names.
    """

    name: str
    short: str
    description: str
    inspired_by: str
    action: str


@dataclass(frozen=True)
class Item:
    """One statement of the instrument; ``reverse`` items agree with a *problem*."""

    id: str
    dimension: str
    text: str
    reverse: bool = False


def _dimension_rows() -> list[dict[str, str]]:
    with open(DIMENSIONS_FILE, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


DIMENSIONS: tuple[Dimension, ...] = tuple(
    Dimension(row["dimension"], row["short"], row["description"], row["inspired_by"], row["action"])
    for row in _dimension_rows()
    if row["dimension"] != GENERIC
)
ITEMS: tuple[Item, ...] = tuple(
    Item(row["question"], row["construct"], row["text"], row["reverse"] == "true") for row in instrument_rows()
)
#: The answer scale of every item (1 = Strongly disagree ... 5 = Strongly agree), from the instrument file.
LIKERT_5: tuple[str, ...] = tuple(instrument_rows()[0]["scale"].split("|"))

_BY_NAME = {d.name: d for d in DIMENSIONS}
_GENERIC_ACTION = next(row["action"] for row in _dimension_rows() if row["dimension"] == GENERIC)


def action_template(dimension: str) -> str:
    """The action text for a gap on ``dimension`` (``{lower}``/``{higher}`` to fill with partner names)."""
    known = _BY_NAME.get(dimension)
    return known.action if known else _GENERIC_ACTION


def codebook_table():
    """The instrument as a codebook in the workbook's data model (one row per item), as stored.

    Columns ``question, text, kind, scale, reverse, construct``: kind ``likert``, scale the five
    labels of :data:`LIKERT_5` joined by ``|``, construct the dimension's name.
    """
    import pandas as pd

    return pd.read_csv(INSTRUMENT_FILE, dtype=str, keep_default_na=False)


def dimensions_table():
    """The seven dimensions: name, number of items (reverse-keyed), what a high score means, sources."""
    import pandas as pd

    rows = []
    for d in DIMENSIONS:
        items = [i for i in ITEMS if i.dimension == d.name]
        rows.append(
            {
                "dimension": d.name,
                "items": len(items),
                "reverse-keyed": sum(i.reverse for i in items),
                "a high score means": d.description,
                "inspired by": d.inspired_by,
            }
        )
    return pd.DataFrame(rows)


def questions(codebook) -> list[str]:
    """The ids of every item that belongs to a dimension, dimension by dimension (for a form)."""
    return [q for ids in codebook.constructs().values() for q in ids if codebook[q].kind in ("likert", "rating")]


def short_labels() -> dict[str, str]:
    """Short plot labels of the bundled dimensions (another codebook's dimensions keep their names)."""
    return {d.name: d.short for d in DIMENSIONS}
