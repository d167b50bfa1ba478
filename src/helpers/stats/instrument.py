"""The partnership health check: an instrument, its scoring, and partner-vs-partner gaps.

A strategic relationship can diagnose itself by asking the staff of *both* partners the same
questions and comparing the answers (Hardy, Hudson & Waddington 2003 call this a rapid "health
check" that shows where partners agree and where they do not). This module holds

* the workbook's own instrument: 28 five-point Likert items in seven dimensions (:data:`DIMENSIONS`,
  :data:`ITEMS`, :func:`codebook_table`). The items are written for this workbook; the dimensions
  were inspired by the six principles of the Nuffield Partnership Assessment Tool (Hardy, Hudson &
  Waddington 2003), by factors of the Wilder Collaboration Factors Inventory (Mattessich,
  Murray-Close & Monsey 2001; Mattessich & Johnson 2018) and by the practices named in the lesson's
  source article. No item is copied from a published instrument;
* scoring: :func:`score_instrument` (a respondent's dimension score is the mean of the dimension's
  items after reverse-keyed items are recoded, computed only when at least two thirds of the items
  were answered), :func:`dimension_reliability` (Cronbach's alpha per dimension) and
  :func:`profile` (mean score per partner, or per partner and staff group, with small groups
  suppressed);
* the gaps: :func:`score_gap` (one dimension: Welch's CI for the difference of means, Hedges' g with
  its CI), :func:`partner_gaps` (every dimension, two partners), :func:`gap_table` (a reader's view)
  and :func:`action_points` (the biggest gaps with a plain-language action for each).

Any codebook works, not only ours: dimensions are the codebook's ``construct`` column, and a
dimension without a bundled action text gets a generic one.

References
----------
Hardy, B., Hudson, B., & Waddington, E. (2003). *Assessing strategic partnership: The partnership
assessment tool*. Office of the Deputy Prime Minister / Nuffield Institute for Health.

Mattessich, P. W., Murray-Close, M., & Monsey, B. R. (2001). *The Wilder Collaboration Factors
Inventory*. Amherst H. Wilder Foundation. Third edition of the factors: Mattessich, P. W., &
Johnson, K. M. (2018). *Collaboration: What makes it work* (3rd ed.). Fieldstone Alliance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError, ParameterError
from .result import Result, band

#: The answer scale of every item (1 = Strongly disagree ... 5 = Strongly agree).
LIKERT_5 = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")

#: A dimension score is computed only when at least this share of its items was answered.
MIN_SHARE = 2 / 3

#: Hedges' g bands (Cohen 1988): the lower edges of small, medium, large.
G_CUTS, G_LABELS, G_SOURCE = (0.2, 0.5, 0.8), ("negligible", "small", "medium", "large"), "Cohen (1988)"

_WELCH_REFERENCE = (
    "Welch, B. L. (1947). The generalization of 'Student's' problem when several different "
    "population variances are involved. Biometrika, 34, 28-35. Hedges' g and its CI: Hedges, L. V., "
    "& Olkin, I. (1985). Statistical methods for meta-analysis. Academic Press."
)


@dataclass(frozen=True)
class Dimension:
    """One dimension of the health check.

    name : the construct name used in the codebook (and shown in tables).
    short : a short label for plot axes.
    description : what a high score means, in one sentence.
    inspired_by : the published frameworks that name this dimension (their items are not used).
    action : what to do when the partners' scores differ; ``{lower}`` and ``{higher}`` are filled
        with the partner names.
    """

    name: str
    short: str
    description: str
    inspired_by: str
    action: str


@dataclass(frozen=True)
class Item:
    """One statement of the instrument; ``reverse`` items agree with a *problem*."""

    id: str
    dimension: str
    text: str
    reverse: bool = False


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "Mutual goals", "Goals",
        "Both partners know, share and can measure what the partnership is for, and see a fair share of the benefit.",
        "Nuffield PAT principle 2 (clarity and realism of purpose); Wilder factors 'shared vision' and "
        "'concrete, attainable goals and objectives'; source article: develop clear, mutual goals.",
        "Re-state the goals together: hold a joint session where both partners agree two or three "
        "measurable outcomes and how the benefits are shared, then ask {lower} staff whether the result "
        "matches what they are asked to deliver.",
    ),
    Dimension(
        "Communication", "Comms",
        "Information arrives in time, problems are raised early, and check-ins allow honest discussion.",
        "Wilder factors 'open and frequent communication' and 'established informal relationships and "
        "communication links'; source article: prioritise open communication channels.",
        "Repair the flow of information: agree a regular two-way check-in where problems are raised "
        "early, and ask {lower} staff which information reaches them late or not at all.",
    ),
    Dimension(
        "Relationship building", "Relations",
        "People know their counterparts in the other organisation, at every level, beyond formal meetings.",
        "Wilder factors 'mutual respect, understanding and trust' and 'multiple layers of participation'; "
        "source article: invest in relationship building.",
        "Invest in contact beyond formal meetings: pair counterparts at each level of both organisations "
        "and make time for informal meetings, so the relationship does not rest on a few people.",
    ),
    Dimension(
        "Clarity of roles", "Roles",
        "Everyone knows who is responsible and accountable for each key task, and who decides.",
        "Nuffield PAT principle 5 (clear and robust partnership arrangements); Wilder factor "
        "'development of clear roles and policy guidelines'; source article: define roles (RACI).",
        "Build a RACI chart for the key tasks with both partners in the room (one Accountable per task, "
        "at least one Responsible) and share it with all staff; {lower} staff are the least sure who "
        "does what.",
    ),
    Dimension(
        "Monitoring and adaptation", "Review",
        "Progress is reviewed against agreed indicators and the partners change course when it is off track.",
        "Nuffield PAT principle 6 (monitor, measure and learn); Wilder factor 'adaptability'; source "
        "article: monitor, evaluate and adapt.",
        "Agree a small set of KPIs with targets and a review rule (what happens when an indicator is off "
        "target), review them at set intervals, and show {lower} staff what changed as a result.",
    ),
    Dimension(
        "Trust", "Trust",
        "Partners expect each other to keep promises, to act fairly and to be open about mistakes.",
        "Nuffield PAT principle 4 (develop and maintain trust); Wilder factor 'mutual respect, "
        "understanding and trust'; source article: trust matters more than technology.",
        "Make commitments visible and keep them: log what each partner promised and delivered, talk "
        "openly about mistakes, and ask {lower} staff what would raise their confidence in {higher}.",
    ),
    Dimension(
        "Formal and informal arrangements", "Formal/ informal",
        "The written agreement matches practice, and everyday issues are settled without invoking it.",
        "Nuffield PAT principle 5 (clear and robust partnership arrangements); Wilder factor "
        "'flexibility'; lesson 02 (formal and informal processes in alliances).",
        "Re-balance formal and informal arrangements: check that the written agreement matches how the "
        "work is done, and agree which everyday issues colleagues may settle without the contract.",
    ),
)

ITEMS: tuple[Item, ...] = (
    Item(
        "mg1",
        "Mutual goals",
        "Staff in both organisations would describe the partnership's main goals in the same way.",
    ),
    Item("mg2", "Mutual goals", "We have agreed measurable outcomes that both partners have signed up to."),
    Item("mg3", "Mutual goals", "I suspect the other partner is pursuing aims it has not shared with us.", True),
    Item("mg4", "Mutual goals", "The benefits of this partnership are shared fairly between the partners."),
    Item("co1", "Communication", "I can raise a problem with the other partner early, before it becomes a crisis."),
    Item("co2", "Communication", "Information I need from the other partner reaches me in time to act on it."),
    Item(
        "co3",
        "Communication",
        "We often learn about the other partner's decisions only after they have been made.",
        True,
    ),
    Item("co4", "Communication", "Our regular check-ins are used for honest discussion, not only for status updates."),
    Item("rb1", "Relationship building", "I know people in the other organisation whom I could phone informally."),
    Item("rb2", "Relationship building", "We make time to meet the other partner outside formal meetings."),
    Item("rb3", "Relationship building", "Contact between our organisations depends on one or two individuals.", True),
    Item(
        "rb4",
        "Relationship building",
        "Staff at my level have working relationships with their counterparts in the other organisation.",
    ),
    Item("ro1", "Clarity of roles", "For each key task, I know who in either organisation is accountable for it."),
    Item("ro2", "Clarity of roles", "My own responsibilities in the partnership are written down and agreed."),
    Item(
        "ro3",
        "Clarity of roles",
        "Work is sometimes done twice, or not at all, because nobody was sure whose job it was.",
        True,
    ),
    Item("ro4", "Clarity of roles", "When a decision is needed, it is clear who can take it."),
    Item("ma1", "Monitoring and adaptation", "We review progress against agreed indicators at set intervals."),
    Item("ma2", "Monitoring and adaptation", "When the indicators show we are off track, we change what we are doing."),
    Item(
        "ma3",
        "Monitoring and adaptation",
        "We keep following the original plan even when it is clearly not working.",
        True,
    ),
    Item("ma4", "Monitoring and adaptation", "What we learn in reviews is shared with staff in both organisations."),
    Item("tr1", "Trust", "I am confident the other partner will do what it has promised."),
    Item("tr2", "Trust", "The other partner would not take unfair advantage of us, even if it could."),
    Item(
        "tr3", "Trust", "We check the other partner's work more closely than we would need to if we trusted them.", True
    ),
    Item("tr4", "Trust", "When the other partner makes a mistake, it tells us openly."),
    Item("fi1", "Formal and informal arrangements", "Our formal agreement describes how we actually work together."),
    Item(
        "fi2",
        "Formal and informal arrangements",
        "Everyday problems are solved between colleagues without invoking the contract.",
    ),
    Item(
        "fi3",
        "Formal and informal arrangements",
        "Our formal procedures slow down work that could be settled in a conversation.",
        True,
    ),
    Item(
        "fi4",
        "Formal and informal arrangements",
        "Informal understandings between staff are confirmed in writing when they matter.",
    ),
)

_BY_NAME = {d.name: d for d in DIMENSIONS}
_GENERIC_ACTION = (
    "Talk about this dimension in a joint session: ask {lower} and {higher} staff what lies behind the "
    "difference, and agree one change to try before the next review."
)


def codebook_table():
    """The instrument as a codebook in the workbook's data model (one row per item).

    Columns ``question, text, kind, scale, reverse, construct``: kind ``likert``, scale the five
    labels of :data:`LIKERT_5` joined by ``|``, construct the dimension's name.
    """
    import pandas as pd

    return pd.DataFrame(
        {
            "question": [i.id for i in ITEMS],
            "text": [i.text for i in ITEMS],
            "kind": "likert",
            "scale": "|".join(LIKERT_5),
            "reverse": ["true" if i.reverse else "false" for i in ITEMS],
            "construct": [i.dimension for i in ITEMS],
        }
    )


def dimensions_table():
    """The seven dimensions: name, number of items (reverse-keyed), what a high score means, sources."""
    import pandas as pd

    rows = []
    for d in DIMENSIONS:
        items = [i for i in ITEMS if i.dimension == d.name]
        rows.append(
            {
                "dimension": d.name,
                "items": len(items),
                "reverse-keyed": sum(i.reverse for i in items),
                "a high score means": d.description,
                "inspired by": d.inspired_by,
            }
        )
    return pd.DataFrame(rows)


def questions(codebook) -> list[str]:
    """The ids of every item that belongs to a dimension, dimension by dimension (for a form)."""
    return [q for ids in codebook.constructs().values() for q in ids if codebook[q].kind in ("likert", "rating")]


def short_labels() -> dict[str, str]:
    """Short plot labels of the bundled dimensions (another codebook's dimensions keep their names)."""
    return {d.name: d.short for d in DIMENSIONS}


def min_items(k: int, share: float = MIN_SHARE) -> int:
    """The fewest answered items (out of ``k``) that still give a dimension score: ``ceil(share * k)``.

    >>> [min_items(k) for k in (1, 2, 3, 4, 5, 6)]
    [1, 2, 2, 3, 4, 4]
    """
    return max(1, math.ceil(share * k - 1e-9))


# --------------------------------------------------------------------------------------------- scoring
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
    suppressed (no alpha, a ``note`` says why).

    Returns a DataFrame: ``dimension, [by,] items, n, alpha, <level> CI, interpretation, note``;
    the interpretation is George & Mallery's (2003) band: .6 questionable, .7 acceptable, .8 good,
    .9 excellent.
    """
    import pandas as pd

    from .reliability import cronbach_alpha

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
            result = cronbach_alpha(items, ci_level=ci_level)
            assert result.ci is not None  # alpha from two or more items always carries its interval
            rows.append(
                {
                    **row,
                    "alpha": result.estimate,
                    level: f"[{result.ci[0]:.2f}, {result.ci[1]:.2f}]",
                    "interpretation": result.interpretation,
                    "note": "",
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


def sample_table(scores, by: Sequence[str] = ("party", "group")):
    """Respondents per partner and staff group (whichever of ``by`` the data has), sorted."""
    columns = [c for c in by if c in scores]
    people = scores.drop_duplicates([c for c in ("respondent", "wave") if c in scores])
    if not columns:
        return people.shape[0]
    return people.groupby(columns).size().rename("respondents").reset_index()


def profile(scores, by: Sequence[str] = ("party",), *, min_group_size: int = 5, confidence: float = 0.95):
    """Mean dimension score per group (partner, or partner and staff group), with a t-based CI.

    Privacy: a group with fewer than ``min_group_size`` scored respondents on a dimension is
    suppressed (its ``n`` is kept, its statistics are NaN, ``suppressed`` is True and ``note`` says
    why). With nested groups (``by`` of two or more columns, e.g. party and staff group) the parent's
    total is shown elsewhere, so one suppressed subgroup could be recovered by differencing; the next
    smallest subgroup is then suppressed too (complementary suppression,
    :func:`helpers.polls.privacy.groups_to_suppress`).

    Returns a DataFrame with columns ``*by, dimension, n, mean, sd, ci_low, ci_high, suppressed,
    note``, sorted by the ``by`` values, dimensions in scoring order.
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    from ..polls.privacy import groups_to_suppress

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
    if len(by) > 1:  # complementary suppression within each parent group and dimension
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
            low, high = stats.t.interval(confidence, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
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


# ------------------------------------------------------------------------------------------------ gaps
def score_gap(x, y, *, confidence: float = 0.95) -> Result:
    """The difference between two partners' mean scores on one dimension, with its uncertainty.

    Welch's two-sample t interval for ``mean(x) - mean(y)`` (no equal-variance assumption, which is
    safer when the partners differ in size and spread), and Hedges' g (Cohen's d with the small-sample
    correction) with the Hedges & Olkin (1985) normal-theory interval, as computed by pingouin.

    .. math:: \\bar x - \\bar y \\pm t_{1-\\alpha/2,\\,\\nu}\\sqrt{s_x^2/n_x + s_y^2/n_y},\\quad
              \\nu = \\frac{(s_x^2/n_x + s_y^2/n_y)^2}{\\frac{(s_x^2/n_x)^2}{n_x-1} + \\frac{(s_y^2/n_y)^2}{n_y-1}}

    Parameters
    ----------
    x, y : array-like of the two partners' dimension scores (NaN dropped).
    confidence : the CI's coverage.

    Returns
    -------
    Result with the difference as estimate, Welch's CI, t, df and p; ``interpretation`` is the size
    band of |g| (Cohen 1988); ``details`` holds ``mean_x, mean_y, n_x, n_y, sd_x, sd_y, hedges_g,
    g_ci``.

    Examples
    --------
    R's ``t.test(extra ~ group, data = sleep)`` (Welch) reports t = -1.8608, df = 17.776,
    95% CI [-3.3654832, 0.2054832]:

    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = score_gap(g1, g2)
    >>> round(r.statistic, 4), round(r.df, 3), [round(v, 7) for v in r.ci]
    (-1.8608, 17.776, [-3.3654832, 0.2054832])
    """
    import numpy as np
    import pingouin as pg
    from scipy import stats

    x = np.asarray(x, float)
    y = np.asarray(y, float)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if len(x) < 2 or len(y) < 2:
        raise InputError("a gap needs at least two scores on each side; collect more responses.")
    test = stats.ttest_ind(x, y, equal_var=False)
    ci = test.confidence_interval(confidence)
    g = float(pg.compute_effsize(x, y, paired=False, eftype="hedges"))
    g_ci = pg.compute_esci(g, nx=len(x), ny=len(y), eftype="cohen", confidence=confidence, decimals=12)
    return Result(
        method="Difference of means (Welch)",
        estimate=float(x.mean() - y.mean()),
        n=len(x) + len(y),
        ci=(float(ci.low), float(ci.high)),
        ci_level=confidence,
        statistic=float(test.statistic),
        statistic_name="t",
        df=float(test.df),
        p_value=float(test.pvalue),
        interpretation=f"{band(abs(g), G_CUTS, G_LABELS)} (g = {g:.2f})" if np.isfinite(g) else None,
        interpretation_source=G_SOURCE,
        reference=_WELCH_REFERENCE,
        details={
            "mean_x": float(x.mean()),
            "mean_y": float(y.mean()),
            "n_x": len(x),
            "n_y": len(y),
            "sd_x": float(x.std(ddof=1)),
            "sd_y": float(y.std(ddof=1)),
            "hedges_g": g,
            "g_ci": (float(g_ci[0]), float(g_ci[1])),
        },
    )


def partner_gaps(
    scores,
    parties: Sequence[str] | None = None,
    *,
    party: str = "party",
    min_group_size: int = 5,
    confidence: float = 0.95,
    n_boot: int = 0,
    seed: int | None = None,
):
    """Partner-vs-partner gap on every dimension: ``mean(first partner) - mean(second partner)``.

    Parameters
    ----------
    scores : the output of :func:`score_instrument`.
    parties : the two partners to compare, in that order; default the two values of ``party`` in the
        data (sorted). With more than two partners in the data, name two.
    party : the column that says which partner a respondent belongs to.
    min_group_size : a dimension where either partner has fewer scored respondents is suppressed
        (``suppressed`` True, statistics NaN, a ``note`` saying why).
    confidence : coverage of every interval.
    n_boot, seed : with ``n_boot > 0``, also a bias-corrected and accelerated (BCa) bootstrap CI of the
        difference (scipy.stats.bootstrap, ``n_boot`` resamples, seeded), a check on Welch's interval
        that does not lean on normality, which five-point scores only approximate.

    Returns
    -------
    DataFrame, one row per dimension: ``dimension, party_a, party_b, n_a, n_b, mean_a, mean_b,
    difference, ci_low, ci_high, t, df, p, p_holm, hedges_g, g_ci_low, g_ci_high, size, lower,
    [boot_low, boot_high,] suppressed, note``. ``p_holm`` adjusts the p-values for testing every
    dimension (Holm 1979, via statsmodels); ``lower`` names the partner with the lower mean.

    See Also
    --------
    score_gap : the statistics of one row.
    action_points : the biggest gaps, with what to do about them.
    """
    import numpy as np
    import pandas as pd
    from scipy import stats
    from statsmodels.stats.multitest import multipletests

    a, b = _two_parties(scores, parties, party)
    streams = np.random.SeedSequence(seed).spawn(scores["dimension"].nunique())  # one per dimension
    rows = []
    for index, (name, part) in enumerate(scores.groupby("dimension", sort=False)):
        x = part.loc[part[party] == a, "score"].dropna().to_numpy(float)
        y = part.loc[part[party] == b, "score"].dropna().to_numpy(float)
        row = {"dimension": name, "party_a": a, "party_b": b, "n_a": len(x), "n_b": len(y)}
        if min(len(x), len(y)) < max(min_group_size, 2):
            small = a if len(x) < len(y) else b
            row.update(
                suppressed=True, note=f"suppressed: {small} has fewer than {max(min_group_size, 2)} scored respondents"
            )
            rows.append(row)
            continue
        result = score_gap(x, y, confidence=confidence)
        assert result.ci is not None  # Welch's t always gives an interval
        d = result.details
        row.update(
            mean_a=d["mean_x"],
            mean_b=d["mean_y"],
            difference=result.estimate,
            ci_low=result.ci[0],
            ci_high=result.ci[1],
            t=result.statistic,
            df=result.df,
            p=result.p_value,
            hedges_g=d["hedges_g"],
            g_ci_low=d["g_ci"][0],
            g_ci_high=d["g_ci"][1],
            size=band(abs(d["hedges_g"]), G_CUTS, G_LABELS),
            lower=a if result.estimate < 0 else b if result.estimate > 0 else "neither",
            suppressed=False,
            note="",
        )
        if n_boot:
            boot = stats.bootstrap(
                (x, y),
                lambda u, v, axis=-1: u.mean(axis=axis) - v.mean(axis=axis),
                n_resamples=n_boot,
                confidence_level=confidence,
                method="BCa",
                rng=np.random.default_rng(streams[index]),
            )
            row.update(boot_low=boot.confidence_interval.low, boot_high=boot.confidence_interval.high)
        rows.append(row)
    columns = (
        [
            "dimension",
            "party_a",
            "party_b",
            "n_a",
            "n_b",
            "mean_a",
            "mean_b",
            "difference",
            "ci_low",
            "ci_high",
            "t",
            "df",
            "p",
            "p_holm",
            "hedges_g",
            "g_ci_low",
            "g_ci_high",
            "size",
            "lower",
        ]
        + (["boot_low", "boot_high"] if n_boot else [])
        + ["suppressed", "note"]
    )
    gaps = pd.DataFrame(rows).reindex(columns=columns)
    tested = ~gaps["suppressed"].astype(bool)
    if tested.any():
        gaps.loc[tested, "p_holm"] = multipletests(gaps.loc[tested, "p"].to_numpy(float), method="holm")[1]
    gaps["suppressed"] = gaps["suppressed"].astype(bool)
    return gaps


def gap_table(gaps, *, digits: int = 2):
    """The reader's view of :func:`partner_gaps`: one row per dimension, intervals as text."""
    import pandas as pd

    from .result import format_p

    if gaps.empty:
        return pd.DataFrame()
    a, b = gaps["party_a"].iloc[0], gaps["party_b"].iloc[0]
    f = f"{{:.{digits}f}}"
    rows = []
    for _, g in gaps.iterrows():
        if g["suppressed"]:
            text = g["note"]
            rows.append(
                {
                    "dimension": g["dimension"],
                    f"{a} mean (n)": f"({g['n_a']})",
                    f"{b} mean (n)": f"({g['n_b']})",
                    "difference [CI]": text,
                    "Hedges g [CI]": "",
                    "size": "",
                    "p (Holm)": "",
                }
            )
            continue
        rows.append(
            {
                "dimension": g["dimension"],
                f"{a} mean (n)": f"{f.format(g['mean_a'])} ({g['n_a']})",
                f"{b} mean (n)": f"{f.format(g['mean_b'])} ({g['n_b']})",
                "difference [CI]": f"{f.format(g['difference'])} [{f.format(g['ci_low'])}, {f.format(g['ci_high'])}]",
                "Hedges g [CI]": f"{f.format(g['hedges_g'])} [{f.format(g['g_ci_low'])}, {f.format(g['g_ci_high'])}]",
                "size": g["size"],
                "p (Holm)": format_p(g["p_holm"]),
            }
        )
    return pd.DataFrame(rows)


def action_points(gaps, top: int = 3, *, digits: int = 2, alpha: float = 0.05):
    """The ``top`` biggest gaps (by the absolute difference of means) as plain-language action points.

    Suppressed dimensions are never ranked. Each row says which partner rates the dimension lower, by
    how much (with the interval turned the same way), how strong the evidence is, and what to do (the
    dimension's action text from :data:`DIMENSIONS`, or a generic one for a dimension of another
    codebook). Evidence is *clear* when the interval excludes zero and the Holm-adjusted p is below
    ``alpha``, *suggestive* when the interval excludes zero but the adjusted p does not pass, and
    *uncertain* when the interval includes zero.

    Returns a DataFrame ``rank, dimension, lower, higher, gap, ci, evidence, action``.
    """
    import pandas as pd

    columns = ["rank", "dimension", "lower", "higher", "gap", "ci", "evidence", "action"]
    ranked = gaps.loc[~gaps["suppressed"] & gaps["difference"].notna()].copy()
    ranked["_size"] = ranked["difference"].abs()
    ranked = ranked.sort_values(["_size", "dimension"], ascending=[False, True], kind="stable").head(top)
    rows = []
    for rank, (_, g) in enumerate(ranked.iterrows(), start=1):
        a_lower = g["difference"] < 0
        lower, higher = (g["party_a"], g["party_b"]) if a_lower else (g["party_b"], g["party_a"])
        # the gap as "how far the lower partner is below the higher one", with its interval turned alike
        low, high = (-g["ci_high"], -g["ci_low"]) if a_lower else (g["ci_low"], g["ci_high"])
        evidence = (
            "uncertain: the interval includes zero"
            if low <= 0
            else "clear: the interval excludes zero, also after Holm's adjustment"
            if g["p_holm"] < alpha
            else "suggestive: the interval excludes zero, but not after Holm's adjustment"
        )
        dimension = _BY_NAME.get(g["dimension"])
        template = dimension.action if dimension else _GENERIC_ACTION
        rows.append(
            {
                "rank": rank,
                "dimension": g["dimension"],
                "lower": lower,
                "higher": higher,
                "gap": abs(float(g["difference"])),
                "ci": f"{low:.{digits}f} to {high:.{digits}f}",
                "evidence": evidence,
                "action": f"{lower} staff score {g['dimension']} {abs(g['difference']):.{digits}f} points "
                f"lower than {higher} staff. " + template.format(lower=lower, higher=higher),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def format_action_points(points) -> str:
    """:func:`action_points` as numbered plain text, one block per gap (for printing in a notebook)."""
    if points.empty:
        return (
            "No gap can be ranked: every dimension is suppressed (too few respondents on one side). "
            "Collect more answers, or lower min_group_size only if privacy allows."
        )
    blocks = []
    for p in points.itertuples(index=False):
        blocks.append(f"{p.rank}. {p.dimension}: gap {p.gap:.2f} (CI {p.ci}; {p.evidence}).\n   {p.action}")
    return "\n\n".join(blocks)


# ------------------------------------------------------------------------------------------- internals
def _two_parties(scores, parties, party):
    if party not in scores:
        raise InputError(
            f"the data has no `{party}` column, so there are no partners to compare; add a `{party}` "
            "column naming each respondent's organisation."
        )
    present = sorted(str(p) for p in scores[party].dropna().unique())
    if parties is None or len(parties) == 0:
        if len(present) != 2:
            raise ParameterError(
                f"The data has {len(present)} partners ({', '.join(present) or 'none'}); name the two to "
                "compare (in a notebook: the `party_names` parameter)."
            )
        return present[0], present[1]
    parties = [str(p) for p in parties]
    if len(parties) != 2 or parties[0] == parties[1]:
        raise ParameterError(f"Name exactly two different partners to compare; got {parties!r}.")
    unknown = [p for p in parties if p not in present]
    if unknown:
        raise ParameterError(
            f"Partner {unknown[0]!r} is not in the data's `{party}` column (it has: {', '.join(present)}); "
            "choose two of those (in a notebook: the `party_names` parameter)."
        )
    return parties[0], parties[1]


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
    from ..polls import Table, from_tidy_frame

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
