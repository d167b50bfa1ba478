"""Lesson 02 data: the seeded generator, the committed files, and the respondent score table."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.cases import roffey_park as rp
from helpers.cases import write_tables
from helpers.errors import InputError
from helpers.lessons import roffey_park
from helpers.paths import datasets_dir
from helpers.polls import load
from helpers.polls.codebook import Codebook


@pytest.fixture(scope="module")
def tables():
    return rp.build()


@pytest.fixture(scope="module")
def data():
    return load(datasets_dir() / rp.SURVEY, codebook=datasets_dir() / rp.CODEBOOK)


def test_committed_files_are_the_generator_output(tmp_path, tables):
    for path in write_tables(tables, tmp_path):
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (datasets_dir() / relative).read_bytes(), f"{relative} is stale: regenerate it"


def test_same_seed_same_tables_other_seed_other_tables(tables):
    again, other = rp.build(rp.DEFAULT_SEED), rp.build(rp.DEFAULT_SEED + 1)
    pd.testing.assert_frame_equal(tables[rp.SURVEY], again[rp.SURVEY])
    assert not tables[rp.SURVEY].equals(other[rp.SURVEY])


def test_codebook_has_four_scales_with_one_reverse_item_each(tables):
    book = Codebook.from_frame(tables[rp.CODEBOOK])
    constructs = book.constructs()
    assert {k: len(v) for k, v in constructs.items()} == {
        "formal_processes": 4,
        "informal_relationships": 4,
        "business_case": 3,
        "effectiveness": 4,
    }
    assert [q.id for q in book if q.reverse] == ["fp4", "ir4", "bc3", "ae4"]
    assert book.of_kind("rating") == list(rp.CULTURE_ITEMS)


def test_design_levels_and_partnerships(data):
    people = data.respondent_attributes()
    assert len(people) == 360
    assert set(people["group"]) == set(rp.LEVELS)
    assert people.groupby("party").size().eq(30).all() and people["party"].nunique() == 12
    assert people.groupby("alliance")["party"].nunique().eq(2).all()
    assert data.report.rows_rejected == 0


def test_reverse_keyed_items_agree_with_their_scale_once_loaded(data):
    items = data.items("formal_processes")
    assert items.corr().loc["fp4", ["fp1", "fp2", "fp3"]].gt(0.4).all()


def test_respondent_scores(data):
    scores = roffey_park.respondent_scores(data, list(rp.CONSTRUCT_LABELS), list(rp.CULTURE_ITEMS))
    assert scores.columns.tolist() == ["party", "group", "alliance", *rp.CONSTRUCT_LABELS, *rp.CULTURE_ITEMS]
    assert len(scores) == 360
    for columns, high in ((list(rp.CONSTRUCT_LABELS), 5), (list(rp.CULTURE_ITEMS), 7)):
        values = scores[columns].to_numpy().ravel()
        values = values[~pd.isna(values)]
        assert len(values) > 0.95 * scores[columns].size and ((values >= 1) & (values <= high)).all()


def test_a_score_needs_half_of_the_items(data):
    one = data.responses["respondent"].iloc[0]
    keep = ~((data.responses["respondent"] == one) & data.responses["question"].isin(["fp1", "fp2", "fp3"]))
    thinned = type(data)(data.responses[keep].reset_index(drop=True), data.codebook, data.report)
    scores = roffey_park.respondent_scores(thinned, ["formal_processes"])
    assert pd.isna(scores.loc[one, "formal_processes"])
    assert scores["formal_processes"].notna().sum() >= 340


def test_unknown_culture_question_is_explained(data):
    with pytest.raises(InputError, match="culture_questions"):
        roffey_park.respondent_scores(data, ["effectiveness"], ["cu_pace"])


def test_built_in_effects_show_in_the_default_file(data):
    from helpers.stats import moderation

    scores = roffey_park.respondent_scores(data, list(rp.CONSTRUCT_LABELS))
    means = scores.groupby("group")["effectiveness"].mean()
    assert means["Initiator"] > means["Front line"] + 0.3
    by_alliance = scores.groupby("alliance")["business_case"].mean()
    assert (
        by_alliance[["IT outsourcing", "Housing repairs"]].max()
        < by_alliance.drop(["IT outsourcing", "Housing repairs"]).min()
    )
    result = moderation.condition_test(
        scores,
        "effectiveness",
        "informal_relationships",
        "business_case",
        threshold=3.5,
        covariates=["formal_processes"],
    )
    slopes = result.details["slopes"].set_index("condition")["slope"]
    assert slopes["met"] > slopes["not met"] + 0.2


def test_level_groups_leave_out_small_levels_and_say_so(data):
    scores = roffey_park.respondent_scores(data, ["effectiveness"])
    few = scores.index[scores["group"] == "Initiator"][3:]
    rows, levels, note = roffey_park.level_groups(scores.drop(few), list(rp.LEVELS), min_group_size=5)
    assert levels == list(rp.LEVELS)
    assert set(rows["group"]) == {"Operational manager", "Front line"}
    assert note.endswith("Left out, fewer than 5 respondents: Initiator.")
    rows, _, note = roffey_park.level_groups(scores, ["Front line", "Initiator", "Board"], min_group_size=5)
    assert note.startswith("360 respondents; 256 compared across 2 levels (Front line, Initiator).")
    from helpers.errors import ParameterError

    with pytest.raises(ParameterError, match="level_order"):
        roffey_park.level_groups(scores, ["Board", "Staff"])
