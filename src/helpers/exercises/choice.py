"""Choice exercises: pick the one right option, or every option that applies."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from ..errors import WorkbookError
from . import seal
from .base import CheckedExercise, Verdict, label_list, require_feedback

_WIDE = widgets.Layout(width="auto")


class SingleChoice(CheckedExercise):
    """One right option among several, with a reason for every wrong option.

    Parameters
    ----------
    id : unique exercise id, e.g. ``"04-what-is-w"`` (progress is saved under it).
    prompt : the question.
    options : the options, shown in this order.
    answer : the right option (one of ``options``).
    feedback : ``{wrong option: why it is wrong}`` — required for every wrong option.
    hint : shown after a wrong try.
    explanation : shown when the answer is right.

    Example
    -------
    >>> SingleChoice("00-demo", "Which is a prime?", ["4", "7"], answer="7",
    ...              feedback={"4": "4 = 2 x 2."})
    <SingleChoice '00-demo'>
    """

    kind_label = "single choice"
    incomplete_message = "Choose an option, then press Check."

    def __init__(
        self,
        id: str,
        prompt: str,
        options: Sequence[str],
        answer: str | None = None,
        feedback: Mapping[str, str] | None = None,
        hint: str | None = None,
        explanation: str | None = None,
        sealed=None,
        title: str | None = None,
    ):
        self.options = label_list("options", id, options, "option")
        if sealed is None:
            self.answer = str(answer)
            if self.answer not in self.options:
                raise WorkbookError(f"Exercise {id!r}: the answer {answer!r} is not one of the options.")
            wrong = [o for o in self.options if o != self.answer]
            self.option_feedback = require_feedback(id, feedback, wrong, wrong, "option")
        super().__init__(id, prompt, hint=hint, explanation=explanation, sealed=sealed, title=title)

    def _build_inputs(self):
        self.choice = widgets.RadioButtons(
            options=self.options,
            value=None,
            description="Your answer:",
            style={"description_width": "initial"},
            layout=_WIDE,
        )
        return [self.choice]

    def _current_answer(self):
        return self.choice.value

    def _show_answer(self, answer):
        if answer is not None and answer not in self.options:
            raise ValueError(answer)
        self.choice.value = answer

    def _fallback_lines(self):
        return ["Options:", *(f"  - {o}" for o in self.options)]

    def _verdict(self, answer):
        if self.sealed is not None:
            opened = self.sealed.open(seal.probe("option", answer)) or {"correct": False, "text": ""}
            if opened["correct"]:
                return Verdict(True, explanation=opened["text"])
            return Verdict(False, opened["text"])
        if answer == self.answer:
            return Verdict(True)
        return Verdict(False, self.option_feedback[answer])

    def _solution(self):
        return self.answer


class MultipleChoice(CheckedExercise):
    """Tick every option that applies; each wrongly ticked option gets its own reason.

    Parameters
    ----------
    id, prompt, hint, explanation : as for :class:`SingleChoice`.
    options : the options, shown in this order.
    answers : the options that apply (at least one).
    feedback : ``{option: why}``. Required for every option that does not apply (said when it is
        ticked); optional for an option that applies (said when it is left out).
    """

    kind_label = "multiple choice"

    def __init__(
        self,
        id: str,
        prompt: str,
        options: Sequence[str],
        answers: Sequence[str] | None = None,
        feedback: Mapping[str, str] | None = None,
        hint: str | None = None,
        explanation: str | None = None,
        sealed=None,
        title: str | None = None,
    ):
        self.options = label_list("options", id, options, "option")
        if sealed is not None:
            super().__init__(id, prompt, hint=hint, explanation=explanation, sealed=sealed, title=title)
            return
        self.answers = [str(a) for a in (answers or [])]
        if not self.answers:
            raise WorkbookError(f"Exercise {id!r}: `answers` must name at least one option.")
        stray = [a for a in self.answers if a not in self.options]
        if stray:
            raise WorkbookError(f"Exercise {id!r}: answer {stray[0]!r} is not one of the options.")
        wrong = [o for o in self.options if o not in self.answers]
        self.option_feedback = require_feedback(id, feedback, wrong, self.options, "option")
        super().__init__(id, prompt, hint=hint, explanation=explanation, title=title)

    def _build_inputs(self):
        self.boxes = [
            widgets.Checkbox(value=False, description=option, indent=False, layout=_WIDE) for option in self.options
        ]
        return [widgets.Label("Tick every option that applies:"), *self.boxes]

    def _current_answer(self):
        chosen = [box.description for box in self.boxes if box.value]
        return chosen or None

    def _show_answer(self, answer):
        if answer is None:
            return
        if not set(answer) <= set(self.options):
            raise ValueError(answer)
        for box in self.boxes:
            box.value = box.description in answer

    def _fallback_lines(self):
        return ["Options (tick every one that applies):", *(f"  - {o}" for o in self.options)]

    incomplete_message = "Tick at least one option, then press Check."

    def _sealed_verdict(self, answer):
        opened = {o: self.sealed.open(seal.probe("tick", o)) or {"applies": False, "text": ""} for o in answer}
        wrongly_ticked = [o for o in answer if not opened[o]["applies"]]
        applies = int(self.sealed.public["applies"])
        found = len(answer) - len(wrongly_ticked)
        if not wrongly_ticked and found == applies:
            whole = self.sealed.open(seal.probe("set", json.dumps(sorted(answer)))) or {"text": ""}
            return Verdict(True, explanation=whole["text"])
        reasons = [f"“{o}” does not apply: {opened[o]['text']}" for o in wrongly_ticked]
        if found < applies:
            reasons.append(f"You ticked {found} of the {applies} options that apply.")
        return Verdict(False, " ".join(reasons))

    def _verdict(self, answer):
        if self.sealed is not None:
            return self._sealed_verdict(answer)
        wrongly_ticked = [o for o in answer if o not in self.answers]
        missed = [o for o in self.answers if o not in answer]
        if not wrongly_ticked and not missed:
            return Verdict(True)
        reasons = [f"“{o}” does not apply: {self.option_feedback[o]}" for o in wrongly_ticked]
        if missed:
            said = [self.option_feedback[o] for o in missed if o in self.option_feedback]
            count = len(self.answers) - len(missed)
            reasons.append(
                f"You ticked {count} of the {len(self.answers)} options that apply."
                + (f" {said[0]}" if said and not wrongly_ticked else "")
            )
        return Verdict(False, " ".join(reasons))

    def _solution(self):
        return "; ".join(self.answers)
