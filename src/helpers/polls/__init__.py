"""Poll data: the data model, loaders, importers and privacy.

One front door, :func:`load` (:mod:`.front`), for every file; below it the importers
(:mod:`.importers`, one per poll tool) and the loaders (:mod:`.loaders`, a table in, PollData out);
the privacy stage is :mod:`.privacy` (masking, pseudonyms) and :mod:`.suppress` (what outputs hide).

>>> from helpers.polls import load
>>> data = load("responses.csv", codebook="codebook.csv")   # doctest: +SKIP
>>> data.report.counts()                                       # doctest: +SKIP
{'rows_read': 120, 'rows_used': 118, 'rows_rejected': 2}
"""

from .codebook import Codebook, Question, read_codebook
from .front import load
from .loaders import from_table, from_tidy_frame, from_wide_frame
from .model import PollData
from .read import Table, read_table
from .report import ImportReport, Rejection

__all__ = [
    "Codebook",
    "Question",
    "read_codebook",
    "load",
    "from_table",
    "from_tidy_frame",
    "from_wide_frame",
    "PollData",
    "Table",
    "read_table",
    "ImportReport",
    "Rejection",
]
