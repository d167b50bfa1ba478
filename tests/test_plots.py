"""Plots rendered with the Agg backend; assertions on the drawn artists (bars, labels, titles)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from helpers.errors import ParameterError, WorkbookError  # noqa: E402
from helpers.notebook import PALETTE  # noqa: E402
from helpers.plots import finish, footnote  # noqa: E402
from helpers.plots.heatmap import alignment_heatmap  # noqa: E402
from helpers.plots.likert import bar_label, diverging_likert, likert_colours  # noqa: E402
from helpers.plots.radar import radar  # noqa: E402

LABELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _render(fig):
    fig.canvas.draw()  # a real render: layout and text extents must work
    return fig


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _figure_texts(fig):
    return [t.get_text() for t in fig.texts]


def _tidy(counts: dict) -> pd.DataFrame:
    """Tidy answers (respondent, question, answer, party) from {(question, party): [n per label]}."""
    rows, person = [], 0
    for (question, party), numbers in counts.items():
        for label, k in zip(LABELS, numbers, strict=True):
            for _ in range(k):
                rows.append({"respondent": f"R{person:03d}", "question": question, "answer": label, "party": party})
                person += 1
    return pd.DataFrame(rows)


# --- package helpers -----------------------------------------------------------------------------


def test_finish_and_footnote():
    fig, ax = plt.subplots()
    finish(ax, "Title", "x label", "y label")
    footnote(fig, "Synthetic data.")
    footnote(fig, None)
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Title", "x label", "y label")
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert _figure_texts(fig) == ["Synthetic data."]


# --- Likert --------------------------------------------------------------------------------------


def test_likert_from_tidy_answers_geometry():
    data = _tidy({("trust", "Client"): [1, 2, 2, 4, 1], ("clarity", "Client"): [0, 0, 2, 4, 4]})
    fig = _render(diverging_likert(data, LABELS, title="Trust and clarity", row_labels={"trust": "I trust them"}))
    ax = fig.axes[0]
    bars = _bars(ax)
    assert len(bars) == 2 * len(LABELS)  # one segment per label per bar
    assert ax.get_title() == "Trust and clarity"
    assert ax.get_xlabel() == "Share of answers (%)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["I trust them (n = 10)", "clarity (n = 10)"]
    # The neutral segment straddles zero: "trust" has 2/10 neutral -> from -10% to +10%.
    neutral = [b for b in bars if to_hex(b.get_facecolor()) == "#bbbbbb"]
    assert len(neutral) == 2
    trust_neutral = max(neutral, key=lambda b: b.get_y())  # first bar is drawn on top
    assert trust_neutral.get_x() == pytest.approx(-10) and trust_neutral.get_width() == pytest.approx(20)
    # Disagreement stacks leftwards from the neutral half: 10% + 20% before -10%.
    left_edge = min(b.get_x() for b in bars if b.get_y() == trust_neutral.get_y())
    assert left_edge == pytest.approx(-40)
    right_edge = max(b.get_x() + b.get_width() for b in bars if b.get_y() == trust_neutral.get_y())
    assert right_edge == pytest.approx(60)
    # Legend lists the labels in scale order; percentages are written in wide segments.
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == LABELS
    assert "40%" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in ax.get_xticklabels()][0].endswith("%")


def test_likert_by_group_suppresses_small_groups():
    data = _tidy(
        {
            ("trust", "Client"): [1, 2, 2, 4, 1],
            ("trust", "Supplier"): [0, 1, 1, 3, 1],
            ("trust", "Board"): [0, 0, 1, 2, 0],
        }
    )
    fig = _render(diverging_likert(data, LABELS, rows="party", title="Trust by party", note="Synthetic data."))
    ax = fig.axes[0]
    # Board (3) is too small, and Supplier is hidden with it: Client + total would give Board back
    assert len(_bars(ax)) == 1 * len(LABELS)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["Client (n = 10)"]
    assert not any("Board" in t or "Supplier" in t for t in ticks)
    assert _figure_texts(fig) == [
        "Synthetic data. Not shown (fewer than 5 answers): Board. Also hidden, so that no "
        "small group can be recovered by subtraction: Supplier."
    ]
    with pytest.raises(WorkbookError, match="fewer than 20"):
        diverging_likert(data, LABELS, rows="party", min_group_size=20)


def test_likert_from_counts_even_scale_and_colours():
    labels = ["No", "Rather no", "Rather yes", "Yes"]
    counts = pd.DataFrame([[1, 2, 3, 4], [4, 3, 2, 1]], index=["q1", "q2"], columns=labels)
    fig = _render(diverging_likert(counts, labels, counts=True, title="Even scale", show_percent=False))
    ax = fig.axes[0]
    bars = _bars(ax)
    assert len(bars) == 8 and not ax.texts
    # No neutral: disagreement ends exactly at zero.
    q1 = [b for b in bars if b.get_y() == max(b.get_y() for b in bars)]
    assert sorted(round(b.get_x(), 6) for b in q1)[:3] == [-30.0, -20.0, 0.0]
    colours = likert_colours(labels, None)
    assert colours["No"] == PALETTE[5].lower() or to_hex(colours["No"]) == PALETTE[5].lower()
    assert to_hex(colours["Yes"]) == PALETTE[0].lower()
    assert len(set(colours.values())) == 4


def test_likert_input_errors():
    data = _tidy({("trust", "Client"): [1, 2, 2, 4, 1]})
    with pytest.raises(WorkbookError, match="not one of the labels"):
        diverging_likert(data.replace({"answer": {"Agree": "agree"}}), LABELS)
    with pytest.raises(ParameterError, match="neutral"):
        diverging_likert(data, LABELS, neutral="Unsure")
    with pytest.raises(WorkbookError, match="not in the data"):
        diverging_likert(data, LABELS, rows="group")
    with pytest.raises(WorkbookError, match="not one of the labels"):
        diverging_likert(pd.DataFrame({"Maybe": [5]}), LABELS, counts=True)


def test_bar_label_keeps_n_together():
    assert bar_label("Short", 12) == "Short (n = 12)"
    wrapped = bar_label("We have a reliable way to find out what matters to our partner organisation.", 290)
    assert wrapped.splitlines()[-1].endswith("(n = 290)") and "(n\n" not in wrapped


# --- heatmap -------------------------------------------------------------------------------------

THINGS = pd.DataFrame(
    {"Safety": [1.5, 2.0, 3.0], "Cost": [3.0, 1.0, 1.0], "Quality": [np.nan, 3.0, 2.0]},
    index=["Client", "Supplier", "Board"],
)


def test_heatmap_annotations_and_labels():
    fig = _render(alignment_heatmap(THINGS, title="Mean rank", colorbar_label="Mean rank", reverse=True))
    ax = fig.axes[0]
    assert ax.get_title() == "Mean rank"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Things That Matter", "Party")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Safety", "Cost", "Quality"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Client", "Supplier", "Board"]
    assert [t.get_text() for t in ax.texts] == ["1.5", "3.0", "–", "2.0", "1.0", "3.0", "3.0", "1.0", "2.0"]
    assert len(ax.images) == 1 and ax.images[0].get_cmap().name == "cividis_r"
    assert fig.axes[1].get_ylabel() == "Mean rank"  # colour bar


def test_heatmap_suppression_and_centre():
    fig = _render(
        alignment_heatmap(THINGS, title="t", n={"Client": 12, "Supplier": 9, "Board": 3}, note="Synthetic data.")
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Client (n = 12)"]
    assert len(ax.texts) == 3
    assert _figure_texts(fig) == [
        "Synthetic data. Not shown (fewer than 5 respondents): Board. Also hidden, so that "
        "no small group can be recovered by subtraction: Supplier."
    ]
    gap = _render(alignment_heatmap(THINGS - 2, title="Gap", center=0, fmt="{:+.1f}"))
    image = gap.axes[0].images[0]
    assert image.get_clim() == (-1.0, 1.0)  # symmetric around the centre
    assert "+1.0" in [t.get_text() for t in gap.axes[0].texts]


def test_heatmap_errors():
    with pytest.raises(WorkbookError, match="no respondent count"):
        alignment_heatmap(THINGS, n={"Client": 9})
    with pytest.raises(WorkbookError, match="numbers"):
        alignment_heatmap(THINGS.astype(object).assign(Cost="high"))
    with pytest.raises(WorkbookError, match="missing"):
        alignment_heatmap(THINGS * np.nan)


# --- radar ---------------------------------------------------------------------------------------

PROFILE = pd.DataFrame(
    {"Goals": [4.0, 3.0, 2.0], "Communication": [3.5, 2.0, 4.0], "Roles": [2.5, 4.5, 3.0], "KPIs": [3.0, 3.0, np.nan]},
    index=["Client", "Supplier", "Board"],
)


def test_radar_outlines_and_axes():
    fig = _render(radar(PROFILE, title="Health check", scale=(1, 5)))
    ax = fig.axes[0]
    assert ax.name == "polar"
    assert ax.get_title() == "Health check" and ax.get_ylabel() == "Mean score"
    lines = [line for line in ax.get_lines() if isinstance(line, Line2D)]
    assert [line.get_label() for line in lines] == ["Client", "Supplier", "Board"]
    assert [to_hex(line.get_color()) for line in lines] == [c.lower() for c in PALETTE[:3]]
    assert len({line.get_linestyle() for line in lines}) == 3  # distinguishable without colour
    # Each outline is closed: 4 dimensions + the first again.
    assert all(len(line.get_xdata()) == 5 for line in lines)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Goals", "Communication", "Roles", "KPIs"]
    assert ax.get_ylim() == (1.0, 5.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Client", "Supplier", "Board"]


def test_radar_suppression_and_errors():
    fig = _render(radar(PROFILE, title="t", n={"Client": 8, "Supplier": 6, "Board": 2}, note="Synthetic data."))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["Client (n = 8)"]
    assert _figure_texts(fig) == [
        "Synthetic data. Not shown (fewer than 5 respondents): Board. Also hidden, so that "
        "no small group can be recovered by subtraction: Supplier."
    ]
    with pytest.raises(WorkbookError, match="at least three"):
        radar(PROFILE[["Goals", "Roles"]])
    with pytest.raises(WorkbookError, match="outside the scale"):
        radar(PROFILE, scale=(1, 4))


def test_waves_draw_each_person_and_the_median_and_suppress_a_small_panel():
    from matplotlib.collections import LineCollection

    from helpers.plots.change import plot_waves

    # q1: six people, pre and post (person 5 has no post: their line stops); q2: two people only
    rows = [(p, "q1", w, 1 + (p + i) % 5) for p in range(6) for i, w in enumerate(("pre", "post"))]
    rows = [r for r in rows if r[:3] != (5, "q1", "post")] + [
        (p, "q2", w, 3) for p in range(2) for w in ("pre", "post")
    ]
    responses = pd.DataFrame(rows, columns=["respondent", "question", "wave", "value"])
    fig = plot_waves(responses, ["q1", "q2"], ["pre", "post"], min_group_size=5, columns=2)
    first, second = fig.axes[:2]
    (people,) = [c for c in first.collections if isinstance(c, LineCollection)]
    segments = people.get_segments()
    assert [len(s) for s in segments] == [2, 2, 2, 2, 2, 1]  # person 5's line is their pre point only
    assert segments[0][:, 1].tolist() == [1, 2]  # person 0: pre 1, post 2
    points, median = first.get_lines()
    assert points.get_marker() == "." and np.count_nonzero(~np.isnan(points.get_ydata())) == 11
    assert median.get_label() == "median" and median.get_ydata().tolist() == [2.5, 3.0]
    assert [t.get_text() for t in second.texts] == ["suppressed:\nfewer than 5"] and not second.collections
    plt.close(fig)
