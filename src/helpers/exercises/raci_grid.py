"""Build a RACI matrix in a grid of labelled dropdowns, checked live against the RACI rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from ..errors import WorkbookError
from .base import CheckedExercise, Verdict, escape, label_list
from .raci import validate_raci

CHOICES = (("—", ""), ("R", "R"), ("A", "A"), ("C", "C"), ("I", "I"), ("A/R", "A/R"))
#: Text a screen reader reads but the eye does not see: each cell's label names its task too.
SCREEN_READER_ONLY = (
    "<style>.workbook-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; "
    "clip: rect(0 0 0 0); white-space: nowrap; }</style>"
)


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

    def __init__(
        self,
        id: str,
        prompt: str,
        tasks: Sequence[str],
        roles: Sequence[str],
        hint: str | None = None,
        explanation: str | None = None,
        solution=None,
        max_consulted: int | None = None,
        start=None,
        sealed=None,
        title: str | None = None,
    ):
        self.tasks = label_list("tasks", id, tasks, "task", minimum=1)
        self.roles = label_list("roles", id, roles, "role")
        self.max_consulted = max_consulted
        self.start = self._start_grid(id, start)
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
        super().__init__(id, prompt, hint=hint, explanation=explanation, sealed=sealed, title=title)
        self._touched = any(cell.value for cell in self._all_cells())
        self._update_live()

    def _start_grid(self, id, start):
        """The grid the student starts from: ``{task: {role: letter}}`` or a DataFrame, or empty."""
        if start is None:
            return {}
        if hasattr(start, "iterrows"):
            start = {str(t): {str(r): v for r, v in row.items()} for t, row in start.iterrows()}
        allowed = {value for _, value in CHOICES}
        grid = {}
        for task, row in dict(start).items():
            for role, value in dict(row).items():
                text = "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()
                if task not in self.tasks or role not in self.roles or text not in allowed:
                    raise WorkbookError(
                        f"Exercise {id!r}: the starting grid has {text!r} for task {task!r}, role {role!r}; "
                        f"use tasks {self.tasks}, roles {self.roles} and letters R, A, C, I, A/R or blank."
                    )
                grid.setdefault(task, {})[role] = text
        return grid

    def _build_inputs(self):
        self.cells: dict[str, dict[str, widgets.Dropdown]] = {}
        rows = []
        for task in self.tasks:
            row = {}
            for role in self.roles:
                cell = widgets.Dropdown(
                    options=CHOICES,
                    value=self.start.get(task, {}).get(role, ""),
                    description=f"<span class='workbook-sr-only'>{escape(task)}: </span>{escape(role)}",
                    description_allow_html=True,
                    tooltip=f"{task}: {role}",
                    style={"description_width": "initial"},
                    layout=widgets.Layout(width="auto", flex="0 0 auto"),
                )
                cell.observe(self._on_change, names="value")
                row[role] = cell
            self.cells[task] = row
            # The task name keeps its width and wraps (never cut or squeezed); the cells wrap instead.
            name = widgets.HTML(
                f"<span class='workbook-raci-task'><strong>{escape(task)}</strong></span>",
                layout=widgets.Layout(width="16em", min_width="16em", flex="0 0 16em"),
            )
            name.add_class("workbook-raci-task")
            rows.append(
                widgets.HBox(
                    [name, *row.values()],
                    layout=widgets.Layout(
                        flex_flow="row wrap", align_items="center", border_bottom="1px solid #ddd", padding="2px 0"
                    ),
                )
            )
        self.live = widgets.HTML(value="")
        self.live.add_class("workbook-live")
        legend = widgets.Label("R = Responsible (does it), A = Accountable (owns it), C = Consulted, I = Informed")
        return [widgets.HTML(SCREEN_READER_ONLY), legend, *rows, self.live]

    def _all_cells(self):
        return [cell for row in self.cells.values() for cell in row.values()]

    def _on_change(self, _change):
        self._touched = True
        self._update_live()

    def _update_live(self):
        if not self._touched and not self.start:
            self.live.value = "<p>Fill in the grid: each task needs exactly one A and at least one R.</p>"
            return
        result = validate_raci(self.matrix(), max_consulted=self.max_consulted)
        lines = result.messages() or ["The grid follows the RACI rules."]
        self.live.value = "<ul>" + "".join(f"<li>{escape(m)}</li>" for m in lines) + "</ul>"

    def matrix(self):
        """The grid as a DataFrame: tasks as rows (index ``task``), roles as columns."""
        import pandas as pd

        frame = pd.DataFrame(
            [[self.cells[t][r].value for r in self.roles] for t in self.tasks],
            index=pd.Index(self.tasks, name="task"),
            columns=self.roles,
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
        return [
            f"Roles: {', '.join(self.roles)}. Give each task R, A, C or I per role:",
            *(f"  - {task}" for task in self.tasks),
        ]

    def _verdict(self, answer):
        result = validate_raci(self.matrix(), max_consulted=self.max_consulted)
        if result.ok:
            return Verdict(True, explanation=self.explanation or "The grid follows the RACI rules.")
        return Verdict(False, " ".join(result.errors))

    def _solution(self):
        if self.solution is None:
            return (
                "many grids are right: each task needs exactly one Accountable and at least "
                "one Responsible; keep Consulted few."
            )
        return "; ".join(
            f"{task}: " + ", ".join(f"{role} {v}" for role, v in row.items() if v)
            for task, row in self.solution.iterrows()
        )
