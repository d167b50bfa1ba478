"""Statistics for partnership data, each returning a :class:`~helpers.stats.result.Result`.

The libraries do the maths (scipy, statsmodels, pingouin, krippendorff); these functions frame the
question, pick the method, and report effect sizes with confidence intervals and references.
Import the sub-module you need, e.g. ``from helpers.stats import agreement``.
"""

from .result import Result, band, format_p, results_table

__all__ = ["Result", "band", "format_p", "results_table"]
