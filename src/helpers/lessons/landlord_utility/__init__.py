"""Lesson 01, a landlord and a utility: the analysis facade the notebook calls.

:mod:`.evaluation` holds the small-n evaluation of the appreciative-inquiry day (people per wave,
change from the baseline, one question in focus, change within each party, planning the next
evaluation); :mod:`.contracts` the Monte-Carlo of rigid versus flexible milestone contracts. The
bundled data come from the seeded generator :mod:`helpers.cases.landlord_utility`, whose constants
(``ITEMS``, ``LABELS``, ``WAVES``...) are re-exported here.
"""

from __future__ import annotations

from ...cases.landlord_utility import CODEBOOK, EVALUATION, FOLDER, ITEMS, LABELS, MILESTONES, PARTIES, SCALE, WAVES
from .evaluation import changes_from_baseline, focus_results, party_change, people_by_wave, planning_table, waves_in

__all__ = [
    "CODEBOOK",
    "EVALUATION",
    "FOLDER",
    "ITEMS",
    "LABELS",
    "MILESTONES",
    "PARTIES",
    "SCALE",
    "WAVES",
    "changes_from_baseline",
    "focus_results",
    "party_change",
    "people_by_wave",
    "planning_table",
    "waves_in",
]
