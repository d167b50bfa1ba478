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

A file that is not UTF-8 JSON (UTF-16, binary), valid JSON without this marker, or with an entry
whose ``attempts`` is not a whole number, is never overwritten: reading it raises
:class:`~helpers.errors.WorkbookError` saying what to do (the widget shows it), and nothing is written.

Saving is safe with several writers (two notebooks open, JupyterLab and Voilà): :func:`save_entry`
holds an exclusive ``fcntl.flock`` on the progress file's folder from reading to writing, so no
save is lost. Writes are atomic (a
temporary file in the same folder, then :func:`os.replace`), so a crash while saving leaves the old
file intact. A symbolic link is followed (the file it points to is replaced, the link kept); a
read-only file is refused, not overwritten; the file keeps its permission bits (a new file gets
the usual ones, 0666 less the umask).
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
import tempfile
from contextlib import contextmanager
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
        raw = path.read_bytes()
    except FileNotFoundError:
        return empty()
    except IsADirectoryError:
        raise WorkbookError(f"The progress file {path} is a folder; set {ENV_VAR} to a file name.") from None
    except OSError as error:
        raise WorkbookError(f"Cannot read the progress file {path}: {error.strerror}.") from None
    fix = (
        f"Nothing was saved and the file was left as it is: move or rename it, or set "
        f"{ENV_VAR} to another file name, then re-run the cell."
    )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        what = "UTF-16 text" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "binary data"
        raise WorkbookError(
            f"The progress file {path} is damaged (not UTF-8 text: it looks like {what}; the first "
            f"bad byte is at position {error.start}). {fix}"
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise WorkbookError(
            f"The progress file {path} is damaged (not valid JSON: {error.msg} at line "
            f"{error.lineno}, column {error.colno}). {fix}"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise WorkbookError(f'The file {path} is not a workbook progress file (no "format": "{FORMAT}" marker). {fix}')
    version = document.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise WorkbookError(
            f"The progress file {path} has format version {version!r}; this workbook reads "
            f"version {VERSION}. Update the workbook, or {fix[0].lower()}{fix[1:]}"
        )
    exercises = document.get("exercises")
    if not isinstance(exercises, dict) or not all(isinstance(v, dict) for v in exercises.values()):
        raise WorkbookError(f'The progress file {path} has no readable "exercises" table. {fix}')
    for exercise_id, entry in exercises.items():
        attempts = entry.get("attempts", 0)
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0:
            raise WorkbookError(
                f"The progress file {path} is damaged: exercise {exercise_id!r} has attempts "
                f"{attempts!r}, not a whole number. {fix}"
            )
    return document


def _target(path: str | os.PathLike | None) -> Path:
    """The file really written: a symbolic link is followed, so the link itself is kept."""
    path = Path(path) if path is not None else progress_path()
    return Path(os.path.realpath(path))


def _mode_for(path: Path) -> int:
    """The permission bits to give the new file: the old file's, or 0666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def locked(path: str | os.PathLike | None = None):
    """Hold the exclusive lock that serialises every save to ``path`` (across processes)."""
    target = _target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The lock is taken on the file's folder (Linux and macOS flock a directory too): the progress
    # file itself is replaced on every save, and a lock file beside it would litter the folder.
    handle = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield target
    finally:
        os.close(handle)  # closing releases the lock


def write(document: dict, path: str | os.PathLike | None = None) -> None:
    """Write a progress document atomically (temporary file in the same folder, then rename).

    Follows a symbolic link, keeps the file's permission bits, and refuses a read-only file.
    """
    path = _target(path)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
        raise WorkbookError(
            f"The progress file {path} is read-only, so your answer was not saved; make it writable "
            f"(or set {ENV_VAR} to another file), then press Check again."
        )
    mode = _mode_for(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.chmod(temporary, mode)
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
    with locked(path) as target:
        document = read(target)
        previous = document["exercises"].get(exercise_id, {})
        entry = {
            "kind": kind,
            "answer": answer,
            "attempts": int(previous.get("attempts", 0)) + (1 if attempted else 0),
            "completed": bool(previous.get("completed", False)) or completed,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        document["exercises"][exercise_id] = entry
        write(document, target)
    return entry
