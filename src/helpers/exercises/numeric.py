"""A number to compute or estimate, right within a tolerance."""

from __future__ import annotations

import math

import ipywidgets as widgets

from ..errors import WorkbookError
from . import seal
from .base import CheckedExercise, Verdict


def parse_number(text: str) -> float | None:
    """A number typed by a student: ``0.62``, ``0,62``, `` -3 ``, ``1e-3``; None if not a number."""
    text = str(text).strip().replace("\u2212", "-")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class Numeric(CheckedExercise):
    """A numeric answer, right when within ``tolerance`` of ``answer``.

    Parameters
    ----------
    id, prompt, hint, explanation : as for :class:`~helpers.exercises.SingleChoice`.
    answer : the right value.
    tolerance : largest accepted distance from ``answer`` (absolute, >= 0).
    feedback_low, feedback_high : why an answer below / above the accepted range is wrong (the
        likely mistake behind it); a plain "too low / too high" is said when not given.
    """

    kind_label = "number"
    incomplete_message = "Type a number (for example 0.5), then press Check."

    def __init__(
        self,
        id: str,
        prompt: str,
        answer: float | None = None,
        tolerance: float = 0.0,
        hint: str | None = None,
        explanation: str | None = None,
        feedback_low: str | None = None,
        feedback_high: str | None = None,
        mistakes=(),
        sealed=None,
        title: str | None = None,
    ):
        if sealed is not None:
            self.tolerance = float(sealed.public["tolerance"])
            super().__init__(id, prompt, hint=hint, sealed=sealed, title=title)
            return
        try:
            self.answer = float(answer)
            self.tolerance = float(tolerance)
        except (TypeError, ValueError):
            raise WorkbookError(f"Exercise {id!r}: answer and tolerance must be numbers.") from None
        if not math.isfinite(self.answer) or not self.tolerance >= 0:
            raise WorkbookError(
                f"Exercise {id!r}: answer must be a finite number and tolerance >= 0 (got {answer!r}, {tolerance!r})."
            )
        self.feedback_low = feedback_low or "Your answer is too low."
        self.feedback_high = feedback_high or "Your answer is too high."
        #: Likely wrong numbers: ``[{"value", "feedback", "tolerance" (optional)}]``, checked first.
        self.mistakes = [dict(m) for m in mistakes]
        super().__init__(id, prompt, hint=hint, explanation=explanation, title=title)

    def _build_inputs(self):
        self.entry = widgets.Text(
            value="",
            description="Your answer:",
            placeholder="a number, e.g. 0.5",
            style={"description_width": "initial"},
        )
        return [self.entry]

    def _current_answer(self):
        return parse_number(self.entry.value) if self.entry.value.strip() else None

    def check(self):
        if self.entry.value.strip() and parse_number(self.entry.value) is None:
            self._say(
                [("workbook-incomplete", f"“{self.entry.value.strip()}” is not a number; type digits such as 0.5.")]
            )
            return None
        return super().check()

    def _show_answer(self, answer):
        if answer is None:
            return
        self.entry.value = repr(float(answer))

    def _fallback_lines(self):
        return ["Type a number."]

    def _verdict(self, answer):
        if self.sealed is not None:
            opened = self.sealed.open(seal.probe("number", seal.grid_index(answer, self.tolerance)))
            if opened is None:
                return Verdict(False, f"That is not within ± {self.tolerance:g} of the answer; check your working.")
            return Verdict(True, explanation=opened["text"]) if opened["correct"] else Verdict(False, opened["text"])
        if abs(answer - self.answer) <= self.tolerance * (1 + 1e-9) + 1e-12:
            return Verdict(True)
        for mistake in self.mistakes:
            within = mistake.get("tolerance")
            within = self.tolerance if within is None else within
            if abs(answer - float(mistake["value"])) <= within * (1 + 1e-9) + 1e-12:
                return Verdict(False, str(mistake["feedback"]))
        return Verdict(False, self.feedback_low if answer < self.answer else self.feedback_high)

    def _solution(self):
        value = f"{self.answer:g}"
        return f"{value} (± {self.tolerance:g})" if self.tolerance else value
