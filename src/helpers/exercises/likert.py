"""A questionnaire form whose answers come back in the workbook's poll data model.

The student answers codebook questions with labelled buttons; :meth:`LikertForm.responses` returns
the answers as the same tidy table every poll file gives (``respondent, question, answer, value``,
scored and reverse-recoded by the codebook), so a lesson can analyse the student's own answers with
the functions it uses for the bundled data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets

from ..errors import WorkbookError
from .base import OpenExercise, escape

FORM_KINDS = ("likert", "rating", "single_choice")
#: The chosen answer must stand out (WCAG 1.4.11): ipywidgets' selected toggle is only a shade darker.
SELECTED_STYLE = (
    "<style>.workbook-likert .widget-toggle-button.mod-active, .workbook-likert .jupyter-button.mod-active "
    "{ background-color: #1f4e8c !important; color: #ffffff !important; font-weight: bold; "
    "box-shadow: inset 0 0 0 2px #0b2545 !important; }</style>"
)


def answer_labels(question) -> list[str]:
    """The labels a student chooses from: the codebook labels, or the whole numbers of a range."""
    if question.labels:
        return list(question.labels)
    low, high = question.low, question.high
    if (
        low is not None
        and high is not None
        and float(low).is_integer()
        and float(high).is_integer()
        and 0 < high - low <= 20
    ):
        return [str(n) for n in range(int(low), int(high) + 1)]
    raise WorkbookError(
        f"Question {question.id!r} has no labels or small whole-number range to answer with; give "
        "it a scale such as 'Disagree|Neutral|Agree' or '1-7' in the codebook."
    )


class LikertForm(OpenExercise):
    """Codebook questions answered with buttons; saved per question; returned as tidy responses.

    Parameters
    ----------
    id, prompt : as for every exercise.
    codebook : :class:`helpers.polls.Codebook` describing the questions.
    questions : question ids to ask, in order (default: every likert/rating/single-choice question).
    respondent : the id stored for this student before pseudonymisation (default ``"you"``).
    attributes : extra columns for every answer, e.g. ``{"party": "Landlord"}``.
    """

    kind_label = "questionnaire"

    def __init__(
        self,
        id: str,
        prompt: str,
        codebook,
        questions: Sequence[str] | None = None,
        respondent: str = "you",
        attributes: Mapping[str, str] | None = None,
        title: str | None = None,
    ):
        self.codebook = codebook
        ids = list(questions) if questions is not None else codebook.of_kind(*FORM_KINDS)
        unknown = [q for q in ids if q not in codebook]
        if unknown:
            raise WorkbookError(f"Exercise {id!r}: question {unknown[0]!r} is not in the codebook.")
        wrong_kind = [q for q in ids if codebook[q].kind not in FORM_KINDS]
        if wrong_kind:
            raise WorkbookError(
                f"Exercise {id!r}: question {wrong_kind[0]!r} is {codebook[wrong_kind[0]].kind}; a "
                f"form asks only {', '.join(FORM_KINDS)} questions."
            )
        if not ids:
            raise WorkbookError(f"Exercise {id!r}: no questions to ask.")
        self.questions = ids
        self.respondent = str(respondent)
        self.attributes = {str(k): str(v) for k, v in (attributes or {}).items()}
        self._listeners: list = []
        super().__init__(id, prompt, title=title)
        if self.feedback_text == "" and self._current_answer():
            self._report_count()

    def _build_inputs(self):
        self.choices: dict[str, widgets.ToggleButtons] = {}
        rows = []
        for number, qid in enumerate(self.questions, start=1):
            question = self.codebook[qid]
            buttons = widgets.ToggleButtons(
                options=answer_labels(question),
                value=None,
                description=f"Answer {number}:",
                style={"description_width": "initial", "button_width": "auto"},
            )
            buttons.add_class("workbook-likert")
            self.choices[qid] = buttons
            rows.append(widgets.VBox([widgets.Label(f"{number}. {question.text}"), buttons]))
        return [widgets.HTML(SELECTED_STYLE), *rows]

    def _build_buttons(self):
        self.save_button = widgets.Button(description="Save answers", button_style="primary")
        self.save_button.add_class("workbook-check")
        self.save_button.on_click(lambda _b: self.save())
        return [self.save_button]

    def _current_answer(self):
        answer = {qid: box.value for qid, box in self.choices.items() if box.value is not None}
        return answer or None

    def _show_answer(self, answer):
        for qid, label in (answer or {}).items():
            self.choices[qid].value = label  # KeyError / TraitError if the form has changed

    def _fallback_lines(self):
        return ["Questions:", *(f"  - {self.codebook[q].text}" for q in self.questions)]

    def _report_count(self):
        done = len(self._current_answer() or {})
        total = len(self.questions)
        tail = "" if done == total else " Answer the rest when you are ready."
        self._say([("workbook-saved", f"Saved {done} of {total} answers.{tail}")])

    def save(self) -> None:
        """Save the answers given so far."""
        answer = self._current_answer()
        if answer is None:
            self._say([("workbook-incomplete", "Answer at least one question, then press Save.")])
            return
        self.completed = len(answer) == len(self.questions)
        self._save(answer, attempted=True)
        self._report_count()
        for listener in self._listeners:
            listener()

    def live(
        self,
        render: Callable,
        waiting: str = "No answers yet. Answer the statements above and press "
        "Save answers: your answers then appear here, next to the room's.",
    ) -> LiveView:
        """A view of ``render(self)`` (a table) that is redrawn every time the answers are saved.

        It works where cells cannot be re-run (the Voilà app). Before any answer, or when ``render``
        returns something that is not a table, the view says ``waiting``.
        """
        return LiveView(self, render, waiting)

    def poll(self):
        """The answers as :class:`helpers.polls.PollData` (validated and scored by the codebook)."""
        import pandas as pd

        from ..polls import from_tidy_frame
        from ..polls.read import Table

        answer = self._current_answer() or {}
        rows = [
            {"respondent": self.respondent, "question": q, "answer": answer[q], **self.attributes}
            for q in self.questions
            if q in answer
        ]
        columns = ["respondent", "question", "answer", *self.attributes]
        frame = pd.DataFrame(rows, columns=columns, dtype=str)
        table = Table(frame=frame, lines=list(range(2, len(frame) + 2)), source=f"exercise {self.id}")
        return from_tidy_frame(table, self.codebook, format_name="exercise")

    def responses(self):
        """The answers as a tidy DataFrame (respondent, question, answer, value, attributes)."""
        return self.poll().responses


class LiveView:
    """A table computed from a form's answers, redrawn in place on every save (see :meth:`LikertForm.live`)."""

    def __init__(self, form: LikertForm, render: Callable, waiting: str):
        self.form, self.render, self.waiting = form, render, waiting
        self.widget = widgets.HTML(value="")
        self.widget.add_class("workbook-live-view")
        form._listeners.append(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        result = self.render(self.form) if self.form._current_answer() else None
        if result is not None and hasattr(result, "columns") and len(result):
            styled = result.to_html(index=False, na_rep="", float_format=lambda v: f"{v:.2f}")
            self.widget.value = f"<div aria-live='polite'>{styled}</div>"
        else:
            self.widget.value = f"<p aria-live='polite'>{escape(self.waiting)}</p>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = self.waiting
        bundle["text/html"] = f"<p>{escape(self.waiting)}</p>"
        return bundle
