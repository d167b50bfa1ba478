"""Lesson 03 case: the value-creation journey of consortia and coalitions (SYNTHETIC data).

The case follows the source article "Consortia and Coalitions: Embarking on Collaborative Journeys"
(by a ThinkPlace practitioner, an "Ecosystem Value-Creation Journey"): a champion glimpses
latent value, explores for partners, the partners cohere on an intent ("the clock is ticking"),
establish a form, team up (Tuckman's forming, storming, norming, performing; "many collaborative
initiatives stay stuck in storming"), create value, and may grow a meta-organisation that starts the
cycle again; or they exit, ideally gracefully. The article gives no numbers: every number here is
invented by this seeded generator.

Tables (paths relative to ``datasets/``):

``03_value_creation_journey/journey_panel.csv``
    One row per initiative and month from the month it starts until it exits, becomes a
    meta-organisation, or the study ends: ``initiative, month, stage, type, informal_network,
    early_trust``.
``03_value_creation_journey/time_to_cohere.csv``
    One row per initiative that reached cohering: months from entering cohering until the intent
    coheres (the first month in establishing or later), censored by an exit or the end of the
    study. Read off the simulated paths here; the lesson derives the same table from any panel with
    :func:`helpers.stats.markov.time_to_reach` (a test checks that the two agree).
``03_value_creation_journey/reasons_log.csv``
    The reasons to believe / disbelieve logged at monthly reviews while an initiative is exploring
    or cohering: ``initiative, review, kind, action, weight, reason``.
``03_value_creation_journey/team_maturity.csv`` (+ ``_codebook.csv``)
    A 16-item team-maturity questionnaire (four items per Tuckman stage) answered by team members
    every three months while their initiative is teaming, in the workbook's tidy poll format.

Built-in effects (monthly probabilities; the README in the data folder lists them all):

- exploring -> cohering 0.22 a month, 0.40 when the initiative started from an informal network;
- cohering -> establishing ("the intent coheres") 0.10 a month, times 2.2 with early trust-building,
  times 0.6 for a coalition (slower to agree concrete intent), times 1.3 from an informal network;
- drifting apart while cohering: 0.04 a month, growing by 0.01 with every month spent cohering
  (the clock is ticking: a duration effect a Markov chain cannot see), halved by early trust;
- 40% of teams (20% with early trust) get stuck in storming: they leave teaming at 0.03 a month
  instead of 0.12, and their questionnaire scores stay storming.

The lesson's analyses of these tables, and the readers of a user's own panel and reasons log, are
in :mod:`helpers.lessons.value_journey`.

>>> tables = build(7)
>>> sorted(tables)  # doctest: +NORMALIZE_WHITESPACE
['03_value_creation_journey/journey_panel.csv', '03_value_creation_journey/reasons_log.csv',
 '03_value_creation_journey/team_maturity.csv', '03_value_creation_journey/team_maturity_codebook.csv',
 '03_value_creation_journey/time_to_cohere.csv']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import likert_codebook_rows, likert_labels

DEFAULT_SEED = 3003
FOLDER = "03_value_creation_journey"
PANEL = f"{FOLDER}/journey_panel.csv"
TIME_TO_COHERE = f"{FOLDER}/time_to_cohere.csv"
REASONS = f"{FOLDER}/reasons_log.csv"
MATURITY = f"{FOLDER}/team_maturity.csv"
MATURITY_CODEBOOK = f"{FOLDER}/team_maturity_codebook.csv"

#: The journey's stages in order, then the way out.
STAGES = ("latent value", "exploring", "cohering", "establishing", "teaming", "value creation", "meta-organisation")
EXIT = "exited"
STATES = (*STAGES, EXIT)
TYPES = ("consortium", "coalition")

# -- the simulation's truth (monthly probabilities) -------------------------------------------------
N_INITIATIVES = 120
STUDY_MONTHS = 36  # the study follows initiatives that start in months 1-24 until month 36
START_WINDOW = 24
P_LATENT_ON, P_LATENT_EXIT = 0.55, 0.05
P_EXPLORE_ON, NETWORK_EXPLORE, P_EXPLORE_EXIT = 0.22, 0.40, 0.04
P_COHERE, TRUST_HR, COALITION_HR, NETWORK_HR = 0.10, 2.2, 0.6, 1.3
P_DRIFT, DRIFT_PER_MONTH, TRUST_DRIFT = 0.04, 0.01, 0.5
P_ESTABLISH_ON, P_ESTABLISH_EXIT = 0.35, 0.02
P_TEAM_ON, P_TEAM_ON_STUCK, P_TEAM_EXIT = 0.12, 0.03, 0.03
P_STUCK, P_STUCK_TRUST = 0.40, 0.20
P_VALUE_ON, P_VALUE_EXIT = 0.10, 0.03

LIKERT = likert_labels("agreement_5")  # helpers/data/likert_scales.csv
#: Team-maturity items: id -> (text, construct, reverse). Written for this workbook.
ITEMS = {
    "form_purpose": ("We are still working out what this collaboration is for.", "forming", False),
    "form_polite": ("People are polite and careful with each other in our meetings.", "forming", False),
    "form_role": ("I am not yet sure what is expected of me in this team.", "forming", False),
    "form_lead": ("We wait for the convenor to set the direction.", "forming", False),
    "storm_methods": ("Disagreements about methods keep coming back.", "storming", False),
    "storm_control": ("Partners compete for control of budget or key decisions.", "storming", False),
    "storm_interest": (
        "Some members put their own organisation's interests before the shared goal.",
        "storming",
        False,
    ),
    "storm_settle": ("When we disagree, we settle it quickly and move on.", "storming", True),
    "norm_ways": ("We have agreed ways of working that most of us follow.", "norming", False),
    "norm_trust": ("I trust colleagues from the other organisations to deliver what they promise.", "norming", False),
    "norm_feedback": ("We give each other honest feedback without it becoming personal.", "norming", False),
    "norm_roles": ("Roles and responsibilities across the partners are clear.", "norming", False),
    "perf_results": ("This team delivers results none of our organisations could achieve alone.", "performing", False),
    "perf_adapt": ("We adapt our plans quickly when circumstances change.", "performing", False),
    "perf_decide": ("Decisions are made at the right level without escalation.", "performing", False),
    "perf_chase": ("Progress depends on a few people chasing everyone else.", "performing", True),
}
TUCKMAN = ("forming", "storming", "norming", "performing")
STAGE_MEAN, NEAR_MEAN, FAR_MEAN = 4.0, 3.0, 2.2  # item means for the team's stage, a neighbour, others
PERSON_SD, ITEM_SD = 0.35, 0.75
WAVE_EVERY, MAX_WAVES = 3, 3
PARTIES = ("Partner A", "Partner B", "Partner C", "Partner D")

BELIEVE = (
    "A partner brings a capability we lack",
    "Each partner can name its own payoff",
    "The champion has backing from their board",
    "An early pilot gave a positive result",
    "A trusted intermediary introduced the partners",
    "A funder has shown interest",
    "Partners shared data openly",
    "The intent fits every partner's strategy",
)
DISBELIEVE = (
    "No partner has committed resources yet",
    "The payoff is unclear for one partner",
    "A key contact has left a partner organisation",
    "Day jobs crowd out the shared work",
    "Partners jockey for budget and control",
    "Legal and IP questions are unresolved",
    "The intent keeps changing between meetings",
    "Meetings are often cancelled",
)


def build(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Generate the lesson 03 tables (SYNTHETIC) with a seeded NumPy generator.

    Returns ``{path relative to datasets/: DataFrame}``: the panel, the time-to-cohere table, the
    reasons log, and the team-maturity questionnaire with its codebook. The same seed always gives
    the same bytes once written with :func:`helpers.cases.write_tables`.
    """
    panel_seed, reasons_seed, poll_seed = np.random.SeedSequence(seed).spawn(3)
    panel, teams = _panel(np.random.default_rng(panel_seed))
    cohere = _time_to_cohere(panel)
    return {
        PANEL: panel,
        TIME_TO_COHERE: cohere,
        REASONS: _reasons(np.random.default_rng(reasons_seed), panel),
        MATURITY: _questionnaire(np.random.default_rng(poll_seed), panel, teams),
        MATURITY_CODEBOOK: codebook(),
    }


def codebook() -> pd.DataFrame:
    """The team-maturity codebook (poll data model): 16 Likert items, one construct per Tuckman stage."""
    items = {key: (text, reverse, construct) for key, (text, construct, reverse) in ITEMS.items()}
    return pd.DataFrame(likert_codebook_rows(items, LIKERT))


# -- generation ---------------------------------------------------------------------------------------


def _time_to_cohere(panel: pd.DataFrame) -> pd.DataFrame:
    """Months from entering cohering until the first month in establishing, censored by an exit or the
    end of the study (simulated stages move one step at a time, so the first establishing month is
    the month the intent coheres)."""
    rows = []
    for name, spell in panel.groupby("initiative", sort=True):
        stages, months = spell["stage"].tolist(), spell["month"].tolist()
        if "cohering" not in stages:
            continue  # never at risk
        start = months[stages.index("cohering")]
        if "establishing" in stages:
            end_month, cohered, end = months[stages.index("establishing")], 1, "cohered"
        else:
            end_month, cohered = months[-1], 0
            end = EXIT if stages[-1] == EXIT else "still in progress"
        first = spell.iloc[0]
        rows.append(
            (
                name,
                end_month - start,
                cohered,
                end,
                end_month,
                first["type"],
                first["informal_network"],
                first["early_trust"],
            )
        )
    columns = ["initiative", "months", "cohered", "end", "end_month", "type", "informal_network", "early_trust"]
    return pd.DataFrame(rows, columns=columns)


def _panel(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    rows, teams = [], {}
    kinds = np.repeat(TYPES, N_INITIATIVES // 2)[rng.permutation(N_INITIATIVES)]
    for i in range(N_INITIATIVES):
        name = f"I{i + 1:03d}"
        kind = str(kinds[i])
        network = int(rng.random() < 0.5)
        trust = int(rng.random() < 0.5)
        stuck = bool(rng.random() < (P_STUCK_TRUST if trust else P_STUCK))
        follow_up = STUDY_MONTHS - int(rng.integers(0, START_WINDOW))
        stage, months_cohering = "latent value", 0
        for month in range(1, follow_up + 1):
            rows.append((name, month, stage, kind, network, trust))
            if stage in (EXIT, "meta-organisation"):
                break
            if stage == "cohering":
                months_cohering += 1
            stage = _next(rng, stage, kind, network, trust, stuck, months_cohering)
        teams[name] = stuck
    panel = pd.DataFrame(rows, columns=["initiative", "month", "stage", "type", "informal_network", "early_trust"])
    return panel, teams


def _next(rng, stage, kind, network, trust, stuck, months_cohering) -> str:
    """One month's move: to the next stage, out (exited), or staying put."""
    if stage == "latent value":
        on, out = P_LATENT_ON, P_LATENT_EXIT
    elif stage == "exploring":
        on, out = (NETWORK_EXPLORE if network else P_EXPLORE_ON), P_EXPLORE_EXIT
    elif stage == "cohering":
        on = (
            P_COHERE
            * (TRUST_HR if trust else 1)
            * (COALITION_HR if kind == "coalition" else 1)
            * (NETWORK_HR if network else 1)
        )
        out = (P_DRIFT + DRIFT_PER_MONTH * (months_cohering - 1)) * (TRUST_DRIFT if trust else 1)
    elif stage == "establishing":
        on, out = P_ESTABLISH_ON, P_ESTABLISH_EXIT
    elif stage == "teaming":
        on, out = (P_TEAM_ON_STUCK if stuck else P_TEAM_ON), P_TEAM_EXIT
    else:  # value creation
        on, out = P_VALUE_ON, P_VALUE_EXIT
    draw = rng.random()
    if draw < on:
        return STAGES[STAGES.index(stage) + 1]
    if draw < on + out:
        return EXIT
    return stage


def _reasons(rng: np.random.Generator, panel: pd.DataFrame) -> pd.DataFrame:
    """Reviews every month while exploring or cohering; the mix of reasons follows the outcome.

    Initiatives whose intent coheres log more reasons to believe and see reasons to disbelieve fall
    away; those that drift apart log more reasons to disbelieve in their last months. (The reasons
    are generated knowing the outcome, so a rule looks better here than it would in real life.)
    """
    rows = []
    for name, spell in panel.groupby("initiative", sort=True):
        stages = spell["stage"].tolist()
        reviews = spell.loc[spell["stage"].isin(["exploring", "cohering"]), "month"].tolist()
        if not reviews:
            continue
        cohered = any(s in STAGES[3:] for s in stages)
        exited_early = stages[-1] == EXIT and not cohered
        last = reviews[-1]
        standing: list[tuple[str, int, str]] = []
        for month in reviews:
            to_end = last - month
            if cohered:
                p_believe = 0.70
            elif exited_early:
                p_believe = 0.50 if to_end > 3 else 0.20
            else:
                p_believe = 0.55
            for entry in list(standing):
                kind, weight, reason = entry
                late_belief = exited_early and kind == "believe" and to_end <= 3
                fades = 0.25 if (cohered and kind == "disbelieve") or late_belief else 0.06
                if rng.random() < fades:
                    standing.remove(entry)
                    rows.append((name, month, kind, "drop", weight, reason))
            for _ in range(int(rng.poisson(1.1))):
                kind = "believe" if rng.random() < p_believe else "disbelieve"
                pool = BELIEVE if kind == "believe" else DISBELIEVE
                reason = pool[int(rng.integers(len(pool)))]
                if any(r == reason for _, _, r in standing):
                    continue  # already standing: nothing new to log
                weight = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
                standing.append((kind, weight, reason))
                rows.append((name, month, kind, "add", weight, reason))
    return pd.DataFrame(rows, columns=["initiative", "review", "kind", "action", "weight", "reason"])


def _questionnaire(rng: np.random.Generator, panel: pd.DataFrame, teams: dict) -> pd.DataFrame:
    """Team members answer the 16 items at teaming months 1, 4 and 7 (while still teaming)."""
    rows, number = [], 0
    for name, spell in panel.groupby("initiative", sort=True):
        teaming = spell.loc[spell["stage"] == "teaming", "month"].tolist()
        if not teaming:
            continue
        size = int(rng.integers(4, 11))
        parties = [PARTIES[j % len(PARTIES)] for j in range(size)]
        members = [f"R{number + j + 1:04d}" for j in range(size)]
        number += size
        first = rng.random() < 0.5  # wave 1: forming or already storming
        path = (
            ["forming" if first else "storming", "storming", "storming"]
            if teams[name]
            else ["forming" if first else "storming", "norming", "performing"]
        )
        for wave in range(MAX_WAVES):
            if wave * WAVE_EVERY >= len(teaming):
                break
            truth = TUCKMAN.index(path[wave])
            means = np.array(
                [
                    STAGE_MEAN if k == truth else NEAR_MEAN if abs(k - truth) == 1 else FAR_MEAN
                    for k in range(len(TUCKMAN))
                ]
            )
            for member, party in zip(members, parties, strict=True):
                person = rng.normal(0, PERSON_SD)
                for key, (_, construct, reverse) in ITEMS.items():
                    if rng.random() < 0.02:
                        continue  # an item left blank
                    score = int(
                        np.clip(np.rint(means[TUCKMAN.index(construct)] + person + rng.normal(0, ITEM_SD)), 1, 5)
                    )
                    answer = LIKERT[(6 - score if reverse else score) - 1]
                    rows.append((member, key, answer, party, name, f"wave {wave + 1}"))
    return pd.DataFrame(rows, columns=["respondent", "question", "answer", "party", "group", "wave"])
