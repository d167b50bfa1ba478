"""Which edition of the workbook is running: the student's (default) or the trainer's.

The trainer edition shows a "Show answer" button on each exercise; the student edition does not.
The kernel learns the edition from the environment variable ``WORKBOOK_EDITION``:

* ``WORKBOOK_EDITION=trainer`` — reveal buttons on;
* anything else, or unset — the student edition: no reveal button. This is the safe default, so a
  notebook run anywhere without the variable never offers the answer.

``workbook build --edition trainer`` (through :func:`helpers.editions.kernel_environment`) sets the
variable for the kernels it starts; a trainer who wants the buttons in their own JupyterLab starts
it with ``WORKBOOK_EDITION=trainer jupyter lab``.
"""

from __future__ import annotations

import os

ENV_VAR = "WORKBOOK_EDITION"
EDITIONS = ("student", "trainer")


def current_edition() -> str:
    """``"trainer"`` when ``WORKBOOK_EDITION`` says so (any case, spaces ignored), else ``"student"``."""
    value = os.environ.get(ENV_VAR, "").strip().lower()
    return "trainer" if value == "trainer" else "student"


def reveal_enabled() -> bool:
    """True only in the trainer edition."""
    return current_edition() == "trainer"
