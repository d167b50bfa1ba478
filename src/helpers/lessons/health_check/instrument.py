"""Lesson 05, the partnership health check: its instrument, scoring and partner-vs-partner gaps.

A strategic relationship can diagnose itself by asking the staff of *both* partners the same
questions and comparing the answers (Hardy, Hudson & Waddington 2003 call this a rapid "health
check" that shows where partners agree and where they do not). This facade gathers

* the workbook's own instrument: 28 five-point Likert items in seven dimensions (:data:`DIMENSIONS`,
  :data:`ITEMS`, :func:`codebook_table`). The items are written for this workbook; the dimensions
  were inspired by the six principles of the Nuffield Partnership Assessment Tool (Hardy, Hudson &
  Waddington 2003), by factors of the Wilder Collaboration Factors Inventory (Mattessich,
  Murray-Close & Monsey 2001; Mattessich & Johnson 2018) and by the practices named in the lesson's
  source article. No item is copied from a published instrument;
* scoring: :func:`score_instrument` (a respondent's dimension score is the mean of the dimension's
  items after reverse-keyed items are recoded, computed only when at least two thirds of the items
  were answered), :func:`dimension_reliability` (Cronbach's alpha per dimension) and
  :func:`profile` (mean score per partner, or per partner and staff group, with small groups
  suppressed);
* the gaps: :func:`score_gap` (one dimension: Welch's CI for the difference of means, Hedges' g with
  its CI), :func:`partner_gaps` (every dimension, two partners), :func:`gap_table` (a reader's view)
  and :func:`action_points` (the biggest gaps with a plain-language action for each).

Any codebook works, not only ours: dimensions are the codebook's ``construct`` column, and a
dimension without a bundled action text gets a generic one.

References
----------
Hardy, B., Hudson, B., & Waddington, E. (2003). *Assessing strategic partnership: The partnership
assessment tool*. Office of the Deputy Prime Minister / Nuffield Institute for Health.

Mattessich, P. W., Murray-Close, M., & Monsey, B. R. (2001). *The Wilder Collaboration Factors
Inventory*. Amherst H. Wilder Foundation. Third edition of the factors: Mattessich, P. W., &
Johnson, K. M. (2018). *Collaboration: What makes it work* (3rd ed.). Fieldstone Alliance.
"""

from __future__ import annotations

from ...stats.means import G_SOURCE
from .content import (
    DIMENSIONS,
    ITEMS,
    LIKERT_5,
    Dimension,
    Item,
    action_template,
    codebook_table,
    dimensions_table,
    questions,
    short_labels,
)
from .gaps import G_CUTS, G_LABELS, action_points, format_action_points, gap_table, partner_gaps, score_gap
from .scoring import (
    MIN_SHARE,
    coverage,
    dimension_reliability,
    min_items,
    profile,
    profile_matrix,
    sample_table,
    score_instrument,
    with_respondent,
)

__all__ = [
    "DIMENSIONS",
    "G_CUTS",
    "G_LABELS",
    "G_SOURCE",
    "ITEMS",
    "LIKERT_5",
    "MIN_SHARE",
    "Dimension",
    "Item",
    "action_points",
    "action_template",
    "codebook_table",
    "coverage",
    "dimension_reliability",
    "dimensions_table",
    "format_action_points",
    "gap_table",
    "min_items",
    "partner_gaps",
    "profile",
    "profile_matrix",
    "questions",
    "sample_table",
    "score_gap",
    "score_instrument",
    "short_labels",
    "with_respondent",
]
