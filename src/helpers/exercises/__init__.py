"""Widget exercises with specific feedback and saved progress.

A notebook cell names an exercise defined in its lesson's data file
(``lessons/exercises/NN_lesson.yaml``, see :mod:`helpers.exercises.spec`)::

    from helpers.exercises import exercise
    exercise("04-kendalls-w")

The classes below can also be built directly (tests, your own notebooks)::

    from helpers.exercises import SingleChoice
    SingleChoice(id="04-what-is-w", prompt="What does Kendall's W measure?",
                 options=["Agreement within one party", "Agreement between two parties"],
                 answer="Agreement within one party",
                 feedback={"Agreement between two parties": "W compares raters who rank the same
                           items; between parties we use tau."},
                 hint="Think of who ranks what.", explanation="W is concordance among raters.")

Kinds with a right answer (Check button, feedback, hint, explanation, trainer-only reveal):
:class:`SingleChoice`, :class:`MultipleChoice`, :class:`Order`, :class:`Categorise`,
:class:`Numeric`, :class:`RaciGrid`. Open kinds (saved, not marked): :class:`LikertForm`,
:class:`Simulator`, :class:`Tracker`.

Answers are saved per exercise id in ``workbook-progress.json`` (see
:mod:`helpers.exercises.progress`); the reveal button appears only when ``WORKBOOK_EDITION=trainer``
(see :mod:`helpers.exercises.edition`).
"""

from . import progress
from .base import CheckedExercise, Exercise, OpenExercise, Verdict
from .catalogue import exercise
from .categorise import Categorise
from .choice import MultipleChoice, SingleChoice
from .likert import LikertForm
from .numeric import Numeric
from .order import Order
from .raci import RaciCheck, validate_raci
from .raci_grid import RaciGrid
from .simulator import Simulator
from .tracker import Tracker

__all__ = [
    "exercise",
    "progress",
    "Exercise",
    "CheckedExercise",
    "OpenExercise",
    "Verdict",
    "SingleChoice",
    "MultipleChoice",
    "Order",
    "Categorise",
    "Numeric",
    "LikertForm",
    "RaciGrid",
    "Simulator",
    "Tracker",
    "validate_raci",
    "RaciCheck",
    "progress",
]
