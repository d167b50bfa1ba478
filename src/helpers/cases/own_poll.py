"""Lesson 06 example: a workshop poll as Google Forms exports it (SYNTHETIC).

A one-day partnership workshop between a housing association and a water utility ends with a Google
Form. The export is the file a trainer would download from the form's linked Sheet: ``Timestamp``,
``Email Address`` (collected), the two questions that say who answered (organisation, role), six
agreement statements (three on trust, one of them reverse-keyed; three on shared goals), a checkbox
question whose options include one holding a comma, and an open question in which a few people left
an e-mail address or phone number. Every value is generated from ``DEFAULT_SEED``; names and e-mail
addresses are invented (``example.org``).

Built-in effects, for the lesson to find: the utility's staff trust the partner less than the
association's (about 0.6 points on the 1-5 trust score); front-line staff agree less than initiators
that goals are shared; the "Front line" group of the utility is small (4 people) so analyses by
organisation and role must suppress it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import likert_labels

DEFAULT_SEED = 6
FILE = "06_analyse_your_own_poll/workshop_poll_export.csv"
CODEBOOK = "06_analyse_your_own_poll/workshop_poll_export_codebook.csv"
LABELS = likert_labels("agreement_5")  # helpers/data/likert_scales.csv
STATEMENTS = (
    ("I trust the other organisation to do what it says", "trust", False),
    ("I sometimes doubt what the other organisation tells us", "trust", True),
    ("When problems arise we solve them together", "trust", False),
    ("Our two organisations want the same outcomes", "goals", False),
    ("I know what the partnership is trying to achieve", "goals", False),
    ("Our goals are written down and agreed", "goals", False),
)
CHANNELS = ("Email", "Joint meetings", "Shared workspace", "Site visits, with the partner", "Phone")
IDEAS = (
    "More joint site visits",
    "A shared plan for the next year",
    "One named contact on each side",
    "Shorter meetings",
    "Clearer decisions after meetings",
    "Share the data earlier",
    "",
)
FIRST = ("Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Kim", "Lee", "Noor", "Ade", "Mia", "Tom")
LAST = ("Fieldmore", "Brookside", "Hollins", "Marchetti", "Okafor", "Lindqvist", "Patel", "Quigley")


def build(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    cells = [
        ("Housing association", "Initiator", 6),
        ("Housing association", "Operational manager", 9),
        ("Housing association", "Front line", 12),
        ("Water utility", "Initiator", 5),
        ("Water utility", "Operational manager", 8),
        ("Water utility", "Front line", 4),
    ]
    rows = []
    start = pd.Timestamp("2024-05-14 16:05:00")
    person = 0
    for organisation, role, count in cells:
        for _ in range(count):
            person += 1
            trust = 3.7 - (0.6 if organisation == "Water utility" else 0.0) + rng.normal(0, 0.6)
            goals = 3.8 - (0.8 if role == "Front line" else 0.0) + rng.normal(0, 0.6)
            answers = []
            for _, construct, reverse in STATEMENTS:
                level = trust if construct == "trust" else goals
                score = int(np.clip(np.rint(level + rng.normal(0, 0.6)), 1, 5))
                answers.append(LABELS[(6 - score if reverse else score) - 1])
            chosen = [c for c in CHANNELS if rng.random() < 0.45] or [CHANNELS[0]]
            idea = IDEAS[rng.integers(len(IDEAS))]
            first, last = FIRST[rng.integers(len(FIRST))], LAST[rng.integers(len(LAST))]
            email = f"{first.lower()}.{last.lower()}{person}@example.org"
            if person % 11 == 0:
                idea = f"{idea or 'Happy to help'} - contact me at {email} or 07700 900{person:03d}"
            when = start + pd.Timedelta(seconds=int(rng.integers(20, 90)) * person)
            rows.append(
                [
                    f"{when.month}/{when.day}/{when.year} {when:%H:%M:%S}",
                    email,
                    organisation,
                    role,
                    *answers,
                    ", ".join(chosen),
                    idea,
                ]
            )
    order = rng.permutation(len(rows))
    header = [
        "Timestamp",
        "Email Address",
        "Which organisation are you from?",
        "What is your role in the partnership?",
        *[s[0] for s in STATEMENTS],
        "Which ways of working together help you?",
        "What one thing would help the partnership most?",
    ]
    export = pd.DataFrame([rows[i] for i in order], columns=header)
    codebook = pd.DataFrame(
        [
            [f"q{i + 3:02d}", text, "likert", "|".join(LABELS), "true" if reverse else "false", construct]
            for i, (text, construct, reverse) in enumerate(STATEMENTS)
        ]
        + [
            ["q09", header[-2], "multi_choice", "|".join(CHANNELS), "false", ""],
            ["q10", header[-1], "open_text", "", "false", ""],
        ],
        columns=["question", "text", "kind", "scale", "reverse", "construct"],
    )
    return {FILE: export, CODEBOOK: codebook}
