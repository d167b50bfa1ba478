"""The student edition as a folder and a zip that runs wherever it is unpacked.

``workbook build --edition student`` lays out the folder (:func:`stage`), executes the student
edition of every notebook (see :mod:`helpers.editions`) inside it, and then :func:`pack` completes
it and zips it::

    workbook-student/
      README.md               how to open it, where progress is kept
      notebooks/NN_*.ipynb    the student edition, executed (no solution or trainer cells)
      html/NN_*.html          the same pages, readable in any browser, offline
      datasets/NN_*/...       the bundled data; notebooks read it as ../datasets/... (relative to
                              the notebook, as in the repository), so the folder can live anywhere
      exercises/NN_*.json     the exercises, sealed (helpers.exercises.seal): answers, explanations
                              and trainer notes are not in any file in readable form
    workbook-student.zip      the same folder, zipped

The notebooks need the workbook's Python environment (the ``helpers`` package and the pinned
libraries: ``requirements.txt`` in the folder); ``exercise("...")`` finds ``../exercises/`` beside the
notebooks' folder and uses the sealed files there.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from .errors import WorkbookError
from .paths import PACK_MARKER, datasets_dir, project_root

NAME = "workbook-student"

README = """# Collaborative Working Workbook: student edition

This folder is the course's student edition. It runs from wherever you unpack it.

## Open it

1. Open JupyterLab in the environment your course gave you (or install it: `pip install -r
   requirements.txt`, then the workbook package).
2. In JupyterLab, open `notebooks/00_start_here.ipynb` and run the cells from the top
   (Shift+Enter). Each notebook reads its data from `datasets/` in this folder.
3. To answer an exercise, run its cell, choose or type your answer and press **Check**: you get
   feedback on a wrong answer, a hint, and an explanation when you are right.

The pages in `html/` show every notebook without running anything, in any browser, offline.

## Your progress

Each time you press **Check** or **Save answers**, your answer is saved to
`notebooks/workbook-progress.json` (next to the notebooks). Re-run the cell, even after restarting,
and your answer comes back. Copy that one file to keep your progress or to move it to another
computer; `workbook progress notebooks/workbook-progress.json` lists what you have done.

The exercises are in `exercises/`, sealed: they check your answers without showing them.
"""


def stage(out_dir: str | Path) -> Path:
    """Lay out ``out_dir/workbook-student`` without its notebooks: datasets, sealed exercises, README.

    :func:`helpers.course.build` runs every notebook of the student edition inside this folder's
    ``notebooks/`` (the folder is its own root, :data:`PACK_MARKER`), so a notebook that needs
    anything of the repository fails the build instead of failing on a student's machine.
    """
    from .exercises.catalogue import write_sealed

    folder = Path(out_dir) / NAME
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "notebooks").mkdir(parents=True)
    (folder / "html").mkdir()
    shutil.copytree(datasets_dir(), folder / "datasets")
    write_sealed(folder / "exercises")
    lock = project_root() / "requirements.lock"
    if lock.is_file():
        shutil.copy2(lock, folder / "requirements.txt")
    (folder / "README.md").write_text(README, encoding="utf-8")
    (folder / PACK_MARKER).write_text("student\n", encoding="utf-8")  # datasets/ is found beside notebooks/
    return folder


def pack(folder: str | Path, executed: list[tuple[Path, Path]]) -> tuple[Path, Path]:
    """Put the executed notebooks and their pages into ``folder`` (laid out by :func:`stage`) and zip
    it beside the folder; returns (folder, zip).

    ``executed`` is what :func:`helpers.course.build` returns for the student edition: pairs of
    (executed notebook, HTML page). Running the notebooks left nothing else in the folder (checked).
    """
    folder = Path(folder)
    made = sorted(p.relative_to(folder).as_posix() for p in (folder / "notebooks").rglob("*"))
    if made:
        raise WorkbookError(
            f"running the student edition wrote {', '.join(made)} into {folder / 'notebooks'}, which would go into "
            "every student's zip: make the notebook write its files to a temporary folder, then build again."
        )
    for notebook, page in executed:
        _copy_notebook(Path(notebook), folder / "notebooks" / Path(notebook).name)
        shutil.copy2(page, folder / "html" / Path(page).name)
    archive = folder.parent / f"{NAME}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zipped.write(path, Path(NAME) / path.relative_to(folder))
    return folder, archive


def _copy_notebook(source: Path, target: Path) -> None:
    """Copy an executed notebook without the build's own paths and progress in its metadata."""
    import nbformat

    nb = nbformat.read(source, as_version=4)
    if nb.metadata.get("workbook", {}).get("edition") != "student":
        raise WorkbookError(f"{source} is not the student edition; build it with --edition student.")
    papermill = nb.metadata.get("papermill", {})
    for key in ("input_path", "output_path", "environment_variables", "start_time", "end_time", "duration"):
        papermill.pop(key, None)
    for cell in nb.cells:  # the build's clock says nothing to a student (and its digits can look like answers)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, target)
