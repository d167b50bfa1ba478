"""Lesson 04 case: Things That Matter to two partner organisations (SYNTHETIC data).

The case follows the source article "Collaborative Working" (seed 000) and the workshop and webinar
it points to: partners rarely know what matters most to each other ("missing empathy"), and in
webinar polls "the will may be there but the way isn't". Every number here is invented by this
seeded generator; none is a figure from the article.

Two tables, both in the workbook's tidy poll format (respondent, question, answer, party, group)
with a codebook each:

``04_things_that_matter/workshop_rankings.csv``
    A workshop of two partner organisations. Each member ranks eight Things That Matter for their
    own organisation (questions ``own_<thing>``, 1 = matters most) and predicts how the partner
    organisation would rank them (questions ``pred_<thing>``). Kind ``ranking``, scale 1-8.
``04_things_that_matter/webinar_poll.csv``
    A webinar poll of a few hundred people from client and supplier organisations: four Likert items
    on the will and the way to understand partners (one reverse-keyed), and two single-choice items.

Built-in effects (the "truth" a learner's analysis should recover, within its uncertainty):

- each member's ranking is the order of ``priority[party] + Normal(0, RANK_NOISE)`` scores, so each
  party agrees with itself moderately (Kendall's W about 0.6);
- the two parties' priorities are nearly unrelated (Kendall's tau of the two priority vectors is
  about -0.1): they agree on safety, and disagree on margin, future work and end users;
- a member predicting the partner's ranking mixes the partner's true priorities with their own
  (projection weight ``PROJECTION``: 0.6 for the client, 0.35 for the supplier) plus more noise, so
  predictions look partly like the predictor's own priorities: the empathy gap;
- poll: the will items are agreed by about four in five, the way items by about one in five to two
  in five; suppliers are more likely than clients to say they know what matters to their partner
  (odds ratio ``exp(0.6)`` ≈ 1.8 on ``way_know``) and leaders more likely than everyone else to
  say there is a way to find out (odds ratio ``exp(0.7)`` ≈ 2.0 on ``way_method``), both on the
  proportional-odds (ordinal logistic) scale; personal contact is the usual way to learn what
  matters; negative or mixed experiences dominate.

>>> tables = build(7)
>>> sorted(tables)  # doctest: +NORMALIZE_WHITESPACE
['04_things_that_matter/webinar_poll.csv', '04_things_that_matter/webinar_poll_codebook.csv',
 '04_things_that_matter/workshop_rankings.csv', '04_things_that_matter/workshop_rankings_codebook.csv']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError

DEFAULT_SEED = 4073  # a typical sample (see the README): its estimates lie near the built-in effects
FOLDER = "04_things_that_matter"
RANKINGS = f"{FOLDER}/workshop_rankings.csv"
POLL = f"{FOLDER}/webinar_poll.csv"

#: The eight Things That Matter: id -> label shown to workshop members.
THINGS = {
    "safety": "Health and safety",
    "quality": "Quality of the work",
    "end_users": "End-user satisfaction",
    "cost": "Cost certainty",
    "time": "On-time delivery",
    "innovation": "Innovation and new ideas",
    "future": "Future work together",
    "margin": "A fair profit margin",
}
OWN_PREFIX, PRED_PREFIX = "own_", "pred_"

#: Latent priority scores (higher = matters more) of the first (client) and second (supplier) party.
PRIORITY = {
    0: {"safety": 2.0, "quality": 1.5, "end_users": 1.4, "cost": 1.1, "time": 0.8,
        "innovation": 0.1, "future": -0.4, "margin": -1.4},
    1: {"safety": 1.9, "quality": 0.8, "end_users": -0.2, "cost": -0.1, "time": 1.0,
        "innovation": -0.3, "future": 1.1, "margin": 1.4},
}
RANK_NOISE = 0.9        # SD of a member's own-priority noise
PREDICTION_NOISE = 1.1  # SD of the noise in a member's prediction of the partner
PROJECTION = {0: 0.60, 1: 0.35}  # weight of the predictor's own priorities in their prediction
WORKSHOP = {0: {"Leadership": 6, "Delivery": 8}, 1: {"Leadership": 5, "Delivery": 7}}

LIKERT = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
#: Poll items: id -> (text, kind, scale, reverse, construct).
POLL_ITEMS = {
    "will_understand": ("Understanding what matters most to our partner organisation is important to my work.",
                        "likert", LIKERT, False, "will"),
    "will_invest": ("I would give time to find out what matters to our partner organisation.",
                    "likert", LIKERT, False, "will"),
    "way_know": ("I know what matters most to our partner organisation.", "likert", LIKERT, False, "way"),
    "way_method": ("We have a reliable way to find out what matters to our partner organisation.",
                   "likert", LIKERT, False, "way"),
    "way_guess": ("We mostly have to guess what our partner organisation wants.", "likert", LIKERT, True, "way"),
    "how_find_out": ("How do you mostly learn what matters to your partner organisation?", "single_choice",
                     ("Personal contact and conversations", "Formal reviews and KPIs",
                      "A structured exercise (survey or workshop)", "We don't, really"), False, ""),
    "experience": ("Which experiences dominate your relationship with this partner at the moment?",
                   "single_choice", ("Mostly positive", "A mix of positive and negative",
                                     "Mostly negative or challenging"), False, ""),
}
#: Proportional-odds model of each Likert item: location (on the logistic scale), and the trait it loads on.
LOCATION = {"will_understand": 2.0, "will_invest": 1.6, "way_know": -0.6, "way_method": -1.5, "way_guess": 0.6}
CUTS = np.array([-2.2, -0.9, 0.3, 2.2])   # latent cut-points between the five Likert answers
SUPPLIER_KNOW = 0.6      # log odds ratio, supplier vs client, on way_know
LEADER_METHOD = 0.7      # log odds ratio, Leadership vs all other groups, on way_method
POLL_GROUPS = {"Leadership": 62, "Relationship manager": 88, "Delivery": 146, "Other": 4}
SUPPLIER_SHARE = 0.55
SKIP_RATE = 0.03         # share of poll answers left blank (dropped from the tidy file)
HOW_FIND_OUT = {0: [0.52, 0.30, 0.06, 0.12], 1: [0.62, 0.18, 0.08, 0.12]}
EXPERIENCE = [0.17, 0.40, 0.43]


def build(seed: int = DEFAULT_SEED, parties: Sequence[str] = ("Client", "Supplier")) -> dict[str, pd.DataFrame]:
    """Generate the lesson 04 tables (SYNTHETIC) with a seeded NumPy generator.

    Parameters
    ----------
    seed : the seed; the same seed always gives the same bytes once written with ``write_tables``.
    parties : the names of the two partner organisations (first = client side, second = supplier side).

    Returns
    -------
    ``{path relative to datasets/: DataFrame}``: the two tidy tables and their codebooks.
    """
    if len(parties) != 2 or len(set(parties)) != 2:
        raise ValueError("build() needs two different party names")
    rankings_seed, poll_seed = np.random.SeedSequence(seed).spawn(2)
    return {
        RANKINGS: _workshop(np.random.default_rng(rankings_seed), list(parties)),
        RANKINGS.replace(".csv", "_codebook.csv"): rankings_codebook(),
        POLL: _poll(np.random.default_rng(poll_seed), list(parties)),
        POLL.replace(".csv", "_codebook.csv"): poll_codebook(),
    }


def rankings_codebook() -> pd.DataFrame:
    """The workshop codebook: ``own_<thing>`` and ``pred_<thing>``, kind ranking, scale 1-8."""
    n = len(THINGS)
    rows = [
        {"question": f"{OWN_PREFIX}{key}",
         "text": f"Rank for your own organisation (1 = matters most): {label}",
         "kind": "ranking", "scale": f"1-{n}", "reverse": "false", "construct": "own"}
        for key, label in THINGS.items()
    ] + [
        {"question": f"{PRED_PREFIX}{key}",
         "text": f"Rank as you think the partner organisation would (1 = matters most to them): {label}",
         "kind": "ranking", "scale": f"1-{n}", "reverse": "false", "construct": "predicted"}
        for key, label in THINGS.items()
    ]
    return pd.DataFrame(rows)


def poll_codebook() -> pd.DataFrame:
    """The webinar poll codebook."""
    return pd.DataFrame(
        [{"question": key, "text": text, "kind": kind, "scale": "|".join(scale),
          "reverse": "true" if reverse else "false", "construct": construct}
         for key, (text, kind, scale, reverse, construct) in POLL_ITEMS.items()]
    )


def _ranks_from_scores(scores: np.ndarray) -> np.ndarray:
    """1 for the highest score in each row, len(row) for the lowest (scores are continuous: no ties)."""
    order = np.argsort(-scores, axis=1)
    ranks = np.empty_like(order)
    rows = np.arange(scores.shape[0])[:, None]
    ranks[rows, order] = np.arange(1, scores.shape[1] + 1)
    return ranks


def _workshop(rng: np.random.Generator, parties: list[str]) -> pd.DataFrame:
    keys = list(THINGS)
    priority = {p: np.array([PRIORITY[p][k] for k in keys]) for p in (0, 1)}
    frames, number = [], 0
    for p in (0, 1):
        partner = 1 - p
        for group, size in WORKSHOP[p].items():
            own = _ranks_from_scores(priority[p] + rng.normal(0.0, RANK_NOISE, (size, len(keys))))
            mixed = (1 - PROJECTION[p]) * priority[partner] + PROJECTION[p] * priority[p]
            pred = _ranks_from_scores(mixed + rng.normal(0.0, PREDICTION_NOISE, (size, len(keys))))
            for i in range(size):
                number += 1
                respondent = f"W{number:02d}"
                for prefix, ranks in ((OWN_PREFIX, own), (PRED_PREFIX, pred)):
                    frames += [
                        (respondent, f"{prefix}{key}", int(ranks[i, j]), parties[p], group)
                        for j, key in enumerate(keys)
                    ]
    return pd.DataFrame(frames, columns=["respondent", "question", "answer", "party", "group"])


def _poll(rng: np.random.Generator, parties: list[str]) -> pd.DataFrame:
    groups = np.repeat(list(POLL_GROUPS), list(POLL_GROUPS.values()))
    groups = groups[rng.permutation(groups.size)]
    n = groups.size
    supplier = rng.random(n) < SUPPLIER_SHARE
    # two person-level traits (will, way) with a weak positive correlation
    traits = rng.multivariate_normal([0.0, 0.0], [[0.64, 0.13], [0.13, 0.64]], size=n)
    leader = groups == "Leadership"
    answers: dict[str, np.ndarray] = {}
    for key, location in LOCATION.items():
        construct = POLL_ITEMS[key][4]
        trait = traits[:, 0] if construct == "will" else traits[:, 1]
        direction = -1.0 if POLL_ITEMS[key][3] else 1.0  # reverse-keyed: agreeing means less "way"
        latent = location + direction * trait + rng.logistic(0.0, 1.0, n)
        if key == "way_know":
            latent += SUPPLIER_KNOW * supplier
        if key == "way_method":
            latent += LEADER_METHOD * leader
        answers[key] = np.asarray(LIKERT, dtype=object)[np.searchsorted(CUTS, latent)]
    options = POLL_ITEMS["how_find_out"][2]
    answers["how_find_out"] = np.array(
        [options[rng.choice(len(options), p=HOW_FIND_OUT[int(s)])] for s in supplier], dtype=object
    )
    answers["experience"] = np.asarray(POLL_ITEMS["experience"][2], dtype=object)[
        rng.choice(len(EXPERIENCE), size=n, p=EXPERIENCE)
    ]
    party = np.where(supplier, parties[1], parties[0])
    rows = []
    for i in range(n):
        for key in POLL_ITEMS:
            if rng.random() >= SKIP_RATE:
                rows.append((f"P{i + 1:03d}", key, answers[key][i], party[i], groups[i]))
    return pd.DataFrame(rows, columns=["respondent", "question", "answer", "party", "group"])


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
    things = [q[len(OWN_PREFIX):] for q in own]
    unmatched = sorted(set(things) ^ {q[len(PRED_PREFIX):] for q in pred})
    if not own or unmatched:
        raise InputError(
            "the workshop codebook needs ranking questions named own_<thing> and pred_<thing>, one pair "
            f"per thing; {'none found' if not own else 'no twin for: ' + ', '.join(unmatched)}",
            file=codebook.source, column="question",
        )
    if "party" not in responses.columns:
        raise InputError("the workshop file needs a party column (which organisation each member is from)",
                         column="party")
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


def is_bundled(path) -> bool:
    """Whether ``path`` is one of this lesson's bundled (synthetic) files."""
    from pathlib import Path

    from ..paths import datasets_dir

    return Path(path).resolve().parent == (datasets_dir() / FOLDER).resolve()


class Note(str):
    """Plain text a notebook shows as text, not as a quoted string (e.g. why a table is suppressed)."""

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        return str(self)


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
    >>> folder = datasets_dir() / FOLDER
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
                + ", ".join(present) + ". Set party_names to two of them",
                column="party", value=unknown[0],
            )
        self.own = tables["own"][tables["own"]["party"].isin(self.parties)]
        self.predicted = tables["predicted"][tables["predicted"]["party"].isin(self.parties)]
        self.incomplete = {"own": tables["own"].attrs["incomplete"],
                           "predicted": tables["predicted"].attrs["incomplete"]}
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
            row = {"party": party}
            for which, column in (("own", "own rankings"), ("predicted", "predictions of the partner")):
                n = self._count(which, party)
                row[column] = n if n >= self.min_group_size else f"fewer than {self.min_group_size}"
            rows.append(row)
        return pd.DataFrame(rows)

    def note(self) -> Note:
        """A plain sentence on what was suppressed and why (or that nothing was)."""
        small = [f"{p} ({'own rankings' if w == 'own' else 'predictions'})"
                 for p in self.parties for w in ("own", "predicted") if not self.shown(p, w)]
        parts = []
        if small:
            parts.append(
                f"Fewer than min_group_size = {self.min_group_size} complete rankings for: "
                + "; ".join(small) + ". Those rankings are not shown, and comparisons that need them are skipped "
                "(a mean rank of a handful of people could identify them)."
            )
        dropped = sum(self.incomplete.values())
        if dropped:
            parts.append(f"{dropped} incomplete ranking(s) were left out (every thing must have a rank).")
        if not small:
            parts.insert(0, f"Nothing suppressed: each party has at least min_group_size = {self.min_group_size} "
                            "complete rankings.")
        return Note(" ".join(parts))

    def ranks(self, party: str, which: str = "own") -> pd.DataFrame:
        """Members x things ranks of one party (``which``: "own" or "predicted")."""
        table = self.own if which == "own" else self.predicted
        return table[table["party"] == party].drop(columns="party")

    def consensus_order(self, party: str) -> list[str] | None:
        """``party``'s things from its top priority down (mean rank; ties by name), or ``None`` when
        the party is suppressed."""
        from ..stats.alignment import consensus_ranking

        if not self.shown(party):
            return None
        return consensus_ranking(self.ranks(party))["thing"].tolist()

    def concordance(self) -> pd.DataFrame:
        """Kendall's W within each shown party (its own rankings), one row per party."""
        from ..stats.agreement import kendalls_w

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
        from ..stats.alignment import consensus_ranking

        columns = {}
        for party, partner in zip(self.parties, self.parties[::-1], strict=True):
            if self.shown(party):
                columns[f"{party} own"] = consensus_ranking(self.ranks(party)).set_index("thing")["mean_rank"]
            if self.shown(partner, "predicted"):
                columns[f"{party} as predicted by {partner}"] = (
                    consensus_ranking(self.ranks(partner, "predicted")).set_index("thing")["mean_rank"]
                )
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

        from ..notebook import PALETTE

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
                ax.scatter(table[pred], rows + offset, marker=marker, s=70, facecolors="white",
                           edgecolors=colour, linewidths=1.5, label=pred, zorder=2)
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
        from ..stats.alignment import rank_alignment

        a, b = self.parties
        if not (self.shown(a) and self.shown(b)):
            return []
        return rank_alignment(self.ranks(a).mean(), self.ranks(b).mean(), labels=(a, b), seed=seed)

    def empathy(self, seed: int = 0) -> dict:
        """The empathy gap in both directions: ``{party: EmpathyGap}``, party's own priorities vs the
        partner's predictions of them; a direction with a suppressed side is left out."""
        from ..stats.alignment import empathy_gap

        gaps = {}
        for party, partner in zip(self.parties, self.parties[::-1], strict=True):
            if self.shown(party) and self.shown(partner, "predicted"):
                gaps[party] = empathy_gap(self.ranks(party), self.ranks(partner, "predicted"),
                                          labels=(party, partner), seed=seed)
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
        from ..stats.alignment import rank_alignment

        rows = []
        for party in self.parties:
            if self.shown(party) and self.shown(party, "predicted"):
                results = rank_alignment(self.ranks(party, "predicted").mean(), self.ranks(party).mean(),
                                         labels=("prediction", "own"), seed=seed)
                for result in results:
                    row = result.table()
                    row.insert(0, "party", party)
                    rows.append(row)
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame({"party": []})


class WebinarPoll:
    """A poll of two parties' staff on understanding partners, ready for the lesson 04 analyses.

    Every table of answers by party or group goes through the privacy rule first: groups smaller than
    ``min_group_size`` are suppressed (their row stays, its figures blank), and so is the next
    smallest when a total would let a reader recover them by differencing
    (:func:`helpers.polls.privacy.groups_to_suppress`).

    Parameters
    ----------
    data : the poll's :class:`~helpers.polls.PollData`; it needs a ``party`` column.
    parties : the two parties, spelled as in the ``party`` column; other parties are left out.
    min_group_size : the smallest group whose answers may be shown.
    """

    def __init__(self, data, parties: Sequence[str], min_group_size: int = 5):
        responses = data.responses
        if "party" not in responses.columns:
            raise InputError("the poll needs a party column saying which organisation each respondent is from",
                             column="party")
        present = sorted(responses["party"].dropna().astype(str).unique())
        unknown = [p for p in parties if p not in present]
        if unknown:
            raise InputError(
                f"party {unknown[0]!r} is not in the poll; the parties there are: {', '.join(present)}. "
                "Set party_names to two of them", column="party", value=unknown[0],
            )
        self.parties = list(parties)
        self.min_group_size = int(min_group_size)
        self.codebook = data.codebook
        self.responses = responses[responses["party"].isin(self.parties)].copy()
        self.respondents = (self.responses.drop_duplicates("respondent")
                            .set_index("respondent")[[c for c in ("party", "group") if c in responses.columns]])
        self.likert = [q for q in self.codebook.of_kind("likert") if q in set(self.responses["question"])]

    def _hidden(self, by: str) -> list:
        from ..polls.privacy import groups_to_suppress

        sizes = self.respondents[by].value_counts().reindex(self._levels(by), fill_value=0)
        return groups_to_suppress({k: int(v) for k, v in sizes.items()}, self.min_group_size)

    def _levels(self, by: str) -> list:
        if by == "party":
            return list(self.parties)
        counts = self.respondents[by].value_counts()
        return sorted(counts.index, key=lambda g: (-counts[g], str(g)))  # largest first

    def sizes(self, by: str | None = None) -> pd.DataFrame:
        """Respondents per party and per group (or only ``by``); groups below ``min_group_size``
        shown as "fewer than k", never as their number."""
        rows = []
        for column in [by] if by else list(self.respondents.columns):
            counts = self.respondents[column].value_counts()
            for level in self._levels(column):
                n = int(counts.get(level, 0))
                rows.append({"by": column, "name": level,
                             "respondents": n if n >= self.min_group_size else f"fewer than {self.min_group_size}"})
        return pd.DataFrame(rows)

    def note(self) -> Note:
        """Which groups are suppressed and why (or that none is)."""
        from ..polls.privacy import small_groups

        parts = []
        for by in self.respondents.columns:
            hidden = self._hidden(by)
            small = small_groups(self.respondents[by].value_counts().to_dict(), self.min_group_size)
            if small:
                parts.append(f"By {by}: {', '.join(map(str, small))} ha{'s' if len(small) == 1 else 've'} "
                             f"fewer than min_group_size = {self.min_group_size} respondents, so "
                             f"{'its' if len(small) == 1 else 'their'} answers are not shown or modelled.")
            extra = [g for g in hidden if g not in small]
            if extra:
                parts.append(f"In tables by {by}, {', '.join(map(str, extra))} is hidden too, so that the "
                             "small group cannot be recovered from the totals.")
        return Note(" ".join(parts) or f"Nothing suppressed: every party and group has at least "
                                       f"min_group_size = {self.min_group_size} respondents.")

    def likert_answers(self) -> pd.DataFrame:
        """The answers to the Likert statements (one row per answer), for a diverging Likert chart."""
        return self.responses[self.responses["question"].isin(self.likert)]

    def likert_labels(self) -> list[str]:
        """The answer labels shared by the Likert statements, most negative first."""
        scales = {self.codebook[q].labels for q in self.likert}
        if len(scales) != 1:
            raise InputError("the poll's Likert statements use different answer scales; chart them separately",
                             file=self.codebook.source, column="scale")
        return list(scales.pop())

    def texts(self) -> dict[str, str]:
        """Question id -> question text, for labelling charts."""
        return {q.id: q.text for q in self.codebook}

    def agreement(self, by: str | None = None, ci_level: float = 0.95) -> pd.DataFrame:
        """Share who agree (the top two answers) with each Likert statement, with Wilson intervals.

        Agreement is with the statement *as worded*, also for reverse-keyed items (their ``reverse``
        flag only matters for scores). With ``by`` ("party" or "group"), one row per item and group;
        suppressed groups keep their row with blank figures and a ``suppressed`` reason.
        """
        from ..stats.proportions import wilson_ci

        hidden = self._hidden(by) if by else []
        rows = []
        for qid in self.likert:
            question = self.codebook[qid]
            answers = self.responses[self.responses["question"] == qid]
            top = set(question.labels[-2:])
            groups = [(None, answers)] if not by else [
                (level, answers[answers[by] == level]) for level in self._levels(by)]
            for level, subset in groups:
                row = {"question": qid, "construct": question.construct or ""}
                if by:
                    row[by] = level
                n, agree = len(subset), int(subset["answer"].isin(top).sum())
                if level in hidden or n == 0:
                    row.update(n=np.nan, agree=np.nan, share=np.nan, ci_low=np.nan, ci_high=np.nan,
                               suppressed="too few respondents" if level in hidden else "no answers")
                else:
                    result = wilson_ci(agree, n, ci_level)
                    row.update(n=n, agree=agree, share=result.estimate, ci_low=result.ci[0],
                               ci_high=result.ci[1], suppressed="")
                rows.append(row)
        table = pd.DataFrame(rows)
        if not by or not hidden:
            table = table.drop(columns="suppressed")
        table.attrs["method"] = f"Share agreeing (top two answers) with {ci_level:.0%} Wilson score interval"
        return table

    def crosstab(self, question: str, by: str = "party") -> pd.DataFrame | None:
        """Counts of each answer to a choice question by party (or group), suppressed groups left
        out; ``None`` when fewer than two groups remain (then no chi-square test is possible)."""
        if question not in self.codebook:
            raise InputError(f"question {question!r} is not in the poll's codebook", value=question)
        hidden = set(self._hidden(by))
        answers = self.responses[(self.responses["question"] == question) & ~self.responses[by].isin(hidden)]
        options = list(self.codebook[question].labels or sorted(answers["answer"].unique()))
        table = pd.crosstab(answers[by], answers["answer"]).reindex(columns=options, fill_value=0)
        table = table.reindex([g for g in self._levels(by) if g in table.index])
        table = table.loc[:, table.sum(axis=0) > 0]
        table.index.name, table.columns.name = by, None
        return table if table.shape[0] >= 2 and table.shape[1] >= 2 else None

    def model_frame(self, outcome: str) -> tuple[pd.DataFrame, list[str], dict]:
        """One row per respondent for :func:`helpers.stats.ordinal.ordinal_logit`.

        Returns ``(frame, predictors, levels)``: respondents of suppressed groups are left out;
        ``party`` and ``group`` are predictors when at least two of their levels remain; the first
        party and the largest group are the reference levels.
        """
        from ..polls.privacy import small_groups

        question = self.codebook[outcome]
        if question.kind not in ("likert", "rating") or not question.labels:
            raise InputError(f"the ordinal model needs a labelled likert or rating item; {outcome!r} is "
                             f"{question.kind}", value=outcome)
        answers = self.responses[self.responses["question"] == outcome]
        frame = answers[["answer", *self.respondents.columns]].reset_index(drop=True)
        predictors, levels = [], {"answer": list(question.labels)}
        for by in self.respondents.columns:
            # no totals are shown beside a model, so only the small groups themselves are left out
            hidden = set(small_groups(self.respondents[by].value_counts().to_dict(), self.min_group_size))
            frame = frame[~frame[by].isin(hidden)]
            kept = [g for g in self._levels(by) if g not in hidden and (frame[by] == g).any()]
            if len(kept) >= 2:
                predictors.append(by)
                levels[by] = kept
        return frame.reset_index(drop=True), predictors, levels

    def agreement_within(self) -> pd.DataFrame:
        """How far members of each party answer alike: Krippendorff's alpha and r_wg(J) per party.

        - **Krippendorff's alpha (ordinal)**: each respondent is a *coder* and each Likert statement
          a *unit*; alpha asks whether two people of the same party give closer answers to the same
          statement than two answers drawn at random from all the party's answers. Answers are the
          labels as worded (the reverse-keyed statement is not mirrored) and the codebook's whole
          scale is the value domain, so answers nobody chose still count in the ordinal distances.
          With only a handful of statements as units there is no useful interval, so none is given.
        - **r_wg(J)** (James, Demaree & Wolf 1984) for each construct of Likert statements: the
          party's observed answer variance against the variance of random answering on the scale,
          on the scored values (reverse-keyed items mirrored, which leaves their variance unchanged).

        A party hidden by the privacy rule (as in :meth:`agreement` by party) keeps its rows with
        blank figures; a statistic that cannot be computed (say, everyone gave one answer) gets a
        note instead of a number.

        Returns
        -------
        One row per party and statistic: ``party, method, items, people, estimate, interpretation``
        (+ ``note`` when a row has no figure).
        """
        from ..errors import WorkbookError
        from ..stats.agreement import krippendorff_alpha, rwg_j

        if not self.likert:
            raise InputError("agreement within parties needs likert questions in the poll's codebook",
                             file=self.codebook.source, column="kind")
        labels = self.likert_labels()
        constructs = {}
        for qid in self.likert:
            if self.codebook[qid].construct:
                constructs.setdefault(self.codebook[qid].construct, []).append(qid)
        hidden = set(self._hidden("party"))
        answers = self.responses[self.responses["question"].isin(self.likert)]
        rows = []
        for party in self.parties:
            subset = answers[answers["party"] == party]
            tasks = [("Krippendorff's alpha (ordinal)", f"all {len(self.likert)} statements (units)",
                      lambda s=subset: krippendorff_alpha(self._wide(s, "answer", self.likert), level="ordinal",
                                                          value_domain=labels))]
            tasks += [("r_wg(J), uniform null", f"{name} ({len(items)} items)",
                       lambda s=subset, i=items: rwg_j(self._wide(s, "value", i), n_options=len(labels)))
                      for name, items in constructs.items()]
            people = int(subset["respondent"].nunique())
            for method, items, compute in tasks:
                row = {"party": party, "method": method, "items": items}
                if party in hidden:
                    row.update(people=np.nan, estimate=np.nan, interpretation="", note="too few respondents")
                else:
                    try:
                        result = compute()
                    except WorkbookError as error:
                        row.update(people=people, estimate=np.nan, interpretation="", note=str(error))
                    else:
                        row.update(people=people, estimate=round(float(result.estimate), 3),
                                   interpretation=f"{result.interpretation} ({result.interpretation_source})",
                                   note="")
                rows.append(row)
        table = pd.DataFrame(rows)
        if (table["note"] == "").all():
            table = table.drop(columns="note")
        table.attrs["method"] = ("Krippendorff's alpha: respondents as coders, statements as units; "
                                 "r_wg(J): per construct, uniform null distribution")
        return table

    @staticmethod
    def _wide(answers: pd.DataFrame, values: str, questions: Sequence[str]) -> pd.DataFrame:
        """Respondents x questions of ``values`` ("answer" labels or scored "value"), in question order."""
        wide = answers.pivot_table(index="respondent", columns="question", values=values,
                                   aggfunc="first", observed=True)
        return wide.reindex(columns=list(questions))

    def compare_with(self, mine: pd.DataFrame | None) -> pd.DataFrame | Note:
        """A learner's own answers to the Likert statements next to the room's agreement shares.

        Parameters
        ----------
        mine : the learner's tidy answers (``LikertForm.responses()``: question, answer, ...); empty or
            ``None`` before they have answered.

        Returns
        -------
        One row per statement the learner answered, in codebook order: ``statement, your answer,
        you agree`` (yes when the answer is one of the top two), the room's ``room agrees`` share with
        its Wilson interval and ``n``, and ``same answer as you`` (share of the room giving exactly
        that answer). A statement fewer than ``min_group_size`` people answered in the room keeps its
        row with blank room figures. Before any answer: a short note saying what to do.
        """
        if mine is None or len(mine) == 0 or not set(mine["question"]) & set(self.likert):
            return Note("No answers yet. Answer the poll above, press Save answers, then re-run this cell "
                        "to see your answers next to the room's.")
        given = mine.drop_duplicates("question", keep="last").set_index("question")["answer"].astype(str)
        room = self.agreement().set_index("question")
        rows = []
        for qid in self.likert:
            if qid not in given.index:
                continue
            question, answer = self.codebook[qid], given[qid]
            answered = self.responses.loc[self.responses["question"] == qid, "answer"].astype(str)
            row = {"statement": question.text, "your answer": answer,
                   "you agree": "yes" if answer in question.labels[-2:] else "no"}
            if len(answered) < self.min_group_size:
                row.update({"room agrees": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": np.nan,
                            "same answer as you": np.nan})
            else:
                row.update({"room agrees": room.loc[qid, "share"], "ci_low": room.loc[qid, "ci_low"],
                            "ci_high": room.loc[qid, "ci_high"], "n": int(room.loc[qid, "n"]),
                            "same answer as you": round(float((answered == answer).mean()), 3)})
            rows.append(row)
        return pd.DataFrame(rows)
