"""Paired change on the workbook's tidy poll data: pair two waves, then test every question.

:func:`pair_waves` pairs each respondent's answers at two waves; :func:`change_by_question` and
:func:`change_by_group` run the small-n summaries of :mod:`helpers.stats.change` (signed-rank test,
Hodges-Lehmann shift, bootstrap) on every question, with Holm-adjusted p-values and small-group
suppression; :func:`compact` makes the table readable.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import InputError

# --------------------------------------------------------------------------------------------


def pair_waves(responses, before: str, after: str, *, wave: str = "wave", value: str = "value", by: str = "question"):
    """Pair each respondent's answer at wave ``before`` with their answer at wave ``after``.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy answers with columns ``respondent``, ``by`` (default ``question``), ``wave`` and the
        numeric ``value`` (as in :attr:`helpers.polls.PollData.responses`).
    before, after : str
        The two wave labels, e.g. ``"pre"`` and ``"post"``.

    Returns
    -------
    pandas.DataFrame
        One row per respondent and question with both answers: ``by``, ``respondent``,
        ``before``, ``after``, ``difference`` (after - before), sorted. Respondents who answered at
        only one of the two waves are left out; :func:`change_by_question` counts them.
    """
    missing = [c for c in ("respondent", by, wave, value) if c not in responses.columns]
    if missing:
        raise InputError(
            f"The responses have no column {missing[0]!r}; pairing waves needs respondent, {by}, {wave} and {value}."
        )
    waves = set(responses[wave].dropna().astype(str))
    for label in (before, after):
        if label not in waves:
            raise InputError(
                f"No answers at wave {label!r}; the waves in the data are "
                f"{', '.join(sorted(map(repr, waves))) or 'none'}.",
                column=wave,
                value=label,
            )
    frame = responses.loc[
        responses[wave].astype(str).isin([before, after]) & responses[value].notna(), ["respondent", by, wave, value]
    ].copy()
    frame[wave] = frame[wave].astype(str)
    wide = frame.pivot_table(index=[by, "respondent"], columns=wave, values=value, aggfunc="mean", observed=True)
    wide = wide.reindex(columns=[before, after]).dropna().reset_index()
    wide.columns = [by, "respondent", "before", "after"]
    wide["difference"] = wide["after"] - wide["before"]
    return wide.sort_values([by, "respondent"], ignore_index=True)


def change_by_question(
    responses,
    before: str,
    after: str,
    *,
    questions: Sequence[str] | None = None,
    ci_level: float = 0.95,
    seed: int = 0,
    min_group_size: int = 5,
    by: str = "question",
    wave: str = "wave",
    value: str = "value",
):
    """Paired change from wave ``before`` to wave ``after`` for every question, one row each.

    Each row holds the number of complete pairs, the respondents seen at only one of the two waves,
    the pairs with no change (dropped by the signed-rank test, Wilcoxon's convention: the
    rank-biserial ``r`` then describes only those who moved), the medians at both waves, the
    Hodges-Lehmann shift with its exact interval, the bootstrap
    interval of the median change, the signed-rank ``T`` and p-value, the Holm-adjusted p-value
    across the questions in the table (Holm 1979, statsmodels ``multipletests``) and the
    rank-biserial ``r``. Questions with fewer than ``min_group_size`` pairs are kept as a row but
    their numbers are suppressed (privacy, and too few to say anything).

    Returns
    -------
    pandas.DataFrame sorted by ``by``; numeric columns are floats (NaN where suppressed or where
    nobody changed).
    """
    import pandas as pd

    from .change import bootstrap_ci, hodges_lehmann, signed_rank
    from .multitest import multipletests

    pairs = pair_waves(responses, before, after, wave=wave, value=value, by=by)
    present = responses.loc[responses[wave].astype(str).isin([before, after]) & responses[value].notna()]
    seen = present.groupby(by, observed=True)["respondent"].nunique()
    wanted = list(questions) if questions is not None else sorted(seen.index.astype(str))
    rows = []
    for question in wanted:
        group = pairs[pairs[by] == question]
        n = len(group)
        row = {by: question, "n_pairs": n, "unpaired": int(seen.get(question, 0)) - n}
        if n < min_group_size:
            row["note"] = f"suppressed: fewer than {min_group_size} pairs"
            rows.append(row)
            continue
        hl = hodges_lehmann(group["before"], group["after"], ci_level=ci_level)
        boot = bootstrap_ci(group["before"], group["after"], ci_level=ci_level, seed=seed)
        hl_ci, boot_ci = hl.ci or (np.nan, np.nan), boot.ci or (np.nan, np.nan)
        row.update(
            {
                "no_change": int((group["difference"] == 0).sum()),
                "median_before": float(group["before"].median()),
                "median_after": float(group["after"].median()),
                "hl_shift": hl.estimate,
                "hl_low": hl_ci[0],
                "hl_high": hl_ci[1],
                "hl_coverage": hl.ci_level,
                "boot_low": boot_ci[0],
                "boot_high": boot_ci[1],
            }
        )
        if (group["difference"] != 0).any():
            test = signed_rank(group["before"], group["after"])
            row.update(
                {"T": test.statistic, "p": test.p_value, "r_rb": test.estimate, "note": f"{test.interpretation} r"}
            )
        else:
            row["note"] = "nobody changed"
        rows.append(row)
    table = pd.DataFrame(rows)
    columns = [by, *_TABLE_COLUMNS]
    table = table.reindex(columns=columns)
    tested = table["p"].notna()
    if tested.any():
        table.loc[tested, "p_holm"] = multipletests(table.loc[tested, "p"], method="holm")[1]
    table["no_change"] = table["no_change"].astype("Int64")
    for column in columns[4:-1]:
        table[column] = table[column].astype(float)
    return table.sort_values(by, ignore_index=True)


def change_by_group(responses, before: str, after: str, *, group: str = "party", min_group_size: int = 5, **options):
    """:func:`change_by_question` within each level of ``group`` (e.g. party), stacked.

    Privacy: for every question, the groups chosen by
    :func:`helpers.polls.privacy.groups_to_suppress` are blanked -- those with fewer than
    ``min_group_size`` pairs and, when exactly one is that small, the next smallest too, because the
    whole-group figures shown beside them would otherwise give it away by differencing
    (complementary suppression). The rows stay, with a note, so a reader sees what was withheld.
    """
    import pandas as pd

    from ..polls.privacy import groups_to_suppress

    if group not in responses.columns:
        raise InputError(f"The responses have no column {group!r} to split the change by.")
    pairs = pair_waves(responses, before, after)
    pairs = pairs.merge(responses[["respondent", group]].drop_duplicates(), on="respondent")
    sizes = pairs.groupby(["question", group], observed=True).size()
    hidden = {
        (question, level)
        for question, counts in sizes.groupby(level=0)
        for level in groups_to_suppress(counts.droplevel(0).to_dict(), min_group_size)
    }
    frames = []
    for level, part in responses.groupby(group, observed=True, sort=True):
        shown = (
            any((q, level) not in hidden for q in sizes.xs(level, level=group).index)
            if level in sizes.index.get_level_values(group)
            else False
        )
        # a group withheld for every question is not computed at all
        table = change_by_question(part, before, after, min_group_size=2 if shown else 10**9, **options)
        table.insert(0, group, level)
        frames.append(table)
    table = pd.concat(frames, ignore_index=True)
    blank = [c for c in _TABLE_COLUMNS if c not in ("n_pairs", "unpaired", "note")]
    withheld = [
        (q, level) in hidden or n < min_group_size
        for q, level, n in zip(table["question"], table[group], table["n_pairs"], strict=True)
    ]
    mask = np.array(withheld, dtype=bool)
    small = mask & (table["n_pairs"] < min_group_size).to_numpy()
    table.loc[mask, blank] = np.nan
    table.loc[small, "note"] = f"suppressed: fewer than {min_group_size} pairs"
    table.loc[mask & ~small, "note"] = "suppressed: would reveal a smaller group by differencing"
    return table


def compact(table, digits: int = 2):
    """A readable version of a :func:`change_by_question` table: one string per estimate and interval.

    Columns: the question (and group, if present), ``pairs``, ``no change``, ``median before ->
    after``, ``HL shift [exact CI]``, ``CI coverage``, ``bootstrap CI``, ``T``, ``p``,
    ``p (Holm)``, ``r``, ``note``. Suppressed rows show a dash.
    """
    import pandas as pd

    from .result import format_p

    def number(value, fmt=f".{digits}f"):
        return "–" if pd.isna(value) else format(value, fmt)

    def interval(low, high):
        return "–" if pd.isna(low) else f"[{low:.{digits}f}, {high:.{digits}f}]"

    keys = [c for c in table.columns if c not in _TABLE_COLUMNS]
    rows = []
    for _, row in table.iterrows():
        out = {key: row[key] for key in keys}
        out.update(
            {
                "pairs": int(row["n_pairs"]),
                "no change": "–" if pd.isna(row["no_change"]) else int(row["no_change"]),
                "median before -> after": "–"
                if pd.isna(row["median_before"])
                else f"{row['median_before']:g} -> {row['median_after']:g}",
                "HL shift [exact CI]": "–"
                if pd.isna(row["hl_shift"])
                else f"{row['hl_shift']:.{digits}f} {interval(row['hl_low'], row['hl_high'])}",
                "CI coverage": "–" if pd.isna(row["hl_coverage"]) else f"{row['hl_coverage']:.1%}",
                "bootstrap CI": interval(row["boot_low"], row["boot_high"]),
                "T": number(row["T"], "g"),
                "p": "–" if pd.isna(row["p"]) else format_p(row["p"]),
                "p (Holm)": "–" if pd.isna(row["p_holm"]) else format_p(row["p_holm"]),
                "r": number(row["r_rb"]),
                "note": "" if pd.isna(row["note"]) else row["note"],
            }
        )
        rows.append(out)
    return pd.DataFrame(rows)


_TABLE_COLUMNS = (
    "n_pairs",
    "unpaired",
    "no_change",
    "median_before",
    "median_after",
    "hl_shift",
    "hl_low",
    "hl_high",
    "hl_coverage",
    "boot_low",
    "boot_high",
    "T",
    "p",
    "p_holm",
    "r_rb",
    "note",
)
