"""Collaborative Working Workbook: the logic behind the notebooks.

``import helpers`` is deliberately light: the heavy libraries (pandas, statsmodels, seaborn,
ipywidgets) are imported by the sub-modules that use them, so the ``workbook`` command starts fast.

Sub-packages
------------
polls      the poll data model (PollData, Codebook, ImportReport), loaders, importers, privacy
stats      statistics with effect sizes, confidence intervals and references
exercises  ipywidgets exercise kit with saved progress
cases      seeded generators of the bundled (synthetic) case datasets
"""

__version__ = "0.1.0"
