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
                     help="set a parameter (repeatable); numbers and true/false are understood")
    run.add_argument("--out", default="build", help="output folder (default: build)")
    run.add_argument("--edition", choices=("student", "trainer"), help="run the student or trainer edition")
    run.set_defaults(func=run_notebook)

    build = commands.add_parser("build", help="execute the whole course, notebooks in parallel")
    build.add_argument("--jobs", type=int, default=2, help="notebooks at a time (default 2)")
    build.add_argument("--out", default="build", help="output folder (default: build)")
    build.add_argument("--edition", choices=("student", "trainer"), help="build the student or trainer edition")
    build.set_defaults(func=build_course)

    refresh = commands.add_parser(
        "refresh", help="re-execute notebooks in place with default parameters (for developers)"
    )
    refresh.add_argument("notebooks", nargs="+", help="notebook names or paths")
    refresh.set_defaults(func=refresh_notebooks)


def list_notebooks(arguments) -> int:
    from ..course import catalogue

    for info in catalogue():
        print(f"{info.name}  {info.title}")
        for p in info.parameters:
            help_text = f"  # {p.help}" if p.help else ""
            print(f"    {p.name}: {p.type} = {p.default}{help_text}")
    return 0


def run_notebook(arguments) -> int:
    from ..course import run

    parameters = {name: parse_value(value) for name, value in arguments.parameter}
    executed, html = run(arguments.notebook, arguments.out, parameters, edition=arguments.edition)
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


def parse_value(text: str):
    """A ``-p`` value: int, float, true/false/none, a path made absolute if it names a file, else text.

    Files are made absolute because the notebook runs in its own folder, not the caller's.
    """
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("none", "null"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    candidate = Path(text).expanduser()
    if candidate.exists():
        return str(candidate.resolve())
    return text
