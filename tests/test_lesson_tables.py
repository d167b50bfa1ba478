"""One reader for every table a lesson takes from a user, and one pandera-error translator.

The milestone schedule (01), the RACI chart and KPI review (05), the journey panel and reasons log (03)
all go through :mod:`helpers.polls.tables`: a file Excel saved in a continental locale (Windows-1252,
``;`` separators) is read like a UTF-8 CSV, and a bad value is reported with file, line, column and
the value as written.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from helpers.errors import InputError
from helpers.lessons import health_check
from helpers.lessons import value_journey as journey_lesson
from helpers.lessons.landlord_utility import contracts
from helpers.polls.tables import TABLE_SUFFIXES, check_schema, read_user_table

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"


def _write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_windows_1252_semicolon_schedule_is_read(tmp_path):
    text = "milestone;planned_weeks\r\nÉtude préalable;6\r\nTravaux de génie civil;12.5\r\nRéception;3\r\n"
    path = _write(tmp_path / "planning.csv", text, "cp1252")
    schedule = contracts.read_schedule(path)
    assert schedule["milestone"].tolist() == ["Étude préalable", "Travaux de génie civil", "Réception"]
    assert schedule["planned_weeks"].tolist() == [6.0, 12.5, 3.0]
    # the simulation runs on it like on the bundled schedule
    results = contracts.simulate(schedule, prediction_error=0.2, tolerance=2, n_simulations=200, seed=1)
    assert set(results["contract"]) == {"rigid", "flexible"}


def test_a_windows_1252_semicolon_raci_chart_is_read(tmp_path):
    text = (
        "task;Maître d'ouvrage;Équipe chantier;Bureau d'études\r\n"
        "Préparer le dossier;A;R;C\r\n"
        "Contrôler la qualité;A/R;I;\r\n"
    )
    chart = health_check.read_raci(_write(tmp_path / "raci.csv", text, "cp1252"))
    assert list(chart.columns) == ["Maître d'ouvrage", "Équipe chantier", "Bureau d'études"]
    assert chart.loc["Contrôler la qualité"].tolist() == ["R/A", "I", ""]


def test_a_bad_schedule_value_names_file_line_column_and_the_value_as_written(tmp_path):
    # a blank line in the file: the message still points at the file's own line of the bad row
    path = _write(tmp_path / "plan.csv", "milestone;planned_weeks\n\nDesign;4\nBuild;-2\n", "cp1252")
    with pytest.raises(InputError) as caught:
        contracts.read_schedule(path)
    message = str(caught.value)
    assert message.startswith("plan.csv, line 4, column 'planned_weeks', value '-2': planned_weeks must be"), message
    assert message.endswith("fix it and run again"), message


def test_a_repeat_is_reported_at_the_repeat_not_at_the_first_occurrence(tmp_path):
    path = _write(tmp_path / "plan.tsv", "milestone\tplanned_weeks\nDesign\t4\nBuild\t6\nDesign\t2\n", "utf-8")
    with pytest.raises(InputError, match=r"plan.tsv, line 4, column 'milestone', value 'Design'"):
        contracts.read_schedule(path)


def test_a_missing_column_is_named_with_the_columns_there_are(tmp_path):
    path = _write(tmp_path / "kpis.txt", "kpi;better;target\nA;higher;3\n", "cp1252")
    with pytest.raises(InputError, match=r"kpis.txt, line 1: the file has no column 'tolerance'.*it has kpi, better"):
        health_check.read_kpis(path)


def test_every_lesson_reader_accepts_an_excel_file(tmp_path):
    frames = {
        "schedule.xlsx": pd.DataFrame({"milestone": ["Design", "Build"], "planned_weeks": [4, 12]}),
        "raci.xlsx": pd.DataFrame({"task": ["Plan"], "Lead": ["A/R"], "Team": ["C"]}),
        "panel.xlsx": pd.DataFrame({"initiative": ["I1", "I1"], "month": [1, 2], "stage": ["exploring", "cohering"]}),
        "reasons.xlsx": pd.DataFrame({"review": [1, 2], "kind": ["believe", "Disbelieve"]}),
    }
    for name, frame in frames.items():
        frame.to_excel(tmp_path / name, index=False)
    assert contracts.read_schedule(tmp_path / "schedule.xlsx")["planned_weeks"].tolist() == [4.0, 12.0]
    assert health_check.read_raci(tmp_path / "raci.xlsx").loc["Plan", "Lead"] == "R/A"
    assert journey_lesson.read_panel(tmp_path / "panel.xlsx")["stage"].tolist() == ["exploring", "cohering"]
    assert journey_lesson.read_reasons(tmp_path / "reasons.xlsx")["kind"].tolist() == ["believe", "disbelieve"]


def test_the_accepted_suffixes_are_what_the_reader_reads(tmp_path):
    assert TABLE_SUFFIXES == (".csv", ".tsv", ".txt", ".xlsx")
    for suffix in TABLE_SUFFIXES[:-1]:
        path = _write(tmp_path / f"t{suffix}", "a;b\n1;2\n", "cp1252")
        frame, lines, source = read_user_table(path, required=["a", "b"])
        assert frame.to_dict("list") == {"a": ["1"], "b": ["2"]} and lines == [2] and source == f"t{suffix}"


def test_the_translator_works_on_a_table_given_in_code():
    import pandera.pandas as pa

    schema = pa.DataFrameSchema({"n": pa.Column(int, pa.Check.ge(1, error="use 1 or more"), coerce=True)})
    frame = pd.DataFrame({"n": ["3", "0", "-1"]})
    with pytest.raises(InputError) as caught:
        check_schema(schema, frame)
    assert str(caught.value) == (
        "line 3, column 'n', value '0': this value is not allowed: use 1 or more; fix it and run again "
        "(1 more row with problems)"
    )
    with pytest.raises(InputError, match=r"line 2, column 'n', value 'x': this must be a number"):
        check_schema(schema, pd.DataFrame({"n": ["x", "2"]}))


def test_only_the_translator_catches_pandera_errors():
    """One translator: no other module of the package handles pandera's SchemaErrors itself."""
    handlers = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            caught = ast.unparse(node.type) if isinstance(node, ast.ExceptHandler) and node.type else ""
            if "SchemaError" in caught:
                handlers.append(str(path.relative_to(SRC)))
    # polls/schema.py checks the loaders' own PollData contract (a programming error), not a user's table
    lesson_tables = [h for h in handlers if not h.startswith("polls/")]
    assert lesson_tables == [], f"pandera errors translated outside helpers/polls/tables.py: {lesson_tables}"
