"""Radar (spider) plot of dimension scores, one outline per partner.

A radar shows a profile at a glance: where partners' outlines part, their views of the relationship
differ. It is a picture for discussion, not a measurement (areas depend on the order of the axes),
so the lesson tables carry the numbers with their intervals. Each partner gets an Okabe-Ito colour
*and* its own line style and marker, so outlines stay apart in grey print and for colour-blind readers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import WorkbookError
from . import PALETTE, drop_small_rows, finish, footnote

_STYLES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "^", "D", "v", "P")


def radar(
    matrix: pd.DataFrame,
    *,
    title: str = "Partnership profile",
    scale: tuple[float, float] = (1, 5),
    scale_label: str = "Mean score",
    n: Mapping | pd.Series | None = None,
    min_group_size: int = 5,
    dimension_labels: Mapping | None = None,
    fill: bool = True,
    note: str | None = None,
):
    """Radar plot of a partners x dimensions table of scores.

    Parameters
    ----------
    matrix : DataFrame, rows = partners (or groups), columns = dimensions (at least three), scores.
        A NaN score (e.g. suppressed) leaves a gap in that partner's outline.
    title : the figure's title.
    scale : the scores' possible range (lowest, highest): the radial axis limits.
    scale_label : what the radial axis measures.
    n : respondents per partner (label -> n). When given, the legend shows "(n = ...)" and partners
        with fewer than ``min_group_size`` respondents are left out and listed under the figure.
    min_group_size : the privacy threshold for ``n``.
    dimension_labels : display text per dimension (wrapped to 16 characters).
    fill : shade each outline lightly.
    note : a note under the figure, e.g. "Synthetic data."

    Returns
    -------
    matplotlib Figure with one polar axes: one outline (Line2D) per partner, dimension names as the
    angular tick labels.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({"Goals": [4.0, 3.0], "Communication": [3.5, 2.0], "Roles": [2.5, 4.5]},
    ...                      index=["Client", "Supplier"])
    >>> fig = radar(table, title="Health check")
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['Client', 'Supplier']
    """
    import matplotlib.pyplot as plt

    frame = pd.DataFrame(matrix)
    if frame.shape[1] < 3:
        raise WorkbookError(f"A radar plot needs at least three dimensions (columns); got {frame.shape[1]}.")
    if frame.shape[0] < 1:
        raise WorkbookError("The table to draw has no rows.")
    try:
        frame = frame.astype(float)
    except (ValueError, TypeError):
        raise WorkbookError("A radar plot needs numeric scores (NaN for missing).") from None
    low, high = scale
    outside = frame[(frame < low) | (frame > high)].stack().dropna()
    if len(outside):
        (row, column), value = next(iter(outside.items()))
        raise WorkbookError(f"Score {value:g} of {row!r} on {column!r} lies outside the scale {low:g}-{high:g}.")
    notes = [note] if note else []
    frame, sizes = drop_small_rows(frame, n, min_group_size, notes, what="partner")

    angles = np.linspace(0, 2 * np.pi, frame.shape[1], endpoint=False)
    closed = np.r_[angles, angles[:1]]
    fig, ax = plt.subplots(figsize=(6.5, 6.0 + (0.3 if notes else 0)), subplot_kw={"projection": "polar"})
    ax.set_theta_offset(np.pi / 2)  # first dimension at the top, then clockwise
    ax.set_theta_direction(-1)
    for i, (row, scores) in enumerate(frame.iterrows()):
        values = np.r_[scores.to_numpy(), scores.to_numpy()[:1]]
        colour = PALETTE[i % len(PALETTE)]
        label = f"{row} (n = {int(sizes[row])})" if n is not None else str(row)
        ax.plot(
            closed,
            values,
            color=colour,
            linestyle=_STYLES[i % len(_STYLES)],
            marker=_MARKERS[i % len(_MARKERS)],
            linewidth=2,
            label=label,
        )
        if fill:
            ax.fill(closed, np.nan_to_num(values, nan=low), color=colour, alpha=0.08)
    names = {c: (dimension_labels or {}).get(c, c) for c in frame.columns}
    ax.set_xticks(angles, [textwrap.fill(str(names[c]), 16) for c in frame.columns])
    ax.set_ylim(low, high)
    ax.set_yticks(np.arange(np.ceil(low), np.floor(high) + 1))
    ax.set_rlabel_position(0)
    ax.tick_params(axis="y", labelsize="small", labelcolor="#555555")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.05), frameon=False, fontsize="small")
    finish(ax, title, None, scale_label)
    ax.yaxis.set_label_coords(-0.12, 0.5)
    ax.set_title(title, pad=24)
    footnote(fig, " ".join(notes))
    fig.tight_layout(rect=(0, 0.05 if notes else 0, 1, 1))
    return fig
