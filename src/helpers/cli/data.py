"""``workbook check | analyse``: validate and describe a poll file (the workbook's layouts or an export)."""

from __future__ import annotations

import json
import sys


def register(commands) -> None:
    check = commands.add_parser("check", help="print the import report; exit 0 if the data is usable, 1 if not")
    _data_arguments(check)
    check.set_defaults(func=check_data)

    analyse = commands.add_parser("analyse", help="describe every question and scale, optionally per group")
    _data_arguments(analyse)
    analyse.add_argument("--by", help="a column to compare groups by (e.g. party)")
    analyse.add_argument("--min-group-size", type=int, default=5, help="smaller groups are suppressed (default 5)")
    analyse.add_argument("--json", metavar="OUT", help="write the result as JSON (default: print it)")
    analyse.add_argument("--html", metavar="OUT", help="write a shareable HTML report")
    analyse.set_defaults(func=analyse_data)


def _data_arguments(command) -> None:
    command.add_argument("data", help="responses: tidy or wide CSV/XLSX, or a poll tool's export")
    command.add_argument("--codebook", help="the codebook CSV (required for tidy and wide files)")
    command.add_argument("--format", default="auto", help="auto (default), tidy, wide, or a poll tool's name")


def _load(arguments):
    from ..polls import load

    return load(arguments.data, arguments.codebook, format=arguments.format)


def check_data(arguments) -> int:
    data = _load(arguments)
    print(data.report.summary())
    return 0 if data.report.ok else 1


def analyse_data(arguments) -> int:
    from ..analysis import analyse, to_html, write_json
    from ..errors import WorkbookError

    if arguments.min_group_size < 1:
        raise WorkbookError("--min-group-size must be at least 1")
    data = _load(arguments)
    result = analyse(data, by=arguments.by, min_group_size=arguments.min_group_size)
    if arguments.json:
        write_json(result, arguments.json)
    if arguments.html:
        to_html(result, arguments.html)
    if not arguments.json:
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(data.report.summary().splitlines()[0], file=sys.stderr)
    return 0
