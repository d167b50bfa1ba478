"""``workbook list | run | build | refresh``: the course notebooks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from ..errors import WorkbookError

DEFAULT_PORT = 8866
TRACK_HELP = "build the analyst or practitioner track (default: the full lesson)"


def register(commands) -> None:
    listing = commands.add_parser("list", help="every notebook with its parameters, types and defaults")
    listing.set_defaults(func=list_notebooks)

    run = commands.add_parser("run", help="execute one notebook (executed .ipynb and HTML)")
    run.add_argument("notebook", help="a notebook name or number, e.g. 04 or 04_things_that_matter")
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a parameter (repeatable), converted by its type in `workbook list`; "
        'a path is read from the current folder, "" skips an optional input',
    )
    run.add_argument("--out", default="build", help="output folder (default: build)")
    run.add_argument("--edition", choices=("student", "trainer"), help="run the student or trainer edition")
    run.add_argument("--track", choices=("analyst", "practitioner"), help=TRACK_HELP)
    run.set_defaults(func=run_notebook)

    build = commands.add_parser("build", help="execute the whole course, notebooks in parallel")
    build.add_argument("--jobs", type=int, default=2, help="notebooks at a time (default 2)")
    build.add_argument("--out", default="build", help="output folder (default: build)")
    build.add_argument("--edition", choices=("student", "trainer"), help="build the student or trainer edition")
    build.add_argument("--track", choices=("analyst", "practitioner"), help=TRACK_HELP)
    build.set_defaults(func=build_course)

    refresh = commands.add_parser(
        "refresh", help="re-execute notebooks in place with default parameters (for developers)"
    )
    refresh.add_argument("notebooks", nargs="+", help="notebook names or paths")
    refresh.set_defaults(func=refresh_notebooks)

    serve = commands.add_parser(
        "serve",
        help="open a notebook's exercises as a Voilà app on this computer",
        description="Serve NOTEBOOK with Voilà on 127.0.0.1, code hidden, behind a token printed with its URL; "
        "kernels are preheated so pages open in about a second once it says Ready. Stop with Ctrl+C.",
    )
    serve.add_argument("notebook", help="a notebook name or number (e.g. 04) or a path")
    serve.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"port on 127.0.0.1 (default {DEFAULT_PORT}, or a free one if that is taken)",
    )
    serve.add_argument(
        "--edition",
        choices=("student", "trainer"),
        default="student",
        help="student (default: no answers) or trainer (reveal buttons, notes)",
    )
    serve.add_argument("--pool", type=int, default=3, help="preheated kernels kept ready (default 3)")
    serve.add_argument("--max-kernels", type=int, default=8, help="at most this many kernels (default 8)")
    serve.add_argument(
        "--idle-timeout",
        type=int,
        default=300,
        help="seconds after which a visitor's idle, closed page's kernel is shut down (default 300)",
    )
    serve.set_defaults(func=serve_notebook)


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
    executed, html = run(source, arguments.out, parameters, edition=arguments.edition, track=arguments.track)
    print(f"executed: {executed}\nhtml:     {html}")
    return 0


def build_course(arguments) -> int:
    from ..course import build

    out = Path(arguments.out) / arguments.edition if arguments.edition else Path(arguments.out)
    out = out / arguments.track if arguments.track else out
    started = time.perf_counter()
    results = build(out, jobs=arguments.jobs, edition=arguments.edition, track=arguments.track)
    print(f"built {len(results)} notebooks in {time.perf_counter() - started:.1f} s with {arguments.jobs} job(s):")
    print(f"  notebooks: {out / 'notebooks'}\n  html:      {out / 'html'}")
    if arguments.track:
        print(f"  lessons:   {out / 'lessons'}")
    return 0


def refresh_notebooks(arguments) -> int:
    from ..course import refresh

    for path in refresh(arguments.notebooks):
        print(f"refreshed {path.name}")
    return 0


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(asked: int | None) -> int:
    """``asked`` if it is free (an error if not); without one, 8866 or else a free port."""
    if asked is not None:
        if not 1 <= asked <= 65535:
            raise WorkbookError(f"--port must be between 1 and 65535; it is {asked}.")
        if not port_is_free(asked):
            raise WorkbookError(
                f"port {asked} on 127.0.0.1 is in use (another `workbook serve`?): stop it, "
                "or leave out --port to get a free one."
            )
        return asked
    if port_is_free(DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_command(
    notebook, port: int, *, name: str, pool: int = 3, max_kernels: int = 8, idle_timeout: int = 300
) -> list[str]:
    """The child process: :mod:`helpers.serve` (Voilà, preheated, token, Host/Origin checks)."""
    return [
        sys.executable,
        "-m",
        "helpers.serve",
        str(notebook),
        f"--port={int(port)}",
        f"--name={name}",
        f"--pool={int(pool)}",
        f"--max-kernels={int(max_kernels)}",
        f"--idle-timeout={int(idle_timeout)}",
    ]


def serve_notebook(arguments) -> int:
    from ..course import find_notebook
    from ..editions import kernel_environment
    from .exercises import stop, student_copy

    if arguments.pool < 1 or arguments.max_kernels <= arguments.pool or arguments.idle_timeout < 1:
        raise WorkbookError("--pool and --idle-timeout must be 1 or more, and --max-kernels larger than --pool.")
    source = find_notebook(arguments.notebook)
    port = choose_port(arguments.port)
    served = student_copy(source) if arguments.edition == "student" else source
    environment = {**os.environ, **kernel_environment(arguments.edition)}
    # a process manager (or a test) stopping us with SIGTERM still removes the student copy
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        server = subprocess.Popen(
            server_command(
                served,
                port,
                name=f"{source.name} ({arguments.edition} edition)",
                pool=arguments.pool,
                max_kernels=arguments.max_kernels,
                idle_timeout=arguments.idle_timeout,
            ),
            cwd=source.parent,
            env=environment,
        )
        try:
            return server.wait()
        finally:
            stop(server)
    finally:
        if served != source:
            served.unlink(missing_ok=True)
