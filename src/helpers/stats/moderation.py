"""Moderation: does the effect of one thing depend on another?

Two questions from the Roffey Park alliance study, both answered with ordinary least squares
(statsmodels' formula API does the fitting and every test):

* :func:`moderation` — y ~ x * m with both predictors mean-centred. Does the effect of formal
  processes (x) on alliance effectiveness (y) depend on informal relationships (m)? Reports the
  interaction with its CI, the R² it adds, and simple slopes of x at -1 SD, the mean and +1 SD of m
  (Aiken & West, 1991).
* :func:`condition_test` — the claim "if the business case is not sound, no amount of goodwill can make
  it work". Our choice: a *condition* model. Respondents are split by a stated cut-off on the
  business-case score (sound = score >= threshold), and y ~ x * sound is fitted. The claim predicts
  that x (goodwill, i.e. informal relationships) has a clearly positive slope when the case is sound and
  a slope near zero when it is not, so the result is the difference between the two slopes, with each
  slope and the effectiveness expected at high goodwill (+1 SD) in each condition alongside. A
  dichotomy loses information compared with a continuous moderator; we accept that because the claim
  itself is about a condition, and the continuous model is one call away (``moderation(..., m=bc)``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from . import checks
from .result import Result, band

#: Cohen's (1988) benchmarks for f² (here: the R² an interaction adds, relative to what is unexplained).
F2_BANDS = ([0.02, 0.15, 0.35], ["negligible", "small", "medium", "large"])
F2_BANDS_SOURCE = "Cohen (1988) benchmarks for f²"

_LEVELS = {"-1 SD": -1.0, "mean": 0.0, "+1 SD": 1.0}


def _frame(data: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(
            f"The data has no column {missing[0]!r}; it has {', '.join(map(str, data.columns))}.",
            column=missing[0],
        )
    frame = data[list(columns)].dropna().astype(float).reset_index(drop=True)
    if len(frame) < len(columns) + 3:
        raise InputError(
            f"A moderation model needs more complete rows than predictors; only {len(frame)} rows have "
            f"all of {', '.join(columns)}. Collect more answers or drop a covariate."
        )
    return frame


def _coefficients(fit, ci_level: float, names: dict[str, str]) -> pd.DataFrame:
    ci = fit.conf_int(alpha=1 - ci_level)
    table = pd.DataFrame(
        {
            "term": [names.get(t, t) for t in fit.params.index],
            "b": fit.params.to_numpy(),
            "se": fit.bse.to_numpy(),
            "t": fit.tvalues.to_numpy(),
            "p": fit.pvalues.to_numpy(),
            "ci_low": ci[0].to_numpy(),
            "ci_high": ci[1].to_numpy(),
        }
    )
    return table


def _slope(fit, contrast: np.ndarray, ci_level: float) -> dict:
    """A linear combination of coefficients with its SE, t, p and CI (statsmodels' t_test)."""
    test = fit.t_test(contrast)
    low, high = test.conf_int(alpha=1 - ci_level)[0]
    return {
        "slope": float(np.squeeze(test.effect)),
        "se": float(np.squeeze(test.sd)),
        "t": float(np.squeeze(test.tvalue)),
        "p": float(np.squeeze(test.pvalue)),
        "ci_low": float(low),
        "ci_high": float(high),
    }


def moderation(
    data: pd.DataFrame,
    y: str,
    x: str,
    m: str,
    *,
    covariates: Sequence[str] = (),
    ci_level: float = 0.95,
    grid: int = 25,
) -> Result:
    """OLS moderation ``y ~ x * m`` with centred predictors, interaction CI and simple slopes.

    Parameters
    ----------
    data : one row per respondent.
    y, x, m : outcome, focal predictor and moderator columns.
    covariates : further columns to adjust for (centred too, so predictions are at their means).
    ci_level : coverage of every interval.
    grid : points along x for the predicted lines stored for plotting.

    Returns
    -------
    Result
        ``estimate`` is the interaction b3 (how much the slope of x changes per unit of m), with its CI,
        t and p. ``details``:

        * ``coefficients`` — b, SE, t, p and CI for every term (on centred predictors);
        * ``simple_slopes`` — the slope of x at m = mean - 1 SD, mean, mean + 1 SD, each with SE, t, p, CI;
        * ``r2``, ``delta_r2`` (R² added by the interaction), ``f2`` (= delta_r2 / (1 - r2));
        * ``centres`` and ``sds`` of x and m; ``lines`` — predicted y with CI along x at the three
          levels of m (for :func:`helpers.plots.moderation.simple_slopes`).

    Notes
    -----
    With xc = x - mean(x) and mc = m - mean(m) the model is

    .. math:: \\hat y = b_0 + b_1 x_c + b_2 m_c + b_3 x_c m_c

    so the slope of x at a moderator value m is :math:`b_1 + b_3 m_c`, and b1 itself is the slope at
    the mean of m. The SE of a simple slope comes from the coefficients' covariance matrix
    (``OLSResults.t_test`` on the contrast ``[0, 1, 0, m_c]``), as in Aiken & West (1991, ch. 2).
    SD is the sample SD (n - 1), as in R's ``interactions::sim_slopes``.

    References
    ----------
    Aiken, L. S., & West, S. G. (1991). *Multiple regression: Testing and interpreting interactions.* Sage.
    Cohen, J. (1988). *Statistical power analysis for the behavioral sciences* (2nd ed.). Erlbaum.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [0, 0, 1, 1, 0, 0, 1, 1], "m": [0, 0, 0, 0, 1, 1, 1, 1],
    ...                    "y": [0, 2, 2, 4, 3, 5, 7, 9]})
    >>> r = moderation(df, "y", "x", "m")
    >>> round(r.estimate, 3)   # the slope of x is 2 when m = 0 and 4 when m = 1
    2.0
    """
    import statsmodels.formula.api as smf

    ci_level = checks.ci_level(ci_level)
    columns = [y, x, m, *covariates]
    frame = _frame(data, columns)
    centres = {c: float(frame[c].mean()) for c in [x, m, *covariates]}
    sds = {c: float(frame[c].std(ddof=1)) for c in (x, m)}
    if sds[x] == 0 or sds[m] == 0:
        raise InputError(f"{x!r} or {m!r} has the same value for everyone: nothing can depend on it.")
    design = pd.DataFrame({"y": frame[y], "xc": frame[x] - centres[x], "mc": frame[m] - centres[m]})
    cov_terms = []
    for i, c in enumerate(covariates):
        design[f"cov{i}"] = frame[c] - centres[c]
        cov_terms.append(f"cov{i}")
    rhs = " + ".join(["xc * mc", *cov_terms])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = smf.ols(f"y ~ {rhs}", data=design).fit()
        main = smf.ols(f"y ~ {' + '.join(['xc', 'mc', *cov_terms])}", data=design).fit()
    notes = checks.notes_from(caught)
    if fit.model.rank < len(fit.params):
        raise InputError(
            f"The predictors are collinear: {x!r}, {m!r}, their product"
            + (" and the covariates" if covariates else "")
            + " do not carry separate information here (too few or too alike answers), so the coefficients "
            "are not determined. Collect more answers, or drop a redundant covariate."
        )

    names = {
        "xc": f"{x} (centred)",
        "mc": f"{m} (centred)",
        "xc:mc": f"{x} × {m}",
        **{f"cov{i}": f"{c} (centred)" for i, c in enumerate(covariates)},
    }
    params = list(fit.params.index)
    slopes = []
    for label, k in _LEVELS.items():
        contrast = np.zeros(len(params))
        contrast[params.index("xc")] = 1.0
        contrast[params.index("xc:mc")] = k * sds[m]
        slopes.append({"level": label, m: centres[m] + k * sds[m], **_slope(fit, contrast, ci_level)})

    xs = np.linspace(frame[x].min(), frame[x].max(), grid)
    lines = []
    for label, k in _LEVELS.items():
        new = pd.DataFrame({"xc": xs - centres[x], "mc": k * sds[m], **{t: 0.0 for t in cov_terms}})
        pred = fit.get_prediction(new).summary_frame(alpha=1 - ci_level)
        lines.append(
            pd.DataFrame(
                {
                    "level": label,
                    x: xs,
                    "predicted": pred["mean"].to_numpy(),
                    "ci_low": pred["mean_ci_lower"].to_numpy(),
                    "ci_high": pred["mean_ci_upper"].to_numpy(),
                }
            )
        )

    interaction = _coefficients(fit, ci_level, {}).set_index("term").loc["xc:mc"]
    delta_r2 = float(fit.rsquared - main.rsquared)
    if fit.rsquared >= 1 - 1e-12 or not np.isfinite(fit.bse).all() or fit.df_resid < 1:
        raise InputError(
            f"The model fits {y!r} exactly (no residual variance), so its intervals and f² are undefined. "
            "Collect more answers, or report the coefficients without inference."
        )
    f2 = delta_r2 / (1 - fit.rsquared)
    return Result(
        method=f"OLS moderation: {x} × {m} on {y} (centred)",
        estimate=float(interaction["b"]),
        n=int(fit.nobs),
        ci=(float(interaction["ci_low"]), float(interaction["ci_high"])),
        ci_level=ci_level,
        statistic=float(interaction["t"]),
        statistic_name="t",
        df=float(fit.df_resid),
        p_value=float(interaction["p"]),
        interpretation=f"{band(f2, *F2_BANDS)} (f² = {f2:.3f})",
        interpretation_source=F2_BANDS_SOURCE,
        reference="Aiken & West (1991); OLS by statsmodels",
        details={
            "coefficients": _coefficients(fit, ci_level, names),
            "simple_slopes": pd.DataFrame(slopes),
            "r2": float(fit.rsquared),
            "delta_r2": delta_r2,
            "f2": f2,
            "centres": centres,
            "sds": sds,
            "lines": pd.concat(lines, ignore_index=True),
            "names": {"y": y, "x": x, "m": m},
            "notes": notes,
        },
    )


def simple_slopes_table(result: Result, digits: int = 3) -> pd.DataFrame:
    """The simple slopes of a :func:`moderation` result as a reader-ready table (CI as text, APA p)."""
    from .result import format_p

    slopes = result.details["simple_slopes"]
    m = result.details["names"]["m"]
    level = f"{result.ci_level:.0%} CI"
    return pd.DataFrame(
        {
            f"{m} at": slopes["level"],
            f"{m} value": slopes[m].round(digits),
            "slope": slopes["slope"].round(digits),
            "SE": slopes["se"].round(digits),
            level: [
                f"[{lo:.{digits}f}, {hi:.{digits}f}]"
                for lo, hi in zip(slopes["ci_low"], slopes["ci_high"], strict=True)
            ],
            "t": slopes["t"].round(digits),
            "p": [format_p(p) for p in slopes["p"]],
        }
    )


def condition_test(
    data: pd.DataFrame,
    y: str,
    x: str,
    condition: str,
    *,
    threshold: float,
    covariates: Sequence[str] = (),
    ci_level: float = 0.95,
) -> Result:
    """Does x only matter when a condition holds? ``y ~ x * (condition >= threshold)``.

    Parameters
    ----------
    data : one row per respondent.
    y : the outcome (e.g. alliance effectiveness).
    x : the predictor whose effect should depend on the condition (e.g. informal relationships).
    condition : the score that defines the condition (e.g. business-case soundness).
    threshold : cut-off on ``condition``: rows with ``condition >= threshold`` "meet" it.
    covariates : further columns held constant (centred, so predictions are at their means), e.g.
        formal processes, which go along with relationships and would otherwise lend them their effect.
    ci_level : coverage of every interval.

    Returns
    -------
    Result
        ``estimate`` is the difference between the slope of x where the condition is met and where it
        is not (the interaction), with CI, t and p. ``details``:

        * ``slopes`` — slope of x (SE, CI, t, p) and n in each condition;
        * ``at_high_x`` — predicted y at x = mean + 1 SD in each condition, with CI: what plenty of
          goodwill achieves with and without a sound business case;
        * ``threshold``, ``n_met``, ``n_not_met``.

    Notes
    -----
    x is centred at its overall mean, so the condition's main effect is the gap in y at average x.
    The claim "no amount of x can make it work without the condition" is supported when the slope of x
    where the condition is not met is near zero (its CI close to 0) while it is clearly positive where
    it is met, and when y at high x without the condition stays below y at average x with it.

    References
    ----------
    Aiken, L. S., & West, S. G. (1991), ch. 7 (interactions with a categorical moderator).
    Hirsh, W., Garrow, V., & Holbeche, L. (2005). *Supporting collaborative working in business alliances
    and partnerships.* Roffey Park (the claim tested).
    """
    import statsmodels.formula.api as smf

    ci_level = checks.ci_level(ci_level)
    frame = _frame(data, [y, x, condition, *covariates])
    met = (frame[condition] >= threshold).astype(float)
    n_met, n_not = int(met.sum()), int((1 - met).sum())
    if n_met < 2 or n_not < 2:
        raise InputError(
            f"With threshold {threshold} on {condition!r}, {n_met} rows meet the condition and {n_not} "
            "do not; each side needs at least two. Choose a threshold inside the range of the scores."
        )
    centre, sd = float(frame[x].mean()), float(frame[x].std(ddof=1))
    design = pd.DataFrame({"y": frame[y], "xc": frame[x] - centre, "met": met})
    cov_terms = [f"cov{i}" for i in range(len(covariates))]
    for term, c in zip(cov_terms, covariates, strict=True):
        design[term] = frame[c] - frame[c].mean()
    fit = smf.ols(" + ".join(["y ~ xc * met", *cov_terms]), data=design).fit()
    params = list(fit.params.index)

    def contrast(**weights) -> np.ndarray:
        vector = np.zeros(len(params))
        for term, w in weights.items():
            vector[params.index(term.replace("_", ":"))] = w
        return vector

    slopes = pd.DataFrame(
        [
            {"condition": "not met", "n": n_not, **_slope(fit, contrast(xc=1.0), ci_level)},
            {"condition": "met", "n": n_met, **_slope(fit, contrast(xc=1.0, xc_met=1.0), ci_level)},
        ]
    )
    high = []
    for label, flag in (("not met", 0.0), ("met", 1.0)):
        new = pd.DataFrame({"xc": [sd], "met": [flag], **{t: [0.0] for t in cov_terms}})
        pred = fit.get_prediction(new).summary_frame(alpha=1 - ci_level).iloc[0]
        high.append(
            {
                "condition": label,
                x: centre + sd,
                "predicted": float(pred["mean"]),
                "ci_low": float(pred["mean_ci_lower"]),
                "ci_high": float(pred["mean_ci_upper"]),
            }
        )
    diff = _slope(fit, contrast(xc_met=1.0), ci_level)
    return Result(
        method=f"Condition test: slope of {x} when {condition} >= {threshold:g} minus when not",
        estimate=diff["slope"],
        n=int(fit.nobs),
        ci=(diff["ci_low"], diff["ci_high"]),
        ci_level=ci_level,
        statistic=diff["t"],
        statistic_name="t",
        df=float(fit.df_resid),
        p_value=diff["p"],
        reference="Aiken & West (1991), ch. 7; claim from Hirsh, Garrow & Holbeche (2005, Roffey Park)",
        details={
            "slopes": slopes,
            "at_high_x": pd.DataFrame(high),
            "threshold": threshold,
            "n_met": n_met,
            "n_not_met": n_not,
            "covariates": list(covariates),
            "names": {"y": y, "x": x, "condition": condition},
        },
    )


def condition_sensitivity(
    data: pd.DataFrame,
    y: str,
    x: str,
    condition: str,
    *,
    thresholds: Sequence[float],
    covariates: Sequence[str] = (),
    ci_level: float = 0.95,
) -> pd.DataFrame:
    """:func:`condition_test` at several cut-offs: does the answer depend on where the line is drawn?

    One row per threshold: ``threshold``, ``n_not_met``, ``n_met``, the slope of x (with CI) in each
    condition, and the p-value of their difference. Thresholds leaving fewer than two rows on a side
    are skipped.
    """
    from .result import format_p

    ci_level = checks.ci_level(ci_level)
    rows = []
    for threshold in thresholds:
        try:
            result = condition_test(
                data, y, x, condition, threshold=threshold, covariates=covariates, ci_level=ci_level
            )
        except InputError:
            continue
        slopes = result.details["slopes"].set_index("condition")
        row = {"threshold": threshold, "n_not_met": result.details["n_not_met"], "n_met": result.details["n_met"]}
        for label in ("not met", "met"):
            s = slopes.loc[label]
            row[f"slope if {label}"] = f"{s['slope']:.2f} [{s['ci_low']:.2f}, {s['ci_high']:.2f}]"
        row["p (difference)"] = format_p(result.p_value) if result.p_value is not None else ""
        rows.append(row)
    return pd.DataFrame(rows)
