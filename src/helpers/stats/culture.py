"""Cultural distance between partner organisations, and where it will rub.

The Roffey Park report names three cultural differences that frustrate alliance staff: the speed of
decision making, the degree of bureaucracy / hierarchy, and attitudes to quality. Here each partner
organisation gets a *profile* (its staff's mean rating on each dimension), each pair of partners a
*distance*, and each dimension where the partners' profiles differ by more than a threshold is a
*friction point*.

Two distances, because they answer different questions:

* Euclidean distance, in scale points: how far apart the two profiles are, read in the units of the
  questionnaire.
* Kogut & Singh's (1988) index: the mean over dimensions of the squared gap divided by that
  dimension's variance, so that a dimension on which people disagree a lot anyway counts less.
  Kogut & Singh divided by the variance of each Hofstede index across the countries in their sample;
  an alliance has only two to a dozen partner organisations, too few for a stable variance, so by
  default we divide by the variance of the ratings across all respondents. Pass ``variances`` to use
  another (e.g. a norm from a larger survey).

References
----------
Hirsh, W., Garrow, V., & Holbeche, L. (2005). *Supporting collaborative working in business alliances
and partnerships.* Roffey Park Institute.
Kogut, B., & Singh, H. (1988). The effect of national culture on the choice of entry mode. *Journal of
International Business Studies*, 19(3), 411-432.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..polls.suppress import suppression


def _check(data: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(
            f"The data has no column {missing[0]!r}; it has {', '.join(map(str, data.columns))}.",
            column=missing[0],
        )


def profiles(
    data: pd.DataFrame,
    organisation: str,
    dimensions: Sequence[str],
    *,
    min_group_size: int = 5,
) -> pd.DataFrame:
    """Each organisation's mean rating on each dimension, with the number of respondents.

    Parameters
    ----------
    data : one row per respondent, a column naming their organisation and one column per dimension.
    organisation : the organisation column.
    dimensions : the dimension columns, in the order to report them.
    min_group_size : organisations with fewer respondents are left out (privacy; a profile of two
        people is their answers).

    Returns
    -------
    DataFrame indexed by organisation (sorted), columns ``n`` and one per dimension.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"org": ["A"] * 5 + ["B"] * 5, "speed": [2, 3, 2, 3, 2, 6, 6, 5, 6, 6]})
    >>> profiles(df, "org", ["speed"])  # doctest: +NORMALIZE_WHITESPACE
         n  speed
    org
    A    5    2.4
    B    5    5.8
    """
    _check(data, [organisation, *dimensions])
    grouped = data.dropna(subset=[organisation]).groupby(organisation, sort=True)
    table = grouped[list(dimensions)].mean()
    table.insert(0, "n", grouped.size())
    return table.drop(index=list(suppression(table["n"], organisation, min_group_size=min_group_size).hidden))


def distance(
    profile_a: Mapping[str, float] | pd.Series,
    profile_b: Mapping[str, float] | pd.Series,
    *,
    variances: Mapping[str, float] | pd.Series | None = None,
) -> dict[str, float]:
    """Euclidean distance and, when ``variances`` are given, the Kogut & Singh (1988) index.

    .. math::

        d_E = \\sqrt{\\sum_i (a_i - b_i)^2}, \\qquad
        KS = \\frac{1}{D} \\sum_{i=1}^{D} \\frac{(a_i - b_i)^2}{V_i}

    where D is the number of dimensions and V_i the variance of dimension i.

    >>> distance({"speed": 2, "quality": 5}, {"speed": 5, "quality": 1}, variances={"speed": 1, "quality": 4})
    {'euclidean': 5.0, 'kogut_singh': 6.5}
    """
    a, b = pd.Series(profile_a, dtype=float), pd.Series(profile_b, dtype=float)
    dims = list(a.index)
    gap = a[dims] - b[dims]
    result = {"euclidean": float(np.sqrt((gap**2).sum()))}
    if variances is not None:
        var = pd.Series(variances, dtype=float)[dims]
        if (var <= 0).any():
            raise InputError(
                "Every dimension needs a positive variance for the Kogut & Singh index; "
                f"{', '.join(var.index[var <= 0])} has none (everyone gave the same rating)."
            )
        result["kogut_singh"] = float(((gap**2) / var).mean())
    return result


def friction_points(
    profile_a: Mapping[str, float] | pd.Series,
    profile_b: Mapping[str, float] | pd.Series,
    *,
    threshold: float = 1.0,
    names: tuple[str, str] = ("A", "B"),
) -> pd.DataFrame:
    """One row per dimension: both profiles, the gap (A - B), and whether |gap| > ``threshold``.

    >>> friction_points({"speed": 2.0, "quality": 4.5}, {"speed": 5.5, "quality": 4.0}, threshold=1)
      dimension    A    B  gap  friction
    0     speed  2.0  5.5 -3.5      True
    1   quality  4.5  4.0  0.5     False
    """
    a, b = pd.Series(profile_a, dtype=float), pd.Series(profile_b, dtype=float)
    dims = list(a.index)
    gap = a[dims] - b[dims]
    return pd.DataFrame(
        {
            "dimension": dims,
            names[0]: a[dims].to_numpy(),
            names[1]: b[dims].to_numpy(),
            "gap": gap.to_numpy(),
            "friction": (gap.abs() > threshold).to_numpy(),
        }
    )


def partner_distances(
    data: pd.DataFrame,
    organisation: str,
    dimensions: Sequence[str],
    *,
    partnership: str | None = None,
    threshold: float = 1.0,
    min_group_size: int = 5,
) -> pd.DataFrame:
    """Distances and friction points for every pair of partner organisations.

    Parameters
    ----------
    data : one row per respondent.
    organisation : column naming the respondent's organisation.
    dimensions : the cultural dimension columns.
    partnership : column naming the alliance the respondent works in; pairs are formed within each
        alliance. ``None``: every pair of organisations in the data.
    threshold : a gap larger than this (in scale points) is a friction point.
    min_group_size : organisations with fewer respondents are left out.

    Returns
    -------
    DataFrame, one row per pair: ``partnership`` (when given), ``A``, ``B``, ``euclidean``,
    ``kogut_singh`` (variances across all respondents, see the module notes), ``friction_points``
    (the dimensions over the threshold, joined by ", "; empty when none), ``n_friction``.
    """
    _check(data, [organisation, *dimensions] + ([partnership] if partnership else []))
    variances = data[list(dimensions)].var(ddof=1)
    groups = [(None, data)] if partnership is None else sorted(data.groupby(partnership), key=lambda g: str(g[0]))
    rows = []
    for name, part in groups:
        prof = profiles(part, organisation, dimensions, min_group_size=min_group_size)
        for org_a, org_b in combinations(prof.index, 2):
            a, b = prof.loc[org_a, list(dimensions)], prof.loc[org_b, list(dimensions)]
            dist = distance(a, b, variances=variances)
            frictions = friction_points(a, b, threshold=threshold)
            points = frictions.loc[frictions["friction"], "dimension"].tolist()
            row = {"A": org_a, "B": org_b, **dist, "friction_points": ", ".join(points), "n_friction": len(points)}
            rows.append(({partnership: name} if partnership else {}) | row)
    columns = ([partnership] if partnership else []) + [
        "A",
        "B",
        "euclidean",
        "kogut_singh",
        "friction_points",
        "n_friction",
    ]
    return pd.DataFrame(rows, columns=columns)
