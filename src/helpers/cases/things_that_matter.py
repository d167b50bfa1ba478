"""Lesson 04 case: Things That Matter to two partner organisations (SYNTHETIC data).

The case follows the source article "Collaborative Working" (an unsigned Value Management page) and
the workshop and webinar it points to: partners rarely know what matters most to each other
("missing empathy"), and in webinar polls "the will may be there but the way isn't". Every number
here is invented by this seeded generator; none is a figure from the article.

Two tables, both in the workbook's tidy poll format (respondent, question, answer, party, group)
with a codebook each:

``04_things_that_matter/workshop_rankings.csv``
    A workshop of two partner organisations. Each member ranks eight Things That Matter for their
    own organisation (questions ``own_<thing>``, 1 = matters most) and predicts how the partner
    organisation would rank them (questions ``pred_<thing>``). Kind ``ranking``, scale 1-8.
``04_things_that_matter/webinar_poll.csv``
    A webinar poll of a few hundred people from client and supplier organisations: four Likert items
    on the will and the way to understand partners (one reverse-keyed), and two single-choice items.

Built-in effects (the "truth" a learner's analysis should recover, within its uncertainty):

- each member's ranking is the order of ``priority[party] + Normal(0, RANK_NOISE)`` scores, so each
  party agrees with itself moderately (Kendall's W about 0.6);
- the two parties' priorities are nearly unrelated (Kendall's tau of the two priority vectors is
  about -0.1): they agree on safety, and disagree on margin, future work and end users;
- a member predicting the partner's ranking mixes the partner's true priorities with their own
  (projection weight ``PROJECTION``: 0.6 for the client, 0.35 for the supplier) plus more noise, so
  predictions look partly like the predictor's own priorities: the empathy gap;
- poll: the will items are agreed by about four in five, the way items by about one in five to two
  in five; suppliers are more likely than clients to say they know what matters to their partner
  (odds ratio ``exp(0.6)`` ≈ 1.8 on ``way_know``) and leaders more likely than everyone else to
  say there is a way to find out (odds ratio ``exp(0.7)`` ≈ 2.0 on ``way_method``), both on the
  proportional-odds (ordinal logistic) scale; personal contact is the usual way to learn what
  matters; negative or mixed experiences dominate.

>>> tables = build(7)
>>> sorted(tables)  # doctest: +NORMALIZE_WHITESPACE
['04_things_that_matter/webinar_poll.csv', '04_things_that_matter/webinar_poll_codebook.csv',
 '04_things_that_matter/workshop_rankings.csv', '04_things_that_matter/workshop_rankings_codebook.csv']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import likert_labels

DEFAULT_SEED = 4073  # a typical sample (see the README): its estimates lie near the built-in effects
FOLDER = "04_things_that_matter"
RANKINGS = f"{FOLDER}/workshop_rankings.csv"
POLL = f"{FOLDER}/webinar_poll.csv"

#: The eight Things That Matter: id -> label shown to workshop members.
THINGS = {
    "safety": "Health and safety",
    "quality": "Quality of the work",
    "end_users": "End-user satisfaction",
    "cost": "Cost certainty",
    "time": "On-time delivery",
    "innovation": "Innovation and new ideas",
    "future": "Future work together",
    "margin": "A fair profit margin",
}
OWN_PREFIX, PRED_PREFIX = "own_", "pred_"

#: Latent priority scores (higher = matters more) of the first (client) and second (supplier) party.
PRIORITY = {
    0: {
        "safety": 2.0,
        "quality": 1.5,
        "end_users": 1.4,
        "cost": 1.1,
        "time": 0.8,
        "innovation": 0.1,
        "future": -0.4,
        "margin": -1.4,
    },
    1: {
        "safety": 1.9,
        "quality": 0.8,
        "end_users": -0.2,
        "cost": -0.1,
        "time": 1.0,
        "innovation": -0.3,
        "future": 1.1,
        "margin": 1.4,
    },
}
RANK_NOISE = 0.9  # SD of a member's own-priority noise
PREDICTION_NOISE = 1.1  # SD of the noise in a member's prediction of the partner
PROJECTION = {0: 0.60, 1: 0.35}  # weight of the predictor's own priorities in their prediction
WORKSHOP = {0: {"Leadership": 6, "Delivery": 8}, 1: {"Leadership": 5, "Delivery": 7}}

LIKERT = likert_labels("agreement_5")  # helpers/data/likert_scales.csv
#: Poll items: id -> (text, kind, scale, reverse, construct).
POLL_ITEMS = {
    "will_understand": (
        "Understanding what matters most to our partner organisation is important to my work.",
        "likert",
        LIKERT,
        False,
        "will",
    ),
    "will_invest": (
        "I would give time to find out what matters to our partner organisation.",
        "likert",
        LIKERT,
        False,
        "will",
    ),
    "way_know": ("I know what matters most to our partner organisation.", "likert", LIKERT, False, "way"),
    "way_method": (
        "We have a reliable way to find out what matters to our partner organisation.",
        "likert",
        LIKERT,
        False,
        "way",
    ),
    "way_guess": ("We mostly have to guess what our partner organisation wants.", "likert", LIKERT, True, "way"),
    "how_find_out": (
        "How do you mostly learn what matters to your partner organisation?",
        "single_choice",
        (
            "Personal contact and conversations",
            "Formal reviews and KPIs",
            "A structured exercise (survey or workshop)",
            "We don't, really",
        ),
        False,
        "",
    ),
    "experience": (
        "Which experiences dominate your relationship with this partner at the moment?",
        "single_choice",
        ("Mostly positive", "A mix of positive and negative", "Mostly negative or challenging"),
        False,
        "",
    ),
}
#: Proportional-odds model of each Likert item: location (on the logistic scale), and the trait it loads on.
LOCATION = {"will_understand": 2.0, "will_invest": 1.6, "way_know": -0.6, "way_method": -1.5, "way_guess": 0.6}
CUTS = np.array([-2.2, -0.9, 0.3, 2.2])  # latent cut-points between the five Likert answers
SUPPLIER_KNOW = 0.6  # log odds ratio, supplier vs client, on way_know
LEADER_METHOD = 0.7  # log odds ratio, Leadership vs all other groups, on way_method
POLL_GROUPS = {"Leadership": 62, "Relationship manager": 88, "Delivery": 146, "Other": 4}
SUPPLIER_SHARE = 0.55
SKIP_RATE = 0.03  # share of poll answers left blank (dropped from the tidy file)
HOW_FIND_OUT = {0: [0.52, 0.30, 0.06, 0.12], 1: [0.62, 0.18, 0.08, 0.12]}
EXPERIENCE = [0.17, 0.40, 0.43]


def build(seed: int = DEFAULT_SEED, parties: Sequence[str] = ("Client", "Supplier")) -> dict[str, pd.DataFrame]:
    """Generate the lesson 04 tables (SYNTHETIC) with a seeded NumPy generator.

    Parameters
    ----------
    seed : the seed; the same seed always gives the same bytes once written with ``write_tables``.
    parties : the names of the two partner organisations (first = client side, second = supplier side).

    Returns
    -------
    ``{path relative to datasets/: DataFrame}``: the two tidy tables and their codebooks.
    """
    if len(parties) != 2 or len(set(parties)) != 2:
        raise ValueError("build() needs two different party names")
    rankings_seed, poll_seed = np.random.SeedSequence(seed).spawn(2)
    return {
        RANKINGS: _workshop(np.random.default_rng(rankings_seed), list(parties)),
        RANKINGS.replace(".csv", "_codebook.csv"): rankings_codebook(),
        POLL: _poll(np.random.default_rng(poll_seed), list(parties)),
        POLL.replace(".csv", "_codebook.csv"): poll_codebook(),
    }


def rankings_codebook() -> pd.DataFrame:
    """The workshop codebook: ``own_<thing>`` and ``pred_<thing>``, kind ranking, scale 1-8."""
    n = len(THINGS)
    rows = [
        {
            "question": f"{OWN_PREFIX}{key}",
            "text": f"Rank for your own organisation (1 = matters most): {label}",
            "kind": "ranking",
            "scale": f"1-{n}",
            "reverse": "false",
            "construct": "own",
        }
        for key, label in THINGS.items()
    ] + [
        {
            "question": f"{PRED_PREFIX}{key}",
            "text": f"Rank as you think the partner organisation would (1 = matters most to them): {label}",
            "kind": "ranking",
            "scale": f"1-{n}",
            "reverse": "false",
            "construct": "predicted",
        }
        for key, label in THINGS.items()
    ]
    return pd.DataFrame(rows)


def poll_codebook() -> pd.DataFrame:
    """The webinar poll codebook."""
    return pd.DataFrame(
        [
            {
                "question": key,
                "text": text,
                "kind": kind,
                "scale": "|".join(scale),
                "reverse": "true" if reverse else "false",
                "construct": construct,
            }
            for key, (text, kind, scale, reverse, construct) in POLL_ITEMS.items()
        ]
    )


def _ranks_from_scores(scores: np.ndarray) -> np.ndarray:
    """1 for the highest score in each row, len(row) for the lowest (scores are continuous: no ties)."""
    order = np.argsort(-scores, axis=1)
    ranks = np.empty_like(order)
    rows = np.arange(scores.shape[0])[:, None]
    ranks[rows, order] = np.arange(1, scores.shape[1] + 1)
    return ranks


def _workshop(rng: np.random.Generator, parties: list[str]) -> pd.DataFrame:
    keys = list(THINGS)
    priority = {p: np.array([PRIORITY[p][k] for k in keys]) for p in (0, 1)}
    frames, number = [], 0
    for p in (0, 1):
        partner = 1 - p
        for group, size in WORKSHOP[p].items():
            own = _ranks_from_scores(priority[p] + rng.normal(0.0, RANK_NOISE, (size, len(keys))))
            mixed = (1 - PROJECTION[p]) * priority[partner] + PROJECTION[p] * priority[p]
            pred = _ranks_from_scores(mixed + rng.normal(0.0, PREDICTION_NOISE, (size, len(keys))))
            for i in range(size):
                number += 1
                respondent = f"W{number:02d}"
                for prefix, ranks in ((OWN_PREFIX, own), (PRED_PREFIX, pred)):
                    frames += [
                        (respondent, f"{prefix}{key}", int(ranks[i, j]), parties[p], group)
                        for j, key in enumerate(keys)
                    ]
    return pd.DataFrame(frames, columns=["respondent", "question", "answer", "party", "group"])


def _poll(rng: np.random.Generator, parties: list[str]) -> pd.DataFrame:
    groups = np.repeat(list(POLL_GROUPS), list(POLL_GROUPS.values()))
    groups = groups[rng.permutation(groups.size)]
    n = groups.size
    supplier = rng.random(n) < SUPPLIER_SHARE
    # two person-level traits (will, way) with a weak positive correlation
    traits = rng.multivariate_normal([0.0, 0.0], [[0.64, 0.13], [0.13, 0.64]], size=n)
    leader = groups == "Leadership"
    answers: dict[str, np.ndarray] = {}
    for key, location in LOCATION.items():
        construct = POLL_ITEMS[key][4]
        trait = traits[:, 0] if construct == "will" else traits[:, 1]
        direction = -1.0 if POLL_ITEMS[key][3] else 1.0  # reverse-keyed: agreeing means less "way"
        latent = location + direction * trait + rng.logistic(0.0, 1.0, n)
        if key == "way_know":
            latent += SUPPLIER_KNOW * supplier
        if key == "way_method":
            latent += LEADER_METHOD * leader
        answers[key] = np.asarray(LIKERT, dtype=object)[np.searchsorted(CUTS, latent)]
    options = POLL_ITEMS["how_find_out"][2]
    answers["how_find_out"] = np.array(
        [options[rng.choice(len(options), p=HOW_FIND_OUT[int(s)])] for s in supplier], dtype=object
    )
    answers["experience"] = np.asarray(POLL_ITEMS["experience"][2], dtype=object)[
        rng.choice(len(EXPERIENCE), size=n, p=EXPERIENCE)
    ]
    party = np.where(supplier, parties[1], parties[0])
    rows = []
    for i in range(n):
        for key in POLL_ITEMS:
            if rng.random() >= SKIP_RATE:
                rows.append((f"P{i + 1:03d}", key, answers[key][i], party[i], groups[i]))
    return pd.DataFrame(rows, columns=["respondent", "question", "answer", "party", "group"])
