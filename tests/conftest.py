"""Shared test set-up.

Pseudonyms use a fixed test key and the key file (if any) goes to a temporary config folder, so no
test touches the user's real key. Notebook kernels started by nbval and papermill inherit this.
"""

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (and keep no example database): CI's verdict
# on a commit does not depend on luck. A case they once found stays as an ordinary test.
settings.register_profile("workbook", derandomize=True, database=None)
settings.load_profile("workbook")

os.environ.setdefault("WORKBOOK_PSEUDONYM_KEY", "workbook-test-key")
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="workbook-config-"))

import warm_kernels  # noqa: E402 - after the environment above, which the kernels inherit

warm_kernels.install()

ROOT = Path(__file__).resolve().parents[1]
# The fixture notebooks are inputs, not lessons: test_editions executes exercise_app.ipynb in both
# editions and test_browser runs exercise_lab.ipynb in Voilà and JupyterLab. They store no outputs, so
# nbval (which checks the lessons in notebooks/) would only run them once more, each in a new kernel.
collect_ignore_glob = ["fixtures/*.ipynb"]
LIKERT = "Strongly disagree|Disagree|Neither|Agree|Strongly agree"


@pytest.fixture(autouse=True)
def _warm_kernels(request):
    """papermill on the suite's warm kernels, unless the test is marked ``fresh_kernel``."""
    fresh = request.node.get_closest_marker("fresh_kernel") is not None
    warm_kernels.set_enabled(not fresh)
    yield
    warm_kernels.set_enabled(True)


@pytest.fixture
def codebook_csv(tmp_path):
    """A small codebook: two trust items (one reverse-keyed), a 1-7 rating, a multi-choice, free text."""
    path = tmp_path / "codebook.csv"
    path.write_text(
        "question,text,kind,scale,reverse,construct\n"
        f"trust1,I trust our partner,likert,{LIKERT},false,trust\n"
        f"trust2,Our partner keeps things from us,likert,{LIKERT},true,trust\n"
        "meeting,Rate the meeting,rating,1-7,false,\n"
        'tools,Which tools do you use,multi_choice,"Zoom|Teams|Yes, often",false,\n'
        "comment,Anything else,open_text,,false,\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    """A private progress file for exercise tests (``WORKBOOK_PROGRESS``), with no edition set.

    Exercise test modules use it for every test: ``pytestmark = pytest.mark.usefixtures("progress_file")``.
    """
    path = tmp_path / "progress.json"
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(path))
    monkeypatch.delenv("WORKBOOK_EDITION", raising=False)
    return path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def cell_outputs(
    path, *, skip_injected: bool = False, kinds: tuple[str, ...] | None = ("text/plain", "text/html")
) -> list[str]:
    """Each code cell's text outputs as one string per cell: stream text, then the ``kinds`` of rich
    output (``None``: every ``text/*`` type), joined by newlines.

    ``skip_injected`` leaves out the cell papermill tags ``injected-parameters`` (so a stored
    notebook and an executed one line up cell by cell).
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code" or (skip_injected and "injected-parameters" in cell.metadata.get("tags", [])):
            continue
        parts = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output["text"])
            data = output.get("data", {})
            for key in kinds if kinds is not None else sorted(k for k in data if k.startswith("text/")):
                value = data.get(key)
                if value:
                    parts.append(value if isinstance(value, str) else "".join(value))
        texts.append("\n".join(parts))
    return texts


def notebook_outputs(
    path, *, skip_injected: bool = False, kinds: tuple[str, ...] | None = ("text/plain", "text/html")
) -> str:
    """All code-cell outputs of a notebook (see :func:`cell_outputs`) as one text."""
    return "\n".join(text for text in cell_outputs(path, skip_injected=skip_injected, kinds=kinds) if text)


#: Test files that build the course, start kernels or start servers without a papermill/browser/hub marker.
SLOW_FILES = (
    "test_student_pack.py",
    "test_practitioner_build.py",
    "test_serve.py",
    "test_live_poll.py",
    "test_live_poll_cli.py",
    "test_editions.py",
    "test_notebook_setup.py",
)
COSTLY_MARKERS = ("papermill", "browser", "hub")


def _cost_rank(item) -> int:
    """0: a file that executes notebooks or starts servers; 1: a notebook checked by nbval; 2: the rest."""
    if item.path.name in SLOW_FILES or any(item.get_closest_marker(name) for name in COSTLY_MARKERS):
        return 0
    return 1 if item.path.suffix == ".ipynb" else 2


def pytest_collection_modifyitems(session, config, items):
    """Longest work first: with ``-n 3 --dist loadfile --no-loadscope-reorder`` xdist hands out files in
    this order (without that flag it sorts them by their number of tests, which sent the hub, serve and
    student-pack files, a few long tests each, last), so the files that execute notebooks or start
    servers begin at once and the many short files fill the end, leaving no worker idle.
    The sort is stable: tests keep their order within a file (nbval's cells must)."""
    items.sort(key=_cost_rank)


WORKBOOK = str(Path(sys.executable).parent / "workbook")


def workbook(*args, env=None, cwd=None, process=False):
    """``workbook ARGS`` as a user runs it: through the command's entry point in this process (its exit code,
    stdout and stderr as a CompletedProcess), or with ``process=True`` the installed console script in a new
    process (needed where the process's own start matters, e.g. a HOME that is not a folder)."""
    if process:
        return subprocess.run(
            [WORKBOOK, *map(str, args)], capture_output=True, text=True, timeout=600, env=env, cwd=cwd
        )
    from helpers.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_environment, saved_folder = dict(os.environ), os.getcwd()
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as leaving:  # argparse's usage errors
                code = leaving.code if isinstance(leaving.code, int) else 1
    finally:
        os.environ.clear()
        os.environ.update(saved_environment)
        os.chdir(saved_folder)
    return subprocess.CompletedProcess(["workbook", *map(str, args)], code, out.getvalue(), err.getvalue())
