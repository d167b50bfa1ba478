"""Where the workbook's own folders are.

The package is installed in editable mode from the repository (``make`` and ``environment.yml`` both
do so), so the bundled ``datasets/`` and ``notebooks/`` folders sit two levels above ``src/helpers``.
``WORKBOOK_HOME`` overrides this for an unusual install.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The repository folder that holds ``datasets/`` and ``notebooks/``."""
    override = os.environ.get("WORKBOOK_HOME")
    return Path(override).resolve() if override else Path(__file__).resolve().parents[2]


def datasets_dir() -> Path:
    return project_root() / "datasets"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"
