"""What the trainer's projector page and notebook widget show: responses so far and tallies per question.

The privacy rule is the project's one rule (:func:`helpers.polls.privacy.groups_to_suppress`): a
group (party, group, wave option) with fewer than ``min_group_size`` people is held back, with the
next smallest when a total would let a reader recover it; and a question's tally is held back until
``min_group_size`` people have answered it, so nobody's answer can be read off the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..polls.privacy import groups_to_suppress
from ..polls.session import Block, SessionStore

#: Rating scales up to this many points are tallied point by point; wider ones by mean and median.
MAX_POINTS = 11


@dataclass
class BlockTally:
    id: str
    title: str
    state: str
    answered: int
    held_back: bool
    #: (label, count or None when held back) for choice, likert and rating questions
    questions: list[dict] = field(default_factory=list)
    #: (item, mean rank) best first, for ranking blocks
    ranking: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Tally:
    title: str
    state: str
    wave: str
    join_code: str
    min_group_size: int
    joined: int
    answered: int
    groups: list[dict]
    blocks: list[BlockTally]


def tally(store: SessionStore) -> Tally:
    """The tally of a session, computed from its store (cheap enough to run once a second)."""
    meta = store.meta()
    m = int(meta["min_group_size"])
    answers = store.answers()
    counts = store.counts()
    wave = meta["wave"]
    current = answers[(answers["role"] == "question") & (answers["wave"] == wave)]
    grouping = answers[answers["role"] != "question"].drop_duplicates(["participant", "question"], keep="last")
    groups, blocks = [], []
    for block in store.blocks():
        if block.id == "about":
            for q in block.questions:
                sizes = grouping[grouping["question"] == q.id]["answer"].value_counts().to_dict()
                hidden = set(groups_to_suppress(sizes, m))
                rows = [(label, None if label in hidden else int(sizes[label])) for label in q.labels if label in sizes]
                groups.append({"id": q.id, "text": q.text, "rows": rows, "hidden": len(hidden)})
            continue
        blocks.append(_block(block, current[current["question"].isin([q.id for q in block.questions])], m))
    return Tally(
        meta["title"],
        meta["state"],
        wave,
        meta["join_code"],
        m,
        counts["joined"],
        int(answers["participant"].nunique()),
        groups,
        blocks,
    )


def _block(block: Block, answers, m: int) -> BlockTally:
    people = int(answers["participant"].nunique())
    result = BlockTally(block.id, block.title, block.state, people, held_back=people < m)
    if block.is_ranking:
        complete = answers.groupby("participant")["question"].transform("size") == len(block.questions)
        ranked = answers[complete]
        result.answered = int(ranked["participant"].nunique())
        result.held_back = result.answered < m
        if not result.held_back:
            means = ranked.assign(rank=ranked["answer"].astype(float)).groupby("question")["rank"].mean()
            labels = {q.id: q.text.partition(":")[2].strip() or q.text for q in block.questions}
            result.ranking = [(labels[qid], round(float(v), 2)) for qid, v in means.sort_values(kind="stable").items()]
        return result
    for q in block.questions:
        given = answers[answers["question"] == q.id]["answer"]
        entry = {
            "id": q.id,
            "text": q.text,
            "kind": q.kind,
            "n": int(len(given)),
            "held_back": len(given) < m,
            "rows": [],
            "summary": "",
            "texts": [],
        }
        if not entry["held_back"]:
            if q.kind == "open_text":
                entry["texts"] = sorted(given.tolist(), key=str.casefold)
            elif q.kind == "multi_choice":
                chosen = given.str.split("; ").explode().value_counts()
                entry["rows"] = [(label, int(chosen.get(label, 0))) for label in q.labels or ()]
            elif q.labels:
                counts = given.value_counts()
                entry["rows"] = [(label, int(counts.get(label, 0))) for label in q.labels]
            elif q.low is not None and q.kind != "numeric" and q.high - q.low + 1 <= MAX_POINTS:
                counts = given.astype(float).value_counts()
                points = range(int(q.low), int(q.high) + 1)
                entry["rows"] = [(str(p), int(counts.get(float(p), 0))) for p in points]
            else:
                numbers = given.astype(float)
                entry["summary"] = f"mean {numbers.mean():.2f}, median {numbers.median():g}"
        result.questions.append(entry)
    return result
