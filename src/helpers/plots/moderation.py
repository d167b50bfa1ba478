"""The simple-slopes plot of a moderation model: one line of x per level of the moderator."""

from __future__ import annotations

from collections.abc import Mapping


def simple_slopes(result, *, labels: Mapping[str, str] | None = None, title: str | None = None, ax=None):
    """Draw predicted y against x at the moderator's -1 SD, mean and +1 SD, with CI bands.

    Parameters
    ----------
    result : a :func:`helpers.stats.moderation.moderation` result (its ``details["lines"]``).
    labels : readable names for the variables, ``{column: label}`` (default: the column names).
    title : the plot title (default: "<y> by <x> at three levels of <m>").
    ax : a matplotlib Axes to draw on (default: a new figure).

    Returns
    -------
    matplotlib Figure. Lines use the workbook's colour-blind-safe palette; the legend gives each
    moderator level's value, and each line's slope.
    """
    import matplotlib.pyplot as plt

    from ..notebook import PALETTE

    names = result.details["names"]
    label = {k: (labels or {}).get(v, v.replace("_", " ")) for k, v in names.items()}
    lines = result.details["lines"]
    slopes = result.details["simple_slopes"].set_index("level")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.0, 4.2))
    else:
        fig = ax.figure
    for colour, (level, line) in zip(PALETTE, lines.groupby("level", sort=False), strict=False):
        s = slopes.loc[level]
        ax.plot(
            line[names["x"]],
            line["predicted"],
            color=colour,
            linewidth=2,
            label=f"{label['m']} {level} ({s[names['m']]:.2f}): slope {s['slope']:.2f}",
        )
        ax.fill_between(line[names["x"]], line["ci_low"], line["ci_high"], color=colour, alpha=0.15, linewidth=0)
    ax.set_xlabel(label["x"])
    ax.set_ylabel(f"predicted {label['y']}")
    ax.set_title(title or f"{label['y'].capitalize()} by {label['x']} at three levels of {label['m']}")
    ax.legend(loc="upper left", fontsize="small", frameon=True)
    fig.tight_layout()
    return fig
