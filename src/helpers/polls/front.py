"""The front door: :func:`load` reads any poll file the workbook understands into :class:`PollData`.

One detector (:func:`helpers.polls.importers.detect`) tells a poll tool's export from the
workbook's own tidy and wide layouts (:mod:`helpers.polls.layout`); every argument is passed on to
the layer that uses it. Layers, bottom to top: :mod:`~helpers.polls.loaders` (a table in, PollData
out) <- :mod:`~helpers.polls.importers` (a tool's export in, the loaders' frames out) <- this module.
"""

from __future__ import annotations

from pathlib import Path

from .model import PollData


def load(
    path,
    codebook=None,
    *,
    format: str = "auto",
    id_column: str | None = None,
    sheet=None,
    key: bytes | None = None,
    mapping=None,
    attributes=None,
) -> PollData:
    """Load a poll file (CSV, TSV or XLSX): the workbook's tidy or wide layout, or a poll tool's export.

    Parameters
    ----------
    path : the responses file; or a live poll's session folder (or its ``session.sqlite``).
    codebook : a codebook CSV path or a :class:`~helpers.polls.Codebook`. Required for tidy and wide
        files; a poll tool's export without one gets a draft codebook inferred by its importer.
    format : ``"auto"`` (default: detected from the layout; the report's first note says why),
        ``"tidy"``, ``"wide"``, ``"session"``, or a poll tool (``"zoom"``, ``"google_forms"``, ``"qualtrics"``, ...).
    id_column : the respondent id column (a wide file, or an export whose id column you choose).
    sheet : the sheet of an XLSX file (default: the first).
    key : the pseudonymisation key (default: the project key, :func:`helpers.polls.privacy.project_key`).
    mapping : for Mentimeter and Slido, which column is what.
    attributes : ``{"party": "q02"}``: questions of an export to use as respondent attributes.

    >>> from helpers.polls import load
    >>> data = load("responses.csv", codebook="codebook.csv")   # doctest: +SKIP
    """
    from . import importers
    from .session import is_session
    from .session import to_poll_data as session_poll_data

    if str(format).strip().lower() in ("auto", "session") and is_session(path):  # a live poll's session
        return session_poll_data(path, codebook, key=key)
    return importers.import_export(
        Path(path),
        format,
        codebook=codebook,
        mapping=mapping,
        attributes=attributes,
        key=key,
        sheet=sheet,
        id_column=id_column,
    )
