"""The course: which notebooks exist, their parameters, and executing them (papermill) to HTML.

Notebooks are executed with their folder as working directory, so their default parameters can
point at the bundled data with relative paths (``../datasets/...``). Building the whole course runs
notebooks in parallel processes (each notebook has its own kernel anyway).
"""

from __future__ import annotations

import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import WorkbookError
from .paths import notebooks_dir

KERNEL_NAME = "python3"
EDITIONS = ("student", "trainer")
_PAPERMILL_TIMING = ("start_time", "end_time", "duration", "status", "exception")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str
    help: str


@dataclass(frozen=True)
class NotebookInfo:
    name: str
    path: Path
    title: str
    parameters: tuple[Parameter, ...]


def notebook_paths() -> list[Path]:
    """The course notebooks (``notebooks/NN_name.ipynb``), in course order."""
    return sorted(p for p in notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


def find_notebook(name: str | os.PathLike) -> Path:
    """Resolve ``"04"``, ``"04_things_that_matter"``, a file name or a path to a notebook path."""
    candidate = Path(name)
    if candidate.suffix == ".ipynb" and candidate.is_file():
        return candidate.resolve()
    stem = candidate.name.removesuffix(".ipynb")
    matches = [p for p in notebook_paths() if p.stem == stem or p.stem.split("_", 1)[0] == stem]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(p.stem for p in notebook_paths())
    raise WorkbookError(f"no notebook called {str(name)!r}; the course has: {known}")


def describe(path: Path) -> NotebookInfo:
    """Title and parameters (name, type, default, help) of a notebook, read by papermill."""
    import nbformat
    import papermill

    nb = nbformat.read(path, as_version=4)
    title = next(
        (
            line.lstrip("# ").strip()
            for cell in nb.cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if line.startswith("# ")
        ),
        path.stem,
    )
    inspected = papermill.inspect_notebook(str(path))
    parameters = tuple(
        Parameter(name, p.get("inferred_type_name") or "", p.get("default") or "", p.get("help") or "")
        for name, p in inspected.items()
    )
    return NotebookInfo(path.stem, path, title, parameters)


def catalogue() -> list[NotebookInfo]:
    return [describe(p) for p in notebook_paths()]


def execute(
    notebook, output_path, parameters: dict | None = None, *, edition: str | None = None, kernel_name: str = KERNEL_NAME
) -> Path:
    """Execute ``notebook`` with ``parameters`` into ``output_path`` (papermill), in its own folder.

    With ``edition`` ("student" or "trainer") the notebook is first turned into that edition
    (see :mod:`helpers.editions`) and the kernel is told which edition it runs. The kernel saves
    exercise progress to a throw-away file, so nobody's own answers end up in an executed notebook.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    source = find_notebook(notebook)
    output_path = Path(output_path)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(source, as_version=4)
    environment = {}
    if edition is not None:
        from .editions import kernel_environment, make_edition

        if edition not in EDITIONS:
            raise WorkbookError(f"unknown edition {edition!r}; use student or trainer")
        nb = make_edition(nb, edition)
        environment.update(kernel_environment(edition))
    try:
        with _kernel_environment(environment):
            papermill.execute_notebook(
                nb,
                str(output_path),
                parameters=parameters or {},
                kernel_name=kernel_name,
                cwd=str(source.parent),
                progress_bar=False,
                log_output=False,
                # CurveZMQ between papermill and the kernel where the kernel supports it; without it
                # ipykernel 7 prints a plain-text-transport warning on every run.
                config=Config({"KernelManager": {"transport_encryption": "auto"}}),
            )
    except PapermillExecutionError as error:
        raise WorkbookError(
            f"{source.name} stopped in cell {error.exec_count}: {error.ename}: {error.evalue.strip()} "
            f"(the notebook up to that cell is in {output_path})"
        ) from None
    return output_path


@contextmanager
def _kernel_environment(variables: dict[str, str]):
    """Set environment variables for a kernel started inside the block, with a throw-away progress file."""
    with tempfile.TemporaryDirectory(prefix="workbook-run-") as scratch:
        variables = {"WORKBOOK_PROGRESS": os.path.join(scratch, "progress.json"), **variables}
        saved = {name: os.environ.get(name) for name in variables}
        os.environ.update(variables)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def to_html(notebook_path, html_path) -> Path:
    """Render an executed notebook to a self-contained HTML page (images embedded).

    ``text/html`` is preferred over the widget view: a widget in a static page needs a CDN and a
    kernel, so each exercise shows its readable fallback (the question, and where to answer it).
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    priority = [m for m in HTMLExporter().default_config["NbConvertBase"]["display_data_priority"] if m != "text/html"]
    exporter = HTMLExporter(
        embed_images=True, config=Config({"NbConvertBase": {"display_data_priority": ["text/html", *priority]}})
    )
    body, _ = exporter.from_notebook_node(nbformat.read(notebook_path, as_version=4))
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def run(notebook, out_dir, parameters: dict | None = None, *, edition: str | None = None) -> tuple[Path, Path]:
    """Execute one notebook into ``out_dir/notebooks`` and render it to ``out_dir/html``."""
    source = find_notebook(notebook)
    out_dir = Path(out_dir)
    executed = execute(source, out_dir / "notebooks" / source.name, parameters, edition=edition)
    html = to_html(executed, out_dir / "html" / (source.stem + ".html"))
    return executed, html


def build(
    out_dir, *, jobs: int = 2, edition: str | None = None, notebooks=None, progress: bool = True
) -> list[tuple[Path, Path]]:
    """Execute and render the whole course (or ``notebooks``), ``jobs`` notebooks at a time."""
    from tqdm import tqdm

    sources = [find_notebook(n) for n in notebooks] if notebooks else notebook_paths()
    if not sources:
        raise WorkbookError("there are no notebooks to build in notebooks/")
    results, failures = [], []
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(run, s, out_dir, None, edition=edition): s for s in sources}
        bar = tqdm(total=len(futures), desc="building", unit="notebook", file=sys.stderr, disable=not progress)
        for future in as_completed(futures):
            try:
                results.append(future.result())
            except WorkbookError as error:
                failures.append(str(error))
            bar.update(1)
        bar.close()
    if failures:
        raise WorkbookError(f"{len(failures)} notebook(s) failed: " + " | ".join(sorted(failures)))
    return sorted(results)


def refresh(paths) -> list[Path]:
    """Re-execute notebooks in place with their default parameters, for storing outputs (nbval).

    Papermill's per-cell timing metadata is removed so a refresh changes only what really changed.
    """
    import nbformat

    refreshed = []
    for path in paths:
        source = find_notebook(path)
        execute(source, source)
        nb = nbformat.read(source, as_version=4)
        for cell in nb.cells:
            for key in _PAPERMILL_TIMING:
                cell.metadata.get("papermill", {}).pop(key, None)
            cell.metadata.get("execution", {}).clear()
        for key in _PAPERMILL_TIMING:
            nb.metadata.get("papermill", {}).pop(key, None)
        nb.metadata.get("papermill", {}).pop("input_path", None)
        nb.metadata.get("papermill", {}).pop("output_path", None)
        nbformat.write(nb, source)
        refreshed.append(source)
    return refreshed
