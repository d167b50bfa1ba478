"""Lesson 04, the webinar poll: the will and the way to understand a partner, by party and group.

:class:`WebinarPoll` applies the privacy rule to every table of answers by party or group, and gives
the lesson's views of the poll: agreement shares with Wilson intervals, cross-tables for a
chi-square test, a frame for the ordinal model, agreement within each party (Krippendorff's alpha,
r_wg(J)) and a learner's own answers next to the room's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ...errors import InputError
from ...notebook import Note
from ...stats.result import Result


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
            raise InputError(
                "the poll needs a party column saying which organisation each respondent is from", column="party"
            )
        present = sorted(responses["party"].dropna().astype(str).unique())
        unknown = [p for p in parties if p not in present]
        if unknown:
            raise InputError(
                f"party {unknown[0]!r} is not in the poll; the parties there are: {', '.join(present)}. "
                "Set party_names to two of them",
                column="party",
                value=unknown[0],
            )
        self.parties = list(parties)
        self.min_group_size = int(min_group_size)
        self.codebook = data.codebook
        self.responses = responses[responses["party"].isin(self.parties)].copy()
        self.respondents = self.responses.drop_duplicates("respondent").set_index("respondent")[
            [c for c in ("party", "group") if c in responses.columns]
        ]
        self.likert = [q for q in self.codebook.of_kind("likert") if q in set(self.responses["question"])]

    def _decision(self, by: str):
        """The privacy stage's decision for tables by ``by``, made together with the other grouping
        shown beside it (party and group), so no group can be recovered across the two tables."""
        from ...polls.suppress import suppression

        others = [c for c in self.respondents.columns if c != by]
        return suppression(self.respondents, by, min_group_size=self.min_group_size, shown_with=others)

    def _hidden(self, by: str) -> list:
        hidden = self._decision(by).hidden
        return [level for level in self._levels(by) if level in hidden]

    def _levels(self, by: str) -> list:
        if by == "party":
            return list(self.parties)
        counts = self.respondents[by].value_counts()
        return sorted(counts.index, key=lambda g: (-counts[g], str(g)))  # largest first

    def sizes(self, by: str | None = None) -> pd.DataFrame:
        """Respondents per party and per group (or only ``by``); groups below ``min_group_size``
        shown as "fewer than k", and the groups hidden with them as "hidden", never as their number
        (:func:`helpers.polls.suppress.suppression`)."""
        rows = []
        for column in [by] if by else list(self.respondents.columns):
            decision = self._decision(column)
            for level in self._levels(column):
                rows.append({"by": column, "name": level, "respondents": decision.size(level)})
        return pd.DataFrame(rows)

    def note(self) -> Note:
        """Which groups are suppressed and why (or that none is)."""
        parts = []
        for by in self.respondents.columns:
            hidden = self._hidden(by)
            small = self._decision(by).small
            if small:
                parts.append(
                    f"By {by}: {', '.join(map(str, small))} ha{'s' if len(small) == 1 else 've'} "
                    f"fewer than min_group_size = {self.min_group_size} respondents, so "
                    f"{'its' if len(small) == 1 else 'their'} answers are not shown or modelled."
                )
            extra = [g for g in hidden if g not in small]
            if extra:
                parts.append(
                    f"In tables by {by}, {', '.join(map(str, extra))} "
                    f"{'is' if len(extra) == 1 else 'are'} hidden too, so that no small group can be "
                    "recovered from the totals or from the other table."
                )
        return Note(
            " ".join(parts)
            or f"Nothing suppressed: every party and group has at least "
            f"min_group_size = {self.min_group_size} respondents."
        )

    def likert_answers(self) -> pd.DataFrame:
        """The answers to the Likert statements (one row per answer), for a diverging Likert chart."""
        return self.responses[self.responses["question"].isin(self.likert)]

    def likert_labels(self) -> list[str]:
        """The answer labels shared by the Likert statements, most negative first."""
        scales = {self.codebook[q].labels for q in self.likert}
        if len(scales) != 1:
            raise InputError(
                "the poll's Likert statements use different answer scales; chart them separately",
                file=self.codebook.source,
                column="scale",
            )
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
        from ...stats.proportions import wilson_ci

        hidden = self._hidden(by) if by else []
        rows = []
        for qid in self.likert:
            question = self.codebook[qid]
            answers = self.responses[self.responses["question"] == qid]
            top = set(question.labels[-2:])
            groups = (
                [(None, answers)] if not by else [(level, answers[answers[by] == level]) for level in self._levels(by)]
            )
            for level, subset in groups:
                row = {"question": qid, "construct": question.construct or ""}
                if by:
                    row[by] = level
                n, agree = len(subset), int(subset["answer"].isin(top).sum())
                if level in hidden or n == 0:
                    row.update(
                        n=np.nan,
                        agree=np.nan,
                        share=np.nan,
                        ci_low=np.nan,
                        ci_high=np.nan,
                        suppressed="too few respondents" if level in hidden else "no answers",
                    )
                else:
                    result = wilson_ci(agree, n, ci_level)
                    assert result.ci is not None  # a Wilson interval always exists
                    row.update(
                        n=n,
                        agree=agree,
                        share=result.estimate,
                        ci_low=result.ci[0],
                        ci_high=result.ci[1],
                        suppressed="",
                    )
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
        from ...polls.privacy import small_groups

        question = self.codebook[outcome]
        if question.kind not in ("likert", "rating") or not question.labels:
            raise InputError(
                f"the ordinal model needs a labelled likert or rating item; {outcome!r} is {question.kind}",
                value=outcome,
            )
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
        from ...errors import WorkbookError
        from ...stats.agreement import krippendorff_alpha, rwg_j

        if not self.likert:
            raise InputError(
                "agreement within parties needs likert questions in the poll's codebook",
                file=self.codebook.source,
                column="kind",
            )
        labels = self.likert_labels()
        constructs: dict[str, list[str]] = {}
        for qid in self.likert:
            if self.codebook[qid].construct:
                constructs.setdefault(self.codebook[qid].construct, []).append(qid)
        hidden = set(self._hidden("party"))
        answers = self.responses[self.responses["question"].isin(self.likert)]
        rows = []
        for party in self.parties:
            subset = answers[answers["party"] == party]
            tasks: list[tuple[str, str, Callable[..., Result]]] = [
                (
                    "Krippendorff's alpha (ordinal)",
                    f"all {len(self.likert)} statements (units)",
                    lambda s=subset: krippendorff_alpha(
                        self._wide(s, "answer", self.likert), level="ordinal", value_domain=labels
                    ),
                )
            ]
            tasks += [
                (
                    "r_wg(J), uniform null",
                    f"{name} ({len(items)} items)",
                    lambda s=subset, i=items: rwg_j(self._wide(s, "value", i), n_options=len(labels)),
                )
                for name, items in constructs.items()
            ]
            people = int(subset["respondent"].nunique())
            for method, items, compute in tasks:
                row: dict[str, object] = {"party": party, "method": method, "items": items}
                if party in hidden:
                    row.update(people=np.nan, estimate=np.nan, interpretation="", note="too few respondents")
                else:
                    try:
                        result = compute()
                    except WorkbookError as error:
                        row.update(people=people, estimate=np.nan, interpretation="", note=str(error))
                    else:
                        row.update(
                            people=people,
                            estimate=round(float(result.estimate), 3),
                            interpretation=f"{result.interpretation} ({result.interpretation_source})",
                            note="",
                        )
                rows.append(row)
        table = pd.DataFrame(rows)
        if (table["note"] == "").all():
            table = table.drop(columns="note")
        table.attrs["method"] = (
            "Krippendorff's alpha: respondents as coders, statements as units; "
            "r_wg(J): per construct, uniform null distribution"
        )
        return table

    @staticmethod
    def _wide(answers: pd.DataFrame, values: str, questions: Sequence[str]) -> pd.DataFrame:
        """Respondents x questions of ``values`` ("answer" labels or scored "value"), in question order."""
        wide = answers.pivot_table(
            index="respondent", columns="question", values=values, aggfunc="first", observed=True
        )
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
            return Note(
                "No answers yet. Answer the poll above and press Save answers: your answers then show "
                "next to the room's."
            )
        given = mine.drop_duplicates("question", keep="last").set_index("question")["answer"].astype(str)
        room = self.agreement().set_index("question")
        rows = []
        for qid in self.likert:
            if qid not in given.index:
                continue
            question, answer = self.codebook[qid], given[qid]
            answered = self.responses.loc[self.responses["question"] == qid, "answer"].astype(str)
            row = {
                "statement": question.text,
                "your answer": answer,
                "you agree": "yes" if answer in question.labels[-2:] else "no",
            }
            if len(answered) < self.min_group_size:
                row.update(
                    {
                        "room agrees": np.nan,
                        "ci_low": np.nan,
                        "ci_high": np.nan,
                        "n": np.nan,
                        "same answer as you": np.nan,
                    }
                )
            else:
                row.update(
                    {
                        "room agrees": room.loc[qid, "share"],
                        "ci_low": room.loc[qid, "ci_low"],
                        "ci_high": room.loc[qid, "ci_high"],
                        "n": int(room.loc[qid, "n"]),
                        "same answer as you": round(float((answered == answer).mean()), 3),
                    }
                )
            rows.append(row)
        return pd.DataFrame(rows)
