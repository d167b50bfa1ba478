"""helpers.analysis table functions (lesson 06) on an 18-person poll small enough to check by hand.

Parties: North 6, South 5, East 5, West 2. With min_group_size 5, West is too small and East (the
smaller of the two 5s by label) is hidden with it, so West cannot be recovered from the total.
Items: t1 (likert) and t2 (likert, reverse-keyed) form the construct "trust"; r1 is a 1-3 Likert item
only three people answered. One South respondent skipped t2.
"""

import pytest

from conftest import LIKERT, write
from helpers import analysis
from helpers.paths import datasets_dir
from helpers.polls import load

LABELS = LIKERT.split("|")
# party -> (t1 positions, t2 positions as answered; None = skipped)
ANSWERS = {
    "North": ([4, 4, 5, 5, 4, 4], [2, 2, 1, 1, 2, 2]),
    "South": ([2, 3, 2, 3, 2], [4, 3, 4, 3, None]),
    "East": ([3, 3, 3, 3, 3], [3, 3, 3, 3, 3]),
    "West": ([5, 1], [1, 5]),
}


@pytest.fixture
def data(tmp_path):
    codebook = write(
        tmp_path / "cb.csv",
        "question,text,kind,scale,reverse,construct\n"
        f"t1,I trust them,likert,{LIKERT},false,trust\n"
        f"t2,They let us down,likert,{LIKERT},true,trust\n"
        "r1,A three-point item,likert,1-3,false,\n",
    )
    rows = ["respondent,question,answer,party"]
    for party, (t1, t2) in ANSWERS.items():
        for i, (a, b) in enumerate(zip(t1, t2, strict=True)):
            person = f"{party[0]}{i}"
            rows.append(f"{person},t1,{LABELS[a - 1]},{party}")
            if b is not None:
                rows.append(f"{person},t2,{LABELS[b - 1]},{party}")
            if party == "North" and i < 3:
                rows.append(f"{person},r1,{i + 1},{party}")
    return load(write(tmp_path / "poll.csv", "\n".join(rows) + "\n"), codebook)


def test_likert_table_counts_every_label_and_blanks_questions_with_too_few_answers(data):
    table = analysis.likert_table(analysis.analyse(data), data.codebook, min_group_size=5)
    assert list(table.index) == [data.codebook[q].text for q in ("t1", "t2", "r1")]  # rows read as asked
    assert list(table.columns) == ["id", "n", *LABELS, "1", "2", "3"]
    table = table.set_index("id")
    assert table.loc["t1", ["n", *LABELS]].tolist() == [18, 1, 3, 7, 4, 3]
    assert table.loc["t2", ["n", *LABELS]].tolist() == [17, 3, 4, 7, 2, 1]  # as answered, not reversed
    assert table.loc["t1", ["1", "2", "3"]].isna().all()  # not on t1's scale
    # r1: 3 answers < 5, so its n is shown but none of its counts
    assert table.loc["r1", "n"] == 3 and table.loc["r1"].drop("n").isna().all()
    smaller = analysis.likert_table(analysis.analyse(data, min_group_size=3), data.codebook, min_group_size=3)
    assert smaller.set_index("id").loc["r1", ["1", "2", "3"]].tolist() == [1, 1, 1]


def test_likert_scales_split_by_scale_and_drop_a_scale_nobody_could_be_shown_on(data):
    scales = analysis.likert_scales(data, min_group_size=5)
    assert list(scales) == [tuple(LABELS)]
    answers = scales[tuple(LABELS)]
    assert list(answers.columns) == ["question", "answer"] and len(answers) == 18 + 17
    assert answers["question"].tolist() == ["t1"] * 18 + ["t2"] * 17
    small = analysis.likert_scales(data, min_group_size=3)
    assert list(small) == [tuple(LABELS), ("1", "2", "3")] and small[("1", "2", "3")]["answer"].tolist() == [
        "1",
        "2",
        "3",
    ]


def test_likert_scales_feed_the_diverging_chart(data):
    import matplotlib

    matplotlib.use("Agg")
    from helpers.plots.likert import diverging_likert

    ((labels, answers),) = analysis.likert_scales(data).items()
    fig = diverging_likert(answers, labels, min_group_size=5)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["t1 (n = 18)", "t2 (n = 17)"]


def test_suppressed_groups_add_the_complement_and_match_the_report(data):
    assert analysis.suppressed_groups(data, "party", 5) == ["East", "West"]
    assert analysis.analyse(data, by="party", min_group_size=5)["suppressed"] == ["East", "West"]
    # three groups below 6: no complement needed
    assert analysis.suppressed_groups(data, "party", 6) == ["East", "South", "West"]


def test_group_sizes_hide_the_numbers_of_suppressed_groups(data):
    table = analysis.group_sizes(data, "party", 5)
    assert list(table.index) == ["East", "North", "South", "West"]
    assert table["respondents"].tolist()[1:3] == [6, 5]
    assert table.loc[["East", "West"], "respondents"].isna().all()
    assert table.loc["West", "suppressed"] == "fewer than 5 respondents"
    assert table.loc["East", "suppressed"].startswith("hidden so that a smaller group cannot be recovered")


def test_construct_scores_are_item_means_after_reverse_recoding(data):
    scores = analysis.construct_scores(data)
    assert list(scores.columns) == ["party", "trust"] and len(scores) == 18
    by_party = scores.groupby("party")["trust"].apply(list).to_dict()
    assert by_party["North"] == [4, 4, 5, 5, 4, 4]  # t2 answered 2 -> 4 after reversing
    assert by_party["South"] == [2, 3, 2, 3, 2]  # the last one from t1 alone
    assert by_party["West"] == [5, 1]
    shown = analysis.construct_scores(data, by="party", min_group_size=5)
    assert sorted(shown["party"].unique()) == ["North", "South"] and len(shown) == 11


def test_construct_descriptives_show_only_groups_not_suppressed(data):
    table = analysis.construct_descriptives(data, "party", min_group_size=5)
    assert table["party"].tolist() == ["North", "South"] and table["construct"].tolist() == ["trust", "trust"]
    assert table["n"].tolist() == ["6", "5"]
    assert table["mean"].tolist() == [pytest.approx(4.333, abs=1e-3), pytest.approx(2.4)]


def test_construct_tests_compare_shown_groups_or_return_none(data):
    table = analysis.construct_tests(data, "party", min_group_size=5, seed=1)
    assert table["construct"].tolist() == ["trust"] and table["n"].tolist() == [11]
    assert table["method"].iloc[0].startswith("Kruskal-Wallis")
    assert analysis.construct_tests(data, "party", min_group_size=6, seed=1) is None  # North alone


def test_within_group_agreement_by_hand_and_suppression(data):
    table = analysis.within_group_agreement(data, "party", min_group_size=5)
    # South has only 4 members who answered both items, East and West are suppressed: North alone.
    assert table[["construct", "party", "n"]].values.tolist() == [["trust", "North", 6]]
    # item variances 0.2667 each; sigma_EU^2 = (5^2 - 1)/12 = 2; ratio 0.1333;
    # r_wg(2) = 2(1 - 0.1333) / (2(1 - 0.1333) + 0.1333) = 0.929
    assert table["estimate"].iloc[0] == pytest.approx(0.929, abs=5e-4)
    assert table["method"].iloc[0] == "r_wg(J), J = 2 items (uniform null)"
    assert analysis.within_group_agreement(data, "party", min_group_size=7).empty


def test_synthetic_note_only_for_registered_synthetic_files(tmp_path):
    bundled = datasets_dir() / "06_analyse_your_own_poll" / "workshop_poll_export.csv"
    assert analysis.synthetic_note(bundled) == "Synthetic data."
    assert analysis.synthetic_note(write(tmp_path / "mine.csv", "respondent,question,answer\n")) is None


def test_grouping_by_a_missing_column_is_one_sentence(data):
    from helpers.errors import WorkbookError

    with pytest.raises(WorkbookError, match="cannot group by 'shoe_size'"):
        analysis.group_sizes(data, "shoe_size")
