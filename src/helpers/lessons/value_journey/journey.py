"""Lesson 03, the reasons tracker: reasons to believe / disbelieve, and a graceful-exit rule.

While partners cohere on an intent, they log reasons to believe in it and reasons to disbelieve it,
each with a weight (1 = minor, 3 = major), and drop a reason when it no longer holds. The *balance*
at a review is the total weight of believe-reasons still standing minus that of disbelieve-reasons
still standing. The rule stated here:

    **graceful exit** when the balance stays below ``threshold`` for ``k`` reviews in a row;
    **continue** otherwise.

A rule with two knobs invites the question "would another setting have decided differently?", so
:func:`rule_robustness` re-applies it over a grid of thresholds and run lengths and reports how
often each initiative's decision survives.

The team-maturity scoring the notebook reaches through this module as well (``journey.tuckman_scores``
and friends) lives in :mod:`.teaming` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...errors import InputError, ParameterError
from .teaming import (
    TUCKMAN_REFERENCE,
    TUCKMAN_STAGES,
    _positive_int,
    stage_counts,
    stuck_in_storming,
    tuckman_questions,
    tuckman_scores,
)

KINDS = ("believe", "disbelieve")
ACTIONS = ("add", "drop")

__all__ = [
    "ACTIONS",
    "KINDS",
    "TUCKMAN_REFERENCE",
    "TUCKMAN_STAGES",
    "Robustness",
    "exit_rule",
    "from_tracker",
    "reason_balance",
    "rule_robustness",
    "rule_versus_outcome",
    "stage_counts",
    "stuck_in_storming",
    "tracker_advice",
    "tuckman_questions",
    "tuckman_scores",
]


# --------------------------------------------------------------------------------------------
# Reasons to believe / disbelieve
# --------------------------------------------------------------------------------------------


def reason_balance(log: pd.DataFrame, *, unit: str = "initiative", review: str = "review") -> pd.DataFrame:
    """The standing weight of believe- and disbelieve-reasons at every review, and their balance.

    Parameters
    ----------
    log : one row per entry: ``review`` (1, 2, ...), ``kind`` (believe | disbelieve),
        optional ``weight`` (1-3, default 1), optional ``action`` (add | drop, default add: "drop"
        retires a reason that no longer holds, e.g. a partner's commitment arrived), optional
        ``unit`` column (several initiatives in one log) and ``reason`` text (not used in the sums).
    unit, review : column names.

    Returns
    -------
    DataFrame with ``unit, review, believe, disbelieve, balance``: one row per unit and review from
    its first to its last review (a review without entries keeps the previous standing).

    Examples
    --------
    >>> log = pd.DataFrame({"review": [1, 1, 2, 3], "kind": ["believe", "disbelieve", "disbelieve", "believe"],
    ...                     "weight": [2, 1, 2, 2], "action": ["add", "add", "add", "drop"]})
    >>> reason_balance(log)["balance"].tolist()
    [1, -1, -3]
    """
    if len(log) == 0:
        raise InputError("The reasons log has no entries; add at least one reason to believe or disbelieve.")
    log = _clean_log(log, unit, review)
    sign = np.where(log["action"] == "add", 1, -1) * log["weight"]
    log = log.assign(
        believe=np.where(log["kind"] == "believe", sign, 0), disbelieve=np.where(log["kind"] == "disbelieve", sign, 0)
    )
    # All units at once (a loop over units cost 1-2 ms each: 0.2 s for the bundled 108 initiatives):
    # the sums per unit and review, every review from a unit's first to its last, standing = running sum.
    per_review = log.groupby([unit, review], sort=True)[["believe", "disbelieve"]].sum()
    if per_review.empty:  # every entry without a unit name (a ValueError from pandas before)
        raise InputError(f"The reasons log names no {unit} in its {unit!r} column; fill it in or leave it out.")
    names = per_review.index.get_level_values(0)
    numbers = per_review.index.get_level_values(1)
    spans = pd.DataFrame({"number": numbers}, index=names).groupby(level=0, sort=True)["number"].agg(["min", "max"])
    reviews = [range(int(low), int(high) + 1) for low, high in zip(spans["min"], spans["max"], strict=True)]
    labels = np.repeat(spans.index.to_numpy(), [len(r) for r in reviews])
    every = pd.MultiIndex.from_arrays([labels, np.concatenate([np.asarray(r) for r in reviews])], names=[unit, review])
    standing = per_review.reindex(every, fill_value=0).groupby(level=0, sort=False).cumsum()
    below = (standing < 0).any(axis=1)
    if below.any():
        name, bad = below.index[below.to_numpy().argmax()]
        name = name.item() if isinstance(name, np.generic) else name  # as the loop over groups gave it
        raise InputError(
            f"{unit} {name!r}, review {bad}: more weight dropped than was added; every 'drop' must "
            "retire a reason added at or before that review, with the same kind and weight.",
            column="action",
            value="drop",
        )
    standing["balance"] = standing["believe"] - standing["disbelieve"]
    table = standing.reset_index()
    table[unit] = [name for name in table[unit]]  # each unit's label as the scalar the loop inserted
    columns = [unit, review, "believe", "disbelieve", "balance"]
    return table[columns].astype({review: int, "believe": int, "disbelieve": int, "balance": int})


def _clean_log(log: pd.DataFrame, unit: str, review: str) -> pd.DataFrame:
    for column in (review, "kind"):
        if column not in log.columns:
            raise ParameterError(
                f"The reasons log has no column {column!r} (columns: {', '.join(map(str, log.columns))}). "
                "It needs at least `review` and `kind`."
            )
    log = log.copy()
    if unit not in log.columns:
        log[unit] = "my initiative"
    log["kind"] = _labels(log, "kind", KINDS, default=None)
    log["action"] = _labels(log, "action", ACTIONS, default="add")
    numbers = pd.to_numeric(log[review], errors="coerce")
    _reject(log, numbers.isna() | (numbers < 1) | (numbers % 1 != 0), review, "a review number (1, 2, 3 ...)")
    log[review] = numbers.astype(int)
    weights = (
        pd.to_numeric(log["weight"], errors="coerce") if "weight" in log.columns else pd.Series(1, index=log.index)
    )
    _reject(log, weights.isna() | ~weights.isin([1, 2, 3]), "weight", "a weight of 1, 2 or 3")
    log["weight"] = weights.astype(int)
    return log


def _labels(log, column, allowed, default):
    if column not in log.columns:
        return pd.Series(default, index=log.index)
    values = log[column].astype(str).str.strip().str.casefold()
    if default is not None:
        values = values.where(log[column].notna() & (values != ""), default)
    _reject(log, ~values.isin(allowed), column, "one of " + " or ".join(allowed))
    return values


def _reject(log, bad, column, wanted) -> None:
    if bad.any():
        row = bad.idxmax()
        raise InputError(
            f"row {row}: the {column} must be {wanted}. Fix that entry.",
            column=column,
            value=log.loc[row, column] if column in log.columns else None,
        )


def exit_rule(
    balances: pd.DataFrame, *, threshold: float = 0, k: int = 3, unit: str = "initiative", review: str = "review"
) -> pd.DataFrame:
    """Apply the continue / graceful-exit rule to each unit's balances.

    The exit signal fires at the first review *r* whose balance, and the balances of the ``k - 1``
    reviews before it, are all below ``threshold``.

    Returns
    -------
    DataFrame, one row per unit: ``unit, reviews, last_balance, decision`` ("continue" or
    "graceful exit"), ``exit_review`` (the review where the signal fired; missing for continue).

    Examples
    --------
    >>> b = pd.DataFrame({"initiative": "a", "review": [1, 2, 3, 4], "balance": [1, -1, -2, -1]})
    >>> exit_rule(b, threshold=0, k=3)[["decision", "exit_review"]].values.tolist()
    [['graceful exit', 4]]
    """
    k = _positive_int("k", k)
    ordered = balances.sort_values([unit, review], kind="stable")
    names, starts = np.unique(ordered[unit].to_numpy(), return_index=True)
    ends = np.append(starts[1:], len(ordered))
    balance = ordered["balance"].to_numpy()
    below = (balance < threshold).astype(int)
    # length of the current run of reviews below the threshold, restarting at each unit
    total = np.cumsum(below)
    marks = np.where(below == 0, total, -1)
    marks[starts] = np.maximum(marks[starts], total[starts] - below[starts])
    run = total - np.maximum.accumulate(marks)
    position = np.where(run >= k, np.arange(len(ordered)), len(ordered))
    first = np.minimum.reduceat(position, starts)
    fired = first < ends
    reviews = ordered[review].to_numpy()
    exit_review = pd.array([int(reviews[i]) if f else pd.NA for i, f in zip(first, fired, strict=True)], dtype="Int64")
    return pd.DataFrame(
        {
            unit: names,
            "reviews": ends - starts,
            "last_balance": balance[ends - 1].astype(int),
            "decision": np.where(fired, "graceful exit", "continue"),
            "exit_review": exit_review,
        }
    )


@dataclass(frozen=True)
class Robustness:
    """How the rule's decisions move with its two settings.

    Attributes
    ----------
    grid : one row per (threshold, k): ``threshold, k, exits, agreement`` (share of units whose
        decision equals the one under the reference setting).
    units : one row per unit: ``unit, decision`` (reference setting), ``stability`` (share of grid
        settings giving that same decision).
    reference : the (threshold, k) used as reference.
    """

    grid: pd.DataFrame
    units: pd.DataFrame
    reference: tuple

    def table(self, values: str = "exits") -> pd.DataFrame:
        """The grid as thresholds (rows) by run lengths k (columns) of ``values`` ("exits" or "agreement")."""
        return self.grid.pivot(index="threshold", columns="k", values=values)


def rule_robustness(
    balances: pd.DataFrame,
    *,
    threshold: float = 0,
    k: int = 3,
    thresholds: Iterable[float] = (-2, -1, 0, 1, 2),
    ks: Iterable[int] = (1, 2, 3, 4, 5),
    unit: str = "initiative",
    review: str = "review",
) -> Robustness:
    """Re-apply :func:`exit_rule` over a grid of thresholds and run lengths (a sensitivity analysis).

    A decision that holds across nearby settings is one a steering group can lean on; one that flips
    when the threshold moves by a single point is a judgement call, and should be discussed as such.

    Examples
    --------
    >>> b = pd.DataFrame({"initiative": "a", "review": [1, 2, 3], "balance": [-1, -1, -1]})
    >>> r = rule_robustness(b, threshold=0, k=3, thresholds=[-1, 0], ks=[3, 4])
    >>> r.grid["exits"].tolist(), r.units["stability"].item()
    ([0, 0, 1, 0], 0.25)
    """
    reference = exit_rule(balances, threshold=threshold, k=k, unit=unit, review=review).set_index(unit)["decision"]
    grid, agree = [], pd.Series(0, index=reference.index)
    settings = [(t, kk) for t in thresholds for kk in ks]
    for t, kk in settings:
        decisions = exit_rule(balances, threshold=t, k=kk, unit=unit, review=review).set_index(unit)["decision"]
        same = decisions == reference
        agree += same.astype(int)
        grid.append(
            {
                "threshold": t,
                "k": kk,
                "exits": int((decisions == "graceful exit").sum()),
                "agreement": float(same.mean()),
            }
        )
    units = pd.DataFrame(
        {unit: reference.index, "decision": reference.to_numpy(), "stability": (agree / len(settings)).to_numpy()}
    )
    return Robustness(pd.DataFrame(grid), units, (threshold, k))


def from_tracker(entries: pd.DataFrame) -> pd.DataFrame:
    """A :class:`helpers.exercises.Tracker` log (``date, kind, reason, weight``) as a reasons log.

    Each distinct date becomes a review, numbered 1, 2, ... in date order, so the learner's own log
    goes through :func:`reason_balance` and :func:`exit_rule` like the bundled one.
    """
    missing = [c for c in ("date", "kind", "weight") if c not in entries.columns]
    if missing:
        raise ParameterError(f"The tracker log has no column {missing[0]!r}.")
    dates = pd.to_datetime(entries["date"])
    review = dates.rank(method="dense").astype(int)
    log = entries.assign(review=review, initiative="my initiative", action="add")
    return log[["initiative", "review", "kind", "action", "weight", *[c for c in ("reason",) if c in log]]]


def tracker_advice(threshold: float = 0, k: int = 3):
    """An ``advice`` function for :class:`helpers.exercises.Tracker` that states the rule's verdict.

    The tracker passes its per-date balance (``date, believe, disbelieve, balance``); each date is a
    review.

    >>> advice = tracker_advice(threshold=0, k=2)
    >>> advice(pd.DataFrame({"date": pd.to_datetime(["2025-01-06", "2025-02-03"]), "balance": [-1, -2]}))
    ... # doctest: +NORMALIZE_WHITESPACE
    'Balance -2 after 2 reviews. Rule (balance below 0 for 2 reviews in a row): graceful exit,
    signalled at review 2 (2025-02-03).'
    """
    k = _positive_int("k", k)

    def advice(balance: pd.DataFrame) -> str:
        frame = balance.sort_values("date").reset_index(drop=True)
        frame = frame.assign(initiative="my initiative", review=range(1, len(frame) + 1))
        verdict = exit_rule(frame, threshold=threshold, k=k).iloc[0]
        head = (
            f"Balance {int(verdict['last_balance'])} after {len(frame)} review"
            f"{'s' if len(frame) != 1 else ''}. Rule (balance below {threshold:g} for {k} review"
            f"{'s' if k != 1 else ''} in a row): "
        )
        if verdict["decision"] == "continue":
            return head + "continue."
        when = pd.Timestamp(frame.loc[int(verdict["exit_review"]) - 1, "date"]).date().isoformat()
        return head + f"graceful exit, signalled at review {int(verdict['exit_review'])} ({when})."

    return advice


def rule_versus_outcome(
    decisions: pd.DataFrame,
    outcomes: pd.DataFrame,
    *,
    unit: str = "initiative",
    outcome: str = "end",
    time: str = "months",
    open_outcomes: Sequence[str] = ("still in progress",),
) -> pd.DataFrame:
    """Cross-tabulate the rule's decisions against what actually happened.

    ``outcomes`` has one row per unit with the ``outcome`` label (e.g. "cohered" or "exited") and,
    optionally, the ``time`` it happened. Returns a table with one row per (decision, outcome):
    ``decision, outcome, initiatives`` and, where ``time`` and ``exit_review`` are known, the
    ``median lead`` (outcome time minus the review the exit signal fired: positive = the signal came
    that long before the outcome). Outcomes in ``open_outcomes`` have not happened yet: no lead.
    """
    merged = decisions.merge(outcomes, on=unit, how="inner", validate="one_to_one")
    if merged.empty:
        raise InputError(f"No {unit} appears in both the decisions and the outcomes; check the ids.")
    rows = []
    for (decision, end), group in merged.groupby(["decision", outcome], sort=True):
        row = {"decision": decision, "outcome": end, "initiatives": len(group)}
        if time in group.columns:
            lead = (group[time] - group["exit_review"]).dropna() if end not in open_outcomes else None
            row["median lead"] = float(lead.median()) if lead is not None and len(lead) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)
