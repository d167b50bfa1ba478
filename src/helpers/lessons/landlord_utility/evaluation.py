"""Lesson 01, the evaluation: what changed after the appreciative-inquiry day, and for whom.

Thin steps the notebook calls, each working on any evaluation data in the lesson's layout (tidy
poll data with a ``wave`` column; the bundled data come from :mod:`helpers.cases.landlord_utility`):
people per wave, the small-n change tables (exact Wilcoxon signed-rank, Hodges-Lehmann shift,
bootstrap CI, from :mod:`helpers.stats.change`), change within each party, and the sample size for
planning the next evaluation.
"""

from __future__ import annotations

import pandas as pd

from ...errors import InputError


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


def people_by_wave(responses: pd.DataFrame, waves) -> pd.DataFrame:
    """Number of people who answered at each wave, by party when there is a party column."""
    scored = responses[responses["wave"].astype(str).isin(list(waves))]
    if "party" in scored.columns and scored["party"].notna().any():
        table = scored.pivot_table(
            index="wave", columns="party", values="respondent", aggfunc="nunique", observed=True, fill_value=0
        )
        table["all"] = scored.groupby("wave", observed=True)["respondent"].nunique()
    else:
        table = scored.groupby("wave", observed=True)["respondent"].nunique().rename("all").to_frame()
    table = table.reindex(list(waves)).fillna(0).astype(int)
    table.columns.name = None
    return table


def changes_from_baseline(responses: pd.DataFrame, waves, *, seed: int = 0, min_group_size: int = 5) -> pd.DataFrame:
    """:func:`helpers.stats.change.change_by_question` from the first wave to each later one, stacked
    with a ``comparison`` column (``"pre -> post"``...)."""
    from ...stats import change

    frames = []
    for later in waves[1:]:
        table = change.change_by_question(responses, waves[0], later, seed=seed, min_group_size=min_group_size)
        table.insert(0, "comparison", f"{waves[0]} -> {later}")
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def focus_results(
    responses: pd.DataFrame, question: str, before: str, after: str, *, seed: int = 0, min_group_size: int = 5
) -> pd.DataFrame:
    """The three small-n summaries (signed-rank, Hodges-Lehmann, bootstrap) for one question.

    With fewer than ``min_group_size`` complete pairs nothing is computed: one row says so.
    """
    from ...stats import change, results_table

    pairs = change.pair_waves(responses, before, after)
    pairs = pairs[pairs["question"] == question]
    if len(pairs) < min_group_size:
        return pd.DataFrame(
            [{"question": question, "pairs": len(pairs), "note": f"suppressed: fewer than {min_group_size} pairs"}]
        )
    results = change.paired_change(pairs["before"], pairs["after"], seed=seed)
    table = results_table(results)
    # The exact interval's coverage is what the discrete distribution allows (96.1% for 9 pairs):
    # one CI column plus its level, rather than one column per level.
    levels = [c for c in table.columns if c.endswith("% CI")]
    table["CI"] = table[levels].bfill(axis=1).iloc[:, 0].fillna("")
    table["CI level"] = ["" if r.ci is None else f"{r.ci_level:.1%}" for r in results]
    order = [c for c in table.columns if c not in levels and c not in ("CI", "CI level", "interpretation")]
    return table[order[:3] + ["CI", "CI level"] + order[3:] + ["interpretation"]].fillna("")


def party_change(
    responses: pd.DataFrame, before: str, after: str, *, seed: int = 0, min_group_size: int = 5
) -> pd.DataFrame:
    """Change within each party, with small groups (and their complements) suppressed."""
    from ...stats import change

    if "party" not in responses.columns or responses["party"].isna().all():
        return pd.DataFrame([{"note": "the data have no party column"}])
    return change.compact(
        change.change_by_group(responses, before, after, group="party", seed=seed, min_group_size=min_group_size)
    )


def planning_table(effect_size: float, *, alpha: float = 0.05, power: float = 0.80) -> pd.DataFrame:
    """People to recruit for the next evaluation: paired design, and two groups (with a comparison group)."""
    from ...stats import change

    rows = []
    for design, label in (
        ("paired", "same people before and after"),
        ("two-group", "workshop group vs comparison group"),
    ):
        result = change.sample_size(effect_size, design=design, alpha=alpha, power=power)
        rows.append(
            {
                "design": label,
                "d": effect_size,
                "n (exact)": round(result.estimate, 2),
                "n to recruit": result.n,
                "people in all": result.details["total"],
                "n if analysed with Wilcoxon": result.details["n_wilcoxon"],
            }
        )
    return pd.DataFrame(rows)
