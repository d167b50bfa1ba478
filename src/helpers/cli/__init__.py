"""The ``workbook`` command: one entry point, sub-commands registered by small modules.

Errors are one line on stderr with a non-zero exit code, never a traceback (``--debug`` shows it):
exit 1 for a problem with the user's input or data, 2 for a wrong command line, 3 for a bug.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import WorkbookError

#: Modules under helpers.cli that each define ``register(subparsers)``.
COMMAND_MODULES = ("course", "data", "imports", "exercises", "poll")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="workbook",
        description="Collaborative Working Workbook: run the course notebooks and analyse poll data.",
    )
    top.add_argument("--debug", action="store_true", help="show the full traceback when something fails")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        return int(arguments.func(arguments) or 0)
    except WorkbookError as error:
        if arguments.debug:
            raise
        print(f"workbook: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("workbook: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: say so in one line, keep the traceback for --debug
        if arguments.debug:
            raise
        print(
            f"workbook: unexpected error ({type(error).__name__}: {error}); rerun with --debug and report it",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
