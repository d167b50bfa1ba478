"""Notebook parameter validation: plain-language errors naming the parameter."""

import pytest

from helpers import params
from helpers.errors import ParameterError


def test_integer_accepts_strings_and_checks_bounds():
    assert params.integer("seed", "7", minimum=0) == 7
    with pytest.raises(
        ParameterError, match=r"`seed` must be a whole number of at least 0; it is -1\. .*-p seed VALUE"
    ):
        params.integer("seed", -1, minimum=0)
    for bad in ("abc", 2.5, True, None):
        with pytest.raises(ParameterError, match="`seed`"):
            params.integer("seed", bad)


def test_number_and_choice():
    assert params.number("tolerance", "0.25", minimum=0, maximum=1) == 0.25
    with pytest.raises(ParameterError, match="from 0 to 1"):
        params.number("tolerance", 1.5, minimum=0, maximum=1)
    with pytest.raises(ParameterError):
        params.number("tolerance", "nan")
    assert params.choice("format", " ZOOM ", ["auto", "zoom"]) == "zoom"
    with pytest.raises(ParameterError, match="one of 'auto', 'zoom'"):
        params.choice("format", "excel", ["auto", "zoom"])


def test_files(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("x\n")
    assert params.existing_file("data_path", str(path), suffixes=(".csv",)) == path
    with pytest.raises(ParameterError, match=r"`data_path`: no file at"):
        params.existing_file("data_path", str(tmp_path / "missing.csv"))
    with pytest.raises(ParameterError, match=r"ending in \.xlsx"):
        params.existing_file("data_path", str(path), suffixes=(".xlsx",))
    assert params.optional_file("codebook_path", "") is None


def test_text_list():
    assert params.text_list("party_names", "Client, Supplier", length=2) == ["Client", "Supplier"]
    assert params.text_list("party_names", ["A", "B"]) == ["A", "B"]
    with pytest.raises(ParameterError, match="all different"):
        params.text_list("party_names", ["A", "A"])
    with pytest.raises(ParameterError):
        params.text_list("party_names", "A", length=2)


def test_error_renders_without_traceback_in_ipython():
    error = ParameterError("Parameter `seed` must be a whole number")
    assert error._render_traceback_() == ["ParameterError: Parameter `seed` must be a whole number"]
