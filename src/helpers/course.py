"""The course: which notebooks exist, their parameters, and executing them (papermill) to HTML.

Notebooks are executed with their folder as working directory, so their default parameters can
point at the bundled data with relative paths (``../datasets/...``). Building the whole course runs
notebooks in parallel processes (each notebook has its own kernel anyway).

Kept whole: the catalogue, one notebook's execution and the parallel build share the timing and edition plumbing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
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
    """One assignment of a notebook's ``parameters`` cell.

    ``type`` is the declared type read from the default's literal: ``int``, ``float``, ``bool``,
    ``str``, ``list``, ``dict`` or ``None``, and ``path`` for a text parameter named ``*_path``.
    ``default`` is the default as written in the cell; ``value`` the Python value it stands for.
    """

    name: str
    type: str
    default: str
    help: str
    value: object = None


@dataclass(frozen=True)
class NotebookInfo:
    name: str
    path: Path
    title: str
    parameters: tuple[Parameter, ...]

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


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


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def read_parameters(source: str) -> tuple[Parameter, ...]:
    """The parameters declared in a ``parameters`` cell's source: ``name = literal  # help``.

    Parsed with :mod:`ast` (the value, its type) and :mod:`tokenize` (the comment on the
    assignment's last line is its help text), so multi-line lists and ``#`` inside strings are read
    right, which papermill's line-by-line translator does not do. An assignment whose value is not
    a literal is still listed, with type ``""``.
    """
    import ast
    import io
    import tokenize

    tree = ast.parse(source)
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string.lstrip("#").strip()
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value_node = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value_node = node.target.id, node.value
        else:
            continue
        try:
            value = ast.literal_eval(value_node)
            kind = "None" if value is None else type(value).__name__
        except ValueError:
            value, kind = None, ""
        if kind == "str" and name.endswith("_path"):
            kind = "path"
        if kind == "tuple":
            kind = "list"
        help_text = comments.get(node.end_lineno, "")
        found.append(Parameter(name, kind, ast.get_source_segment(source, value_node) or "", help_text, value))
    return tuple(found)


def describe(path: Path) -> NotebookInfo:
    """Title and parameters (name, type, default, help) of a notebook, read from its JSON.

    The title is the notebook's first ``# `` heading. Reading JSON and parsing one cell takes
    milliseconds, where papermill's inspection starts a translator and warns on every line it
    cannot parse.
    """
    import json

    with open(path, encoding="utf-8") as stream:
        cells = json.load(stream).get("cells", [])
    title = next(
        (
            line.lstrip("# ").strip()
            for cell in cells
            if cell.get("cell_type") == "markdown"
            for line in _source(cell).splitlines()
            if line.startswith("# ")
        ),
        Path(path).stem,
    )
    cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    parameters = read_parameters(_source(cell)) if cell is not None else ()
    return NotebookInfo(Path(path).stem, Path(path), title, parameters)


def catalogue() -> list[NotebookInfo]:
    """Every course notebook with its title and parameters."""
    return [describe(p) for p in notebook_paths()]


def convert_parameters(info: NotebookInfo, given: dict[str, str], *, cwd: Path | None = None) -> dict:
    """Command-line ``-p NAME VALUE`` texts converted by each parameter's declared type.

    Unknown names are refused with the closest known name (:mod:`difflib`). ``int``, ``float`` and
    ``bool`` values are parsed (a value that does not parse is passed as text, so the notebook's
    validation cell words the error); a ``path`` is made absolute from ``cwd`` (the caller's folder,
    because the notebook runs in its own folder), except that an empty path stays empty; ``list`` and
    ``dict`` accept a Python literal (``"[1, 2]"``) and otherwise pass the text on (the notebooks
    take "A, B" for a list); ``str`` is passed exactly as given.
    """
    import ast
    import difflib

    known = {p.name: p for p in info.parameters}
    converted = {}
    for name, text in given.items():
        parameter = known.get(name)
        if parameter is None:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
            hint = f" Did you mean `{close[0]}`?" if close else ""
            raise WorkbookError(
                f"{info.name} has no parameter `{name}`.{hint} Its parameters: {', '.join(known) or 'none'} "
                f"(see `workbook list`)."
            )
        converted[name] = _convert(parameter, str(text), cwd or Path.cwd(), ast)
    return converted


def _convert(parameter: Parameter, text: str, cwd: Path, ast):
    kind, stripped = parameter.type, text.strip()
    if kind == "bool":
        lowered = stripped.lower()
        if lowered in ("true", "yes", "1", "false", "no", "0"):
            return lowered in ("true", "yes", "1")
        return text
    if kind in ("int", "float"):
        try:
            return int(stripped) if kind == "int" else float(stripped)
        except ValueError:
            return text
    if kind == "path":
        if not stripped:
            return ""
        return str((cwd / Path(stripped).expanduser()).resolve())
    if kind in ("list", "dict", "None", ""):
        if stripped[:1] in ("[", "(", "{") or stripped in ("None", "True", "False"):
            try:
                return ast.literal_eval(stripped)
            except (ValueError, SyntaxError):
                return text
        if kind == "None" and stripped:
            for convert in (int, float):
                try:
                    return convert(stripped)
                except ValueError:
                    pass
    return text


def execute(
    notebook,
    output_path,
    parameters: dict | None = None,
    *,
    edition: str | None = None,
    kernel_name: str = KERNEL_NAME,
    track: str | None = None,
    cwd: Path | None = None,
) -> Path:
    """Execute ``notebook`` with ``parameters`` into ``output_path`` (papermill), in its own folder
    (or in ``cwd``: the student edition runs in its staged folder, see :func:`build`).

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
        nb = make_edition(nb, edition, track=track)
        environment.update(kernel_environment(edition))
    elif track is not None:  # the analyst or practitioner track (helpers.tracks); None: the source as it is
        from .tracks import make_track

        nb = make_track(nb, track)
    if parameters:
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        info = describe(source)
        for name in parameters:
            if info.parameter(name) is None:
                convert_parameters(info, {name: ""})  # raises, with a did-you-mean
        # injected here rather than by execute_notebook, whose line-by-line inspection of the
        # parameters cell warns about lines it cannot parse and about parameters that do exist
        nb = parameterize_notebook(load_notebook_node(nb), parameters, kernel_name=kernel_name, language="python")
    try:
        with _kernel_environment(environment):
            papermill.execute_notebook(
                nb,
                str(output_path),
                parameters=None,
                kernel_name=kernel_name,
                cwd=str(cwd or source.parent),
                progress_bar=False,
                log_output=False,
                # written once at the end (and on an error), not at every cell's start and end: a
                # 700 kB notebook re-serialised and validated twice per cell cost seconds per run
                request_save_on_cell_execute=False,
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

    default = HTMLExporter().default_config["NbConvertBase"]["display_data_priority"]
    priority = ["text/html", *(m for m in default if m != "text/html")]
    exporter = HTMLExporter(embed_images=True, config=Config({"NbConvertBase": {"display_data_priority": priority}}))
    from .offline_html import offline_page  # formulas as MathML, no CDN script: the page works offline

    body, _ = exporter.from_notebook_node(nbformat.read(notebook_path, as_version=4))
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(offline_page(body), encoding="utf-8")
    return html_path


def run(
    notebook, out_dir, parameters: dict | None = None, *, edition: str | None = None, track: str | None = None
) -> tuple[Path, Path]:
    """Execute one notebook into ``out_dir/notebooks`` and render it to ``out_dir/html``.

    ``track``: "analyst" or "practitioner" (:mod:`helpers.tracks`); none is the full lesson (the analyst track).
    """
    source = find_notebook(notebook)
    out_dir = Path(out_dir)
    executed = execute(
        source, out_dir / "notebooks" / source.name, parameters, edition=edition, track=track or "analyst"
    )
    html = to_html(executed, out_dir / "html" / (source.stem + ".html"))
    return executed, html


TIMINGS_FILE = ".build-times.json"


def _timed_execute(
    source: Path, executed: Path, edition: str | None, track: str | None, cwd: Path | None
) -> tuple[Path, float]:
    started = time.perf_counter()
    path = execute(source, executed, None, edition=edition, track=track or "analyst", cwd=cwd)
    return path, time.perf_counter() - started


def _previous_timings(out_dir: Path) -> dict[str, float]:
    import json

    try:
        previous = json.loads((out_dir / TIMINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {str(k): float(v) for k, v in previous.items() if isinstance(v, (int, float))}
        if isinstance(previous, dict)
        else {}
    )


def _estimates(sources: list[Path], out_dir: Path) -> dict[Path, float]:
    """Seconds each notebook is expected to take: the last build's, else its file size as a proxy.

    Stored outputs (tables, figures) grow with what a notebook computes; on this course the file
    size orders the notebooks as their execution times do. Only the order matters.
    """
    previous = _previous_timings(out_dir)
    sizes = {s: s.stat().st_size for s in sources}
    seconds_per_byte = 1e-5  # about right here; only used to rank notebooks without a measured time
    return {s: float(previous.get(s.name, sizes[s] * seconds_per_byte)) for s in sources}


class _HereAndNow(Executor):
    """``--jobs 1``: each task runs in this process as it is submitted (no worker process to start)."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # noqa: BLE001 - handed to the caller through the future, as a pool does
            future.set_exception(error)
        return future


def build(
    out_dir,
    *,
    jobs: int = 2,
    edition: str | None = None,
    notebooks=None,
    progress: bool = True,
    track: str | None = None,
) -> list[tuple[Path, Path]]:
    """Execute and render the whole course (or ``notebooks``), ``jobs`` notebooks at a time.

    Scheduling: longest notebook first (longest-processing-time-first, Graham 1969, keeps the last
    worker from starting a long notebook while the others idle), and each HTML export is queued
    behind every execution, so exports fill the gaps at the end instead of delaying a notebook.
    Execution times are saved in ``out_dir/.build-times.json`` to rank the next build. With
    ``jobs=1`` (or one notebook) everything runs in this process, one notebook after the other.

    The whole course in the student edition is also packed for students (:mod:`helpers.student_pack`):
    its folder is laid out first and every notebook runs inside it, on its data and sealed exercises,
    so the build proves that the pack runs without the repository.
    """
    import json
    from concurrent.futures import FIRST_COMPLETED, wait

    from tqdm import tqdm

    from . import student_pack

    sources = [find_notebook(n) for n in notebooks] if notebooks else notebook_paths()
    if not sources:
        raise WorkbookError("there are no notebooks to build in notebooks/")
    out_dir = Path(out_dir)
    estimates = _estimates(sources, out_dir)
    ordered = sorted(sources, key=lambda s: (-estimates[s], s.name))
    # the whole course in the student edition: also the folder + zip students unpack, where it runs
    staged = student_pack.stage(out_dir) if edition == "student" and not notebooks else None
    results, failures, timings = [], [], {}
    bar = tqdm(total=len(sources), desc="building", unit="notebook", file=sys.stderr, disable=not progress)
    jobs = min(jobs, len(sources))  # one notebook needs no second worker
    with ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else _HereAndNow() as pool:
        pending = {
            pool.submit(
                _timed_execute,
                s,
                out_dir / "notebooks" / s.name,
                edition,
                track,
                staged / "notebooks" if staged else None,
            ): (s, "execute")
            for s in ordered
        }
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                source, stage = pending.pop(future)
                try:
                    value = future.result()
                except WorkbookError as error:
                    failures.append(str(error))
                    bar.update(1)
                    continue
                if stage == "execute":
                    executed, timings[source.name] = value
                    html = out_dir / "html" / (source.stem + ".html")
                    pending[pool.submit(to_html, executed, html)] = (source, "export")
                else:
                    results.append((out_dir / "notebooks" / source.name, value))
                    bar.update(1)
    bar.close()
    if timings:
        out_dir.mkdir(parents=True, exist_ok=True)
        merged = _previous_timings(out_dir) | {name: round(seconds, 2) for name, seconds in timings.items()}
        (out_dir / TIMINGS_FILE).write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if failures:
        raise WorkbookError(f"{len(failures)} notebook(s) failed: " + " | ".join(sorted(failures)))
    if track is not None:  # the lesson texts of that track beside its notebooks
        from .paths import project_root
        from .tracks import write_lesson_texts

        write_lesson_texts(project_root() / "lessons", out_dir / "lessons", track, student=edition == "student")
    if staged:
        student_pack.pack(staged, sorted(results))
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
