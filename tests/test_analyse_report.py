"""Issue 12, parts 4 and 5, and issue 14 item 4: file-system problems are one line with exit 1, every
file the workbook writes neutralises formulas, and `workbook analyse` reports what a researcher can trust
(a readable summary, JSON only on request, provenance, medians on the scale shown, every drop named)."""

import hashlib
import json
import os

import pytest

from conftest import LIKERT, workbook, write

LABELS = LIKERT.split("|")


def one_line_error(result, *fragments):
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbook: ") and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def poll(tmp_path):
    """12 respondents, North 8 and South 4; trust = t1 + t2 (t2 reverse-keyed), t3 in trust but never answered;
    solo is a one-item construct."""
    codebook = write(
        tmp_path / "cb.csv",
        "question,text,kind,scale,reverse,construct\n"
        f"t1,I trust them,likert,{LIKERT},false,trust\n"
        f"t2,They let us down,likert,{LIKERT},true,trust\n"
        f"t3,Nobody answers this,likert,{LIKERT},false,trust\n"
        f"s1,Alone,likert,{LIKERT},false,solo\n"
        "note,Anything else,open_text,,false,\n",
    )
    t2 = [1, 1, 1, 1, 1, 1, 2, 5, 1, 2, 1, 1]  # 6 x Strongly disagree, 1 x Disagree, 1 x Strongly agree in North
    rows = ["respondent,question,answer,party"]
    for i in range(12):
        party = "North" if i < 8 else "South"
        rows += [
            f"p{i},t1,{LABELS[(i % 3) + 2]},{party}",
            f"p{i},t2,{LABELS[t2[i] - 1]},{party}",
            f"p{i},s1,{LABELS[i % 5]},{party}",
        ]
    rows.append("p0,note,\"fine\r=cmd|' /C calc'!A0\",North")
    rows.append("p1,note,@SUM(1+1),North")
    return write(tmp_path / "poll.csv", "\n".join(rows) + "\n"), codebook


def test_analyse_prints_a_readable_summary_and_json_only_on_request(poll, tmp_path):
    data, codebook = poll
    result = workbook("analyse", data, "--codebook", codebook, "--by", "party")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert not out.lstrip().startswith("{")
    assert "poll.csv (tidy): 38 rows read, 38 used, 0 rejected" in out
    header = next(line for line in out.splitlines() if line.split()[:1] == ["question"])
    assert header.split() == ["question", "text", "kind", "n", "median", "answers"]
    assert "I trust them" in out
    assert "Scales (Cronbach's alpha, 95% CI):" in out and "  trust: " in out
    assert "suppressed (fewer than 5 respondents, or recoverable from the total): North, South" in out
    assert not list(tmp_path.glob("*.json"))
    printed = workbook("analyse", data, "--codebook", codebook, "--json", "-")
    assert printed.returncode == 0 and json.loads(printed.stdout)["respondents"] == 12


def test_reports_record_their_provenance_never_the_key(poll, tmp_path):
    data, codebook = poll
    out, html = tmp_path / "result.json", tmp_path / "report.html"
    env = {**os.environ, "WORKBOOK_PSEUDONYM_KEY": "a-secret-key-of-the-project"}
    result = workbook("analyse", data, "--codebook", codebook, "--json", out, "--html", html, env=env)
    assert result.returncode == 0, result.stderr
    stamp = json.loads(out.read_text())["provenance"]
    assert stamp["inputs"] == [
        {"file": "poll.csv", "sha256": hashlib.sha256(data.read_bytes()).hexdigest()},
        {"file": "cb.csv", "sha256": hashlib.sha256(codebook.read_bytes()).hexdigest()},
    ]
    from helpers import __version__

    assert stamp["workbook_version"] == __version__ and stamp["seed"] is None
    assert stamp["parameters"] == {
        "format": "auto",
        "by": None,
        "min_group_size": 5,
        "sheet": None,
        "codebook": "cb.csv",
    }
    assert stamp["pseudonym_key_fingerprint"].startswith("sha256:") and len(stamp["pseudonym_key_fingerprint"]) == 23
    page = html.read_text()
    assert stamp["inputs"][0]["sha256"] in page and stamp["pseudonym_key_fingerprint"] in page
    for text in (out.read_text(), page):
        assert "a-secret-key-of-the-project" not in text
    other = workbook(
        "analyse", data, "--codebook", codebook, "--json", "-", env={**env, "WORKBOOK_PSEUDONYM_KEY": "another"}
    )
    assert json.loads(other.stdout)["provenance"]["pseudonym_key_fingerprint"] != stamp["pseudonym_key_fingerprint"]


def test_medians_on_the_scale_shown_and_every_dropped_item_named(poll, tmp_path):
    data, codebook = poll
    out, html = tmp_path / "r.json", tmp_path / "r.html"
    assert workbook("analyse", data, "--codebook", codebook, "--json", out, "--html", html).returncode == 0
    result = json.loads(out.read_text())
    t2 = result["questions"]["t2"]
    assert t2["distribution"] == {"Strongly disagree": 9, "Disagree": 2, "Neither": 0, "Agree": 0, "Strongly agree": 1}
    assert t2["median"] == 1.0 and t2["median_recoded"] == 5.0 and t2["reverse"] is True
    notes = result["notes"]
    assert any(n.startswith("t2 is reverse-keyed") for n in notes)
    assert any("'trust': item(s) t3 left out" in n for n in notes)
    assert any("'solo' has 1 answered item(s) (s1): no alpha" in n for n in notes)
    assert result["constructs"]["trust"]["items"] == ["t1", "t2"] and result["constructs"]["trust"][
        "dropped_items"
    ] == ["t3"]
    assert "solo" not in result["constructs"]
    page = html.read_text()
    assert "left out, nobody answered: t3" in page and "no alpha" in page and "reverse-keyed; recoded: 5.00" in page


@pytest.mark.parametrize(
    "setup, args, fragment",
    [
        (None, ["--html", "{tmp}/missing/report.html"], "does not exist"),
        (None, ["--json", "{tmp}/missing/report.json"], "does not exist"),
        ("folder", ["--html", "{tmp}/out"], "is a folder"),
        ("folder", ["--json", "{tmp}/out"], "is a folder"),
        (None, ["--json", "{data}"], "is one of the input files"),
        (None, ["--html", "{codebook}"], "is one of the input files"),
    ],
)
def test_analyse_output_paths_are_checked_first(poll, tmp_path, setup, args, fragment):
    data, codebook = poll
    if setup == "folder":
        (tmp_path / "out").mkdir()
    before = data.read_bytes(), codebook.read_bytes()
    result = workbook(
        "analyse", data, "--codebook", codebook, *[a.format(tmp=tmp_path, data=data, codebook=codebook) for a in args]
    )
    one_line_error(result, fragment)
    assert (data.read_bytes(), codebook.read_bytes()) == before


def test_import_out_onto_a_file_and_a_missing_parent(poll, tmp_path):
    data, _ = poll
    export = write(tmp_path / "forms.csv", "Timestamp,How was it?\n3/14/2023 10:00:00,Good\n")
    target = write(tmp_path / "afile.txt", "x")
    one_line_error(workbook("import", export, "--out", target), "is a file")
    one_line_error(workbook("import", export, "--out", tmp_path / "no" / "such" / "dir"), "does not exist")


def test_no_writable_home_folder_is_one_line(tmp_path):
    export = write(tmp_path / "forms.csv", "Timestamp,How was it?\n3/14/2023 10:00:00,Good\n")
    not_a_folder = write(tmp_path / "home-is-a-file", "")
    env = {k: v for k, v in os.environ.items() if k not in ("WORKBOOK_PSEUDONYM_KEY", "XDG_CONFIG_HOME")}
    env["HOME"] = str(not_a_folder)
    one_line_error(workbook("check", export, env=env, process=True), "WORKBOOK_PSEUDONYM_KEY")


@pytest.mark.parametrize("names", [("respondent", "Respondent"), ("question", "Question")])
def test_columns_differing_only_in_case_are_one_line(tmp_path, names, poll):
    _, codebook = poll
    header = ["respondent", "question", "answer"]
    header[header.index(names[0].lower())] = names[0]
    path = write(tmp_path / "dupe.csv", ",".join([*header, names[1]]) + "\np1,t1,Agree,x\n")
    one_line_error(workbook("check", path, "--codebook", codebook), names[0], names[1], "differ only in case")


def test_every_written_csv_neutralises_formulas_bare_carriage_returns_included(poll, tmp_path):
    data, codebook = poll
    out = tmp_path / "imported"
    export = write(
        tmp_path / "forms.csv",
        "Timestamp,Anything else?\n3/14/2023 10:00:00,\"fine\r=cmd|' /C calc'!A0\"\n"
        "3/14/2023 10:01:00,@SUM(1+1)\n3/14/2023 10:02:00,-2\n",
    )
    assert workbook("import", export, "--out", out).returncode == 0
    from helpers.exercises import progress

    folder = tmp_path / "class"
    folder.mkdir()
    for n in range(5):
        document = progress.empty()
        document["exercises"] = {
            '=HYPERLINK("http://x")': {
                "kind": "@SUM(1)",
                "attempts": 1,
                "completed": True,
                "answer": None,
                "updated": "2024-01-01T00:00:00+00:00",
            }
        }
        progress.write(document, folder / f"s{n}.json")
    summary = tmp_path / "summary.csv"
    assert workbook("collect", folder, "--out", summary).returncode == 0
    for path in [*out.glob("*.csv"), summary]:
        text = path.read_text(encoding="utf-8")
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            for cell in line.split(","):
                cell = cell.strip('"')
                assert not cell.startswith(("=", "+", "@")) and not (cell.startswith("-") and cell != "-2"), (
                    path.name,
                    line,
                )
