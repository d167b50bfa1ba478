"""Lesson 03, team maturity: Tuckman stage scores of a team-maturity questionnaire.

Tuckman (1965) described teams forming, storming, norming and performing (Tuckman & Jensen, 1977,
added adjourning). A questionnaire with items for each of the four stages is scored per respondent
(mean of the stage's items), then per team (mean over respondents); the team's stage is the one
with the highest score. :func:`stuck_in_storming` flags teams scored as storming at several reviews
in a row: the pattern many collaborations fall into, with contests over methods and decisions. This
scoring is a teaching device, not a validated instrument: the margin between the top two stages and
the share of members who agree are reported so a thin call is visible.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ...errors import InputError, ParameterError

TUCKMAN_STAGES = ("forming", "storming", "norming", "performing")
TUCKMAN_REFERENCE = (
    "Tuckman, B. W. (1965). Developmental sequence in small groups. Psychological Bulletin 63, "
    "384-399; Tuckman, B. W. & Jensen, M. A. C. (1977). Stages of small-group development revisited. "
    "Group & Organization Studies 2, 419-427."
)


def tuckman_scores(
    responses: pd.DataFrame,
    constructs: Mapping[str, Sequence[str]],
    *,
    by: Sequence[str] = ("group", "wave"),
    min_group_size: int = 5,
) -> pd.DataFrame:
    """Score a team-maturity questionnaire to a Tuckman stage per team (and wave).

    Each respondent's stage score is the mean of their answers to that stage's items (after reverse
    coding, as in the poll data model's ``value`` column); a team's score is the mean over its
    respondents. The team's stage is the highest-scoring one (a tie goes to the earlier stage: the
    cautious reading). ``margin`` is the lead of the top stage over the next; ``agreement`` the share
    of respondents whose own top stage is the team's.

    Parameters
    ----------
    responses : tidy answers with ``respondent, question, value`` and the ``by`` columns.
    constructs : ``{construct: [question ids]}``, e.g. ``codebook.constructs()``; must contain the
        four stages (matched without regard to case).
    by : columns defining a team (and review wave); empty for one overall score.
    min_group_size : teams with fewer respondents are suppressed (scores blank, stage
        "suppressed"), to protect individual answers.

    Returns
    -------
    DataFrame: the ``by`` columns, ``n, forming, storming, norming, performing, stage, margin,
    agreement``.

    References
    ----------
    Tuckman (1965); Tuckman & Jensen (1977).
    """
    by = list(by)
    items = _stage_items(constructs)
    missing = [c for c in ("respondent", "question", "value", *by) if c not in responses.columns]
    if missing:
        raise ParameterError(
            f"The responses have no column {missing[0]!r} (columns: {', '.join(map(str, responses.columns))})."
        )
    question_stage = {q: stage for stage, qs in items.items() for q in qs}
    answers = responses[responses["question"].isin(question_stage)].copy()
    if answers.empty:
        raise InputError("None of the answers belongs to a Tuckman stage item; check the codebook's constructs.")
    answers["stage"] = answers["question"].map(question_stage)
    keys = [*by, "respondent"]
    person = answers.pivot_table(index=keys, columns="stage", values="value", aggfunc="mean")
    person = person.reindex(columns=list(TUCKMAN_STAGES))
    person["own"] = _top_stage(person[list(TUCKMAN_STAGES)])
    grouped = person.groupby(by, sort=True) if by else person.groupby(lambda _: "all")
    rows = []
    for name, members in grouped:
        row = dict(zip(by, name if isinstance(name, tuple) else (name,), strict=True)) if by else {}
        row["n"] = len(members)
        means = members[list(TUCKMAN_STAGES)].mean()
        if len(members) < min_group_size:
            row.update({s: np.nan for s in TUCKMAN_STAGES}, stage="suppressed", margin=np.nan, agreement=np.nan)
        else:
            stage = _top_stage(means.to_frame().T).iloc[0]
            ordered = np.sort(means.dropna().to_numpy())[::-1]
            row.update(
                means.to_dict(),
                stage=stage,
                margin=float(ordered[0] - ordered[1]) if len(ordered) > 1 else np.nan,
                agreement=float((members["own"] == stage).mean()),
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=[*by, "n", *TUCKMAN_STAGES, "stage", "margin", "agreement"])


def _stage_items(constructs: Mapping[str, Sequence[str]]) -> dict:
    found = {str(name).strip().casefold(): list(qs) for name, qs in constructs.items()}
    missing = [s for s in TUCKMAN_STAGES if s not in found]
    if missing:
        raise InputError(
            f"The codebook has no construct {missing[0]!r}; a team-maturity codebook needs the constructs "
            "forming, storming, norming and performing (column `construct`)."
        )
    return {s: found[s] for s in TUCKMAN_STAGES}


def _top_stage(scores: pd.DataFrame) -> pd.Series:
    """Highest-scoring stage per row; ties go to the earlier stage (idxmax keeps the first)."""
    filled = scores.fillna(-np.inf)
    top = filled.idxmax(axis=1)
    return top.where(np.isfinite(filled.max(axis=1)), "no answers")


def stuck_in_storming(
    scores: pd.DataFrame,
    *,
    group: str = "group",
    wave: str = "wave",
    waves: int = 2,
    wave_order: Sequence | None = None,
) -> pd.DataFrame:
    """Flag teams whose scored stage is storming at the last ``waves`` waves in a row.

    Suppressed waves (too few respondents) are skipped. With fewer scored waves than ``waves`` the
    team is not flagged and ``note`` says it is too early to tell.

    Returns
    -------
    DataFrame, one row per team: ``group, path`` (stages over waves, e.g. "forming > storming >
    storming"), ``latest, stuck, note``.

    Examples
    --------
    >>> s = pd.DataFrame({"group": ["t1", "t1", "t2", "t2"], "wave": [1, 2, 1, 2],
    ...                   "stage": ["storming", "storming", "storming", "norming"]})
    >>> stuck_in_storming(s)["stuck"].tolist()
    [True, False]
    """
    waves = _positive_int("waves", waves)
    order = list(wave_order) if wave_order is not None else sorted(scores[wave].unique(), key=_natural)
    rank = {w: i for i, w in enumerate(order)}
    rows = []
    for name, team in scores.groupby(group, sort=True):
        team = team[team["stage"] != "suppressed"]
        path = team.assign(_rank=team[wave].map(rank)).sort_values("_rank")["stage"].tolist()
        recent = path[-waves:]
        enough = len(path) >= waves
        stuck = enough and all(stage == "storming" for stage in recent)
        note = f"storming at the last {waves} waves" if stuck else "too few scored waves to tell" if not enough else ""
        rows.append(
            {
                group: name,
                "path": " > ".join(path),
                "latest": path[-1] if path else "suppressed",
                "stuck": bool(stuck),
                "note": note,
            }
        )
    return pd.DataFrame(rows)


def _natural(value):
    """Sort key that puts "wave 2" before "wave 10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(value))]


def tuckman_questions(constructs: Mapping[str, Sequence[str]]) -> list[str]:
    """The question ids of the four stages, in stage order (e.g. to ask them in a form)."""
    return [q for items in _stage_items(constructs).values() for q in items]


def stage_counts(scores: pd.DataFrame, *, by: str | None = "wave") -> pd.DataFrame:
    """How many teams are scored in each Tuckman stage (and how many suppressed), per ``by`` value.

    Columns in stage order: forming, storming, norming, performing, then suppressed (when any).
    """
    columns = [*TUCKMAN_STAGES, "suppressed"]
    if by is None or by not in scores.columns:
        counts = scores["stage"].value_counts().reindex(columns, fill_value=0).to_frame("teams").T
    else:
        order = sorted(scores[by].unique(), key=_natural)
        counts = pd.crosstab(scores[by], scores["stage"]).reindex(index=order, columns=columns, fill_value=0)
    if not counts["suppressed"].any():
        counts = counts.drop(columns="suppressed")
    counts.columns.name = "stage"
    return counts


def _positive_int(name, value) -> int:
    """A whole number 1 or more (the run length ``k`` of the exit rule, the ``waves`` of a storming flag)."""
    if isinstance(value, bool) or not float(value).is_integer() or int(value) < 1:
        raise ParameterError(f"`{name}` must be a whole number of reviews, 1 or more; it is {value!r}.")
    return int(value)
