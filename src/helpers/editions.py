"""Student and trainer editions of a notebook, made from the one source notebook.

The source notebook holds everything: lesson text, exercises, and cells only a trainer should see.
Two cell tags mark the latter:

* ``solution`` — worked answers and solution code;
* ``trainer`` — facilitator notes (timings, what to watch for, how to debrief).

:func:`make_edition` turns the source into

* the **student** edition: ``solution`` and ``trainer`` cells removed (nbconvert's
  ``TagRemovePreprocessor``), widget state saved by whoever last ran the notebook dropped (it may hold
  a trainer's reveal buttons or restored answers), the source of the cells that define checked
  exercises collapsed in JupyterLab (their code holds the answer key; Voilà hides all code anyway);
* the **trainer** edition: everything kept.

Both are marked in ``metadata.workbook.edition``. The exercise reveal button is switched by the
*kernel's* environment, not by the file (a kernel cannot read its notebook's metadata): whoever
executes an edition sets ``WORKBOOK_EDITION`` from :func:`kernel_environment` — ``workbook build
--edition`` does so. A kernel without the variable runs as the student edition: no reveal.
"""

from __future__ import annotations

import ast
import copy

from .errors import WorkbookError
from .exercises.edition import EDITIONS, ENV_VAR

REMOVED_IN_STUDENT = ("solution", "trainer")
#: Exercise kinds whose defining cell holds an answer key.
CHECKED_KINDS = ("SingleChoice", "MultipleChoice", "Order", "Categorise", "Numeric", "RaciGrid")


def kernel_environment(edition: str) -> dict[str, str]:
    """The environment variables a kernel needs to run ``edition`` (reveal on only for trainer)."""
    return {ENV_VAR: _checked(edition)}


def make_edition(nb, edition: str, *, track: str | None = None):
    """Return a copy of notebook ``nb`` as the ``"student"`` or ``"trainer"`` edition.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The source notebook (version 4); it is not changed.
    edition : "student" or "trainer"
    track : "analyst" or "practitioner" (:mod:`helpers.tracks`); ``None`` is the full lesson (the
        analyst track), so no edition shows the practitioner track's cells unless asked for.

    Returns
    -------
    nbformat.NotebookNode
        The edition, with ``metadata.workbook.edition`` set.
    """
    edition = _checked(edition)
    result = copy.deepcopy(nb)
    if edition == "student":
        from nbconvert.preprocessors import TagRemovePreprocessor

        remover = TagRemovePreprocessor(remove_cell_tags=set(REMOVED_IN_STUDENT), enabled=True)
        result, _ = remover.preprocess(result, {})
        result.metadata.pop("widgets", None)
        for cell in result.cells:
            if cell.cell_type == "code" and defines_checked_exercise(cell.source):
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    result.metadata.setdefault("workbook", {})["edition"] = edition
    from .tracks import make_track

    return make_track(result, track)


def defines_checked_exercise(source: str) -> bool:
    """Whether a code cell calls one of the exercise kinds that carry an answer key."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: fall back to a plain look for the names
        return any(f"{kind}(" in source for kind in CHECKED_KINDS)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in CHECKED_KINDS:
                return True
    return False


def _checked(edition: str) -> str:
    if edition not in EDITIONS:
        raise WorkbookError(f"Unknown edition {edition!r}: use 'student' or 'trainer'.")
    return edition
