"""Two partner organisations' culture profiles side by side, friction points marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def friction_profile(
    profile_a: Mapping[str, float],
    profile_b: Mapping[str, float],
    *,
    names: Sequence[str] = ("A", "B"),
    threshold: float = 1.0,
    scale: tuple[float, float] = (1, 7),
    title: str | None = None,
    ax=None,
):
    """A dumbbell chart: one row per dimension, a dot per organisation, the gap drawn between them.

    Gaps larger than ``threshold`` (the friction points, as :func:`helpers.stats.culture.friction_points`
    defines them) are drawn thick in vermilion and labelled "friction"; the others thin and grey.

    Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    from ..notebook import PALETTE

    profile_a, profile_b = dict(profile_a), dict(profile_b)  # a pandas Series iterates over values
    dims = list(profile_a)
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.0, 1.4 + 0.8 * len(dims)))
    else:
        fig = ax.figure
    for row, dim in enumerate(reversed(dims)):
        a, b = float(profile_a[dim]), float(profile_b[dim])
        friction = abs(a - b) > threshold
        ax.plot(
            [a, b], [row, row], color=PALETTE[5] if friction else "#999999", linewidth=4 if friction else 1.5, zorder=1
        )
        if friction:
            ax.annotate(
                f"friction: gap {abs(a - b):.1f}",
                ((a + b) / 2, row),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                fontsize="small",
                color=PALETTE[5],
            )
    ys = list(range(len(dims)))
    ax.scatter([profile_a[d] for d in reversed(dims)], ys, s=90, color=PALETTE[0], label=names[0], zorder=2)
    ax.scatter([profile_b[d] for d in reversed(dims)], ys, s=90, color=PALETTE[1], marker="s", label=names[1], zorder=2)
    ax.set_yticks(ys, [d.replace("_", " ") for d in reversed(dims)])
    ax.set_xlim(scale[0] - 0.3, scale[1] + 0.3)
    ax.set_ylim(-1.4, len(dims) - 0.3)  # room for the legend under the lowest row
    ax.set_xlabel(f"mean rating ({scale[0]:g} = not at all, {scale[1]:g} = completely)")
    ax.set_title(title or f"Culture profiles (friction: a gap over {threshold:g})")
    ax.legend(loc="lower center", fontsize="small", ncols=2, frameon=False)
    fig.tight_layout()
    return fig
