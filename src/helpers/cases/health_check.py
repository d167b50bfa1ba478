"""Lesson 05 case: a partnership health check between a contractor and a water utility (SYNTHETIC).

Cobalt Engineering (a regional contractor) and Riverside Water (the utility that hired it) run a
five-year mains-renewal partnership. Both ask their staff to fill in the workbook's partnership
health check (:mod:`helpers.lessons.health_check.instrument`, 28 items in seven dimensions, read from
``helpers/data/health_check_instrument.csv``). Every person, answer
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

The readers of a user's own RACI chart and KPI review, and the KPI review rule the lesson teaches,
are in :mod:`helpers.lessons.health_check`.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

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
    "Cobalt project lead",
    "Cobalt site team",
    "Riverside asset manager",
    "Riverside operations",
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
#: The instrument as a codebook (package data shared with the lesson, which scores it).
INSTRUMENT_FILE = Path(__file__).resolve().parents[1] / "data" / "health_check_instrument.csv"


@cache
def _instrument() -> tuple[dict[str, str], ...]:
    with open(INSTRUMENT_FILE, newline="", encoding="utf-8") as file:
        return tuple(csv.DictReader(file))


def instrument_rows() -> list[dict[str, str]]:
    """The instrument's items, one dict per item with the codebook columns (``question, text, kind,
    scale, reverse, construct``), in questionnaire order."""
    return [dict(row) for row in _instrument()]


def build(seed: int = DEFAULT_SEED) -> dict:
    """All lesson-05 tables, keyed by their path relative to ``datasets/``."""
    import pandas as pd

    return {
        f"{FOLDER}/health_check.csv": responses(seed),
        f"{FOLDER}/health_check_codebook.csv": pd.DataFrame(instrument_rows()),
        f"{FOLDER}/raci_example.csv": raci_example(),
        f"{FOLDER}/kpi_review.csv": kpi_table(),
    }


def responses(seed: int = DEFAULT_SEED):
    """The staff survey in the tidy data model: respondent, question, answer, party, group."""
    import numpy as np
    import pandas as pd

    items = instrument_rows()
    rng = np.random.default_rng(seed)
    dimensions = list(MEANS)
    rows = []
    for p, party in enumerate(PARTIES):
        people = [(group, i) for group in GROUPS for i in range(SIZES[party][group])]
        stopper = int(rng.integers(len(people)))
        for number, (group, _) in enumerate(people, start=1):
            respondent = f"{party[0]}{number:02d}"
            general = rng.normal(0, PERSON_SD)
            latent = {d: MEANS[d][p] + GROUP_SHIFT[group] + general + rng.normal(0, DIMENSION_SD) for d in dimensions}
            for item in items:
                dimension, labels = item["construct"], item["scale"].split("|")
                agreement = latent[dimension] + rng.normal(0, ITEM_SD)
                answer = int(np.clip(np.rint(agreement), 1, 5))
                if item["reverse"] == "true":  # a reverse item states a problem: agreeing means a low score
                    answer = 6 - answer
                missing = rng.random() < MISSING_RATE
                stopped = number - 1 == stopper and dimensions.index(dimension) >= STOPPED_AFTER
                if not (missing or stopped):
                    rows.append((respondent, item["question"], labels[answer - 1], party, group))
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
