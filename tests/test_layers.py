"""The package's layers: nothing imports upward, and the seeded generators import nothing of ours.

Every module under ``src/helpers`` is parsed with :mod:`ast` (not imported), so every import counts:
module level, inside functions (the lazy imports that keep ``import helpers`` light) and under
``TYPE_CHECKING``. Relative imports are resolved to full module names first. Bottom to top:

    cases                 seeded generators of the bundled data (numpy and pandas only)
    errors, paths, notebook   small shared utilities that import nothing of ours
    polls, datasets       data in: readers, importers, validation, privacy; the dataset registry
    stats, plots          general statistics and figures, lesson-free
    exercises             widget kinds, answer checking, progress
    lessons, analysis     one facade per lesson (analysis: lesson 06, a researcher's own poll)
    cli, course, ...      the command, catalogue, editions, builds, the live poll, the hub

A module may import its own layer and any layer below it. A new top-level module or package must be
given a layer here (the test says so), which is the point: placing it is a design decision.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "helpers"

#: Layer of each top-level module or package of ``helpers`` (0 = bottom).
LAYERS = {
    "helpers.cases": 0,
    "helpers.errors": 1,
    "helpers.paths": 1,
    "helpers.notebook": 1,
    "helpers.redact": 1,
    "helpers.polls": 2,
    # a leaf of the standard library only, which errors.py uses to mask personal data in messages
    "helpers.polls.pii": 1,
    "helpers.datasets": 2,
    "helpers.stats": 3,
    "helpers.plots": 3,
    "helpers.exercises": 4,
    "helpers.lessons": 5,
    "helpers.analysis": 5,
    "helpers.params": 6,
    "helpers.setup_check": 6,
    "helpers.editions": 6,
    "helpers.course": 6,
    "helpers.tracks": 6,
    "helpers.cli": 6,
    "helpers.live": 6,
    "helpers.hub": 6,
    "helpers.serve": 6,
    "helpers.offline_html": 6,
    "helpers.student_pack": 6,
    "helpers": 7,  # the package's own __init__ (imports nothing, so `import helpers` stays light)
}
NAMES = {
    0: "cases",
    1: "utilities",
    2: "polls",
    3: "stats/plots",
    4: "exercises",
    5: "lessons",
    6: "cli/course",
    7: "helpers",
}
#: What the generators may import besides the standard library.
CASES_MAY_IMPORT = {"numpy", "pandas"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, wherever it stands."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module is None or node.level and not node.module:
                # `from . import x` / `from .. import x`: each name may be a submodule
                found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, target))
    return found


def layer_of(module: str) -> int | None:
    """The layer of a ``helpers`` module (longest matching prefix), None when it has none."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS:
            return LAYERS[prefix]
    return None


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_modules_to_check():
    names = {module_name(p) for p in MODULES}
    assert {"helpers.cases", "helpers.polls.read", "helpers.lessons", "helpers.cli"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_a_higher_layer(path):
    name = module_name(path)
    own = layer_of(name)
    assert own is not None, f"{name} has no layer: add its top-level module to LAYERS in tests/test_layers.py"
    upward = []
    for line, target in imports_of(path):
        if target != "helpers" and not target.startswith("helpers."):
            continue
        theirs = layer_of(target)
        assert theirs is not None, f"{name} (line {line}) imports {target}, which has no layer in LAYERS"
        if theirs > own and target != "helpers":
            upward.append(f"line {line}: {target} ({NAMES[theirs]}) from the {NAMES[own]} layer")
    assert not upward, f"{name} imports upward:\n" + "\n".join(upward)


@pytest.mark.parametrize("path", sorted((PACKAGE / "cases").rglob("*.py")), ids=lambda p: module_name(p))
def test_the_generators_import_nothing_of_ours_and_only_numpy_and_pandas(path):
    name = module_name(path)
    bad = []
    for line, target in imports_of(path):
        top = target.split(".")[0]
        if target.startswith("helpers.") and not target.startswith("helpers.cases"):
            bad.append(f"line {line}: {target}")
        elif top != "helpers" and top not in sys.stdlib_module_names and top not in CASES_MAY_IMPORT:
            bad.append(f"line {line}: {target} (only numpy, pandas and the standard library)")
    assert not bad, f"{name} imports what a generator may not:\n" + "\n".join(bad)


def test_the_checker_sees_lazy_and_relative_imports(tmp_path, monkeypatch):
    """The parser resolves ``from ..x import y`` inside a function body to the full module name."""
    fake = tmp_path / "helpers" / "cases"
    fake.mkdir(parents=True)
    module = fake / "sneaky.py"
    module.write_text("import numpy\n\ndef build():\n    from ..stats import change\n    from . import write_tables\n")
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    assert imports_of(module) == [(1, "numpy"), (4, "helpers.stats"), (5, "helpers.cases.write_tables")]
    assert layer_of("helpers.stats.change") == 3 > layer_of("helpers.cases.sneaky")
