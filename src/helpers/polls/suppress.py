"""The one privacy stage: which groups and cells a table, plot, count or summary must hide.

Every output that shows figures per group — a size table, a table of means, a Likert bar per party,
a plot panel per team — asks :func:`suppression` which groups to hide, and every figure that rests
on the answers of a few people inside a shown group asks :func:`too_few`. Nothing else in the
workbook decides it.

The guarantee, with ``k = min_group_size`` (default 5) and "figures" meaning anything computed by
adding up people's answers (counts, sums, and so means times n):

1. **Small groups.** A group with fewer than ``k`` respondents is hidden.
2. **Within one table.** When any group of a grouping is hidden, at least two are, and the hidden
   groups hold at least ``k`` respondents together (the next smallest groups are hidden with them:
   complementary suppression, Hundepool et al. 2012, *Statistical Disclosure Control*, §4.2). The
   total (known from the import report) minus the shown groups gives only the pooled figures of
   ``k`` or more people. So ``{A: 12, B: 3, C: 9}`` hides B and C, and two groups of one person hide
   a third group with them.
3. **Across groupings shown together** (``by`` and ``shown_with``, e.g. tables by site and by dept
   of the same respondents): no hidden group, no cell of the cross-classification with fewer than
   ``k`` respondents, and no two such cells together, can be written as any sum or difference of the
   shown groups' figures and the total. This is checked exactly — a set of respondents can be
   recovered by subtraction if and only if its indicator vector lies in the linear span of the shown
   groups' indicator vectors — and where a set can, more groups are hidden (smallest first) until
   none can. The same groupings give the same hidden groups whichever is asked first.
4. **Cells.** Inside a shown group, a figure resting on fewer than ``k`` answers (a question only
   three of the group answered) is hidden: :func:`too_few`.

What it does not promise: groupings shown in *another* call (a table by an attribute not named in
``shown_with``) are not known to it; pass every grouping a notebook or report shows together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

DEFAULT_MIN_GROUP_SIZE = 5
MISSING = "(no answer)"

REASON_SMALL = "fewer than {k} respondents"
REASON_COMPLEMENT = "hidden so that a smaller group cannot be recovered from the total"
REASON_ACROSS = "hidden so that fewer than {k} people cannot be singled out by combining the tables by {groupings}"


@dataclass(frozen=True)
class Suppression:
    """What one grouping's tables must hide: ``hidden`` maps each hidden group to the reason.

    ``sizes`` are the respondents per group (read-only). Use :meth:`apply` on a per-group table,
    :meth:`size` for a size table, :meth:`note` for the sentence under a table or figure.
    """

    by: str
    min_group_size: int
    sizes: Mapping[Any, int]
    hidden: Mapping[Any, str]
    shown_with: tuple[str, ...] = field(default=())

    def is_hidden(self, label) -> bool:
        return label in self.hidden

    @property
    def shown(self) -> list:
        """The groups whose figures may be shown, in the order of ``sizes``."""
        return [label for label in self.sizes if label not in self.hidden]

    @property
    def small(self) -> list:
        """The groups hidden because they have fewer than ``min_group_size`` respondents."""
        return [label for label in self.sizes if label in self.hidden and self.sizes[label] < self.min_group_size]

    def size(self, label):
        """A group's respondent count as a size table may show it: the number, or why not."""
        if label not in self.hidden:
            return int(self.sizes.get(label, 0))
        if self.sizes.get(label, 0) < self.min_group_size:
            return f"fewer than {self.min_group_size}"
        return "hidden"

    def apply(self, table, *, column: str = "suppressed"):
        """A copy of a per-group table (index = group labels) with every number of a hidden group
        blanked (NaN) and a column saying why; non-numeric columns are left as they are."""
        import numpy as np
        import pandas as pd

        out = table.copy()
        numeric = [
            c for c in out.columns if pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])
        ]
        mask = out.index.isin(list(self.hidden))
        if numeric:
            out[numeric] = out[numeric].astype(float)
            out.loc[mask, numeric] = np.nan
        out[column] = [self.hidden.get(label, "") for label in out.index]
        return out

    def note(self) -> str:
        """One sentence: which groups are hidden and why (empty when none is)."""
        if not self.hidden:
            return ""
        small, extra = self.small, [g for g in self.hidden if g not in self.small]
        parts = []
        if small:
            parts.append(f"Not shown (fewer than {self.min_group_size} respondents): {', '.join(map(str, small))}.")
        if extra:
            parts.append(
                f"Also hidden, so that no small group can be recovered by subtraction: {', '.join(map(str, extra))}."
            )
        return " ".join(parts)


def too_few(n, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> bool:
    """Whether a figure resting on ``n`` answers must be hidden (a cell inside a shown group, a bar
    per question, a panel of paired answers): ``n < min_group_size``. Zero answers hide nothing."""
    return 0 < int(n) < int(min_group_size)


def hidden_cells(answered, min_group_size: int = DEFAULT_MIN_GROUP_SIZE, hidden_groups=()) -> dict:
    """Rule 4 with its complements: which (group, question) cells of a by-group table are hidden.

    ``answered`` is a table of answer counts, index = groups, columns = questions (how many of each
    group answered each question). A group in ``hidden_groups`` is hidden in every column. In each
    question's column, a group answered by fewer than ``min_group_size`` people is hidden, and then
    complements as in rule 2 — the overall figures for the question are shown, so one hidden cell
    would be the overall minus the other groups. Returns ``{(group, question): reason}``.

    >>> import pandas as pd
    >>> counts = pd.DataFrame({"q1": [6, 6, 7], "q2": [6, 1, 7]}, index=["A", "B", "C"])
    >>> sorted(hidden_cells(counts))
    [('A', 'q2'), ('B', 'q2')]
    """
    k = int(min_group_size)
    cells = {}
    for question in answered.columns:
        sizes = {group: int(n) if n == n else 0 for group, n in answered[question].items()}
        forced = {group: "hidden group" for group in hidden_groups if group in sizes}
        within = _within(sizes, k, forced)
        for group, reason in within.items():
            if group not in forced:
                cells[(group, question)] = (
                    f"fewer than {k} of this group answered this question"
                    if reason == REASON_SMALL.format(k=k)
                    else reason
                )
    return cells


def suppression(
    data, by: str | None = None, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE, shown_with: Sequence[str] = ()
) -> Suppression:
    """Decide which groups of ``by`` are hidden (see the module docstring for the guarantee).

    Parameters
    ----------
    data : either the group sizes (a mapping or Series, label -> respondents) of one grouping, or a
        table of respondents with the ``by`` and ``shown_with`` columns (one row per respondent; a
        tidy answers table with a ``respondent`` column is reduced to its first row per respondent).
    by : the grouping column (with sizes, an optional name for messages).
    min_group_size : ``k``; groups below it are hidden.
    shown_with : other grouping columns of the same respondents that are shown beside ``by``.

    >>> dict(suppression({"A": 12, "B": 3, "C": 9}).hidden)  # doctest: +NORMALIZE_WHITESPACE
    {'B': 'fewer than 5 respondents',
     'C': 'hidden so that a smaller group cannot be recovered from the total'}
    >>> sorted(suppression({"A": 10, "B": 1, "C": 1, "D": 6}).hidden)
    ['B', 'C', 'D']
    """
    k = int(min_group_size)
    if k < 1:
        from ..errors import ParameterError

        raise ParameterError(f"min_group_size must be at least 1; got {min_group_size!r}")
    if isinstance(data, Mapping) or _is_series(data):
        sizes = {label: int(n) for label, n in dict(data).items()}
        name = by or "group"
        hidden = _within(sizes, k)
        return Suppression(name, k, MappingProxyType(sizes), MappingProxyType(_ordered(hidden, sizes)), ())
    if by is None:
        from ..errors import ParameterError

        raise ParameterError("suppression(table, by=...) needs the grouping column")
    groupings = list(dict.fromkeys([by, *shown_with]))
    people = _respondents(data, groupings)
    every = _joint(people, sorted(groupings), k)
    sizes, hidden = every[by]
    return Suppression(
        by,
        k,
        MappingProxyType(sizes),
        MappingProxyType(_ordered(hidden, sizes)),
        tuple(g for g in groupings if g != by),
    )


def suppression_table(data, by: str, *, count: str = "n", min_group_size: int = DEFAULT_MIN_GROUP_SIZE):
    """Shortcut for a per-group table with a ``count`` column: ``suppression(sizes).apply(table)``."""
    sizes = {label: int(n) if n == n else 0 for label, n in data[count].items()}
    return suppression(sizes, by, min_group_size=min_group_size).apply(data)


# --- the decision ----------------------------------------------------------------------------------


def _within(sizes: dict, k: int, hidden: dict | None = None) -> dict:
    """Rules 1 and 2 for one grouping: small groups, then complements until >= 2 groups and >= k people."""
    hidden = dict(hidden or {})
    for label, n in sizes.items():
        if 0 < n < k and label not in hidden:
            hidden[label] = REASON_SMALL.format(k=k)
    present = [label for label, n in sizes.items() if n > 0]
    while hidden and len(hidden) < len(present):
        pooled = sum(sizes[g] for g in hidden)
        if len([g for g in hidden if sizes[g] > 0]) >= 2 and pooled >= k:
            break
        candidates = sorted((sizes[g], str(g), i) for i, g in enumerate(present) if g not in hidden)
        hidden[present[candidates[0][2]]] = REASON_COMPLEMENT
    return hidden


def _joint(people, groupings: list[str], k: int) -> dict:
    """Rules 1-3 for several groupings of the same respondents (``people``: one row each)."""
    import numpy as np

    keys = people[groupings].astype(object).where(people[groupings].notna(), MISSING)
    atoms = keys.value_counts(sort=False)  # the cross-classification's non-empty cells
    atom_index = list(atoms.index)
    atom_n = atoms.to_numpy(dtype=float)
    labels = {g: list(dict.fromkeys(keys[g].tolist())) for g in groupings}
    sizes = {g: {label: int((keys[g] == label).sum()) for label in labels[g]} for g in groupings}
    vector = {
        (g, label): np.array([1.0 if atom[i] == label else 0.0 for atom in atom_index])
        for i, g in enumerate(groupings)
        for label in labels[g]
    }
    if len(groupings) == 1:
        return {g: (sizes[g], _within(sizes[g], k)) for g in groupings}
    # rule 1, then complements chosen by the exact check (the smallest group whose hiding stops a
    # recovery, preferring one that shares the small group's cells), then rule 2 on each grouping
    hidden = {g: {label: REASON_SMALL.format(k=k) for label, n in sizes[g].items() if 0 < n < k} for g in groupings}
    small_atoms = sorted(range(len(atom_index)), key=lambda i: (atom_n[i], str(atom_index[i])))
    small_atoms = [i for i in small_atoms if atom_n[i] < k][:40]
    targets = [np.eye(len(atom_index))[i] for i in small_atoms]
    targets += [
        np.eye(len(atom_index))[i] + np.eye(len(atom_index))[j]
        for a, i in enumerate(small_atoms)
        for j in small_atoms[a + 1 :]
        if atom_n[i] + atom_n[j] < k
    ]

    def shown_matrix(hid):
        rows = [np.ones(len(atom_index))] + [
            vector[(g, label)] for g in groupings for label in labels[g] if label not in hid[g]
        ]
        return np.vstack(rows)

    def recoverable(matrix, target) -> bool:
        solution, *_ = np.linalg.lstsq(matrix.T, target, rcond=None)
        return bool(np.allclose(matrix.T @ solution, target, atol=1e-8))

    def leaks(hid) -> list:
        matrix = shown_matrix(hid)
        groups = [(g, label) for g in groupings for label in hid[g] if sizes[g][label] < k]
        found = [(vector[key], key[0]) for key in groups if recoverable(matrix, vector[key])]
        return found + [(t, None) for t in targets if recoverable(matrix, t)]

    for _ in range(2 * sum(len(v) for v in labels.values()) + 2):
        found = leaks(hidden)
        if not found:
            before = {g: dict(h) for g, h in hidden.items()}
            hidden = {g: _within(sizes[g], k, hidden[g]) for g in groupings}
            if hidden == before:
                break
            continue
        target, home = found[0]
        candidates = sorted(
            (-(vector[(g, label)] @ target), sizes[g][label], gi, str(label), g, label)
            for gi, g in enumerate(groupings)
            for label in labels[g]
            if label not in hidden[g]
        )
        if not candidates:
            break
        choice = min(candidates, key=lambda c: (c[1], c[2], c[3]))
        for candidate in sorted(candidates, key=lambda c: (c[1], c[0], c[2], c[3])):
            trial = {g: dict(h) for g, h in hidden.items()}
            trial[candidate[4]][candidate[5]] = ""
            if not recoverable(shown_matrix(trial), target):
                choice = candidate
                break
        g, label = choice[4], choice[5]
        hidden[g][label] = (
            REASON_COMPLEMENT if g == home else REASON_ACROSS.format(k=k, groupings=" and ".join(groupings))
        )
    return {g: (sizes[g], hidden[g]) for g in groupings}


def _respondents(data, groupings: list[str]):
    missing = [g for g in groupings if g not in data.columns]
    if missing:
        from ..errors import ParameterError

        raise ParameterError(
            f"no column {missing[0]!r} to group by; the columns are: {', '.join(map(str, data.columns))}"
        )
    if "respondent" in data.columns:
        return data.drop_duplicates("respondent")[groupings]
    return data[groupings]


def _ordered(hidden: dict, sizes: dict) -> dict:
    return {label: hidden[label] for label in sizes if label in hidden}


def _is_series(data) -> bool:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        return False
    return isinstance(data, pd.Series)
