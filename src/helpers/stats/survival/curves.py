"""Kaplan-Meier curves: what share of units is still waiting after *t* months, and the median wait.

Pointwise log-log intervals and the Brookmeyer & Crowley median interval, from statsmodels'
``SurvfuncRight``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..result import Result
from ._common import _columns, _durations, _z

KM_REFERENCE = (
    "Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations. "
    "JASA 53, 457-481. Greenwood (1926) variance; log-log intervals as in Kalbfleisch & Prentice "
    "(2002), The Statistical Analysis of Failure Time Data, 2nd ed.; median interval by "
    "Brookmeyer & Crowley (1982), Biometrics 38, 29-41."
)


@dataclass(frozen=True)
class KaplanMeier:
    """Kaplan-Meier estimates for one or more groups.

    Attributes
    ----------
    survival : tidy DataFrame, one row per group and distinct observed time: ``group, time,
        at_risk, events, censored, survival, se, ci_low, ci_high``. ``survival`` is S(t), the
        share still without the event just after ``time``; ``se`` is Greenwood's standard error.
    medians : dict group -> :class:`Result` (estimate = median time, ci = its interval;
        ``nan`` median = not reached, ``inf`` upper limit = not reached).
    ci_level : coverage of the intervals.
    """

    survival: pd.DataFrame
    medians: dict = field(default_factory=dict)
    ci_level: float = 0.95

    def summary(self) -> pd.DataFrame:
        """One row per group: n, events, censored, median time and its interval, in plain words."""
        rows = []
        for group, result in self.medians.items():
            low, high = result.ci
            rows.append(
                {
                    "group": group,
                    "n": result.n,
                    "events": result.details["events"],
                    "censored": result.n - result.details["events"],
                    "median": _time_text(result.estimate),
                    f"{self.ci_level:.0%} CI": f"[{_time_text(low)}, {_time_text(high)}]",
                }
            )
        return pd.DataFrame(rows)


def _time_text(value: float) -> str:
    if value is None or not np.isfinite(value):
        return "not reached"
    return f"{value:g}"


def kaplan_meier(
    data: pd.DataFrame,
    duration: str,
    event: str,
    group: str | None = None,
    *,
    ci_level: float = 0.95,
) -> KaplanMeier:
    """Kaplan-Meier (product-limit) survival curves with pointwise and median confidence intervals.

    The product-limit estimate at each distinct event time :math:`t_j` is

    .. math:: \\hat S(t) = \\prod_{t_j \\le t} \\left(1 - \\frac{d_j}{n_j}\\right)

    with :math:`d_j` events among the :math:`n_j` units still at risk just before :math:`t_j`.
    Units censored at :math:`t_j` count as at risk at :math:`t_j`. The standard error is
    Greenwood's; pointwise intervals use the log-log transform (they stay inside [0, 1]):
    :math:`\\hat S^{\\exp(\\pm z\\,\\mathrm{se}/(\\hat S \\log \\hat S))}`. The median is the first
    time :math:`\\hat S` falls below 0.5 and its interval inverts the same log-log test
    (Brookmeyer & Crowley, 1982), as SAS ``PROC LIFETEST`` and Stata ``stci`` do.

    Parameters
    ----------
    data : one row per unit.
    duration : column with the time observed (event time or censoring time), >= 0.
    event : column with 1 when the event happened at that time, 0 when censored.
    group : optional column; one curve per value (sorted).
    ci_level : interval coverage (default 0.95).

    Returns
    -------
    :class:`KaplanMeier` with the tidy ``survival`` table and one median :class:`Result` per group.

    References
    ----------
    Kaplan & Meier (1958); Greenwood (1926); Kalbfleisch & Prentice (2002); Brookmeyer & Crowley
    (1982). The computation is ``statsmodels.duration.survfunc.SurvfuncRight``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"months": [2, 3, 3, 5, 8], "cohered": [1, 1, 0, 1, 0]})
    >>> km = kaplan_meier(d, "months", "cohered")
    >>> km.survival["survival"].round(2).tolist()
    [0.8, 0.6, 0.3, 0.3]
    >>> km.summary()["median"].item()
    '5'
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    z = _z(ci_level)
    if group is not None:
        _columns(data, [group])
    time, status = _durations(data, duration, event)
    labels = data[group].astype(str).to_numpy() if group is not None else np.full(len(data), "all")
    tables, medians = [], {}
    for label in sorted(set(labels)):
        mask = labels == label
        t, s = time[mask], status[mask]
        fit = SurvfuncRight(t, s)
        tables.append(_survival_table(label, t, s, fit, z))
        median = fit.quantile(0.5)
        with np.errstate(divide="ignore", invalid="ignore"):  # S = 0 has no log-log; statsmodels skips it
            low, high = fit.quantile_ci(0.5, alpha=1 - ci_level, method="cloglog")
        medians[label] = Result(
            method="Kaplan-Meier median time",
            estimate=float(median),
            n=int(mask.sum()),
            ci=(float(low), float(high)),
            ci_level=ci_level,
            reference=KM_REFERENCE,
            details={"events": int(s.sum()), "group": label},
        )
    return KaplanMeier(survival=pd.concat(tables, ignore_index=True), medians=medians, ci_level=ci_level)


def _survival_table(label, time, status, fit, z) -> pd.DataFrame:
    """Every distinct observed time with at-risk, events, censored, S(t) carried forward and its CI."""
    counts = (
        pd.DataFrame({"time": time, "events": status, "censored": 1 - status})
        .groupby("time", sort=True)[["events", "censored"]]
        .sum()
        .astype(int)
        .reset_index()
    )
    counts["at_risk"] = (counts["events"] + counts["censored"])[::-1].cumsum()[::-1].astype(int)
    steps = pd.DataFrame({"time": fit.surv_times.astype(float), "survival": fit.surv_prob, "se": fit.surv_prob_se})
    table = pd.merge_asof(counts.astype({"time": float}), steps, on="time", direction="backward")
    table["survival"] = table["survival"].fillna(1.0)
    table["se"] = table["se"].fillna(0.0)
    s, se = table["survival"].to_numpy(), table["se"].to_numpy()
    low, high = np.full(len(s), np.nan), np.full(len(s), np.nan)
    inside = (s > 0) & (s < 1) & np.isfinite(se)
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = z * se[inside] / (s[inside] * np.log(s[inside]))
    low[inside] = s[inside] ** np.exp(-spread)
    high[inside] = s[inside] ** np.exp(spread)
    low[s == 1], high[s == 1] = 1.0, 1.0
    table["ci_low"], table["ci_high"] = low, high
    table.insert(0, "group", label)
    return table[["group", "time", "at_risk", "events", "censored", "survival", "se", "ci_low", "ci_high"]]
