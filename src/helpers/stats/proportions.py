"""Poll proportions with honest intervals, chi-square with Cramér's V, and p-value adjustment.

Workshop polls are small: a proportion of 7 out of 12 deserves an interval that behaves at small n
and near 0 or 1, so every interval here is Wilson's score interval (Newcombe 1998 compared seven
methods and recommends it). statsmodels does the maths (``proportion_confint``, ``multipletests``),
scipy the chi-square test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError, WorkbookError
from . import checks
from .result import Result, band

_WILSON_REFERENCE = (
    "Wilson (1927), J. Am. Stat. Assoc. 22, 209-212; recommended by Newcombe (1998), Stat. Med. 17, 857-872"
)
_P_METHODS = {
    "holm": "Holm (1979) step-down, family-wise error",
    "fdr_bh": "Benjamini & Hochberg (1995), false discovery rate",
}


def _check_level(level: float) -> float:
    return checks.ci_level(level)


def _wilson(count, n, level: float) -> tuple[np.ndarray, np.ndarray]:
    from statsmodels.stats.proportion import proportion_confint

    return proportion_confint(count, n, alpha=1 - level, method="wilson")


def wilson_ci(count: int, n: int, ci_level: float = 0.95) -> Result:
    """A proportion with its Wilson score interval.

    .. math:: \\frac{\\hat p + z^2/2n \\pm z \\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    computed by ``statsmodels.stats.proportion.proportion_confint(method="wilson")``. Unlike the
    textbook (Wald) interval it never leaves [0, 1] and keeps its coverage at small n.

    Parameters
    ----------
    count : number of "yes" answers.
    n : number of answers.
    ci_level : coverage of the interval.

    Returns
    -------
    Result with the proportion, its interval and n.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    Journal of the American Statistical Association, 22(158), 209-212.
    Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison of
    seven methods. Statistics in Medicine, 17(8), 857-872.

    Examples
    --------
    >>> result = wilson_ci(81, 263)
    >>> round(result.ci[0], 4), round(result.ci[1], 4)
    (0.2553, 0.3662)
    """
    level = _check_level(ci_level)
    for name, value in (("count", count), ("n", n)):
        if isinstance(value, bool) or not float(value).is_integer() or value < 0:
            raise WorkbookError(f"`{name}` must be a whole number >= 0; it is {value!r}.")
    if n == 0:
        raise WorkbookError("A proportion needs at least one answer (n = 0).")
    if count > n:
        raise WorkbookError(f"`count` ({count}) cannot exceed `n` ({n}).")
    low, high = _wilson(int(count), int(n), level)
    return Result(
        method="Proportion (Wilson score interval)",
        estimate=count / n,
        n=int(n),
        ci=(float(low), float(high)),
        ci_level=level,
        reference=_WILSON_REFERENCE,
        details={"count": int(count)},
    )


def proportions_table(
    data, ci_level: float = 0.95, *, counts: bool = False, order: Sequence | None = None
) -> pd.DataFrame:
    """The share of each answer with its Wilson interval: one tidy row per answer option.

    Parameters
    ----------
    data : the answers (a Series or list, one element per answer; missing answers are left out), or,
        with ``counts=True`` or a dict, a mapping answer -> count.
    ci_level : coverage of the intervals.
    counts : read ``data`` as answer -> count.
    order : the answer options in display order (e.g. the codebook's labels); options nobody chose
        appear with count 0. Default: the options seen, sorted.

    Returns
    -------
    DataFrame with columns ``label``, ``count``, ``n`` (answers in total), ``proportion``,
    ``ci_low``, ``ci_high``; ``attrs`` names the method and reference. Each interval is for that
    option alone (not simultaneous).

    References
    ----------
    Newcombe, R. G. (1998). Statistics in Medicine, 17(8), 857-872.

    Examples
    --------
    >>> proportions_table(["yes", "no", "yes", "yes"], order=["yes", "no", "unsure"])[["label", "count"]]
        label  count
    0     yes      3
    1      no      1
    2  unsure      0
    """
    level = _check_level(ci_level)
    if counts or isinstance(data, Mapping):
        tally = pd.Series(data, dtype=object)
        numbers = pd.to_numeric(tally, errors="coerce")
        bad = numbers.isna() | (numbers < 0) | (numbers % 1 != 0)
        if bad.any():
            raise WorkbookError(
                f"Count for {bad.idxmax()!r} is {tally[bad.idxmax()]!r}; counts must be whole numbers >= 0."
            )
        tally = numbers.astype(int)
    else:
        answers = pd.Series(list(data) if not isinstance(data, pd.Series) else data, dtype=object).dropna()
        tally = answers.value_counts(sort=False)
    if order is None:
        order = sorted(tally.index, key=lambda v: (str(type(v)), v))
    else:
        unknown = [label for label in tally.index if label not in set(order)]
        if unknown:
            raise WorkbookError(f"Answer {unknown[0]!r} is not one of the options in `order` {list(order)}.")
    tally = tally.reindex(list(order), fill_value=0)
    n = int(tally.sum())
    if n == 0:
        raise WorkbookError("There are no answers to tabulate (n = 0).")
    low, high = _wilson(tally.to_numpy(), n, level)
    table = pd.DataFrame(
        {
            "label": list(order),
            "count": tally.to_numpy(dtype=int),
            "n": n,
            "proportion": tally.to_numpy() / n,
            "ci_low": low,
            "ci_high": high,
        }
    )
    table.attrs.update(method=f"Proportion with {level:.0%} Wilson score interval", reference=_WILSON_REFERENCE)
    return table


def _bergsma_v(phi2: float, n: int, r: int, k: int) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013): shrink phi^2 and the table's size by their bias."""
    phi2_corrected = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    r_corrected = r - (r - 1) ** 2 / (n - 1)
    k_corrected = k - (k - 1) ** 2 / (n - 1)
    denominator = min(k_corrected - 1, r_corrected - 1)
    return float(np.sqrt(phi2_corrected / denominator)) if denominator > 0 else 0.0


def _cramers_v(table: np.ndarray, bias_corrected: bool) -> float:
    from scipy import stats

    n = table.sum()
    chi2 = stats.chi2_contingency(table, correction=False)[0]
    r, k = table.shape
    if bias_corrected:
        return _bergsma_v(chi2 / n, int(n), r, k)
    return float(np.sqrt(chi2 / n / (min(r, k) - 1)))


def chi_square(
    crosstab,
    *,
    bias_corrected: bool = False,
    yates: bool = False,
    n_boot: int = 0,
    seed: int | None = None,
    ci_level: float = 0.95,
) -> Result:
    """Pearson's chi-square test of independence with Cramér's V as the effect size.

    The test is :func:`scipy.stats.chi2_contingency` (without Yates' continuity correction unless
    ``yates=True``; it only applies to 2 x 2 tables). Cramér's V is
    :math:`\\sqrt{\\chi^2 / (n\\,(\\min(r, c) - 1))}`; it is biased upwards in small samples, so
    Bergsma's (2013) bias-corrected V is computed too, and ``bias_corrected`` picks the one reported
    as the estimate (both are always in ``details``). When more than 20% of cells expect fewer than
    5 answers, or any cell expects fewer than 1, the chi-square approximation is doubtful
    (Cochran 1954): ``details["warning"]`` says so.

    Parameters
    ----------
    crosstab : DataFrame or 2-D array of counts (e.g. ``pd.crosstab(df.party, df.answer)``).
    bias_corrected : report Bergsma's bias-corrected V as the estimate.
    yates : apply Yates' continuity correction to a 2 x 2 table's chi-square.
    n_boot, seed, ci_level : if ``n_boot`` > 0, a seeded percentile bootstrap CI for V, resampling the
        n respondents (a multinomial draw from the observed cell shares).

    Returns
    -------
    Result: estimate = Cramér's V, statistic chi2, df, p, n; band after Cohen (1988) for
    df* = min(r, c) - 1: small from .10/sqrt(df*), medium .30/sqrt(df*), large .50/sqrt(df*).
    ``details`` holds ``cramers_v``, ``cramers_v_corrected``, ``expected`` and the warning.

    References
    ----------
    Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T. Journal of the Korean
    Statistical Society, 42(3), 323-328. Cohen, J. (1988). Statistical power analysis for the
    behavioral sciences (2nd ed.). Cochran, W. G. (1954). Biometrics, 10(4), 417-451.

    Examples
    --------
    >>> result = chi_square([[10, 0], [0, 10]])
    >>> result.estimate, result.statistic
    (1.0, 20.0)
    """
    from scipy import stats

    level = _check_level(ci_level)
    n_boot = checks.n_boot(n_boot)
    frame = pd.DataFrame(crosstab)
    try:
        table = frame.to_numpy(dtype=float)
    except (ValueError, TypeError):
        raise WorkbookError("The crosstab must hold counts only (build it with pandas.crosstab).") from None
    if table.ndim != 2 or min(table.shape) < 2:
        raise WorkbookError(f"A chi-square test needs at least a 2 x 2 table; this one is {table.shape}.")
    if np.isnan(table).any() or (table < 0).any() or not np.equal(np.mod(table, 1), 0).all():
        raise WorkbookError("The crosstab must hold counts (whole numbers >= 0, no missing cells).")
    empty_rows = frame.index[table.sum(axis=1) == 0].tolist()
    empty_cols = frame.columns[table.sum(axis=0) == 0].tolist()
    if empty_rows or empty_cols:
        which = f"row {empty_rows[0]!r}" if empty_rows else f"column {empty_cols[0]!r}"
        raise WorkbookError(f"The crosstab's {which} is all zero; drop it before testing.")
    chi2, p, df, expected = stats.chi2_contingency(table, correction=yates)
    n = int(table.sum())
    r, k = table.shape
    v = _cramers_v(table, bias_corrected=False)
    v_corrected = _cramers_v(table, bias_corrected=True)
    estimate = v_corrected if bias_corrected else v
    small = int((expected < 5).sum())
    details = {
        "cramers_v": v,
        "cramers_v_corrected": v_corrected,
        "expected": pd.DataFrame(expected, index=frame.index, columns=frame.columns),
        "yates": bool(yates and df == 1),
    }
    if small / expected.size > 0.2 or expected.min() < 1:
        details["warning"] = (
            f"{small} of {expected.size} cells ({small / expected.size:.0%}) expect fewer than 5 answers "
            f"(smallest {expected.min():.2f}): the chi-square p-value is unreliable (Cochran 1954); "
            "merge sparse categories or use an exact test."
        )
    ci: tuple[float, float] | None = None
    if n_boot:
        rng = checks.rng(seed)
        draws = rng.multinomial(n, (table / n).ravel(), size=int(n_boot)).reshape(-1, r, k)
        values = [
            _cramers_v(t, bias_corrected) for t in draws if (t.sum(axis=0) > 0).all() and (t.sum(axis=1) > 0).all()
        ]
        tail = (1 - level) / 2 * 100
        if len(values) < max(10, int(n_boot) // 2):
            raise WorkbookError(
                f"Only {len(values)} of {n_boot} bootstrap resamples kept every row and column; the table is "
                "too sparse for a bootstrap interval of V. Merge sparse categories or set n_boot=0."
            )
        low, high = np.percentile(values, [tail, 100 - tail])
        ci = (float(low), float(high))
        details.update(
            bootstrap="percentile, multinomial resampling of respondents",
            n_boot=int(n_boot),
            n_boot_used=len(values),
            seed=seed,
        )
    df_star = min(r, k) - 1
    cuts = [c / np.sqrt(df_star) for c in (0.1, 0.3, 0.5)]
    return Result(
        method="Cramér's V (bias-corrected, Bergsma 2013)" if bias_corrected else "Cramér's V",
        estimate=estimate,
        n=n,
        ci=ci,
        ci_level=level,
        statistic=float(chi2),
        statistic_name="chi2",
        df=int(df),
        p_value=float(p),
        interpretation=band(estimate, cuts, ["negligible", "small", "medium", "large"]),
        interpretation_source=f"Cohen (1988), df* = {df_star}",
        reference="Pearson chi-square test; Cramér (1946); bias correction of Bergsma (2013)",
        details=details,
    )


def adjust_p(pvalues, method: str = "holm", alpha: float = 0.05) -> pd.DataFrame:
    """Adjust a family of p-values for multiple testing (statsmodels ``multipletests``).

    ``'holm'`` controls the family-wise error rate (Holm 1979: uniformly better than Bonferroni);
    ``'fdr_bh'`` controls the false discovery rate (Benjamini & Hochberg 1995), the usual choice when
    screening many poll questions.

    Parameters
    ----------
    pvalues : Series (its index labels the tests), dict, or sequence of p-values.
    method : 'holm' or 'fdr_bh'.
    alpha : the error rate for the ``reject`` column.

    Returns
    -------
    DataFrame in the input's order: ``test``, ``p``, ``p_adjusted``, ``reject``; ``attrs`` names the
    method.

    References
    ----------
    Holm, S. (1979). Scandinavian Journal of Statistics, 6(2), 65-70. Benjamini, Y., & Hochberg, Y.
    (1995). Journal of the Royal Statistical Society B, 57(1), 289-300.

    Examples
    --------
    >>> adjust_p([0.01, 0.04, 0.03, 0.005])["p_adjusted"].round(3).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    from .multitest import multipletests

    if method not in _P_METHODS:
        raise ParameterError(f"`method` must be 'holm' or 'fdr_bh'; it is {method!r}.")
    if isinstance(alpha, bool) or not 0 < alpha < 1:
        raise ParameterError(f"`alpha` must be between 0 and 1; it is {alpha!r}.")
    series = pd.Series(pvalues, dtype=object) if isinstance(pvalues, Mapping) else pd.Series(pvalues)
    if series.empty:
        raise WorkbookError("There are no p-values to adjust.")
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna() | (values < 0) | (values > 1)
    if bad.any():
        raise WorkbookError(f"p-value for {bad.idxmax()!r} is {series[bad.idxmax()]!r}; p-values lie in [0, 1].")
    reject, adjusted, _, _ = multipletests(values.to_numpy(dtype=float), alpha=alpha, method=method)
    table = pd.DataFrame(
        {"test": series.index, "p": values.to_numpy(dtype=float), "p_adjusted": adjusted, "reject": reject}
    )
    table.attrs.update(method=_P_METHODS[method], alpha=alpha)
    return table
