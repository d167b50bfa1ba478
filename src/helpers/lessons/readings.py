"""Plain-language readings for the practitioner track of lessons 01-05, generated from the results.

Each function takes what the lesson's notebook has already computed (results, tables) and returns a
:class:`~helpers.notebook.Note`: a few Markdown bullets that say what the result means for the
partnership, how sure we can be and, where the lesson has one, what to do next. The wording of a single
result comes from :func:`helpers.stats.readings.reading`; this module only adds each lesson's words
(its subjects, "the partnership", the next step), so a reading stays right when a trainer runs the
notebook on the room's own data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..notebook import Note
from ..stats.readings import reading
from ..stats.result import Result

if TYPE_CHECKING:
    import pandas as pd


def _note(title: str, lines: Sequence[str]) -> Note:
    return Note(f"**{title}**\n\n" + "\n".join(f"- {line}" for line in lines))


def _share(value: float) -> str:
    return f"{value:.0%}"


# --- 01 landlord and utility -------------------------------------------------------------------------


def landlord_changes(
    responses: pd.DataFrame, waves: Sequence[str], labels: Mapping[str, str], *, min_group_size: int = 5
) -> Note:
    """Did each rating move from the first wave to each later one? One bullet per question and wave.

    The shift is the Hodges-Lehmann estimate with its exact interval (the analyst track's table).
    """
    from ..stats import change

    lines = []
    for later in waves[1:]:
        pairs = change.pair_waves(responses, waves[0], later)
        for question, part in pairs.groupby("question", sort=False):
            label = labels.get(str(question), str(question))
            if len(part) < min_group_size:
                lines.append(f"*{label}*, {waves[0]} to {later}: fewer than {min_group_size} people, not shown.")
                continue
            result = change.hodges_lehmann(part["before"], part["after"])
            text = reading(result, subject=f"*{label}* ({waves[0]} to {later})", digits=1)
            lines.append(text)
    lines.append(
        "These are the same few people, rated by the facilitator who ran the day, with no comparison group: "
        "read a rise as encouraging, not as proof that the day caused it."
    )
    return _note("What the ratings say, in plain words (higher is better on every item)", lines)


def landlord_planning(planned_effect: float, n_now: int) -> Note:
    """How many people the next evaluation needs to notice a change of ``planned_effect`` (Cohen's d)."""
    from ..stats import change

    paired = change.sample_size(planned_effect, design="paired")
    groups = change.sample_size(planned_effect, design="two-group")
    chance = change.power(planned_effect, n_now)
    size = "small" if planned_effect < 0.5 else "medium" if planned_effect < 0.8 else "large"
    lines = [
        f"To be fairly sure (80%) of noticing a {size} change, the next evaluation needs about "
        f"{math.ceil(paired.estimate)} people rated before and after, or {math.ceil(groups.estimate)} in a "
        f"workshop group and as many again in a comparison group that had no workshop.",
        f"With the {n_now} people we have, a change of that size would be noticed only about "
        f"{_share(chance.estimate)} of the time.",
        "A comparison group is the only way to tell the workshop's effect from everything else that happened.",
    ]
    return _note("Planning the next evaluation", lines)


def landlord_contracts(summary: pd.DataFrame) -> Note:
    """The simulated rigid and flexible contracts compared, from ``contracts.summarise``."""
    rows = {row["contract"]: row for _, row in summary.iterrows()}
    lines = []
    for name, row in rows.items():
        band = f" (tolerance band {row['tolerance']:g} weeks)" if row["tolerance"] else ""
        lines.append(
            f"The **{name}** contract{band} was renegotiated {row['mean_renegotiations']:.1f} times per project "
            f"on average, and in {_share(row['share_any_renegotiation'])} of projects at least once; "
            f"half the projects finished more than {row['median_delay_weeks']:.0f} weeks late."
        )
    if "flexible" in rows:
        lines.append(
            f"The price of flexibility: the dates drifted by {rows['flexible']['mean_drift_weeks']:.1f} weeks on "
            "average before anyone formally looked, so a flexible contract needs regular joint reviews."
        )
    lines.append(f"These are {int(summary['simulations'].iloc[0]):,} simulated projects with illustrative numbers.")
    return _note("What the simulation says", lines)


# --- 02 Roffey Park alliances ------------------------------------------------------------------------


def roffey_levels(tests: Mapping[str, Result], labels: Mapping[str, str] | None = None) -> Note:
    """Do the three levels of staff see the alliance differently? One bullet per scale."""
    labels = labels or {}
    lines = [
        reading(result, subject=f"On *{labels.get(name, name.replace('_', ' '))}*, the levels")
        for name, result in tests.items()
    ]
    lines.append(
        "Where the levels differ, the people who set the alliance up are not the best judges of how it "
        "feels to work in it: ask all three levels."
    )
    return _note("Do the levels see the alliance differently?", lines)


def roffey_moderation(result: Result) -> Note:
    """Do formal processes and informal relationships work together? From ``moderation.moderation``."""
    names = result.details.get("names", {})
    x = str(names.get("x", "formal processes")).replace("_", " ")
    m = str(names.get("m", "informal relationships")).replace("_", " ")
    y = str(names.get("y", "effectiveness")).replace("_", " ")
    slopes = result.details["simple_slopes"]
    low, high = slopes.iloc[0], slopes.iloc[-1]
    lines = [
        reading(result, subject=f"{_cap(x)} and {m}", verbs=("strengthen each other", "weaken each other")),
        f"Each extra point of {x} goes with {low['slope']:+.2f} points of {y} where {m} are weak, and "
        f"{high['slope']:+.2f} where they are strong.",
        "In the report's words: the formal side is the backbone, relationships are the flesh; each does more "
        "with the other.",
    ]
    return _note("Backbone and flesh, in plain words", lines)


def roffey_condition(result: Result, threshold: float) -> Note:
    """The 'sound business case first' test in words, from ``moderation.condition_test``."""
    slopes = result.details["slopes"].set_index("condition")
    lines = []
    for condition, words in (
        ("met", f"seen as sound (a score of {threshold:g} or more)"),
        ("not met", "not seen as sound"),
    ):
        if condition not in slopes.index:
            continue
        row = slopes.loc[condition]
        verdict = (
            "it could be no link at all"
            if row["ci_low"] <= 0 <= row["ci_high"]
            else "a clear link"
            if row["ci_low"] > 0
            else "a clear negative link"
        )
        lines.append(
            f"Where the business case is {words}, each point of better relationships goes with "
            f"{row['slope']:+.2f} points of effectiveness (between {row['ci_low']:+.2f} and {row['ci_high']:+.2f}; "
            f"{int(row['n'])} people): {verdict}."
        )
    lines.append(
        reading(
            result,
            subject="The link between relationships and effectiveness",
            verbs=("is stronger where the case is sound", "is weaker where the case is sound"),
        )
    )
    lines.append("A survey cannot show what causes what, and the business case is each person's perception.")
    return _note("A sound business case first?", lines)


def roffey_culture(distances: pd.DataFrame, threshold: float) -> Note:
    """The most and least distant partner pairs and their friction points, from ``partner_distances``."""
    if distances.empty:
        return Note("No pair of partners has enough respondents to compare cultures.")
    ordered = distances.sort_values("euclidean", ascending=False, ignore_index=True)
    first, last = ordered.iloc[0], ordered.iloc[-1]
    friction = _friction(first)
    lines = [
        f"The most different partners are **{first['A']}** and **{first['B']}** "
        f"({first['euclidean']:.1f} scale points apart)"
        + (f"; they differ by more than {threshold:g} point on {friction}." if friction else "."),
        f"The most alike are **{last['A']}** and **{last['B']}** ({last['euclidean']:.1f} points apart).",
        "Expect different cultures and agree early how decisions are taken and escalated, and who signs off what.",
    ]
    return _note("Cultural differences, in plain words", lines)


def _friction(row) -> str:
    for column in ("friction points", "friction_points", "friction"):
        if column in row.index and isinstance(row[column], str) and row[column]:
            return row[column]
    return ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- 03 value-creation journey -----------------------------------------------------------------------

#: Plain words for the bundled panel's covariates (a researcher's own columns are shown as named).
TERM_WORDS = {
    "early_trust": "Initiatives whose partners built trust early",
    "informal_network": "Initiatives that grew out of an informal network",
    "type: coalition vs consortium": "Coalitions (compared with consortia)",
}


#: How the bundled panel's named groups (``value_journey.GROUP_LABELS``) read in a sentence.
GROUP_WORDS = {
    ("early_trust", "no early trust-building"): "the initiatives whose partners did not build trust early",
    ("early_trust", "early trust-building"): "the initiatives whose partners built trust early",
    ("informal_network", "no informal network"): "the initiatives that did not grow out of an informal network",
    ("informal_network", "from an informal network"): "the initiatives that grew out of an informal network",
}
ENDING_WORDS = {"exited": "an exit"}


def journey_stalls(stalls: pd.DataFrame, endings: pd.DataFrame) -> Note:
    """Where initiatives stall, and how journeys end, from ``chain.stalls()`` and ``ending_chances``."""
    worst = stalls.loc[stalls["p_stay"].idxmax()]
    result = Result(
        "Proportion (Wilson score interval)",
        float(worst["p_stay"]),
        int(worst["months"]),
        ci=(float(worst["ci_low"]), float(worst["ci_high"])),
    )
    ends = {ENDING_WORDS.get(row["end"], row["end"]): row["probability"] for _, row in endings.iterrows()}
    lines = [
        f"Initiatives stall longest in **{worst['stage']}**: a spell there lasts about {worst['mean_spell']:.1f} "
        f"months on average. "
        + reading(
            result,
            subject=f"of the months in {worst['stage']} were followed by another month in {worst['stage']}",
            n_unit="initiative-months",
        ),
        "Of journeys that start at the first stage, "
        + ", ".join(f"about {_share(p)} end in {end}" for end, p in ends.items())
        + ".",
    ]
    return _note("Where journeys stall", lines)


def journey_cohering(
    medians: Mapping[str, Result], group: str | None, test: Result | None, hazard_ratios: Sequence[Result] = ()
) -> Note:
    """How long partners take to cohere, what goes with sooner cohering, from the survival results."""
    lines = []
    for label, result in medians.items():
        who = (
            "the initiatives"
            if not group or label == "all"
            else GROUP_WORDS.get((group, str(label)), f"the initiatives with {group} = {label}")
        )
        lines.append(
            reading(result, subject=f"Half of {who}", n_unit="initiatives", digits=0).replace(
                " or less;", " or less to cohere;"
            )
        )
    if test is not None:
        lines.append(reading(test, subject="the groups' times to cohere", n_unit="initiatives"))
    for hr in hazard_ratios:
        term = str(hr.details.get("term", "this group"))
        lines.append(
            reading(hr, subject=TERM_WORDS.get(term, f"Initiatives with {term}"), n_unit="initiatives").replace(
                "moves on", "cohere"
            )
        )
    lines.append(
        "These are observations, not an experiment: partners who build trust early may differ in other ways too."
    )
    return _note("Time to cohere, in plain words", lines)


def journey_rule(versus: pd.DataFrame) -> Note:
    """Would the reasons rule have warned? From ``journey.rule_versus_outcome``."""
    exits = versus[versus["decision"] == "graceful exit"].set_index("outcome")["initiatives"]
    told = int(exits.sum())
    drifted = int(exits.get("exited", 0))
    cohered = int(exits.get("cohered", 0))
    return _note(
        "Would the rule have warned?",
        [
            f"The rule told {told} initiatives to exit gracefully: {drifted} of them did drift apart later, "
            f"{cohered} cohered anyway (false alarms), and the rest are still open.",
            "A rule like this is best used to open the conversation about continuing, not to decide it.",
        ],
    )


# --- 04 Things That Matter ---------------------------------------------------------------------------


def ttm_within(concordance: Mapping[str, Result]) -> Note:
    """Does each party agree with itself? ``{party: kendalls_w result}``."""
    lines = [reading(result, subject=f"The {party}'s members") for party, result in concordance.items()]
    lines.append(
        "W runs from 0 (the members ranked at random) to 1 (every member gave the same ranking). "
        "Agreement within a party is what lets us speak of 'the Client's priorities' at all."
    )
    return _note("Does each party agree with itself?", lines)


def ttm_alignment(results: Sequence[Result]) -> Note:
    """Do the two parties want the same things? The tau-b result of ``Workshop.alignment``."""
    if not results:
        return Note("One party is too small to show, so the parties cannot be compared.")
    tau = results[0]
    return _note(
        "Do the parties want the same things?",
        [
            reading(
                tau,
                subject="The two parties' priorities",
                n_unit="things ranked",
                next_step="Look at the things one by one in the chart: that is where the conversation starts.",
            ),
            "τ (tau) runs from −1 (exactly opposite orders) through 0 (unrelated) to +1 (the same order).",
        ],
    )


def ttm_empathy(gaps: Mapping) -> Note:
    """How well does each party know the other? ``{party: EmpathyGap}`` from ``Workshop.empathy``."""
    lines = []
    for party, gap in gaps.items():
        partner = gap.labels[1]
        lines.append(
            reading(
                gap.alignment,
                subject=f"The {partner}'s guess of the {party}'s order and the real order",
                n_unit="people",
            )
        )
        things = gap.things
        low, high = (
            things.columns[things.columns.str.endswith("CI low")][0],
            things.columns[things.columns.str.endswith("CI high")][0],
        )
        clear = things[(things[low] > 0) | (things[high] < 0)]
        for _, row in clear.sort_values("gap", key=abs, ascending=False).iterrows():
            ends = sorted((abs(row[low]), abs(row[high])))
            how, where = ("under-rates", "further down") if row["gap"] > 0 else ("over-rates", "further up")
            lines.append(
                f"The {partner} {how} *{row['thing']}*: its guess puts it {abs(row['gap']):.1f} places {where} the "
                f"{party}'s list than the {party}'s own members did (between {ends[0]:.1f} and {ends[1]:.1f}), "
                "a clear gap to talk about."
            )
    return _note("Does each party know what matters to the other?", lines)


def ttm_poll(agreement: pd.DataFrame, texts: Mapping[str, str]) -> Note:
    """Shares who agree with each poll statement, from ``WebinarPoll.agreement()``."""
    from ..stats.proportions import wilson_ci

    lines = []
    for _, row in agreement.iterrows():
        if not isinstance(row["n"], (int, float)) or not math.isfinite(row["n"]):
            continue
        result = wilson_ci(int(row["agree"]), int(row["n"]))
        text = str(texts.get(row["question"], row["question"])).rstrip(".")
        lines.append(reading(result, subject=f"agree that “{text}”"))
    return _note("The will and the way, in plain words", lines)


def ttm_members_alike(within: pd.DataFrame) -> Note:
    """Do a party's members answer alike? From ``WebinarPoll.agreement_within()``."""
    lines = []
    for _, row in within.iterrows():
        if not math.isfinite(row.get("estimate", math.nan)):
            continue
        result = Result(str(row["method"]), float(row["estimate"]), int(row["people"]))
        items = re.sub(r"^(.+) \((\d+) items\)$", r"the \2 '\1' statements", str(row["items"]))
        items = items.replace(" (units)", "")
        lines.append(reading(result, subject=f"The {row['party']}'s members, on {items},", n_unit="people"))
    lines.append(
        "Both measures run from 0 (answers as varied as if given at random) to 1 (every member gives the "
        "same answer): the lower they are, the more careful we must be in saying 'the Client thinks...'."
    )
    return _note("Do a party's members answer alike?", lines)


def ttm_find_out(result: Result) -> Note:
    """Do the parties find out about their partners in different ways? A chi-square/Cramér's V result."""
    return _note(
        "Do the parties find out in different ways?",
        [
            reading(result, subject="Party and the way people find out"),
            "V runs from 0 (both parties answer alike) to 1 (the party decides the answer).",
        ],
    )


# --- 05 partnership health check ---------------------------------------------------------------------


def health_gaps(gaps: pd.DataFrame) -> Note:
    """Partner versus partner on every dimension, from ``instrument.partner_gaps``."""
    lines = []
    for _, row in gaps.iterrows():
        if row.get("suppressed"):
            lines.append(f"*{row['dimension']}*: {row['note']}.")
            continue
        result = Result(
            "Difference of means (Welch)",
            float(row["difference"]),
            int(row["n_a"] + row["n_b"]),
            ci=(float(row["ci_low"]), float(row["ci_high"])),
        )
        lines.append(
            reading(
                result,
                subject=f"On *{row['dimension']}*, {row['party_a']}'s staff",
                verbs=(f"score higher than {row['party_b']}'s", f"score lower than {row['party_b']}'s"),
                unit="points",
            )
        )
    lines.append(
        "With seven dimensions compared at once, treat a borderline gap as a lead to explore in "
        "conversation, not as proof."
    )
    return _note("Where the partners see the partnership differently", lines)
