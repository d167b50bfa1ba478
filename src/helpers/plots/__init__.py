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

__all__ = ["PALETTE", "finish", "footnote"]


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
        fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize="small", color="#555555",
                 wrap=True)
