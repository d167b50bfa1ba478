"""Cox proportional-hazards regression: what speeds the event up, as hazard ratios with intervals."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...errors import InputError, ParameterError
from .. import checks
from ..result import Result
from ._common import _columns, _durations, _z

COX_REFERENCE = (
    "Cox, D. R. (1972). Regression models and life-tables. JRSS B 34, 187-220; ties by Efron, B. "
    "(1977), JASA 72, 557-565, or Breslow, N. (1974), Biometrics 30, 89-99."
)


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
    z = _z(ci_level)
    if status.sum() < design.shape[1] + 1:
        raise InputError(
            f"{int(status.sum())} event(s) for {design.shape[1]} term(s): a Cox model needs more events than "
            "terms (about ten per term for a stable estimate). Report the Kaplan-Meier curves instead."
        )
    model = PHReg(time, design.to_numpy(dtype=float), status=status, ties=ties)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        fit = model.fit(disp=False)
    notes = checks.notes_from(caught)
    bad = [
        term
        for i, term in enumerate(design.columns)
        if not (np.isfinite(fit.params[i]) and np.isfinite(fit.bse[i])) or abs(fit.params[i]) > 15
    ]
    if bad or notes and any("converge" in note.lower() or "singular" in note.lower() for note in notes):
        raise InputError(
            f"The Cox model cannot estimate {', '.join(map(repr, bad or list(design.columns)))}: the events "
            "separate perfectly by it, or there are too few (the hazard ratio runs off to 0 or infinity). "
            "Report the Kaplan-Meier curves and the log-rank test instead."
        )
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
                details={"term": term, "coef": beta, "se": se, "notes": notes},
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
