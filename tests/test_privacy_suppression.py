"""One privacy stage (helpers.polls.suppress): the same groups hidden by every table and plot, and an
attacker who adds and subtracts published figures recovers nobody.

The attacker here is independent of the implementation: it tries every combination of the published
figures with coefficients -1, 0 and +1 (total, shown groups of every grouping shown together), which
covers "total minus the shown groups", "site minus the shown departments" and their mixtures, and
reports any combination that equals the figures of between 1 and k - 1 people.
"""

import itertools

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from conftest import LIKERT, ROOT, write  # noqa: E402
from helpers import analysis  # noqa: E402
from helpers.polls import load  # noqa: E402
from helpers.polls.privacy import groups_to_suppress  # noqa: E402
from helpers.polls.suppress import hidden_cells, suppression, too_few  # noqa: E402

K = 5
LABELS = LIKERT.split("|")


def recoverable_sets(people: pd.DataFrame, shown: dict, k: int = K) -> list:
    """Sets of 1..k-1 respondents whose figures are some +-1 combination of the published ones.

    ``shown`` maps each grouping column to the labels whose figures are published; the total is
    always published (the import report gives it). Returns the index sets found.
    """
    vectors = [np.ones(len(people))]
    for column, labels in shown.items():
        vectors += [(people[column] == label).to_numpy(dtype=float) for label in labels]
    matrix = np.vstack(vectors)
    found = []
    for coefficients in itertools.product((-1, 0, 1), repeat=len(vectors)):
        combined = np.asarray(coefficients, dtype=float) @ matrix
        if np.all(np.isin(combined, (0.0, 1.0))) and 0 < combined.sum() < k:
            found.append(tuple(np.flatnonzero(combined)))
    return found


def people_from(groups: dict) -> pd.DataFrame:
    return pd.DataFrame([{"g": label} for label, n in groups.items() for _ in range(n)])


# --- within one table --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sizes, hidden",
    [
        ({"A": 12, "B": 3, "C": 9}, {"B", "C"}),  # the case: C hidden with B
        ({"A": 10, "B": 1, "C": 1, "D": 6}, {"B", "C", "D"}),  # two groups of one: 2 < k, a third goes
        ({"A": 20, "B": 2, "C": 4}, {"B", "C"}),  # two small groups pooling 6 hide each other
        ({"A": 20, "B": 8}, set()),
        ({"A": 7, "B": 5, "C": 4}, {"B", "C"}),
        ({"A": 3, "B": 4}, {"A", "B"}),
        ({"A": 10, "B": 1, "C": 1}, {"A", "B", "C"}),  # nothing can be shown safely
    ],
)
def test_within_one_table_no_hidden_group_is_recoverable(sizes, hidden):
    decision = suppression(sizes, min_group_size=K)
    assert set(decision.hidden) == hidden
    assert set(groups_to_suppress(sizes)) == hidden  # the old name asks the same stage
    people = people_from(sizes)
    assert recoverable_sets(people, {"g": decision.shown}) == []


def test_the_old_rule_leaked_and_the_attacker_sees_it():
    # two groups of one: the old rule hid B and C only; total - A gives both, so each learns the other's
    people = people_from({"A": 10, "B": 1, "C": 1})
    assert recoverable_sets(people, {"g": ["A"]}) != []
    # a plain `< k`, as stats/groups.py used: C shown beside A and the total gives B
    assert recoverable_sets(people_from({"A": 12, "B": 3, "C": 9}), {"g": ["A", "C"]}) != []


def test_sums_of_answers_cannot_be_recovered_from_published_means():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"g": ["A"] * 12 + ["B"] * 3 + ["C"] * 9, "y": rng.integers(1, 6, 24).astype(float)})
    from helpers.stats.groups import describe_groups

    table = describe_groups(frame, "y", "g", min_group_size=K).set_index("g")
    shown = table[pd.to_numeric(table["n"], errors="coerce").notna()]
    assert list(shown.index) == ["A"] and table.loc["C", "n"] == "hidden"
    rest_n = len(frame) - shown["n"].astype(int).sum()
    assert rest_n >= K  # total minus what is shown pools at least k people (B and C together)


# --- across groupings ---------------------------------------------------------------------------------


def test_a_department_cannot_be_recovered_as_a_site_minus_a_shown_department():
    # site North = Finance 10 + Legal 3; site South = Legal 8 + HR 7: Legal is shown (11), and the
    # cell (North, Legal) of 3 people would be North - Finance.
    rows = [("North", "Finance")] * 10 + [("North", "Legal")] * 3 + [("South", "Legal")] * 8 + [("South", "HR")] * 7
    people = pd.DataFrame(rows, columns=["site", "dept"])
    per_table = {"site": list(suppression(people, "site").shown), "dept": list(suppression(people, "dept").shown)}
    assert recoverable_sets(people, per_table) != []  # each table alone hides nothing: together they leak
    site = suppression(people, "site", shown_with=["dept"])
    dept = suppression(people, "dept", shown_with=["site"])
    shown = {"site": site.shown, "dept": dept.shown}
    assert recoverable_sets(people, shown) == []
    assert site.hidden or dept.hidden
    assert any("combining the tables" in reason for reason in {**site.hidden, **dept.hidden}.values())
    # asked the other way round, the same decision
    assert dict(suppression(people, "dept", shown_with=["site"]).hidden) == dict(dept.hidden)


@pytest.mark.parametrize("seed", range(25))
def test_random_pairs_of_groupings_leak_nothing(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(12, 40))
    sites = rng.choice(["N", "S", "E"], size=n, p=[0.5, 0.3, 0.2])
    shared = rng.choice(["F", "L", "H"], size=n, p=[0.6, 0.3, 0.1])
    depts = np.where(rng.random(n) < 0.7, shared, sites.astype(object) + "x")  # some depts in one site only
    people = pd.DataFrame({"site": sites, "dept": depts})
    site = suppression(people, "site", shown_with=["dept"])
    dept = suppression(people, "dept", shown_with=["site"])
    shown = {"site": site.shown, "dept": dept.shown}
    if sum(len(v) for v in shown.values()) <= 8:  # keep the brute force small
        assert recoverable_sets(people, shown) == []
    for decision in (site, dept):
        if decision.hidden:
            assert len(decision.hidden) >= 2 or len(decision.hidden) == len(decision.sizes)
            assert sum(decision.sizes[g] for g in decision.hidden) >= K or len(decision.hidden) == len(decision.sizes)


# --- cells inside shown groups -------------------------------------------------------------------------


def test_a_question_answered_by_fewer_than_k_in_a_shown_group_is_hidden_with_a_complement():
    counts = pd.DataFrame({"q1": [6, 6, 7], "q2": [6, 1, 7]}, index=["A", "B", "C"])
    cells = hidden_cells(counts, K)
    assert set(cells) == {("B", "q2"), ("A", "q2")}
    assert "fewer than 5 of this group answered" in cells[("B", "q2")]
    assert too_few(1) and too_few(4) and not too_few(5) and not too_few(0)


@pytest.fixture
def poll(tmp_path):
    """Party A 12, B 3, C 9 respondents; in A (shown) only one person answered q2; C all answered q2."""
    codebook = write(
        tmp_path / "cb.csv",
        "question,text,kind,scale,reverse,construct\n"
        f"q1,I trust them,likert,{LIKERT},false,trust\nq2,They deliver,likert,{LIKERT},false,trust\n",
    )
    rows = ["respondent,question,answer,party,site"]
    index = 0
    for party, n in (("A", 12), ("B", 3), ("C", 9)):
        for i in range(n):
            index += 1
            site = "North" if index % 2 else "South"
            rows.append(f"p{index},q1,{LABELS[(index * 7) % 5]},{party},{site}")
            if party != "A" or i == 0:
                rows.append(f"p{index},q2,{LABELS[(index * 3) % 5]},{party},{site}")
    return load(write(tmp_path / "poll.csv", "\n".join(rows) + "\n"), codebook)


def test_analysis_hides_the_lone_answer_inside_a_shown_group(poll):
    result = analysis.analyse(poll, by="party", min_group_size=K)
    assert result["suppressed"] == ["B", "C"]
    assert list(result["groups"]) == ["A"]
    assert result["groups"]["A"]["questions"]["q2"]["n"] == 1
    assert result["groups"]["A"]["questions"]["q2"]["distribution"] == {}
    assert result["groups"]["A"]["questions"]["q1"]["distribution"] != {}


def test_every_table_and_plot_hides_the_same_groups(poll):
    """{A: 12, B: 3, C: 9}: every public table and plot of groups we can reach shows A only."""
    from helpers.plots.heatmap import alignment_heatmap
    from helpers.plots.likert import diverging_likert
    from helpers.plots.radar import radar
    from helpers.stats.culture import profiles
    from helpers.stats.groups import describe_groups

    expected_shown = ["A"]
    sizes = {"A": 12, "B": 3, "C": 9}
    seen = {}
    seen["suppression"] = suppression(poll.responses, "party").shown
    seen["analysis.suppressed_groups"] = [g for g in sizes if g not in analysis.suppressed_groups(poll, "party", K)]
    table = analysis.group_sizes(poll, "party", K)
    seen["analysis.group_sizes"] = list(table.index[table["respondents"].notna()])
    seen["analysis.analyse"] = list(analysis.analyse(poll, by="party", min_group_size=K)["groups"])
    scores = analysis.construct_scores(poll, by="party", min_group_size=K)
    seen["analysis.construct_scores"] = sorted(scores["party"].unique())
    described = describe_groups(poll.respondent_attributes().reset_index().assign(y=1.0), "y", "party")
    seen["stats.groups.describe_groups"] = list(described.loc[described["mean"].notna(), "party"])
    frame = poll.respondent_attributes().reset_index().assign(speed=2.0, cost=3.0, time=1.0)
    seen["stats.culture.profiles"] = list(profiles(frame, "party", ["speed", "cost", "time"]).index)
    answers = poll.responses[poll.responses["question"] == "q1"]
    fig = diverging_likert(answers, LABELS, rows="party", title="t")
    seen["plots.likert.diverging_likert"] = [t.get_text().split(" (")[0] for t in fig.axes[0].get_yticklabels()]
    matrix = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [2.0, 1.0, 3.0], "z": [3.0, 3.0, 1.0]}, index=list(sizes))
    fig = alignment_heatmap(matrix, n=sizes, title="t")
    seen["plots.heatmap.alignment_heatmap"] = [t.get_text().split(" (")[0] for t in fig.axes[0].get_yticklabels()]
    fig = radar(matrix.assign(w=2.0), n=sizes, title="t")
    seen["plots.radar.radar"] = [t.get_text().split(" (")[0] for t in fig.axes[0].get_legend().get_texts()]
    import matplotlib.pyplot as plt

    plt.close("all")
    wrong = {name: shown for name, shown in seen.items() if list(shown) != expected_shown}
    assert not wrong, f"these outputs show other groups than {expected_shown}: {wrong}"


def test_suppression_is_read_only_and_says_why():
    decision = suppression({"A": 12, "B": 3, "C": 9})
    with pytest.raises(TypeError):
        decision.hidden["A"] = "x"
    assert decision.size("A") == 12 and decision.size("B") == "fewer than 5" and decision.size("C") == "hidden"
    assert decision.note() == (
        "Not shown (fewer than 5 respondents): B. Also hidden, so that no small group "
        "can be recovered by subtraction: C."
    )


def test_lesson_04_sizes_agree_with_the_note_and_leak_nothing():
    """Notebook 04: poll.sizes() once showed Leadership 62 under a note saying Leadership is hidden,
    and Other was 300 - 296 = 4. Now every hidden group shows no number, and the attacker who adds and
    subtracts the shown sizes (by party and by group, with the total) recovers nobody."""
    from helpers.lessons.things_that_matter import WebinarPoll

    folder = ROOT / "datasets" / "04_things_that_matter"
    data = load(folder / "webinar_poll.csv", codebook=folder / "webinar_poll_codebook.csv")
    poll = WebinarPoll(data, ["Client", "Supplier"], min_group_size=K)
    sizes = poll.sizes()
    note = str(poll.note())
    numbers = sizes[sizes["respondents"].map(lambda v: isinstance(v, int))]
    for name in sizes.loc[~sizes.index.isin(numbers.index), "name"]:
        assert name in note  # every group without a number is named in the note
    for name in numbers["name"]:
        assert f" {name} " not in note and f" {name}," not in note
    people = poll.respondents.reset_index()
    shown = {by: list(part["name"]) for by, part in numbers.groupby("by")}
    assert recoverable_sets(people, shown) == []
    total = len(people)
    for _, part in numbers.groupby("by"):
        rest = total - sum(part["respondents"])
        assert rest == 0 or rest >= K  # what the total minus the shown groups gives pools >= k people


def test_lesson_05_sample_table_shows_no_small_group_and_leaks_nothing():
    """Notebook 05's size table once showed Riverside Water's 4 leaders beside the partners' totals."""
    from helpers.lessons.health_check import instrument

    folder = ROOT / "datasets" / "05_partnership_health_check"
    data = load(folder / "health_check.csv", codebook=folder / "health_check_codebook.csv")
    scores = instrument.score_instrument(data)
    table = instrument.sample_table(scores)
    numbers = table[table["respondents"].map(lambda v: isinstance(v, int))]
    assert (numbers["respondents"] >= K).all() and len(numbers) < len(table)
    people = scores.drop_duplicates("respondent")[["party", "group"]].astype(str)
    people = people.assign(cell=people["party"] + " · " + people["group"])
    shown = {
        "party": sorted(people["party"].unique()),  # the profile tables show each partner's n
        "cell": list(numbers["party"] + " · " + numbers["group"]),
    }
    assert recoverable_sets(people, shown) == []


def test_analyse_by_site_and_by_dept_agree_so_no_department_is_a_site_minus_the_others(tmp_path):
    """The issue's attack: a department hidden under --by dept recovered as a --by site group minus the
    departments shown. Every report on the poll now decides with every attribute it could be grouped by."""
    header = "question,text,kind,scale,reverse,construct\n"
    codebook = write(tmp_path / "cb.csv", f"{header}q1,Trust,likert,{LIKERT},false,\n")
    plan = [("North", "Finance")] * 10 + [("North", "Legal")] * 3 + [("South", "Legal")] * 8 + [("South", "HR")] * 7
    rows = ["respondent,question,answer,site,dept"]
    rows += [f"p{i},q1,{LABELS[i % 5]},{site},{dept}" for i, (site, dept) in enumerate(plan)]
    poll = load(write(tmp_path / "poll.csv", "\n".join(rows) + "\n"), codebook)
    shown = {}
    for by in ("site", "dept"):
        table = analysis.group_sizes(poll, by, K)
        shown[by] = list(table.index[table["respondents"].notna()])
        assert list(analysis.analyse(poll, by=by, min_group_size=K)["groups"]) == shown[by]
    people = pd.DataFrame(plan, columns=["site", "dept"])
    assert recoverable_sets(people, shown) == []
    assert sum(len(v) for v in shown.values()) >= 2  # something is still shown
