"""Put items in the right order with Up / Down buttons (keyboard-usable: Tab, then Enter/Space)."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from . import seal
from .base import CheckedExercise, Verdict, label_list, require_feedback


def deterministic_shuffle(items: Sequence[str], key: str) -> list[str]:
    """Shuffle ``items`` the same way every run (seeded by ``key``), never leaving them solved."""
    seed = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    if shuffled == list(items):  # a shuffle that happens to be the answer would teach nothing
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


#: Each move button's text ("Move “Cohere” up") is its accessible name; on screen it is replaced by an
#: arrow whose CSS alternative text is empty, so the arrow adds nothing to what a screen reader says.
ARROWS = (
    "<style>.workbook-move { font-size: 0 !important; }"
    ".workbook-move::before { font-size: 16px; font-weight: bold; }"
    ".workbook-move-up::before { content: '\\2191' / ''; }"
    ".workbook-move-down::before { content: '\\2193' / ''; }</style>"
)


class Order(CheckedExercise):
    """Order the items; they start in a deterministic shuffle.

    Each row shows a position, the item and two arrow buttons that move it; both are real buttons, so
    the exercise works from the keyboard and with a screen reader (no dragging). A button's text
    names its item ("Move “Cohere” up"): a screen reader reads it, the eye sees only the arrow
    (:data:`ARROWS`).

    Parameters
    ----------
    id, prompt, hint, explanation : as for :class:`~helpers.exercises.SingleChoice`.
    items : the items in the RIGHT order.
    feedback : optional ``{item: why it belongs where it does}``; said when that item is found
        out of place. Without it the feedback names the first pair that is the wrong way round.
    """

    kind_label = "put in order"
    incomplete_message = "Move the items into order, then press Check."

    def __init__(
        self,
        id: str,
        prompt: str,
        items: Sequence[str],
        hint: str | None = None,
        explanation: str | None = None,
        feedback: Mapping[str, str] | None = None,
        sealed=None,
        title: str | None = None,
    ):
        self.items = label_list("items", id, items, "item")
        self.item_feedback = {} if sealed is not None else require_feedback(id, feedback, [], self.items, "item")
        # A sealed Order is given its items already shuffled: sorting them would give the answer away.
        self.start = list(self.items) if sealed is not None else deterministic_shuffle(self.items, id)
        self.order = list(self.start)
        super().__init__(id, prompt, hint=hint, explanation=explanation, sealed=sealed, title=title)

    def _build_inputs(self):
        self.labels, self.up_buttons, self.down_buttons, rows = [], [], [], []
        for position in range(len(self.items)):
            label = widgets.Label(layout=widgets.Layout(width="auto", min_width="16em"))
            up = widgets.Button(layout=widgets.Layout(width="40px"), disabled=position == 0)  # px: its font size is 0
            down = widgets.Button(layout=widgets.Layout(width="40px"), disabled=position == len(self.items) - 1)
            up.add_class("workbook-move")
            up.add_class("workbook-move-up")
            down.add_class("workbook-move")
            down.add_class("workbook-move-down")
            up.on_click(lambda _b, p=position: self.move(p, -1))
            down.on_click(lambda _b, p=position: self.move(p, +1))
            self.labels.append(label)
            self.up_buttons.append(up)
            self.down_buttons.append(down)
            rows.append(widgets.HBox([label, up, down]))
        self._refresh()
        return [widgets.HTML(ARROWS), widgets.Label("Order (first at the top):"), *rows]

    def _refresh(self):
        for position, item in enumerate(self.order):
            self.labels[position].value = f"{position + 1}. {item}"
            self.up_buttons[position].description = self.up_buttons[position].tooltip = f"Move “{item}” up"
            self.down_buttons[position].description = self.down_buttons[position].tooltip = f"Move “{item}” down"

    def move(self, position: int, step: int) -> None:
        """Swap the item at ``position`` (0-based) with its neighbour ``step`` (-1 up, +1 down)."""
        target = position + step
        if 0 <= position < len(self.order) and 0 <= target < len(self.order):
            self.order[position], self.order[target] = self.order[target], self.order[position]
            self._refresh()

    def _current_answer(self):
        return list(self.order)

    def _show_answer(self, answer):
        if sorted(answer) != sorted(self.start):
            raise ValueError(answer)
        self.order = list(answer)
        self._refresh()

    def _fallback_lines(self):
        return ["Items to put in order (shown shuffled):", *(f"  - {i}" for i in self.start)]

    def _sealed_verdict(self, answer):
        right = sum(self.sealed.open(seal.probe("position", i, item)) is not None for i, item in enumerate(answer))
        if right == len(answer):
            whole = self.sealed.open(seal.probe("order", json.dumps(list(answer)))) or {"text": ""}
            return Verdict(True, explanation=whole["text"])
        for first, second in zip(answer, answer[1:], strict=False):
            opened = self.sealed.open(seal.probe("before", first, second))
            if opened is not None:
                why = f"{right} of {len(answer)} items are in the right place. “{first}” cannot come before “{second}”."
                return Verdict(False, f"{why} {opened['text']}" if opened["text"] else why)
        return Verdict(False, f"{right} of {len(answer)} items are in the right place.")

    def _verdict(self, answer):
        if self.sealed is not None:
            return self._sealed_verdict(answer)
        if answer == self.items:
            return Verdict(True)
        rank = {item: i for i, item in enumerate(self.items)}
        right = sum(a == b for a, b in zip(answer, self.items, strict=False))
        first, second = next((a, b) for a, b in zip(answer, answer[1:], strict=False) if rank[a] > rank[b])
        why = f"{right} of {len(self.items)} items are in the right place. “{first}” cannot come before “{second}”."
        reason = self.item_feedback.get(second) or self.item_feedback.get(first)
        return Verdict(False, f"{why} {reason}" if reason else why)

    def _solution(self):
        return " → ".join(self.items)
