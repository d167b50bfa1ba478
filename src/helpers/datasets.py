"""The bundled datasets, listed in ``datasets/datasets.csv`` and read without any network access.

Modelled on pingouin's ``list_dataset()`` / ``read_dataset()``: a small registry (name, path, codebook,
kind, lesson, synthetic, description, generator) behind two functions, plus :func:`load_poll` for the
poll datasets, which returns :class:`~helpers.polls.PollData` through the ordinary loader.

>>> from helpers.datasets import dataset_path, list_datasets, read_dataset, synthetic_note
>>> int(list_datasets().loc["webinar_poll", "lesson"])
4
>>> read_dataset("kpi_review").columns[0]
'kpi'
>>> synthetic_note(dataset_path("kpi_review"))
'Synthetic data.'
"""

from __future__ import annotations

from .errors import WorkbookError
from .paths import datasets_dir


def list_datasets():
    """The registry as a DataFrame indexed by dataset name."""
    import pandas as pd

    return pd.read_csv(datasets_dir() / "datasets.csv", keep_default_na=False).set_index("name")


def _entry(name: str):
    registry = list_datasets()
    if name not in registry.index:
        raise WorkbookError(f"no bundled dataset {name!r}; the datasets are: {', '.join(registry.index)}")
    return registry.loc[name]


def dataset_path(name: str):
    """The file of a bundled dataset."""
    return datasets_dir() / _entry(name)["path"]


def read_dataset(name: str):
    """A bundled dataset as a DataFrame, exactly as stored (poll data unvalidated: see :func:`load_poll`)."""
    import pandas as pd

    return pd.read_csv(dataset_path(name), keep_default_na=False)


def is_synthetic(path) -> bool:
    """Whether ``path`` is a bundled dataset the registry marks synthetic: the workbook's one answer to
    "is this bundled synthetic data?" (a copy elsewhere, or a trainer's own file, is not)."""
    from pathlib import Path

    registry = list_datasets()
    target = Path(path).resolve()
    return any(
        synthetic == "yes" and (datasets_dir() / relative).resolve() == target
        for relative, synthetic in zip(registry["path"], registry["synthetic"], strict=True)
    )


#: The note a table or figure of bundled synthetic data carries.
SYNTHETIC_NOTE = "Synthetic data."


def synthetic_note(path) -> str | None:
    """:data:`SYNTHETIC_NOTE` when :func:`is_synthetic`, else None (a figure's ``note=`` argument)."""
    return SYNTHETIC_NOTE if is_synthetic(path) else None


def load_poll(name: str):
    """A bundled poll dataset, validated and scored with its codebook, as PollData."""
    from .polls import load

    entry = _entry(name)
    if entry["kind"] != "poll":
        raise WorkbookError(f"{name!r} is a {entry['kind']}, not a poll: use read_dataset({name!r})")
    return load(datasets_dir() / entry["path"], datasets_dir() / entry["codebook"])
