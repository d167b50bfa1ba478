"""``workbook progress | collect``: exercise progress; and the student copy ``workbook serve`` serves.

* ``workbook progress [FILE]`` — what a student has done, from their progress file;
* ``workbook collect DIR`` — a class's progress files merged into an anonymised summary per
  exercise (no names, no file names; exercises done by fewer than ``--min-group-size`` students
  suppressed);
* ``workbook serve NOTEBOOK`` (registered in :mod:`helpers.cli.course`) serves the student copy
  made here by :func:`student_copy`.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from ..errors import WorkbookError

SUMMARY_COLUMNS = ["exercise", "kind", "students", "completed", "completion_rate", "median_attempts"]


def register(commands) -> None:
    shown = commands.add_parser(
        "progress",
        help="which exercises a student has answered and completed",
        description="Show the exercises saved in a progress file (answers are not printed).",
    )
    shown.add_argument(
        "file", nargs="?", help="progress file (default: $WORKBOOK_PROGRESS or ./workbook-progress.json)"
    )
    shown.set_defaults(func=show_progress)

    collect = commands.add_parser(
        "collect",
        help="merge a class's progress files into an anonymised summary",
        description="Read every workbook progress file under DIR and summarise each exercise: "
        "students, completions, median attempts. No names or file names are kept.",
    )
    collect.add_argument("directory", nargs="?", help="folder holding the students' progress files (*.json)")
    collect.add_argument(
        "--homes",
        metavar="PATTERN",
        help="instead of DIR: a path pattern matching every student's progress file on a hub, "
        "e.g. '/home/*/workbook/notebooks/workbook-progress.json' (quote it; ** allowed)",
    )
    collect.add_argument(
        "--min-group-size",
        type=int,
        default=5,
        metavar="K",
        help="suppress exercises answered by fewer than K students (default 5)",
    )
    collect.add_argument("--out", help="also write the summary to this CSV file")
    collect.set_defaults(func=collect_progress)


# ---- progress -----------------------------------------------------------------------------------
def progress_table(document: dict):
    """One row per saved exercise: exercise, kind, attempts, completed (no answers)."""
    import pandas as pd

    rows = [
        {
            "exercise": exercise_id,
            "kind": str(entry.get("kind", "")),
            "attempts": int(entry.get("attempts", 0) or 0),
            "completed": "yes" if entry.get("completed") else "no",
        }
        for exercise_id, entry in sorted(document["exercises"].items())
    ]
    return pd.DataFrame(rows, columns=["exercise", "kind", "attempts", "completed"])


def show_progress(arguments) -> int:
    from ..exercises import progress

    path = Path(arguments.file) if arguments.file else progress.progress_path()
    if not path.is_file():
        raise WorkbookError(
            f"No progress file at {path}: answer an exercise first (progress is saved in the "
            "notebook's folder), or give the file's path: workbook progress FILE."
        )
    table = progress_table(progress.read(path))
    print(f"Progress saved in {path}")
    if table.empty:
        print("No exercise answered yet.")
        return 0
    print(table.to_string(index=False))
    done = int((table["completed"] == "yes").sum())
    print(f"{done} of {len(table)} exercises answered are completed.")
    return 0


# ---- collect ------------------------------------------------------------------------------------
def summarise(documents: list[dict], min_group_size: int = 5):
    """Per exercise: students with an entry, completions, completion rate, median attempts.

    Exercises with fewer than ``min_group_size`` students get no numbers (``suppressed``), so a
    small group's results cannot be traced to a person. Rows are sorted by exercise id.
    """
    import pandas as pd

    rows = [
        {
            "exercise": exercise_id,
            "kind": str(entry.get("kind", "")),
            "attempts": int(entry.get("attempts", 0) or 0),
            "completed": bool(entry.get("completed")),
        }
        for document in documents
        for exercise_id, entry in document["exercises"].items()
    ]
    long = pd.DataFrame(rows, columns=["exercise", "kind", "attempts", "completed"])
    if long.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    grouped = long.groupby("exercise", sort=True)
    summary = pd.DataFrame(
        {
            "kind": grouped["kind"].agg(lambda s: s.mode().iloc[0]),
            "students": grouped.size(),
            "completed": grouped["completed"].sum().astype("int64"),
            "median_attempts": grouped["attempts"].median(),
        }
    ).reset_index()
    summary["completion_rate"] = (summary["completed"] / summary["students"]).round(2)
    summary["median_attempts"] = summary["median_attempts"].round(1)
    summary = summary[SUMMARY_COLUMNS].astype(object)
    small = summary["students"] < min_group_size
    summary.loc[small, ["students", "completed", "completion_rate", "median_attempts"]] = (
        f"suppressed (<{min_group_size})"
    )
    return summary


def collect_progress(arguments) -> int:
    from ..exercises import progress

    if arguments.min_group_size < 1:
        raise WorkbookError("--min-group-size must be 1 or more (5 is the workbook's default).")
    if (arguments.directory is None) == (arguments.homes is None):
        raise WorkbookError(
            "Give either a folder of progress files (workbook collect DIR) or a pattern "
            "(workbook collect --homes '/home/*/workbook/notebooks/workbook-progress.json')."
        )
    if arguments.homes is not None:
        paths, folder = home_progress_files(arguments.homes), f"the files matching {arguments.homes}"
    else:
        folder = Path(arguments.directory)
        if not folder.is_dir():
            raise WorkbookError(f"{folder} is not a folder: give the folder holding the progress files.")
        paths = sorted(folder.rglob("*.json"))
    documents, skipped = [], 0
    for path in paths:
        try:
            documents.append(progress.read(path))
        except WorkbookError:
            skipped += 1
    if not documents:
        raise WorkbookError(
            f"No workbook progress files found in {folder} ({skipped} other .json file(s) "
            "skipped): put the students' workbook-progress.json files there, renamed as you like."
        )
    summary = summarise(documents, arguments.min_group_size)
    print(
        f"{len(documents)} progress files read"
        + (f"; {skipped} file(s) skipped as not workbook progress files" if skipped else "")
        + f"; exercises with fewer than {arguments.min_group_size} students suppressed."
    )
    print(summary.to_string(index=False))
    if arguments.out:
        out = Path(arguments.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        from ..polls.privacy import safe_for_spreadsheet

        safe_for_spreadsheet(summary).to_csv(out, index=False, lineterminator="\n")
        print(f"Summary written to {out}")
    return 0


def home_progress_files(pattern: str) -> list[Path]:
    """The progress files matching ``pattern`` (a glob over the hub's homes), in a fixed order.

    Only file names are matched; nothing about them (the user names in the paths) is ever printed.
    """
    import glob

    return sorted(Path(p) for p in glob.glob(str(Path(pattern).expanduser()), recursive=True) if Path(p).is_file())


# ---- serve (the command is in helpers.cli.course) ---------------------------------------------
def student_copy(source: Path) -> Path:
    """Write the student edition of ``source`` beside it and return its path; the caller deletes it.

    Beside, so the notebook's relative data paths and its progress file work; named
    ``_serving_<name>_<random>.ipynb``: not hidden (Voilà refuses hidden files) and not a course
    notebook name (``NN_*``), so no other command picks it up.
    """
    import nbformat

    from ..editions import make_edition

    edition = make_edition(nbformat.read(source, as_version=4), "student")
    try:
        handle, name = tempfile.mkstemp(prefix=f"_serving_{source.stem}_", suffix=".ipynb", dir=source.parent)
    except OSError as error:
        raise WorkbookError(
            f"Cannot write the student copy beside {source} ({error.strerror}): copy the "
            "notebook's folder somewhere you can write, and serve it from there."
        ) from None
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        nbformat.write(edition, stream)
    return Path(name)


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a server we started: SIGTERM first (Voilà then shuts its kernels down), then kill."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
