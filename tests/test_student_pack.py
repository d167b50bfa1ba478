"""The student edition: built by `workbook build --edition student`, it holds no answer, explanation
or trainer note in readable form, and it runs from wherever it is unpacked.

The build lays out the student folder first and executes every notebook (student edition) inside it,
on the folder's own data and sealed exercises (the test checks where each one ran, and that no output
names the repository). The test then unpacks the zip in another folder and, as on a student's machine
(no workbook variable set, a new kernel), runs there the notebook a student starts with, 00, with papermill.
"""

from __future__ import annotations

import html
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from helpers import course
from helpers.exercises import catalogue
from helpers.exercises import spec as specs

ROOT = Path(__file__).resolve().parents[1]


def secret_strings() -> dict[str, str]:
    """Every string of the exercise files a student must not read: {string: where it comes from}."""
    found = {}
    for path in catalogue.lesson_files():
        for spec in specs.load(path).exercises:
            texts = [spec.explanation, spec.trainer_answer, spec.trainer_note]
            if spec.checked:
                texts += [o.feedback for o in getattr(spec, "options", ()) or ()]
                texts += [i.feedback for i in getattr(spec, "items", ()) or ()]
                texts += [m.feedback for m in getattr(spec, "mistakes", ()) or ()]
                texts += [spec.feedback_low, spec.feedback_high] if spec.kind == "numeric" else []
            for text in filter(None, texts):
                for fragment in re.split(r"\{[^}]*\}", text):  # the literal parts of a template
                    if len(fragment.strip()) >= 20:
                        found[fragment.strip()] = f"{path.name}: {spec.id}"
            if spec.kind == "numeric" and spec.answer is not None:
                found[repr(spec.answer)] = f"{path.name}: {spec.id} answer"
    return found


def lesson_outputs() -> dict[str, str]:
    """Per notebook stem: the text of its outputs in cells the student edition keeps."""
    import nbformat

    shown = {}
    for path in sorted((ROOT / "notebooks").glob("0*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        kept = [c for c in cells if not {"solution", "trainer"} & set(c.metadata.get("tags", []))]
        shown[path.stem] = json.dumps([c.get("outputs", []) for c in kept])
    return shown


def readable_forms(text: str) -> set[str]:
    return {text, html.escape(text, quote=False), html.escape(text), json.dumps(text)[1:-1]}


#: Where the build ran each notebook: {notebook name: the kernel's working folder}.
RAN_IN: dict[str, Path] = {}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "student"
    execute = course.execute

    def recorded(notebook, output_path, parameters=None, **options):  # the real one, noting its folder
        RAN_IN[Path(notebook).name] = options.get("cwd")
        return execute(notebook, output_path, parameters, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(course, "execute", recorded)
        course.build(out, jobs=1, edition="student", progress=False)
    return out


def test_every_notebook_ran_inside_the_student_folder(built):
    """The build itself proves the pack runs without the repository: each notebook ran in the folder's
    notebooks/ (its own root: datasets and sealed exercises of the pack) and no output names the repository."""
    import nbformat

    folder = built / "workbook-student"
    names = sorted(p.name for p in (ROOT / "notebooks").glob("0*.ipynb"))
    assert {name: RAN_IN.get(name) for name in names} == {name: folder / "notebooks" for name in names}
    for name in names:
        executed = nbformat.read(folder / "notebooks" / name, as_version=4)
        outputs = json.dumps([c.get("outputs", []) for c in executed.cells])
        assert str(ROOT) not in outputs and '"output_type": "error"' not in outputs, name


def test_build_writes_folder_and_zip(built):
    folder, archive = built / "workbook-student", built / "workbook-student.zip"
    assert (folder / "README.md").is_file() and archive.is_file()
    notebooks = sorted(p.name for p in (folder / "notebooks").glob("*.ipynb"))
    assert notebooks == sorted(p.name for p in (ROOT / "notebooks").glob("0*.ipynb"))
    assert sorted(p.name for p in (folder / "html").glob("*.html")) == [n.replace(".ipynb", ".html") for n in notebooks]
    assert (folder / "datasets" / "04_things_that_matter" / "webinar_poll.csv").is_file()
    assert len(list((folder / "exercises").glob("*.json"))) == len(catalogue.lesson_files())
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
    assert {f"workbook-student/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*") if p.is_file()} == names


def test_no_file_of_the_student_edition_reveals_an_answer(built):
    secrets = secret_strings()
    assert len(secrets) > 60
    files = [p for p in (built / "workbook-student").rglob("*") if p.is_file()]
    leaks = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for secret, origin in secrets.items():
            if any(form in text for form in readable_forms(secret)):
                leaks.append(f"{path.name}: {origin}: {secret[:60]!r}")
    # Numbers are short: a dataset may hold the same digits by chance, and a lesson may show a number
    # in its own analysis on purpose (01's power table, which the hint points to). So a number counts
    # as a leak only where the source notebook's student-visible outputs do not show it already.
    shown = lesson_outputs()
    leaks = [
        leak
        for leak in leaks
        if not (
            " answer: " in leak
            and (leak.split(":")[0].endswith(".csv") or leak.rsplit("'", 2)[1] in shown.get(leak.split(".")[0], ""))
        )
    ]
    assert leaks == [], "\n".join(leaks)


def test_the_trainer_edition_still_reveals_every_answer(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBOOK_EDITION", "trainer")
    monkeypatch.setenv("WORKBOOK_PROGRESS", str(tmp_path / "progress.json"))
    revealed = 0
    for path in catalogue.lesson_files():
        for spec in specs.load(path).exercises:
            if not spec.checked or spec.runtime:
                continue
            widget = catalogue.exercise(spec.id)
            widget.reveal()
            assert spec.explanation in widget.feedback_text
            if spec.kind == "single_choice":
                assert spec.answer in widget.feedback_text
            revealed += 1
    assert revealed >= 15


@pytest.mark.fresh_kernel
def test_unpacked_elsewhere_the_first_notebook_runs_as_on_a_students_machine(built, tmp_path):
    """00 (where the pack's README starts a student) from the unzipped folder, in a new kernel, with no
    workbook variable set: its data and its sealed exercise are found from the notebook's own folder."""
    import nbformat
    import papermill

    with zipfile.ZipFile(built / "workbook-student.zip") as zipped:
        zipped.extractall(tmp_path / "somewhere else")
    notebook = tmp_path / "somewhere else" / "workbook-student" / "notebooks" / "00_start_here.ipynb"
    saved = {name: os.environ.get(name) for name in ("WORKBOOK_HOME", "WORKBOOK_EDITION", "WORKBOOK_PROGRESS")}
    for name in saved:  # as on a student's machine: the folder is found from the notebook
        os.environ.pop(name, None)
    try:
        papermill.execute_notebook(
            str(notebook),
            str(notebook),
            cwd=str(notebook.parent),
            kernel_name=course.KERNEL_NAME,
            progress_bar=False,
            log_output=False,
        )
    finally:
        for name, value in saved.items():
            if value is not None:
                os.environ[name] = value
    executed = nbformat.read(notebook, as_version=4)
    outputs = json.dumps([c.get("outputs", []) for c in executed.cells])
    assert "PollData: 6396 answers" in outputs  # ../datasets/ of the unpacked folder
    assert "Exercise: Which cell do you change?" in outputs  # its sealed exercise
    assert '"output_type": "error"' not in outputs and str(ROOT) not in outputs  # nothing from the repository


def test_the_unpacked_folder_is_its_own_root(built, tmp_path, monkeypatch):
    """Data paths and exercises resolve inside the unpacked folder, not in the repository."""
    from helpers.paths import datasets_dir

    with zipfile.ZipFile(built / "workbook-student.zip") as zipped:
        zipped.extractall(tmp_path)
    notebooks = tmp_path / "workbook-student" / "notebooks"
    monkeypatch.delenv("WORKBOOK_HOME", raising=False)
    monkeypatch.delenv("WORKBOOK_EXERCISES", raising=False)
    monkeypatch.chdir(notebooks)
    assert datasets_dir() == (notebooks.parent / "datasets").resolve()
    assert catalogue.definition_dirs()[0] == notebooks.parent / "exercises"
    assert isinstance(catalogue.find("04-kendalls-w"), dict)  # the sealed record, not the YAML


def test_a_file_a_notebook_leaves_in_the_pack_stops_the_build(tmp_path):
    """Whatever a notebook writes beside itself while the build runs it would reach every student: refused."""
    from helpers import student_pack
    from helpers.errors import WorkbookError

    folder = student_pack.stage(tmp_path)
    (folder / "notebooks" / "scratch.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"wrote notebooks/scratch\.csv into .*temporary folder"):
        student_pack.pack(folder, [])
    assert not (tmp_path / "workbook-student.zip").exists()
