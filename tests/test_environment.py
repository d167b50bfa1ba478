"""The conda/Binder environment and the pip lock must pin the same versions."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _environment_pins() -> dict[str, str]:
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in spec["dependencies"]:
        if isinstance(dep, str) and "=" in dep and not dep.startswith("python="):
            name, version = re.split(r"==?", dep, maxsplit=1)
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def test_environment_yml_pins_match_the_lock():
    lock, env = _lock_pins(), _environment_pins()
    assert env, "environment.yml pins nothing"
    mismatched = {name: (version, lock.get(name)) for name, version in env.items() if lock.get(name) != version}
    assert not mismatched, f"environment.yml disagrees with requirements.lock (env, lock): {mismatched}"


def test_every_direct_dependency_is_pinned_in_both():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + project["optional-dependencies"]["test"]
    names = {re.split(r"[<>=\[ ]", d, maxsplit=1)[0].lower() for d in direct}
    lock, env = _lock_pins(), _environment_pins()
    assert names - lock.keys() == set(), f"not in requirements.lock: {names - lock.keys()}"
    # playwright and axe drive the browser test only; conda users run the notebooks, not that test.
    browser_only = {"playwright", "axe-playwright-python"}
    assert names - env.keys() - browser_only == set(), f"not in environment.yml: {names - env.keys()}"


def test_environment_installs_the_workbook_itself():
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section
