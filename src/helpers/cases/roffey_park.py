"""Lesson 02 case: staff of six business alliances answer a survey (SYNTHETIC data).

The case follows the Roffey Park report *Supporting Collaborative Working in Business Alliances and
Partnerships* (Hirsh, Garrow & Holbeche, 2005) as summarised by Brian Amble (Management-Issues, 2005): formal
processes are the backbone of an alliance, informal relationships the flesh on the bones; without a
sound business case no amount of goodwill makes an alliance work; initiators, operational managers
and front-line staff face different challenges; partners' cultures differ in the speed of decisions,
bureaucracy / hierarchy and attitudes to quality. The report publishes no survey data: every number
here is invented by this seeded generator, and the organisations are fictional.

One table in the workbook's tidy poll format, with its codebook:

``02_roffey_park_alliances/alliance_survey.csv``
    columns respondent, question, answer, party (the respondent's organisation), group (their level:
    Initiator, Operational manager, Front line) and alliance (the partnership they work in).
    Four Likert scales (formal processes, informal relationships, business case, alliance
    effectiveness; one reverse-keyed item each) and three 1-7 ratings of the respondent's own
    organisation's culture (speed of decisions, bureaucracy / hierarchy, quality before speed).

Built-in effects (latent scale, SD about 1; what an analysis should recover within its uncertainty):

- levels: initiators see formal processes as clearer (+0.45) and the alliance as more effective (+0.35)
  than front-line staff (-0.25 on formal processes); operational managers report the weakest informal
  relationships (-0.15) — the people whose service depends on staff they do not manage;
- effectiveness = 0.35 formal + 0.25 informal + 0.15 formal x informal (the flesh works best on bones),
  plus the business-case condition: informal relationships add a further 0.40 per SD only where the
  respondent sees a sound business case (a soft threshold at BUSINESS_CASE_CUT on the latent scale),
  and effectiveness is 0.6 lower where it is not sound: goodwill cannot rescue an unsound case;
- two of the six alliances (IT outsourcing and housing repairs) were set up on weak business cases;
- culture: each organisation has a true profile on the three 1-7 dimensions (``CULTURE``); staff
  rate their own organisation with noise SD 1. Four alliances have at least one gap over 1 point;
  respondents in alliances with a larger cultural distance report slightly lower effectiveness
  (-0.08 per scale point of Euclidean distance).

>>> tables = build(7)
>>> sorted(tables)
['02_roffey_park_alliances/alliance_survey.csv', '02_roffey_park_alliances/alliance_survey_codebook.csv']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import likert_codebook_rows, likert_labels

DEFAULT_SEED = 2005
FOLDER = "02_roffey_park_alliances"
SURVEY = f"{FOLDER}/alliance_survey.csv"
CODEBOOK = f"{FOLDER}/alliance_survey_codebook.csv"

LIKERT = likert_labels("agreement_5")  # helpers/data/likert_scales.csv
LEVELS = ("Initiator", "Operational manager", "Front line")
LEVEL_SHARE = (0.12, 0.30, 0.58)

#: Scale items: id -> (text, reverse, construct). Texts are ours, written for this case.
ITEMS = {
    "fp1": ("The alliance's governance (who decides what, and how) is clear to me.", False, "formal_processes"),
    "fp2": ("I know what standards of work are expected of me in this alliance.", False, "formal_processes"),
    "fp3": (
        "The partners agreed at the outset what information is shared and how charging works.",
        False,
        "formal_processes",
    ),
    "fp4": ("I am often unsure what to do when the two organisations' procedures differ.", True, "formal_processes"),
    "ir1": (
        "I have a good working relationship with my opposite number in the partner organisation.",
        False,
        "informal_relationships",
    ),
    "ir2": (
        "I can pick up the phone to someone in the partner organisation to sort out a problem.",
        False,
        "informal_relationships",
    ),
    "ir3": ("People from both organisations treat each other as colleagues.", False, "informal_relationships"),
    "ir4": ("I deal with the partner organisation only through formal channels.", True, "informal_relationships"),
    "bc1": ("The alliance rests on a clear business logic for both organisations.", False, "business_case"),
    "bc2": ("Each partner gains something from the alliance that it could not get alone.", False, "business_case"),
    "bc3": ("It is not clear to me why we are in this alliance.", True, "business_case"),
    "ae1": ("The alliance delivers what it promised.", False, "effectiveness"),
    "ae2": ("Problems between the partners get resolved quickly.", False, "effectiveness"),
    "ae3": ("Our customers or service users are better served because of the alliance.", False, "effectiveness"),
    "ae4": ("Working in this alliance wastes more effort than it saves.", True, "effectiveness"),
}
#: Culture ratings of the respondent's own organisation, 1 (not at all) to 7 (completely).
CULTURE_ITEMS = {
    "cu_speed": "In my organisation, decisions are made quickly.",
    "cu_bureaucracy": "In my organisation, decisions pass through many layers of hierarchy and sign-off.",
    "cu_quality": "In my organisation, getting the quality right comes before getting things done fast.",
}
CULTURE_LABELS = {
    "cu_speed": "speed of decisions",
    "cu_bureaucracy": "bureaucracy / hierarchy",
    "cu_quality": "quality before speed",
}
CONSTRUCT_LABELS = {
    "formal_processes": "formal processes",
    "informal_relationships": "informal relationships",
    "business_case": "business case",
    "effectiveness": "alliance effectiveness",
}

#: alliance -> (organisation A, organisation B, business case sound?)
ALLIANCES = {
    "Civic services": ("Northvale Council", "Brightwater Services", True),
    "Hospital logistics": ("Eastmere Health Trust", "Swiftline Logistics", True),
    "Airline codeshare": ("Kestrel Air", "Orion Airways", True),
    "IT outsourcing": ("Halden Insurance", "Corvid Systems", False),
    "Research consortium": ("Marlow Pharma", "Glenholm University", True),
    "Housing repairs": ("Tarnside Homes", "Fettle Building Services", False),
}
#: True culture profile per organisation: (speed, bureaucracy, quality before speed), 1-7.
CULTURE = {
    "Northvale Council": (2.8, 5.8, 4.6),
    "Brightwater Services": (5.4, 3.0, 4.4),
    "Eastmere Health Trust": (3.2, 5.4, 6.0),
    "Swiftline Logistics": (5.6, 3.2, 3.8),
    "Kestrel Air": (4.6, 4.4, 5.4),
    "Orion Airways": (4.3, 4.8, 5.2),
    "Halden Insurance": (3.4, 5.0, 5.2),
    "Corvid Systems": (5.8, 2.8, 4.6),
    "Marlow Pharma": (4.0, 4.8, 6.2),
    "Glenholm University": (2.8, 4.6, 5.0),
    "Tarnside Homes": (3.6, 4.6, 4.4),
    "Fettle Building Services": (4.4, 3.8, 4.0),
}
STAFF_PER_ORGANISATION = 30
CULTURE_NOISE = 1.0

# Latent model (SD-1 units)
LEVEL_EFFECTS = {  # level -> (formal, informal, effectiveness)
    "Initiator": (0.45, 0.20, 0.35),
    "Operational manager": (0.10, -0.15, -0.10),
    "Front line": (-0.25, 0.0, 0.0),
}
FORMAL_INFORMAL_CORR = 0.30
BUSINESS_CASE = {True: 0.6, False: -0.9}  # alliance-level latent soundness
BUSINESS_CASE_NOISE = 0.7  # respondents' perceptions around it
BUSINESS_CASE_CUT = 0.6  # soft threshold on the latent business case
B_FORMAL, B_INFORMAL, B_INTERACTION = 0.35, 0.05, 0.15
B_INFORMAL_IF_SOUND = 0.55
UNSOUND_PENALTY = 0.6
B_CULTURE_DISTANCE = -0.08
RESIDUAL_SD = 0.65
LOADING, ITEM_NOISE = 0.80, 0.60  # item = LOADING * trait + ITEM_NOISE * noise
ITEM_CUTS = np.array([-1.6, -0.75, 0.05, 1.05])  # between the five Likert answers
SKIP_RATE = 0.01


def build(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Generate the lesson 02 survey (SYNTHETIC) and its codebook with a seeded NumPy generator.

    Returns ``{path relative to datasets/: DataFrame}``; the same seed always gives the same bytes once
    written with :func:`helpers.cases.write_tables`.
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    return {SURVEY: _survey(rng), CODEBOOK: codebook()}


def codebook() -> pd.DataFrame:
    """The survey codebook: 15 Likert items in four constructs, three 1-7 culture ratings."""
    rows = likert_codebook_rows(ITEMS, LIKERT)
    rows += [
        {"question": key, "text": text, "kind": "rating", "scale": "1-7", "reverse": "false", "construct": ""}
        for key, text in CULTURE_ITEMS.items()
    ]
    return pd.DataFrame(rows)


def _latent_traits(rng: np.random.Generator, levels: np.ndarray, sound: np.ndarray, distance: np.ndarray):
    n = levels.size
    effects = np.array([LEVEL_EFFECTS[level] for level in levels])
    z_formal, z_other = rng.normal(size=(2, n))
    formal = effects[:, 0] + z_formal
    informal = effects[:, 1] + FORMAL_INFORMAL_CORR * z_formal + np.sqrt(1 - FORMAL_INFORMAL_CORR**2) * z_other
    case = np.where(sound, BUSINESS_CASE[True], BUSINESS_CASE[False]) + rng.normal(0, BUSINESS_CASE_NOISE, n)
    is_sound = 1 / (1 + np.exp(-4 * (case - BUSINESS_CASE_CUT)))  # soft threshold, 0..1
    effect = (
        effects[:, 2]
        + B_FORMAL * formal
        + B_INFORMAL * informal
        + B_INTERACTION * formal * informal
        + is_sound * B_INFORMAL_IF_SOUND * informal
        - (1 - is_sound) * UNSOUND_PENALTY
        + B_CULTURE_DISTANCE * distance
        + rng.normal(0, RESIDUAL_SD, n)
    )
    return {
        "formal_processes": formal,
        "informal_relationships": informal,
        "business_case": case,
        "effectiveness": (effect - effect.mean()) / effect.std(),
    }


def _likert(rng: np.random.Generator, trait: np.ndarray, reverse: bool) -> np.ndarray:
    latent = LOADING * (-trait if reverse else trait) + ITEM_NOISE * rng.normal(size=trait.size)
    return np.asarray(LIKERT, dtype=object)[np.searchsorted(ITEM_CUTS, latent)]


def _survey(rng: np.random.Generator) -> pd.DataFrame:
    people = []
    for alliance, (org_a, org_b, sound) in ALLIANCES.items():
        distance = float(np.linalg.norm(np.subtract(CULTURE[org_a], CULTURE[org_b])))
        for org in (org_a, org_b):
            levels = rng.choice(len(LEVELS), size=STAFF_PER_ORGANISATION, p=LEVEL_SHARE)
            levels = np.sort(levels)  # initiators first within an organisation, like a staff list
            people += [(alliance, org, LEVELS[k], sound, distance) for k in levels]
    frame = pd.DataFrame(people, columns=["alliance", "party", "group", "sound", "distance"])
    n = len(frame)
    traits = _latent_traits(rng, frame["group"].to_numpy(), frame["sound"].to_numpy(), frame["distance"].to_numpy())
    answers = {key: _likert(rng, traits[construct], reverse) for key, (_, reverse, construct) in ITEMS.items()}
    true_profiles = np.array([CULTURE[org] for org in frame["party"]])
    for j, key in enumerate(CULTURE_ITEMS):
        rating = np.rint(true_profiles[:, j] + rng.normal(0, CULTURE_NOISE, n))
        answers[key] = np.clip(rating, 1, 7).astype(int)
    rows = []
    for i in range(n):
        respondent = f"R{i + 1:04d}"
        for key in [*ITEMS, *CULTURE_ITEMS]:
            if rng.random() >= SKIP_RATE:
                rows.append(
                    (
                        respondent,
                        key,
                        answers[key][i],
                        frame.at[i, "party"],
                        frame.at[i, "group"],
                        frame.at[i, "alliance"],
                    )
                )
    return pd.DataFrame(rows, columns=["respondent", "question", "answer", "party", "group", "alliance"])
