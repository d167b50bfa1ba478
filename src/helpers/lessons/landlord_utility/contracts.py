"""Rigid versus flexible milestone contracts when the schedule's predictions are wrong.

Lesson 01's case: a public landlord wants tight contracts with rigid milestones; the utility building
the plants finds on the ground that the predicted durations are often wrong, and every change means
renegotiating the contract. This module asks how many renegotiations, and how much delay and cost,
each kind of contract produces when predictions miss by a given spread.

The model
---------
A schedule is a list of milestones with planned durations ``p_k`` (weeks). The true duration of
milestone k is ``a_k = p_k * exp(bias + prediction_error * Z_k)`` with ``Z_k`` standard normal,
independent: a lognormal prediction error, so ``prediction_error = 0.3`` means a typical miss of
about 30% either way (``bias > 0`` adds optimism: work takes longer than planned on average).

The slip after milestone k is ``S_k = sum_{j<=k} (a_j - p_j)``. The contract has an agreed slip
``A`` (0 at signing). At each milestone, if ``S_k - A > tolerance`` the milestone is missed beyond
what the contract allows: the parties renegotiate, the remaining dates move (``A = S_k``) and
``renegotiation_weeks`` of work are lost while they do. A **rigid** contract has tolerance 0 (any
miss is renegotiated); a **flexible** one a band of ``tolerance`` weeks. Finishing early never
triggers a renegotiation, and the float it creates is kept.

Outputs per simulated project: the number of renegotiations, the delay at handover
``sum(a - p) + renegotiations * renegotiation_weeks`` (weeks, negative = early), its cost
``delay * weekly_delay_cost + renegotiations * renegotiation_cost`` (delay cost counts only weeks
late), and the drift -- the largest slip the contract absorbed without a renegotiation, i.e. how
far reality ran from the agreed dates with nobody formally reviewing it: the landlord's side of
the trade-off.

Every contract in one run sees the same simulated durations (common random numbers), so the
comparison is paired and a wider tolerance can never produce more renegotiations on the same
project (the renegotiation points are a greedy covering of the slip path; a test checks it).

All numbers are illustrative (SYNTHETIC): the default schedule and costs are invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ...cases.landlord_utility import DEFAULT_SCHEDULE
from ...errors import InputError, ParameterError

RENEGOTIATION_WEEKS = 4.0  # work lost while a contract change is agreed
WEEKLY_DELAY_COST = 50.0  # cost of a week's late handover, in thousands (illustrative)
RENEGOTIATION_COST = 30.0  # staff and legal cost of one renegotiation, in thousands (illustrative)

CONTRACT_ORDER = ("rigid", "flexible")


# --------------------------------------------------------------------------------------------
# schedules
# --------------------------------------------------------------------------------------------


def schedule_schema():
    """The pandera schema of a schedule table: ``milestone`` (text, unique), ``planned_weeks`` (> 0)."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "milestone": pa.Column(str, pa.Check.str_length(min_value=1), unique=True, coerce=True),
            "planned_weeks": pa.Column(float, pa.Check.gt(0), coerce=True),
        },
        strict=False,
        ordered=False,
    )


#: What a valid value of each schedule column is (for the message when one is not).
_WANTED = {"milestone": "a milestone name, each milestone once", "planned_weeks": "a number of weeks above 0"}


def as_schedule(schedule=None, *, source: str | None = None, lines=None):
    """A validated schedule DataFrame (milestone, planned_weeks) from a mapping, a DataFrame or None.

    ``source`` and ``lines`` (the file name and the file line of each row) make an error message
    point into the file the schedule came from.
    """
    import pandas as pd

    from ...polls.tables import check_schema

    if schedule is None:
        schedule = DEFAULT_SCHEDULE
    if isinstance(schedule, Mapping):
        schedule = pd.DataFrame({"milestone": list(schedule), "planned_weeks": list(schedule.values())})
    frame = check_schema(schedule_schema(), schedule.copy(), source=source, lines=lines, wanted=_WANTED)
    if frame.empty:
        raise InputError(
            "The schedule has no milestones; give at least one row (milestone, planned_weeks).", file=source
        )
    return frame[["milestone", "planned_weeks"]].reset_index(drop=True)


def read_schedule(path: str | Path):
    """Read and validate a schedule file (CSV, TSV, TXT or XLSX) with columns ``milestone`` and
    ``planned_weeks``, through the workbook's one table reader (any common encoding and separator).

    Lines are reported as a spreadsheet shows them (the header is line 1).
    """
    from ...polls.tables import read_user_table

    frame, lines, source = read_user_table(
        path, required=["milestone", "planned_weeks"], layout="the columns milestone and planned_weeks"
    )
    return as_schedule(frame, source=source, lines=lines)


# --------------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------------


def renegotiations(planned, actual, tolerance: float) -> dict[str, np.ndarray]:
    """Apply a contract's tolerance to simulated durations: who renegotiates, when, and the drift.

    Parameters
    ----------
    planned : array_like, shape (k,)
        Planned milestone durations.
    actual : array_like, shape (k,) or (n, k)
        True durations, one row per simulated project.
    tolerance : float
        Weeks of slip beyond the agreed dates the contract absorbs (0 = rigid).

    Returns
    -------
    dict with ``count`` (n,) renegotiations per project, ``events`` (n, k) booleans (a
    renegotiation at milestone k) and ``drift`` (n,) the largest slip absorbed without one.

    Examples
    --------
    Planned 10, 10, 10 weeks; the work takes 12, 9, 13. The slip is 2, 1, 4 weeks.

    >>> renegotiations([10, 10, 10], [12, 9, 13], 0)["count"].tolist()    # rigid: after 1 and 3
    [2]
    >>> renegotiations([10, 10, 10], [12, 9, 13], 2)["count"].tolist()    # only 4 - 0 > 2, at 3
    [1]
    """
    planned = np.asarray(planned, dtype=float)
    actual = np.atleast_2d(np.asarray(actual, dtype=float))
    if actual.shape[1] != planned.size:
        raise InputError(f"{actual.shape[1]} durations for {planned.size} planned milestones.")
    slip = np.cumsum(actual - planned, axis=1)
    agreed = np.zeros(actual.shape[0])
    drift = np.zeros(actual.shape[0])
    events = np.zeros(actual.shape, dtype=bool)
    for k in range(planned.size):
        over = slip[:, k] - agreed
        missed = over > tolerance
        events[:, k] = missed
        drift = np.where(missed, drift, np.maximum(drift, over))
        agreed = np.where(missed, slip[:, k], agreed)
    return {"count": events.sum(axis=1), "events": events, "drift": drift}


def draw_durations(
    planned, *, prediction_error: float, bias: float = 0.0, n_simulations: int = 5000, seed: int = 0
) -> np.ndarray:
    """Simulated true durations, shape (n_simulations, milestones): ``planned * exp(bias + sd * Z)``."""
    planned = np.asarray(planned, dtype=float)
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_simulations, planned.size))
    return planned * np.exp(bias + prediction_error * z)


def _check(prediction_error, tolerances, n_simulations, renegotiation_weeks):
    if not np.isfinite(prediction_error) or prediction_error < 0:
        raise ParameterError(
            f"`prediction_error` must be 0 or more (the SD of the log prediction error, e.g. 0.3); "
            f"it is {prediction_error!r}."
        )
    for tolerance in tolerances:
        if not np.isfinite(tolerance) or tolerance < 0:
            raise ParameterError(f"`tolerance` must be 0 or more weeks; it is {tolerance!r}.")
    if int(n_simulations) < 1:
        raise ParameterError(f"`n_simulations` must be at least 1; it is {n_simulations!r}.")
    if renegotiation_weeks < 0:
        raise ParameterError(f"`renegotiation_weeks` must be 0 or more; it is {renegotiation_weeks!r}.")


def run(
    schedule=None,
    *,
    contracts: Mapping[str, float],
    prediction_error: float,
    bias: float = 0.0,
    n_simulations: int = 5000,
    seed: int = 0,
    renegotiation_weeks: float = RENEGOTIATION_WEEKS,
    weekly_delay_cost: float = WEEKLY_DELAY_COST,
    renegotiation_cost: float = RENEGOTIATION_COST,
):
    """Simulate projects under several contracts (name -> tolerance in weeks) on the same durations.

    Returns
    -------
    pandas.DataFrame, one row per contract and simulated project: ``contract``, ``tolerance``,
    ``simulation``, ``renegotiations``, ``delay_weeks``, ``drift_weeks``, ``cost``.
    """
    import pandas as pd

    _check(prediction_error, contracts.values(), n_simulations, renegotiation_weeks)
    plan = as_schedule(schedule)
    planned = plan["planned_weeks"].to_numpy()
    actual = draw_durations(
        planned, prediction_error=prediction_error, bias=bias, n_simulations=int(n_simulations), seed=seed
    )
    overrun = (actual - planned).sum(axis=1)
    frames = []
    for name, tolerance in contracts.items():
        outcome = renegotiations(planned, actual, float(tolerance))
        delay = overrun + outcome["count"] * renegotiation_weeks
        frames.append(
            pd.DataFrame(
                {
                    "contract": name,
                    "tolerance": float(tolerance),
                    "simulation": np.arange(int(n_simulations)),
                    "renegotiations": outcome["count"].astype(int),
                    "delay_weeks": delay,
                    "drift_weeks": outcome["drift"],
                    "cost": np.clip(delay, 0, None) * weekly_delay_cost + outcome["count"] * renegotiation_cost,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def simulate(
    schedule=None,
    *,
    prediction_error: float = 0.3,
    tolerance: float = 4.0,
    bias: float = 0.0,
    n_simulations: int = 5000,
    seed: int = 0,
    renegotiation_weeks: float = RENEGOTIATION_WEEKS,
    weekly_delay_cost: float = WEEKLY_DELAY_COST,
    renegotiation_cost: float = RENEGOTIATION_COST,
):
    """Rigid (tolerance 0) versus flexible (tolerance ``tolerance`` weeks) contracts, same projects.

    Parameters
    ----------
    schedule : mapping, DataFrame or None
        Milestone -> planned weeks (``None``: :data:`DEFAULT_SCHEDULE`).
    prediction_error : float
        SD of the log prediction error (0 = perfect predictions; 0.3 = typical miss about 30%).
    tolerance : float
        The flexible contract's band in weeks.
    bias : float
        Mean log error (0.1: work takes about 10% longer than planned, typically).
    n_simulations, seed : int
        Number of simulated projects and the seed (same seed, same results).
    renegotiation_weeks, weekly_delay_cost, renegotiation_cost : float
        Time lost per renegotiation; cost of a week's delay; cost of a renegotiation.

    Returns
    -------
    pandas.DataFrame (tidy), see :func:`run`; ``contract`` is ``"rigid"`` or ``"flexible"``.

    Examples
    --------
    >>> results = simulate(prediction_error=0.0, n_simulations=10)
    >>> int(results["renegotiations"].sum())
    0
    """
    return run(
        schedule,
        contracts={"rigid": 0.0, "flexible": float(tolerance)},
        prediction_error=prediction_error,
        bias=bias,
        n_simulations=n_simulations,
        seed=seed,
        renegotiation_weeks=renegotiation_weeks,
        weekly_delay_cost=weekly_delay_cost,
        renegotiation_cost=renegotiation_cost,
    )


def summarise(results):
    """One row per contract: mean and spread of renegotiations, delay, drift and cost.

    Columns: ``contract``, ``tolerance``, ``simulations``, ``mean_renegotiations``,
    ``share_any_renegotiation``, ``median_delay_weeks``, ``p90_delay_weeks``,
    ``mean_drift_weeks``, ``mean_cost``, ``p90_cost``.
    """
    grouped = results.groupby(["contract", "tolerance"], sort=False)
    table = grouped.agg(
        simulations=("simulation", "size"),
        mean_renegotiations=("renegotiations", "mean"),
        share_any_renegotiation=("renegotiations", lambda s: float((s > 0).mean())),
        median_delay_weeks=("delay_weeks", "median"),
        p90_delay_weeks=("delay_weeks", lambda s: float(np.quantile(s, 0.9))),
        mean_drift_weeks=("drift_weeks", "mean"),
        mean_cost=("cost", "mean"),
        p90_cost=("cost", lambda s: float(np.quantile(s, 0.9))),
    ).reset_index()
    return table


#: What each column of :func:`summarise` means, as a row label a reader can take in at a glance.
SUMMARY_LABELS = {
    "tolerance": "tolerance band (weeks)",
    "simulations": "simulated projects",
    "mean_renegotiations": "renegotiations per project (mean)",
    "share_any_renegotiation": "share of projects renegotiated at least once",
    "median_delay_weeks": "handover delay, median (weeks)",
    "p90_delay_weeks": "handover delay, 90th percentile (weeks)",
    "mean_drift_weeks": "largest slip absorbed by the band, mean (weeks)",
    "mean_cost": "cost of delay and renegotiation, mean (thousands)",
    "p90_cost": "cost, 90th percentile (thousands)",
}


def summary_view(summary, digits: int = 2):
    """:func:`summarise`'s table turned for reading: one column per contract, one labelled row per measure.

    Ten columns side by side do not fit a notebook beside JupyterLab's file browser; two contracts
    as columns do, whatever the number of measures.
    """
    view = summary.set_index("contract").T
    view = view.apply(lambda row: row.map(f"{{:.{0 if row.name == 'simulations' else digits}f}}".format), axis=1)
    view.columns.name = None
    return view.rename(index=SUMMARY_LABELS)


def tolerance_sweep(
    schedule=None,
    *,
    tolerances,
    prediction_error: float = 0.3,
    bias: float = 0.0,
    n_simulations: int = 5000,
    seed: int = 0,
    **costs,
):
    """:func:`summarise` for a range of tolerances (weeks), all on the same simulated projects."""
    contracts = {f"{float(t):g} weeks": float(t) for t in tolerances}
    return summarise(
        run(
            schedule,
            contracts=contracts,
            prediction_error=prediction_error,
            bias=bias,
            n_simulations=n_simulations,
            seed=seed,
            **costs,
        )
    )


# --------------------------------------------------------------------------------------------
# plots
# --------------------------------------------------------------------------------------------


def plot_contracts(results, *, title: str | None = None):
    """Two panels per contract: the distribution of renegotiations per project, and the cumulative
    distribution of delay + renegotiation cost (an ECDF: many projects cost nothing, so a histogram
    would be one spike).

    Returns the matplotlib Figure (the notebook cell ends with ``plt.show()``).
    """
    import matplotlib.pyplot as plt

    from ...notebook import PALETTE

    contracts = list(dict.fromkeys(results["contract"]))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    top = int(results["renegotiations"].max())
    counts = np.arange(top + 1)
    width = 0.8 / len(contracts)
    for i, name in enumerate(contracts):
        part = results[results["contract"] == name]
        label = f"{name} (±{part['tolerance'].iloc[0]:g} wk)"
        share = np.bincount(part["renegotiations"], minlength=top + 1) / len(part)
        left.bar(
            counts + (i - (len(contracts) - 1) / 2) * width,
            share,
            width=width,
            color=PALETTE[i % len(PALETTE)],
            label=label,
        )
        cost = np.sort(part["cost"].to_numpy())
        right.step(
            cost,
            np.arange(1, cost.size + 1) / cost.size,
            where="post",
            linewidth=2,
            color=PALETTE[i % len(PALETTE)],
            label=label,
        )
    left.set(xlabel="renegotiations per project", ylabel="share of simulated projects", xticks=counts)
    left.legend(frameon=False)
    right.set(
        xlabel="delay + renegotiation cost (thousands, illustrative)",
        ylabel="share of projects costing at most x",
        ylim=(0, 1.02),
    )
    right.legend(frameon=False, loc="lower right")
    fig.suptitle(title or "Simulated projects (synthetic): rigid vs flexible milestone contracts")
    fig.tight_layout()
    return fig


def plot_sweep(sweep, *, title: str | None = None):
    """Mean renegotiations and mean drift against the tolerance band (from :func:`tolerance_sweep`)."""
    import matplotlib.pyplot as plt

    from ...notebook import PALETTE

    fig, left = plt.subplots(figsize=(8, 3.8))
    left.plot(
        sweep["tolerance"], sweep["mean_renegotiations"], marker="o", color=PALETTE[0], label="mean renegotiations"
    )
    left.set(xlabel="tolerance band (weeks)", ylabel="renegotiations per project")
    right = left.twinx()
    right.plot(
        sweep["tolerance"], sweep["mean_drift_weeks"], marker="s", color=PALETTE[1], label="mean drift absorbed (weeks)"
    )
    right.set_ylabel("drift absorbed without review (weeks)")
    right.grid(False)
    lines = left.get_lines() + right.get_lines()
    left.legend(lines, [str(line.get_label()) for line in lines], frameon=False, loc="upper center")
    left.set_title(title or "Wider band: fewer renegotiations, more drift (synthetic)")
    fig.tight_layout()
    return fig


def simulator_figure(
    prediction_error: float = 0.3,
    tolerance: float = 4.0,
    bias: float = 0.0,
    *,
    schedule=None,
    n_simulations: int = 2000,
    seed: int = 0,
):
    """The figure behind lesson 01's slider exercise (``helpers.exercises.Simulator`` model)."""
    results = simulate(
        schedule,
        prediction_error=prediction_error,
        tolerance=tolerance,
        bias=bias,
        n_simulations=n_simulations,
        seed=seed,
    )
    summary = summarise(results).set_index("contract")
    title = (
        f"prediction error {prediction_error:g}, band ±{tolerance:g} wk: mean renegotiations "
        f"{summary.loc['rigid', 'mean_renegotiations']:.1f} rigid vs "
        f"{summary.loc['flexible', 'mean_renegotiations']:.1f} flexible (synthetic)"
    )
    return plot_contracts(results, title=title)
