"""Lesson 05 case: a partnership health check between a contractor and a water utility (SYNTHETIC).

Cobalt Engineering (a regional contractor) and Riverside Water (the utility that hired it) run a
five-year mains-renewal partnership. Both ask their staff to fill in the workbook's partnership
health check (:mod:`helpers.stats.instrument`, 28 items in seven dimensions). Every person, answer
and number here is invented; the effects built in are stated below and in the dataset's README.

Built-in effects (on the latent 1-5 agreement scale, before rounding to answers):

* Riverside Water rates **Communication** 1.0 point and **Clarity of roles** 0.9 points lower than
  Cobalt Engineering (the client feels uninformed and unsure who does what);
* Cobalt Engineering rates **Monitoring and adaptation** 0.5 points lower (the contractor sees the
  plan followed rigidly);
* Riverside Water rates **Trust** 0.4 points lower;
* the other dimensions differ by at most 0.1;
* leadership rates everything 0.3 higher and front-line staff 0.2 lower than managers;
* 3% of answers are missing at random, and two people (one per partner) stopped after the first
  four dimensions, so their last three dimensions are not scored (the two-thirds rule).

Tables (paths relative to ``datasets/``):

* ``05_partnership_health_check/health_check.csv`` and ``..._codebook.csv``: the poll (tidy);
* ``05_partnership_health_check/raci_example.csv``: a RACI chart with two deliberate faults;
* ``05_partnership_health_check/kpi_review.csv``: four quarters of five partnership KPIs.

The module also holds the layouts of the two non-poll tables (checked with pandera) and the KPI
review rule the lesson teaches (:func:`review_kpis`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

DEFAULT_SEED = 20505
FOLDER = "05_partnership_health_check"
PARTIES = ("Cobalt Engineering", "Riverside Water")
GROUPS = ("Leadership", "Managers", "Front line")
#: respondents per party and group (Riverside's 4 leaders are below the default min_group_size of 5)
SIZES = {
    "Cobalt Engineering": {"Leadership": 6, "Managers": 8, "Front line": 12},
    "Riverside Water": {"Leadership": 4, "Managers": 7, "Front line": 11},
}
#: latent mean agreement (1-5) per dimension and party
MEANS = {
    "Mutual goals": (3.8, 3.7),
    "Communication": (3.9, 2.9),
    "Relationship building": (3.6, 3.5),
    "Clarity of roles": (3.9, 3.0),
    "Monitoring and adaptation": (3.1, 3.6),
    "Trust": (3.8, 3.4),
    "Formal and informal arrangements": (3.4, 3.4),
}
GROUP_SHIFT = {"Leadership": 0.3, "Managers": 0.0, "Front line": -0.2}
PERSON_SD, DIMENSION_SD, ITEM_SD = 0.35, 0.55, 0.6
MISSING_RATE = 0.03
#: after this many dimensions, one respondent per party stopped answering
STOPPED_AFTER = 4

ROLES = (
    "Cobalt project lead", "Cobalt site team", "Riverside asset manager", "Riverside operations",
    "Joint steering group",
)
#: task -> codes per role (in ROLES order); two faults are deliberate (see README)
RACI = {
    "Agree the annual work programme": ("R", "I", "R", "C", "A"),
    "Design each renewal scheme": ("R", "C", "A", "C", ""),
    "Obtain street-works permits": ("A", "R", "", "I", ""),
    "Deliver the works on site": ("A", "R", "I", "C", ""),
    "Tell customers about supply interruptions": ("C", "I", "A", "C", ""),
    "Approve changes to scope or budget": ("A", "", "A", "I", "C"),
    "Report the KPIs each quarter": ("R", "C", "A", "C", "I"),
    "Run the quarterly partnership review": ("R", "I", "R", "I", "A"),
}
#: kpi -> (dimension, unit, better, target, tolerance, four quarterly values)
KPIS = {
    "Schemes finished on time": ("Monitoring and adaptation", "%", "higher", 90, 5, (82, 85, 88, 91)),
    "Complaints per 1,000 properties affected": ("Communication", "count", "lower", 2.0, 0.5, (3.1, 2.9, 3.2, 3.0)),
    "Review actions closed on time": ("Monitoring and adaptation", "%", "higher", 80, 10, (60, 55, 70, 85)),
    "Days to approve a change request": ("Clarity of roles", "days", "lower", 10, 2, (18, 16, 15, 11)),
    "Joint site visits": ("Relationship building", "count", "higher", 6, 1, (6, 7, 4, 6)),
}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def build(seed: int = DEFAULT_SEED) -> dict:
    """All lesson-05 tables, keyed by their path relative to ``datasets/``."""
    from ..stats.instrument import codebook_table

    return {
        f"{FOLDER}/health_check.csv": responses(seed),
        f"{FOLDER}/health_check_codebook.csv": codebook_table(),
        f"{FOLDER}/raci_example.csv": raci_example(),
        f"{FOLDER}/kpi_review.csv": kpi_table(),
    }


def responses(seed: int = DEFAULT_SEED):
    """The staff survey in the tidy data model: respondent, question, answer, party, group."""
    import numpy as np
    import pandas as pd

    from ..stats.instrument import ITEMS, LIKERT_5

    rng = np.random.default_rng(seed)
    dimensions = list(MEANS)
    rows = []
    for p, party in enumerate(PARTIES):
        people = [(group, i) for group in GROUPS for i in range(SIZES[party][group])]
        stopper = int(rng.integers(len(people)))
        for number, (group, _) in enumerate(people, start=1):
            respondent = f"{party[0]}{number:02d}"
            general = rng.normal(0, PERSON_SD)
            latent = {
                d: MEANS[d][p] + GROUP_SHIFT[group] + general + rng.normal(0, DIMENSION_SD) for d in dimensions
            }
            for item in ITEMS:
                agreement = latent[item.dimension] + rng.normal(0, ITEM_SD)
                answer = int(np.clip(np.rint(agreement), 1, 5))
                if item.reverse:  # a reverse item states a problem: agreeing with it means a low score
                    answer = 6 - answer
                missing = rng.random() < MISSING_RATE
                stopped = number - 1 == stopper and dimensions.index(item.dimension) >= STOPPED_AFTER
                if not (missing or stopped):
                    rows.append((respondent, item.id, LIKERT_5[answer - 1], party, group))
    return pd.DataFrame(rows, columns=["respondent", "question", "answer", "party", "group"])


def raci_example():
    """The case's RACI chart: one row per task, one column per role, codes R/A/C/I or empty."""
    import pandas as pd

    table = pd.DataFrame.from_dict(RACI, orient="index", columns=list(ROLES))
    return table.rename_axis("task").reset_index()


def kpi_table():
    """Four quarterly reviews of five partnership KPIs (tidy: one row per KPI and quarter)."""
    import pandas as pd

    rows = [
        (kpi, dimension, unit, better, target, tolerance, quarter, value)
        for kpi, (dimension, unit, better, target, tolerance, values) in KPIS.items()
        for quarter, value in zip(QUARTERS, values, strict=True)
    ]
    return pd.DataFrame(
        rows, columns=["kpi", "dimension", "unit", "better", "target", "tolerance", "quarter", "value"]
    ).astype({"target": float, "tolerance": float, "value": float})


# ------------------------------------------------------------------------------ non-poll table layouts
def read_raci(path):
    """Read a RACI chart CSV: a ``task`` column, then one column per role.

    Cells hold R, A, C, I, a combination such as ``A/R``, or nothing (the rules of
    :func:`helpers.exercises.raci.parse_cell`). Returns the chart with tasks as the index, as
    :func:`helpers.exercises.validate_raci` and :class:`helpers.exercises.RaciGrid` expect.
    """
    import pandera.pandas as pa

    from ..exercises.raci import parse_cell

    name = Path(path).name
    table = _read_csv(path)
    if "task" not in table.columns or len(table.columns) < 2:
        raise InputError("a RACI chart needs a `task` column and at least one role column", file=name, line=1)
    table = table.fillna("")
    schema = pa.DataFrameSchema(
        {"task": pa.Column(str, pa.Check.str_length(min_value=1, error="name the task"), unique=True)}
    )
    _validate(schema, table, path)
    for row, record in table.iterrows():
        for role in table.columns[1:]:
            try:
                letters = parse_cell(record[role], task=record["task"], role=role)
            except InputError:
                raise InputError(
                    "a RACI cell must hold R, A, C or I (or a combination such as A/R) or be blank",
                    file=name, line=row + 2, column=role, value=record[role],
                ) from None
            table.loc[row, role] = "/".join(letter for letter in "RACI" if letter in letters)
    return table.set_index("task")


def read_kpis(path):
    """Read and check a KPI review CSV in the layout of :func:`kpi_table`."""
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
    table = _read_csv(path)
    if "better" in table:
        table["better"] = table["better"].astype(str).str.strip().str.lower()
    return _validate(schema, table, path)


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


def _read_csv(path):
    import pandas as pd

    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InputError(
            f"cannot read this CSV ({error.__class__.__name__}); save it as UTF-8 CSV", file=Path(path).name
        ) from None


def _validate(schema, table, path):
    """Validate with pandera; the first failure becomes one plain InputError naming line, column, value."""
    import pandera.errors

    try:
        return schema.validate(table, lazy=True)
    except pandera.errors.SchemaErrors as error:
        cases = error.failure_cases
        check = str(cases["check"].iloc[0])
        if "uniqueness" in check:  # name the repeat, not the first occurrence
            case = cases.sort_values("index", key=lambda s: s.astype(float), na_position="first").iloc[-1]
            why = "this appears more than once; each must be unique"
        elif "dtype" in check:
            case = cases.iloc[0]
            why = "this must be a number"
        else:
            case = cases.iloc[0]
            why = f"this value is not allowed: {check}"
        row = case.get("index")
        line = int(row) + 2 if row is not None and str(row).isdigit() else None
        raise InputError(
            f"{why}; fix it and run again",
            file=Path(path).name,
            line=line,
            column=case.get("column"),
            value=case.get("failure_case"),
        ) from None
