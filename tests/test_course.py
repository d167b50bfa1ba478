"""`workbook list` and `workbook run`'s parameters: read from each notebook's parameters cell.

The listing is checked against the cell itself, executed in an empty namespace (an independent
reading: Python's own evaluation of the cell, against the catalogue's ast-and-tokenize parse).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import nbformat
import pytest

from helpers import cli
from helpers.course import catalogue, convert_parameters, describe, execute, notebook_paths, read_parameters
from helpers.errors import WorkbookError

NOTEBOOKS = notebook_paths()
EXPECTED_TYPE = {int: "int", float: "float", str: "str", bool: "bool", list: "list", dict: "dict"}


def parameters_cell(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if "parameters" in c["metadata"].get("tags", []))
    return "".join(cell["source"])


def help_texts(source: str) -> dict[str, str]:
    """``name = ...  # help`` lines of a one-line-per-parameter cell."""
    return {m["name"]: m["help"].strip() for m in re.finditer(r"^(?P<name>\w+) = .*?  # (?P<help>.*)$", source, re.M)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_list_shows_every_parameter_of_the_cell_with_type_default_and_help(path, capsys):
    source = parameters_cell(path)
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102 - the course's own parameters cell
    declared = {k: v for k, v in namespace.items() if not k.startswith("__")}
    listed = {p.name: p for p in describe(path).parameters}
    assert list(listed) == list(declared)
    helps = help_texts(source)
    for name, value in declared.items():
        parameter = listed[name]
        expected = "path" if name.endswith("_path") and isinstance(value, str) else EXPECTED_TYPE[type(value)]
        assert parameter.type == expected, name
        assert parameter.value == value and eval(parameter.default) == value, name  # noqa: S307
        assert parameter.help == helps[name] and parameter.help, name

    assert cli.main(["list"]) == 0
    out, err = capsys.readouterr()
    assert err == ""  # no papermill warnings
    block = out.split(path.stem + "  ", 1)[1].split("\n0", 1)[0]
    for name, parameter in listed.items():
        assert re.search(rf"^    {name}: {parameter.type} +=", block, re.M), name
        assert f"= {parameter.default}  # {parameter.help}" in block


def test_the_parameters_the_old_listing_lost_are_listed():
    names = {info.name[:2]: {p.name for p in info.parameters} for info in catalogue()}
    assert {"seed", "min_group_size"} <= names["00"] and {"seed", "min_group_size"} <= names["02"]
    assert {"codebook_path", "seed", "min_group_size", "party_names"} <= names["05"]


def test_multi_line_values_hashes_in_strings_and_non_literals():
    parameters = read_parameters(
        'title = "Poll #3"  # the title; a # inside the text is not a comment\n'
        "parties = [\n    'A',\n    'B',\n]  # two parties\n"
        "ratio: float = 0.5  # annotated\n"
        "import math\n"
        "limit = math.inf  # not a literal\n"
        "flag = True\n"
    )
    assert [(p.name, p.type, p.help) for p in parameters] == [
        ("title", "str", "the title; a # inside the text is not a comment"),
        ("parties", "list", "two parties"),
        ("ratio", "float", "annotated"),
        ("limit", "", "not a literal"),
        ("flag", "bool", ""),
    ]
    assert parameters[1].value == ["A", "B"]


def test_an_unknown_parameter_is_refused_with_a_suggestion(capsys):
    assert cli.main(["run", "04", "-p", "dat_path", "foo.csv", "--out", "/nonexistent/never-written"]) == 1
    err = capsys.readouterr().err
    assert "04_things_that_matter has no parameter `dat_path`. Did you mean `data_path`?" in err
    assert err.count("\n") == 1  # one line, no traceback
    with pytest.raises(WorkbookError, match="Did you mean `seed`"):
        execute(NOTEBOOKS[0], "/nonexistent/x.ipynb", parameters={"sed": 3})


def test_values_are_converted_by_the_declared_type(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "early_trust").write_text("a file that happens to share a column's name")
    info = describe(next(p for p in NOTEBOOKS if p.stem.startswith("03")))
    converted = convert_parameters(
        info,
        {
            "codebook_path": "",
            "reasons_path": "mine/reasons.csv",
            "seed": "7",
            "k": " 2 ",
            "km_group": "early_trust",
            "covariates": "type, early_trust",
            "threshold": "-1",
        },
    )
    assert converted == {
        "codebook_path": "",  # empty stays empty: skip the input
        "reasons_path": str(tmp_path / "mine" / "reasons.csv"),  # a path from the caller's folder
        "seed": 7,
        "k": 2,
        "threshold": -1,
        "km_group": "early_trust",  # text stays text even when a file has that name
        "covariates": "type, early_trust",  # the notebook takes "A, B" for a list
    }
    four = describe(next(p for p in NOTEBOOKS if p.stem.startswith("04")))
    assert convert_parameters(four, {"party_names": '["A", "B"]'}) == {"party_names": ["A", "B"]}
    assert convert_parameters(four, {"seed": "seven"}) == {"seed": "seven"}  # the notebook words the error
    one = describe(next(p for p in NOTEBOOKS if p.stem.startswith("01")))
    assert convert_parameters(one, {"tolerance": "2", "waves": "a, b"}) == {"tolerance": 2.0, "waves": "a, b"}


@pytest.mark.papermill
def test_known_parameters_never_warn(tmp_path, caplog):
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('seed = 1  # a seed\nnames = [\n    "a",\n]  # multi-line')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, nbformat.v4.new_code_cell("print(seed, names)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = tmp_path / "tiny.ipynb"
    nbformat.write(nb, source)
    with caplog.at_level(logging.INFO, logger="papermill"):
        executed = execute(source, tmp_path / "out.ipynb", parameters={"seed": 7, "names": ["b"]})
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == []
    out = nbformat.read(executed, as_version=4)
    assert out.cells[-1].outputs[0]["text"] == "7 ['b']\n"
    assert [c.metadata.get("tags", []) for c in out.cells][:2] == [["parameters"], ["injected-parameters"]]


def tiny_notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(f"# {path.stem}"), nbformat.v4.new_code_cell(source)]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.mark.papermill
def test_build_runs_longest_first_exports_every_page_and_remembers_times(tmp_path):
    from helpers.course import TIMINGS_FILE, _estimates, build

    slow = tiny_notebook(tmp_path / "10_slow.ipynb", "import time\ntime.sleep(0.2)\nprint('slow done')")
    quick = tiny_notebook(tmp_path / "11_quick.ipynb", "print('quick done')")
    out = tmp_path / "out"
    assert _estimates([slow, quick], out)[slow] > _estimates([slow, quick], out)[quick]  # no times yet: the bigger file
    results = build(out, jobs=2, notebooks=[slow, quick], progress=False)
    assert [(e.name, h.name) for e, h in results] == [
        ("10_slow.ipynb", "10_slow.html"),
        ("11_quick.ipynb", "11_quick.html"),
    ]
    assert "slow done" in results[0][1].read_text(encoding="utf-8")
    times = json.loads((out / TIMINGS_FILE).read_text())
    assert set(times) == {"10_slow.ipynb", "11_quick.ipynb"} and all(t > 0 for t in times.values())
    assert _estimates([slow, quick], out) == {slow: times["10_slow.ipynb"], quick: times["11_quick.ipynb"]}
    # the next build ranks by the measured times, whatever the file sizes say (times set here, not raced:
    # on a loaded machine a kernel's start can outlast the slow notebook's work)
    (out / TIMINGS_FILE).write_text(json.dumps({"10_slow.ipynb": 0.5, "11_quick.ipynb": 7.0}), encoding="utf-8")
    estimates = _estimates([slow, quick], out)
    assert estimates[quick] == 7.0 > estimates[slow] == 0.5


@pytest.mark.papermill
@pytest.mark.parametrize("jobs", [1, 2])  # here and now, and in a pool of two worker processes
def test_build_names_every_failed_notebook_and_builds_the_rest(tmp_path, jobs):
    from helpers.course import build

    good = tiny_notebook(tmp_path / "20_good.ipynb", "print('fine')")
    bad = tiny_notebook(tmp_path / "21_bad.ipynb", "raise ValueError('broken on purpose')")
    with pytest.raises(
        WorkbookError,
        match=r"1 notebook\(s\) failed: 21_bad.ipynb stopped in cell 1: "
        r"ValueError: broken on purpose",
    ):
        build(tmp_path / "out", jobs=jobs, notebooks=[good, bad], progress=False)
    assert (tmp_path / "out" / "html" / "20_good.html").is_file()
