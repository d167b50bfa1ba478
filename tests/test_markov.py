"""Transition matrix, stalling and the absorbing-chain fundamental matrix, checked by hand.

Four journeys, one letter a month (E = exploring, C = cohering, V = value creation, X = exited):

    1: E E C C V      2: E C C C X      3: E E E C V      4: E X

Moves from E: E->E 1+2 = 3, E->C 1+1+1 = 3, E->X 1            -> 3/7, 3/7, 1/7
Moves from C: C->C 1+2 = 3, C->V 1+1 = 2, C->X 1               -> 1/2, 1/3, 1/6
Q = [[3/7, 3/7], [0, 1/2]];  I - Q = [[4/7, -3/7], [0, 1/2]]
N = (I - Q)^-1 = [[7/4, 3/2], [0, 2]]   (Kemeny & Snell 1976, thm 3.2.4)
From E: 1.75 months in E + 1.5 in C = 3.25 months expected before the journey ends (t = N1).
R = [[0, 1/7], [1/3, 1/6]]  (columns V, X);  B = NR: from E [1.5/3, 1.75/7 + 1.5/6] = [0.5, 0.5];
from C [2/3, 1/3].
Stalling in E: p = 3/7, mean spell 1/(1 - 3/7) = 1.75 months. Wilson 95% interval for 3 of 7:
centre (3/7 + z^2/14)/(1 + z^2/7) = 0.7029613/1.5487798 = 0.4538807, half-width
z*sqrt(p(1-p)/7 + z^2/196)/(1 + z^2/7) = 1.9599640*0.2336337/1.5487798 = 0.2956609
->  [0.15822, 0.74954].
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError, ParameterError
from helpers.stats.markov import time_to_reach, transition_matrix

SEQUENCES = [list("EECCV"), list("ECCCX"), list("EEECV"), list("EX")]
STATES = ["E", "C", "V", "X"]


def panel_of(sequences) -> pd.DataFrame:
    rows = [
        {"initiative": f"I{k + 1}", "month": m + 1, "stage": s}
        for k, seq in enumerate(sequences)
        for m, s in enumerate(seq)
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def chain():
    return transition_matrix(SEQUENCES, STATES, absorbing=["V", "X"])


def test_counts_and_probabilities(chain):
    assert chain.counts.loc["E"].tolist() == [3, 3, 0, 1]
    assert chain.counts.loc["C"].tolist() == [0, 3, 2, 1]
    assert chain.probabilities.loc["E"].tolist() == pytest.approx([3 / 7, 3 / 7, 0, 1 / 7])
    assert chain.probabilities.loc["C"].tolist() == pytest.approx([0, 1 / 2, 1 / 3, 1 / 6])
    assert chain.probabilities.loc["V"].tolist() == [0, 0, 1, 0]  # absorbing rows are identity
    assert chain.transient == ["E", "C"]


def test_fundamental_matrix_and_expected_time(chain):
    assert chain.fundamental().to_numpy() == pytest.approx(np.array([[7 / 4, 3 / 2], [0, 2]]))
    times = chain.expected_time("E").set_index("stage")["expected_months"]
    assert times.to_dict() == pytest.approx({"E": 1.75, "C": 1.5, "total": 3.25})
    assert chain.expected_time("C").set_index("stage").loc["total", "expected_months"] == pytest.approx(2)


def test_absorption_probabilities(chain):
    assert chain.absorption("E")["probability"].tolist() == pytest.approx([0.5, 0.5])
    assert chain.absorption("C").set_index("end")["probability"].to_dict() == pytest.approx({"V": 2 / 3, "X": 1 / 3})


def test_the_chain_and_its_tables_carry_the_method_reference(chain):
    from helpers.stats.markov import REFERENCE

    assert chain.reference == REFERENCE and "Kemeny" in REFERENCE and "Anderson" in REFERENCE
    for table in (
        chain.fundamental(),
        chain.expected_time("E"),
        chain.expected_time("E", n_boot=20),
        chain.absorption("E"),
    ):
        assert table.attrs["reference"] == REFERENCE


def test_stalls_with_wilson_interval(chain):
    stalls = chain.stalls().set_index("stage")
    assert stalls.loc["E", ["months", "stayed"]].tolist() == [7, 3]
    assert stalls.loc["E", "p_stay"] == pytest.approx(3 / 7)
    assert stalls.loc["E", "mean_spell"] == pytest.approx(1.75)
    assert stalls.loc["E", "ci_low"] == pytest.approx(0.15822, abs=1e-5)
    assert stalls.loc["E", "ci_high"] == pytest.approx(0.74954, abs=1e-5)
    assert stalls.loc["C", "to X"] == pytest.approx(1 / 6)
    assert stalls.loc["C", "mean_spell"] == pytest.approx(2)


def test_panel_gives_the_same_chain(chain):
    from_panel = transition_matrix(panel_of(SEQUENCES), STATES, absorbing=["V", "X"], unit="initiative")
    pd.testing.assert_frame_equal(from_panel.counts, chain.counts)


def test_default_absorbing_states_are_those_never_left():
    assert transition_matrix(SEQUENCES, STATES).absorbing == ["V", "X"]


def test_bootstrap_interval_is_seeded_and_brackets_estimate(chain):
    panel = panel_of(SEQUENCES * 5)  # 20 journeys
    big = transition_matrix(panel, STATES, absorbing=["V", "X"], unit="initiative")
    first = big.expected_time("E", n_boot=200, seed=3)
    again = big.expected_time("E", n_boot=200, seed=3)
    pd.testing.assert_frame_equal(first, again)
    total = first.set_index("stage").loc["total"]
    assert total["expected_months"] == pytest.approx(3.25)
    assert total["ci_low"] < 3.25 < total["ci_high"]
    assert first.attrs["bootstrap_used"] == 200


def test_time_to_reach_censors_exits_and_ongoing():
    # Target V from start E: journeys 1 and 3 reach V at month 5 (4 months after E at month 1);
    # journey 2 exits at month 5 (censored at 4); journey 4 exits at month 2 (censored at 1);
    # journey 5 is still cohering when the panel ends at month 3 (censored at 2).
    panel = panel_of(SEQUENCES + [list("EEC")])
    panel["type"] = panel["initiative"].map({"I1": "a", "I2": "a", "I3": "b", "I4": "b", "I5": "b"})
    durations = time_to_reach(panel, "V", start="E", order=["E", "C", "V"], unit="initiative", keep=["type"])
    assert durations["months"].tolist() == [4, 4, 4, 1, 2]
    assert durations["reached"].tolist() == [1, 0, 1, 0, 0]
    assert durations["end"].tolist() == ["reached", "X", "reached", "X", "still in progress"]
    assert durations["type"].tolist() == ["a", "a", "b", "b", "b"]
    assert durations["end_month"].tolist() == [5, 5, 5, 2, 3]
    # Starting at C (first month in C: 3, 2, 4, -, 3): journey 1 reaches V 2 months later, journey 2
    # exits 3 months later, journey 3 reaches V 1 month later, journey 5 has just arrived (0);
    # journey 4 never reaches C, so it is not at risk.
    from_c = time_to_reach(panel, "V", start="C", order=["E", "C", "V"], unit="initiative")
    assert from_c["months"].tolist() == [2, 3, 1, 0]
    assert from_c.attrs["not_at_risk"] == 1


def test_clear_errors():
    gap = panel_of(SEQUENCES).drop(index=1)  # I1 month 2 missing
    with pytest.raises(InputError, match=r"initiative 'I1': month 3 follows 1"):
        transition_matrix(gap, STATES, unit="initiative")
    with pytest.raises(InputError, match=r"sequence 2, entry 3: 'Q' is not one of the states"):
        transition_matrix([list("EC"), list("ECQ")], STATES)
    with pytest.raises(ParameterError, match="start stage"):
        transition_matrix(SEQUENCES, STATES, absorbing=["V", "X"]).expected_time("V")
    with pytest.raises(InputError, match="'C' is never observed"):
        transition_matrix([list("EEX"), list("EC")], STATES, absorbing=["V", "X"]).expected_time("E")
    varying = panel_of(SEQUENCES).assign(type=["a", "b"] + ["a"] * 15)
    with pytest.raises(InputError, match="changes over time"):
        time_to_reach(varying, "V", start="E", order=["E", "C", "V"], unit="initiative", keep=["type"])
