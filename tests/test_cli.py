"""The `workbook` command: exit codes and one-line messages (never a traceback)."""

import json

import pytest

from conftest import LIKERT, workbook, write


def assert_one_line_error(result, fragment):
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbook: ") and fragment in lines[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def poll(tmp_path):
    """30 respondents in three parties of 14, 12 and 4 people; a two-item construct."""
    codebook = write(
        tmp_path / "cb.csv",
        "question,text,kind,scale,reverse,construct\n"
        f"t1,I trust them,likert,{LIKERT},false,trust\n"
        f"t2,They let us down,likert,{LIKERT},true,trust\n"
        "size,Team size,numeric,,false,\n",
    )
    rows = ["respondent,question,answer,party,Email"]
    labels = LIKERT.split("|")
    for i in range(30):
        party = "North" if i < 14 else "South" if i < 26 else "West"
        rows.append(f"p{i},t1,{labels[(i % 4) + 1]},{party},p{i}@example.org")
        rows.append(f"p{i},t2,{labels[3 - (i % 4)]},{party},p{i}@example.org")
        rows.append(f"p{i},size,{3 + i % 5},{party},p{i}@example.org")
    rows.append("p99,t1,Hardly,North,p99@example.org")
    return write(tmp_path / "poll.csv", "\n".join(rows) + "\n"), codebook


def test_check_usable_data_exits_0_and_prints_the_report(poll):
    data, codebook = poll
    result = workbook("check", data, "--codebook", codebook)
    assert result.returncode == 0, result.stderr
    assert "91 rows read, 90 used, 1 rejected" in result.stdout
    assert "Personal data dropped: Email." in result.stdout
    assert "line 92, column 'answer', value 'Hardly'" in result.stdout


def test_check_unusable_data_exits_1(tmp_path, poll):
    _, codebook = poll
    data = write(tmp_path / "bad.csv", "respondent,question,answer\na,t1,Maybe\n")
    result = workbook("check", data, "--codebook", codebook)
    assert result.returncode == 1 and "0 used, 1 rejected" in result.stdout


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["check", "missing.csv"], "missing.csv: no such file"),
        (["run", "99"], "no notebook called '99'"),
        (["analyse", "{data}", "--codebook", "{codebook}", "--by", "shoe_size"], "cannot group by 'shoe_size'"),
        (["analyse", "{data}", "--codebook", "{codebook}", "--min-group-size", "0"], "at least 1"),
    ],
)
def test_errors_are_one_line_on_stderr(poll, tmp_path, args, fragment):
    data, codebook = poll
    result = workbook(*[a.format(data=data, codebook=codebook) for a in args], cwd=tmp_path)
    assert_one_line_error(result, fragment)


def test_debug_shows_the_traceback(tmp_path):
    result = workbook("--debug", "check", "missing.csv", cwd=tmp_path, process=True)  # the console script itself
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_wrong_command_line_exits_2():
    assert workbook("frobnicate").returncode == 2


def test_analyse_json_suppresses_small_groups_everywhere(poll, tmp_path):
    data, codebook = poll
    out = tmp_path / "result.json"
    html = tmp_path / "report.html"
    result = workbook("analyse", data, "--codebook", codebook, "--by", "party", "--json", out, "--html", html)
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert (
        report["import"]["rows_read"] == 91
        and report["import"]["rows_used"] == 90
        and report["import"]["rows_rejected"] == 1
    )
    t1 = report["questions"]["t1"]
    assert t1["n"] == 30 and list(t1["distribution"]) == LIKERT.split("|") and sum(t1["distribution"].values()) == 30
    assert report["constructs"]["trust"]["items"] == ["t1", "t2"] and report["constructs"]["trust"]["n"] == 30
    assert (
        report["constructs"]["trust"]["cronbach_alpha"] is not None
        and len(report["constructs"]["trust"]["alpha_ci"]) == 2
    )
    # West has 4 < 5 people; South (12) is suppressed with it, or West = total - North - South.
    assert report["suppressed"] == ["South", "West"] and list(report["groups"]) == ["North"]
    assert report["groups"]["North"]["questions"]["t1"]["n"] == 14
    page = html.read_text()
    assert "West" in page and "South (" not in page and "@example.org" not in page
    assert "@example.org" not in out.read_text()
