"""Alignment heatmap: how each party scores (or ranks) each Thing That Matters, cell by cell.

Rows are parties (or groups), columns the things or dimensions, every cell annotated with its
value, so the picture and the numbers can be read together. Colours come from ``cividis``, a map
designed to read the same with colour-vision deficiency (Nuñez, Anderton & Renslow 2018), or, for
values around a centre (gaps, differences), ColorBrewer's colour-blind-safe ``PuOr``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import WorkbookError
from . import drop_small_rows, finish, footnote
from .likert import _luminance


def alignment_heatmap(
    matrix: pd.DataFrame,
    *,
    title: str = "Alignment between partners",
    xlabel: str = "Things That Matter",
    ylabel: str = "Party",
    colorbar_label: str = "Value",
    n: Mapping | pd.Series | None = None,
    min_group_size: int = 5,
    fmt: str = "{:.1f}",
    center: float | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    reverse: bool = False,
    column_labels: Mapping | None = None,
    note: str | None = None,
):
    """Annotated heatmap of a parties x things table (e.g. mean rank or mean score per party).

    Parameters
    ----------
    matrix : DataFrame, rows = parties or groups, columns = things / dimensions, numeric values.
        NaN cells (e.g. suppressed by :func:`helpers.lessons.health_check.instrument.profile`) show as a dash.
    title, xlabel, ylabel, colorbar_label : texts of the figure.
    n : respondents per row (label -> n). When given, rows show "(n = ...)" and rows with fewer
        than ``min_group_size`` respondents are left out and listed under the figure.
    min_group_size : the privacy threshold for ``n``.
    fmt : format of the cell annotations.
    center : a value to centre a diverging colour map on (e.g. 0 for gaps); default sequential.
    vmin, vmax : colour limits (default: the data's range, symmetric around ``center``).
    reverse : reverse the colours (e.g. for mean ranks, where 1 = matters most).
    column_labels : display text per column (wrapped to 14 characters).
    note : a note under the figure, e.g. "Synthetic data."

    Returns
    -------
    matplotlib Figure with one image, one text per cell and a colour bar.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({"Cost": [1.5, 3.0], "Safety": [2.0, 1.0]}, index=["Client", "Supplier"])
    >>> fig = alignment_heatmap(table, title="Mean rank", colorbar_label="Mean rank")
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['1.5', '2.0', '3.0', '1.0']
    """
    import matplotlib.pyplot as plt

    frame = pd.DataFrame(matrix)
    if frame.empty:
        raise WorkbookError("The table to draw is empty.")
    try:
        frame = frame.astype(float)
    except (ValueError, TypeError):
        raise WorkbookError("A heatmap needs numbers in every cell (NaN for missing).") from None
    notes = [note] if note else []
    frame, sizes = drop_small_rows(frame, n, min_group_size, notes)
    values = frame.to_numpy()
    if np.isnan(values).all():
        raise WorkbookError("Every cell of the table is missing; nothing to draw.")
    if center is None:
        cmap = plt.get_cmap("cividis_r" if reverse else "cividis")
        low = np.nanmin(values) if vmin is None else vmin
        high = np.nanmax(values) if vmax is None else vmax
    else:
        cmap = plt.get_cmap("PuOr" if reverse else "PuOr_r")
        spread = np.nanmax(np.abs(values - center)) or 1.0
        low = center - spread if vmin is None else vmin
        high = center + spread if vmax is None else vmax
    cmap = cmap.with_extremes(bad="#EEEEEE")

    width = min(12.0, 2.5 + 1.1 * frame.shape[1])
    fig, ax = plt.subplots(figsize=(width, max(2.8, 1.9 + 0.55 * frame.shape[0]) + (0.3 if notes else 0)))
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=low, vmax=high, aspect="auto")
    for (i, j), value in np.ndenumerate(values):
        if np.isnan(value):
            ax.text(j, i, "–", ha="center", va="center", color="#555555")
            continue
        shade = image.cmap(image.norm(value))
        ax.text(
            j,
            i,
            fmt.format(value),
            ha="center",
            va="center",
            fontsize="small",
            color="white" if _luminance(shade[:3]) < 0.5 else "black",
        )
    names = {c: (column_labels or {}).get(c, c) for c in frame.columns}
    ax.set_xticks(
        range(frame.shape[1]), [textwrap.fill(str(names[c]), 14) for c in frame.columns], rotation=0, fontsize="small"
    )
    rows = [f"{row} (n = {int(sizes[row])})" if n is not None else str(row) for row in frame.index]
    ax.set_yticks(range(frame.shape[0]), rows)
    ax.grid(False)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.9)
    colorbar.set_label(colorbar_label)
    finish(ax, title, xlabel, ylabel)
    footnote(fig, " ".join(notes))
    fig.tight_layout(rect=(0, 0.06 if notes else 0, 1, 1))
    return fig
