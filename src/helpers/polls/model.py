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

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .codebook import Codebook
from .report import ImportReport

if TYPE_CHECKING:
    import pandas  # annotations only: `import helpers` stays light

STANDARD_COLUMNS = ("respondent", "question", "answer", "value", "party", "group", "wave", "submitted_at")


@dataclass(frozen=True, init=False, repr=False, eq=False)
class PollData:
    """Responses, codebook and import report, checked against the contract when built.

    It cannot be changed behind its contract: the fields cannot be reassigned, ``responses`` is a
    copy-on-write copy (changing it changes only your copy), and ``codebook`` and ``report`` are
    copies. Make a changed one with :meth:`with_report` or by building a new ``PollData``, which
    checks the contract again (:func:`helpers.polls.schema.check_responses`).
    """

    _responses: pandas.DataFrame = field(repr=False)
    _codebook: Codebook = field(repr=False)
    _report: ImportReport = field(repr=False)

    def __init__(self, responses, codebook: Codebook, report: ImportReport, *, _checked: bool = False):
        from .schema import check_responses

        if not isinstance(codebook, Codebook) or not isinstance(report, ImportReport):
            raise TypeError("PollData(responses, codebook, report) needs a Codebook and an ImportReport")
        if not _checked:
            check_responses(responses, codebook)
            report.check()
        object.__setattr__(self, "_responses", responses.copy(deep=False))  # pandas copy-on-write
        object.__setattr__(self, "_codebook", _copy_codebook(codebook))
        object.__setattr__(self, "_report", _copy_report(report))

    @property
    def responses(self):
        """The tidy answers (a copy-on-write copy: changing it leaves this PollData as it is)."""
        return self._responses.copy(deep=False)

    @property
    def codebook(self) -> Codebook:
        """The codebook (a copy; its questions are frozen)."""
        return _copy_codebook(self._codebook)

    @property
    def report(self) -> ImportReport:
        """The import report (a copy; its rejections are frozen)."""
        return _copy_report(self._report)

    def with_report(self, **changes) -> PollData:
        """The same answers with report fields changed (``notes=[...]``, ``rows_read=...``); the
        report's accounting is checked again."""
        report = replace(self._report, **changes).check()
        return PollData(self._responses, self._codebook, report, _checked=True)

    @property
    def attributes(self) -> list[str]:
        """Columns describing respondents (party, group, wave and any others), in input order."""
        return [
            c for c in self._responses.columns if c not in ("respondent", "question", "answer", "value", "submitted_at")
        ]

    def wide(self, values: str = "value", by=()):
        """One row per respondent (and per each ``by`` column, e.g. wave), one column per question.

        Respondents keep their input order; questions follow the codebook.
        """
        index = ["respondent", *[b for b in by if b in self._responses.columns]]
        table = self._responses.pivot_table(
            index=index, columns="question", values=values, aggfunc="first", observed=True, sort=False
        )
        ordered = [q for q in self._codebook.ids() if q in table.columns]
        table = table[ordered]
        table.columns.name = None
        return table

    def items(self, construct: str, by=()):
        """The item scores (reverse items already recoded) of one construct, respondents x items."""
        ids = self._codebook.constructs().get(construct)
        if not ids:
            from ..errors import WorkbookError

            known = ", ".join(self._codebook.constructs()) or "none"
            raise WorkbookError(f"no construct {construct!r} in the codebook; the constructs are: {known}")
        wide = self.wide("value", by=by)
        return wide[[q for q in ids if q in wide.columns]]

    def respondent_attributes(self):
        """One row per respondent with their attributes (first value seen)."""
        columns = [c for c in ("party", "group", "wave") if c in self._responses.columns] + [
            c for c in self.attributes if c not in ("party", "group", "wave")
        ]
        return self._responses.groupby("respondent", observed=True, sort=False)[columns].first()

    def __repr__(self) -> str:
        n = self._responses["respondent"].nunique()
        return (
            f"PollData: {len(self._responses)} answers from {n} respondents to {len(self._codebook)} questions\n"
            + self._report.summary()
        )


def _copy_codebook(codebook: Codebook) -> Codebook:
    return replace(codebook, questions=dict(codebook.questions))  # Question is frozen: a new dict suffices


def _copy_report(report: ImportReport) -> ImportReport:
    return replace(
        report,
        rejections=list(report.rejections),
        dropped_columns=list(report.dropped_columns),
        notes=list(report.notes),
    )  # Rejection is frozen
