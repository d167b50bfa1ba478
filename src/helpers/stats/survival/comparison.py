"""The log-rank (Mantel-Cox) test: do two or more groups wait equally long?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...errors import InputError, ParameterError
from ..result import Result
from ._common import _columns, _durations

LOGRANK_REFERENCE = (
    "Mantel, N. (1966). Evaluation of survival data and two new rank order statistics arising in "
    "its consideration. Cancer Chemotherapy Reports 50, 163-170; Peto & Peto (1972), JRSS A 135, "
    "185-207."
)


def logrank(data: pd.DataFrame, duration: str, event: str, group: str) -> Result:
    """Log-rank (Mantel-Cox) test that two or more groups share one survival curve.

    At each distinct event time the events expected in group *g* under the null hypothesis are
    :math:`E_{gj} = d_j n_{gj} / n_j`; the test compares observed with expected events summed over
    time, :math:`\\chi^2 = (O - E)^\\top V^{-1} (O - E)` on (groups - 1) degrees of freedom.
    It weights every event time equally, so it is most powerful when hazards are proportional.

    Returns
    -------
    :class:`Result` with ``estimate`` = ``statistic`` = the chi-square (the test has no effect
    size of its own: report the Cox hazard ratio beside it), ``df``, ``p_value``, and
    ``details["observed_expected"]``: group, n, observed and expected events.

    References
    ----------
    Mantel (1966); Peto & Peto (1972). Computed with ``statsmodels.duration.survfunc.survdiff``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6], "e": [1, 1, 1, 1, 1, 1], "g": list("aaabbb")})
    >>> round(logrank(d, "t", "e", "g").statistic, 3)
    5.052
    """
    from statsmodels.duration.survfunc import survdiff

    _columns(data, [group])
    time, status = _durations(data, duration, event)
    labels = data[group].astype(str).to_numpy()
    levels = sorted(set(labels))
    if len(levels) < 2:
        raise ParameterError(
            f"The log-rank test compares groups, but column {group!r} has only one value "
            f"({levels[0] if levels else 'none'}). Choose a column with two or more groups."
        )
    if status.sum() == 0:
        raise InputError(
            f"No events in column {event!r}: the log-rank test compares events. Report the follow-up times instead."
        )
    try:
        with np.errstate(all="ignore"):
            chisq, p = survdiff(time, status, labels)
    except np.linalg.LinAlgError:
        chisq, p = float("nan"), float("nan")
    if not np.isfinite(chisq):
        raise InputError(
            "The log-rank test is undefined here: no group is at risk apart from another at any event time "
            "(too few units, or every time the same). Report the Kaplan-Meier table instead."
        )
    return Result(
        method="Log-rank test",
        estimate=float(chisq),
        n=len(time),
        statistic=float(chisq),
        statistic_name="chi2",
        df=len(levels) - 1,
        p_value=float(p),
        reference=LOGRANK_REFERENCE,
        details={"observed_expected": _observed_expected(time, status, labels, levels)},
    )


def _observed_expected(time, status, labels, levels) -> pd.DataFrame:
    frame = pd.DataFrame({"time": time, "event": status, "group": labels})
    event_times = np.unique(time[status == 1])
    at_risk = {g: np.array([(time[labels == g] >= t).sum() for t in event_times]) for g in levels}
    total = sum(at_risk.values())
    deaths = np.array([status[time == t].sum() for t in event_times])
    rows = []
    for g in levels:
        rows.append(
            {
                "group": g,
                "n": int((labels == g).sum()),
                "observed": int(frame.loc[frame["group"] == g, "event"].sum()),
                "expected": float((deaths * at_risk[g] / total).sum()),
            }
        )
    return pd.DataFrame(rows)
