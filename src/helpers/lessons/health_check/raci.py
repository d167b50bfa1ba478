"""Lesson 05, roles: reading a user's RACI chart (who is Responsible, Accountable, Consulted, Informed).

The chart is read like any table the workbook takes from a user (:mod:`helpers.polls.tables`: CSV,
TSV, TXT or XLSX, any common encoding and separator) and checked: a ``task`` column naming each task
once, then one column per role whose cells follow :func:`helpers.exercises.raci.parse_cell`.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import InputError
from ...polls.tables import check_schema, read_user_table


def read_raci(path: str | Path):
    """Read a RACI chart: a ``task`` column, then one column per role.

    Cells hold R, A, C, I, a combination such as ``A/R``, or nothing (the rules of
    :func:`helpers.exercises.raci.parse_cell`). Returns the chart with tasks as the index, as
    :func:`helpers.exercises.validate_raci` and :class:`helpers.exercises.RaciGrid` expect.
    """
    import pandera.pandas as pa

    from ...exercises.raci import parse_cell

    table, lines, name = read_user_table(path, required=["task"], layout="a `task` column and one column per role")
    if len(table.columns) < 2:
        raise InputError("a RACI chart needs a `task` column and at least one role column", file=name, line=1)
    table = table.fillna("")
    schema = pa.DataFrameSchema(
        {"task": pa.Column(str, pa.Check.str_length(min_value=1, error="name the task"), unique=True)}
    )
    check_schema(schema, table, source=name, lines=lines)
    for row, record in table.iterrows():
        for role in table.columns[1:]:
            try:
                letters = parse_cell(record[role], task=record["task"], role=role)
            except InputError:
                raise InputError(
                    "a RACI cell must hold R, A, C or I (or a combination such as A/R) or be blank",
                    file=name,
                    line=lines[row],
                    column=role,
                    value=record[role],
                ) from None
            table.loc[row, role] = "/".join(letter for letter in "RACI" if letter in letters)
    return table.set_index("task")
