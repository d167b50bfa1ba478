"""Check your set-up: is this the environment the workbook's stored outputs were made with?

:func:`check_environment` returns one row per check: the Python version, every package the workbook
needs (installed version against the version pinned in ``requirements.lock``), the Jupyter kernel,
and the bundled datasets. The table is deterministic: a check that passes shows only what every
correctly set-up machine shares ("OK", the pinned version), never a path, a patch-level Python version
or a timestamp, so notebook 00 can store it and ``pytest --nbval`` can compare it. A failing check
says what was found and what to do.

>>> table = check_environment()
>>> table[table["status"] != "OK"].empty   # on a machine set up with `make setup`
True
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import project_root

if TYPE_CHECKING:
    import pandas  # annotations only: `import helpers` stays light

DISTRIBUTION = "collaborative-working-workbook"
KERNEL = "python3"
FIX = "run `make setup` (or `conda env update -f environment.yml`) in the workbook folder"


def normalise(name: str) -> str:
    """A distribution name as pip compares them (PEP 503): lower case, runs of -_. become -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(lock: Path) -> dict[str, str]:
    """``{normalised name: version}`` from a pip lock file of ``name==version`` lines."""
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def required_packages(distribution: str = DISTRIBUTION) -> list[str]:
    """The workbook's own runtime dependencies (not the test extras), as declared when installed."""
    names = []
    for requirement in metadata.requires(distribution) or []:
        if "extra ==" in requirement:
            continue
        names.append(normalise(re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]))
    return sorted(set(names))


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def package_checks(
    packages: Iterable[str],
    pins: Mapping[str, str],
    installed: Callable[[str], str | None] = _installed,
) -> list[dict]:
    """One row per package: pinned version, and "OK" or what is wrong."""
    rows = []
    for name in sorted(packages):
        pinned, found = pins.get(normalise(name)), installed(name)
        if found is None:
            status = f"missing: {FIX}"
        elif pinned is None:
            status = "not pinned in requirements.lock"
        elif found != pinned:
            status = f"installed {found}, expected {pinned}: {FIX}"
        else:
            status = "OK"
        rows.append({"check": "package", "item": name, "expected": pinned or "", "status": status})
    return rows


def python_check(requires: str | None, version: tuple[int, int, int] | None = None) -> dict:
    """The running Python against the workbook's ``Requires-Python`` (shown as major.minor only)."""
    from packaging.specifiers import SpecifierSet

    major, minor, micro = version or sys.version_info[:3]
    expected = _minor_range(requires) if requires else "any"
    ok = requires is None or SpecifierSet(requires).contains(f"{major}.{minor}.{micro}")
    status = "OK" if ok else f"running Python {major}.{minor}: create the environment with Python {expected}"
    return {"check": "python", "item": "Python", "expected": expected, "status": status}


def _minor_range(requires: str) -> str:
    """``'>=3.11,<3.12'`` -> ``'3.11'``: how a reader says it."""
    low = re.search(r">=\s*(\d+)\.(\d+)", requires)
    high = re.search(r"<\s*(\d+)\.(\d+)", requires)
    if low and high and int(high.group(1)) == int(low.group(1)) and int(high.group(2)) == int(low.group(2)) + 1:
        return f"{low.group(1)}.{low.group(2)}"
    return requires


def kernel_check(kernel: str = KERNEL, specs: Mapping[str, str] | None = None) -> dict:
    """Whether Jupyter can find the kernel the notebooks are stored with."""
    if specs is None:
        from jupyter_client.kernelspec import KernelSpecManager

        specs = KernelSpecManager().find_kernel_specs()
    status = (
        "OK"
        if kernel in specs
        else (f"no Jupyter kernel named {kernel!r}: {FIX} (it installs the kernel into the environment)")
    )
    return {"check": "kernel", "item": f"Jupyter kernel {kernel!r}", "expected": "installed", "status": status}


def dataset_checks(datasets: Path) -> list[dict]:
    """Every file registered in ``datasets/datasets.csv`` (and its codebook) is present."""
    registry = datasets / "datasets.csv"
    if not registry.is_file():
        return [
            {
                "check": "datasets",
                "item": "datasets/datasets.csv",
                "expected": "present",
                "status": "missing: the datasets folder is incomplete; download or clone the workbook again",
            }
        ]
    with open(registry, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    files = sorted({r["path"] for r in rows} | {r["codebook"] for r in rows if r.get("codebook")})
    missing = [f for f in files if not (datasets / f).is_file()]
    status = (
        "OK"
        if not missing
        else (
            f"missing {', '.join(missing)}: clone or download the workbook again (the datasets/ folder comes with it)"
        )
    )
    return [{"check": "datasets", "item": "bundled datasets", "expected": "all registered files", "status": status}]


def check_environment(root: Path | None = None) -> pandas.DataFrame:
    """The set-up check: one row per check with ``check, item, expected, status``.

    Parameters
    ----------
    root : the workbook folder holding ``requirements.lock`` and ``datasets/`` (default: this install's).

    Returns
    -------
    DataFrame in a fixed order: Python, kernel, datasets, then the packages alphabetically. ``status``
    is ``"OK"`` or one sentence saying what was found and what to do.
    """
    import pandas as pd

    root = Path(root) if root is not None else project_root()
    lock = root / "requirements.lock"
    pins = read_pins(lock) if lock.is_file() else {}
    try:
        requires = metadata.metadata(DISTRIBUTION)["Requires-Python"]
        packages = required_packages()
    except metadata.PackageNotFoundError:
        requires, packages = None, []
    rows = [python_check(requires), kernel_check(), *dataset_checks(root / "datasets")]
    if not lock.is_file():
        rows.append(
            {
                "check": "package",
                "item": "requirements.lock",
                "expected": "present",
                "status": "missing: the workbook folder is incomplete; clone it again",
            }
        )
    rows += package_checks(packages, pins)
    return pd.DataFrame(rows, columns=["check", "item", "expected", "status"])


def summary(table) -> str:
    """One sentence: all good, or how many checks need attention."""
    problems = int((table["status"] != "OK").sum())
    if not problems:
        return f"All {len(table)} checks passed: your set-up matches the workbook's."
    return f"{problems} of {len(table)} checks need attention: see the status column."
