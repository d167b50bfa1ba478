"""Lesson 04, Things That Matter: the analysis facade the notebook calls.

Two data sources, one module each: :mod:`.workshop` (:class:`Workshop`: each member's own ranking of
the Things That Matter and their prediction of the partner's; concordance, alignment and the
empathy gap) and :mod:`.webinar` (:class:`WebinarPoll`: the will and the way to understand a
partner, in a poll of both parties' staff). The bundled data come from the seeded generator
:mod:`helpers.cases.things_that_matter`, whose constants (``THINGS``, ``POLL_ITEMS``...) are
re-exported here.
"""

from __future__ import annotations

from ...cases.things_that_matter import FOLDER, OWN_PREFIX, POLL, POLL_ITEMS, PRED_PREFIX, RANKINGS, THINGS
from ...notebook import Note
from .webinar import WebinarPoll
from .workshop import Workshop, workshop_ranks

__all__ = [
    "FOLDER",
    "OWN_PREFIX",
    "POLL",
    "POLL_ITEMS",
    "PRED_PREFIX",
    "RANKINGS",
    "THINGS",
    "Note",
    "WebinarPoll",
    "Workshop",
    "workshop_ranks",
]
