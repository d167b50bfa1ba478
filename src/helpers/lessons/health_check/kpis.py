"""Lesson 05, monitoring: reading a KPI review and applying the lesson's review rule.

The review is read like any table the workbook takes from a user (:mod:`helpers.polls.tables`) and
checked with pandera; :func:`review_kpis` then says, KPI by KPI, whether to keep going, watch or adapt.
"""

from __future__ import annotations

from pathlib import Path

from ...polls.tables import check_schema, read_user_table

#: The columns a KPI review must have (``dimension`` and ``unit`` are optional).
KPI_COLUMNS = ("kpi", "better", "target", "tolerance", "quarter", "value")


def read_kpis(path: str | Path):
    """Read and check a KPI review in the layout of :func:`helpers.cases.health_check.kpi_table`.

    One row per KPI and review period: ``kpi, [dimension, unit,] better`` (higher | lower), ``target,
    tolerance, quarter, value``; each KPI once per period.
    """
    import pandera.pandas as pa

    schema = pa.DataFrameSchema(
        {
            "kpi": pa.Column(str, pa.Check.str_length(min_value=1, error="name the KPI")),
            "dimension": pa.Column(str, nullable=True, required=False),
            "unit": pa.Column(str, nullable=True, required=False),
            "better": pa.Column(str, pa.Check.isin(["higher", "lower"], error="use higher or lower")),
            "target": pa.Column(float, coerce=True),
            "tolerance": pa.Column(float, pa.Check.ge(0, error="a tolerance cannot be negative"), coerce=True),
            "quarter": pa.Column(str, pa.Check.str_length(min_value=1, error="name the review period")),
            "value": pa.Column(float, coerce=True, nullable=True),
        },
        unique=["kpi", "quarter"],
        strict=False,
    )
    table, lines, name = read_user_table(path, required=KPI_COLUMNS)
    table["better"] = table["better"].astype(str).str.strip().str.lower()
    return check_schema(schema, table, source=name, lines=lines)


def kpi_wide(kpis):
    """KPIs as rows and review periods as columns (values), both in the order they first appear."""
    import pandas as pd

    table = kpis.pivot(index="kpi", columns="quarter", values="value")
    return table.reindex(index=pd.unique(kpis["kpi"]), columns=pd.unique(kpis["quarter"]))


def review_kpis(kpis, *, periods: int = 2):
    """Apply the lesson's review rule to each KPI at its latest review.

    Status of one value: **on target** when it meets the target, **near** when it misses by no more
    than the tolerance, **off target** otherwise. Decision: *keep going* when on target; *watch* when
    near, or off target for the first time; *adapt* when off target at each of the last ``periods``
    reviews (the plan is not working, so change what is done, not just the target).

    Returns one row per KPI: ``kpi, dimension, target, latest, previous, trend, status, decision``.
    KPIs and quarters are taken in the order they first appear in the table.
    """
    import pandas as pd

    order = {q: i for i, q in enumerate(pd.unique(kpis["quarter"]))}
    rows = []
    for kpi in pd.unique(kpis["kpi"]):
        part = kpis.loc[kpis["kpi"] == kpi].dropna(subset=["value"])
        part = part.iloc[part["quarter"].map(order).argsort(kind="stable")]
        if part.empty:
            continue
        first = part.iloc[0]
        sign = 1 if first["better"] == "higher" else -1
        shortfall = sign * (first["target"] - part["value"])  # > 0: worse than target
        status = ["on target" if s <= 0 else "near" if s <= first["tolerance"] else "off target" for s in shortfall]
        recent = status[-periods:]
        if status[-1] == "on target":
            decision = "keep going"
        elif len(recent) == periods and all(s == "off target" for s in recent):
            decision = "adapt: change what we do"
        else:
            decision = "watch"
        latest = part["value"].iloc[-1]
        previous = part["value"].iloc[-2] if len(part) > 1 else float("nan")
        change = sign * (latest - previous)
        rows.append(
            {
                "kpi": kpi,
                "dimension": first.get("dimension", ""),
                "target": first["target"],
                "latest": latest,
                "previous": previous,
                "trend": "" if change != change else "better" if change > 0 else "worse" if change < 0 else "same",
                "status": status[-1],
                "decision": decision,
            }
        )
    return pd.DataFrame(rows)
