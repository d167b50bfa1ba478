"""What every exercise shares: identity, layout, saved progress, display and a static fallback.

An exercise is a small object that owns an ipywidgets view (``.widget``). It is shown by being the
last expression of a notebook cell: :meth:`Exercise._repr_mimebundle_` returns the live widget view
*and* a static ``text/plain`` / ``text/html`` description (the prompt, the choices, and where to
answer). The static part is built only from the exercise's definition, never from the saved answers
or the answer key, so stored notebook outputs stay byte-identical between runs (nbval compares
them) and an HTML export read offline still says what the exercise is.

Two families build on :class:`Exercise`:

* :class:`CheckedExercise` — has a right answer: a Check button, specific feedback for a wrong
  answer, a hint after a wrong try, an explanation when right, and a "Show answer" button in the
  trainer edition only (see :mod:`helpers.exercises.edition`).
* open exercises (a form, a simulator, a tracker) — no right answer; they save what the student
  enters.

Exercises that plot (a simulator, a tracker) show their figure with :class:`FigureView`: a PNG in an
``ipywidgets.Image`` that is replaced in place on every redraw, never a ``display()`` call. A display
call inside an ``Output`` widget is captured into the widget state by papermill/nbclient but lands
as an extra cell output under nbval, so the stored outputs could never equal a fresh run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import ClassVar

import ipywidgets as widgets
from traitlets import TraitError

from ..errors import WorkbookError
from . import progress
from .edition import reveal_enabled

WHERE_TO_ANSWER = (
    "To answer, run this cell in JupyterLab (Shift+Enter), or open the notebook as an app with workbook serve NOTEBOOK."
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Verdict:
    """The result of checking an answer: right or wrong, and why (plain text)."""

    correct: bool
    why: str = ""
    #: The explanation to show when right, when it comes with the verdict (a sealed key opens it).
    explanation: str | None = None


def escape(text: str) -> str:
    """Text to show inside HTML (quotes left readable)."""
    return html.escape(str(text), quote=False)


def label_list(name: str, exercise_id: str, values: Iterable, what: str, minimum: int = 2) -> list[str]:
    """Check a list of option/item labels: at least ``minimum``, non-empty text, no duplicates."""
    values = [str(v) for v in values]
    if len(values) < minimum:
        raise WorkbookError(
            f"Exercise {exercise_id!r}: `{name}` needs at least {minimum} {what}{'s' if minimum > 1 else ''}."
        )
    if any(not v.strip() for v in values):
        raise WorkbookError(f"Exercise {exercise_id!r}: `{name}` holds an empty {what}.")
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise WorkbookError(f"Exercise {exercise_id!r}: `{name}` lists {duplicates[0]!r} twice; each {what} once.")
    return values


def require_feedback(
    exercise_id: str, feedback: Mapping | None, needed: Iterable[str], allowed: Iterable[str], what: str
) -> dict[str, str]:
    """Feedback must say why for every wrong choice, and only name choices that exist."""
    feedback = {str(k): str(v) for k, v in (feedback or {}).items()}
    allowed = set(allowed)
    unknown = sorted(set(feedback) - allowed)
    if unknown:
        raise WorkbookError(
            f"Exercise {exercise_id!r}: feedback names {unknown[0]!r}, which is not one of the "
            f"{what}s; use the {what} text exactly."
        )
    missing = [k for k in needed if not feedback.get(k, "").strip()]
    if missing:
        raise WorkbookError(
            f"Exercise {exercise_id!r}: {what} {missing[0]!r} has no feedback; add "
            f"feedback={{{missing[0]!r}: 'why this is wrong'}} so a student learns from the mistake."
        )
    return feedback


def describe_figure(figure) -> str:
    """Words for a figure, from its titles and axis labels (the text of its caption)."""
    parts = [figure.get_suptitle().strip()] if figure.get_suptitle().strip() else []
    for axes in figure.get_axes():
        words = [axes.get_title().strip()]
        for axis, label in (("horizontal", axes.get_xlabel()), ("vertical", axes.get_ylabel())):
            if label.strip():
                words.append(f"{axis} axis: {label.strip()}")
        words = [w for w in words if w]
        if words:
            parts.append("; ".join(words))
    return ". ".join(parts) if parts else "a chart drawn from your inputs"


class FigureView:
    """A matplotlib figure shown as a PNG image with a visible caption, redrawn in place.

    ``widget`` holds an ``ipywidgets.Image`` and a caption ``Label`` (the image's text alternative:
    the Image widget has no alt attribute, and a tooltip on it breaks its view in ipywidgets 8.1).
    :meth:`show` renders the figure to PNG bytes, closes it (no figure leaks into the cell's own
    output) and replaces the image's value; the PNG carries no software/version metadata, so the
    same figure gives the same bytes.
    """

    #: Pixels per inch of the PNG: twice the 96 CSS px per inch the image is shown at (sharp on any screen).
    DPI = 192

    def __init__(self):
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.caption = widgets.Label(value="")
        self.caption.add_class("workbook-figure-caption")
        self.widget = widgets.VBox([self.image, self.caption])
        self.widget.add_class("workbook-figure")

    def show(self, figure, caption: str | None = None) -> None:
        """Show ``figure`` (then close it); the caption defaults to :func:`describe_figure`."""
        import matplotlib.pyplot as plt

        buffer = BytesIO()
        try:
            figure.savefig(buffer, format="png", bbox_inches="tight", dpi=self.DPI, metadata={"Software": None})
        finally:
            plt.close(figure)
        self.image.value = buffer.getvalue()
        # shown at its natural size (never stretched: a stretched PNG is blurry), narrower if need be
        width_px = int.from_bytes(self.image.value[16:20], "big")
        self.image.layout.width = f"{round(width_px * 96 / self.DPI)}px"
        self.image.layout.display = None
        self.caption.value = f"Figure: {caption or describe_figure(figure)}"

    def clear(self, caption: str) -> None:
        """Show no figure, only ``caption`` saying why."""
        self.image.value = b""
        self.image.layout.display = "none"
        self.caption.value = caption


class Exercise:
    """Base of every exercise: id, prompt, widget layout, progress and display.

    Subclasses set ``kind_label`` and implement :meth:`_build_inputs`, :meth:`_current_answer`,
    :meth:`_show_answer` and :meth:`_fallback_lines`; :meth:`_restore` then puts back a saved answer.
    """

    kind_label: ClassVar[str] = "exercise"

    def __init__(self, id: str, prompt: str, title: str | None = None):
        if not isinstance(id, str) or not _ID.match(id):
            raise WorkbookError(
                f"Exercise id {id!r} is not usable: use letters, digits, '.', '_' or '-', "
                "starting with a letter or digit (e.g. '04-what-is-w')."
            )
        if not str(prompt).strip():
            raise WorkbookError(f"Exercise {id!r} has an empty prompt; say what to do.")
        self.id = id
        self.title = str(title) if title else ""
        self.prompt = str(prompt)
        self.attempts = 0
        self.completed = False
        self.prompt_widget = widgets.HTML(
            value=f"<p class='workbook-prompt'><strong>{escape(self.prompt)}</strong></p>"
        )
        self.feedback = widgets.HTML(value="")
        self.feedback.add_class("workbook-feedback")
        self.status = widgets.HTML(value="")
        self.status.add_class("workbook-status")
        self._feedback_text = ""
        self.inputs: list[widgets.Widget] = list(self._build_inputs())
        self.buttons: list[widgets.Button] = list(self._build_buttons())
        self.widget = widgets.VBox(
            [self.prompt_widget, *self.inputs, widgets.HBox(self.buttons), self.feedback, self.status]
        )
        self.widget.add_class("workbook-exercise")

    # ---- what subclasses provide -------------------------------------------------------------
    def _build_inputs(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def _build_buttons(self) -> list[widgets.Button]:
        return []

    def _current_answer(self):
        """The answer as JSON-compatible data, or None when the student has not answered yet."""
        raise NotImplementedError

    def _show_answer(self, answer) -> None:
        """Put a saved answer back into the widgets (raise ValueError/KeyError/TypeError if it
        does not fit this exercise any more)."""
        raise NotImplementedError

    def _fallback_lines(self) -> list[str]:
        """Static lines listing what the student works with (options, items...), never the key."""
        return []

    # ---- feedback and progress ---------------------------------------------------------------
    @property
    def feedback_text(self) -> str:
        """The feedback currently shown, as plain text."""
        return self._feedback_text

    def _say(self, paragraphs: list[tuple[str, str]]) -> None:
        """Show feedback paragraphs given as (css class, plain text)."""
        paragraphs = [(css, text) for css, text in paragraphs if text]
        self._feedback_text = "\n".join(text for _, text in paragraphs)
        self.feedback.value = "".join(
            f"<p class='{css}' style='margin:0.25em 0'>{escape(text)}</p>" for css, text in paragraphs
        )

    def _tell_status(self, text: str) -> None:
        self.status.value = f"<p class='workbook-warning'>{escape(text)}</p>" if text else ""

    def _save(self, answer, *, attempted: bool) -> None:
        """Save this exercise's answer; a progress-file problem is shown, never silently fixed."""
        try:
            entry = progress.save_entry(
                self.id,
                kind=type(self).__name__,
                answer=answer,
                attempted=attempted,
                completed=self.completed,
            )
        except WorkbookError as error:
            self._tell_status(f"Your answer was not saved. {error}")
            return
        except OSError as error:
            self._tell_status(f"Your answer was not saved: cannot write {progress.progress_path()} ({error.strerror}).")
            return
        self.attempts = entry["attempts"]
        self._tell_status("")

    def _restore(self) -> dict | None:
        """Load this exercise's saved entry into the widgets; returns the entry if one was used."""
        try:
            entry = progress.load_entry(self.id)
        except WorkbookError as error:
            self._tell_status(f"Saved answers were not loaded. {error}")
            return None
        if not entry or entry.get("kind") != type(self).__name__:
            return None
        try:
            self._show_answer(entry.get("answer"))
        except (ValueError, KeyError, TypeError, IndexError, TraitError):
            self._tell_status("Your saved answer no longer fits this exercise (it has changed); answer again.")
            return None
        self.attempts = int(entry.get("attempts", 0))
        self.completed = bool(entry.get("completed", False))
        return entry

    # ---- display -----------------------------------------------------------------------------
    def _heading(self) -> str:
        if self.title:
            return f"Exercise: {self.title} ({self.kind_label})"
        return f"Exercise {self.id} ({self.kind_label})"

    def text_fallback(self) -> str:
        """The deterministic text/plain shown where widgets cannot run."""
        lines = [self._heading(), self.prompt, *self._fallback_lines(), WHERE_TO_ANSWER]
        return "\n".join(lines)

    def html_fallback(self) -> str:
        """The deterministic text/html shown where widgets cannot run (e.g. an HTML export)."""
        parts = [
            "<div class='workbook-exercise-static'>",
            f"<p><strong>{escape(self._heading())}</strong></p>",
            f"<p>{escape(self.prompt)}</p>",
        ]
        items = self._fallback_lines()
        if items:
            parts.append(f"<p>{escape(items[0])}</p>")
            if len(items) > 1:
                parts.append("<ul>" + "".join(f"<li>{escape(i.strip(' -'))}</li>" for i in items[1:]) + "</ul>")
        parts.append(f"<p><em>{escape(WHERE_TO_ANSWER)}</em></p></div>")
        return "\n".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["text/plain"] = self.text_fallback()
        bundle["text/html"] = self.html_fallback()
        return bundle

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id!r}>"


class CheckedExercise(Exercise):
    """An exercise with a right answer: Check, specific feedback, hint, explanation, reveal.

    Subclasses implement :meth:`_verdict` (why a given answer is wrong) and :meth:`_solution`
    (the answer in words, for the trainer's reveal), plus the :class:`Exercise` hooks.
    """

    incomplete_message: ClassVar[str] = "Answer first, then press Check."

    def __init__(
        self,
        id: str,
        prompt: str,
        *,
        hint: str | None = None,
        explanation: str | None = None,
        sealed=None,
        title: str | None = None,
    ):
        self.hint = str(hint) if hint else ""
        self.explanation = str(explanation) if explanation else ""
        #: A :class:`~helpers.exercises.seal.SealedKey` (student edition) or None (answers in memory).
        self.sealed = sealed
        super().__init__(id, prompt, title=title)
        self.check_button.on_click(lambda _button: self.check())
        if self.reveal_button is not None:
            self.reveal_button.on_click(lambda _button: self.reveal())
        entry = self._restore()
        if entry and entry.get("attempts"):
            self._give_feedback(self._current_answer())

    def _build_buttons(self) -> list[widgets.Button]:
        self.check_button = widgets.Button(
            description="Check", button_style="primary", tooltip=f"Check your answer ({self.id})"
        )
        self.check_button.add_class("workbook-check")
        self.reveal_button = None
        if reveal_enabled() and getattr(self, "sealed", None) is None:
            self.reveal_button = widgets.Button(description="Show answer (trainer)", tooltip="Trainer edition only")
            self.reveal_button.add_class("workbook-reveal")
            return [self.check_button, self.reveal_button]
        return [self.check_button]

    def _verdict(self, answer) -> Verdict:
        raise NotImplementedError

    def _solution(self) -> str:
        raise NotImplementedError

    def _give_feedback(self, answer) -> Verdict | None:
        if answer is None:
            self._say([("workbook-incomplete", self.incomplete_message)])
            return None
        verdict = self._verdict(answer)
        if verdict.correct:
            explanation = self.explanation if verdict.explanation is None else verdict.explanation
            self._say([("workbook-correct", "Correct."), ("workbook-explanation", explanation)])
        else:
            self._say(
                [
                    ("workbook-wrong", f"Not yet. {verdict.why}"),
                    ("workbook-hint", f"Hint: {self.hint}" if self.hint else ""),
                ]
            )
        return verdict

    def check(self) -> Verdict | None:
        """Check the current answer, show feedback, save progress; returns the verdict."""
        answer = self._current_answer()
        verdict = self._give_feedback(answer)
        if verdict is not None:
            self.completed = self.completed or verdict.correct
            self._save(answer, attempted=True)
        return verdict

    def reveal(self) -> None:
        """Show the answer (trainer edition only)."""
        if not reveal_enabled() or self.sealed is not None:
            raise WorkbookError("The answer can be shown only in the trainer edition.")
        self._say([("workbook-solution", f"Answer: {self._solution()}"), ("workbook-explanation", self.explanation)])


class OpenExercise(Exercise):
    """An exercise without a right answer (a form, a simulator, a tracker): it saves what the
    student enters and restores it when the cell is re-run. There is nothing to reveal, so the
    trainer edition adds no button here."""

    def __init__(self, id: str, prompt: str, title: str | None = None):
        super().__init__(id, prompt, title=title)
        self._restore()
