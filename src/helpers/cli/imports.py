"""``workbook import EXPORT --out DIR``: turn a poll tool's export into the workbook's tidy CSV.

Writes ``<name>_responses.csv`` (tidy: respondent pseudonym, question, answer, attributes),
``<name>_codebook.csv`` (the DRAFT codebook inferred from the answers, or the one given) and
``<name>_import_report.txt``, and prints the import report. Text cells are made safe for
spreadsheets. Exit code 0 when answers were imported, 1 when none could be used.
"""

from __future__ import annotations

from pathlib import Path

from .data import file_errors, output_path


def register(commands) -> None:
    command = commands.add_parser(
        "import",
        help="convert a poll export (Zoom, Google/Microsoft Forms, Qualtrics, SurveyMonkey, LimeSurvey, "
        "Mentimeter/Slido with a mapping) to tidy responses + a draft codebook",
    )
    command.add_argument("export", help="the export file as downloaded (CSV, TSV or XLSX)")
    command.add_argument(
        "--format",
        default="auto",
        help="auto (default) or: zoom, google_forms, microsoft_forms, "
        "qualtrics, surveymonkey, limesurvey, mentimeter, slido",
    )
    command.add_argument("--out", required=True, help="folder to write the tidy responses, codebook and report to")
    command.add_argument("--codebook", help="a codebook whose ids match the draft's (default: draft one)")
    command.add_argument(
        "--mapping", help="role,column CSV (or JSON) saying which columns are what; needed for Mentimeter and Slido"
    )
    command.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="NAME=QUESTION",
        help="use a question (or an embedded-data column) as a respondent attribute, e.g. "
        "--attribute party=q02 (repeatable)",
    )
    command.add_argument("--sheet", help="the sheet of an Excel file, by name or number (default: the first visible)")
    command.set_defaults(func=import_data)


@file_errors
def import_data(arguments) -> int:
    from ..errors import ParameterError
    from ..polls.importers import import_export
    from ..polls.privacy import safe_for_spreadsheet

    out = Path(arguments.out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {arguments.out!r} is a file: --out names a folder to write the three files into")
    if not out.exists() and not out.parent.is_dir():
        raise ParameterError(
            f"--out {arguments.out!r}: its parent folder {str(out.parent)!r} does not exist; create it first"
        )
    attributes = {}
    for item in arguments.attribute:
        name, _, question = item.partition("=")
        if not name.strip() or not question.strip():
            raise ParameterError(f"--attribute must look like NAME=QUESTION (e.g. party=q02), not {item!r}")
        attributes[name.strip()] = question.strip()
    data = import_export(
        arguments.export,
        arguments.format,
        codebook=arguments.codebook,
        mapping=arguments.mapping,
        attributes=attributes or None,
        sheet=arguments.sheet,
    )
    stem = Path(arguments.export).stem
    inputs = [p for p in (arguments.export, arguments.codebook, arguments.mapping) if p]
    for name in (f"{stem}_responses.csv", f"{stem}_codebook.csv", f"{stem}_import_report.txt"):
        output_path(str(out / name), "--out", inputs) if out.is_dir() else None
    out.mkdir(exist_ok=True)
    tidy = data.responses.drop(columns=["value"])
    responses_path = out / f"{stem}_responses.csv"
    safe_for_spreadsheet(tidy).to_csv(responses_path, index=False, lineterminator="\n")
    codebook_path = data.codebook.write(out / f"{stem}_codebook.csv")
    summary = data.report.summary()
    (out / f"{stem}_import_report.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    print(f"Wrote {responses_path.name}, {codebook_path.name} and {stem}_import_report.txt to {out}.")
    if arguments.codebook is None:
        print(
            f"The codebook is a DRAFT: check each kind and scale in {codebook_path.name}, then run "
            f"`workbook analyse {responses_path.name} --codebook {codebook_path.name}`."
        )
    return 0 if data.report.ok else 1
