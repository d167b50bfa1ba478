"""Agreement of coders classifying units: Krippendorff's alpha, Cohen's and Fleiss' kappa.

Krippendorff's alpha takes any number of coders, missing codes and any level of measurement
(``krippendorff``); Cohen's kappa two raters, weighted or not, and Fleiss' kappa many raters on
nominal categories (statsmodels). Kappas are banded after Landis & Koch (1977), alpha after
Krippendorff (2004).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from ...errors import ParameterError, WorkbookError
from ..result import Result
from ._common import (
    ALPHA_BANDS,
    KAPPA_BANDS,
    KRIPPENDORFF_2004,
    LANDIS_KOCH,
    _banded,
    _check_level,
    _numeric_matrix,
    _unit_bootstrap,
    with_bands,
)

_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _reliability_codes(reliability_data, level: str, value_domain):
    """Coders x units as floats for :func:`krippendorff.alpha`, labels mapped to domain positions."""
    frame = pd.DataFrame(reliability_data)
    if frame.shape[0] < 2 or frame.shape[1] < 1:
        raise WorkbookError("Krippendorff's alpha needs at least two coders (rows) and one unit (column).")
    values = frame.to_numpy(dtype=object).ravel()
    present = pd.notna(values)
    numeric = pd.to_numeric(pd.Series(values[present]), errors="coerce").notna().all()
    if numeric:
        codes = np.asarray(pd.DataFrame(frame).apply(pd.to_numeric), dtype=float)
        if value_domain is None:
            return codes, None
        domain = np.asarray(value_domain, dtype=float)
        outside = sorted(set(codes[~np.isnan(codes)]) - set(domain))
        if outside:
            raise WorkbookError(f"Value {outside[0]!r} is not in `value_domain` {list(value_domain)}.")
        return codes, domain
    if level in ("interval", "ratio"):
        raise WorkbookError(
            f"A {level} alpha needs numeric ratings; these hold labels. Use level='ordinal' "
            "with an ordered `value_domain`, or 'nominal'."
        )
    if value_domain is None:
        if level == "ordinal":
            raise WorkbookError("An ordinal alpha on labels needs `value_domain`: the labels in their order.")
        value_domain = sorted(set(values[present]), key=str)
    position = {label: float(i) for i, label in enumerate(value_domain)}
    unknown = [v for v in values[present] if v not in position]
    if unknown:
        raise WorkbookError(f"Label {unknown[0]!r} is not in `value_domain` {list(value_domain)}.")
    codes = np.array([position[v] if ok else np.nan for v, ok in zip(values, present, strict=True)])
    codes = codes.reshape(frame.shape)
    return codes, np.arange(len(value_domain), dtype=float)


def krippendorff_alpha(
    reliability_data,
    level: str = "interval",
    value_domain: Sequence | None = None,
    n_boot: int = 0,
    seed: int | None = None,
    ci_level: float = 0.95,
) -> Result:
    """Krippendorff's alpha for any number of coders, missing data and any level of measurement.

    .. math:: \\alpha = 1 - D_o / D_e

    the observed over the expected disagreement, computed from the coincidence matrix by the
    ``krippendorff`` package. Pass ``value_domain`` (all the scale's categories, in order) so that
    categories nobody used still count: the ordinal distance depends on them.

    Parameters
    ----------
    reliability_data : DataFrame or 2-D array, coders (rows) x units (columns); missing = NaN/None.
        Numbers, or labels (then ``value_domain`` gives their order for an ordinal alpha).
    level : 'nominal', 'ordinal', 'interval' or 'ratio' (Stevens' level of the ratings).
    value_domain : every possible value, ordered; default the values seen.
    n_boot : if > 0, a percentile bootstrap CI from resampling units ``n_boot`` times (seeded by
        ``seed``). This resamples units, not the coincidences of Hayes & Krippendorff (2007).
    seed, ci_level : the bootstrap's seed and coverage.

    Returns
    -------
    Result; n = units coded by at least two coders (pairable units). Band after Krippendorff (2004):
    unacceptable below .667, tentative from .667, acceptable from .800.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication, University of Pennsylvania. Krippendorff, K. (2004). Content analysis (2nd ed.).

    Examples
    --------
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> round(krippendorff_alpha(data, level="nominal").estimate, 3)
    0.743
    """
    import krippendorff

    if level not in _LEVELS:
        raise ParameterError(f"`level` must be one of {', '.join(_LEVELS)}; it is {level!r}.")
    ci_level = _check_level(ci_level)
    codes, domain = _reliability_codes(reliability_data, level, value_domain)
    pairable = int(((~np.isnan(codes)).sum(axis=0) >= 2).sum())
    if pairable < 1:
        raise WorkbookError("No unit was coded by two or more coders; alpha needs pairable values.")

    measurement = cast(Literal["nominal", "ordinal", "interval", "ratio"], level)  # checked against _LEVELS above

    def statistic(columns: np.ndarray) -> float:
        with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 when one value only: NaN, handled
            return float(
                krippendorff.alpha(
                    reliability_data=codes[:, columns], value_domain=domain, level_of_measurement=measurement
                )
            )

    try:
        estimate = statistic(np.arange(codes.shape[1]))
    except ValueError as error:  # a single value in the whole domain, for instance
        raise WorkbookError(f"Krippendorff's alpha cannot be computed here: {error}") from None
    if not np.isfinite(estimate):
        raise WorkbookError("Krippendorff's alpha is undefined: every coder used the same single value.")
    ci: tuple[float, float] | None = None
    info: dict[str, Any] = {}
    if n_boot:
        ci, info = _unit_bootstrap(statistic, codes.shape[1], int(n_boot), seed, ci_level)
    return Result(
        method=f"Krippendorff's alpha ({level})",
        estimate=estimate,
        n=pairable,
        ci=ci,
        ci_level=ci_level,
        interpretation=_banded(estimate, ALPHA_BANDS),
        interpretation_source="Krippendorff (2004)",
        reference=with_bands("Krippendorff (2011), Computing Krippendorff's alpha-reliability", KRIPPENDORFF_2004),
        details={
            "n_coders": codes.shape[0],
            "n_units": codes.shape[1],
            "n_values": int((~np.isnan(codes)).sum()),
            "level": level,
            **info,
        },
    )


def _contingency(rater1, rater2, categories) -> pd.DataFrame:
    first, second = pd.Series(list(rater1)), pd.Series(list(rater2))
    if len(first) != len(second):
        raise WorkbookError(f"The two raters rated different numbers of units ({len(first)} and {len(second)}).")
    both = first.notna() & second.notna()
    first, second = first[both], second[both]
    if categories is None:
        categories = sorted(set(first) | set(second), key=lambda v: (str(type(v)), v))
    unknown = sorted((set(first) | set(second)) - set(categories), key=str)
    if unknown:
        raise WorkbookError(f"Rating {unknown[0]!r} is not one of the categories {list(categories)}.")
    return pd.crosstab(pd.Categorical(first, categories), pd.Categorical(second, categories), dropna=False).reindex(
        index=categories, columns=categories, fill_value=0
    )


def cohens_kappa(
    table_or_rater1,
    rater2=None,
    *,
    weights: str | None = None,
    categories: Sequence | None = None,
    ci_level: float = 0.95,
) -> Result:
    """Cohen's kappa for two raters, unweighted or with linear / quadratic weights.

    .. math:: \\kappa = \\frac{p_o - p_e}{1 - p_e}

    (observed minus chance agreement over its maximum). Weighted kappa credits near misses on an
    ordered scale; weights depend on category *positions* (0, 1, 2...), not their values. The CI
    uses the asymptotic standard error of Fleiss, Cohen & Everitt (1969) and the z test its
    standard error under kappa = 0, both from :func:`statsmodels.stats.inter_rater.cohens_kappa`.

    Parameters
    ----------
    table_or_rater1 : a square contingency table (rows rater 1, columns rater 2, same category
        order), or rater 1's ratings when ``rater2`` is given.
    rater2 : rater 2's ratings of the same units, in the same order (pairs with a missing rating
        are dropped).
    weights : None, 'linear' or 'quadratic'.
    categories : every category in order (needed for ratings whose order is not their sort order,
        and so that unused categories count in a weighted kappa).
    ci_level : coverage of the interval.

    Returns
    -------
    Result with kappa, CI, z and two-sided p, n = rated units, Landis & Koch (1977) band: poor
    (< 0), slight, fair (.21), moderate (.41), substantial (.61), almost perfect (.81).

    References
    ----------
    Cohen, J. (1960). Educational and Psychological Measurement, 20(1), 37-46. Cohen, J. (1968).
    Weighted kappa. Psychological Bulletin, 70(4), 213-220.

    Examples
    --------
    >>> round(cohens_kappa([[0, 4, 1], [0, 8, 0], [0, 1, 5]]).estimate, 4)
    0.4842
    """
    from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa

    if weights not in (None, "linear", "quadratic"):
        raise ParameterError(f"`weights` must be None, 'linear' or 'quadratic'; it is {weights!r}.")
    ci_level = _check_level(ci_level)
    if rater2 is None:
        table = _numeric_matrix(table_or_rater1, "table", allow_missing=False)
        if table.shape[0] != table.shape[1] or table.shape[0] < 2:
            raise WorkbookError(
                f"A kappa table must be square (same categories for both raters); it is "
                f"{table.shape[0]} x {table.shape[1]}. To pass ratings, give both raters: "
                "cohens_kappa(rater1, rater2)."
            )
        if (table < 0).any() or not np.equal(np.mod(table, 1), 0).all():
            raise WorkbookError("A kappa table must hold counts (whole numbers >= 0).")
    else:
        table = _contingency(table_or_rater1, rater2, categories).to_numpy(dtype=float)
    n = int(table.sum())
    if n < 2:
        raise WorkbookError(f"Cohen's kappa needs at least two rated units; got {n}.")
    wt = {None: None, "linear": "linear", "quadratic": "quadratic"}[weights]
    with np.errstate(all="ignore"):  # degenerate margins give 0/0 variances: handled below
        res = sm_kappa(table, wt=wt)
        low, high = res.distribution_kappa.interval(ci_level)
    if not np.isfinite(res.kappa):
        raise WorkbookError("Cohen's kappa is undefined: both raters used one and the same category throughout.")
    # With degenerate margins (a rater using one category only) the standard errors are undefined.
    has_ci = bool(np.isfinite(low) and np.isfinite(high) and res.std_kappa > 0)
    has_test = bool(np.isfinite(res.z_value) and res.std_kappa0 > 0)
    name = "Cohen's kappa" if weights is None else f"Cohen's kappa ({weights} weights)"
    return Result(
        method=name,
        estimate=float(res.kappa),
        n=n,
        ci=(float(low), float(high)) if has_ci else None,
        ci_level=ci_level,
        statistic=float(res.z_value) if has_test else None,
        statistic_name="z",
        p_value=float(res.pvalue_two_sided) if has_test else None,
        interpretation=_banded(res.kappa, KAPPA_BANDS),
        interpretation_source="Landis & Koch (1977)",
        reference=with_bands(
            "Cohen (1960); Cohen (1968) for weighted kappa; SE of Fleiss, Cohen & Everitt (1969)", LANDIS_KOCH
        ),
        details={
            "table": table,
            "se": float(res.std_kappa) if has_ci else None,
            "se0": float(res.std_kappa0) if has_test else None,
            "kappa_max": float(res.kappa_max),
        },
    )


def fleiss_kappa(counts, n_boot: int = 0, seed: int | None = None, ci_level: float = 0.95) -> Result:
    """Fleiss' kappa: agreement of many raters classifying subjects into nominal categories.

    .. math:: \\kappa = \\frac{\\bar P - \\bar P_e}{1 - \\bar P_e}

    with :math:`\\bar P` the mean agreement per subject and :math:`\\bar P_e` the agreement expected
    from the category shares (Fleiss 1971), computed by
    :func:`statsmodels.stats.inter_rater.fleiss_kappa`. Raters need not be the same people for every
    subject, but each subject must be rated by the same number of raters.

    Parameters
    ----------
    counts : DataFrame or 2-D array, subjects (rows) x categories (columns): how many raters put
        each subject in each category. (:func:`statsmodels.stats.inter_rater.aggregate_raters`
        builds it from subjects x raters labels.)
    n_boot, seed, ci_level : if ``n_boot`` > 0, a seeded percentile bootstrap CI resampling subjects.

    Returns
    -------
    Result with kappa, n = subjects, ``details["raters_per_subject"]`` and the Landis & Koch (1977)
    band (which Landis & Koch proposed for kappa statistics generally).

    References
    ----------
    Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
    Bulletin, 76(5), 378-382.

    Examples
    --------
    >>> round(fleiss_kappa([[3, 0], [0, 3], [2, 1], [3, 0]]).estimate, 3)
    0.625
    """
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

    ci_level = _check_level(ci_level)
    table = _numeric_matrix(counts, "counts", allow_missing=False)
    if (table < 0).any() or not np.equal(np.mod(table, 1), 0).all():
        raise WorkbookError("Fleiss' kappa needs counts of raters (whole numbers >= 0) in every cell.")
    per_subject = table.sum(axis=1)
    if table.shape[0] < 2 or table.shape[1] < 2:
        raise WorkbookError("Fleiss' kappa needs at least two subjects (rows) and two categories (columns).")
    if len(set(per_subject)) != 1 or per_subject[0] < 2:
        first_odd = int(np.argmax(per_subject != per_subject[0])) + 1
        raise WorkbookError(
            "Every subject must be rated by the same number (>= 2) of raters; "
            f"row 1 has {per_subject[0]:g} ratings, row {first_odd} has {per_subject[first_odd - 1]:g}."
        )

    def statistic(rows: np.ndarray) -> float:
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(sm_fleiss(table[rows], method="fleiss"))

    estimate = statistic(np.arange(table.shape[0]))
    if not np.isfinite(estimate):
        raise WorkbookError("Fleiss' kappa is undefined: every rating fell in one category.")
    ci: tuple[float, float] | None = None
    info: dict[str, Any] = {}
    if n_boot:
        ci, info = _unit_bootstrap(statistic, table.shape[0], int(n_boot), seed, ci_level)
    return Result(
        method="Fleiss' kappa",
        estimate=estimate,
        n=int(table.shape[0]),
        ci=ci,
        ci_level=ci_level,
        interpretation=_banded(estimate, KAPPA_BANDS),
        interpretation_source="Landis & Koch (1977)",
        reference=with_bands("Fleiss (1971), Psychol. Bull. 76, 378-382", LANDIS_KOCH),
        details={"raters_per_subject": int(per_subject[0]), "n_categories": int(table.shape[1]), **info},
    )
