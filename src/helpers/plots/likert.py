"""Diverging stacked bars for Likert answers, centred on the neutral answer.

Each bar is one question (or one group's answers to a question): the disagreeing answers stack to
the left of zero, the agreeing ones to the right, and the neutral answer straddles zero, so bars
can be compared by how far they lean (Robbins & Heiberger 2011, "Plotting Likert and other rating
scales"). Shares are percentages of the bar's answers; each bar is labelled with its n, and bars
resting on fewer than ``min_group_size`` answers are left out and listed under the figure.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError, WorkbookError
from ..polls.suppress import suppression, too_few
from . import PALETTE, finish, footnote

_NEGATIVE = (PALETTE[5], PALETTE[1])  # vermillion, orange: strongest first
_POSITIVE = (PALETTE[0], PALETTE[4])  # blue, sky blue
_NEUTRAL = "#BBBBBB"


def _ramp(strong: str, weak: str, size: int) -> list:
    """``size`` colours from ``strong`` to a light tint of ``weak`` (same hue family)."""
    from matplotlib.colors import to_hex, to_rgb

    if size == 1:
        return [strong]
    start = np.array(to_rgb(strong))
    end = 0.55 * np.array(to_rgb(weak)) + 0.45
    return [to_hex(start + (end - start) * t) for t in np.linspace(0, 1, size)]


def likert_colours(labels: Sequence, neutral: str | None) -> dict:
    """Diverging, colour-blind-safe colours (Okabe-Ito vermillion/orange vs blue/sky blue, grey middle)."""
    labels = list(labels)
    middle = labels.index(neutral) if neutral is not None else len(labels) // 2
    left, right = labels[:middle], labels[middle + (neutral is not None) :]
    colours = dict(zip(left, _ramp(*_NEGATIVE, len(left)), strict=True)) if left else {}
    if neutral is not None:
        colours[neutral] = _NEUTRAL
    colours.update(zip(right, reversed(_ramp(*_POSITIVE, len(right))), strict=True))
    return colours


def bar_label(name, n: int, width: int = 40) -> str:
    """A bar's label wrapped to ``width`` characters, ending in "(n = ...)" kept on one line."""
    lines = textwrap.wrap(str(name), width) or [""]
    tail = f"(n = {n})"
    if len(lines[-1]) + len(tail) + 1 <= width + 6:
        lines[-1] = f"{lines[-1]} {tail}"
    else:
        lines.append(tail)
    return "\n".join(lines)


def _luminance(colour: str) -> float:
    """Relative luminance (ITU-R BT.709 weights), to pick white or black text on a colour."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _neutral_of(labels: list, neutral) -> str | None:
    if neutral == "auto":
        return labels[len(labels) // 2] if len(labels) % 2 == 1 else None
    if neutral is not None and neutral not in labels:
        raise ParameterError(f"`neutral` must be one of the labels {labels} (or None); it is {neutral!r}.")
    return neutral


def _counts(data, labels: list, rows: str, answer: str, counts: bool) -> pd.DataFrame:
    if counts:
        table = pd.DataFrame(data)
        unknown = [c for c in table.columns if c not in labels]
        if unknown:
            raise WorkbookError(f"Count column {unknown[0]!r} is not one of the labels {labels}.")
        table = table.reindex(columns=labels, fill_value=0)
        values = table.apply(pd.to_numeric, errors="coerce")
        if values.isna().any().any() or (values < 0).any().any():
            raise WorkbookError("Likert counts must be numbers >= 0 in every cell.")
        return values
    for column in (rows, answer):
        if column not in data.columns:
            raise WorkbookError(f"Column `{column}` is not in the data; columns are {list(data.columns)}.")
    answers = data[[rows, answer]].dropna()
    unknown = sorted(set(answers[answer]) - set(labels), key=str)
    if unknown:
        raise WorkbookError(
            f"Answer {unknown[0]!r} in column `{answer}` is not one of the labels {labels}; "
            "check the spelling against the codebook's scale."
        )
    order = list(pd.unique(answers[rows]))
    table = pd.crosstab(answers[rows], pd.Categorical(answers[answer], categories=labels), dropna=False)
    table.columns = labels
    return table.reindex(order)


def diverging_likert(
    data,
    labels: Sequence[str],
    *,
    rows: str = "question",
    answer: str = "answer",
    counts: bool = False,
    neutral: str | None = "auto",
    row_labels: Mapping | None = None,
    min_group_size: int = 5,
    groups: bool | None = None,
    title: str = "Answers",
    xlabel: str = "Share of answers (%)",
    ylabel: str | None = None,
    show_percent: bool = True,
    note: str | None = None,
):
    """Diverging stacked bar chart of Likert answers, one bar per question or group.

    Parameters
    ----------
    data : tidy answers (one row per answer, e.g. ``PollData.responses`` filtered to Likert
        questions) with columns ``rows`` and ``answer``; or, with ``counts=True``, a table of counts
        (index = bars, columns = labels).
    labels : the answer labels in scale order, most negative first (the codebook's ``labels``).
    rows : the column whose values become bars: ``"question"``, or ``"party"`` / ``"group"`` for one
        question's answers by group. Bars keep their first-appearance (or index) order.
    answer : the column holding the answer labels.
    counts : read ``data`` as a counts table.
    neutral : the label centred on zero; ``"auto"`` takes the middle label of an odd scale and none of
        an even scale; ``None`` for no neutral answer.
    row_labels : display text per bar (e.g. question id -> question text), wrapped to 40 characters.
    min_group_size : bars with fewer answers are not drawn and are listed under the figure.
    groups : whether the bars are groups of the same respondents (parties, roles: one question's
        answers by group), so that a small group's hidden bar could be recovered from the others and
        the total: then the complement is hidden too (:func:`helpers.polls.suppress.suppression`).
        Default: bars are groups unless ``rows`` is ``"question"`` (or, for a counts table, unless
        its index is unnamed or named ``question``).
    title, xlabel, ylabel : the figure's title and axis labels.
    show_percent : write the share inside segments of at least 8%.
    note : a note under the figure, e.g. "Synthetic data."

    Returns
    -------
    matplotlib Figure: one horizontal bar segment per label per bar; y tick labels carry n.

    References
    ----------
    Robbins, N. B., & Heiberger, R. M. (2011). Plotting Likert and other rating scales. Proceedings
    of the 2011 Joint Statistical Meeting, 1058-1066.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> counts = pd.DataFrame({"No": [2, 1], "Unsure": [3, 2], "Yes": [5, 9]}, index=["q1", "q2"])
    >>> fig = diverging_likert(counts, ["No", "Unsure", "Yes"], counts=True, title="Poll")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['q1 (n = 10)', 'q2 (n = 12)']
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    labels = list(labels)
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise ParameterError(f"`labels` must be two or more distinct answer labels in order; got {labels}.")
    neutral = _neutral_of(labels, neutral)
    table = _counts(data, labels, rows, answer, counts)
    n = table.sum(axis=1)
    if groups is None:
        groups = (rows != "question") if not counts else table.index.name not in (None, "question")
    if groups:
        decision = suppression({row: int(n[row]) for row in table.index}, rows, min_group_size=min_group_size)
        small, hidden_note = list(decision.hidden), decision.note().replace("respondents", "answers")
    else:
        small = [row for row in table.index if n[row] == 0 or too_few(n[row], min_group_size)]
        hidden_note = f"Not shown (fewer than {min_group_size} answers): {', '.join(map(str, small))}."
    table, n = table.drop(index=small), n.drop(index=small)
    if table.empty:
        raise WorkbookError(
            f"Every bar rests on fewer than {min_group_size} answers; nothing can be shown without "
            "identifying people. Lower `min_group_size` only for data that is not about people."
        )
    shares = table.div(n, axis=0) * 100
    middle = labels.index(neutral) if neutral is not None else len(labels) // 2
    negative, positive = labels[:middle], labels[middle + (neutral is not None) :]
    half = shares[neutral] / 2 if neutral is not None else pd.Series(0.0, index=shares.index)
    colours = likert_colours(labels, neutral)

    notes = [note] if note else []
    if small:
        notes.append(hidden_note)
    # Layout in inches: bars, then (below the axes) the legend, then the footnote.
    legend_rows = 1 if sum(len(str(label)) for label in labels) + 5 * len(labels) <= 80 else 2
    note_height = 0.3 if notes else 0.05
    bottom = note_height + 0.3 * legend_rows + 0.1
    height = 1.6 + 0.55 * len(table) + bottom
    fig, ax = plt.subplots(figsize=(8.0, height))
    y = np.arange(len(table))[::-1]  # first bar on top
    starts = {}
    left_edge = -(half + shares[negative].sum(axis=1))
    for label in negative:
        starts[label] = left_edge.copy()
        left_edge = left_edge + shares[label]
    if neutral is not None:
        starts[neutral] = -half
    right_edge = half.copy()
    for label in positive:
        starts[label] = right_edge.copy()
        right_edge = right_edge + shares[label]
    for label in labels:
        ax.barh(
            y,
            shares[label].to_numpy(),
            left=starts[label].to_numpy(),
            height=0.6,
            color=colours[label],
            edgecolor="white",
            linewidth=0.5,
            label=str(label),
        )
        if show_percent:
            ink = "white" if _luminance(colours[label]) < 0.5 else "black"
            for yi, start, width in zip(y, starts[label], shares[label], strict=True):
                if width >= 8:
                    ax.text(
                        start + width / 2, yi, f"{width:.0f}%", ha="center", va="center", fontsize="x-small", color=ink
                    )
    ax.axvline(0, color="#333333", linewidth=0.8)
    reach = float(max((half + shares[negative].sum(axis=1)).max(), (half + shares[positive].sum(axis=1)).max()))
    limit = min(100.0, 10 * np.ceil(reach / 10 + 0.05))
    step = 20 if limit > 50 else 10
    ticks = np.r_[-np.arange(step, limit + 1, step)[::-1], np.arange(0, limit + 1, step)]
    ax.set_xlim(-limit, limit)
    ax.set_xticks(ticks, [f"{abs(t):.0f}%" for t in ticks])
    names = {row: (row_labels or {}).get(row, row) for row in table.index}
    ax.set_yticks(y, [bar_label(names[row], int(n[row])) for row in table.index])
    ax.grid(axis="y", visible=False)
    handles = [Patch(facecolor=colours[label], label=str(label)) for label in labels]
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, note_height / height),
        ncol=-(-len(labels) // legend_rows),
        frameon=False,
        fontsize="small",
    )
    finish(ax, title, xlabel, ylabel)
    footnote(fig, " ".join(notes))
    fig.tight_layout(rect=(0, bottom / height, 1, 1))
    return fig
