"""Ordinal logistic (proportional-odds) regression for ordered poll answers.

A Likert answer is ordered but not a number: the proportional-odds model treats it as such. For an
answer with ordered levels 1..J and predictors x,

.. math:: \\operatorname{logit} P(Y \\le j \\mid x) = \\theta_j - x^\\top \\beta, \\qquad j = 1..J-1

so a positive :math:`\\beta` shifts answers towards the higher levels, :math:`e^\\beta` is the odds
ratio of answering above any given level, and the cut-points :math:`\\theta_j` sit on the logit
scale. statsmodels' ``OrderedModel`` fits it; it reports the second and later cut-points as log
increments, so :func:`ordinal_logit` converts them back (``transform_threshold_params``) and gives
their standard errors by the delta method, as R's ``MASS::polr`` prints them.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError, WorkbookError
from . import checks

_METHOD = "Proportional-odds (ordinal logistic) regression"
_REFERENCE = "McCullagh (1980), J. R. Stat. Soc. B 42, 109-142; fitted by statsmodels OrderedModel (logit)"


def _levels_of(series: pd.Series, name: str, given: Sequence | None, *, ordered_needed: bool) -> list:
    """The levels of a categorical column, in the given order, the categorical's order or sorted."""
    seen = list(pd.unique(series.dropna()))
    if given is not None:
        given = list(given)
        unknown = [value for value in seen if value not in set(given)]
        if unknown:
            raise WorkbookError(f"Column `{name}` holds {unknown[0]!r}, which is not in levels[{name!r}] {given}.")
        return given
    if isinstance(series.dtype, pd.CategoricalDtype):
        return list(series.cat.categories)
    if ordered_needed and not pd.api.types.is_numeric_dtype(series):
        raise ParameterError(f"Give the order of the answers of `{name}`: levels={{{name!r}: [lowest, ..., highest]}}.")
    return sorted(seen)


def _design(frame: pd.DataFrame, predictors: Sequence[str], levels: Mapping) -> pd.DataFrame:
    """Numeric predictors as they are; categorical ones as treatment dummies against their first level."""
    columns = {}
    for name in predictors:
        series = frame[name]
        if pd.api.types.is_numeric_dtype(series) and name not in levels:
            if series.nunique() < 2:
                raise WorkbookError(f"Predictor `{name}` has one value only; it cannot explain anything.")
            columns[name] = series.astype(float)
            continue
        order = _levels_of(series, name, levels.get(name), ordered_needed=False)
        if len(order) < 2:
            raise WorkbookError(f"Predictor `{name}` has one level only; it cannot explain anything.")
        for level in order[1:]:
            dummy = (series == level).astype(float)
            if dummy.sum() == 0:
                raise WorkbookError(
                    f"Level {level!r} of predictor `{name}` has no respondents; drop it from levels[{name!r}]."
                )
            columns[f"{name}[{level}]"] = dummy
    design = pd.DataFrame(columns, index=frame.index)
    # The cut-points act as intercepts, so a constant column is redundant too.
    with_constant = np.column_stack([np.ones(len(design)), design.to_numpy()])
    if np.linalg.matrix_rank(with_constant) < with_constant.shape[1]:
        raise WorkbookError(
            "Some predictors are redundant (one is a combination of others, or they add up to a "
            "constant); remove one of them."
        )
    return design


def ordinal_logit(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    weights: str | None = None,
    levels: Mapping[str, Sequence] | None = None,
    ci_level: float = 0.95,
) -> pd.DataFrame:
    """Fit a proportional-odds (ordinal logistic) model and return a tidy table of its estimates.

    Frequency weights: ``OrderedModel`` takes no weights, so with ``weights`` each row is repeated
    as many times as its weight (``np.repeat``): the likelihood and standard errors are then exactly
    those of the weighted fit (R's ``polr(..., weights = Freq)``). Weights must be whole numbers.

    Parameters
    ----------
    data : DataFrame, one row per respondent (or per cell of a table, with ``weights``).
    outcome : the ordered answer column.
    predictors : columns explaining it. Numeric columns enter as they are; text/categorical columns as
        dummies against their reference level (the first in ``levels``, else the first category or
        the first in sorted order).
    weights : optional column of frequency weights (counts of respondents per row).
    levels : ``{column: [levels in order]}``; required for a text outcome (lowest first); for a
        categorical predictor the first level is the reference.
    ci_level : coverage of the Wald intervals.

    Returns
    -------
    DataFrame, one row per coefficient then per cut-point: ``term`` (``"Infl[Medium]"``; cut-points
    ``"Low|Medium"``), ``kind`` ('coefficient' or 'cut-point'), ``estimate`` (log-odds; cut-points on
    the usual logit scale), ``se``, ``z``, ``p``, ``ci_low``, ``ci_high``, ``odds_ratio``,
    ``or_ci_low``, ``or_ci_high`` (coefficients only). ``attrs`` holds ``method``, ``reference``,
    ``n`` (respondents), ``n_rows``, ``outcome_levels``, ``log_likelihood``, ``aic``, ``converged``
    and ``warnings`` (statsmodels' messages during the fit, if any).

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. Journal of the Royal Statistical
    Society B, 42(2), 109-142. Venables, W. N., & Ripley, B. D. (2002). Modern applied statistics
    with S (4th ed.), section 7.3 (the Copenhagen housing example).

    Examples
    --------
    >>> df = pd.DataFrame({"answer": ["low", "mid", "low", "high", "low", "mid", "high", "low", "high", "mid"],
    ...                    "team": ["a", "a", "a", "a", "a", "b", "b", "b", "b", "b"]})
    >>> table = ordinal_logit(df, "answer", ["team"], levels={"answer": ["low", "mid", "high"]})
    >>> table["term"].tolist()
    ['team[b]', 'low|mid', 'mid|high']
    """
    from scipy import stats
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    levels = dict(levels or {})
    predictors = list(predictors)
    if not predictors:
        raise ParameterError("Give at least one predictor.")
    ci_level = checks.ci_level(ci_level)
    needed = [outcome, *predictors] + ([weights] if weights else [])
    missing = [column for column in needed if column not in data.columns]
    if missing:
        raise WorkbookError(f"Column `{missing[0]}` is not in the data; columns are {list(data.columns)}.")
    frame = data[needed].dropna()
    if weights:
        counts = pd.to_numeric(frame[weights], errors="coerce")
        bad = counts.isna() | (counts < 0) | (counts % 1 != 0)
        if bad.any():
            raise WorkbookError(
                f"Weight column `{weights}` holds {frame[weights][bad].iloc[0]!r}; frequency weights must "
                "be whole numbers >= 0 (counts of respondents)."
            )
        frame = frame.loc[frame.index.repeat(counts.astype(int))].reset_index(drop=True)
    order = _levels_of(frame[outcome], outcome, levels.get(outcome), ordered_needed=True)
    if frame[outcome].nunique() < 2:
        raise WorkbookError(f"The outcome `{outcome}` takes one value only; there is nothing to model.")
    design = _design(frame, predictors, levels)
    if len(frame) <= design.shape[1] + len(order) - 1:
        raise WorkbookError(f"{len(frame)} respondents are too few for {design.shape[1]} predictor terms.")
    y = pd.Series(pd.Categorical(frame[outcome], categories=order, ordered=True), index=frame.index)

    model = OrderedModel(y, design, distr="logit")
    # The line search may try huge steps (exp overflow) before it settles: numpy's notice about it
    # is noise. statsmodels' own warnings (convergence, Hessian) are kept in ``attrs["warnings"]``.
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="ignore"):
        warnings.simplefilter("always")
        fit = model.fit(method="bfgs", maxiter=2000, disp=False)
        try:  # a few Newton steps from BFGS's answer reach the maximum as closely as R's polr
            refined = model.fit(method="newton", start_params=fit.params, maxiter=50, disp=False)
            if np.isfinite(refined.llf) and refined.llf >= fit.llf - 1e-9 and np.isfinite(refined.bse).all():
                fit = refined
        except (np.linalg.LinAlgError, ValueError):
            pass
    notes = sorted({str(w.message) for w in caught if not issubclass(w.category, RuntimeWarning)})
    params = fit.params.to_numpy()
    cov = np.asarray(fit.cov_params())
    n_coef = design.shape[1]

    # Cut-points: statsmodels stores theta_1, log(theta_2 - theta_1), ...; theta = cumsum of
    # [theta_1, exp(...), ...]. Delta method: d theta_j / d raw_i = 1 (i = 0) or exp(raw_i) (1 <= i <= j).
    raw = params[n_coef:]
    thresholds = model.transform_threshold_params(params)[1:-1]
    jacobian = np.tril(np.tile(np.r_[1.0, np.exp(raw[1:])], (len(raw), 1)))
    cut_cov = jacobian @ cov[n_coef:, n_coef:] @ jacobian.T

    estimates = np.r_[params[:n_coef], thresholds]
    variances = np.r_[np.diag(cov)[:n_coef], np.diag(cut_cov)]
    if not (np.isfinite(variances).all() and (variances > 0).all()):
        # The fit stopped where the likelihood is not curved like a maximum (its Hessian is not
        # negative definite): no standard error exists, and the estimates cannot be trusted either.
        raise WorkbookError(
            f"The ordinal model cannot pin down its estimates from these {len(frame)} respondents (the "
            "likelihood has no clear maximum, so no standard error exists). This happens when an answer "
            "category is nearly empty or a predictor nearly decides the answer: merge sparse answer "
            "categories, drop that predictor, or collect more answers."
        )
    se = np.sqrt(variances)
    z_crit = stats.norm.ppf(0.5 + ci_level / 2)
    z = estimates / se
    table = pd.DataFrame(
        {
            "term": list(design.columns) + [f"{low}|{high}" for low, high in zip(order[:-1], order[1:], strict=True)],
            "kind": ["coefficient"] * n_coef + ["cut-point"] * len(thresholds),
            "estimate": estimates,
            "se": se,
            "z": z,
            "p": 2 * stats.norm.sf(np.abs(z)),
            "ci_low": estimates - z_crit * se,
            "ci_high": estimates + z_crit * se,
        }
    )
    # Separation: when a predictor (nearly) decides the answer, the estimate runs off towards
    # infinity with a still larger standard error. Reporting it would mislead.
    runaway = table[(table["estimate"].abs() > 10) & (table["se"] > table["estimate"].abs())]
    if len(runaway):
        raise WorkbookError(
            f"The estimate for `{runaway['term'].iloc[0]}` runs off to {runaway['estimate'].iloc[0]:.0f} "
            "with a huge standard error: a predictor separates the answers (e.g. one group never gives "
            "the top answer). Merge sparse answer levels or groups, or drop that predictor."
        )
    is_coef = table["kind"] == "coefficient"
    if not np.isfinite(table[["estimate", "se"]].to_numpy()).all():
        raise WorkbookError(
            "The ordinal model's estimates or standard errors are undefined (too few respondents, or a "
            "predictor that separates the answers). Merge sparse answer levels, or report the crosstab."
        )
    for column, source in (("odds_ratio", "estimate"), ("or_ci_low", "ci_low"), ("or_ci_high", "ci_high")):
        table[column] = np.nan
        with np.errstate(over="ignore"):  # a huge log-odds ratio is an infinite odds ratio, shown as inf
            table.loc[is_coef, column] = np.exp(table.loc[is_coef, source])
    table.attrs.update(
        method=_METHOD,
        reference=_REFERENCE,
        n=int(len(frame)),
        n_rows=int(len(data)),
        outcome_levels=list(order),
        log_likelihood=float(fit.llf),
        aic=float(fit.aic),
        converged=bool(fit.mle_retvals.get("converged", True)),
        ci_level=ci_level,
        warnings=notes,
        weights=(f"frequency weights `{weights}`, rows repeated by weight" if weights else None),
    )
    if not table.attrs["converged"]:
        raise WorkbookError(
            "The ordinal model did not converge; a predictor may separate the answers perfectly "
            "(e.g. one group always answers the top level). Merge sparse levels or drop that predictor."
        )
    return table
