"""Check one submitted block of answers before anything is written.

A submission is all or nothing: if any field is unknown, too long or outside its question's scale, the
participant gets one plain sentence back (HTTP 4xx) and nothing is stored. Answers are kept in the
codebook's spelling, so :func:`helpers.polls.load` reads them exactly as it reads a tidy file.
"""

from __future__ import annotations

import math

from ..polls.codebook import Question
from ..polls.session import Block, Change

#: Longest open-text answer (characters): a sentence or two, as on a sticky note.
MAX_TEXT = 500
#: Longest other single field (a number, a label).
MAX_FIELD = 200
FIELD_PREFIX = "q."
PRESENT_PREFIX = "shown."


class AnswerError(Exception):
    """A submission that cannot be stored; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def parse_block(block: Block, form: list[tuple[str, str]], participant: str) -> list[Change]:
    """The changes a block's form asks for: new or changed answers, and cleared ones (answer None)."""
    by_id = {q.id: q for q in block.questions}
    values: dict[str, list[str]] = {}
    shown: set[str] = set()
    for name, value in form:
        if name in ("csrf", "block"):
            continue
        if name.startswith(PRESENT_PREFIX) and name[len(PRESENT_PREFIX) :] in by_id:
            shown.add(name[len(PRESENT_PREFIX) :])
            continue
        qid = name[len(FIELD_PREFIX) :] if name.startswith(FIELD_PREFIX) else None
        if qid not in by_id:
            raise AnswerError(400, f"the form field {name[:40]!r} is not a question of this block")
        limit = MAX_TEXT if by_id[qid].kind == "open_text" else MAX_FIELD
        if len(value) > limit:
            raise AnswerError(413, f"an answer may have at most {limit} characters; this one has {len(value)}")
        if "\x00" in value:
            raise AnswerError(400, "an answer may not contain a NUL character")
        values.setdefault(qid, []).append(value)
    if block.is_ranking:
        return _ranking(block, values, participant)
    changes = []
    for q in block.questions:
        given = values.get(q.id, [])
        if q.kind == "multi_choice":
            if given or q.id in shown:
                changes.append(Change(participant, q.id, _multi(q, given)))
            continue
        if len(given) > 1:
            raise AnswerError(400, f"question {q.id!r} was answered more than once in one form")
        if given:
            changes.append(Change(participant, q.id, _single(q, given[0])))
    return changes


def _single(q: Question, raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None  # a cleared answer
    if q.kind == "open_text":
        return text
    if q.labels and q.kind != "numeric":
        match = {label.casefold(): label for label in q.labels}.get(text.casefold())
        if match is None:
            raise AnswerError(422, f"{text[:40]!r} is not one of the answers to {q.id!r}")
        return match
    if q.kind in ("likert", "rating", "ranking", "numeric"):
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise AnswerError(422, f"the answer to {q.id!r} must be a number, not {text[:40]!r}") from None
        if not math.isfinite(number):
            raise AnswerError(422, f"the answer to {q.id!r} must be a finite number")
        if q.kind != "numeric" and not number.is_integer():
            raise AnswerError(422, f"the answer to {q.id!r} must be a whole number")
        if q.low is not None and q.high is not None and not q.low <= number <= q.high:
            raise AnswerError(422, f"the answer to {q.id!r} must lie from {q.low:g} to {q.high:g}")
        return str(int(number)) if number.is_integer() else repr(number)
    return text


def _multi(q: Question, given: list[str]) -> str | None:
    if not given:
        return None
    options = {label.casefold(): label for label in (q.labels or ())}
    chosen = set()
    for raw in given:
        label = options.get(raw.strip().casefold())
        if label is None:
            raise AnswerError(422, f"{raw[:40]!r} is not one of the options of {q.id!r}")
        chosen.add(label)
    return "; ".join(label for label in q.labels if label in chosen)


def _ranking(block: Block, values: dict[str, list[str]], participant: str) -> list[Change]:
    """A ranking block is answered whole: every item gets a different rank 1..n (or none at all)."""
    items = block.questions
    given = {q.id: values.get(q.id, [""])[-1].strip() for q in items}
    if all(not v for v in given.values()):
        return []
    n = len(items)
    try:
        ranks = {qid: int(v) for qid, v in given.items()}
    except ValueError:
        raise AnswerError(422, f"give every item a rank from 1 to {n}") from None
    if sorted(ranks.values()) != list(range(1, n + 1)):
        raise AnswerError(422, f"give every item a different rank from 1 to {n} (each rank once)")
    return [Change(participant, qid, str(rank)) for qid, rank in ranks.items()]
