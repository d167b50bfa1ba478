"""Planning the next evaluation: power, sample size and the smallest detectable effect of a t-test.

Paired (the same people twice, statsmodels ``TTestPower``) or two independent groups of equal size
(``TTestIndPower``). The effect size is Cohen's d: for a paired design the mean change over the SD of
the changes (``d_z``), for two groups the mean difference over the pooled SD. Checked against R's
``pwr::pwr.t.test`` in ``tests/test_reference_r.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..errors import ParameterError
from . import checks
from .result import Result

DESIGNS = ("paired", "two-group")
#: Asymptotic relative efficiency of the signed-rank test to the t-test under normality, 3/pi
#: (Lehmann 1975): plan n / (3/pi) when the analysis will be the rank test.
WILCOXON_ARE = 3 / math.pi

_POWER_REF = (
    "Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences (2nd ed.). Computed "
    "with statsmodels.stats.power (TTestPower / TTestIndPower)."
)


def _check_choice(name: str, value: str, options) -> str:
    return checks.choice(name, value, options)


def _check_n(n, design: str) -> int:
    if isinstance(n, bool) or not float(n).is_integer() or n < 2:
        unit = "pairs" if design == "paired" else "people per group"
        raise ParameterError(f"`n` must be a whole number of {unit} >= 2; it is {n!r}.")
    return int(n)


# --------------------------------------------------------------------------------------------


def _power_engine(design: str):
    from statsmodels.stats.power import TTestIndPower, TTestPower

    _check_choice("design", design, DESIGNS)
    return TTestPower() if design == "paired" else TTestIndPower()


def _nobs(design: str, n) -> dict:
    """statsmodels names the sample size ``nobs`` (paired) and ``nobs1`` (two groups)."""
    return {"nobs" if design == "paired" else "nobs1": n}


def _alt(alternative: str) -> str:
    _check_choice("alternative", alternative, ("two-sided", "larger", "smaller"))
    return alternative


def _check_effect(effect_size: float) -> float:
    if not effect_size or not np.isfinite(effect_size):
        raise ParameterError(f"`effect_size` must be a non-zero number (Cohen's d, e.g. 0.5); it is {effect_size!r}.")
    return float(effect_size)


def sample_size(
    effect_size: float,
    *,
    design: str = "paired",
    alpha: float = 0.05,
    power: float = 0.80,
    alternative: str = "two-sided",
) -> Result:
    """Sample size for a paired or two-group t-test to reach a given power.

    Parameters
    ----------
    effect_size : float
        Cohen's d: for ``design="paired"`` the mean change divided by the SD of the changes
        (``d_z``); for ``"two-group"`` the mean difference divided by the pooled SD.
    design : {"paired", "two-group"}
        Same people measured twice (statsmodels ``TTestPower``), or two independent groups of
        equal size (``TTestIndPower``).
    alpha, power : float
        Type I error rate and wanted power.
    alternative : {"two-sided", "larger", "smaller"}

    Returns
    -------
    Result
        ``estimate`` the exact (fractional) solution; ``n`` it rounded up -- pairs for a paired
        design, people *per group* for two groups; ``details`` adds ``total`` people and
        ``n_wilcoxon``, the n to plan when the analysis will be the signed-rank / rank-sum test:
        ``n / (3/pi)``, the asymptotic relative efficiency under normality (Lehmann 1975).

    Examples
    --------
    >>> res = sample_size(0.5)
    >>> round(res.estimate, 2), res.n
    (33.37, 34)
    >>> res = sample_size(0.5, design="two-group")
    >>> round(res.estimate, 2), res.n, res.details["total"]
    (63.77, 64, 128)
    """
    engine = _power_engine(design)
    effect_size = _check_effect(effect_size)
    alpha, power = checks.ci_level(alpha, "alpha"), checks.ci_level(power, "power")
    exact = float(engine.solve_power(effect_size=effect_size, alpha=alpha, power=power, alternative=_alt(alternative)))
    n = math.ceil(exact - 1e-9)
    unit = "pairs" if design == "paired" else "per group"
    total = n if design == "paired" else 2 * n
    return Result(
        method=f"Sample size, {design} t-test",
        estimate=exact,
        n=n,
        interpretation=f"{n} {unit} for {power:.0%} power at d = {effect_size:g}, alpha = {alpha:g} ({alternative})",
        reference=_POWER_REF,
        details={
            "effect_size": effect_size,
            "alpha": alpha,
            "power": power,
            "design": design,
            "total": total,
            "n_wilcoxon": math.ceil(exact / WILCOXON_ARE - 1e-9),
        },
    )


def power(
    effect_size: float, n: int, *, design: str = "paired", alpha: float = 0.05, alternative: str = "two-sided"
) -> Result:
    """Power of a paired or two-group t-test with ``n`` pairs (or ``n`` per group).

    Examples
    --------
    Nine people rated twice, a medium change (d = 0.5):

    >>> round(power(0.5, 9).estimate, 3)
    0.263
    """
    engine = _power_engine(design)
    effect_size = _check_effect(effect_size)
    alpha, n = checks.ci_level(alpha, "alpha"), _check_n(n, design)
    value = float(engine.power(effect_size=effect_size, alpha=alpha, alternative=_alt(alternative), **_nobs(design, n)))
    unit = "pairs" if design == "paired" else "per group"
    return Result(
        method=f"Power, {design} t-test",
        estimate=value,
        n=int(n),
        interpretation=f"{value:.0%} chance to detect d = {effect_size:g} with {n} {unit}",
        reference=_POWER_REF,
        details={"effect_size": effect_size, "alpha": alpha, "design": design},
    )


def minimum_detectable_effect(
    n: int, *, design: str = "paired", alpha: float = 0.05, power: float = 0.80, alternative: str = "two-sided"
) -> Result:
    """The smallest Cohen's d a paired or two-group t-test detects with the given power.

    Examples
    --------
    >>> round(minimum_detectable_effect(9).estimate, 2)
    1.07
    """
    engine = _power_engine(design)
    alpha, power = checks.ci_level(alpha, "alpha"), checks.ci_level(power, "power")
    n = _check_n(n, design)
    value = float(
        engine.solve_power(
            effect_size=None, alpha=alpha, power=power, alternative=_alt(alternative), **_nobs(design, n)
        )
    )
    unit = "pairs" if design == "paired" else "per group"
    return Result(
        method=f"Minimum detectable effect (Cohen's d), {design} t-test",
        estimate=value,
        n=int(n),
        interpretation=f"with {n} {unit}, {power:.0%} power only for d >= {value:.2f}",
        reference=_POWER_REF,
        details={"alpha": alpha, "power": power, "design": design},
    )


def power_curve(
    effect_sizes: Iterable[float],
    ns: Iterable[int],
    *,
    design: str = "paired",
    alpha: float = 0.05,
    alternative: str = "two-sided",
):
    """Power for every combination of effect size and n, as a tidy DataFrame.

    Returns
    -------
    pandas.DataFrame with columns ``effect_size``, ``n``, ``power``, sorted.
    """
    import pandas as pd

    engine = _power_engine(design)
    alpha = checks.ci_level(alpha, "alpha")
    rows = [
        {
            "effect_size": float(es),
            "n": int(n),
            "power": float(
                engine.power(
                    effect_size=_check_effect(es),
                    alpha=alpha,
                    alternative=_alt(alternative),
                    **_nobs(design, _check_n(n, design)),
                )
            ),
        }
        for es in effect_sizes
        for n in ns
    ]
    return pd.DataFrame(rows).sort_values(["effect_size", "n"], ignore_index=True)
