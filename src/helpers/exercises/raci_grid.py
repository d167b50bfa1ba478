"""Build a RACI matrix in a grid of labelled dropdowns, checked live against the RACI rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from ..errors import WorkbookError
from .base import CheckedExercise, Verdict, escape, label_list
from .raci import validate_raci

CHOICES = (("—", ""), ("R", "R"), ("A", "A"), ("C", "C"), ("I", "I"), ("A/R", "A/R"))


class RaciGrid(CheckedExercise):
    """Tasks x roles, each cell R, A, C, I, A/R or blank.

    The rules (:func:`helpers.exercises.raci.validate_raci`) are shown live below the grid as the
    student fills it in; Check marks the grid right when no rule is broken (warnings allowed).

    Parameters
    ----------
    id, prompt, hint, explanation : as for :class:`~helpers.exercises.SingleChoice`.
    tasks, roles : row and column labels.
    solution : optional model grid ``{task: {role: letter}}`` (or a DataFrame), shown by the
        trainer's reveal; without it the reveal states the rules, since many grids are right.
    max_consulted : most Consulted roles per task before a warning (default: half the roles).
    """

    kind_label = "RACI grid"

    def __init__(self, id: str, prompt: str, tasks: Sequence[str], roles: Sequence[str],
                 hint: str | None = None, explanation: str | None = None, solution=None,
                 max_consulted: int | None = None):
        self.tasks = label_list("tasks", id, tasks, "task", minimum=1)
        self.roles = label_list("roles", id, roles, "role")
        self.max_consulted = max_consulted
        self.solution = None
        if solution is not None:
            import pandas as pd

            frame = pd.DataFrame(solution).T if isinstance(solution, Mapping) else solution
            frame = frame.reindex(index=self.tasks, columns=self.roles).astype(object)
            frame = frame.where(frame.notna(), "")
            if not validate_raci(frame, max_consulted=max_consulted).ok:
                raise WorkbookError(f"Exercise {id!r}: the solution grid breaks the RACI rules.")
            self.solution = frame
        self._touched = False
        super().__init__(id, prompt, hint=hint, explanation=explanation)
        self._touched = any(cell.value for cell in self._all_cells())
        self._update_live()

    def _build_inputs(self):
        self.cells: dict[str, dict[str, widgets.Dropdown]] = {}
        rows = []
        for task in self.tasks:
            row = {}
            for role in self.roles:
                cell = widgets.Dropdown(
                    options=CHOICES, value="", description=role,
                    tooltip=f"{task}: {role}", style={"description_width": "initial"},
                    layout=widgets.Layout(width="auto"),
                )
                cell.observe(self._on_change, names="value")
                row[role] = cell
            self.cells[task] = row
            name = widgets.Label(task, layout=widgets.Layout(width="14em"))
            rows.append(widgets.HBox([name, *row.values()]))
        self.live = widgets.HTML(value="")
        self.live.add_class("workbook-live")
        legend = widgets.Label(
            "R = Responsible (does it), A = Accountable (owns it), C = Consulted, I = Informed"
        )
        return [legend, *rows, self.live]

    def _all_cells(self):
        return [cell for row in self.cells.values() for cell in row.values()]

    def _on_change(self, _change):
        self._touched = True
        self._update_live()

    def _update_live(self):
        if not self._touched:
            self.live.value = (
                "<p>Fill in the grid: each task needs exactly one A and at least one R.</p>"
            )
            return
        result = validate_raci(self.matrix(), max_consulted=self.max_consulted)
        lines = result.messages() or ["The grid follows the RACI rules."]
        self.live.value = "<ul>" + "".join(f"<li>{escape(m)}</li>" for m in lines) + "</ul>"

    def matrix(self):
        """The grid as a DataFrame: tasks as rows (index ``task``), roles as columns."""
        import pandas as pd

        frame = pd.DataFrame(
            [[self.cells[t][r].value for r in self.roles] for t in self.tasks],
            index=pd.Index(self.tasks, name="task"), columns=self.roles,
        )
        return frame

    def _current_answer(self):
        answer = {t: {r: self.cells[t][r].value for r in self.roles} for t in self.tasks}
        return answer if any(v for row in answer.values() for v in row.values()) else None

    incomplete_message = "Choose letters in the grid, then press Check."

    def _show_answer(self, answer):
        if answer is None:
            return
        allowed = {value for _, value in CHOICES}
        for task, row in answer.items():
            for role, value in row.items():
                if value not in allowed:
                    raise ValueError(value)
                self.cells[task][role].value = value  # KeyError if the grid has changed

    def _fallback_lines(self):
        return [f"Roles: {', '.join(self.roles)}. Give each task R, A, C or I per role:",
                *(f"  - {task}" for task in self.tasks)]

    def _verdict(self, answer):
        result = validate_raci(self.matrix(), max_consulted=self.max_consulted)
        return Verdict(result.ok, " ".join(result.errors))

    def _solution(self):
        if self.solution is None:
            return ("many grids are right: each task needs exactly one Accountable and at least "
                    "one Responsible; keep Consulted few.")
        return "; ".join(
            f"{task}: " + ", ".join(f"{role} {v}" for role, v in row.items() if v)
            for task, row in self.solution.iterrows()
        )
