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

The three live in :mod:`.curves`, :mod:`.comparison` and :mod:`.hazards`, with the input checks they
share in :mod:`._common`; everything public is importable from here
(``from helpers.stats.survival import cox, kaplan_meier, logrank``).
"""

from .comparison import LOGRANK_REFERENCE, logrank
from .curves import KM_REFERENCE, KaplanMeier, kaplan_meier
from .hazards import COX_REFERENCE, CoxModel, cox

__all__ = [
    "COX_REFERENCE",
    "KM_REFERENCE",
    "LOGRANK_REFERENCE",
    "CoxModel",
    "KaplanMeier",
    "cox",
    "kaplan_meier",
    "logrank",
]
