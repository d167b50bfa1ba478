"""Agreement between raters: do people who rate the same things give the same answers?

Two families live here. *Within-group agreement* (``rwg``, ``rwg_j``, ``icc_aggregation``;
:mod:`.within_group`) asks whether members of one team answer alike enough that their mean speaks for
the team (James, Demaree & Wolf 1984; Bliese 2000). *Inter-rater reliability* asks whether raters,
judges or coders score (``icc``; :mod:`.intraclass`), rank (``kendalls_w``; :mod:`.concordance`) or
classify (``krippendorff_alpha``, ``cohens_kappa``, ``fleiss_kappa``; :mod:`.coding`) the same units
consistently. The bands, their sources and the shared checks are in :mod:`._common`.

Each function returns a :class:`~helpers.stats.result.Result` (or, for the ICC family, a tidy
DataFrame) with the estimate, a confidence interval where one exists, n, the method's reference and
the interpretation band the literature gives, named so a reader can look it up. The libraries do the
maths: pingouin (ICC, ANOVA mean squares), krippendorff (alpha), statsmodels (kappas).

Everything public is importable from here: ``from helpers.stats.agreement import icc``.
"""

from ._common import (
    ALPHA_BANDS,
    ICC1_BANDS,
    ICC_BANDS,
    KAPPA_BANDS,
    KOO_LI,
    KRIPPENDORFF_2004,
    LANDIS_KOCH,
    LEBRETON,
    RWG_BANDS,
    SCHMIDT,
    W_BANDS,
    band_range,
    with_bands,
)
from .coding import cohens_kappa, fleiss_kappa, krippendorff_alpha
from .concordance import kendalls_w
from .intraclass import icc
from .within_group import AggregationICC, icc_aggregation, rwg, rwg_j

__all__ = [
    "ALPHA_BANDS",
    "ICC1_BANDS",
    "ICC_BANDS",
    "KAPPA_BANDS",
    "KOO_LI",
    "KRIPPENDORFF_2004",
    "LANDIS_KOCH",
    "LEBRETON",
    "RWG_BANDS",
    "SCHMIDT",
    "W_BANDS",
    "AggregationICC",
    "band_range",
    "cohens_kappa",
    "fleiss_kappa",
    "icc",
    "icc_aggregation",
    "kendalls_w",
    "krippendorff_alpha",
    "rwg",
    "rwg_j",
    "with_bands",
]
