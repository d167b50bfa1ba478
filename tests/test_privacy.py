"""Privacy by default: personal columns dropped, contact details masked, keyed pseudonyms, small
groups suppressed (also against differencing), spreadsheet formulas neutralised — and no name or
e-mail from any fixture in any output."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import analyse, to_html, write_json
from helpers.cli import main
from helpers.polls.importers import import_export
from helpers.polls.importers.sheet import read_sheet
from helpers.polls.privacy import (
    groups_to_suppress,
    is_personal_column,
    mask_contact_details,
    personal_reason,
    pseudonymise,
    safe_for_spreadsheet,
    suppress_small_groups,
)

FIXTURES = Path(__file__).parent / "fixtures" / "poll_exports"
MAPPINGS = {"mentimeter.xlsx": ("mentimeter", "mentimeter_mapping.csv"), "slido.xlsx": ("slido", "slido_mapping.json")}
EXPORTS = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".csv", ".xlsx", ".txt") and "mapping" not in p.name)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _import(path, **kwargs):
    fmt, mapping = MAPPINGS.get(path.name, ("auto", None))
    return import_export(path, fmt, mapping=FIXTURES / "made" / mapping if mapping else None, **kwargs)


def personal_values(path: Path) -> set[str]:
    """Every e-mail in the file, and every value of a column headed as a name (first 3 header rows)."""
    sheet = read_sheet(path)
    found = {m.group(0).casefold() for row in sheet.rows for cell in row for m in _EMAIL.finditer(cell)}
    headers = [
        row for row in sheet.rows[:6] if any(personal_reason(c) in ("name", "recipient (panel) field") for c in row)
    ]
    headings = {cell for header in headers for cell in header}
    for header in headers:
        for index, heading in enumerate(header):
            if personal_reason(heading) in ("name", "recipient (panel) field"):
                for row in sheet.rows:
                    value = row[index].strip() if index < len(row) else ""
                    if (
                        len(value) >= 4
                        and value not in headings
                        and value.casefold() not in ("anonymous attendee", "anonymous")
                    ):
                        found.add(value.casefold())
    return found


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_no_name_or_email_reaches_any_output(path, tmp_path, capsys):
    secrets = personal_values(path)
    data = _import(path)
    result = analyse(data)
    outputs = [
        data.responses.to_csv(index=False),
        data.codebook.to_frame().to_csv(index=False),
        data.report.summary(),
        json.dumps(data.report.to_dict()),
        write_json(result, tmp_path / "a.json").read_text(encoding="utf-8"),
        to_html(result, tmp_path / "a.html").read_text(encoding="utf-8"),
    ]
    fmt, mapping = MAPPINGS.get(path.name, ("auto", None))
    argv = ["import", str(path), "--out", str(tmp_path / "out"), "--format", fmt]
    if mapping:
        argv += ["--mapping", str(FIXTURES / "made" / mapping)]
    assert main(argv) == 0
    outputs.append(capsys.readouterr().out)
    outputs += [p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()]
    if not mapping:  # check and analyse read a file as it is (Mentimeter and Slido need `import --mapping`)
        main(["check", str(path)])  # the terminal report
        main(["analyse", str(path)])
        captured = capsys.readouterr()
        outputs += [captured.out, captured.err]
    text = "\n".join(outputs).casefold()
    leaked = sorted(s for s in secrets if s in text)
    assert not leaked, f"personal data in outputs: {leaked[:5]}"
    if path.parent.name == "real" and "zoom" in path.name:
        assert len(secrets) >= 200  # the check has teeth: 100 names and 100 e-mails in that file


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.name)
def test_no_name_or_email_in_an_error_message_about_any_fixture(path, tmp_path, capsys):
    """The same files, broken: cut after their header rows and mangled so that no layout fits."""
    from helpers.errors import WorkbookError

    secrets = personal_values(path)
    sheet = read_sheet(path)
    broken = tmp_path / "broken.csv"
    rows = [["?" + cell for cell in sheet.rows[0]], *sheet.rows[1:8]]  # no first row a tool writes
    broken.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in rows) + "\n", encoding="utf-8")
    messages = []
    for fmt in ("auto", "zoom", "qualtrics", "surveymonkey"):
        try:
            import_export(broken, fmt)
        except WorkbookError as error:
            messages.append(str(error))
    main(["check", str(broken)])
    captured = capsys.readouterr()
    text = "\n".join([*messages, captured.out, captured.err]).casefold()
    assert messages and not [s for s in secrets if s in text]


def test_real_fixtures_hold_personal_data_to_protect():
    assert {"vmmfk001@domain.edu", "sandra greer"} <= personal_values(FIXTURES / "real" / "zoom_meeting_2020.csv")


def test_contact_details_in_free_text_are_masked():
    data = import_export(FIXTURES / "made" / "google_forms_direct_semicolon.csv")
    comments = data.responses.query("question == 'q04'")["answer"].tolist()
    assert comments[0] == "Call me on [phone removed] or mail [e-mail removed]"
    masked = mask_contact_details(pd.Series(["ring 020 7946 0958", "x@y.org", "in 2021 we met 3 times"]))
    assert masked.tolist() == ["ring [phone removed]", "[e-mail removed]", "in 2021 we met 3 times"]


def test_pseudonyms_are_keyed_stable_across_waves_and_not_the_id():
    ids = pd.Series(["ada@example.org", "ben@example.org", "ada@example.org"])
    first = pseudonymise(ids, b"project key")
    assert first[0] == first[2] != first[1]
    assert pseudonymise(pd.Series(["ada@example.org"]), b"project key")[0] == first[0]  # next wave, same person
    assert pseudonymise(ids, b"another key")[0] != first[0]
    assert re.fullmatch(r"r-[0-9a-f]{12}", first[0]) and "ada" not in first[0]


def test_same_person_same_pseudonym_in_two_exports(tmp_path):
    wave1 = tmp_path / "wave1.csv"
    wave2 = tmp_path / "wave2.csv"
    wave1.write_text(
        "Timestamp,Email Address,How was it?\n"
        "1/5/2021 10:00:00,lee@example.org,Good\n1/5/2021 10:01:00,kai@example.org,Poor\n"
    )
    wave2.write_text(
        "Timestamp,Email Address,How was it?\n"
        "2/5/2021 10:00:00,kai@example.org,Good\n2/5/2021 10:01:00,LEE@example.org,Good\n"
    )
    one, two = import_export(wave1), import_export(wave2)
    assert list(one.responses["respondent"]) == list(reversed(list(two.responses["respondent"])))


def test_personal_columns_recognised_by_heading():
    personal = [
        "User Name",
        "User Email",
        "IPAddress",
        "ip_address",
        "RecipientFirstName",
        "LocationLatitude",
        "Email Address",
        "First Name",
        "Last Name",
        "Phone number",
        "Nachname des Empfängers",
        "ipaddr",
        "token",
    ]
    kept = [
        "Which team are you in?",
        "Team name",
        "What is your company name?",
        "Timestamp",
        "ResponseId",
        "party",
        "group",
        "Q1: How satisfied are you with the meeting and the partner's response?",
    ]
    assert all(is_personal_column(h) for h in personal)
    assert not any(is_personal_column(h) for h in kept)


def test_small_groups_suppressed_including_by_differencing():
    # one small group: the next smallest goes too, or total - shown would reveal it
    assert groups_to_suppress({"Landlord": 12, "Utility": 3, "Council": 9}) == ["Utility", "Council"]
    # two small groups already hide each other
    assert groups_to_suppress({"A": 20, "B": 2, "C": 4}) == ["B", "C"]
    assert groups_to_suppress({"A": 20, "B": 8}) == []
    assert groups_to_suppress({"A": 7, "B": 5, "C": 4}, min_group_size=5) == ["B", "C"]
    table = pd.DataFrame(
        {"n": [12, 3, 9], "mean": [3.1, 4.0, 2.5], "label": ["x", "y", "z"]}, index=["Landlord", "Utility", "Council"]
    )
    shown = suppress_small_groups(table)
    assert np.isnan(shown.loc["Utility", "mean"]) and np.isnan(shown.loc["Utility", "n"])
    assert np.isnan(shown.loc["Council", "mean"]) and shown.loc["Landlord", "mean"] == 3.1
    assert "fewer than 5" in shown.loc["Utility", "suppressed"] and "recovered" in shown.loc["Council", "suppressed"]
    # a reader with the total cannot recover Utility: only the sum of the hidden groups is known
    total = table["n"].sum()
    assert total - shown["n"].sum() == 12 and shown["n"].isna().sum() == 2


def test_analysis_by_group_suppresses_small_groups():
    data = import_export(FIXTURES / "real" / "zoom_meeting_2020.csv")
    result = analyse(data, by="wave", min_group_size=5)
    assert result["suppressed"] == []
    tiny = import_export(FIXTURES / "made" / "zoom_2021_jan_meeting.csv", attributes={"party": "q01"})
    result = analyse(tiny, by="party", min_group_size=5)
    assert sorted(result["suppressed"]) == ["Housing trust", "Water utility"]
    assert "Housing trust" not in json.dumps(result.get("groups", {}))


def test_formulas_neutralised_in_every_written_csv(tmp_path, capsys):
    frame = pd.DataFrame({"=cmd": ["=1+1", "+SUM(A1)", "-2", "@x", "\tx", "\rx", "plain", "-3.5"], "n": range(8)})
    safe = safe_for_spreadsheet(frame)
    assert safe.columns[0] == "'=cmd"
    assert safe.iloc[:, 0].tolist() == ["'=1+1", "'+SUM(A1)", "-2", "'@x", "'\tx", "'\rx", "plain", "-3.5"]
    assert safe["n"].tolist() == list(range(8))
    categories = safe_for_spreadsheet(pd.DataFrame({"c": pd.Categorical(["=x", "y"])}))
    assert categories["c"].tolist() == ["'=x", "y"]
    assert main(["import", str(FIXTURES / "made" / "google_forms_direct_semicolon.csv"), "--out", str(tmp_path)]) == 0
    written = (tmp_path / "google_forms_direct_semicolon_responses.csv").read_text()
    assert "'=HYPERLINK" in written and "\n=HYPERLINK" not in written and ",=HYPERLINK" not in written
