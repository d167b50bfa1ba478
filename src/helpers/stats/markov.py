"""Stage-to-stage journeys as a Markov chain: where initiatives stall, exit, and how long they take.

A monthly panel records which stage each initiative is in (latent value, exploring, cohering...).
Counting month-to-month moves gives a **transition matrix**; dividing each row by its total gives
the estimated probability of moving from one stage to another in a month. From it:

- **stalling**: the self-transition probability :math:`p_{ii}` (the chance of still being in stage
  *i* next month) and the mean spell it implies, :math:`1/(1-p_{ii})` months;
- **exits**: the monthly chance of leaving the journey from each stage;
- **expected time in each stage** before the journey ends (an absorbing state such as "value
  creation" or "exited"), from the fundamental matrix :math:`N = (I - Q)^{-1}` of the absorbing
  chain, where *Q* holds the transient-to-transient probabilities; :math:`N_{ij}` is the expected
  number of months spent in *j* when starting in *i*, :math:`t = N\\mathbf{1}` the expected months to
  absorption, and :math:`B = NR` the probabilities of ending in each absorbing state
  (Kemeny & Snell, 1976, *Finite Markov Chains*, ch. III, theorems 3.2.4, 3.3.5 and 3.3.7).

The chain assumes the next stage depends only on the current one (not on how long an initiative has
been there): a simplification worth discussing with learners, since "the clock is ticking" in
cohering is exactly a duration effect. :func:`time_to_reach` turns the same panel into durations
for the survival functions in :mod:`helpers.stats.survival`, which do not need that assumption.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError, ParameterError

#: The method of :meth:`Transitions.fundamental`, :meth:`~Transitions.expected_time` and
#: :meth:`~Transitions.absorption`: carried by every :class:`Transitions` (``reference``) and in the
#: ``attrs["reference"]`` of the tables they return.
REFERENCE = (
    "Kemeny, J. G. & Snell, J. L. (1976). Finite Markov Chains. Springer (ch. III, absorbing "
    "chains: fundamental matrix N = (I - Q)^-1, t = N1, B = NR); transition probabilities as row "
    "shares of observed moves, the maximum-likelihood estimate (Anderson, T. W. & Goodman, L. A. "
    "(1957). Annals of Mathematical Statistics 28, 89-110)."
)


@dataclass(frozen=True)
class Transitions:
    """Observed month-to-month moves between states and what they imply.

    Attributes
    ----------
    states : all states, in the order given.
    absorbing : states where the journey ends; their probability rows are set to "stay" (identity)
        whatever was observed after them.
    counts : DataFrame of observed moves, rows = from, columns = to.
    probabilities : counts divided by their row totals (absorbing rows = identity; a transient row
        never observed is NaN).
    unit_counts : per-unit count arrays (units x states x states), kept for the bootstrap.
    reference : the method's reference (:data:`REFERENCE`), also in the ``attrs["reference"]`` of
        the tables from :meth:`fundamental`, :meth:`expected_time` and :meth:`absorption`.
    """

    states: list
    absorbing: list
    counts: pd.DataFrame
    probabilities: pd.DataFrame
    unit_counts: np.ndarray = field(repr=False)
    reference: str = field(default=REFERENCE, repr=False)

    @property
    def transient(self) -> list:
        return [s for s in self.states if s not in self.absorbing]

    def stalls(self, ci_level: float = 0.95) -> pd.DataFrame:
        """Per transient stage: months observed, P(stay) with a Wilson interval, mean spell, exits.

        Columns: ``stage, months, stayed, p_stay, ci_low, ci_high, mean_spell`` and one column
        ``to <absorbing state>`` per absorbing state (the monthly probability of ending that way).
        ``mean_spell`` = 1 / (1 - p_stay), the expected months per visit (geometric spell).
        """
        from statsmodels.stats.proportion import proportion_confint

        rows = []
        for stage in self.transient:
            months = int(self.counts.loc[stage].sum())
            stayed = int(self.counts.loc[stage, stage])
            row = {"stage": stage, "months": months, "stayed": stayed}
            if months:
                p = stayed / months
                low, high = proportion_confint(stayed, months, alpha=1 - ci_level, method="wilson")
                row.update(
                    p_stay=p, ci_low=float(low), ci_high=float(high), mean_spell=1 / (1 - p) if p < 1 else np.inf
                )
            else:
                row.update(p_stay=np.nan, ci_low=np.nan, ci_high=np.nan, mean_spell=np.nan)
            for end in self.absorbing:
                row[f"to {end}"] = self.probabilities.loc[stage, end]
            rows.append(row)
        return pd.DataFrame(rows)

    def fundamental(self) -> pd.DataFrame:
        """Kemeny & Snell's fundamental matrix N = (I - Q)^-1 over the transient states."""
        table = _fundamental(self.probabilities, self.transient)
        table.attrs["reference"] = self.reference
        return table

    def expected_time(self, start, *, n_boot: int = 0, seed: int = 0, ci_level: float = 0.95) -> pd.DataFrame:
        """Expected months in each transient stage, and in total, for a journey starting at ``start``.

        With ``n_boot`` > 0, percentile intervals from a bootstrap over units (initiatives are
        resampled with replacement and the chain re-estimated), so the uncertainty of a small panel
        shows. Columns: ``stage, expected_months`` [, ``ci_low, ci_high``]; the last row is
        ``total`` (expected months until the journey ends).
        """
        self._check_start(start)
        estimate = self._times(self.probabilities, start)
        table = pd.DataFrame({"stage": list(estimate.index), "expected_months": estimate.to_numpy()})
        if n_boot:
            draws = self._bootstrap(start, n_boot, seed)
            low, high = np.nanpercentile(draws, [50 * (1 - ci_level), 50 * (1 + ci_level)], axis=0)
            table["ci_low"], table["ci_high"] = low, high
            table.attrs["bootstrap_used"] = int(np.isfinite(draws).all(axis=1).sum())
        table.attrs["reference"] = self.reference
        return table

    def absorption(self, start) -> pd.DataFrame:
        """Probability of ending in each absorbing state for a journey starting at ``start`` (B = NR)."""
        self._check_start(start)
        n = self.fundamental()
        r = self.probabilities.loc[self.transient, self.absorbing]
        b = n.to_numpy() @ r.to_numpy()
        row = self.transient.index(start)
        table = pd.DataFrame({"end": self.absorbing, "probability": b[row]})
        table.attrs["reference"] = self.reference
        return table

    # -- internals ---------------------------------------------------------------------------

    def _check_start(self, start) -> None:
        if start not in self.transient:
            raise ParameterError(
                f"The start stage must be one of the transient stages ({', '.join(map(str, self.transient))}); "
                f"it is {start!r}."
            )

    def _times(self, probabilities: pd.DataFrame, start) -> pd.Series:
        n = _fundamental(probabilities, self.transient)
        times = n.loc[start].copy()
        times.loc["total"] = times.sum()
        return times

    def _bootstrap(self, start, n_boot: int, seed: int) -> np.ndarray:
        """Expected times (per transient stage, then total) for resampled units; NaN rows when a
        resample leaves a transient stage unobserved or unable to end."""
        rng = np.random.default_rng(seed)
        units = self.unit_counts.shape[0]
        weights = rng.multinomial(units, np.full(units, 1 / units), size=int(n_boot))
        transient = [self.states.index(s) for s in self.transient]
        absorbing = [self.states.index(s) for s in self.absorbing]
        row = self.transient.index(start)
        draws = np.full((int(n_boot), len(transient) + 1), np.nan)
        for k, counts in enumerate(np.tensordot(weights, self.unit_counts, axes=1)):
            q = _normalise_array(counts, absorbing)[np.ix_(transient, transient)]
            if np.isnan(q).any():
                continue
            try:
                times = np.linalg.inv(np.eye(len(transient)) - q)[row]
            except np.linalg.LinAlgError:
                continue
            draws[k] = np.append(times, times.sum())
        return draws


def transition_matrix(
    data,
    states: Sequence,
    *,
    absorbing: Iterable | None = None,
    unit: str = "unit",
    time: str = "month",
    state: str = "stage",
) -> Transitions:
    """Count month-to-month moves between ordered states and estimate transition probabilities.

    Parameters
    ----------
    data : either a long panel (DataFrame with one row per unit and month: columns ``unit``,
        ``time``, ``state``; months consecutive within a unit), or a list of sequences (one list of
        states per unit, one entry per month).
    states : every state, in the order to show them (e.g. the stages of the journey, then "exited").
    absorbing : states that end a journey. Default: the states never observed to be left.
    unit, time, state : column names in a panel.

    Returns
    -------
    :class:`Transitions` (counts, probabilities, stalls(), fundamental(), expected_time(),
    absorption()).

    References
    ----------
    Kemeny & Snell (1976), *Finite Markov Chains*, ch. III; the maximum-likelihood estimate of a
    transition probability is the row share of observed moves (Anderson & Goodman, 1957, Annals of
    Mathematical Statistics 28, 89-110).

    Examples
    --------
    >>> t = transition_matrix([["a", "a", "b"], ["a", "b", "b"]], ["a", "b"], absorbing=["b"])
    >>> t.counts.loc["a"].tolist(), t.probabilities.loc["a"].tolist()
    ([1, 2], [0.3333333333333333, 0.6666666666666666])
    """
    states = list(states)
    if len(set(states)) != len(states) or not states:
        raise ParameterError("`states` must list each state once, in order.")
    sequences = _sequences(data, states, unit, time, state)
    index = {s: i for i, s in enumerate(states)}
    per_unit = np.zeros((len(sequences), len(states), len(states)), dtype=int)
    for k, seq in enumerate(sequences):
        for a, b in zip(seq[:-1], seq[1:], strict=True):
            per_unit[k, index[a], index[b]] += 1
    counts = pd.DataFrame(per_unit.sum(axis=0), index=states, columns=states)
    counts.index.name, counts.columns.name = "from", "to"
    if absorbing is None:
        absorbing = [s for s in states if counts.loc[s].sum() - counts.loc[s, s] == 0 and _visited(s, sequences)]
    absorbing = list(absorbing)
    unknown = [s for s in absorbing if s not in index]
    if unknown:
        raise ParameterError(
            f"Absorbing state {unknown[0]!r} is not one of the states ({', '.join(map(str, states))})."
        )
    absorbing = [s for s in states if s in absorbing]  # keep the given order of states
    return Transitions(states, absorbing, counts, _normalise(counts, absorbing), per_unit)


def _visited(state, sequences) -> bool:
    return any(state in seq for seq in sequences)


def _normalise(counts: pd.DataFrame, absorbing: list) -> pd.DataFrame:
    states = list(counts.index)
    array = _normalise_array(counts.to_numpy(), [states.index(s) for s in absorbing])
    return pd.DataFrame(array, index=counts.index, columns=counts.columns)


def _normalise_array(counts: np.ndarray, absorbing: list[int]) -> np.ndarray:
    """Row shares of a count matrix (NaN rows where nothing was observed); absorbing rows = identity."""
    totals = counts.sum(axis=1, keepdims=True).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        probabilities = np.where(totals > 0, counts / totals, np.nan)
    for i in absorbing:
        probabilities[i] = 0.0
        probabilities[i, i] = 1.0
    return probabilities


def _fundamental(probabilities: pd.DataFrame, transient: list) -> pd.DataFrame:
    q = probabilities.loc[transient, transient]
    unseen = [s for s in transient if q.loc[s].isna().any()]
    if unseen:
        raise InputError(
            f"Stage {unseen[0]!r} is never observed followed by another month, so its transition "
            "probabilities cannot be estimated. Declare it absorbing, drop it from `states`, or add data."
        )
    identity = np.eye(len(transient))
    try:
        n = np.linalg.inv(identity - q.to_numpy())
    except np.linalg.LinAlgError:
        raise InputError(
            "No absorbing state can be reached from some stage (it only ever stays put), so the "
            "expected time is infinite. Check the absorbing states."
        ) from None
    return pd.DataFrame(n, index=transient, columns=transient)


def _sequences(data, states, unit, time, state) -> list[list]:
    known = set(states)
    if isinstance(data, pd.DataFrame):
        missing = [c for c in (unit, time, state) if c not in data.columns]
        if missing:
            raise ParameterError(
                f"The panel has no column {missing[0]!r} (columns: {', '.join(map(str, data.columns))})."
            )
        panel = data[[unit, time, state]].sort_values([unit, time], kind="stable")
        sequences = []
        for name, rows in panel.groupby(unit, sort=True):
            months = rows[time].to_numpy()
            step = np.diff(months)
            if (step != 1).any():
                i = int(np.flatnonzero(step != 1)[0])
                raise InputError(
                    f"{unit} {name!r}: {time} {months[i + 1]} follows {months[i]}; the panel needs one "
                    f"row per {unit} and {time}, with no gaps or repeats.",
                    column=time,
                    value=months[i + 1],
                )
            seq = rows[state].tolist()
            _check_states(seq, known, f"{unit} {name!r}", state)
            sequences.append(seq)
        return sequences
    sequences = [list(seq) for seq in data]
    for k, seq in enumerate(sequences):
        _check_states(seq, known, f"sequence {k + 1}", state)
    return sequences


def _check_states(seq, known, where, column) -> None:
    for position, value in enumerate(seq):
        if value not in known:
            raise InputError(
                f"{where}, entry {position + 1}: {value!r} is not one of the states "
                f"({', '.join(map(str, sorted(known, key=str)))}). Fix the label or add it to `states`.",
                column=column,
                value=value,
            )


def time_to_reach(
    panel: pd.DataFrame,
    target,
    *,
    start,
    order: Sequence,
    unit: str = "unit",
    time: str = "month",
    state: str = "stage",
    keep: Sequence[str] = (),
) -> pd.DataFrame:
    """Durations from first reaching ``start`` to first reaching ``target``, with censoring.

    ``order`` lists the progress stages in journey order; a unit counts as having reached a stage
    when it is in that stage or any later one (a jump counts). A unit that ends in a state outside
    ``order`` (such as "exited") before reaching ``target`` is censored at that month, as is one still
    on its way when the panel ends. Units that never reach ``start`` are not at risk and are left out
    (their number is in ``result.attrs["not_at_risk"]``).

    Returns
    -------
    DataFrame, one row per unit at risk: ``unit, months, reached (1/0), end`` (``"reached"``,
    the ending state such as ``"exited"``, or ``"still in progress"``), ``end_<time>`` (the panel
    time of that end, e.g. ``end_month``), plus the ``keep`` columns (values constant within a unit).

    Examples
    --------
    >>> p = pd.DataFrame({"unit": ["a"] * 4 + ["b"] * 3, "month": [1, 2, 3, 4, 1, 2, 3],
    ...                   "stage": ["x", "y", "y", "z", "x", "y", "out"]})
    >>> time_to_reach(p, "z", start="y", order=["x", "y", "z"])[["unit", "months", "reached", "end"]].values.tolist()
    [['a', 2, 1, 'reached'], ['b', 1, 0, 'out']]
    """
    order = list(order)
    for name, value in (("target", target), ("start", start)):
        if value not in order:
            raise ParameterError(
                f"`{name}` must be one of the ordered stages ({', '.join(map(str, order))}); it is {value!r}."
            )
    missing = [c for c in (unit, time, state, *keep) if c not in panel.columns]
    if missing:
        raise ParameterError(f"The panel has no column {missing[0]!r} (columns: {', '.join(map(str, panel.columns))}).")
    rank = {s: i for i, s in enumerate(order)}
    rows, not_at_risk = [], 0
    for name, spell in panel.sort_values([unit, time], kind="stable").groupby(unit, sort=True):
        ranks = spell[state].map(rank)
        months = spell[time].to_numpy()
        started = np.flatnonzero(ranks.to_numpy() >= rank[start])
        if not len(started):
            not_at_risk += 1
            continue
        t0 = months[started[0]]
        reached = np.flatnonzero(ranks.to_numpy() >= rank[target])
        if len(reached):
            row = {
                unit: name,
                "months": int(months[reached[0]] - t0),
                "reached": 1,
                "end": "reached",
                f"end_{time}": months[reached[0]],
            }
        else:
            last = spell[state].iloc[-1]
            end = last if last not in rank else "still in progress"
            row = {unit: name, "months": int(months[-1] - t0), "reached": 0, "end": end, f"end_{time}": months[-1]}
        for column in keep:
            values = spell[column].unique()
            if len(values) > 1:
                raise InputError(
                    f"{unit} {name!r}: {column!r} changes over time ({values[0]!r}, then {values[1]!r}); "
                    "a covariate for time-to-event must be fixed per unit.",
                    column=column,
                    value=values[1],
                )
            row[column] = values[0]
        rows.append(row)
    result = pd.DataFrame(rows, columns=[unit, "months", "reached", "end", f"end_{time}", *keep])
    result.attrs["not_at_risk"] = not_at_risk
    return result
