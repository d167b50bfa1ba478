"""Draft a codebook from the answers an export holds, for the user to confirm.

A poll export says what was asked but rarely what kind of question it was. The draft guesses, from
the answers themselves, and says so: every guess is listed in the import report's notes, and the
draft is written as a codebook CSV the user edits (kinds, scale order, reverse items, constructs)
before trusting any statistic. Rules, in order:

1. the layout said it (an open-ended column, a column per option): use that;
2. every answer is one of the labels of a common Likert scale (agreement in 5 or 7 points,
   frequency, satisfaction, importance, quality, likelihood): ``likert`` with the first such scale, in
   its usual order (5-point agreement unless a 7-point label such as "Somewhat agree" occurs);
3. every answer is a whole number between 0 and 10: ``rating`` on the smallest usual range (1-5,
   1-7, 0-10, ...) that holds them; other numbers: ``numeric``;
4. answers joined by the tool's multi-select separator whose parts recur: ``multi_choice`` with the
   parts as options (an option that itself holds the separator is kept whole when the export or a
   codebook lists it);
5. few distinct short answers, some given more than once: ``single_choice``; anything else:
   ``open_text``.
"""

from __future__ import annotations

import math
import re

from ..codebook import Codebook, Question
from .base import QuestionDraft, is_blank

_NEUTRAL = ("Neither agree nor disagree", "Neither", "Neutral", "Undecided", "Neither agree or disagree")
LIKERT_SCALES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("agreement (5 points)", (("Strongly disagree",), ("Disagree",), _NEUTRAL, ("Agree",), ("Strongly agree",))),
    (
        "agreement (7 points)",
        (
            ("Strongly disagree",),
            ("Disagree",),
            ("Somewhat disagree", "Slightly disagree"),
            _NEUTRAL,
            ("Somewhat agree", "Slightly agree"),
            ("Agree",),
            ("Strongly agree",),
        ),
    ),
    ("frequency", (("Never",), ("Rarely",), ("Sometimes",), ("Often", "Usually"), ("Always",))),
    (
        "satisfaction",
        (
            ("Very dissatisfied",),
            ("Dissatisfied",),
            ("Neutral", "Neither satisfied nor dissatisfied"),
            ("Satisfied",),
            ("Very satisfied",),
        ),
    ),
    (
        "importance",
        (
            ("Not at all important",),
            ("Slightly important", "Low importance"),
            ("Moderately important", "Neutral"),
            ("Very important",),
            ("Extremely important",),
        ),
    ),
    ("quality", (("Very poor",), ("Poor",), ("Fair", "Average"), ("Good",), ("Excellent", "Very good"))),
    (
        "likelihood",
        (("Very unlikely",), ("Unlikely",), ("Neutral", "Neither likely nor unlikely"), ("Likely",), ("Very likely",)),
    ),
)
_RATING_TOPS = (3, 4, 5, 7, 10)
MAX_CHOICES = 15


def draft_codebook(
    drafts: list[QuestionDraft], answers: dict[str, list[str]], source: str = "draft codebook"
) -> tuple[Codebook, list[str]]:
    """Infer a :class:`Codebook` for ``drafts`` from ``answers`` (question id -> raw answers).

    Returns the codebook and one note per question saying what was inferred and from what, to be
    shown in the import report so the user can confirm or correct it.
    """
    questions: dict[str, Question] = {}
    notes: list[str] = []
    for draft in drafts:
        values = [str(v).strip() for v in answers.get(draft.id, []) if not is_blank(v)]
        question, why = infer_question(draft, values)
        questions[question.id] = question
        notes.append(
            f"{question.id} guessed {question.kind}"
            f"{' ' + repr(question.scale_text) if question.scale_text else ''} ({why})"
        )
    return Codebook(questions, source), notes


def infer_question(draft: QuestionDraft, values: list[str]) -> tuple[Question, str]:
    """The draft question for one column of answers, and why."""
    text = draft.text or draft.id
    if draft.kind == "open_text":
        return Question(draft.id, text, "open_text"), "the export marks it open-ended"
    if draft.multi and draft.options:
        options = _with_seen_parts(draft.options, values, draft.joiner)
        return Question(draft.id, text, "multi_choice", labels=options), "the export has one column per option"
    if not values:
        return Question(draft.id, text, "open_text"), "no answers to judge from"
    distinct = spellings(values)
    scale = likert_scale(distinct)
    if scale:
        name, labels = scale
        return Question(
            draft.id, text, "likert", labels=labels, low=1.0, high=float(len(labels))
        ), f"answers are {name} labels"
    numbers = _numbers(distinct)
    if numbers is not None:
        if all(n.is_integer() for n in numbers) and min(numbers) >= 0 and max(numbers) <= 10:
            low = 0.0 if min(numbers) == 0 else 1.0
            high = float(next(top for top in _RATING_TOPS if top >= max(numbers)))
            return Question(draft.id, text, "rating", low=low, high=high), "answers are whole numbers from 0 to 10"
        return Question(draft.id, text, "numeric"), "answers are numbers"
    if draft.joiner:
        parts = [part for value in values for part in split_choices(value, draft.joiner, draft.options)]
        recurring = spellings(parts)
        joined = any(len(split_choices(v, draft.joiner, draft.options)) > 1 for v in distinct)
        if joined and len(recurring) <= MAX_CHOICES and len(recurring) < len(parts) and _short(recurring):
            return Question(
                draft.id, text, "multi_choice", labels=tuple(recurring)
            ), f"answers join recurring options with {draft.joiner.strip()!r}"
    if draft.options and set(distinct) <= set(draft.options):
        return Question(draft.id, text, "single_choice", labels=tuple(draft.options)), "answers are the listed options"
    if (
        len(distinct) <= MAX_CHOICES
        and len(distinct) < len(values)
        and len(distinct) <= max(2, len(values) // 2)
        and _short(distinct)
        and not _sentences(distinct)
    ):
        labels = tuple(sorted(distinct, key=_natural))
        return Question(draft.id, text, "single_choice", labels=labels), f"{len(distinct)} distinct short answers"
    return Question(draft.id, text, "open_text"), "varied free-text answers"


def spellings(values: list[str]) -> list[str]:
    """The distinct answers, case variants merged (``No``, ``NO``, ``no``), each spelt as most respondents spelt it.

    In order of first appearance; a tie goes to the spelling seen first. Validation then matches any
    case to that spelling, so every variant is counted under the one label.
    """
    counts: dict[str, dict[str, int]] = {}
    for value in values:
        variants = counts.setdefault(value.casefold(), {})
        variants[value] = variants.get(value, 0) + 1
    return [max(variants, key=lambda v: (variants[v], -list(variants).index(v))) for variants in counts.values()]


def likert_scale(distinct: list[str]) -> tuple[str, tuple[str, ...]] | None:
    """The common Likert scale whose labels cover every answer, spelled as in the answers."""
    seen = {v.casefold(): v for v in distinct}
    if len(seen) < 2:
        return None
    for name, positions in LIKERT_SCALES:
        spelled = []
        for variants in positions:
            match = next((seen[v.casefold()] for v in variants if v.casefold() in seen), variants[0])
            spelled.append(match)
        if set(seen) <= {label.casefold() for label in spelled}:
            return name, tuple(spelled)
    return None


def split_choices(answer: str, joiner: str | None, known=()) -> list[str]:
    """Split a multi-select answer into options.

    Known options are matched first, longest first, so an option holding the separator
    ("Yes, often") stays whole. Otherwise the answer is split on the separator, and for a comma
    separator a part starting with a lower-case letter is taken as the rest of the previous option.
    """
    text = answer.strip()
    if not joiner or not text:
        return [text] if text else []
    sep = joiner.strip() or joiner
    pieces = [p.strip() for p in text.split(sep)]
    pieces = [p for p in pieces if p]
    known_folded = {k.casefold(): k for k in known}
    # the longest known option spans this many pieces: no candidate longer is tried (linear in the answer)
    span = max((len([p for p in k.split(sep) if p.strip()]) for k in known), default=1)
    result: list[str] = []
    index = 0
    while index < len(pieces):
        match = None
        for end in range(min(len(pieces), index + span), index, -1):
            candidate = (sep + " ").join(pieces[index:end]) if sep == "," else sep.join(pieces[index:end])
            if candidate.casefold() in known_folded:
                match = (known_folded[candidate.casefold()], end)
                break
        if match:
            result.append(match[0])
            index = match[1]
            continue
        piece = pieces[index]
        if sep == "," and result and piece[:1].islower() and result[-1].casefold() not in known_folded:
            result[-1] = result[-1] + ", " + piece
        else:
            result.append(piece)
        index += 1
    return result


def _with_seen_parts(options, values, joiner) -> tuple[str, ...]:
    seen = [part for value in values for part in split_choices(value, joiner, options)]
    listed = {option.casefold() for option in options}
    return tuple([*options, *[part for part in spellings(seen) if part.casefold() not in listed]])


def _numbers(values: list[str]) -> list[float] | None:
    """The values as numbers, or None when one is not a finite number (``inf``, ``1e309`` and ``nan`` are not)."""
    try:
        numbers = [float(v.replace(",", ".")) for v in values]
    except ValueError:
        return None
    return numbers if all(math.isfinite(n) for n in numbers) else None


def _short(values) -> bool:
    return all(len(v) <= 80 for v in values)


def _sentences(values) -> bool:
    return sum(1 for v in values if len(v.split()) > 8) > len(values) / 2


def _natural(label: str):
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", label)]
