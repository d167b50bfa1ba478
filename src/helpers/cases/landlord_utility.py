"""Lesson 01 case: a public landlord and a utility after an appreciative-inquiry day (SYNTHETIC data).

The case follows the source article "Strategic Relationship Building" (seed 001): a landlord
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

from ..errors import InputError
from ..simulate.contracts import DEFAULT_SCHEDULE

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
    "trust": ("How much do you trust the top people in the other organisation? "
              "(1 = not at all, 10 = completely)", "relationship", False, 4.6, 1.6, 1.1),
    "understanding": ("How well do you understand the other organisation's priorities and pressures? "
                      "(1 = not at all, 10 = very well)", "relationship", False, 4.2, 1.8, 1.3),
    "conflict": ("How well do the two organisations deal with potential areas of conflict? "
                 "(1 = very badly, 10 = very well)", "relationship", False, 4.0, 1.5, 1.0),
    "engagement": ("How relaxed and engaged are your joint meetings? "
                   "(1 = tense and guarded, 10 = relaxed and engaged)", "relationship", False, 5.0, 1.3, 0.8),
    "shared_picture": ("How clear is the shared picture of what the two organisations want to achieve "
                       "together? (1 = no shared picture, 10 = very clear)", "relationship", False, 4.4, 1.7, 1.2),
    "contract_pain": ("How tedious and painful is it to change the contract when a milestone moves? "
                      "(1 = not at all, 10 = extremely)", "contract", True, 3.4, 0.3, 1.0),
    "contract_speed": ("How quickly can the two organisations agree a change to the contract? "
                       "(1 = very slowly, 10 = very quickly)", "contract", False, 3.8, 0.2, 0.9),
}
#: Short labels for plots and tables.
LABELS = {
    "trust": "trust", "understanding": "understanding", "conflict": "handling conflict",
    "engagement": "relaxed, engaged meetings", "shared_picture": "shared picture",
    "contract_pain": "contract changes painless", "contract_speed": "contract changes quick",
}
PARTY_OFFSET = {"Landlord": 0.2, "Utility": -0.2}
PERSON_SD = 0.8        # SD of a person's general level
RESPONSE_SD = 0.35     # SD of the multiplier of a person's response to the workshop
NOISE_SD = 0.9         # SD of each answer's noise before rounding
SCALE = (1, 10)


def build(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """All lesson-01 tables for one seed: ``{path relative to datasets/: DataFrame}``."""
    rng = np.random.default_rng(seed)
    return {
        EVALUATION: _evaluation(rng),
        CODEBOOK: codebook(),
        MILESTONES: pd.DataFrame({"milestone": list(DEFAULT_SCHEDULE),
                                  "planned_weeks": list(DEFAULT_SCHEDULE.values())}),
    }


def codebook() -> pd.DataFrame:
    """The evaluation codebook (kind rating, scale 1-10; ``contract_pain`` reverse-keyed)."""
    return pd.DataFrame(
        [
            {"question": q, "text": text, "kind": "rating", "scale": f"{SCALE[0]}-{SCALE[1]}",
             "reverse": "true" if reverse else "false", "construct": construct}
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


def waves_in(responses: pd.DataFrame, waves) -> list[str]:
    """The wanted waves that the data hold, in the wanted order; the first must be the baseline.

    Raises :class:`~helpers.errors.InputError` when the data have no ``wave`` column, lack the
    baseline wave, or hold fewer than two of the wanted waves (a change needs two).
    """
    if "wave" not in responses.columns:
        raise InputError("The evaluation data have no `wave` column; add one (e.g. pre, post).")
    present = set(responses["wave"].dropna().astype(str))
    found = [w for w in waves if w in present]
    if not waves or waves[0] not in present or len(found) < 2:
        raise InputError(
            f"The data hold the waves {', '.join(sorted(present)) or 'none'}; the parameter `waves` "
            f"asks for {', '.join(waves)}. Give at least two waves present in the data, baseline first.",
            column="wave",
        )
    return found


# --------------------------------------------------------------------------------------------
# the lesson's analysis steps (thin wrappers the notebook calls; they work on any evaluation data)
# --------------------------------------------------------------------------------------------

def people_by_wave(responses: pd.DataFrame, waves) -> pd.DataFrame:
    """Number of people who answered at each wave, by party when there is a party column."""
    scored = responses[responses["wave"].astype(str).isin(list(waves))]
    if "party" in scored.columns and scored["party"].notna().any():
        table = scored.pivot_table(index="wave", columns="party", values="respondent", aggfunc="nunique",
                                   observed=True, fill_value=0)
        table["all"] = scored.groupby("wave", observed=True)["respondent"].nunique()
    else:
        table = scored.groupby("wave", observed=True)["respondent"].nunique().rename("all").to_frame()
    table = table.reindex(list(waves)).fillna(0).astype(int)
    table.columns.name = None
    return table


def changes_from_baseline(responses: pd.DataFrame, waves, *, seed: int = 0,
                          min_group_size: int = 5) -> pd.DataFrame:
    """:func:`helpers.stats.change.change_by_question` from the first wave to each later one, stacked
    with a ``comparison`` column (``"pre -> post"``...)."""
    from ..stats import change

    frames = []
    for later in waves[1:]:
        table = change.change_by_question(responses, waves[0], later, seed=seed, min_group_size=min_group_size)
        table.insert(0, "comparison", f"{waves[0]} -> {later}")
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def focus_results(responses: pd.DataFrame, question: str, before: str, after: str, *, seed: int = 0,
                  min_group_size: int = 5) -> pd.DataFrame:
    """The three small-n summaries (signed-rank, Hodges-Lehmann, bootstrap) for one question.

    With fewer than ``min_group_size`` complete pairs nothing is computed: one row says so.
    """
    from ..stats import change, results_table

    pairs = change.pair_waves(responses, before, after)
    pairs = pairs[pairs["question"] == question]
    if len(pairs) < min_group_size:
        return pd.DataFrame([{"question": question, "pairs": len(pairs),
                              "note": f"suppressed: fewer than {min_group_size} pairs"}])
    results = change.paired_change(pairs["before"], pairs["after"], seed=seed)
    table = results_table(results)
    # The exact interval's coverage is what the discrete distribution allows (96.1% for 9 pairs):
    # one CI column plus its level, rather than one column per level.
    levels = [c for c in table.columns if c.endswith("% CI")]
    table["CI"] = table[levels].bfill(axis=1).iloc[:, 0].fillna("")
    table["CI level"] = ["" if r.ci is None else f"{r.ci_level:.1%}" for r in results]
    order = [c for c in table.columns if c not in levels and c not in ("CI", "CI level", "interpretation")]
    return table[order[:3] + ["CI", "CI level"] + order[3:] + ["interpretation"]].fillna("")


def party_change(responses: pd.DataFrame, before: str, after: str, *, seed: int = 0,
                 min_group_size: int = 5) -> pd.DataFrame:
    """Change within each party, with small groups (and their complements) suppressed."""
    from ..stats import change

    if "party" not in responses.columns or responses["party"].isna().all():
        return pd.DataFrame([{"note": "the data have no party column"}])
    return change.compact(change.change_by_group(responses, before, after, group="party", seed=seed,
                                                 min_group_size=min_group_size))


def planning_table(effect_size: float, *, alpha: float = 0.05, power: float = 0.80) -> pd.DataFrame:
    """People to recruit for the next evaluation: paired design, and two groups (with a comparison group)."""
    from ..stats import change

    rows = []
    for design, label in (("paired", "same people before and after"),
                          ("two-group", "workshop group vs comparison group")):
        result = change.sample_size(effect_size, design=design, alpha=alpha, power=power)
        rows.append({
            "design": label,
            "d": effect_size,
            "n (exact)": round(result.estimate, 2),
            "n to recruit": result.n,
            "people in all": result.details["total"],
            "n if analysed with Wilcoxon": result.details["n_wilcoxon"],
        })
    return pd.DataFrame(rows)
