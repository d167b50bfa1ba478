"""Lesson 04, the workshop: own rankings of the Things That Matter and predictions of the partner.

:class:`Workshop` holds each member's own ranking and their prediction of the partner organisation's
ranking (:func:`workshop_ranks` reads them from the ``own_<thing>`` / ``pred_<thing>`` layout) and
runs the lesson's analyses on them: concordance within a party (Kendall's W), alignment between the
parties (Kendall's tau-b, Spearman's rho), the empathy gap and projection, with the privacy rule
applied first.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ...cases.things_that_matter import OWN_PREFIX, PRED_PREFIX
from ...errors import InputError
from ...notebook import Note


def workshop_ranks(responses: pd.DataFrame, codebook) -> dict[str, pd.DataFrame]:
    """Split tidy workshop answers into ``own`` and ``predicted`` rank tables.

    The layout this lesson reads (bundled data and a trainer's own workshop alike): one ranking
    question per Thing That Matters and per viewpoint, named ``own_<thing>`` (the member's own
    organisation) and ``pred_<thing>`` (their prediction of the partner organisation), every
    ``own_`` question with its ``pred_`` twin.

    Parameters
    ----------
    responses : ``PollData.responses`` (columns respondent, question, value, party[, group]).
    codebook : the poll's :class:`~helpers.polls.Codebook`; labels come from its question texts.

    Returns
    -------
    ``{"own": frame, "predicted": frame}``, each one row per respondent (index ``respondent``),
    a ``party`` column and one column per thing (its label), values the ranks. A respondent who left
    a ranking incomplete is left out of that table (and counted in ``frame.attrs["incomplete"]``).
    """
    ranking = [q.id for q in codebook if q.kind == "ranking"]
    own = [q for q in ranking if q.startswith(OWN_PREFIX)]
    pred = [q for q in ranking if q.startswith(PRED_PREFIX)]
    things = [q[len(OWN_PREFIX) :] for q in own]
    unmatched = sorted(set(things) ^ {q[len(PRED_PREFIX) :] for q in pred})
    if not own or unmatched:
        raise InputError(
            "the workshop codebook needs ranking questions named own_<thing> and pred_<thing>, one pair "
            f"per thing; {'none found' if not own else 'no twin for: ' + ', '.join(unmatched)}",
            file=codebook.source,
            column="question",
        )
    if "party" not in responses.columns:
        raise InputError(
            "the workshop file needs a party column (which organisation each member is from)", column="party"
        )
    labels = {thing: _label(codebook[f"{OWN_PREFIX}{thing}"].text, thing) for thing in things}
    tables = {}
    for name, prefix in (("own", OWN_PREFIX), ("predicted", PRED_PREFIX)):
        subset = responses[responses["question"].isin([prefix + t for t in things])]
        wide = subset.pivot_table(index="respondent", columns="question", values="value", aggfunc="first")
        wide = wide.reindex(columns=[prefix + t for t in things])
        complete = wide.notna().all(axis=1)
        wide = wide[complete].rename(columns={prefix + t: labels[t] for t in things})
        party = subset.drop_duplicates("respondent").set_index("respondent")["party"]
        wide.insert(0, "party", party.reindex(wide.index).astype(str))
        wide.columns.name = None
        wide.attrs["incomplete"] = int((~complete).sum())
        tables[name] = wide.sort_index()
    return tables


def _label(text: str, fallback: str) -> str:
    """The thing's label: the question text after its last colon (the codebook's convention)."""
    label = text.rsplit(":", 1)[-1].strip() if ":" in text else ""
    return label or fallback


class Workshop:
    """A Things That Matter workshop of two parties, ready for the lesson 04 analyses.

    Holds each member's own ranking and prediction of the partner (see :func:`workshop_ranks`) and
    applies the privacy rule before anything is shown: a party with fewer complete rankings than
    ``min_group_size`` is not analysed, and every comparison that needs it is skipped with a note.

    Parameters
    ----------
    data : the workshop's :class:`~helpers.polls.PollData` (tidy or wide, the own_/pred_ layout).
    parties : the two parties to compare, spelled as in the ``party`` column.
    min_group_size : the smallest number of members whose rankings may be shown.

    Examples
    --------
    >>> from helpers.polls import load
    >>> from helpers.paths import datasets_dir
    >>> folder = datasets_dir() / "04_things_that_matter"
    >>> data = load(folder / "workshop_rankings.csv", codebook=folder / "workshop_rankings_codebook.csv")
    >>> Workshop(data, ["Client", "Supplier"]).comparable
    True
    """

    def __init__(self, data, parties: Sequence[str], min_group_size: int = 5):
        tables = workshop_ranks(data.responses, data.codebook)
        self.parties = list(parties)
        self.min_group_size = int(min_group_size)
        present = sorted(set(tables["own"]["party"]) | set(tables["predicted"]["party"]))
        unknown = [p for p in self.parties if p not in present]
        if unknown:
            raise InputError(
                f"party {unknown[0]!r} is not in the workshop file; the parties there are: "
                + ", ".join(present)
                + ". Set party_names to two of them",
                column="party",
                value=unknown[0],
            )
        self.own = tables["own"][tables["own"]["party"].isin(self.parties)]
        self.predicted = tables["predicted"][tables["predicted"]["party"].isin(self.parties)]
        self.incomplete = {
            "own": tables["own"].attrs["incomplete"],
            "predicted": tables["predicted"].attrs["incomplete"],
        }
        self.things = [c for c in self.own.columns if c != "party"]

    def _count(self, which: str, party: str) -> int:
        table = self.own if which == "own" else self.predicted
        return int((table["party"] == party).sum())

    def shown(self, party: str, which: str = "own") -> bool:
        """Whether ``party``'s own rankings (or predictions) are numerous enough to show."""
        return self._count(which, party) >= self.min_group_size

    @property
    def comparable(self) -> bool:
        """Whether both parties can be shown, so the between-party analyses can run."""
        return all(self.shown(p, w) for p in self.parties for w in ("own", "predicted"))

    def sizes(self) -> pd.DataFrame:
        """Complete rankings per party: own priorities and predictions of the partner."""
        rows = []
        for party in self.parties:
            row: dict[str, object] = {"party": party}
            for which, column in (("own", "own rankings"), ("predicted", "predictions of the partner")):
                n = self._count(which, party)
                row[column] = n if n >= self.min_group_size else f"fewer than {self.min_group_size}"
            rows.append(row)
        return pd.DataFrame(rows)

    def note(self) -> Note:
        """A plain sentence on what was suppressed and why (or that nothing was)."""
        small = [
            f"{p} ({'own rankings' if w == 'own' else 'predictions'})"
            for p in self.parties
            for w in ("own", "predicted")
            if not self.shown(p, w)
        ]
        parts = []
        if small:
            parts.append(
                f"Fewer than min_group_size = {self.min_group_size} complete rankings for: "
                + "; ".join(small)
                + ". Those rankings are not shown, and comparisons that need them are skipped "
                "(a mean rank of a handful of people could identify them)."
            )
        dropped = sum(self.incomplete.values())
        if dropped:
            parts.append(f"{dropped} incomplete ranking(s) were left out (every thing must have a rank).")
        if not small:
            parts.insert(
                0,
                f"Nothing suppressed: each party has at least min_group_size = {self.min_group_size} "
                "complete rankings.",
            )
        return Note(" ".join(parts))

    def ranks(self, party: str, which: str = "own") -> pd.DataFrame:
        """Members x things ranks of one party (``which``: "own" or "predicted")."""
        table = self.own if which == "own" else self.predicted
        return table[table["party"] == party].drop(columns="party")

    def consensus_order(self, party: str) -> list[str] | None:
        """``party``'s things from its top priority down (mean rank; ties by name), or ``None`` when
        the party is suppressed."""
        from ...stats.alignment import consensus_ranking

        if not self.shown(party):
            return None
        return consensus_ranking(self.ranks(party))["thing"].tolist()

    def concordance(self) -> pd.DataFrame:
        """Kendall's W within each shown party (its own rankings), one row per party."""
        from ...stats.agreement import kendalls_w

        rows = []
        for party in self.parties:
            if self.shown(party):
                row = kendalls_w(self.ranks(party)).table()
                row.insert(0, "party", party)
                rows.append(row)
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame({"party": []})

    def consensus(self) -> pd.DataFrame:
        """Things x viewpoints mean ranks: each shown party's own, and the partner's prediction of it.

        Columns ``"<A> own"`` and ``"<A> as predicted by <B>"`` for each party A (partner B), rows
        ordered by the first party's own mean rank.
        """
        from ...stats.alignment import consensus_ranking

        columns = {}
        for party, partner in zip(self.parties, self.parties[::-1], strict=True):
            if self.shown(party):
                columns[f"{party} own"] = consensus_ranking(self.ranks(party)).set_index("thing")["mean_rank"]
            if self.shown(partner, "predicted"):
                columns[f"{party} as predicted by {partner}"] = consensus_ranking(
                    self.ranks(partner, "predicted")
                ).set_index("thing")["mean_rank"]
        table = pd.DataFrame(columns).reindex(self.things)
        table.index.name = "thing"
        if len(table.columns):
            table = table.sort_values(list(table.columns[:1]), kind="stable")
        return table

    def plot_consensus(self, title: str | None = None):
        """A dot chart of :meth:`consensus`: one row per thing, one marker per viewpoint.

        Filled markers are a party's own mean ranks, hollow ones the partner's prediction of them
        (same colour and shape), joined by a line: the line's length is that thing's empathy gap.
        Rows are ordered by the first party's own priorities, the most important at the top.
        Returns the matplotlib Figure.
        """
        import matplotlib.pyplot as plt

        from ...notebook import PALETTE

        table = self.consensus()
        fig, ax = plt.subplots(figsize=(7.5, 1.6 + 0.45 * len(table)))
        rows = np.arange(len(table))[::-1]
        for number, (party, marker) in enumerate(zip(self.parties, ("o", "s"), strict=False)):
            colour = PALETTE[number]
            own, pred = f"{party} own", f"{party} as predicted by {self.parties[1 - number]}"
            offset = 0.12 if number == 0 else -0.12
            if own in table and pred in table:
                for y, a, b in zip(rows + offset, table[own], table[pred], strict=True):
                    ax.plot([a, b], [y, y], color=colour, linewidth=1.2, alpha=0.6, zorder=1)
            if own in table:
                ax.scatter(table[own], rows + offset, marker=marker, s=70, color=colour, label=own, zorder=2)
            if pred in table:
                ax.scatter(
                    table[pred],
                    rows + offset,
                    marker=marker,
                    s=70,
                    facecolors="white",
                    edgecolors=colour,
                    linewidths=1.5,
                    label=pred,
                    zorder=2,
                )
        n = len(self.things)
        ax.set_yticks(rows, table.index)
        ax.set_xlim(0.5, n + 0.5)
        ax.set_xticks(range(1, n + 1))
        ax.set_xlabel(f"mean rank (1 = matters most, {n} = matters least)")
        ax.set_title(title or "Own priorities and what the partner predicts")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, fontsize="small", frameon=False)
        fig.tight_layout()
        return fig

    def alignment(self, seed: int = 0) -> list:
        """Kendall's tau-b and Spearman's rho between the two parties' own mean ranks (see
        :func:`helpers.stats.alignment.rank_alignment`); ``[]`` when a party is suppressed."""
        from ...stats.alignment import rank_alignment

        a, b = self.parties
        if not (self.shown(a) and self.shown(b)):
            return []
        return rank_alignment(self.ranks(a).mean(), self.ranks(b).mean(), labels=(a, b), seed=seed)

    def empathy(self, seed: int = 0) -> dict:
        """The empathy gap in both directions: ``{party: EmpathyGap}``, party's own priorities vs the
        partner's predictions of them; a direction with a suppressed side is left out."""
        from ...stats.alignment import empathy_gap

        gaps = {}
        for party, partner in zip(self.parties, self.parties[::-1], strict=True):
            if self.shown(party) and self.shown(partner, "predicted"):
                gaps[party] = empathy_gap(
                    self.ranks(party), self.ranks(partner, "predicted"), labels=(party, partner), seed=seed
                )
        return gaps

    def gap_matrix(self, gaps: dict) -> pd.DataFrame:
        """The per-thing gaps of :meth:`empathy` as a things x parties table (rows in codebook
        order; column A = A's priorities as the partner predicted them), for
        :func:`helpers.plots.heatmap.alignment_heatmap`."""
        columns = {party: gap.things.set_index("thing")["gap"] for party, gap in gaps.items()}
        return pd.DataFrame(columns).reindex(self.things)

    def projection(self, seed: int = 0) -> pd.DataFrame:
        """Do predictions of the partner look like the predictor's own priorities? For each shown
        party: tau-b and rho between its mean predictions of the partner and its own mean ranks,
        one row per party and statistic."""
        from ...stats.alignment import rank_alignment

        rows = []
        for party in self.parties:
            if self.shown(party) and self.shown(party, "predicted"):
                results = rank_alignment(
                    self.ranks(party, "predicted").mean(),
                    self.ranks(party).mean(),
                    labels=("prediction", "own"),
                    seed=seed,
                )
                for result in results:
                    row = result.table()
                    row.insert(0, "party", party)
                    rows.append(row)
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame({"party": []})
