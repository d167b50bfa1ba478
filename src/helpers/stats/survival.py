"""Time-to-event statistics: how long until a partnership coheres, and what speeds it up.

Three questions, three functions, all with statsmodels doing the maths:

- :func:`kaplan_meier` — what share of initiatives is still waiting after *t* months, with
  pointwise confidence intervals, and the median waiting time with its interval
  (``statsmodels.duration.survfunc.SurvfuncRight``);
- :func:`logrank` — do two or more groups wait equally long (``survdiff``);
- :func:`cox` — hazard ratios for covariates such as "started from an informal network"
  (``statsmodels.duration.hazard_regression.PHReg``).

Censoring is the reason for these methods: an initiative still cohering when the study ends has not
failed to cohere, it has only been watched for a while. Dropping it, or counting its follow-up as its
time, would bias every average.

The input is a DataFrame with one row per unit (initiative, team...), a duration column and an event
column (1 = the event happened at that time, 0 = censored then).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError, ParameterError
from .result import Result

KM_REFERENCE = (
    "Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations. "
    "JASA 53, 457-481. Greenwood (1926) variance; log-log intervals as in Kalbfleisch & Prentice "
    "(2002), The Statistical Analysis of Failure Time Data, 2nd ed.; median interval by "
    "Brookmeyer & Crowley (1982), Biometrics 38, 29-41."
)
LOGRANK_REFERENCE = (
    "Mantel, N. (1966). Evaluation of survival data and two new rank order statistics arising in "
    "its consideration. Cancer Chemotherapy Reports 50, 163-170; Peto & Peto (1972), JRSS A 135, "
    "185-207."
)
COX_REFERENCE = (
    "Cox, D. R. (1972). Regression models and life-tables. JRSS B 34, 187-220; ties by Efron, B. "
    "(1977), JASA 72, 557-565, or Breslow, N. (1974), Biometrics 30, 89-99."
)


# --------------------------------------------------------------------------------------------
# Input checks shared by the three functions
# --------------------------------------------------------------------------------------------


def _columns(data: pd.DataFrame, names: Sequence[str]) -> None:
    missing = [n for n in names if n not in data.columns]
    if missing:
        raise ParameterError(
            f"Column {missing[0]!r} is not in the data (columns: {', '.join(map(str, data.columns))}). "
            "Name a column that exists."
        )


def _durations(data: pd.DataFrame, duration: str, event: str) -> tuple[np.ndarray, np.ndarray]:
    """Durations (non-negative numbers) and events (0/1) as arrays, or a clear error naming the row."""
    _columns(data, [duration, event])
    time = pd.to_numeric(data[duration], errors="coerce")
    bad = time.isna() | (time < 0)
    if bad.any():
        row = bad.idxmax()
        raise InputError(
            f"row {row}: a duration must be a number of at least 0. Fix or remove that row.",
            column=duration, value=data.loc[row, duration],
        )
    status = data[event].map(_as_event)
    if status.isna().any():
        row = status.isna().idxmax()
        raise InputError(
            f"row {row}: the event column must be 1 (the event happened) or 0 (censored). "
            "Fix or remove that row.",
            column=event, value=data.loc[row, event],
        )
    return time.to_numpy(dtype=float), status.to_numpy(dtype=float)


def _as_event(value) -> float | None:
    text = str(value).strip().casefold()
    if text in {"1", "1.0", "true", "yes"}:
        return 1.0
    if text in {"0", "0.0", "false", "no"}:
        return 0.0
    return None


def _z(ci_level: float) -> float:
    from scipy.stats import norm

    if not 0 < ci_level < 1:
        raise ParameterError(f"ci_level must be between 0 and 1; it is {ci_level!r}.")
    return float(norm.ppf(0.5 + ci_level / 2))


# --------------------------------------------------------------------------------------------
# Kaplan-Meier
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Log-rank test
# --------------------------------------------------------------------------------------------


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
    chisq, p = survdiff(time, status, labels)
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


# --------------------------------------------------------------------------------------------
# Cox proportional hazards
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoxModel:
    """A fitted Cox model: one hazard-ratio :class:`Result` per term, and the likelihood-ratio test.

    Attributes
    ----------
    hazard_ratios : list of Result (estimate = hazard ratio, ci on the ratio scale, statistic = Wald z).
    likelihood_ratio : Result of the likelihood-ratio test of all terms together.
    events : number of events the model rests on.
    ties : "efron" or "breslow".
    """

    hazard_ratios: list
    likelihood_ratio: Result
    events: int
    ties: str

    def table(self, digits: int = 3) -> pd.DataFrame:
        """One row per term: term, n, events, HR, its CI, z, p."""
        rows = []
        for result in self.hazard_ratios:
            row = result.table(digits).drop(columns=["method"])
            row = row.rename(columns={"estimate": "hazard ratio"})
            row.insert(0, "term", result.details["term"])
            row.insert(2, "events", self.events)
            rows.append(row)
        return pd.concat(rows, ignore_index=True)


def cox(
    data: pd.DataFrame,
    duration: str,
    event: str,
    covariates: Sequence[str],
    *,
    reference: Mapping[str, str] | None = None,
    ties: str = "efron",
    ci_level: float = 0.95,
) -> CoxModel:
    """Cox proportional-hazards regression, reported as hazard ratios with confidence intervals.

    The model is :math:`h(t \\mid x) = h_0(t) \\exp(\\beta^\\top x)`: each covariate multiplies the
    hazard (here: the monthly chance of the event among those still waiting) by
    :math:`\\mathrm{HR} = e^{\\beta}` per unit, whatever the baseline :math:`h_0(t)`. HR > 1 means the
    event comes sooner. Intervals are Wald intervals :math:`e^{\\beta \\pm z\\,\\mathrm{se}}`.

    Parameters
    ----------
    data : one row per unit.
    duration, event : as in :func:`kaplan_meier`.
    covariates : columns to adjust for. Numeric columns enter as they are (0/1 indicators stay
        indicators); text or boolean columns are coded as indicators against a reference level.
    reference : ``{column: level}`` reference level for text columns (default: the first level in
        sorted order).
    ties : ``"efron"`` (default; R's ``coxph`` default, better with many tied times such as whole
        months) or ``"breslow"`` (Stata's and statsmodels' default).
    ci_level : interval coverage.

    Returns
    -------
    :class:`CoxModel`.

    References
    ----------
    Cox (1972); Efron (1977); Breslow (1974). Computed with
    ``statsmodels.duration.hazard_regression.PHReg``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"t": [2, 3, 4, 5, 6, 7, 8, 9], "e": [1, 1, 0, 1, 1, 1, 0, 1],
    ...                   "trust": [1, 1, 1, 0, 1, 0, 0, 0]})
    >>> round(cox(d, "t", "e", ["trust"]).hazard_ratios[0].estimate, 1)
    6.5
    """
    from scipy.stats import chi2
    from statsmodels.duration.hazard_regression import PHReg

    ties = str(ties).lower()
    if ties not in ("efron", "breslow"):
        raise ParameterError(f"ties must be 'efron' or 'breslow'; it is {ties!r}.")
    covariates = list(covariates)
    if not covariates:
        raise ParameterError("Give at least one covariate for the Cox model.")
    _columns(data, covariates)
    time, status = _durations(data, duration, event)
    design = _design(data, covariates, dict(reference or {}))
    if status.sum() == 0:
        raise InputError(f"No events in column {event!r}: a Cox model needs at least one event.")
    model = PHReg(time, design.to_numpy(dtype=float), status=status, ties=ties)
    fit = model.fit(disp=False)
    z = _z(ci_level)
    null = model.loglike(np.zeros(design.shape[1]))
    lr = 2 * (fit.llf - null)
    hazard_ratios = []
    for i, term in enumerate(design.columns):
        beta, se = float(fit.params[i]), float(fit.bse[i])
        hazard_ratios.append(
            Result(
                method="Cox hazard ratio",
                estimate=float(np.exp(beta)),
                n=len(time),
                ci=(float(np.exp(beta - z * se)), float(np.exp(beta + z * se))),
                ci_level=ci_level,
                statistic=beta / se,
                statistic_name="z",
                p_value=float(fit.pvalues[i]),
                reference=COX_REFERENCE,
                details={"term": term, "coef": beta, "se": se},
            )
        )
    likelihood_ratio = Result(
        method="Cox likelihood-ratio test",
        estimate=float(lr),
        n=len(time),
        statistic=float(lr),
        statistic_name="chi2",
        df=design.shape[1],
        p_value=float(chi2.sf(lr, design.shape[1])),
        reference=COX_REFERENCE,
        details={"loglik": float(fit.llf), "loglik_null": float(null)},
    )
    return CoxModel(hazard_ratios, likelihood_ratio, events=int(status.sum()), ties=ties)


def _design(data: pd.DataFrame, covariates: list[str], reference: dict) -> pd.DataFrame:
    """The covariate matrix with readable term names; text columns become indicators."""
    columns = {}
    for name in covariates:
        values = data[name]
        if values.isna().any():
            row = values.isna().idxmax()
            raise InputError(f"row {row}: a covariate is missing. Fill it in or remove the row.", column=name)
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            columns[name] = values.astype(float)
            continue
        levels = sorted(values.astype(str).unique())
        base = str(reference.get(name, levels[0]))
        if base not in levels:
            raise ParameterError(f"Reference level {base!r} is not a value of column {name!r} ({', '.join(levels)}).")
        if len(levels) < 2:
            raise InputError(f"Column {name!r} has only one value ({base}): it cannot explain any difference.")
        for level in levels:
            if level != base:
                columns[f"{name}: {level} vs {base}"] = (values.astype(str) == level).astype(float)
    return pd.DataFrame(columns, index=data.index)
