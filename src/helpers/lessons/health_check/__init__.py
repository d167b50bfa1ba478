"""Lesson 05, the partnership health check: the analysis facade the notebook calls.

- :mod:`.instrument`: the questionnaire (from package data), its scoring, the partners' profiles and
  gaps, and the action points;
- :mod:`.raci`: reading a user's RACI chart (the checks themselves are the RACI exercise's,
  :func:`helpers.exercises.validate_raci`);
- :mod:`.kpis`: reading a KPI review and the lesson's review rule.

The bundled data come from the seeded generator :mod:`helpers.cases.health_check`, whose constants
(``FOLDER``, ``PARTIES``, ``KPIS``...) are re-exported here.
"""

from __future__ import annotations

from ...cases.health_check import FOLDER, GROUPS, KPIS, PARTIES, QUARTERS, RACI, ROLES
from . import instrument
from .kpis import KPI_COLUMNS, kpi_wide, read_kpis, review_kpis
from .raci import read_raci

__all__ = [
    "FOLDER",
    "GROUPS",
    "KPIS",
    "KPI_COLUMNS",
    "PARTIES",
    "QUARTERS",
    "RACI",
    "ROLES",
    "instrument",
    "kpi_wide",
    "read_kpis",
    "read_raci",
    "review_kpis",
]
