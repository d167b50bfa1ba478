"""Partner-vs-partner gaps on the health check's dimensions, and the action points they lead to.

:func:`score_gap` (one dimension: Welch's CI for the difference of means, Hedges' g with its CI),
:func:`partner_gaps` (every dimension, two partners, Holm-adjusted), :func:`gap_table` (a reader's
view) and :func:`action_points` (the biggest gaps with a plain-language action for each, the texts
from :mod:`.content`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import InputError, ParameterError
from ...stats.means import G_BANDS
from ...stats.result import Result, band
from .content import action_template

#: Hedges' g bands (Cohen 1988): the lower edges of small, medium, large (one source: :mod:`helpers.stats.means`).
G_CUTS, G_LABELS = tuple(G_BANDS[0]), tuple(G_BANDS[1])


def score_gap(x, y, *, ci_level: float = 0.95) -> Result:
    """The difference between two partners' mean scores on one dimension, with its uncertainty.

    Welch's two-sample t interval for ``mean(x) - mean(y)`` (no equal-variance assumption, which is
    safer when the partners differ in size and spread), and Hedges' g (Cohen's d with the small-sample
    correction) with the Hedges & Olkin (1985) normal-theory interval (:func:`helpers.stats.means.welch_test`).

    .. math:: \\bar x - \\bar y \\pm t_{1-\\alpha/2,\\,\\nu}\\sqrt{s_x^2/n_x + s_y^2/n_y},\\quad
              \\nu = \\frac{(s_x^2/n_x + s_y^2/n_y)^2}{\\frac{(s_x^2/n_x)^2}{n_x-1} + \\frac{(s_y^2/n_y)^2}{n_y-1}}

    Parameters
    ----------
    x, y : array-like of the two partners' dimension scores (NaN dropped).
    ci_level : the CI's coverage.

    Returns
    -------
    Result with the difference as estimate, Welch's CI, t, df and p; ``interpretation`` is the size
    band of |g| (Cohen 1988); ``details`` holds ``mean_x, mean_y, n_x, n_y, sd_x, sd_y, hedges_g,
    g_ci``.

    Examples
    --------
    R's ``t.test(extra ~ group, data = sleep)`` (Welch) reports t = -1.8608, df = 17.776,
    95% CI [-3.3654832, 0.2054832]:

    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = score_gap(g1, g2)
    >>> round(r.statistic, 4), round(r.df, 3), [round(v, 7) for v in r.ci]
    (-1.8608, 17.776, [-3.3654832, 0.2054832])
    """
    from ...stats.means import welch_test

    return welch_test(x, y, ci_level=ci_level)


def partner_gaps(
    scores,
    parties: Sequence[str] | None = None,
    *,
    party: str = "party",
    min_group_size: int = 5,
    ci_level: float = 0.95,
    n_boot: int = 0,
    seed: int | None = None,
):
    """Partner-vs-partner gap on every dimension: ``mean(first partner) - mean(second partner)``.

    Parameters
    ----------
    scores : the output of :func:`score_instrument`.
    parties : the two partners to compare, in that order; default the two values of ``party`` in the
        data (sorted). With more than two partners in the data, name two.
    party : the column that says which partner a respondent belongs to.
    min_group_size : a dimension where either partner has fewer scored respondents is suppressed
        (``suppressed`` True, statistics NaN, a ``note`` saying why).
    ci_level : coverage of every interval.
    n_boot, seed : with ``n_boot > 0``, also a bias-corrected and accelerated (BCa) bootstrap CI of the
        difference (scipy.stats.bootstrap, ``n_boot`` resamples, seeded), a check on Welch's interval
        that does not lean on normality, which five-point scores only approximate.

    Returns
    -------
    DataFrame, one row per dimension: ``dimension, party_a, party_b, n_a, n_b, mean_a, mean_b,
    difference, ci_low, ci_high, t, df, p, p_holm, hedges_g, g_ci_low, g_ci_high, size, lower,
    [boot_low, boot_high,] suppressed, note``. ``p_holm`` adjusts the p-values for testing every
    dimension (Holm 1979, via statsmodels); ``lower`` names the partner with the lower mean.

    See Also
    --------
    score_gap : the statistics of one row.
    action_points : the biggest gaps, with what to do about them.
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    from ...stats.multitest import multipletests

    a, b = _two_parties(scores, parties, party)
    streams = np.random.SeedSequence(seed).spawn(scores["dimension"].nunique())  # one per dimension
    rows = []
    for index, (name, part) in enumerate(scores.groupby("dimension", sort=False)):
        x = part.loc[part[party] == a, "score"].dropna().to_numpy(float)
        y = part.loc[part[party] == b, "score"].dropna().to_numpy(float)
        row = {"dimension": name, "party_a": a, "party_b": b, "n_a": len(x), "n_b": len(y)}
        if min(len(x), len(y)) < max(min_group_size, 2):
            small = a if len(x) < len(y) else b
            row.update(
                suppressed=True, note=f"suppressed: {small} has fewer than {max(min_group_size, 2)} scored respondents"
            )
            rows.append(row)
            continue
        result = score_gap(x, y, ci_level=ci_level)
        assert result.ci is not None  # Welch's t always gives an interval
        d = result.details
        row.update(
            mean_a=d["mean_x"],
            mean_b=d["mean_y"],
            difference=result.estimate,
            ci_low=result.ci[0],
            ci_high=result.ci[1],
            t=result.statistic,
            df=result.df,
            p=result.p_value,
            hedges_g=d["hedges_g"],
            g_ci_low=d["g_ci"][0],
            g_ci_high=d["g_ci"][1],
            size=band(abs(d["hedges_g"]), G_CUTS, G_LABELS),
            lower=a if result.estimate < 0 else b if result.estimate > 0 else "neither",
            suppressed=False,
            note="",
        )
        if n_boot:
            boot = stats.bootstrap(
                (x, y),
                lambda u, v, axis=-1: u.mean(axis=axis) - v.mean(axis=axis),
                n_resamples=n_boot,
                confidence_level=ci_level,
                method="BCa",
                rng=np.random.default_rng(streams[index]),
            )
            row.update(boot_low=boot.confidence_interval.low, boot_high=boot.confidence_interval.high)
        rows.append(row)
    columns = (
        [
            "dimension",
            "party_a",
            "party_b",
            "n_a",
            "n_b",
            "mean_a",
            "mean_b",
            "difference",
            "ci_low",
            "ci_high",
            "t",
            "df",
            "p",
            "p_holm",
            "hedges_g",
            "g_ci_low",
            "g_ci_high",
            "size",
            "lower",
        ]
        + (["boot_low", "boot_high"] if n_boot else [])
        + ["suppressed", "note"]
    )
    gaps = pd.DataFrame(rows).reindex(columns=columns)
    tested = ~gaps["suppressed"].astype(bool)
    if tested.any():
        gaps.loc[tested, "p_holm"] = multipletests(gaps.loc[tested, "p"].to_numpy(float), method="holm")[1]
    gaps["suppressed"] = gaps["suppressed"].astype(bool)
    return gaps


def gap_table(gaps, *, digits: int = 2):
    """The reader's view of :func:`partner_gaps`: one row per dimension, intervals as text."""
    import pandas as pd

    from ...stats.result import format_number, format_p

    if gaps.empty:
        return pd.DataFrame()
    a, b = gaps["party_a"].iloc[0], gaps["party_b"].iloc[0]

    def f(value: float) -> str:
        return format_number(value, digits)

    rows = []
    for _, g in gaps.iterrows():
        if g["suppressed"]:
            text = g["note"]
            rows.append(
                {
                    "dimension": g["dimension"],
                    f"{a} mean (n)": f"({g['n_a']})",
                    f"{b} mean (n)": f"({g['n_b']})",
                    "difference [CI]": text,
                    "Hedges g [CI]": "",
                    "size": "",
                    "p (Holm)": "",
                }
            )
            continue
        rows.append(
            {
                "dimension": g["dimension"],
                f"{a} mean (n)": f"{f(g['mean_a'])} ({g['n_a']})",
                f"{b} mean (n)": f"{f(g['mean_b'])} ({g['n_b']})",
                "difference [CI]": f"{f(g['difference'])} [{f(g['ci_low'])}, {f(g['ci_high'])}]",
                "Hedges g [CI]": f"{f(g['hedges_g'])} [{f(g['g_ci_low'])}, {f(g['g_ci_high'])}]",
                "size": g["size"],
                "p (Holm)": format_p(g["p_holm"]),
            }
        )
    return pd.DataFrame(rows)


def action_points(gaps, top: int = 3, *, digits: int = 2, alpha: float = 0.05):
    """The ``top`` biggest gaps (by the absolute difference of means) as plain-language action points.

    Suppressed dimensions are never ranked. Each row says which partner rates the dimension lower, by
    how much (with the interval turned the same way), how strong the evidence is, and what to do (the
    dimension's action text from :data:`DIMENSIONS`, or a generic one for a dimension of another
    codebook). Evidence is *clear* when the interval excludes zero and the Holm-adjusted p is below
    ``alpha``, *suggestive* when the interval excludes zero but the adjusted p does not pass, and
    *uncertain* when the interval includes zero.

    Returns a DataFrame ``rank, dimension, lower, higher, gap, ci, evidence, action``.
    """
    import pandas as pd

    columns = ["rank", "dimension", "lower", "higher", "gap", "ci", "evidence", "action"]
    ranked = gaps.loc[~gaps["suppressed"] & gaps["difference"].notna()].copy()
    ranked["_size"] = ranked["difference"].abs()
    ranked = ranked.sort_values(["_size", "dimension"], ascending=[False, True], kind="stable").head(top)
    rows = []
    for rank, (_, g) in enumerate(ranked.iterrows(), start=1):
        a_lower = g["difference"] < 0
        lower, higher = (g["party_a"], g["party_b"]) if a_lower else (g["party_b"], g["party_a"])
        # the gap as "how far the lower partner is below the higher one", with its interval turned alike
        low, high = (-g["ci_high"], -g["ci_low"]) if a_lower else (g["ci_low"], g["ci_high"])
        evidence = (
            "uncertain: the interval includes zero"
            if low <= 0
            else "clear: the interval excludes zero, also after Holm's adjustment"
            if g["p_holm"] < alpha
            else "suggestive: the interval excludes zero, but not after Holm's adjustment"
        )
        template = action_template(g["dimension"])
        rows.append(
            {
                "rank": rank,
                "dimension": g["dimension"],
                "lower": lower,
                "higher": higher,
                "gap": abs(float(g["difference"])),
                "ci": f"{low:.{digits}f} to {high:.{digits}f}",
                "evidence": evidence,
                "action": f"{lower} staff score {g['dimension']} {abs(g['difference']):.{digits}f} points "
                f"lower than {higher} staff. " + template.format(lower=lower, higher=higher),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def format_action_points(points) -> str:
    """:func:`action_points` as numbered plain text, one block per gap (for printing in a notebook)."""
    if points.empty:
        return (
            "No gap can be ranked: every dimension is suppressed (too few respondents on one side). "
            "Collect more answers, or lower min_group_size only if privacy allows."
        )
    blocks = []
    for p in points.itertuples(index=False):
        blocks.append(f"{p.rank}. {p.dimension}: gap {p.gap:.2f} (CI {p.ci}; {p.evidence}).\n   {p.action}")
    return "\n\n".join(blocks)


def _two_parties(scores, parties, party):
    if party not in scores:
        raise InputError(
            f"the data has no `{party}` column, so there are no partners to compare; add a `{party}` "
            "column naming each respondent's organisation."
        )
    present = sorted(str(p) for p in scores[party].dropna().unique())
    if parties is None or len(parties) == 0:
        if len(present) != 2:
            raise ParameterError(
                f"The data has {len(present)} partners ({', '.join(present) or 'none'}); name the two to "
                "compare (in a notebook: the `party_names` parameter)."
            )
        return present[0], present[1]
    parties = [str(p) for p in parties]
    if len(parties) != 2 or parties[0] == parties[1]:
        raise ParameterError(f"Name exactly two different partners to compare; got {parties!r}.")
    unknown = [p for p in parties if p not in present]
    if unknown:
        raise ParameterError(
            f"Partner {unknown[0]!r} is not in the data's `{party}` column (it has: {', '.join(present)}); "
            "choose two of those (in a notebook: the `party_names` parameter)."
        )
    return parties[0], parties[1]
