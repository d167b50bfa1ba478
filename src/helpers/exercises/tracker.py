"""Track reasons to believe, and to disbelieve, in a collaboration, and their balance over time.

A reasons-to-believe tracker (lesson 03) keeps a dated log: each entry is a reason to believe the
collaboration will create value, or a reason to disbelieve, with a weight from 1 (minor) to 3
(major). The balance is the running total of believe weights minus disbelieve weights; a falling
balance is the prompt to discuss continuing or a graceful exit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as widgets

from ..errors import WorkbookError
from .base import FigureView, OpenExercise, escape

KINDS = (("Reason to believe", "believe"), ("Reason to disbelieve", "disbelieve"))
COLUMNS = ["date", "kind", "reason", "weight"]


class Tracker(OpenExercise):
    """A dated log of reasons to believe / disbelieve, with the balance plotted over time.

    Parameters
    ----------
    id, prompt : as for every exercise.
    advice : optional ``advice(balance: DataFrame) -> str``, e.g. a continue / graceful-exit rule;
        its text is shown under the plot after every change.
    """

    kind_label = "tracker"

    def __init__(self, id: str, prompt: str, advice: Callable | None = None, title: str | None = None):
        self.advice = advice
        self._entries: list[dict] = []
        super().__init__(id, prompt, title=title)
        self._render()

    def _build_inputs(self):
        self.date = widgets.DatePicker(
            description="Date (empty: the day after the last reason):", style={"description_width": "initial"}
        )
        self.kind = widgets.ToggleButtons(
            options=KINDS,
            value="believe",
            description="Kind:",
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.reason = widgets.Text(
            description="Reason:",
            placeholder="what happened or changed",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="40em"),
        )
        self.weight = widgets.IntSlider(
            value=1, min=1, max=3, description="Weight (1-3):", style={"description_width": "initial"}
        )
        self.add_button = widgets.Button(description="Add reason", button_style="primary")
        self.add_button.add_class("workbook-check")
        self.remove_button = widgets.Button(description="Remove last")
        self.add_button.on_click(lambda _b: self.add())
        self.remove_button.on_click(lambda _b: self.remove_last())
        self.table = widgets.HTML(value="")
        self.plot = FigureView()
        return [
            self.date,
            self.kind,
            self.reason,
            self.weight,
            widgets.HBox([self.add_button, self.remove_button]),
            self.table,
            self.plot.widget,
        ]

    def add(
        self, reason: str | None = None, kind: str | None = None, weight: int | None = None, date: dt.date | None = None
    ) -> None:
        """Add an entry (from the widgets, or from the arguments when given)."""
        reason = (reason if reason is not None else self.reason.value).strip()
        kind = kind or self.kind.value
        weight = int(weight if weight is not None else self.weight.value)
        # No date picked: the day after the last entry (each reason its own review, so the rule
        # over the last reviews can say "exit"), or today for the first.
        date = date or self.date.value or self._next_date()
        if not reason:
            self._say([("workbook-incomplete", "Write the reason first, then press Add reason.")])
            return
        if kind not in {k for _, k in KINDS} or not 1 <= weight <= 3:
            raise WorkbookError(
                f"Tracker {self.id!r}: kind must be believe or disbelieve and weight 1 to 3; got {kind!r}, {weight!r}."
            )
        self._entries.append({"date": date.isoformat(), "kind": kind, "reason": reason, "weight": weight})
        self.reason.value = ""
        self._changed()

    def _next_date(self) -> dt.date:
        if not self._entries:
            return dt.date.today()
        return max(dt.date.fromisoformat(e["date"]) for e in self._entries) + dt.timedelta(days=1)

    def remove_last(self) -> None:
        """Remove the most recently added entry."""
        if self._entries:
            self._entries.pop()
            self._changed()

    def _changed(self):
        self.completed = bool(self._entries)
        self._save(self._current_answer(), attempted=True)
        self._render()

    def entries(self):
        """The log as a DataFrame: date, kind (believe/disbelieve), reason, weight; by date."""
        import pandas as pd

        frame = pd.DataFrame(self._entries, columns=COLUMNS)
        frame["date"] = pd.to_datetime(frame["date"])
        frame["weight"] = frame["weight"].astype("int64")
        return frame.sort_values("date", kind="stable").reset_index(drop=True)

    def balance(self):
        """Per date: the believe and disbelieve weights added that day, and the running balance."""
        import pandas as pd

        frame = self.entries()
        frame["believe"] = frame["weight"].where(frame["kind"] == "believe", 0)
        frame["disbelieve"] = frame["weight"].where(frame["kind"] == "disbelieve", 0)
        daily = frame.groupby("date", sort=True)[["believe", "disbelieve"]].sum()
        daily["balance"] = (daily["believe"] - daily["disbelieve"]).cumsum()
        return daily.reset_index() if len(daily) else pd.DataFrame(columns=["date", "believe", "disbelieve", "balance"])

    def _current_answer(self):
        return list(self._entries)

    def _show_answer(self, answer):
        entries = []
        for entry in answer or []:
            dt.date.fromisoformat(entry["date"])
            if entry["kind"] not in {k for _, k in KINDS}:
                raise ValueError(entry["kind"])
            entries.append(
                {
                    "date": entry["date"],
                    "kind": entry["kind"],
                    "reason": str(entry["reason"]),
                    "weight": int(entry["weight"]),
                }
            )
        self._entries = entries

    def _fallback_lines(self):
        return ["Add dated reasons to believe or to disbelieve; the balance is plotted over time."]

    def _render(self):
        import matplotlib.pyplot as plt

        from ..notebook import PALETTE

        frame = self.entries()
        rows = "".join(
            f"<tr><td>{r.date:%Y-%m-%d}</td><td>{escape(r.kind)}</td><td>{escape(r.reason)}</td>"
            f"<td>{r.weight}</td></tr>"
            for r in frame.itertuples()
        )
        self.table.value = (
            "<table><thead><tr><th>Date</th><th>Kind</th><th>Reason</th><th>Weight</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
            if rows
            else "<p>No reasons yet.</p>"
        )
        balance = self.balance()
        texts = []
        if self.advice is not None and len(balance):
            texts.append(("workbook-explanation", str(self.advice(balance))))
        self._say(texts)
        if not len(balance):
            self.plot.clear("No reasons yet, so there is no plot.")
            return
        figure, axes = plt.subplots(figsize=(7, 3.2))
        axes.step(
            balance["date"],
            balance["believe"].cumsum(),
            where="post",
            color=PALETTE[2],
            label="reasons to believe (total weight)",
        )
        axes.step(
            balance["date"],
            balance["disbelieve"].cumsum(),
            where="post",
            color=PALETTE[5],
            linestyle="--",
            label="reasons to disbelieve",
        )
        axes.step(balance["date"], balance["balance"], where="post", color=PALETTE[0], linewidth=2.5, label="balance")
        axes.axhline(0, color=PALETTE[7], linewidth=0.8)
        axes.set_xlabel("date")
        axes.set_ylabel("weight")
        axes.set_title("Reasons to believe and to disbelieve over time")
        # below the axes, never over the lines
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=3, frameon=False)
        figure.autofmt_xdate()
        first, last = balance["date"].iloc[0], balance["date"].iloc[-1]
        self.plot.show(
            figure,
            caption=(
                f"Reasons to believe and to disbelieve over time, {first:%Y-%m-%d} to {last:%Y-%m-%d}; "
                f"balance on {last:%Y-%m-%d}: {int(balance['balance'].iloc[-1]):+d}."
            ),
        )
