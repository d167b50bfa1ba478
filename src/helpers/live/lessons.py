"""What a live poll serves: a lesson's own poll, or any codebook CSV.

A lesson's poll is made of its bundled codebooks (under ``datasets/``) plus the grouping questions its
notebook compares by, with the options spelled as in the lesson's data, so the notebook runs on the
room's answers unchanged:

- **04**: the Things That Matter rankings (own priorities, then predict the partner's), then the
  webinar statements; grouped by party (Client, Supplier) and group.
- **05**: the partnership health check (28 statements in seven dimensions), by party and group.
- **01**: the seven before/after ratings, by party; the trainer switches the wave (``pre`` at the
  start of the day, ``post`` at the end), so each participant's two answers are paired.

A codebook CSV may carry grouping questions of its own: rows with the question id ``party``, ``group``
or ``wave`` and kind ``single_choice``, whose options are the groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..paths import datasets_dir
from ..polls.codebook import Codebook, Question, read_codebook


@dataclass(frozen=True)
class PollPlan:
    title: str
    source: str
    codebook: Codebook
    waves: tuple[str, ...] = ()
    titles: tuple[tuple[str, str], ...] = ()


def _choice(qid: str, text: str, options: tuple[str, ...]) -> Question:
    return Question(id=qid, text=text, kind="single_choice", labels=options)


_LESSONS = {
    "01": dict(
        title="Lesson 01: the relationship before and after the day",
        codebooks=("01_landlord_and_utility/evaluation_codebook.csv",),
        grouping=(_choice("party", "Which organisation do you work for?", ("Landlord", "Utility")),),
        waves=("pre", "post"),
        titles=(("relationship", "The relationship between the two organisations"), ("contract", "The contract")),
    ),
    "04": dict(
        title="Lesson 04: Things That Matter",
        codebooks=(
            "04_things_that_matter/workshop_rankings_codebook.csv",
            "04_things_that_matter/webinar_poll_codebook.csv",
        ),
        grouping=(
            _choice("party", "Which organisation do you work for?", ("Client", "Supplier")),
            _choice(
                "group", "Which best describes your role?", ("Leadership", "Delivery", "Relationship manager", "Other")
            ),
        ),
        waves=(),
        titles=(("will", "The will to understand your partner"), ("way", "The way to find out what matters to them")),
    ),
    "05": dict(
        title="Lesson 05: partnership health check",
        codebooks=("05_partnership_health_check/health_check_codebook.csv",),
        grouping=(
            _choice("party", "Which organisation do you work for?", ("Cobalt Engineering", "Riverside Water")),
            _choice("group", "Which best describes your role?", ("Leadership", "Managers", "Front line")),
        ),
        waves=(),
    ),
}

LESSONS = tuple(_LESSONS)


def plan(source: str) -> PollPlan:
    """The poll for ``source``: a lesson number (``04``, ``4`` or ``04_things_that_matter``) or a codebook file."""
    text = str(source).strip()
    number = text.split("_")[0].zfill(2) if text.split("_")[0].isdigit() else None
    if number is not None and not Path(text).is_file():
        if number not in _LESSONS:
            raise InputError(
                f"lesson {text} has no live poll; the lessons with one are {', '.join(LESSONS)} "
                "(or give a codebook CSV)"
            )
        lesson = _LESSONS[number]
        questions = {q.id: q for q in lesson["grouping"]}
        for relative in lesson["codebooks"]:
            for q in read_codebook(datasets_dir() / relative):
                questions[q.id] = q
        return PollPlan(
            lesson["title"],
            f"lesson {number}",
            Codebook(questions, source=f"lesson {number}"),
            tuple(lesson["waves"]),
            tuple(lesson.get("titles", ())),
        )
    path = Path(text)
    codebook = read_codebook(path)
    for qid in ("party", "group", "wave"):
        if qid in codebook and (codebook[qid].kind != "single_choice" or not codebook[qid].labels):
            raise InputError(
                f"the grouping question {qid!r} must be single_choice with its groups as options",
                file=path.name,
                column="kind",
                value=codebook[qid].kind,
            )
    return PollPlan(f"Poll: {path.stem}", path.name, codebook, ())
