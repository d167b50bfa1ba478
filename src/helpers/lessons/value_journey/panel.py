"""Lesson 03, the journey panel: where initiatives are, their Markov chain, and time to cohere.

Steps the notebook calls on a journey panel (one row per initiative and month, read and checked by
:func:`helpers.lessons.value_journey.files.read_panel`): the last stage seen, the month-to-month
Markov chain (:mod:`helpers.stats.markov`) with expected months per stage and the chances of each
ending, and the time from entering cohering until the intent coheres (censored), for Kaplan-Meier
and Cox models (:mod:`helpers.stats.survival`).
"""

from __future__ import annotations

import pandas as pd

from ...cases.value_journey import EXIT, STAGES, STATES
from ...errors import InputError


def time_to_cohere(panel: pd.DataFrame) -> pd.DataFrame:
    """Months from entering cohering until the intent coheres (establishing or later), censored.

    Columns: ``initiative, months, cohered`` (1/0), ``end`` ("cohered", "exited" or "still in
    progress"), ``end_month``, and the covariates present in the panel (``type, informal_network,
    early_trust``). Drifting apart (exiting) counts as censoring: the curve answers "how fast do
    intents cohere while partners are still at the table" (a cause-specific view).
    """
    from ...stats.markov import time_to_reach

    keep = [c for c in ("type", "informal_network", "early_trust") if c in panel.columns]
    table = time_to_reach(panel, "establishing", start="cohering", order=STAGES, unit="initiative", keep=keep)
    table = table.rename(columns={"reached": "cohered"})
    table["end"] = table["end"].replace({"reached": "cohered"})
    return table


#: Where the Markov chain stops the clock: value is created, or the journey ends.
ENDS = ("value creation", "meta-organisation", EXIT)


def where_they_are(panel: pd.DataFrame) -> pd.DataFrame:
    """How many initiatives were last seen in each stage: ended (exited, meta-organisation) or still on the way."""
    last = panel.sort_values(["initiative", "month"]).groupby("initiative")["stage"].last()
    counts = last.value_counts().reindex(STATES, fill_value=0)
    counts = counts[counts > 0]
    return pd.DataFrame(
        {
            "last stage seen": counts.index,
            "initiatives": counts.to_numpy(),
            "share": (counts / counts.sum()).round(3).to_numpy(),
            "status": ["ended" if s in (EXIT, "meta-organisation") else "still on the way" for s in counts.index],
        }
    )


def journey_chain(panel: pd.DataFrame):
    """The panel's month-to-month moves as a Markov chain over the stages it contains.

    States are the workbook's stages in journey order (only those present), then ``exited``;
    ``value creation``, ``meta-organisation`` and ``exited`` are absorbing: the clock stops when value
    is created or the journey ends.
    """
    from ...stats.markov import transition_matrix

    present = set(panel["stage"])
    states = [s for s in STATES if s in present]
    return transition_matrix(panel, states, absorbing=[s for s in ENDS if s in present], unit="initiative")


def expected_months(chain, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Expected months in each stage from the first stage to the end of the journey, with bootstrap CIs.

    When the panel cannot support the calculation (a stage never seen followed by another month),
    the table holds one ``note`` saying why instead of stopping the notebook.
    """
    try:
        return chain.expected_time(chain.transient[0], n_boot=n_boot, seed=seed)
    except (InputError, IndexError) as error:
        reason = str(error) if isinstance(error, InputError) else "no stage before the end of the journey"
        return pd.DataFrame({"note": [f"Expected times cannot be computed: {reason}"]})


def ending_chances(chain) -> pd.DataFrame:
    """Probability that a journey starting in the first stage ends in each absorbing state.

    Meta-organisation is left out when value creation is in the chain: it can only follow value
    creation, which already stops the clock.
    """
    try:
        table = chain.absorption(chain.transient[0])
        if "value creation" in chain.absorbing:
            table = table[table["end"] != "meta-organisation"].reset_index(drop=True)
        return table
    except (InputError, IndexError) as error:
        reason = str(error) if isinstance(error, InputError) else "no stage before the end of the journey"
        return pd.DataFrame({"note": [f"Ending chances cannot be computed: {reason}"]})


def cohering_outcomes(panel: pd.DataFrame) -> pd.DataFrame:
    """For each initiative that started exploring: did its intent cohere, did it drift apart, or is it open?

    Columns ``initiative, end`` ("cohered", "exited", "still in progress") and ``end_month``: the
    outcome a reasons rule tries to foresee.
    """
    from ...stats.markov import time_to_reach

    table = time_to_reach(panel, "establishing", start="exploring", order=STAGES, unit="initiative")
    table["end"] = table["end"].replace({"reached": "cohered"})
    return table[["initiative", "end", "end_month"]]


#: How the panel's 0/1 columns read as group names, for curves and tables a reader can label.
GROUP_LABELS = {
    "early_trust": {0: "no early trust-building", 1: "early trust-building"},
    "informal_network": {0: "no informal network", 1: "from an informal network"},
}


def with_group_labels(durations: pd.DataFrame, column: str | None) -> pd.DataFrame:
    """``durations`` with ``column``'s 0/1 codes named (``GROUP_LABELS``), so curves read "early trust-building", not 1.

    A column without names here (``type``, or one of the user's own) is returned unchanged, as is
    ``durations`` when ``column`` is empty. The Cox model keeps the 0/1 codes: call it on
    ``durations`` itself.

    >>> frame = pd.DataFrame({"months": [3, 5], "early_trust": [1, 0]})
    >>> with_group_labels(frame, "early_trust")["early_trust"].tolist()
    ['early trust-building', 'no early trust-building']
    """
    names = GROUP_LABELS.get(column or "")
    if not column or names is None or not set(durations[column].dropna().unique()) <= set(names):
        return durations
    labelled = durations.copy()
    labelled[column] = labelled[column].map(names)
    return labelled


def check_columns(panel: pd.DataFrame, covariates, km_group) -> None:
    """Check that the parameters ``covariates`` and ``km_group`` name columns of the panel."""
    from ...errors import ParameterError

    for name, columns in (("covariates", list(covariates)), ("km_group", [km_group] if km_group else [])):
        for column in columns:
            if column not in panel.columns:
                raise ParameterError(
                    f"Parameter `{name}`: the panel has no column {column!r} (it has "
                    f'{", ".join(map(str, panel.columns))}). Name a panel column, or pass `-p {name} ""` '
                    "to leave it out."
                )
