"""Scoring the health check: dimension scores, their reliability, and the partners' profiles.

A respondent's dimension score is the mean of the dimension's items after reverse-keyed items are
recoded, computed only when at least two thirds of the items were answered (:func:`score_instrument`);
:func:`dimension_reliability` gives Cronbach's alpha per dimension, and :func:`profile` the mean
score per partner (or partner and staff group), with small groups suppressed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...errors import InputError, ParameterError, WorkbookError

#: A dimension score is computed only when at least this share of its items was answered.
MIN_SHARE = 2 / 3


def min_items(k: int, share: float = MIN_SHARE) -> int:
    """The fewest answered items (out of ``k``) that still give a dimension score: ``ceil(share * k)``.

    >>> [min_items(k) for k in (1, 2, 3, 4, 5, 6)]
    [1, 2, 2, 3, 4, 4]
    """
    return max(1, math.ceil(share * k - 1e-9))


def score_instrument(data, codebook=None, *, min_share: float = MIN_SHARE):
    """Each respondent's score on each dimension: the mean of the dimension's items.

    Parameters
    ----------
    data : PollData, or a tidy responses DataFrame (``respondent, question, value`` and optionally
        ``party, group, wave``) whose ``value`` is already reverse-recoded, as in ``PollData.responses``.
    codebook : Codebook, needed only when ``data`` is a DataFrame. Dimensions are its constructs;
        questions without a construct, and non-Likert/rating questions, are ignored.
    min_share : float
        The missing-item rule: a dimension is scored only when at least ``ceil(min_share * k)`` of its
        ``k`` items were answered (default two thirds: 3 of 4, 2 of 3); otherwise its score is NaN.

    Returns
    -------
    DataFrame, one row per respondent and dimension (in the codebook's order), columns
    ``respondent, [wave,] party, group, dimension, answered, items, score``.

    Notes
    -----
    Reverse-keyed items are recoded before averaging (on a 1..k scale, ``k + 1 - answer``), so a high
    score always means a healthier partnership. Averaging the answered items (a "prorated" score) is
    the usual treatment of a few missing Likert items; it keeps the score on the answer scale, so
    dimensions with different numbers of items stay comparable. Requiring most items protects a score
    from resting on one or two answers.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"respondent": ["r1"] * 3, "question": ["q1", "q2", "q3"],
    ...                         "value": [4.0, 2.0, 3.0]})
    >>> constructs = {"Trust": ["q1", "q2", "q3"]}
    >>> score_instrument(answers, constructs)[["dimension", "answered", "score"]]
      dimension  answered  score
    0     Trust         3    3.0
    """
    import numpy as np
    import pandas as pd

    responses, constructs = _values(data, codebook)
    if not 0 < min_share <= 1:
        raise ParameterError(f"`min_share` must be above 0 and at most 1; it is {min_share!r}.")
    keys = ["respondent"] + (["wave"] if "wave" in responses else [])
    attributes = [c for c in ("party", "group") if c in responses]
    doubled = responses.duplicated(keys + ["question"], keep=False)
    if doubled.any():
        first = responses.loc[doubled].iloc[0]
        raise InputError(
            "a respondent answered the same question twice; keep one answer per respondent and question "
            "(or add a `wave` column if the answers come from different rounds).",
            column="question",
            value=first["question"],
        )
    wide = responses.pivot(index=keys, columns="question", values="value")
    info = responses.groupby(keys, sort=True)[attributes].first() if attributes else None
    frames = []
    for name, ids in constructs.items():
        items = wide.reindex(columns=ids)
        answered = items.notna().sum(axis=1)
        enough = answered >= min_items(len(ids), min_share)
        frame = pd.DataFrame(
            {
                "dimension": name,
                "answered": answered.astype(int),
                "items": len(ids),
                "score": items.mean(axis=1).where(enough, np.nan),
            },
            index=wide.index,
        )
        if info is not None:
            frame = info.join(frame)
        frames.append(frame.reset_index())
    columns = keys + attributes + ["dimension", "answered", "items", "score"]
    scores = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    return scores


def dimension_reliability(
    data, codebook=None, *, by: str | None = None, min_group_size: int = 5, ci_level: float = 0.95
):
    """Cronbach's alpha of each dimension (with Feldt's CI), overall or per ``by`` group.

    Uses :func:`helpers.stats.reliability.cronbach_alpha` on the reverse-recoded items, listwise:
    only respondents who answered every item of the dimension count, so ``n`` may be below the number
    of respondents. A group with fewer than ``max(3, min_group_size)`` complete respondents is
    suppressed (no alpha, a ``note`` says why). Where alpha is undefined (no variance in the total,
    items cancelling out) the row keeps no alpha and the ``note`` gives the reason; an item everyone
    answered alike is dropped from alpha and the ``note`` names it.

    Returns a DataFrame: ``dimension, [by,] items, n, alpha, <level> CI, interpretation, note``;
    the interpretation is George & Mallery's (2003) band: .6 questionable, .7 acceptable, .8 good,
    .9 excellent.
    """
    import pandas as pd

    from ...stats.reliability import cronbach_alpha

    responses, constructs = _values(data, codebook)
    keys = ["respondent"] + (["wave"] if "wave" in responses else [])
    if by is not None and by not in responses:
        raise InputError(f"the data has no `{by}` column to split the reliability by.")
    index = keys + ([by] if by else [])
    wide = responses.pivot_table(index=index, columns="question", values="value", aggfunc="first", observed=True)
    parts = wide.groupby(level=by, sort=True) if by else [(None, wide)]
    level = f"{ci_level:.0%} CI"
    rows = []
    for name, ids in constructs.items():
        for group, part in parts:
            items = part.reindex(columns=ids)
            complete = int(items.notna().all(axis=1).sum())
            row = {"dimension": name, **({by: group} if by else {}), "items": len(ids), "n": complete}
            if complete < max(3, min_group_size) or len(ids) < 2:
                why = (
                    "one item: no alpha"
                    if len(ids) < 2
                    else f"fewer than {max(3, min_group_size)} complete respondents"
                )
                rows.append({**row, "alpha": float("nan"), level: "", "interpretation": "", "note": why})
                continue
            try:
                result = cronbach_alpha(items, ci_level=ci_level)
            except WorkbookError as error:  # degenerate answers (no variance, items cancelling): the reason
                rows.append({**row, "alpha": float("nan"), level: "", "interpretation": "", "note": str(error)})
                continue
            assert result.ci is not None  # alpha from two or more items always carries its interval
            rows.append(
                {
                    **row,
                    "alpha": result.estimate,
                    level: f"[{result.ci[0]:.2f}, {result.ci[1]:.2f}]",
                    "interpretation": result.interpretation,
                    "note": result.details.get("note", ""),  # e.g. a constant item dropped
                }
            )
    return pd.DataFrame(rows)


def coverage(scores):
    """Per dimension: respondents, how many got a score, and how many did not (too few items answered)."""
    table = scores.groupby("dimension", sort=False).agg(
        respondents=("score", "size"), scored=("score", "count"), items=("items", "first")
    )
    table["not scored"] = table["respondents"] - table["scored"]
    table["rule"] = [f"at least {min_items(k)} of {k} items" for k in table["items"]]
    return table.drop(columns="items").reset_index()


def sample_table(scores, by: Sequence[str] = ("party", "group"), *, min_group_size: int = 5):
    """Respondents per partner and staff group (whichever of ``by`` the data has), sorted.

    A size table is a table of people: a group with fewer than ``min_group_size`` shows "fewer than
    k", and the groups hidden with it "hidden" (:func:`helpers.polls.suppress.suppression`, decided
    together with the partners' totals that the profile tables show).
    """
    from ...polls.suppress import suppression

    columns = [c for c in by if c in scores]
    people = scores.drop_duplicates([c for c in ("respondent", "wave") if c in scores])
    if not columns:
        return people.shape[0]
    table = people.groupby(columns).size().rename("respondents").reset_index()
    cells = people[columns].astype(str).agg(" · ".join, axis=1)
    frame = people[columns[:1]].astype(str).assign(_cell=cells.to_numpy())
    decision = suppression(
        frame, "_cell", min_group_size=min_group_size, shown_with=columns[:1] if len(columns) > 1 else ()
    )
    labels = table[columns].astype(str).agg(" · ".join, axis=1)
    table["respondents"] = [decision.size(label) for label in labels]
    return table


def profile(scores, by: Sequence[str] = ("party",), *, min_group_size: int = 5, ci_level: float = 0.95):
    """Mean dimension score per group (partner, or partner and staff group), with a t-based CI.

    Privacy: a group with fewer than ``min_group_size`` scored respondents on a dimension is
    suppressed (its ``n`` is kept, its statistics are NaN, ``suppressed`` is True and ``note`` says
    why). The total (of the whole poll, or with nested groups such as party and staff group, of the
    parent) is shown elsewhere, so one suppressed group could be recovered by differencing; the next
    smallest group is then suppressed too (complementary suppression,
    :func:`helpers.polls.suppress.suppression` through :func:`helpers.polls.privacy.groups_to_suppress`).

    Returns a DataFrame with columns ``*by, dimension, n, mean, sd, ci_low, ci_high, suppressed,
    note``, sorted by the ``by`` values, dimensions in scoring order.
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    from ...polls.privacy import groups_to_suppress

    by = list(by)
    missing = [c for c in by if c not in scores]
    if missing:
        raise InputError(
            f"the data has no `{missing[0]}` column to group by; add it to the responses file "
            "(one value per respondent) or group by another column."
        )
    order = {name: i for i, name in enumerate(pd.unique(scores["dimension"]))}
    scored = scores.dropna(subset=["score"])
    keys = by + ["dimension"]
    groups = {key: part["score"].to_numpy(float) for key, part in scored.groupby(keys, sort=False)}
    hidden: dict[tuple, str] = {}
    for key, x in groups.items():
        if len(x) < min_group_size:
            hidden[key] = f"fewer than {min_group_size} respondents"
    if by:  # complementary suppression within each parent group (or the whole poll) and dimension
        parents: dict[tuple, dict[str, int]] = {}
        for key, x in groups.items():
            parents.setdefault(key[:-2] + key[-1:], {})[key[-2]] = len(x)
        for parent, sizes in parents.items():
            for label in groups_to_suppress(sizes, min_group_size):
                key = parent[:-1] + (label,) + parent[-1:]
                hidden.setdefault(key, "suppressed with a small group, so it cannot be worked out from the total")
    rows = []
    for key, x in groups.items():
        row = dict(zip(keys, key, strict=True), n=len(x), suppressed=key in hidden, note=hidden.get(key, ""))
        if key in hidden or len(x) < 2:
            row.update(mean=np.nan, sd=np.nan, ci_low=np.nan, ci_high=np.nan)
        else:
            low, high = stats.t.interval(ci_level, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
            row.update(mean=x.mean(), sd=x.std(ddof=1), ci_low=low, ci_high=high)
        rows.append(row)
    columns = keys + ["n", "mean", "sd", "ci_low", "ci_high", "suppressed", "note"]
    table = pd.DataFrame(rows, columns=columns)
    table["_order"] = table["dimension"].map(order)
    table = table.sort_values(by + ["_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    table["suppressed"] = table["suppressed"].astype(bool)
    return table


def profile_matrix(table, by: Sequence[str] = ("party",), *, separator: str = " · "):
    """A :func:`profile` table as rows = groups, columns = dimensions, values = means (NaN = suppressed).

    Ready for a heatmap or a radar plot; several ``by`` columns are joined with ``separator``.
    """
    import pandas as pd

    by = list(by)
    label = table[by].astype(str).agg(separator.join, axis=1)
    matrix = table.assign(_row=label).pivot(index="_row", columns="dimension", values="mean")
    matrix = matrix.reindex(index=pd.unique(label), columns=pd.unique(table["dimension"]))
    matrix.index.name, matrix.columns.name = separator.join(by), "dimension"
    return matrix


def with_respondent(matrix, own_scores, *, label: str = "You"):
    """Add one person's dimension scores (from :func:`score_instrument`) as a row of a profile matrix.

    Used to place a learner's own answers next to the partners' profiles (a table or a radar plot).
    Dimensions the person did not answer enough items of are NaN. Several respondents in
    ``own_scores`` are averaged (e.g. a small team filling in the form together).
    """
    import pandas as pd

    own = own_scores.groupby("dimension", sort=False)["score"].mean()
    row = pd.DataFrame([own.reindex(matrix.columns).to_numpy()], index=[label], columns=matrix.columns)
    combined = pd.concat([matrix, row])
    combined.index.name, combined.columns.name = matrix.index.name, matrix.columns.name
    return combined


def _values(data, codebook):
    """(responses with a recoded ``value`` column, {dimension: [question ids]}) from any accepted input.

    A DataFrame of answers without ``value`` (e.g. a form's tidy output) is scored by the poll loader
    (:func:`helpers.polls.from_tidy_frame`), the one place where labels become recoded numbers.
    """
    import pandas as pd

    if hasattr(data, "responses") and hasattr(data, "codebook"):
        responses, codebook = data.responses, data.codebook if codebook is None else codebook
    elif isinstance(data, pd.DataFrame):
        responses = data
    else:
        raise InputError("score_instrument() needs PollData or a tidy responses DataFrame.")
    if codebook is None:
        raise InputError("score_instrument() needs the codebook that says which items form each dimension.")
    constructs = dict(codebook) if isinstance(codebook, dict) else codebook.constructs()
    constructs = {name: list(ids) for name, ids in constructs.items() if name and list(ids)}
    if not constructs:
        raise InputError(
            "the codebook assigns no question to a construct; fill its `construct` column with each item's dimension."
        )
    if "value" not in responses and "answer" in responses and not isinstance(codebook, dict):
        responses = _scored_answers(responses, codebook)
    missing = [c for c in ("respondent", "question", "value") if c not in responses]
    if missing:
        raise InputError(f"the responses have no `{missing[0]}` column; load them with helpers.polls.load().")
    wanted = {q for ids in constructs.values() for q in ids}
    return responses.loc[responses["question"].isin(wanted)], constructs


def _scored_answers(responses, codebook):
    """Answers as labels -> the loader's tidy responses with ``value``; any rejected answer is an error."""
    from ...polls import Table, from_tidy_frame

    frame = responses.astype(object).where(responses.notna(), "").astype(str)
    frame = frame.loc[frame["answer"].str.strip().ne("")].reset_index(drop=True)  # unanswered = missing
    table = Table(frame, lines=list(range(2, len(frame) + 2)), source="answers")
    data = from_tidy_frame(table, codebook)
    if data.report.rejections:
        first = data.report.rejections[0]
        raise InputError(
            f"{first.reason} (row {first.line - 1} of the answers)", column=first.column, value=first.value
        )
    return data.responses
