"""RACI matrix rules, as a pure function a lesson can call on any table.

A RACI matrix lists tasks (rows) against roles (columns); each cell says who is **R**esponsible
(does the work), **A**ccountable (owns the outcome and signs it off), **C**onsulted (asked before),
or **I**nformed (told after). A cell may combine letters, e.g. ``"A/R"`` when the accountable role
also does the work. The rules checked here are the usual ones in project-management guidance:

* exactly one Accountable per task — none leaves nobody owning it, two invite a stand-off;
* at least one Responsible per task — otherwise nobody does it;
* a warning when many roles are Consulted on one task (more than half the roles by default):
  every extra consultation slows the decision; some could be Informed instead;
* a warning for a role with no letter anywhere: is it needed in the matrix?

Example
-------
>>> import pandas as pd
>>> m = pd.DataFrame({"Landlord": ["A", "R"], "Utility": ["R", ""]}, index=["Plan", "Dig"])
>>> validate_raci(m).errors
['“Dig” has no Accountable role: give exactly one role an A.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError

LETTERS = ("R", "A", "C", "I")
_SPLIT = re.compile(r"[\s/,+;&-]+")


@dataclass(frozen=True)
class RaciCheck:
    """The outcome of :func:`validate_raci`: rule breaks (errors) and advice (warnings)."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no rule is broken (warnings allowed)."""
        return not self.errors

    def messages(self) -> list[str]:
        return [*self.errors, *(f"Warning: {w}" for w in self.warnings)]


def parse_cell(value, *, task: str = "", role: str = "") -> frozenset[str]:
    """The letters in one cell: ``"A/R"`` -> {"A", "R"}; blank or NaN -> empty set."""
    if value is None or (isinstance(value, float) and value != value):
        return frozenset()
    text = str(value).strip().upper()
    if not text:
        return frozenset()
    parts = [p for p in _SPLIT.split(text) if p]
    if len(parts) == 1 and len(parts[0]) > 1 and set(parts[0]) <= set(LETTERS):
        parts = list(parts[0])  # "AR"
    bad = [p for p in parts if p not in LETTERS]
    if bad:
        where = f" for task {task!r}" if task else ""
        raise InputError(
            f"the RACI cell{where} must hold R, A, C or I (or a combination such as A/R) or be blank; correct the cell",
            column=role or None,
            value=value,
        )
    return frozenset(parts)


def validate_raci(matrix, *, max_consulted: int | None = None) -> RaciCheck:
    """Check a RACI matrix against the usual rules.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Tasks as the index, roles as the columns, cells ``"R"``, ``"A"``, ``"C"``, ``"I"``, a
        combination such as ``"A/R"``, or blank/NaN.
    max_consulted : int, optional
        Most Consulted roles on one task before a warning; default: half the roles (at least 2).

    Returns
    -------
    RaciCheck
        ``errors`` (rules broken, one sentence each, naming the task and roles) and ``warnings``.

    Raises
    ------
    InputError
        When a cell holds something other than R, A, C, I or blank.
    """
    roles = [str(r) for r in matrix.columns]
    limit = max_consulted if max_consulted is not None else max(2, len(roles) // 2)
    errors, warnings = [], []
    used_roles = set()
    for task, row in matrix.iterrows():
        cells = {
            role: parse_cell(row[col], task=str(task), role=role)
            for role, col in zip(roles, matrix.columns, strict=False)
        }
        used_roles |= {role for role, letters in cells.items() if letters}
        accountable = [role for role, letters in cells.items() if "A" in letters]
        responsible = [role for role, letters in cells.items() if "R" in letters]
        consulted = [role for role, letters in cells.items() if "C" in letters]
        if not accountable:
            errors.append(f"“{task}” has no Accountable role: give exactly one role an A.")
        elif len(accountable) > 1:
            errors.append(
                f"“{task}” has {len(accountable)} Accountable roles ({', '.join(accountable)}): "
                "exactly one role must own the outcome, or no one does."
            )
        if not responsible:
            errors.append(f"“{task}” has no Responsible role: someone must do the work (an R).")
        if len(consulted) > limit:
            warnings.append(
                f"“{task}” consults {len(consulted)} roles ({', '.join(consulted)}): each "
                "consultation slows the decision; could some be Informed instead?"
            )
    for role in roles:
        if role not in used_roles:
            warnings.append(f"“{role}” has no part in any task: is this role needed here?")
    return RaciCheck(errors, warnings)
