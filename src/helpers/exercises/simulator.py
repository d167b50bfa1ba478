"""Sliders bound to a model: move a slider, see the model's figure redrawn."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as widgets

from ..errors import WorkbookError
from .base import FigureView, OpenExercise


def _slider(name: str, spec, label: str, exercise_id: str) -> widgets.Widget:
    try:
        low, high, step, default = spec
    except (TypeError, ValueError):
        raise WorkbookError(
            f"Exercise {exercise_id!r}: slider {name!r} needs (min, max, step, default), got {spec!r}."
        ) from None
    if not (low < high and step > 0 and low <= default <= high):
        raise WorkbookError(
            f"Exercise {exercise_id!r}: slider {name!r} needs min < max, step > 0 and min <= "
            f"default <= max; got {spec!r}."
        )
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in spec)
    kind = widgets.IntSlider if whole else widgets.FloatSlider
    return kind(
        min=low,
        max=high,
        step=step,
        value=default,
        description=label,
        continuous_update=False,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="32em"),
    )


class Simulator(OpenExercise):
    """A model explored with sliders; its figure is redrawn whenever a slider is released.

    The figure is shown as a PNG image (``.plot``, a :class:`~helpers.exercises.base.FigureView`)
    with a caption naming its titles and axes; ``.figure`` is the last (closed) Figure drawn.

    Parameters
    ----------
    id, prompt : as for every exercise.
    model : ``model(**values) -> matplotlib.figure.Figure``; called with one keyword per slider.
        Use colours from :data:`helpers.notebook.PALETTE`. It may raise
        :class:`~helpers.errors.WorkbookError` for a combination it cannot compute; the message is
        shown under the sliders.
    sliders : ``{name: (min, max, step, default)}``; whole numbers give an integer slider.
    labels : optional ``{name: visible label}`` (default: the name with spaces for underscores).
    """

    kind_label = "simulator"

    def __init__(
        self,
        id: str,
        prompt: str,
        model: Callable,
        sliders: Mapping[str, tuple],
        labels: Mapping[str, str] | None = None,
        title: str | None = None,
    ):
        if not callable(model):
            raise WorkbookError(f"Exercise {id!r}: `model` must be a function returning a figure.")
        if not sliders:
            raise WorkbookError(f"Exercise {id!r}: give at least one slider.")
        self.model = model
        self.slider_specs = dict(sliders)
        self.slider_labels = {name: (labels or {}).get(name, name.replace("_", " ")) for name in self.slider_specs}
        self.figure = None
        super().__init__(id, prompt, title=title)
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self.draw()

    def _build_inputs(self):
        self.sliders = {
            name: _slider(name, spec, self.slider_labels[name], self.id) for name, spec in self.slider_specs.items()
        }
        self.plot = FigureView()
        return [*self.sliders.values(), self.plot.widget]

    def values(self) -> dict:
        """The current slider values, ``{name: value}``."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def _current_answer(self):
        return self.values()

    def _show_answer(self, answer):
        for name, value in (answer or {}).items():
            slider = self.sliders[name]
            if not slider.min <= value <= slider.max:
                raise ValueError(value)
            slider.value = value

    def _fallback_lines(self):
        return [
            "Sliders:",
            *(f"  - {self.slider_labels[n]} ({lo:g} to {hi:g})" for n, (lo, hi, _s, _d) in self.slider_specs.items()),
        ]

    def _on_change(self, _change):
        self.completed = True
        self._save(self.values(), attempted=False)
        self.draw()

    def draw(self) -> None:
        """Call the model with the slider values and show its figure in place of the last one."""
        try:
            figure = self.model(**self.values())
        except WorkbookError as error:
            self._say([("workbook-wrong", str(error))])
            return
        if not hasattr(figure, "savefig"):
            raise WorkbookError(
                f"Exercise {self.id!r}: the model returned {type(figure).__name__}, not a "
                "matplotlib Figure; end the model with `return figure`."
            )
        self._say([])
        self.plot.show(figure)
        self.figure = figure
