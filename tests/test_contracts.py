"""helpers.lessons.landlord_utility.contracts: determinism, limiting cases, monotonicity and a hand-checked case."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError, ParameterError
from helpers.lessons.landlord_utility import contracts


def test_same_seed_same_results_other_seed_differs():
    a = contracts.simulate(prediction_error=0.3, tolerance=3, n_simulations=500, seed=11)
    b = contracts.simulate(prediction_error=0.3, tolerance=3, n_simulations=500, seed=11)
    c = contracts.simulate(prediction_error=0.3, tolerance=3, n_simulations=500, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not a["delay_weeks"].equals(c["delay_weeks"])


def test_zero_spread_means_no_renegotiation_and_no_delay():
    results = contracts.simulate(prediction_error=0.0, tolerance=0.0, n_simulations=200, seed=1)
    assert results["renegotiations"].eq(0).all()
    assert results["delay_weeks"].abs().max() == 0
    assert results["cost"].eq(0).all()


def test_hand_checked_three_milestones():
    # planned 10, 10, 10; true 12, 9, 13 -> slip 2, 1, 4 weeks.
    planned, actual = [10, 10, 10], [12, 9, 13]
    rigid = contracts.renegotiations(planned, actual, 0)
    assert rigid["events"].tolist() == [[True, False, True]]  # 2 > 0; then 1 - 2 < 0; 4 - 2 > 0
    assert rigid["drift"].tolist() == [0.0]
    band2 = contracts.renegotiations(planned, actual, 2)
    assert band2["events"].tolist() == [[False, False, True]]  # 2 is not > 2; 4 > 2
    assert band2["drift"].tolist() == [2.0]
    band4 = contracts.renegotiations(planned, actual, 4)
    assert band4["count"].tolist() == [0] and band4["drift"].tolist() == [4.0]


def test_hand_checked_delay_and_cost_through_run(monkeypatch):
    monkeypatch.setattr(contracts, "draw_durations", lambda planned, **_: np.array([[12.0, 9.0, 13.0]]))
    results = contracts.run(
        {"a": 10, "b": 10, "c": 10},
        contracts={"rigid": 0, "band": 2},
        prediction_error=0.1,
        n_simulations=1,
        renegotiation_weeks=4,
        weekly_delay_cost=50,
        renegotiation_cost=30,
    )
    rigid, band = results.iloc[0], results.iloc[1]
    assert rigid["renegotiations"] == 2 and rigid["delay_weeks"] == 4 + 2 * 4
    assert rigid["cost"] == 12 * 50 + 2 * 30
    assert band["renegotiations"] == 1 and band["delay_weeks"] == 8 and band["cost"] == 8 * 50 + 30


def test_wider_tolerance_never_renegotiates_more_on_the_same_project():
    planned = np.array(list(contracts.DEFAULT_SCHEDULE.values()))
    actual = contracts.draw_durations(planned, prediction_error=0.5, bias=0.05, n_simulations=4000, seed=5)
    rigid = previous = contracts.renegotiations(planned, actual, 0)["count"]
    for tolerance in [0.5, 1, 2, 3, 5, 8, 13, 40]:
        count = contracts.renegotiations(planned, actual, tolerance)["count"]
        assert (count <= previous).all()
        previous = count
    assert previous.sum() < rigid.sum() / 5  # and the bands do make a difference


def test_summary_and_sweep_are_ordered_and_sensible():
    results = contracts.simulate(prediction_error=0.3, tolerance=4, n_simulations=2000, seed=3)
    summary = contracts.summarise(results)
    assert summary["contract"].tolist() == ["rigid", "flexible"]
    rigid, flexible = summary.iloc[0], summary.iloc[1]
    assert rigid["mean_renegotiations"] > flexible["mean_renegotiations"]
    assert rigid["mean_drift_weeks"] == 0 < flexible["mean_drift_weeks"] <= 4
    sweep = contracts.tolerance_sweep(tolerances=[0, 2, 4, 8], n_simulations=1000, seed=3)
    assert sweep["mean_renegotiations"].is_monotonic_decreasing
    assert sweep["mean_drift_weeks"].is_monotonic_increasing


def test_summary_view_has_a_column_per_contract_and_a_labelled_row_per_measure():
    summary = contracts.summarise(contracts.simulate(prediction_error=0.3, tolerance=4, n_simulations=500, seed=3))
    view = contracts.summary_view(summary)
    assert list(view.columns) == ["rigid", "flexible"]  # narrow enough beside JupyterLab's file browser
    assert list(view.index) == [contracts.SUMMARY_LABELS[c] for c in summary.columns if c != "contract"]
    assert view.loc["simulated projects"].tolist() == ["500", "500"]
    assert view.loc["tolerance band (weeks)"].tolist() == ["0.00", "4.00"]
    assert float(view.loc["renegotiations per project (mean)", "rigid"]) == round(summary["mean_renegotiations"][0], 2)


def test_schedules_are_validated(tmp_path):
    good = tmp_path / "plan.csv"
    good.write_text("milestone,planned_weeks\nDesign,4\nBuild,12\n")
    assert contracts.read_schedule(good)["planned_weeks"].tolist() == [4.0, 12.0]
    bad = tmp_path / "bad.csv"
    bad.write_text("milestone,planned_weeks\nDesign,4\nBuild,-2\n")
    with pytest.raises(InputError, match=r"bad.csv, line 3, column 'planned_weeks', value '-2': planned_weeks must be"):
        contracts.read_schedule(bad)
    missing = tmp_path / "missing.csv"
    missing.write_text("step,weeks\nDesign,4\n")
    with pytest.raises(InputError, match="no column 'milestone'"):
        contracts.read_schedule(missing)


def test_bad_parameters_raise_plain_errors():
    with pytest.raises(ParameterError, match="prediction_error"):
        contracts.simulate(prediction_error=-0.1)
    with pytest.raises(ParameterError, match="tolerance"):
        contracts.simulate(tolerance=-1)


def test_plots_return_figures():
    results = contracts.simulate(prediction_error=0.3, tolerance=4, n_simulations=300, seed=0)
    fig = contracts.plot_contracts(results)
    assert len(fig.axes) == 2
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "rigid (±0 wk)"
    sweep = contracts.tolerance_sweep(tolerances=[0, 4], n_simulations=300)
    assert len(contracts.plot_sweep(sweep).axes) == 2
    assert "synthetic" in contracts.simulator_figure(0.2, 2).texts[0].get_text()
