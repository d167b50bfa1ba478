"""Lesson 01 case: a public landlord and a utility after an appreciative-inquiry day (SYNTHETIC data).

The case follows the source article "Strategic Relationship Building" (Nick Heap): a landlord
accountable for public money, fond of tight contracts with rigid milestones, and a profit-making
utility wanting its plants built and running fast; schedule predictions that proved wrong on the
ground and painful renegotiations; a facilitated one-day Appreciative Inquiry workshop for nine top
people, phone interviews before, a phone evaluation a few weeks after and a follow-up two years on.
The article reports what people said, not numbers: every number here is invented by this seeded
generator.

Tables (paths relative to ``datasets/``):

``01_landlord_and_utility/evaluation.csv``
    Tidy poll data (respondent, question, answer, party, wave): the nine people rate seven items on
    a 1-10 scale at three waves -- ``pre`` (the phone interviews before the day), ``post`` (the
    phone evaluation a few weeks after) and ``follow-up`` (two years on). One person had moved on
    by the follow-up, so it has eight.
``01_landlord_and_utility/evaluation_codebook.csv``
    Its codebook: five ``relationship`` items and two ``contract`` items, one reverse-keyed.
``01_landlord_and_utility/milestones.csv``
    An illustrative plant-building schedule (milestone, planned_weeks) for the contract simulation.

Built-in effects (the truth an analysis should recover within its uncertainty), on the 1-10 scale
with higher = better after reverse-keying: the relationship items rise by 1.3-1.8 points from pre
to post and keep about two thirds of that at follow-up; the contract items barely move at post
(+0.2..0.3: the contract itself did not change) and rise by about 1 point at follow-up (better
discussions over two years). People differ in level (SD 0.8) and in how much they respond
(multiplier SD 0.35); each answer has noise SD 0.9 before rounding, so the SD of a change is about
1.3 and the standardised paired effects ``d_z`` are about 1.0-1.4 for the relationship items at
post and about 0.2 for the contract items.

>>> tables = build(7)
>>> sorted(tables)  # doctest: +NORMALIZE_WHITESPACE
['01_landlord_and_utility/evaluation.csv', '01_landlord_and_utility/evaluation_codebook.csv',
 '01_landlord_and_utility/milestones.csv']
>>> tables['01_landlord_and_utility/evaluation.csv'].groupby('wave')['respondent'].nunique().to_dict()
{'follow-up': 8, 'post': 9, 'pre': 9}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_SEED = 1001
FOLDER = "01_landlord_and_utility"
EVALUATION = f"{FOLDER}/evaluation.csv"
CODEBOOK = f"{FOLDER}/evaluation_codebook.csv"
MILESTONES = f"{FOLDER}/milestones.csv"

WAVES = ("pre", "post", "follow-up")
#: The nine top people: five from the landlord, four from the utility.
PARTIES = {"Landlord": 5, "Utility": 4}

#: question id -> (text, construct, reverse, pre-workshop mean, change at post, change at follow-up),
#: means and changes on the "higher = better" orientation (before reverse-keying the answer).
ITEMS = {
    "trust": (
        "How much do you trust the top people in the other organisation? (1 = not at all, 10 = completely)",
        "relationship",
        False,
        4.6,
        1.6,
        1.1,
    ),
    "understanding": (
        "How well do you understand the other organisation's priorities and pressures? "
        "(1 = not at all, 10 = very well)",
        "relationship",
        False,
        4.2,
        1.8,
        1.3,
    ),
    "conflict": (
        "How well do the two organisations deal with potential areas of conflict? (1 = very badly, 10 = very well)",
        "relationship",
        False,
        4.0,
        1.5,
        1.0,
    ),
    "engagement": (
        "How relaxed and engaged are your joint meetings? (1 = tense and guarded, 10 = relaxed and engaged)",
        "relationship",
        False,
        5.0,
        1.3,
        0.8,
    ),
    "shared_picture": (
        "How clear is the shared picture of what the two organisations want to achieve "
        "together? (1 = no shared picture, 10 = very clear)",
        "relationship",
        False,
        4.4,
        1.7,
        1.2,
    ),
    "contract_pain": (
        "How tedious and painful is it to change the contract when a milestone moves? (1 = not at all, 10 = extremely)",
        "contract",
        True,
        3.4,
        0.3,
        1.0,
    ),
    "contract_speed": (
        "How quickly can the two organisations agree a change to the contract? (1 = very slowly, 10 = very quickly)",
        "contract",
        False,
        3.8,
        0.2,
        0.9,
    ),
}
#: Short labels for plots and tables.
LABELS = {
    "trust": "trust",
    "understanding": "understanding",
    "conflict": "handling conflict",
    "engagement": "relaxed, engaged meetings",
    "shared_picture": "shared picture",
    "contract_pain": "contract changes painless",
    "contract_speed": "contract changes quick",
}
PARTY_OFFSET = {"Landlord": 0.2, "Utility": -0.2}
PERSON_SD = 0.8  # SD of a person's general level
RESPONSE_SD = 0.35  # SD of the multiplier of a person's response to the workshop
NOISE_SD = 0.9  # SD of each answer's noise before rounding
SCALE = (1, 10)

#: An invented plant-construction schedule (weeks): the bundled milestones file, and the schedule the
#: lesson's contract simulation uses when no schedule file is given.
DEFAULT_SCHEDULE = {
    "Design and consents": 8.0,
    "Site preparation": 10.0,
    "Groundworks": 14.0,
    "Plant build": 20.0,
    "Commissioning": 10.0,
    "Handover": 6.0,
}


def build(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """All lesson-01 tables for one seed: ``{path relative to datasets/: DataFrame}``."""
    rng = np.random.default_rng(seed)
    return {
        EVALUATION: _evaluation(rng),
        CODEBOOK: codebook(),
        MILESTONES: pd.DataFrame(
            {"milestone": list(DEFAULT_SCHEDULE), "planned_weeks": list(DEFAULT_SCHEDULE.values())}
        ),
    }


def codebook() -> pd.DataFrame:
    """The evaluation codebook (kind rating, scale 1-10; ``contract_pain`` reverse-keyed)."""
    return pd.DataFrame(
        [
            {
                "question": q,
                "text": text,
                "kind": "rating",
                "scale": f"{SCALE[0]}-{SCALE[1]}",
                "reverse": "true" if reverse else "false",
                "construct": construct,
            }
            for q, (text, construct, reverse, *_rest) in ITEMS.items()
        ]
    )


def _evaluation(rng: np.random.Generator) -> pd.DataFrame:
    parties = [party for party, size in PARTIES.items() for _ in range(size)]
    n = len(parties)
    level = rng.normal(0.0, PERSON_SD, n)
    response = rng.normal(1.0, RESPONSE_SD, n)
    moved_on = int(rng.integers(n))  # left before the two-year follow-up
    rows = []
    for person in range(n):
        respondent = f"E{person + 1:02d}"
        for w, wave in enumerate(WAVES):
            if wave == "follow-up" and person == moved_on:
                continue
            for question, (_text, _construct, reverse, mean, post, follow) in ITEMS.items():
                change = (0.0, post, follow)[w] * response[person]
                score = mean + PARTY_OFFSET[parties[person]] + level[person] + change + rng.normal(0, NOISE_SD)
                answer = int(np.clip(np.rint(score), *SCALE))
                if reverse:
                    answer = SCALE[0] + SCALE[1] - answer
                rows.append((respondent, question, answer, parties[person], wave))
    return pd.DataFrame(rows, columns=["respondent", "question", "answer", "party", "wave"])
