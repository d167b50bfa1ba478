"""Lesson 03, the value-creation journey: the analysis facade the notebook calls.

- :mod:`.files`: the user's own journey panel and reasons log, read and checked (file, line,
  column, value in every message);
- :mod:`.panel`: where initiatives are, the month-to-month Markov chain, time to cohere;
- :mod:`.journey`: the reasons tracker and its graceful-exit rule (with the team-maturity scoring of
  :mod:`.teaming` re-exported, so ``journey.tuckman_scores`` works as the notebook uses it).

The bundled data come from the seeded generator :mod:`helpers.cases.value_journey`, whose constants
(``STAGES``, ``STATES``, ``TUCKMAN``...) are re-exported here.
"""

from __future__ import annotations

from ...cases.value_journey import EXIT, FOLDER, ITEMS, PANEL, REASONS, STAGES, STATES, TIME_TO_COHERE, TUCKMAN, TYPES
from . import journey, teaming
from .files import canonical_stage, read_panel, read_reasons, validate_panel, validate_reasons
from .panel import (
    ENDS,
    GROUP_LABELS,
    check_columns,
    cohering_outcomes,
    ending_chances,
    expected_months,
    journey_chain,
    time_to_cohere,
    where_they_are,
    with_group_labels,
)

__all__ = [
    "ENDS",
    "GROUP_LABELS",
    "EXIT",
    "FOLDER",
    "ITEMS",
    "PANEL",
    "REASONS",
    "STAGES",
    "STATES",
    "TIME_TO_COHERE",
    "TUCKMAN",
    "TYPES",
    "canonical_stage",
    "check_columns",
    "cohering_outcomes",
    "ending_chances",
    "expected_months",
    "journey",
    "journey_chain",
    "read_panel",
    "read_reasons",
    "teaming",
    "time_to_cohere",
    "validate_panel",
    "validate_reasons",
    "where_they_are",
    "with_group_labels",
]
