"""A student's exercise progress, kept in one JSON file beside the notebook.

Why a file and not the kernel: a student's answers must survive a kernel restart, a closed laptop
and a re-run of the whole notebook. Each exercise stores its last answer under its id; re-running
the cell that builds the exercise restores that answer into the widget.

The file is ``workbook-progress.json`` in the current working directory (the notebook's folder when
JupyterLab, Voilà or papermill runs the notebook). The environment variable ``WORKBOOK_PROGRESS``
names another file.

Format (version 1)::

    {"format": "collaborative-working-workbook/progress", "version": 1,
     "exercises": {"04-what-is-w": {"kind": "SingleChoice", "attempts": 2, "completed": true,
                                   "answer": "...", "updated": "2024-05-01T10:00:00+00:00"}}}

A file that is not valid JSON, or valid JSON without this marker, is never overwritten: reading it
raises :class:`~helpers.errors.WorkbookError` saying what to do, and nothing is written.
Writes are atomic (a temporary file in the same folder, then :func:`os.replace`), so a crash while
saving leaves the old file intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from ..errors import WorkbookError

FORMAT = "collaborative-working-workbook/progress"
VERSION = 1
DEFAULT_NAME = "workbook-progress.json"
ENV_VAR = "WORKBOOK_PROGRESS"


def progress_path() -> Path:
    """The progress file in use: ``$WORKBOOK_PROGRESS`` or ``workbook-progress.json`` in the cwd."""
    override = os.environ.get(ENV_VAR)
    return Path(override) if override else Path.cwd() / DEFAULT_NAME


def empty() -> dict:
    """A new, empty progress document."""
    return {"format": FORMAT, "version": VERSION, "exercises": {}}


def read(path: str | os.PathLike | None = None) -> dict:
    """Read a progress file; a missing file is empty progress.

    Raises
    ------
    WorkbookError
        When the file is not JSON, not a workbook progress file, or from a newer workbook.
    """
    path = Path(path) if path is not None else progress_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty()
    except OSError as error:
        raise WorkbookError(f"Cannot read the progress file {path}: {error.strerror}.") from None
    fix = (
        f"Nothing was saved and the file was left as it is: move or rename it, or set "
        f"{ENV_VAR} to another file name, then re-run the cell."
    )
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise WorkbookError(
            f"The progress file {path} is damaged (not valid JSON: {error.msg} at line "
            f"{error.lineno}, column {error.colno}). {fix}"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise WorkbookError(
            f"The file {path} is not a workbook progress file (no \"format\": \"{FORMAT}\" "
            f"marker). {fix}"
        )
    version = document.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise WorkbookError(
            f"The progress file {path} has format version {version!r}; this workbook reads "
            f"version {VERSION}. Update the workbook, or {fix[0].lower()}{fix[1:]}"
        )
    exercises = document.get("exercises")
    if not isinstance(exercises, dict) or not all(isinstance(v, dict) for v in exercises.values()):
        raise WorkbookError(
            f"The progress file {path} has no readable \"exercises\" table. {fix}"
        )
    return document


def write(document: dict, path: str | os.PathLike | None = None) -> None:
    """Write a progress document atomically (temporary file in the same folder, then rename)."""
    path = Path(path) if path is not None else progress_path()
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            json.dump(document, stream, indent=2, sort_keys=True, ensure_ascii=False)
            stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_entry(exercise_id: str, path: str | os.PathLike | None = None) -> dict | None:
    """The saved entry of one exercise, or None when it has none."""
    return read(path)["exercises"].get(exercise_id)


def save_entry(
    exercise_id: str,
    *,
    kind: str,
    answer,
    attempted: bool,
    completed: bool,
    path: str | os.PathLike | None = None,
) -> dict:
    """Record an answer for one exercise (read, update, write atomically) and return its entry.

    ``attempted`` adds one to the attempt count (a checked answer); ``completed`` stays true once
    reached, so a later wrong try does not undo a completion.
    """
    document = read(path)
    previous = document["exercises"].get(exercise_id, {})
    entry = {
        "kind": kind,
        "answer": answer,
        "attempts": int(previous.get("attempts", 0)) + (1 if attempted else 0),
        "completed": bool(previous.get("completed", False)) or completed,
        "updated": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    document["exercises"][exercise_id] = entry
    write(document, path)
    return entry
