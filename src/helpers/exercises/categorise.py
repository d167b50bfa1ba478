"""Sort items into bins, one labelled dropdown per item."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from ..errors import WorkbookError
from . import seal
from .base import CheckedExercise, Verdict, label_list, require_feedback


class Categorise(CheckedExercise):
    """Put each item in its bin.

    Parameters
    ----------
    id, prompt, hint, explanation : as for :class:`~helpers.exercises.SingleChoice`.
    bins : the bin names, e.g. ``["Appreciative", "Deficit"]``.
    items : ``{item: its right bin}``; items are shown in this order.
    feedback : ``{item: why it belongs in its bin}`` — required for every item, said when the
        item is put in a wrong bin.
    """

    kind_label = "sort into groups"
    incomplete_message = "Put every item in a group, then press Check."

    def __init__(
        self,
        id: str,
        prompt: str,
        bins: Sequence[str],
        items,
        feedback: Mapping[str, str] | None = None,
        hint: str | None = None,
        explanation: str | None = None,
        sealed=None,
        title: str | None = None,
    ):
        self.bins = label_list("bins", id, bins, "bin")
        if sealed is not None:  # items: their texts only, in the order shown
            self.items = {str(k): None for k in items}
            super().__init__(id, prompt, hint=hint, explanation=explanation, sealed=sealed, title=title)
            return
        self.items = {str(k): str(v) for k, v in dict(items).items()}
        if not self.items:
            raise WorkbookError(f"Exercise {id!r}: `items` is empty; give {{item: bin}} pairs.")
        stray = [(k, v) for k, v in self.items.items() if v not in self.bins]
        if stray:
            raise WorkbookError(
                f"Exercise {id!r}: item {stray[0][0]!r} goes to bin {stray[0][1]!r}, "
                f"which is not one of the bins {self.bins}."
            )
        self.item_feedback = require_feedback(id, feedback, self.items, self.items, "item")
        super().__init__(id, prompt, hint=hint, explanation=explanation, title=title)

    def _build_inputs(self):
        self.dropdowns = {
            item: widgets.Dropdown(
                options=self.bins,
                value=None,
                description=item,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
            for item in self.items
        }
        return [widgets.Label(f"Choose a group for each item ({', '.join(self.bins)}):"), *self.dropdowns.values()]

    def _current_answer(self):
        answer = {item: box.value for item, box in self.dropdowns.items()}
        return None if any(v is None for v in answer.values()) else answer

    def check(self):
        left = sum(box.value is None for box in self.dropdowns.values())
        if left:
            self._say(
                [("workbook-incomplete", f"{left} of {len(self.items)} items have no group yet; choose one for each.")]
            )
            return None
        return super().check()

    def _show_answer(self, answer):
        if answer is None:
            return
        if set(answer) != set(self.items) or not set(answer.values()) <= set(self.bins) | {None}:
            raise ValueError(answer)
        for item, value in answer.items():
            self.dropdowns[item].value = value

    def _fallback_lines(self):
        return [f"Sort each item into one of: {', '.join(self.bins)}.", *(f"  - {item}" for item in self.items)]

    def _sealed_verdict(self, answer):
        opened = {
            item: self.sealed.open(seal.probe("group", item, answer[item])) or {"correct": False, "text": ""}
            for item in self.items
        }
        wrong = [item for item in self.items if not opened[item]["correct"]]
        if not wrong:
            whole = self.sealed.open(seal.probe("all", json.dumps(answer, sort_keys=True))) or {"text": ""}
            return Verdict(True, explanation=whole["text"])
        reasons = [f"“{item}” does not belong in {answer[item]}: {opened[item]['text']}" for item in wrong]
        head = f"{len(wrong)} of {len(self.items)} items are in the wrong group."
        return Verdict(False, " ".join([head, *reasons]))

    def _verdict(self, answer):
        if self.sealed is not None:
            return self._sealed_verdict(answer)
        wrong = [item for item in self.items if answer[item] != self.items[item]]
        if not wrong:
            return Verdict(True)
        reasons = [f"“{item}” does not belong in {answer[item]}: {self.item_feedback[item]}" for item in wrong]
        head = f"{len(wrong)} of {len(self.items)} items are in the wrong group."
        return Verdict(False, " ".join([head, *reasons]))

    def _solution(self):
        return "; ".join(f"{item} → {bin_}" for item, bin_ in self.items.items())
