"""``PollData``: the one shape every loader and importer returns, and every analysis reads.

``responses`` is tidy, one row per answer, in the order of the input file:

=============  ==================================================================================
respondent     keyed pseudonym (Categorical, categories in first-appearance order)
question       question id from the codebook
answer         the answer with the codebook's spelling (multi-choice: options joined by ``"; "``)
value          float score: likert/rating position 1..k after reverse-recoding, the rank for ranking
               items, the number for numeric items; NaN for choice and text questions
party, group,  present when the input has them
wave,
submitted_at
(others)       respondent attributes from the input, kept as text
=============  ==================================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .codebook import Codebook
from .report import ImportReport

if TYPE_CHECKING:
    import pandas  # annotations only: `import helpers` stays light

STANDARD_COLUMNS = ("respondent", "question", "answer", "value", "party", "group", "wave", "submitted_at")


@dataclass
class PollData:
    responses: pandas.DataFrame
    codebook: Codebook
    report: ImportReport

    @property
    def attributes(self) -> list[str]:
        """Columns describing respondents (party, group, wave and any others), in input order."""
        return [
            c for c in self.responses.columns if c not in ("respondent", "question", "answer", "value", "submitted_at")
        ]

    def wide(self, values: str = "value", by=()):
        """One row per respondent (and per each ``by`` column, e.g. wave), one column per question.

        Respondents keep their input order; questions follow the codebook.
        """
        index = ["respondent", *[b for b in by if b in self.responses.columns]]
        table = self.responses.pivot_table(
            index=index, columns="question", values=values, aggfunc="first", observed=True, sort=False
        )
        ordered = [q for q in self.codebook.ids() if q in table.columns]
        table = table[ordered]
        table.columns.name = None
        return table

    def items(self, construct: str, by=()):
        """The item scores (reverse items already recoded) of one construct, respondents x items."""
        ids = self.codebook.constructs().get(construct)
        if not ids:
            from ..errors import WorkbookError

            known = ", ".join(self.codebook.constructs()) or "none"
            raise WorkbookError(f"no construct {construct!r} in the codebook; the constructs are: {known}")
        wide = self.wide("value", by=by)
        return wide[[q for q in ids if q in wide.columns]]

    def respondent_attributes(self):
        """One row per respondent with their attributes (first value seen)."""
        columns = [c for c in ("party", "group", "wave") if c in self.responses.columns] + [
            c for c in self.attributes if c not in ("party", "group", "wave")
        ]
        return self.responses.groupby("respondent", observed=True, sort=False)[columns].first()

    def __repr__(self) -> str:
        n = self.responses["respondent"].nunique()
        return (
            f"PollData: {len(self.responses)} answers from {n} respondents to {len(self.codebook)} questions\n"
            + self.report.summary()
        )
