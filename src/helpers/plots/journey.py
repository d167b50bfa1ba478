"""Plots for the value-creation journey: timelines, Kaplan-Meier curves, reasons balances.

Each function returns a matplotlib Figure (the notebook cell ends with ``plt.show()``), titled and
labelled, in the workbook's colour-blind-safe :data:`helpers.notebook.PALETTE` (Okabe & Ito).
Stages are told apart by colour *and* by their order along each row, so the timeline still reads in
greyscale.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Which PALETTE colour each of (up to) eight ordered states gets: sky blue, blue, orange, yellow,
#: pink, green, vermillion, black (the last for the way out, e.g. "exited").
_ORDER = (4, 0, 1, 6, 3, 2, 5, 7)


def stage_colours(states: Sequence[str]) -> dict:
    """A colour per state, in order; the last state (the exit) is black when there are eight."""
    from ..notebook import PALETTE

    states = list(states)
    if len(states) > len(_ORDER):
        raise ValueError(f"at most {len(_ORDER)} states can be told apart by colour; got {len(states)}")
    order = list(_ORDER[: len(states) - 1]) + [_ORDER[-1]] if len(states) > 1 else [_ORDER[0]]
    return {state: PALETTE[i] for state, i in zip(states, order, strict=True)}


def plot_timeline(
    panel: pd.DataFrame,
    states: Sequence[str],
    *,
    unit: str = "initiative",
    time: str = "month",
    state: str = "stage",
    exit_state: str | None = "exited",
    title: str | None = None,
    max_units: int | None = None,
):
    """Each unit's stage month by month: one row per initiative, one coloured bar per stage spell.

    Rows are sorted by the furthest stage reached, then by time observed, so the journeys that got
    furthest sit at the top. A unit that exits gets a black cross in its exit month.

    Parameters
    ----------
    panel : long panel (unit, time, state), times consecutive within a unit.
    states : the states in journey order (the last one the exit, if there is one).
    exit_state : the state drawn as a cross instead of a bar (None: none).
    max_units : draw only the first ``max_units`` rows after sorting (None: all).
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    colours = stage_colours(states)
    rank = {s: i for i, s in enumerate(states) if s != exit_state}
    furthest = panel[panel[state] != exit_state].groupby(unit)[state].agg(lambda s: max(rank[x] for x in s))
    length = panel.groupby(unit)[time].max()
    order = pd.DataFrame({"furthest": furthest, "length": length}).fillna(-1)
    order = order.sort_values(["furthest", "length"], ascending=[False, False], kind="stable").index.tolist()
    if max_units is not None:
        order = order[:max_units]
    fig, ax = plt.subplots(figsize=(8, min(11.0, 1.8 + 0.075 * len(order))))
    row = {name: y for y, name in enumerate(order)}
    shown = panel[panel[unit].isin(row)].sort_values([unit, time], kind="stable")
    # one spell = consecutive months of one unit in one state
    new_spell = (shown[state] != shown[state].shift()) | (shown[unit] != shown[unit].shift())
    spells = (
        shown.assign(_spell=new_spell.cumsum())
        .groupby("_spell")
        .agg(name=(unit, "first"), stage=(state, "first"), start=(time, "min"), months=(time, "size"))
    )
    spells["y"] = spells["name"].map(row)
    for stage in states:
        part = spells[spells["stage"] == stage]
        if stage == exit_state or part.empty:
            continue
        # one collection of bars per stage, not one artist per spell (477 spells in lesson 03: 2.5x faster)
        left, right = (part["start"] - 1).to_numpy(float), (part["start"] - 1 + part["months"]).to_numpy(float)
        low, high = part["y"].to_numpy(float) - 0.4, part["y"].to_numpy(float) + 0.4
        bars = np.stack(
            [np.column_stack(corner) for corner in ((left, low), (left, high), (right, high), (right, low))], 1
        )
        ax.add_collection(PolyCollection(bars, facecolors=colours[stage], linewidths=0, label="_nolegend_"))
    exits = spells[spells["stage"] == exit_state]
    exits_x, exits_y = (exits["start"] - 0.5).tolist(), exits["y"].tolist()
    if exits_x:
        ax.plot(
            exits_x, exits_y, linestyle="none", marker="x", markersize=4, color=colours[exit_state], label=exit_state
        )
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_yticks([])
    ax.set_ylabel(f"{unit}s ({len(order)}), furthest-reaching at the top")
    ax.set_xlabel(f"{time}s since the {unit} began")
    ax.set_xlim(0, panel[time].max() + 1)
    handles = [Patch(facecolor=colours[s], label=s) for s in states if s != exit_state]
    if exit_state is not None:
        handles.append(Line2D([], [], linestyle="none", marker="x", color=colours[exit_state], label=exit_state))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.grid(axis="y", visible=False)
    ax.set_title(title or f"Each {unit}'s journey, {time} by {time}")
    fig.tight_layout()
    return fig


def plot_km(
    km,
    *,
    title: str | None = None,
    xlabel: str = "months",
    ylabel: str = "share still waiting",
    legend_title: str | None = None,
):
    """Kaplan-Meier curves (steps) with their pointwise intervals (bands) and censoring ticks.

    Parameters
    ----------
    km : :class:`helpers.stats.survival.KaplanMeier`.
    ylabel : what S(t) means here, e.g. "share not yet cohered".
    """
    import matplotlib.pyplot as plt

    from ..notebook import PALETTE

    fig, ax = plt.subplots(figsize=(7, 4))
    table = km.survival
    for i, (group, rows) in enumerate(table.groupby("group", sort=True)):
        colour = PALETTE[i % len(PALETTE)]
        times = np.concatenate([[0.0], rows["time"].to_numpy(float)])
        surv = np.concatenate([[1.0], rows["survival"].to_numpy(float)])
        low = np.concatenate([[1.0], rows["ci_low"].to_numpy(float)])
        high = np.concatenate([[1.0], rows["ci_high"].to_numpy(float)])
        result = km.medians[group]
        label = (
            f"{group} (n = {result.n}, events = {result.details['events']})"
            if group != "all"
            else f"all (n = {result.n}, events = {result.details['events']})"
        )
        ax.step(times, surv, where="post", color=colour, linewidth=2, label=label)
        ax.fill_between(times, low, high, step="post", color=colour, alpha=0.15, linewidth=0)
        censored = rows[rows["censored"] > 0]
        ax.plot(censored["time"], censored["survival"], linestyle="none", marker="|", markersize=9, color=colour)
    ax.axhline(0.5, color="#777777", linewidth=0.8, linestyle=":")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(title=legend_title, frameon=False, fontsize=9)
    ax.set_title(title or "Kaplan-Meier curves with 95% intervals (ticks: censored)")
    fig.tight_layout()
    return fig


def plot_balance(
    balances: pd.DataFrame,
    units: Sequence[str],
    *,
    threshold: float = 0,
    k: int = 3,
    decisions: pd.DataFrame | None = None,
    unit: str = "initiative",
    review: str = "review",
    title: str | None = None,
):
    """The reasons balance of a few units over their reviews, the exit threshold, and exit signals.

    Parameters
    ----------
    balances : from :func:`helpers.lessons.value_journey.journey.reason_balance`.
    units : which units to draw (a handful reads best).
    decisions : from :func:`helpers.lessons.value_journey.journey.exit_rule`; where a unit's exit signal fired, a
        diamond marks it.
    """
    import matplotlib.pyplot as plt

    from ..notebook import PALETTE

    fig, ax = plt.subplots(figsize=(8, 4))
    fired = decisions.set_index(unit)["exit_review"] if decisions is not None else pd.Series(dtype="Int64")
    for i, name in enumerate(units):
        rows = balances[balances[unit] == name]
        colour = PALETTE[i % (len(PALETTE) - 1)]
        ax.step(
            rows[review],
            rows["balance"],
            where="post",
            color=colour,
            linewidth=2,
            marker="o",
            markersize=3,
            label=str(name),
        )
        at = fired.get(name, pd.NA)
        if not pd.isna(at):
            y = rows.loc[rows[review] == at, "balance"].iloc[0]
            ax.plot([at], [y], marker="D", markersize=8, color=colour, markeredgecolor="black", linestyle="none")
    ax.axhline(
        threshold,
        color=PALETTE[7],
        linewidth=1,
        linestyle="--",
        label=f"threshold {threshold:g}\n(exit after {k} reviews below)",
    )
    ax.set_xlabel(f"{review} (month)")
    ax.set_ylabel("balance: believe minus disbelieve (weights)")
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title or "Reasons to believe minus reasons to disbelieve (diamond: exit signal)")
    fig.tight_layout()
    return fig
