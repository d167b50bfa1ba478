"""A questionnaire form whose answers come back in the workbook's poll data model.

The student answers codebook questions with labelled buttons; :meth:`LikertForm.responses` returns
the answers as the same tidy table every poll file gives (``respondent, question, answer, value``,
scored and reverse-recoded by the codebook), so a lesson can analyse the student's own answers with
the functions it uses for the bundled data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from ..errors import WorkbookError
from .base import OpenExercise

FORM_KINDS = ("likert", "rating", "single_choice")


def answer_labels(question) -> list[str]:
    """The labels a student chooses from: the codebook labels, or the whole numbers of a range."""
    if question.labels:
        return list(question.labels)
    low, high = question.low, question.high
    if low is not None and high is not None and float(low).is_integer() and float(high).is_integer() \
            and 0 < high - low <= 20:
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

    def __init__(self, id: str, prompt: str, codebook, questions: Sequence[str] | None = None,
                 respondent: str = "you", attributes: Mapping[str, str] | None = None):
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
        super().__init__(id, prompt)
        if self.feedback_text == "" and self._current_answer():
            self._report_count()

    def _build_inputs(self):
        self.choices: dict[str, widgets.ToggleButtons] = {}
        rows = []
        for number, qid in enumerate(self.questions, start=1):
            question = self.codebook[qid]
            buttons = widgets.ToggleButtons(
                options=answer_labels(question), value=None, description=f"Answer {number}:",
                style={"description_width": "initial", "button_width": "auto"},
            )
            self.choices[qid] = buttons
            rows.append(widgets.VBox([widgets.Label(f"{number}. {question.text}"), buttons]))
        return rows

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

    def poll(self):
        """The answers as :class:`helpers.polls.PollData` (validated and scored by the codebook)."""
        import pandas as pd

        from ..polls import from_tidy_frame
        from ..polls.read import Table

        answer = self._current_answer() or {}
        rows = [{"respondent": self.respondent, "question": q, "answer": answer[q],
                 **self.attributes} for q in self.questions if q in answer]
        columns = ["respondent", "question", "answer", *self.attributes]
        frame = pd.DataFrame(rows, columns=columns, dtype=str)
        table = Table(frame=frame, lines=list(range(2, len(frame) + 2)),
                      source=f"exercise {self.id}")
        return from_tidy_frame(table, self.codebook, format_name="exercise")

    def responses(self):
        """The answers as a tidy DataFrame (respondent, question, answer, value, attributes)."""
        return self.poll().responses
