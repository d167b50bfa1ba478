"""Personal data masked everywhere it can appear (issue 11): phones and e-mails in any text, personal
columns by heading in several languages and by content, quasi-identifiers, and every output of an
import (responses, draft codebook, report, JSON, HTML, terminal, error messages)."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT, write
from helpers.analysis import analyse, to_html, write_json
from helpers.cli import main
from helpers.errors import InputError
from helpers.polls import load
from helpers.polls.pii import content_reason, heading_reason, mask_text

PHONES = [
    "555.123.4567",
    "06.12.34.56.78",
    "030/1234567",
    "020\u00a07946\u00a00958",
    "555-1234",
    "+44 20 7946 0958",
    "(020) 7946 0958",
    "+49 (0)30 1234567",
    "0171 2345678",
    "01712345678",
    "+33 6 12 34 56 78",
    "030 123 45 67",
]
NOT_PHONES = [
    "met on 2024-01-01 18:17",
    "2024-01-01T10:00:00",
    "31.12.2023 18:30",
    "01.02.2024",
    "2019-2021",
    "1990 - 2000",
    "2020/21",
    "ISBN 978-3-16-148410-0",
    "978-3-16-148410-0",
    "0-306-40615-2",
    "ISBN 0306406152",
    "in 2021 we met 3 times",
    "3 out of 10",
    "version 1.2.3.4",
    "12 345",
    "order 1234567",
]
EMAILS = ["tomasz%k@example.pl", "a.b+c@sub.example.co.uk", "o'neil@example.ie", "x@y.org", "JO@EXAMPLE.COM"]


@pytest.mark.parametrize("phone", PHONES)
def test_phones_in_international_and_national_formats_are_masked(phone):
    assert mask_text(f"ring me on {phone} please") == "ring me on [phone removed] please"


@pytest.mark.parametrize("text", NOT_PHONES)
def test_dates_ranges_and_isbns_are_not_phones(text):
    assert mask_text(text) == text


@pytest.mark.parametrize("email", EMAILS)
def test_emails_are_masked_whole(email):
    assert mask_text(f"mail {email}, thanks") == "mail [e-mail removed], thanks"


def test_patterns_run_in_linear_time_on_adversarial_text():
    # Inputs that make backtracking patterns take hours (the old e-mail pattern on a long local part
    # without "@", a phone pattern on a long run of digits and separators). The subprocess must finish;
    # the timeout is a safety net, not a measurement (figures: bench/).
    code = (
        "from helpers.polls.pii import mask_text, content_reason, heading_reason\n"
        "n = 200_000\n"
        "for text in ['a' * n, 'a.' * n + '@', '1 ' * n + 'x', '-1' * n, 'a@' * n, 'a@b.' * n + '!',"
        " '(' * n + '1', '2024-01-01 ' * (n // 10), 'your ' * n + 'x']:\n"
        "    mask_text(text); heading_reason(text[:5000]); content_reason([text[:20000]])\n"
        "print('done')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT / "src")}
    )
    assert out.stdout.strip() == "done", out.stderr


@pytest.mark.parametrize(
    "heading, reason",
    [
        ("Your details", "contact details"),
        ("Contact", "contact details"),
        ("Wie heißt du?", "name"),
        ("Mobil", "phone number"),
        ("Handynummer", "phone number"),
        ("Anschrift", "location or address"),
        ("Where do you live?", "location or address"),
        (
            "Please enter your e-mail address so that we can send you the summary of the results",
            "asks for personal data",
        ),
        ("Bitte gib hier deine Handynummer ein, damit wir dich nach dem Workshop erreichen", "asks for personal data"),
        ("Browser", "browser or device (quasi-identifier)"),
        ("Operating System", "browser or device (quasi-identifier)"),
        ("Device type", "browser or device (quasi-identifier)"),
        ("LocationLatitude", "location or address"),
        ("Your personal code (first letters of your mother's name and your birthday)", "asks for personal data"),
        ("Self-generated code", "self-made code (quasi-identifier)"),
    ],
)
def test_personal_headings_in_several_languages(heading, reason):
    assert heading_reason(heading) == reason


@pytest.mark.parametrize(
    "heading",
    [
        "Which team are you in?",
        "Team name",
        "What is your company name?",
        "How was it?",
        "Timestamp",
        "Your role",
        "How did the partner address the concerns?",
        "How do you protect personal data in the alliance?",
        "How well does your partner communicate by phone and e-mail in the alliance?",
        "Which organisation?",
    ],
)
def test_questions_are_not_taken_for_personal_headings(heading):
    assert heading_reason(heading) is None


@pytest.mark.parametrize(
    "values, reason",
    [
        (["ada@example.org", "ben@example.org", "", "cy@example.org"], "e-mail addresses"),
        (["030 1234567", "+44 20 7946 0958", "555-1234", "n/a"], "phone numbers"),
        (["Ada Lovelace", "Ben Okri", "Chidi Anagonye", "Dana Scully", "Eve Polastri"], "people's names"),
        (
            ["12 Baker Street, London", "Hauptstraße 5, 10115 Berlin", "7 rue de la Paix", "SW1A 1AA"],
            "postal addresses",
        ),
    ],
)
def test_personal_columns_found_by_content(values, reason):
    assert content_reason(values) == f"its values are {reason}"


@pytest.mark.parametrize(
    "values",
    [
        ["Agree", "Disagree", "Agree", "Neither"],
        ["Blue Team", "Blue Team", "Red Team", "Red Team"],
        ["Good meeting", "More time please", "Call me on 030 1234567 about the budget and the timeline"],
        ["3", "4", "5"],
    ],
)
def test_ordinary_answers_are_not_personal_by_content(values):
    assert content_reason(values) is None


def _form(tmp_path):
    """A Google Forms export whose personal data hides under headings the old list did not know."""
    rows = [
        "Timestamp,How was the workshop?,Your details,Wie heißt du?,Mobil,Anything else?,Where are you based?,Browser",
        "1/5/2021 10:00:00,Good,ada@example.org,Ada Lovelace,0171 2345678,Call me on 555.123.4567 tomorrow,"
        "12 Baker Street,Firefox 118",
        "1/5/2021 10:01:00,Poor,ben@example.org,Ben Okri,030/1234567,mail tomasz%k@example.pl,Hauptstraße 5,Chrome 119",
        "1/5/2021 10:02:00,Good,cy@example.org,Chidi Anagonye,06.12.34.56.78,none,7 rue de la Paix,Safari 17",
        "1/5/2021 10:03:00,Good,dee@example.org,Dana Scully,555-1234,ok,SW1A 1AA,Firefox 118",
    ]
    return write(tmp_path / "form.csv", "\n".join(rows) + "\n")


SECRETS = [
    "ada@example.org",
    "ben@example.org",
    "ada lovelace",
    "okri",
    "2345678",
    "555.123.4567",
    "1234567",
    "tomasz",
    "06.12.34",
    "baker street",
    "hauptstraße",
    "rue de la paix",
    "sw1a",
    "555-1234",
]


def test_no_personal_data_in_any_output_of_an_import(tmp_path, capsys):
    path = _form(tmp_path)
    data = load(path)
    dropped = " ".join(data.report.dropped_columns)
    for heading in ("Your details", "Wie heißt du?", "Mobil", "Where are you based?", "Browser"):
        assert heading in dropped, dropped
    result = analyse(data)
    outputs = [
        data.responses.to_csv(index=False),
        data.codebook.to_frame().to_csv(index=False),
        data.report.summary(),
        json.dumps(data.report.to_dict()),
        write_json(result, tmp_path / "a.json").read_text(encoding="utf-8"),
        to_html(result, tmp_path / "a.html").read_text(encoding="utf-8"),
    ]
    assert main(["import", str(path), "--out", str(tmp_path / "out")]) == 0
    outputs += [p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()]
    book = tmp_path / "out" / next(p.name for p in (tmp_path / "out").iterdir() if "codebook" in p.name)
    main(["check", str(path), "--codebook", str(book)])
    main(["analyse", str(path), "--codebook", str(book)])
    captured = capsys.readouterr()
    outputs += [captured.out, captured.err]
    text = "\n".join(outputs).casefold()
    assert [s for s in SECRETS if s in text] == []
    assert "call me on [phone removed] tomorrow" in text  # masked inside the answer, the rest kept


def test_an_email_answer_guessed_as_a_choice_is_masked_in_answers_and_draft_scale(tmp_path):
    rows = ["Timestamp,Who should we send it to?"] + [
        f"1/5/2021 10:0{i}:00,{v}" for i, v in enumerate(["The team", "jo@example.org", "The team", "The board"])
    ]
    data = load(write(tmp_path / "f.csv", "\n".join(rows) + "\n"))
    assert "jo@example.org" not in data.responses.to_csv() + data.codebook.to_frame().to_csv()


def test_question_texts_and_notes_are_masked(tmp_path):
    rows = [
        'Timestamp,"How was it? (questions: jo@example.org, 030 1234567)"',
        "1/5/2021 10:00:00,Good",
        "1/5/2021 10:01:00,Bad",
    ]
    data = load(write(tmp_path / "f.csv", "\n".join(rows) + "\n"))
    shown = data.codebook.to_frame().to_csv() + data.report.summary()
    assert "jo@example.org" not in shown and "1234567" not in shown and "[e-mail removed]" in shown


def test_a_file_of_unknown_layout_does_not_print_its_first_row(tmp_path, capsys):
    path = write(tmp_path / "odd.csv", "Ada Lovelace,ada@example.org,+44 20 7946 0958,x\n1,2,3,4\n")
    with pytest.raises(InputError) as error:
        load(path)
    assert "ada@example.org" not in str(error.value) and "7946" not in str(error.value)
    assert main(["check", str(path)]) != 0
    captured = capsys.readouterr()
    assert "ada@example.org" not in captured.out + captured.err and "7946" not in captured.out + captured.err


def test_tidy_file_masks_answers_of_every_kind_and_attributes(tmp_path, codebook_csv):
    text = (
        "respondent,question,answer,team\n"
        "a,tools,Zoom,Blue\n"
        "a,comment,ring 06.12.34.56.78,Blue jo@example.org\n"
        "b,comment,fine,Red\n"
    )
    data = load(write(tmp_path / "t.csv", text), codebook_csv)
    csv = data.responses.to_csv()
    assert "06.12.34" not in csv and "jo@example.org" not in csv
    assert pd.Series(data.responses["team"]).str.contains("Blue").any()
