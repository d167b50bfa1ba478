"""`import helpers` and `workbook --help` stay light: heavy libraries are imported where used."""

import subprocess
import sys

HEAVY = ("pandas", "statsmodels", "seaborn", "matplotlib", "pingouin", "ipywidgets", "scipy", "papermill")


def modules_loaded_by(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_import_helpers_loads_no_heavy_library():
    loaded = modules_loaded_by("import helpers")
    assert not loaded & set(HEAVY)


def test_building_the_command_line_loads_no_heavy_library():
    loaded = modules_loaded_by("from helpers.cli import parser\nparser()")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
