"""Plots of paired change: each person's path across waves, shifts with their intervals, power curves.

Each function returns a matplotlib Figure (the notebook cell ends with ``plt.show()``) and uses the
workbook's colour-blind-safe :data:`helpers.notebook.PALETTE`. Panels resting on fewer than
``min_group_size`` people are left empty with a note, never drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def plot_waves(
    responses,
    questions: Sequence[str],
    waves: Sequence[str],
    *,
    min_group_size: int = 5,
    labels: dict[str, str] | None = None,
    title: str | None = None,
    columns: int = 4,
):
    """Small multiples, one per question: each respondent's line across ``waves`` and the median.

    Parameters
    ----------
    responses : DataFrame with ``respondent``, ``question``, ``wave`` and the scored ``value``.
    questions, waves : what to draw, in order.
    min_group_size : a panel with fewer respondents than this is suppressed.
    labels : optional short labels per question for the panel titles.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    from ..notebook import PALETTE
    from ..polls.suppress import too_few

    rows = int(np.ceil(len(questions) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(2.6 * columns, 2.4 * rows), sharey=True, squeeze=False)
    x = np.arange(len(waves))
    low, high = responses["value"].min(), responses["value"].max()
    for ax, question in zip(axes.flat, questions, strict=False):
        part = responses[(responses["question"] == question) & responses["wave"].isin(waves)]
        wide = part.pivot_table(index="respondent", columns="wave", values="value", observed=True)
        wide = wide.reindex(columns=list(waves))
        ax.set_title((labels or {}).get(question, question), fontsize=10)
        ax.set_xticks(x, list(waves), fontsize=8)
        if wide.empty or too_few(len(wide), min_group_size):
            ax.text(
                0.5,
                0.5,
                f"suppressed:\nfewer than {min_group_size}",
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=9,
            )
            continue
        # everyone's lines as one collection and their points as one line of markers, not an artist per
        # person (40 people in 8 panels: 0.52 s -> 0.39 s to make and draw)
        xs = x[None, :] + np.linspace(-0.08, 0.08, len(wide))[:, None]
        values = wide.to_numpy(float)
        ax.add_collection(LineCollection(np.stack([xs, values], axis=-1), colors="#999999", linewidths=0.8, alpha=0.7))
        ax.plot(xs.ravel(), values.ravel(), linestyle="none", marker=".", color="#999999", alpha=0.7)
        ax.plot(x, wide.median().to_numpy(), color=PALETTE[0], linewidth=2.5, marker="o", label="median")
        ax.set_ylim(low - 0.5, high + 0.5)
    for ax in list(axes.flat)[len(questions) :]:
        ax.set_visible(False)
    axes[0, 0].legend(frameon=False, fontsize=8, loc="lower right")
    fig.suptitle(title or "Each person's ratings across the waves (grey) and the median (blue)")
    fig.tight_layout()
    return fig


def plot_shifts(table, *, by: str = "comparison", labels: dict[str, str] | None = None, title: str | None = None):
    """Hodges-Lehmann shifts with their exact intervals, one marker per question and comparison.

    Parameters
    ----------
    table : a :func:`helpers.stats.change.change_by_question` table, or several stacked with a
        column ``by`` naming each comparison (e.g. ``"pre -> post"``). Suppressed rows (no
        estimate) are left out.
    """
    import matplotlib.pyplot as plt

    from ..notebook import PALETTE

    groups = list(dict.fromkeys(table[by])) if by in table.columns else [None]
    questions = list(dict.fromkeys(table["question"]))
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(questions) + 1.6))
    y = np.arange(len(questions))
    step = 0.25 if len(groups) > 1 else 0.0
    for i, name in enumerate(groups):
        part = table if name is None else table[table[by] == name]
        shown = part.dropna(subset=["hl_shift"]).set_index("question").reindex(questions)
        offset = (i - (len(groups) - 1) / 2) * step
        ax.errorbar(
            shown["hl_shift"],
            y + offset,
            xerr=[shown["hl_shift"] - shown["hl_low"], shown["hl_high"] - shown["hl_shift"]],
            fmt="o",
            color=PALETTE[i % len(PALETTE)],
            capsize=3,
            label=name,
        )
    ax.axvline(0, color="#555555", linewidth=1)
    ax.set_yticks(y, [(labels or {}).get(q, q) for q in questions])
    ax.invert_yaxis()
    ax.set_xlabel("shift in rating points (Hodges-Lehmann, exact CI)")
    if groups != [None]:
        ax.legend(
            frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14 - 0.6 / len(questions)), ncol=len(groups)
        )
    ax.set_title(title or "How far did ratings move?")
    fig.tight_layout()
    return fig


def plot_power(curve, *, mark_n: int | None = None, target: float = 0.8, title: str | None = None):
    """Power against n, one line per effect size (a :func:`helpers.stats.change.power_curve` table)."""
    import matplotlib.pyplot as plt

    from ..notebook import PALETTE

    fig, ax = plt.subplots(figsize=(7, 3.8))
    for i, (effect, part) in enumerate(curve.groupby("effect_size")):
        ax.plot(part["n"], part["power"], color=PALETTE[i % len(PALETTE)], linewidth=2, label=f"d = {effect:g}")
    ax.axhline(target, color="#555555", linestyle="--", linewidth=1)
    if mark_n is not None:
        ax.axvline(mark_n, color=PALETTE[5], linestyle=":", linewidth=1.5)
        ax.text(mark_n, 0.02, f" n = {mark_n}", color=PALETTE[5], fontsize=9)
    ax.set(xlabel="n (pairs, or people per group)", ylabel="power", ylim=(0, 1))
    ax.legend(frameon=False, title="effect size")
    ax.set_title(title or "Power of a paired t-test by sample size")
    fig.tight_layout()
    return fig
