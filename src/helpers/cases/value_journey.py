"""Lesson 03 case: the value-creation journey of consortia and coalitions (SYNTHETIC data).

The case follows the source article "Consortia and Coalitions: Embarking on Collaborative Journeys"
(seed 002, a ThinkPlace practitioner's "Ecosystem Value-Creation Journey"): a champion glimpses
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
    study. Derived from the panel with :func:`helpers.stats.markov.time_to_reach`.
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

This module also defines the layout of the non-poll tables and validates a user's own files with
pandera (:func:`read_panel`, :func:`read_reasons`), naming file, line, column and value.

>>> tables = build(7)
>>> sorted(tables)  # doctest: +NORMALIZE_WHITESPACE
['03_value_creation_journey/journey_panel.csv', '03_value_creation_journey/reasons_log.csv',
 '03_value_creation_journey/team_maturity.csv', '03_value_creation_journey/team_maturity_codebook.csv',
 '03_value_creation_journey/time_to_cohere.csv']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError

DEFAULT_SEED = 3003
FOLDER = "03_value_creation_journey"
PANEL = f"{FOLDER}/journey_panel.csv"
TIME_TO_COHERE = f"{FOLDER}/time_to_cohere.csv"
REASONS = f"{FOLDER}/reasons_log.csv"
MATURITY = f"{FOLDER}/team_maturity.csv"
MATURITY_CODEBOOK = f"{FOLDER}/team_maturity_codebook.csv"

#: The journey's stages in order, then the way out.
STAGES = ("latent value", "exploring", "cohering", "establishing", "teaming", "value creation",
          "meta-organisation")
EXIT = "exited"
STATES = (*STAGES, EXIT)
#: Other spellings accepted in a user's panel (after lower-casing and trimming).
ALIASES = {
    "latent": "latent value", "latent_value": "latent value", "explore": "exploring",
    "cohere": "cohering", "coherence": "cohering", "establish": "establishing",
    "journeying": "teaming", "value_creation": "value creation", "value": "value creation",
    "meta organisation": "meta-organisation", "meta-organization": "meta-organisation",
    "meta organization": "meta-organisation", "meta_organisation": "meta-organisation",
    "metaorganisation": "meta-organisation", "exit": "exited", "exits": "exited",
}
TYPES = ("consortium", "coalition")

# -- the simulation's truth (monthly probabilities) -------------------------------------------------
N_INITIATIVES = 120
STUDY_MONTHS = 36            # the study follows initiatives that start in months 1-24 until month 36
START_WINDOW = 24
P_LATENT_ON, P_LATENT_EXIT = 0.55, 0.05
P_EXPLORE_ON, NETWORK_EXPLORE, P_EXPLORE_EXIT = 0.22, 0.40, 0.04
P_COHERE, TRUST_HR, COALITION_HR, NETWORK_HR = 0.10, 2.2, 0.6, 1.3
P_DRIFT, DRIFT_PER_MONTH, TRUST_DRIFT = 0.04, 0.01, 0.5
P_ESTABLISH_ON, P_ESTABLISH_EXIT = 0.35, 0.02
P_TEAM_ON, P_TEAM_ON_STUCK, P_TEAM_EXIT = 0.12, 0.03, 0.03
P_STUCK, P_STUCK_TRUST = 0.40, 0.20
P_VALUE_ON, P_VALUE_EXIT = 0.10, 0.03

LIKERT = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
#: Team-maturity items: id -> (text, construct, reverse). Written for this workbook.
ITEMS = {
    "form_purpose": ("We are still working out what this collaboration is for.", "forming", False),
    "form_polite": ("People are polite and careful with each other in our meetings.", "forming", False),
    "form_role": ("I am not yet sure what is expected of me in this team.", "forming", False),
    "form_lead": ("We wait for the convenor to set the direction.", "forming", False),
    "storm_methods": ("Disagreements about methods keep coming back.", "storming", False),
    "storm_control": ("Partners compete for control of budget or key decisions.", "storming", False),
    "storm_interest": ("Some members put their own organisation's interests before the shared goal.",
                       "storming", False),
    "storm_settle": ("When we disagree, we settle it quickly and move on.", "storming", True),
    "norm_ways": ("We have agreed ways of working that most of us follow.", "norming", False),
    "norm_trust": ("I trust colleagues from the other organisations to deliver what they promise.",
                   "norming", False),
    "norm_feedback": ("We give each other honest feedback without it becoming personal.", "norming", False),
    "norm_roles": ("Roles and responsibilities across the partners are clear.", "norming", False),
    "perf_results": ("This team delivers results none of our organisations could achieve alone.",
                     "performing", False),
    "perf_adapt": ("We adapt our plans quickly when circumstances change.", "performing", False),
    "perf_decide": ("Decisions are made at the right level without escalation.", "performing", False),
    "perf_chase": ("Progress depends on a few people chasing everyone else.", "performing", True),
}
TUCKMAN = ("forming", "storming", "norming", "performing")
STAGE_MEAN, NEAR_MEAN, FAR_MEAN = 4.0, 3.0, 2.2   # item means for the team's stage, a neighbour, others
PERSON_SD, ITEM_SD = 0.35, 0.75
WAVE_EVERY, MAX_WAVES = 3, 3
PARTIES = ("Partner A", "Partner B", "Partner C", "Partner D")

BELIEVE = ("A partner brings a capability we lack", "Each partner can name its own payoff",
           "The champion has backing from their board", "An early pilot gave a positive result",
           "A trusted intermediary introduced the partners", "A funder has shown interest",
           "Partners shared data openly", "The intent fits every partner's strategy")
DISBELIEVE = ("No partner has committed resources yet", "The payoff is unclear for one partner",
              "A key contact has left a partner organisation", "Day jobs crowd out the shared work",
              "Partners jockey for budget and control", "Legal and IP questions are unresolved",
              "The intent keeps changing between meetings", "Meetings are often cancelled")


def build(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Generate the lesson 03 tables (SYNTHETIC) with a seeded NumPy generator.

    Returns ``{path relative to datasets/: DataFrame}``: the panel, the time-to-cohere table, the
    reasons log, and the team-maturity questionnaire with its codebook. The same seed always gives
    the same bytes once written with :func:`helpers.cases.write_tables`.
    """
    panel_seed, reasons_seed, poll_seed = np.random.SeedSequence(seed).spawn(3)
    panel, teams = _panel(np.random.default_rng(panel_seed))
    cohere = time_to_cohere(panel)
    return {
        PANEL: panel,
        TIME_TO_COHERE: cohere,
        REASONS: _reasons(np.random.default_rng(reasons_seed), panel),
        MATURITY: _questionnaire(np.random.default_rng(poll_seed), panel, teams),
        MATURITY_CODEBOOK: codebook(),
    }


def time_to_cohere(panel: pd.DataFrame) -> pd.DataFrame:
    """Months from entering cohering until the intent coheres (establishing or later), censored.

    Columns: ``initiative, months, cohered`` (1/0), ``end`` ("cohered", "exited" or "still in
    progress"), ``end_month``, and the covariates present in the panel (``type, informal_network,
    early_trust``). Drifting apart (exiting) counts as censoring: the curve answers "how fast do
    intents cohere while partners are still at the table" (a cause-specific view).
    """
    from ..stats.markov import time_to_reach

    keep = [c for c in ("type", "informal_network", "early_trust") if c in panel.columns]
    table = time_to_reach(panel, "establishing", start="cohering", order=STAGES, unit="initiative",
                          keep=keep)
    table = table.rename(columns={"reached": "cohered"})
    table["end"] = table["end"].replace({"reached": "cohered"})
    return table


#: Where the Markov chain stops the clock: value is created, or the journey ends.
ENDS = ("value creation", "meta-organisation", EXIT)


def where_they_are(panel: pd.DataFrame) -> pd.DataFrame:
    """How many initiatives were last seen in each stage: ended (exited, meta-organisation) or still on the way."""
    last = panel.sort_values(["initiative", "month"]).groupby("initiative")["stage"].last()
    counts = last.value_counts().reindex(STATES, fill_value=0)
    counts = counts[counts > 0]
    return pd.DataFrame(
        {
            "last stage seen": counts.index,
            "initiatives": counts.to_numpy(),
            "share": (counts / counts.sum()).round(3).to_numpy(),
            "status": ["ended" if s in (EXIT, "meta-organisation") else "still on the way" for s in counts.index],
        }
    )


def journey_chain(panel: pd.DataFrame):
    """The panel's month-to-month moves as a Markov chain over the stages it contains.

    States are the workbook's stages in journey order (only those present), then ``exited``;
    ``value creation``, ``meta-organisation`` and ``exited`` are absorbing: the clock stops when value
    is created or the journey ends.
    """
    from ..stats.markov import transition_matrix

    present = set(panel["stage"])
    states = [s for s in STATES if s in present]
    return transition_matrix(panel, states, absorbing=[s for s in ENDS if s in present], unit="initiative")


def expected_months(chain, *, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Expected months in each stage from the first stage to the end of the journey, with bootstrap CIs.

    When the panel cannot support the calculation (a stage never seen followed by another month),
    the table holds one ``note`` saying why instead of stopping the notebook.
    """
    try:
        return chain.expected_time(chain.transient[0], n_boot=n_boot, seed=seed)
    except (InputError, IndexError) as error:
        reason = str(error) if isinstance(error, InputError) else "no stage before the end of the journey"
        return pd.DataFrame({"note": [f"Expected times cannot be computed: {reason}"]})


def ending_chances(chain) -> pd.DataFrame:
    """Probability that a journey starting in the first stage ends in each absorbing state.

    Meta-organisation is left out when value creation is in the chain: it can only follow value
    creation, which already stops the clock.
    """
    try:
        table = chain.absorption(chain.transient[0])
        if "value creation" in chain.absorbing:
            table = table[table["end"] != "meta-organisation"].reset_index(drop=True)
        return table
    except (InputError, IndexError) as error:
        reason = str(error) if isinstance(error, InputError) else "no stage before the end of the journey"
        return pd.DataFrame({"note": [f"Ending chances cannot be computed: {reason}"]})


def cohering_outcomes(panel: pd.DataFrame) -> pd.DataFrame:
    """For each initiative that started exploring: did its intent cohere, did it drift apart, or is it open?

    Columns ``initiative, end`` ("cohered", "exited", "still in progress") and ``end_month``: the
    outcome a reasons rule tries to foresee.
    """
    from ..stats.markov import time_to_reach

    table = time_to_reach(panel, "establishing", start="exploring", order=STAGES, unit="initiative")
    table["end"] = table["end"].replace({"reached": "cohered"})
    return table[["initiative", "end", "end_month"]]


def check_columns(panel: pd.DataFrame, covariates, km_group) -> None:
    """Check that the parameters ``covariates`` and ``km_group`` name columns of the panel."""
    from ..errors import ParameterError

    for name, columns in (("covariates", list(covariates)), ("km_group", [km_group] if km_group else [])):
        for column in columns:
            if column not in panel.columns:
                raise ParameterError(
                    f"Parameter `{name}`: the panel has no column {column!r} (it has "
                    f"{', '.join(map(str, panel.columns))}). Name a panel column, or pass `-p {name} \"\"` "
                    "to leave it out."
                )


def codebook() -> pd.DataFrame:
    """The team-maturity codebook (poll data model): 16 Likert items, one construct per Tuckman stage."""
    return pd.DataFrame(
        [{"question": key, "text": text, "kind": "likert", "scale": "|".join(LIKERT),
          "reverse": "true" if reverse else "false", "construct": construct}
         for key, (text, construct, reverse) in ITEMS.items()]
    )


# -- generation ---------------------------------------------------------------------------------------


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
        on = P_COHERE * (TRUST_HR if trust else 1) * (COALITION_HR if kind == "coalition" else 1) \
            * (NETWORK_HR if network else 1)
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


# -- the layout of the non-poll tables, and validation of a user's own files -------------------------


def _schemas():
    import pandera.pandas as pa

    stage_check = pa.Check.isin(STATES, error=f"stage must be one of: {', '.join(STATES)}")
    panel = pa.DataFrameSchema(
        {
            "initiative": pa.Column(str, pa.Check.str_length(min_value=1), nullable=False),
            "month": pa.Column(int, pa.Check.ge(1), coerce=True, nullable=False),
            "stage": pa.Column(str, stage_check, nullable=False),
            "type": pa.Column(str, pa.Check.isin(TYPES), required=False, nullable=False),
            "informal_network": pa.Column(int, pa.Check.isin([0, 1]), coerce=True, required=False, nullable=False),
            "early_trust": pa.Column(int, pa.Check.isin([0, 1]), coerce=True, required=False, nullable=False),
        },
        strict=False,
    )
    reasons = pa.DataFrameSchema(
        {
            "initiative": pa.Column(str, pa.Check.str_length(min_value=1), required=False, nullable=False),
            "review": pa.Column(int, pa.Check.ge(1), coerce=True, nullable=False),
            "kind": pa.Column(str, pa.Check.isin(["believe", "disbelieve"]), nullable=False),
            "action": pa.Column(str, pa.Check.isin(["add", "drop"]), required=False, nullable=False),
            "weight": pa.Column(int, pa.Check.isin([1, 2, 3]), coerce=True, required=False, nullable=False),
            "reason": pa.Column(str, required=False, nullable=True),
        },
        strict=False,
    )
    return panel, reasons


_WANTED = {
    "initiative": "an initiative id (any text)",
    "month": "a whole month number, 1 or more",
    "stage": f"one of {', '.join(STATES)}",
    "type": "consortium or coalition",
    "informal_network": "1 (started from an informal network) or 0",
    "early_trust": "1 (early trust-building) or 0",
    "review": "a whole review number, 1 or more",
    "kind": "believe or disbelieve",
    "action": "add or drop",
    "weight": "1, 2 or 3",
}


def validate_panel(frame: pd.DataFrame, *, source: str = "panel", lines=None) -> pd.DataFrame:
    """Check a journey panel and return it cleaned (stage labels canonical, numbers as integers).

    Required columns: ``initiative, month, stage``; optional covariates ``type`` (consortium |
    coalition), ``informal_network`` and ``early_trust`` (1 | 0). Rules: months consecutive within an
    initiative with no repeats; nothing after ``exited`` or ``meta-organisation``; covariates fixed
    per initiative. Any problem raises :class:`~helpers.errors.InputError` naming file, line,
    column and value (``lines``: the file line of each row; default row + 2, as under a header).
    """
    frame = frame.copy()
    lines = list(lines) if lines is not None else [i + 2 for i in range(len(frame))]
    frame.index = range(len(frame))
    _require(frame, ["initiative", "month", "stage"], source)
    frame["initiative"] = frame["initiative"].astype(str).str.strip()
    frame["stage"] = frame["stage"].map(canonical_stage)
    if "type" in frame.columns:
        frame["type"] = frame["type"].astype(str).str.strip().str.casefold()
    schema, _ = _schemas()
    frame = _validate(schema, frame, source, lines)
    frame = frame.sort_values(["initiative", "month"], kind="stable")
    same = frame["initiative"].eq(frame["initiative"].shift())
    checks = [
        (
            "month",
            same & frame["month"].diff().ne(1),
            lambda r, p: (
                f"initiative {r['initiative']!r}: month {r['month']} follows month {p['month']}; give one "
                "row per initiative and month, with no gaps or repeats."
            ),
        ),
        (
            "stage",
            same & frame["stage"].shift().isin([EXIT, "meta-organisation"]),
            lambda r, p: (
                f"initiative {r['initiative']!r}: a row follows the end of its journey ({p['stage']}); "
                "the panel should stop at exited or meta-organisation."
            ),
        ),
    ] + [
        (
            column,
            same & frame[column].ne(frame[column].shift()),
            lambda r, p, column=column: (
                f"initiative {r['initiative']!r}: {column} changes between months; it "
                "describes the initiative and must be the same on all its rows."
            ),
        )
        for column in ("type", "informal_network", "early_trust")
        if column in frame.columns
    ]
    for column, bad, message in checks:
        if bad.any():
            at = bad.idxmax()
            previous = frame.index[frame.index.get_loc(at) - 1]
            raise InputError(
                message(frame.loc[at], frame.loc[previous]),
                file=source,
                line=lines[at],
                column=column,
                value=frame.loc[at, column],
            )
    return frame.reset_index(drop=True)


def validate_reasons(frame: pd.DataFrame, *, source: str = "reasons log", lines=None) -> pd.DataFrame:
    """Check a reasons log (``review, kind`` required; ``initiative, action, weight, reason`` optional).

    Labels are matched without regard to case; missing optional columns get their defaults
    (one initiative, action "add", weight 1). Problems raise :class:`~helpers.errors.InputError`
    with file, line, column and value.
    """
    frame = frame.copy()
    lines = list(lines) if lines is not None else [i + 2 for i in range(len(frame))]
    frame.index = range(len(frame))
    _require(frame, ["review", "kind"], source)
    for column in ("kind", "action"):
        if column in frame.columns:
            frame[column] = frame[column].astype(str).str.strip().str.casefold()
    if "action" in frame.columns:
        frame["action"] = frame["action"].replace({"": "add", "nan": "add"})
    _, schema = _schemas()
    frame = _validate(schema, frame, source, lines)
    defaults = {"initiative": "my initiative", "action": "add", "weight": 1, "reason": ""}
    for column, value in defaults.items():
        if column not in frame.columns:
            frame[column] = value
    return frame


def canonical_stage(value) -> str:
    """A stage label in the workbook's spelling ("Meta-Organization" -> "meta-organisation")."""
    text = " ".join(str(value).strip().casefold().split())
    return ALIASES.get(text, ALIASES.get(text.replace(" ", "_"), text))


def read_panel(path: str | Path) -> pd.DataFrame:
    """Read and validate a journey panel file (CSV or XLSX); see :func:`validate_panel`."""
    return _read(path, validate_panel)


def read_reasons(path: str | Path) -> pd.DataFrame:
    """Read and validate a reasons log file (CSV or XLSX); see :func:`validate_reasons`."""
    return _read(path, validate_reasons)


def _read(path, validate):
    from ..polls.read import read_table

    table = read_table(path)
    frame = table.frame.replace({"": np.nan})
    frame.columns = [str(c).strip().casefold() for c in frame.columns]
    return validate(frame, source=Path(path).name, lines=table.lines)


def _require(frame, columns, source) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"the file has no column {missing[0]!r}; it needs {', '.join(columns)} "
            f"(it has {', '.join(map(str, frame.columns))}).",
            file=source,
        )


def _validate(schema, frame, source, lines):
    import pandera.pandas as pa

    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases
        located = cases[cases["index"].notna()]
        if located.empty:
            first = cases.iloc[0]
            raise InputError(f"column {first['column']!r} is not usable ({first['check']}).", file=source) from None
        located = located.assign(_row=located["index"].astype(int)).sort_values("_row", kind="stable")
        first = located.iloc[0]
        column, row = first["column"], int(first["_row"])
        more = len(located["_row"].unique()) - 1
        tail = f" ({more} more row{'s' if more != 1 else ''} with problems.)" if more else ""
        raise InputError(
            f"{column} must be {_WANTED.get(column, 'valid')}. Fix the value and run again.{tail}",
            file=source,
            line=lines[row],
            column=column,
            value=frame.loc[row, column],
        ) from None
