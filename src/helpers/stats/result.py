"""The small result object every statistic in :mod:`helpers.stats` returns.

A result carries what a reader needs to judge the number: the estimate, its confidence interval,
n, the test statistic and p-value where there is one, the method's name and reference, and the
interpretation band from the literature where one exists (named, so a learner can look it up).
``Result.table()`` gives one APA-style row as a DataFrame; notebooks show that, never raw library
summaries (whose dates and times would change every run).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Result:
    """One estimate with its uncertainty and provenance.

    Attributes
    ----------
    method : name of the statistic as a reader would cite it, e.g. ``"Kendall's W (tie-corrected)"``.
    estimate : the point estimate.
    n : the number of observations the estimate rests on (units, pairs, respondents...).
    ci : ``(low, high)`` confidence interval, or ``None`` where no standard interval exists.
    ci_level : the interval's coverage, e.g. 0.95.
    statistic, statistic_name, df, p_value : the test, where there is one.
    interpretation : the band the estimate falls in, e.g. ``"moderate"``.
    interpretation_source : whose bands those are, e.g. ``"Landis & Koch (1977)"``.
    reference : the method's reference.
    details : anything else worth keeping (e.g. per-item tables), not shown in ``table()``.
    """

    method: str
    estimate: float
    n: int
    ci: tuple[float, float] | None = None
    ci_level: float = 0.95
    statistic: float | None = None
    statistic_name: str | None = None
    df: float | tuple[float, ...] | None = None
    p_value: float | None = None
    interpretation: str | None = None
    interpretation_source: str | None = None
    reference: str = ""
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    def table(self, digits: int = 3):
        """One APA-style row: method, n, estimate, CI, test statistic, p, interpretation."""
        import pandas as pd

        row = {"method": self.method, "n": self.n, "estimate": round(float(self.estimate), digits)}
        if self.ci is not None:
            level = f"{self.ci_level:.0%} CI"
            row[level] = f"[{format_number(self.ci[0], digits)}, {format_number(self.ci[1], digits)}]"
        if self.statistic is not None:
            name = self.statistic_name or "statistic"
            row[name] = round(float(self.statistic), digits)
        if self.df is not None:
            row["df"] = self.df
        if self.p_value is not None:
            row["p"] = format_p(self.p_value)
        if self.interpretation is not None:
            source = f" ({self.interpretation_source})" if self.interpretation_source else ""
            row["interpretation"] = self.interpretation + source
        return pd.DataFrame([row])

    def reading(self, **context: Any) -> str:
        """One or two plain-language sentences on what this result means (:func:`helpers.stats.readings.reading`)."""
        from .readings import reading

        return reading(self, **context)

    def __str__(self) -> str:
        parts = [f"{self.method} = {self.estimate:.3f}"]
        if self.ci is not None:
            parts.append(f"{self.ci_level:.0%} CI [{self.ci[0]:.3f}, {self.ci[1]:.3f}]")
        if self.p_value is not None:
            parts.append(f"p {format_p(self.p_value)}")
        parts.append(f"n = {self.n}")
        if self.interpretation:
            parts.append(self.interpretation)
        return ", ".join(parts)


def format_number(value: float, digits: int = 3) -> str:
    """``value`` with ``digits`` decimals, never a negative zero: a bound of -0.002 reads ``0.00``, not ``-0.00``.

    >>> format_number(-0.0021, 2), format_number(-0.0061, 2), format_number(1.5, 3)
    ('0.00', '-0.01', '1.500')
    """
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def format_p(p: float) -> str:
    """APA style: ``"< .001"`` below a thousandth, else three decimals without the leading zero."""
    if p < 0.001:
        return "< .001"
    return f"{p:.3f}".replace("0.", ".", 1) if p < 1 else "1.000"


def format_table(frame, digits: int = 3):
    """A statistics table as a reader should see it: numbers rounded to ``digits``, p-values in APA style.

    Rounding never leaves a negative zero (a bound of -0.002 shows as 0.0, not -0.0).

    Columns named ``p`` or starting ``p_`` (``p_unc``, ``p_adj``, ``p_tukey``, ``p_holm``) are shown with
    :func:`format_p` (``"< .001"``, never ``0.000``); missing p-values stay empty.

    >>> import pandas as pd
    >>> format_table(pd.DataFrame({"diff": [0.6781, 0.0655], "p_tukey": [0.00001, 0.7981]}))
        diff p_tukey
    0  0.678  < .001
    1  0.066    .798
    """
    import pandas as pd

    table = frame.round(digits)
    for column in table.select_dtypes("float").columns:
        table[column] = table[column] + 0.0  # -0.0 + 0.0 is 0.0
    for column in table.columns:
        if column == "p" or str(column).startswith("p_"):
            table[column] = [format_p(float(v)) if pd.notna(v) else "" for v in frame[column]]
    return table


def band(value: float, cuts: Sequence[float], labels: Sequence[str], *, above: bool = False) -> str:
    """The label of the band ``value`` falls in; ``cuts`` are the lower edges of labels[1:].

    The value is read unrounded. ``above=True`` when the source's edges are strict ("> .7"): a value
    exactly at an edge then stays in the lower band. A NaN or infinite value has no band (an error).

    >>> band(0.45, [0.0, 0.2, 0.4, 0.6, 0.8], ["poor", "slight", "fair", "moderate", "substantial", "almost perfect"])
    'moderate'
    """
    from ..errors import WorkbookError

    if len(labels) != len(cuts) + 1:
        raise ValueError("band() needs one more label than cut")
    if value is None or value != value or value in (float("inf"), float("-inf")):
        raise WorkbookError(f"The estimate is undefined ({value!r}), so it has no interpretation band.")
    index = sum((value > c) if above else (value >= c) for c in cuts)
    return labels[index]


def results_table(results: Sequence[Result], digits: int = 3):
    """Stack several results' ``table()`` rows into one DataFrame."""
    import pandas as pd

    return pd.concat([r.table(digits) for r in results], ignore_index=True)
