"""Publish an edition of the course into a git repository that a hub's users pull with nbgitpuller.

Why git and nbgitpuller: nbgitpuller (a Jupyter server extension) clones the repository into the
user's home on the first visit of its link and, on every later visit, *merges* the new version into
the copy the student has worked in: files the student changed keep the student's version, files the
student did not touch are updated, files the student deleted come back, and the student's own files
(such as ``workbook-progress.json``) are never touched. See nbgitpuller's documentation, "Merging
behavior".

:func:`edition_folder` writes a self-contained folder (the edition of every notebook, the bundled
datasets beside them so the notebooks' relative data paths work, and a README); :func:`publish` commits
a folder into a bare repository (created on first use) and returns the new commit; :func:`pull_link`
is the link to give students (the hub's ``/hub/user-redirect/git-pull`` route, so it works for every
user). A repository on the hub's own disk is pulled by its ``file://`` URL, so no git server is needed.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from urllib.parse import urlencode

from ..errors import WorkbookError

#: Folder the edition lands in inside each home (nbgitpuller's ``targetPath``).
TARGETS = {"student": "workbook", "trainer": "workbook-trainer"}
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"
_IDENTITY = ("-c", "user.name=workbook", "-c", "user.email=workbook@localhost")
_README = """# Collaborative Working Workbook ({edition} edition)

Open `notebooks/00_start_here.ipynb` first. The notebooks read the bundled data in `datasets/`.

This folder was put here by the hub and is updated each time you open the course link: your changes
to a notebook are kept (the hub merges the new version in and your version wins where both changed),
and your answers (`workbook-progress.json`) are never touched. To get a notebook back as published,
rename or delete your copy and open the course link again.
"""


def edition_folder(edition: str, out: str | os.PathLike, notebooks=None) -> Path:
    """Write the ``edition`` of the course into the folder ``out`` (emptied first) and return it.

    ``out/notebooks/`` holds each course notebook (or those named in ``notebooks``) as that edition
    (:func:`helpers.editions.make_edition`: the student edition without solution and trainer cells or
    saved widget state), ``out/datasets/`` the bundled data, ``out/README.md`` what the folder is. The
    student edition carries the exercises sealed in ``exercises/`` (as the zip of ``workbook build
    --edition student`` does); the trainer edition carries ``lessons/`` (facilitator notes, answers and
    the plain exercise files) instead. Notebooks are published as stored (not executed): a student runs
    them in their own server.
    """
    import nbformat

    from ..course import find_notebook, notebook_paths
    from ..editions import _checked, make_edition
    from ..exercises.catalogue import write_sealed
    from ..paths import datasets_dir, project_root

    edition = _checked(edition)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    sources = [find_notebook(n) for n in notebooks] if notebooks else notebook_paths()
    for source in sources:
        nbformat.write(make_edition(nbformat.read(source, as_version=4), edition), out / "notebooks" / source.name)
    shutil.copytree(datasets_dir(), out / "datasets", ignore=shutil.ignore_patterns("__pycache__", ".*"))
    if edition == "student":
        write_sealed(out / "exercises")
    elif (project_root() / "lessons").is_dir():
        shutil.copytree(project_root() / "lessons", out / "lessons", ignore=shutil.ignore_patterns(".*"))
    (out / "README.md").write_text(_README.format(edition=edition), encoding="utf-8")
    return out


def publish(
    folder: str | os.PathLike,
    repo: str | os.PathLike,
    *,
    branch: str = "main",
    message: str = "Publish the course",
    private: bool = False,
) -> str | None:
    """Commit the contents of ``folder`` to ``branch`` of the bare repository ``repo``.

    The repository is created on first use. Files gone from ``folder`` are deleted in the new commit.
    Returns the new commit id, or ``None`` when nothing changed since the last publication (no empty
    commit, so nbgitpuller has nothing to merge). ``private`` (use it for the trainer edition) takes
    every permission away from "others" on the repository, so only its owner and group (make it the
    trainers' group) can pull it.
    """
    folder, repo = Path(folder).resolve(), Path(repo).resolve()
    if not folder.is_dir():
        raise WorkbookError(f"{folder} is not a folder: build or give the edition's folder first.")
    if not (repo / "HEAD").is_file():
        if repo.exists() and any(repo.iterdir()):
            raise WorkbookError(
                f"{repo} exists and is not a bare git repository: give an empty or new folder for --repo."
            )
        _git("init", "--quiet", "--bare", f"--initial-branch={branch}", str(repo))
    tree = ("--git-dir", str(repo), "--work-tree", str(folder))
    _git(*tree, "symbolic-ref", "HEAD", f"refs/heads/{branch}")
    _git(*tree, "add", "--all", ".", cwd=folder)
    changed = subprocess.run(["git", *tree, "diff", "--cached", "--quiet"], cwd=folder).returncode != 0
    has_commit = (
        subprocess.run(
            ["git", "--git-dir", str(repo), "rev-parse", "--verify", "--quiet", "HEAD"], capture_output=True
        ).returncode
        == 0
    )
    if has_commit and not changed:
        return None
    _git(*_IDENTITY, *tree, "commit", "--quiet", "--allow-empty", "-m", message, cwd=folder)
    if private:
        _remove_others_access(repo)
    return _git("--git-dir", str(repo), "rev-parse", "HEAD").strip()


def pull_link(
    hub_url: str, repo: str, *, edition: str = "student", branch: str = "main", notebook: str = FIRST_NOTEBOOK
) -> str:
    """The nbgitpuller link for every user of the hub at ``hub_url`` (``https://hub.example.org``).

    ``/hub/user-redirect/`` sends each user to their own server (starting it if needed), where
    nbgitpuller pulls ``repo`` into ``~/workbook`` (``~/workbook-trainer`` for the trainer edition)
    and opens ``notebook`` in JupyterLab.
    """
    path = pull_path(repo, edition=edition, branch=branch, notebook=notebook)
    return hub_url.rstrip("/") + "/hub/user-redirect" + path


def pull_path(repo: str, *, edition: str = "student", branch: str = "main", notebook: str = FIRST_NOTEBOOK) -> str:
    """The server-relative part of the link (``/git-pull?...``), as used for ``Spawner.default_url``."""
    target = TARGETS[edition]
    query = urlencode(
        {"repo": repo, "branch": branch, "targetPath": target, "urlpath": f"lab/tree/{target}/{notebook}"}
    )
    return f"/git-pull?{query}"


def repo_url(repo: str | os.PathLike) -> str:
    """A repository as nbgitpuller wants it: a URL stays, a local path becomes ``file:///...``.

    A ``file://`` URL (not a bare path) because nbgitpuller clones shallowly, which git does only
    over a URL.
    """
    text = str(repo)
    if "://" in text or text.startswith("git@"):
        return text
    return Path(text).resolve().as_uri()


def _remove_others_access(repo: Path) -> None:
    for path in [repo, *repo.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IRWXO))


def _git(*arguments: str, cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise WorkbookError("git is not installed: install it (apt-get install git) and try again.") from None
    if done.returncode != 0:
        raise WorkbookError(f"git failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout
