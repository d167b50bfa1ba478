"""``workbook check | analyse``: validate and describe a poll file (the workbook's layouts or an export).

``analyse`` prints a readable summary (import counts, one row per question, each scale's alpha, the
suppressed groups, notes); ``--json FILE`` writes the full result as JSON (``-`` prints it instead),
``--html FILE`` a shareable page. Both record their provenance. Every problem with a file or a folder
is one line and exit code 1.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path


def register(commands) -> None:
    check = commands.add_parser("check", help="print the import report; exit 0 if the data is usable, 1 if not")
    _data_arguments(check)
    check.set_defaults(func=check_data)

    analyse = commands.add_parser("analyse", help="describe every question and scale, optionally per group")
    _data_arguments(analyse)
    analyse.add_argument("--by", help="a column to compare groups by (e.g. party)")
    analyse.add_argument("--min-group-size", type=int, default=5, help="smaller groups are suppressed (default 5)")
    analyse.add_argument("--json", metavar="FILE", help="write the full result as JSON to FILE ('-' prints it)")
    analyse.add_argument("--html", metavar="FILE", help="write a shareable HTML report")
    analyse.set_defaults(func=analyse_data)


def _data_arguments(command) -> None:
    command.add_argument("data", help="responses: tidy or wide CSV/XLSX, or a poll tool's export")
    command.add_argument("--codebook", help="the codebook CSV (required for tidy and wide files)")
    command.add_argument("--format", default="auto", help="auto (default), tidy, wide, or a poll tool's name")
    command.add_argument("--sheet", help="the sheet of an Excel file, by name or number (default: the first visible)")


def file_errors(function):
    """Turn any operating-system error of a command (a folder that is missing, not writable, a file
    where a folder should be) into one line naming the path, with exit code 1."""

    @functools.wraps(function)
    def wrapper(arguments):
        from ..errors import WorkbookError

        try:
            return function(arguments)
        except OSError as error:
            where = f" {error.filename!r}" if getattr(error, "filename", None) else ""
            raise WorkbookError(
                f"cannot use{where}: {error.strerror or error}; check the path and its permissions"
            ) from None

    return wrapper


def output_path(value: str, option: str, inputs=()) -> Path:
    """Check an output file path before any work: its folder exists, it is not a folder, not an input."""
    from ..errors import ParameterError

    path = Path(value)
    if path.is_dir():
        raise ParameterError(
            f"{option} {value!r} is a folder: give a file name, e.g. {option} {Path(value) / 'report'}"
        )
    if not path.parent.is_dir():
        raise ParameterError(f"{option} {value!r}: the folder {str(path.parent)!r} does not exist; create it first")
    for source in inputs:
        if source and Path(source).exists() and path.exists() and path.resolve() == Path(source).resolve():
            raise ParameterError(
                f"{option} {value!r} is one of the input files: it would be overwritten; choose another name"
            )
    return path


def _load(arguments, key=None):
    from ..polls import load

    sheet = arguments.sheet  # a name, or a number counted from 1 (see helpers.polls.read)
    return load(arguments.data, arguments.codebook, format=arguments.format, sheet=sheet, key=key)


@file_errors
def check_data(arguments) -> int:
    data = _load(arguments)
    print(data.report.summary())
    return 0 if data.report.ok else 1


@file_errors
def analyse_data(arguments) -> int:
    from ..analysis import analyse, provenance, to_html, to_json, write_json
    from ..errors import WorkbookError
    from ..polls.privacy import project_key

    if arguments.min_group_size < 1:
        raise WorkbookError("--min-group-size must be at least 1")
    inputs = [arguments.data, arguments.codebook]
    json_path = output_path(arguments.json, "--json", inputs) if arguments.json not in (None, "-") else None
    html_path = output_path(arguments.html, "--html", inputs) if arguments.html else None
    if json_path is not None and html_path is not None and json_path.resolve() == html_path.resolve():
        raise WorkbookError("--json and --html name the same file; give each its own")
    key = project_key()
    data = _load(arguments, key=key)
    parameters = {
        "format": arguments.format,
        "by": arguments.by,
        "min_group_size": arguments.min_group_size,
        "sheet": arguments.sheet,
        "codebook": Path(arguments.codebook).name if arguments.codebook else None,
    }
    stamp = provenance(inputs, parameters, key=key, seed=None)
    result = analyse(data, by=arguments.by, min_group_size=arguments.min_group_size, provenance=stamp)
    if arguments.json == "-":
        sys.stdout.write(to_json(result))
        return 0
    print(summary_text(result))
    if json_path is not None:
        write_json(result, json_path)
        print(f"JSON written to {json_path}")
    if html_path is not None:
        to_html(result, html_path)
        print(f"HTML report written to {html_path}")
    return 0


def summary_text(result: dict) -> str:
    """A readable summary of :func:`analyse`'s result for a terminal: the import counts, one row per
    question (n, median, answers), each construct's alpha, the suppressed groups and the notes."""
    imp = result["import"]
    lines = [
        f"{imp['source']} ({imp['format']}): {imp['rows_read']} rows read, {imp['rows_used']} used, "
        f"{imp['rows_rejected']} rejected; {imp['answers_used']} answers used, {imp['answers_rejected']} rejected; "
        f"{result['respondents']} respondents.",
    ]
    if imp["dropped_columns"]:
        lines.append("Personal data dropped: " + ", ".join(imp["dropped_columns"]) + ".")
    lines += ["", _questions_lines(result["questions"])]
    if result["constructs"]:
        lines += ["", "Scales (Cronbach's alpha, 95% CI):"]
        for name, entry in result["constructs"].items():
            alpha = entry["cronbach_alpha"]
            shown = "too few complete answers" if alpha is None else f"{alpha:.3f}"
            if entry.get("alpha_ci"):
                shown += f" [{entry['alpha_ci'][0]:.3f}, {entry['alpha_ci'][1]:.3f}]"
            lines.append(f"  {name}: {shown}, n = {entry['n']}, items {', '.join(entry['items'])}")
    if "by" in result:
        lines += [
            "",
            f"By {result['by']}: {len(result['groups'])} group(s) shown"
            + (
                f"; suppressed (fewer than {result['min_group_size']} respondents, or recoverable from the total): "
                + ", ".join(result["suppressed"])
                if result["suppressed"]
                else "; none suppressed"
            )
            + ".",
        ]
    for note in result.get("notes", []):
        lines.append(f"Note: {note}.")
    return "\n".join(lines)


def _questions_lines(questions: dict) -> str:
    import pandas as pd

    rows = []
    for qid, q in questions.items():
        answers = "; ".join(f"{label}: {count}" for label, count in q["distribution"].items())
        rows.append(
            {
                "question": qid,
                "text": q["text"] if len(q["text"]) <= 30 else q["text"][:29] + "…",
                "kind": q["kind"],
                "n": q["n"],
                "median": ""
                if q["median"] is None
                else f"{q['median']:g}" + (" (reverse-keyed)" if q.get("reverse") else ""),
                "answers": answers if len(answers) <= 60 else answers[:59] + "…",
            }
        )
    if not rows:
        return "No questions."
    return pd.DataFrame(rows).to_string(index=False)
