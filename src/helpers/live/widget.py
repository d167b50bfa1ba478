"""The trainer's widget in the notebook: the live tallies, and the buttons to open and close questions.

It reads the session's store directly (the same SQLite file the server writes, in WAL mode, so reading
never blocks an answer) about once a second, and shows what the projector page shows, under the same
suppression rule. Its buttons write the block states to the store, which the server reads on every
request: there is one truth, the store.

>>> from helpers.live.widget import PollWidget          # doctest: +SKIP
>>> PollWidget("poll-sessions/20261201-093000-lesson-04")  # doctest: +SKIP
"""

from __future__ import annotations

import threading

from jinja2 import Environment, FileSystemLoader

from ..polls.session import SessionStore
from .app import TEMPLATES
from .tally import tally


class PollWidget:
    """Live tallies of a session and its trainer controls, as an ipywidgets box (``.box``)."""

    def __init__(self, session, *, interval: float = 1.0, start: bool = True):
        import ipywidgets as widgets

        self.store = SessionStore(session)
        self.interval = float(interval)
        self._template = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True).get_template("tally.html.j2")
        self.html = widgets.HTML()
        self._syncing = False
        self.buttons: dict[str, widgets.ToggleButton] = {}
        for block in self.store.blocks():
            button = widgets.ToggleButton(
                value=block.state == "open",
                description=block.title[:40],
                tooltip=f"open or close: {block.title}",
                layout=widgets.Layout(width="auto"),
            )
            button.observe(self._toggle(block.id), names="value")
            self.buttons[block.id] = button
        meta = self.store.meta()
        waves = [w for w in meta["waves"].split("|") if w]
        self.wave = widgets.Dropdown(options=waves, value=meta["wave"] or None, description="Wave") if waves else None
        if self.wave is not None:
            self.wave.observe(lambda change: self.store.set_wave(change["new"]), names="value")
        self.close_button = widgets.Button(description="Close the poll", button_style="warning")
        self.close_button.on_click(lambda _: (self.store.set_state("closed"), self.refresh()))
        controls = [widgets.HBox(list(self.buttons.values()), layout=widgets.Layout(flex_flow="row wrap"))]
        controls += [self.wave] if self.wave is not None else []
        self.box = widgets.VBox([self.html, *controls, self.close_button])
        self._stop = threading.Event()
        self._thread = None
        self.refresh()
        if start:
            self.start()

    def _toggle(self, block_id: str):
        def toggle(change):
            if self._syncing:  # refresh() showing a change made elsewhere (the projector page)
                return
            self.store.set_block_state(block_id, "open" if change["new"] else "closed")
            if change["new"] and self.store.meta()["state"] == "waiting":
                self.store.set_state("open")
            self.refresh()

        return toggle

    def refresh(self) -> None:
        """Re-read the store and redraw the tallies (the timer calls this about once a second)."""
        self.html.value = self._template.render(tally=tally(self.store))
        states = {b.id: b.state == "open" for b in self.store.blocks()}
        self._syncing = True
        try:
            for block_id, button in self.buttons.items():
                if button.value != states[block_id]:
                    button.value = states[block_id]
        finally:
            self._syncing = False

    def start(self) -> None:
        """Refresh in the background every ``interval`` seconds until :meth:`stop`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="poll-widget", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:  # the session went away: stop quietly, the last tallies stay shown
                return

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)
