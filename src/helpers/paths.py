"""Where the workbook's own folders are.

The package is installed in editable mode from the repository (``make`` and ``environment.yml`` both
do so), so the bundled ``datasets/`` and ``notebooks/`` folders sit two levels above ``src/helpers``.
``WORKBOOK_HOME`` overrides this for an unusual install. An unpacked student edition (a folder with
the marker file :data:`PACK_MARKER`, see :mod:`helpers.student_pack`) is its own root when a notebook
runs in it or in its ``notebooks/`` folder, wherever it was unpacked.
"""

from __future__ import annotations

import os
from pathlib import Path

PACK_MARKER = ".workbook-edition"


def project_root() -> Path:
    """The folder that holds ``datasets/`` and ``notebooks/``: ``$WORKBOOK_HOME``, the unpacked
    student edition around the working directory, or the repository."""
    override = os.environ.get("WORKBOOK_HOME")
    if override:
        return Path(override).resolve()
    here = Path.cwd()
    for folder in (here, here.parent):
        if (folder / PACK_MARKER).is_file():
            return folder.resolve()
    return Path(__file__).resolve().parents[2]


def datasets_dir() -> Path:
    return project_root() / "datasets"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"
