"""Lesson 02, Roffey Park alliances: the analysis facade the notebook calls.

Steps on any survey in the lesson's layout (the bundled one comes from the seeded generator
:mod:`helpers.cases.roffey_park`, whose constants are re-exported here): respondents' scale scores,
reliability of each scale (Cronbach's alpha, item analysis), the staff levels that can be compared,
and the culture-friction simulator widget.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..cases.roffey_park import (
    ALLIANCES,
    CONSTRUCT_LABELS,
    CULTURE,
    CULTURE_ITEMS,
    CULTURE_LABELS,
    FOLDER,
    ITEMS,
    LEVELS,
    LIKERT,
    SURVEY,
)
from ..errors import InputError

__all__ = [
    "ALLIANCES",
    "CONSTRUCT_LABELS",
    "CULTURE",
    "CULTURE_ITEMS",
    "CULTURE_LABELS",
    "FOLDER",
    "ITEMS",
    "LEVELS",
    "LIKERT",
    "SURVEY",
    "friction_sliders",
    "item_table",
    "level_groups",
    "levels_present",
    "reliability_table",
    "respondent_scores",
]


def respondent_scores(
    data,
    constructs: Sequence[str],
    culture: Sequence[str] = (),
    *,
    partnership: str | None = "alliance",
    min_items: float = 0.5,
) -> pd.DataFrame:
    """One row per respondent: attributes, a scale score per construct and the culture ratings.

    Parameters
    ----------
    data : a :class:`~helpers.polls.PollData` (bundled survey or a trainer's own, same layout).
    constructs : construct names from the codebook; each score is the mean of the respondent's items
        (reverse-keyed items already recoded by the loader).
    culture : question ids of the culture ratings, kept as they are.
    partnership : the respondent attribute naming the alliance (``None`` if the data has none).
    min_items : the share of a construct's items a respondent must have answered to get a score
        (default half); fewer gives a missing score rather than a score from one item.

    Returns
    -------
    DataFrame indexed by respondent (pseudonym), columns ``party``, ``group``, the partnership column
    (when present), one column per construct, one per culture question.
    """
    attributes = data.respondent_attributes()
    wanted = [c for c in ("party", "group", partnership) if c and c in attributes.columns]
    table = attributes[wanted].copy()
    for construct in constructs:
        items = data.items(construct)
        answered = items.notna().mean(axis=1)
        table[construct] = items.mean(axis=1).where(answered >= min_items)
    if culture:
        wide = data.wide("value")
        missing = [q for q in culture if q not in wide.columns]
        if missing:
            raise InputError(
                f"The culture question {missing[0]!r} is not in the data; the questions are "
                f"{', '.join(wide.columns)}. Set culture_questions in the parameters cell.",
                column="question",
                value=missing[0],
            )
        table = table.join(wide[list(culture)])
    return table


def reliability_table(data, constructs: Sequence[str], ci_level: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha (with CI and band) of each construct, one row per scale, items counted.

    Computed by :func:`helpers.stats.reliability.cronbach_alpha` on ``data.items(construct)``
    (reverse-keyed items recoded on loading), respondents with a missing item left out.
    """
    from ..stats.reliability import cronbach_alpha
    from ..stats.result import results_table

    results = [cronbach_alpha(data.items(c), ci_level=ci_level) for c in constructs]
    table = results_table(results).drop(columns="method")
    table.insert(0, "items", [r.details["n_items"] for r in results])
    table.insert(0, "scale", list(constructs))
    return table


def item_table(data, constructs: Sequence[str]) -> pd.DataFrame:
    """Item analysis of every construct: corrected item-total r and alpha if the item is deleted."""
    from ..stats.reliability import item_analysis

    frames = []
    for construct in constructs:
        items = item_analysis(data.items(construct))
        items.insert(0, "scale", construct)
        items.insert(2, "reverse", [data.codebook[i].reverse for i in items["item"]])
        frames.append(items)
    return pd.concat(frames, ignore_index=True).round(3)


def levels_present(scores: pd.DataFrame, level_order: Sequence[str], column: str = "group") -> list[str]:
    """The levels of ``level_order`` that occur in the data, in that order; none at all is an error.

    Raises :class:`~helpers.errors.ParameterError` naming the groups the data does have.
    """
    from ..errors import ParameterError

    if column not in scores.columns:
        raise ParameterError(
            f"The data has no {column!r} column, so levels cannot be compared; add a group column "
            "(e.g. Initiator / Operational manager / Front line) to your file."
        )
    found = sorted(scores[column].dropna().astype(str).unique())
    present = [level for level in level_order if level in found]
    if len(present) < 2:
        raise ParameterError(
            f"Parameter `level_order` must name at least two groups of the data; it is {list(level_order)!r} "
            f"and the data's groups are {found!r}. Change it in the parameters cell, or pass it with "
            "`-p level_order 'A,B,C'`."
        )
    return present


def friction_sliders(
    profiles: pd.DataFrame, pair: Sequence[str], *, threshold: float = 1.0, scale: tuple[float, float] = (1, 7)
) -> dict:
    """What the culture-friction simulator needs from the data: ``exercise("02-culture-friction", **this)``.

    Sliders for two organisations' culture profiles and the friction threshold, and the model that
    redraws the friction chart as they move. ``profiles`` is :func:`helpers.stats.culture.profiles`
    output (organisations x dimensions, an ``n`` column allowed); the sliders start at the two
    organisations' observed means. The prompt and title are in the lesson's exercise file
    (``lessons/exercises/02_roffey_park_alliances.yaml``), the organisations' names fill it.
    """
    from ..plots.culture import friction_profile

    dims = [c for c in profiles.columns if c != "n"]
    a, b = pair
    sliders, labels = {}, {}
    for side, org in (("a", a), ("b", b)):
        for i, dim in enumerate(dims):
            key = f"{side}{i}"
            sliders[key] = (float(scale[0]), float(scale[1]), 0.1, round(float(profiles.loc[org, dim]), 1))
            labels[key] = f"{org}: {dim}"
    sliders["threshold"] = (0.5, 3.0, 0.1, float(threshold))
    labels["threshold"] = "friction threshold (scale points)"

    def model(threshold, **values):
        profile_a = {dim: values[f"a{i}"] for i, dim in enumerate(dims)}
        profile_b = {dim: values[f"b{i}"] for i, dim in enumerate(dims)}
        return friction_profile(profile_a, profile_b, names=(a, b), threshold=threshold, scale=scale)

    return {"values": {"a": a, "b": b}, "model": model, "sliders": sliders, "labels": labels}


def level_groups(
    scores: pd.DataFrame, level_order: Sequence[str], min_group_size: int = 5, column: str = "group"
) -> tuple[pd.DataFrame, list[str], str]:
    """The respondents whose level can be compared, the levels present, and a sentence saying so.

    Returns ``(rows, levels, note)``: ``rows`` holds respondents of the ``level_order`` levels that
    have at least ``min_group_size`` people (smaller levels are left out for privacy and stability);
    ``levels`` the levels of ``level_order`` present in the data (small ones included, so a table can
    show that they exist); ``note`` one plain sentence with the counts.
    """
    from ..stats.groups import large_groups

    levels = levels_present(scores, level_order, column)
    rows = large_groups(scores[scores[column].isin(levels)], column, min_group_size)
    compared = [level for level in levels if level in set(rows[column])]
    note = f"{len(scores)} respondents; {len(rows)} compared across {len(compared)} levels ({', '.join(compared)})."
    small = [level for level in levels if level not in compared]
    if small:
        note += f" Left out, fewer than {min_group_size} respondents: {', '.join(small)}."
    return rows, levels, note
