"""One module (or small package) per lesson: that lesson's analysis facade, tables and widgets.

This layer sits above :mod:`helpers.exercises` and below :mod:`helpers.course` and :mod:`helpers.cli`:
a lesson may use the polls, statistics, plots and exercises, and the seeded generator of its bundled
data in :mod:`helpers.cases` (for the constants that describe it); nothing below imports a lesson.

==========================  =======  ==========================================================
module                      lesson   what the notebook calls
==========================  =======  ==========================================================
``landlord_utility``        01       evaluation steps; ``.contracts``: the contract Monte-Carlo
``roffey_park``             02       scale scores, reliability, levels, the culture simulator
``value_journey``           03       panel, Markov chain, time to cohere; ``.journey``: reasons
                                     tracker, exit rule and Tuckman scoring; ``.files``: readers
``things_that_matter``      04       :class:`Workshop` and :class:`WebinarPoll`
``health_check``            05       ``.instrument`` (items from package data, scoring, gaps,
                                     action points), RACI and KPI readers, the KPI review rule
==========================  =======  ==========================================================

Lesson 06 (a researcher's own poll) is :mod:`helpers.analysis`. Import the lesson you need, e.g.
``from helpers.lessons import roffey_park``; this package imports none of them itself, so that
``import helpers`` stays light.
"""
