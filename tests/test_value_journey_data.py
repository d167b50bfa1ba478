"""Lesson 03 data: seeded generator, committed files, and validation of a user's own panel / log."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.cases import value_journey as case
from helpers.cases import write_tables
from helpers.errors import InputError
from helpers.lessons import value_journey as lesson
from helpers.paths import datasets_dir

FOLDER = datasets_dir() / case.FOLDER


@pytest.fixture(scope="module")
def tables():
    return case.build()


def test_committed_files_are_the_generator_output(tables, tmp_path):
    written = write_tables(tables, tmp_path)
    assert len(written) == 5
    for path in written:
        committed = datasets_dir() / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: regenerate it"


def test_another_seed_gives_other_data(tables):
    other = case.build(7)
    assert not other[case.PANEL].equals(tables[case.PANEL])


def test_every_file_is_registered_and_documented():
    registry = pd.read_csv(datasets_dir() / "datasets.csv")
    mine = registry[registry["lesson"].astype(str).str.zfill(2) == "03"]
    assert sorted(mine["path"]) == sorted(f"{case.FOLDER}/{p.name}" for p in FOLDER.glob("*.csv"))
    assert set(mine["synthetic"]) == {"yes"}
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme
    for path in FOLDER.glob("*.csv"):
        for column in pd.read_csv(path, nrows=0).columns:
            assert f"`{column}`" in readme, f"column {column} of {path.name} is not documented"


def test_bundled_panel_and_log_validate():
    panel = lesson.read_panel(FOLDER / "journey_panel.csv")
    assert set(panel["stage"]) <= set(case.STATES)
    assert panel.groupby("initiative")["month"].min().eq(1).all()
    log = lesson.read_reasons(FOLDER / "reasons_log.csv")
    assert set(log["kind"]) == {"believe", "disbelieve"}


def test_time_to_cohere_file_matches_the_panel(tables):
    derived = lesson.time_to_cohere(tables[case.PANEL])
    pd.testing.assert_frame_equal(derived, tables[case.TIME_TO_COHERE])
    assert set(derived["end"]) <= {"cohered", "exited", "still in progress"}
    assert ((derived["cohered"] == 1) == (derived["end"] == "cohered")).all()


def test_questionnaire_loads_in_the_poll_data_model():
    from helpers.polls import load

    data = load(FOLDER / "team_maturity.csv", codebook=FOLDER / "team_maturity_codebook.csv")
    counts = data.report.counts()
    assert counts["rows_rejected"] == 0 and counts["rows_used"] == counts["rows_read"]
    assert sorted(data.codebook.constructs()) == ["forming", "norming", "performing", "storming"]
    assert all(len(items) == 4 for items in data.codebook.constructs().values())
    # reverse-keyed items are mirrored: "Strongly agree" on storm_settle scores 1
    settle = data.responses.query("question == 'storm_settle' and answer == 'Strongly agree'")
    assert (settle["value"] == 1).all()


def test_built_in_effects_show(tables):
    from helpers.stats.survival import cox

    model = cox(
        tables[case.TIME_TO_COHERE],
        "months",
        "cohered",
        ["type", "informal_network", "early_trust"],
        reference={"type": "consortium"},
    )
    trust = model.hazard_ratios[2]
    assert trust.details["term"] == "early_trust" and trust.ci[0] > 1  # early trust speeds cohering
    panel = tables[case.PANEL]
    ends = panel.groupby("initiative")["stage"].last()
    assert (ends == case.EXIT).sum() > (ends == "meta-organisation").sum()  # most journeys end early


def _write(tmp_path: Path, frame: pd.DataFrame, name="my_panel.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


GOOD = pd.DataFrame(
    {
        "initiative": ["A", "A", "A", "B", "B"],
        "month": [1, 2, 3, 1, 2],
        "stage": ["Latent value", "EXPLORING", "meta organization", "latent value", "exit"],
        "type": ["Coalition", "coalition", "coalition", "consortium", "consortium"],
    }
)


def test_user_panel_labels_are_normalised(tmp_path):
    panel = lesson.read_panel(_write(tmp_path, GOOD))
    assert panel["stage"].tolist() == ["latent value", "exploring", "meta-organisation", "latent value", "exited"]
    assert panel["type"].unique().tolist() == ["coalition", "consortium"]


@pytest.mark.parametrize(
    ("change", "line", "column", "value"),
    [
        (
            lambda f: f.assign(stage=["latent value", "exploring", "somewhere", "latent value", "exited"]),
            4,
            "stage",
            "somewhere",
        ),
        (lambda f: f.assign(month=[1, 2, 3, 1, "two"]), 6, "month", "two"),
        (lambda f: f.assign(month=[1, 2, 4, 1, 2]), 4, "month", "4"),
        (lambda f: f.assign(type=["coalition"] * 4 + ["alliance"]), 6, "type", "alliance"),
        (
            lambda f: f.assign(type=["coalition", "consortium", "coalition", "consortium", "consortium"]),
            3,
            "type",
            "consortium",
        ),
        (
            lambda f: f.assign(stage=["latent value", "exited", "exploring", "latent value", "exited"]),
            4,
            "stage",
            "exploring",
        ),
    ],
)
def test_user_panel_errors_name_file_line_column_value(tmp_path, change, line, column, value):
    path = _write(tmp_path, change(GOOD.copy()))
    with pytest.raises(InputError) as caught:
        lesson.read_panel(path)
    message = str(caught.value)
    assert message.startswith(f"my_panel.csv, line {line}, column {column!r}, value {value!r}"), message


def test_user_panel_missing_column(tmp_path):
    with pytest.raises(InputError, match="no column 'stage'"):
        lesson.read_panel(_write(tmp_path, GOOD.drop(columns="stage")))


def test_user_reasons_log(tmp_path):
    log = pd.DataFrame({"Review": [1, 2], "Kind": ["Believe", "DISBELIEVE"]})
    clean = lesson.read_reasons(_write(tmp_path, log, "log.csv"))
    assert clean[["initiative", "action", "weight"]].values.tolist() == [["my initiative", "add", 1]] * 2
    bad = log.assign(Weight=[1, 4])
    with pytest.raises(InputError) as caught:
        lesson.read_reasons(_write(tmp_path, bad, "log.csv"))
    assert str(caught.value).startswith("log.csv, line 3, column 'weight', value '4'")


def test_kaplan_meier_groups_are_named_not_coded_and_the_reading_says_who(tables):
    from helpers.lessons import readings
    from helpers.stats.survival import kaplan_meier, logrank

    durations = lesson.time_to_cohere(tables[case.PANEL])
    curves = lesson.with_group_labels(durations, "early_trust")
    by_group = kaplan_meier(curves, "months", "cohered", group="early_trust")
    assert set(by_group.summary()["group"]) == {"early trust-building", "no early trust-building"}
    test = logrank(curves, "months", "cohered", "early_trust")
    assert set(test.details["observed_expected"]["group"]) == {"early trust-building", "no early trust-building"}
    text = str(readings.journey_cohering(by_group.medians, "early_trust", test))
    assert "whose partners built trust early" in text and "did not build trust early" in text
    assert "early_trust =" not in text
    # the Cox model keeps the codes; a column without names (type) and no column are left as they are
    assert durations["early_trust"].isin([0, 1]).all()
    assert lesson.with_group_labels(durations, "type") is durations
    assert lesson.with_group_labels(durations, None) is durations
