"""Plots for partnership poll data: one function per kind of figure, each returning a Figure.

Every plot is titled, has labelled axes, uses the Okabe & Ito (2008) colour-blind-safe
:data:`PALETTE` (or a colour-blind-safe colour map), and leaves out groups smaller than
``min_group_size`` where it shows people's answers, saying so on the figure. Figures are drawn with
pyplot so that a notebook cell ending in ``plt.show()`` displays them (as PNG; never SVG).

Modules: :mod:`~helpers.plots.likert` (diverging stacked Likert bars), :mod:`~helpers.plots.heatmap`
(alignment heatmap), :mod:`~helpers.plots.radar` (dimension scores per partner); lessons add their
own (``moderation``, ``journey``, ``change``, ``culture``).
"""

from __future__ import annotations

from ..notebook import PALETTE

__all__ = ["PALETTE", "drop_small_rows", "finish", "footnote"]


def finish(ax, title: str, xlabel: str | None = None, ylabel: str | None = None):
    """Give an axes its title and axis labels, and drop the top and right frame lines.

    Every workbook plot calls this so that no figure leaves the house untitled or unlabelled.
    Returns the axes.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> finish(ax, "Votes per option", "Option", "Votes").get_title()
    'Votes per option'
    >>> plt.close(fig)
    """
    ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    for side in ("top", "right"):
        if side in ax.spines:
            ax.spines[side].set_visible(False)
    return ax


def footnote(fig, text: str | None) -> None:
    """Write a small note under a figure (e.g. "Synthetic data" or what was suppressed)."""
    if text:
        fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize="small", color="#555555", wrap=True)


def drop_small_rows(frame, n, min_group_size: int, notes: list, what: str = "row"):
    """Leave out the rows of ``frame`` that :func:`helpers.polls.suppress.suppression` hides: those
    with fewer than ``min_group_size`` respondents, and the complements that would let a reader
    recover them from the total.

    ``n`` maps each row label to its respondent count (or is None: nothing is left out). The
    rows left out are named in a note appended to ``notes``. Returns ``(frame, sizes)``, the kept
    rows and the counts as a float Series indexed like the original frame (None when ``n`` is None).
    Raises :class:`~helpers.errors.WorkbookError` when a row has no count, or when every row is
    left out (saying "Every <what> has fewer than ...").

    >>> import pandas as pd
    >>> notes = []
    >>> frame = pd.DataFrame({"x": [1, 2, 3]}, index=["A", "B", "C"])
    >>> kept, sizes = drop_small_rows(frame, {"A": 3, "B": 9, "C": 12}, 5, notes)
    >>> list(kept.index), notes  # doctest: +NORMALIZE_WHITESPACE
    (['C'], ['Not shown (fewer than 5 respondents): A. Also hidden, so that no small group can be
    recovered by subtraction: B.'])
    """
    import pandas as pd

    from ..errors import WorkbookError

    if n is None:
        return frame, None
    sizes = pd.Series(n, dtype=float).reindex(frame.index)
    if sizes.isna().any():
        raise WorkbookError(f"`n` gives no respondent count for row {sizes.index[sizes.isna()][0]!r}.")
    from ..polls.suppress import suppression

    decision = suppression({row: int(sizes[row]) for row in frame.index}, what, min_group_size=min_group_size)
    frame = frame.drop(index=list(decision.hidden))
    if decision.hidden:
        notes.append(decision.note())
    if frame.empty:
        raise WorkbookError(f"Every {what} has fewer than {min_group_size} respondents; nothing can be shown.")
    return frame, sizes
