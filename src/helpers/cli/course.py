"""``workbook list | run | build | refresh``: the course notebooks."""

from __future__ import annotations

import time
from pathlib import Path


def register(commands) -> None:
    listing = commands.add_parser("list", help="every notebook with its parameters, types and defaults")
    listing.set_defaults(func=list_notebooks)

    run = commands.add_parser("run", help="execute one notebook (executed .ipynb and HTML)")
    run.add_argument("notebook", help="a notebook name or number, e.g. 04 or 04_things_that_matter")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                     help="set a parameter (repeatable), converted by its type in `workbook list`; "
                          "a path is read from the current folder, \"\" skips an optional input")
    run.add_argument("--out", default="build", help="output folder (default: build)")
    run.add_argument("--edition", choices=("student", "trainer"), help="run the student or trainer edition")
    run.set_defaults(func=run_notebook)

    build = commands.add_parser("build", help="execute the whole course, notebooks in parallel")
    build.add_argument("--jobs", type=int, default=2, help="notebooks at a time (default 2)")
    build.add_argument("--out", default="build", help="output folder (default: build)")
    build.add_argument("--edition", choices=("student", "trainer"), help="build the student or trainer edition")
    build.set_defaults(func=build_course)

    refresh = commands.add_parser("refresh",
                                  help="re-execute notebooks in place with default parameters (for developers)")
    refresh.add_argument("notebooks", nargs="+", help="notebook names or paths")
    refresh.set_defaults(func=refresh_notebooks)


def list_notebooks(arguments) -> int:
    from ..course import catalogue

    for info in catalogue():
        print(f"{info.name}  {info.title}")
        width = max((len(p.name) + len(p.type) for p in info.parameters), default=0) + 2
        for p in info.parameters:
            help_text = f"  # {p.help}" if p.help else ""
            print(f"    {(p.name + ': ' + p.type):<{width}} = {p.default}{help_text}")
    return 0


def run_notebook(arguments) -> int:
    from ..course import convert_parameters, describe, find_notebook, run

    source = find_notebook(arguments.notebook)
    parameters = convert_parameters(describe(source), dict(arguments.parameter))
    executed, html = run(source, arguments.out, parameters, edition=arguments.edition)
    print(f"executed: {executed}\nhtml:     {html}")
    return 0


def build_course(arguments) -> int:
    from ..course import build

    out = Path(arguments.out) / arguments.edition if arguments.edition else Path(arguments.out)
    started = time.perf_counter()
    results = build(out, jobs=arguments.jobs, edition=arguments.edition)
    print(f"built {len(results)} notebooks in {time.perf_counter() - started:.1f} s with {arguments.jobs} job(s):")
    print(f"  notebooks: {out / 'notebooks'}\n  html:      {out / 'html'}")
    return 0


def refresh_notebooks(arguments) -> int:
    from ..course import refresh

    for path in refresh(arguments.notebooks):
        print(f"refreshed {path.name}")
    return 0
