"""Check every answer against the codebook and score it.

Vectorised per question (one pandas pass each), so a million answers take seconds. Rules:

- a labelled answer matches the codebook scale whatever its case and surrounding spaces, and is
  stored with the codebook's spelling;
- a numeric answer must be a number inside the scale's range (a whole number for likert and
  ranking items); out-of-range values are rejected with the reason, never coerced;
- reverse-keyed items are recoded (``value = low + high - value``) so high always means "more";
- the same respondent answering the same question twice (in the same wave) keeps the first answer
  and rejects the repeat, naming the line of the first;
- an answer to a question that is not in the codebook is an error naming the question.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from .codebook import Codebook, Question
from .report import Rejection

MULTI_SEPARATORS = (";", ",", "|")


def validate_answers(long, codebook: Codebook, source: str):
    """Return ``(valid, rejections)`` for a long frame of answers.

    ``long`` has the columns respondent, question, answer, ``_line`` (file line) and ``_column``
    (the file column the answer came from), plus any attribute columns. ``valid`` keeps the rows that
    passed, with ``answer`` canonical and a float ``value``.
    """
    import pandas as pd

    _check_known_questions(long, codebook, source)
    answers = long["answer"].astype("string").str.strip().fillna("")
    # an answer the workbook itself wrote made safe for spreadsheets ('-3) reads as what it was (-3)
    answers = answers.str.replace(r"^'(?=[=+\-@])", "", regex=True)
    respondents = long["respondent"].astype("string").str.strip().fillna("")
    reason = pd.Series(pd.NA, index=long.index, dtype="object")
    canonical = answers.copy()
    value = pd.Series(np.nan, index=long.index, dtype="float64")

    reason[answers.eq("")] = "no answer given"
    reason[respondents.eq("") & reason.isna()] = "no respondent id: every answer needs one"
    # Each question is scored on its own small Series and written back by position once, so the work
    # is linear in the number of answers whatever the number of questions.
    reasons = reason.to_numpy(dtype=object, copy=True)
    canonicals = canonical.to_numpy(dtype=object, copy=True)
    values = value.to_numpy(dtype=float, copy=True)
    pending = reason.isna().to_numpy()
    for question_id, positions in long.groupby("question", sort=False).indices.items():
        todo = positions[pending[positions]]
        if not len(todo):
            continue
        part = answers.iloc[todo]
        if len(todo) <= FEW:
            found = score_few(codebook[question_id], [str(text) for text in part])
        else:
            found = score_many(codebook[question_id], part)
        canonicals[todo], values[todo], reasons[todo] = found
    reason = pd.Series(reasons, index=long.index, dtype="object")
    canonical = pd.Series(canonicals, index=long.index).astype("string")
    value = pd.Series(values, index=long.index, dtype="float64")

    _reject_repeats(long, respondents, reason)
    bad = reason.notna()
    rejected = long.loc[bad]
    rejections = [
        Rejection(source, int(line), str(column), str(text), str(why))
        for line, column, text, why in zip(
            rejected["_line"], rejected["_column"], long.loc[bad, "answer"], reason[bad], strict=True
        )
    ]
    valid = long.loc[~bad].copy()
    valid["respondent"] = respondents[~bad]
    valid["answer"] = canonical[~bad].astype(object)
    valid["value"] = value[~bad]
    return valid, rejections


#: Up to this many answers to one question are scored in plain Python (a pandas pass costs about a
#: millisecond however few the answers: 16,000 one-answer questions would take minutes); more, with pandas.
FEW = 2_000


def score_many(question: Question, part):
    """``(canonical, value, reason)`` arrays for one question's answers, vectorised with pandas."""
    import pandas as pd

    reason = pd.Series(pd.NA, index=part.index, dtype="object")
    canonical = part.copy()
    value = pd.Series(np.nan, index=part.index, dtype="float64")
    _score(question, part, canonical, value, reason)
    return canonical.to_numpy(dtype=object), value.to_numpy(dtype=float), reason.to_numpy(dtype=object)


def score_few(question: Question, texts: list[str]):
    """The same as :func:`score_many`, in plain Python, for a few answers (the same rules and messages)."""
    import pandas as pd

    canonical: list = list(texts)
    value = np.full(len(texts), np.nan)
    reason: list = [pd.NA] * len(texts)
    if question.kind == "multi_choice" and question.labels:
        options = {label.casefold(): label for label in question.labels}
        order = {label: i for i, label in enumerate(question.labels)}
        for i, text in enumerate(texts):
            chosen, unknown = _split_choices(text, options)
            if unknown:
                reason[i] = f"not among the options for {question.id}: {unknown!r}"
            else:
                canonical[i] = "; ".join(sorted(set(chosen), key=order.__getitem__))
    elif question.labels:
        lookup = {label.casefold(): (label, position) for position, label in enumerate(question.labels, start=1)}
        offset = (1.0 if question.low is None else question.low) - 1.0
        what = "the scale labels" if question.scored else "the options"
        for i, text in enumerate(texts):
            pair = lookup.get(text.casefold())
            if pair is None:
                reason[i] = f"not one of {what} of {question.id}: {' | '.join(question.labels)}"
                continue
            canonical[i] = pair[0]
            if question.scored:
                value[i] = _reverse(question, pair[1] + offset)
    elif question.kind in ("likert", "rating", "ranking", "numeric"):
        expects = question.scale_text or "a number"
        for i, text in enumerate(texts):
            number = _number(text)
            if number is None or number != number:
                reason[i] = f"not a number ({question.id} expects {expects})"
            elif number in (float("inf"), float("-inf")):
                reason[i] = f"not a finite number ({question.id} expects {expects})"
            elif question.low is not None and question.high is not None and not question.low <= number <= question.high:
                reason[i] = f"out of range {question.scale_text} for {question.id} (not changed: check the data entry)"
            elif question.kind in ("likert", "ranking") and number != round(number):
                reason[i] = f"not a whole number ({question.id} is a {question.kind} item)"
            else:
                canonical[i] = _number_text(number)
                value[i] = _reverse(question, number)
    return np.array(canonical, dtype=object), value, np.array(reason, dtype=object)


def _number(text: str) -> float | None:
    """``text`` as pandas' ``to_numeric`` reads it (a decimal comma allowed), or None."""
    cleaned = text.replace(",", ".").strip()
    if not cleaned or "_" in cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def _check_known_questions(long, codebook: Codebook, source: str) -> None:
    questions = long["question"].astype(str)
    unknown = ~questions.isin(codebook.ids())
    if unknown.any():
        names = sorted(set(questions[unknown]))
        first = long.loc[unknown].iloc[0]
        raise InputError(
            f"{len(names)} question(s) are not in the codebook ({codebook.source}): "
            + ", ".join(repr(n) for n in names[:10])
            + ("…" if len(names) > 10 else "")
            + ". Add them to the codebook, or correct the question ids in the data",
            file=source,
            line=int(first["_line"]),
            column="question" if first["_column"] == "answer" else str(first["_column"]),
            value=str(first["question"]),
        )


def _score(question: Question, answers, canonical, value, reason) -> None:
    """Fill canonical/value/reason for one question's answers, in place."""
    if question.kind == "multi_choice" and question.labels:
        _score_multi(question, answers, canonical, reason)
    elif question.labels:
        _score_labelled(question, answers, canonical, value, reason)
    elif question.kind in ("likert", "rating", "ranking", "numeric"):
        _score_numeric(question, answers, canonical, value, reason)
    # open text, and choice questions without listed options, are kept as given


def _score_labelled(question, answers, canonical, value, reason) -> None:
    lookup = {label.casefold(): (label, position) for position, label in enumerate(question.labels, start=1)}
    found = answers.str.casefold().map(lookup)
    missing = found.isna()
    if missing.any():
        shown = " | ".join(question.labels)
        what = "the scale labels" if question.scored else "the options"
        reason[missing[missing].index] = f"not one of {what} of {question.id}: {shown}"
    ok = found[~missing]
    canonical[ok.index] = [pair[0] for pair in ok]
    if question.scored:
        # position 1..k, offset to the scale's low end (``0|1|2|3|4`` scores 0..4, like the range ``0-4``)
        positions = np.array([pair[1] for pair in ok], dtype=float) + (
            (1.0 if question.low is None else question.low) - 1.0
        )
        value[ok.index] = _reverse(question, positions)


def _score_numeric(question, answers, canonical, value, reason) -> None:
    import pandas as pd

    numbers = pd.to_numeric(answers.str.replace(",", ".", regex=False), errors="coerce")
    not_number = numbers.isna()
    reason[not_number[not_number].index] = f"not a number ({question.id} expects {question.scale_text or 'a number'})"
    good = numbers[~not_number]
    infinite = ~np.isfinite(good.to_numpy(dtype=float))
    if infinite.any():
        reason[good.index[infinite]] = (
            f"not a finite number ({question.id} expects {question.scale_text or 'a number'})"
        )
        good = good[~infinite]
    if question.low is not None and question.high is not None:
        out = (good < question.low) | (good > question.high)
        reason[out[out].index] = (
            f"out of range {question.scale_text} for {question.id} (not changed: check the data entry)"
        )
        good = good[~out]
    if question.kind in ("likert", "ranking"):
        fractional = good != np.round(good)
        reason[fractional[fractional].index] = f"not a whole number ({question.id} is a {question.kind} item)"
        good = good[~fractional]
    canonical[good.index] = [_number_text(v) for v in good]
    value[good.index] = _reverse(question, good.to_numpy(dtype=float))


def _score_multi(question, answers, canonical, reason) -> None:
    options = {label.casefold(): label for label in question.labels}
    order = {label: i for i, label in enumerate(question.labels)}
    for index, text in answers.items():
        chosen, unknown = _split_choices(text, options)
        if unknown:
            reason[index] = f"not among the options for {question.id}: {unknown!r}"
        else:
            canonical[index] = "; ".join(sorted(set(chosen), key=order.__getitem__))  # chosen are labels


def _split_choices(text: str, options: dict[str, str]) -> tuple[list[str], str | None]:
    """Split a multi-select answer, matching known options first (an option may hold the separator)."""
    remaining = text.strip()
    chosen = []
    for option_key in sorted(options, key=len, reverse=True):  # longest first: "Yes, often" before "Yes"
        start = remaining.casefold().find(option_key)
        while start >= 0:
            before, after = remaining[:start], remaining[start + len(option_key) :]
            at_boundary = (not before.strip() or before.rstrip()[-1] in MULTI_SEPARATORS) and (
                not after.strip() or after.lstrip()[0] in MULTI_SEPARATORS
            )
            if not at_boundary:
                break
            chosen.append(options[option_key])
            remaining = before + " " + after
            start = remaining.casefold().find(option_key)
    leftover = remaining.strip(" " + "".join(MULTI_SEPARATORS))
    leftover_parts = [p.strip() for p in leftover.replace(",", ";").replace("|", ";").split(";") if p.strip()]
    return chosen, (leftover_parts[0] if leftover_parts else None)


def _reverse(question: Question, values):
    if question.reverse:
        if question.low is None or question.high is None:  # the codebook gives every scored item a range
            raise InputError(f"{question.id} is reverse-keyed but has no scale range; give its scale in the codebook")
        return question.low + question.high - values
    return values


def _reject_repeats(long, respondents, reason) -> None:
    keys = ["question", "wave"] if "wave" in long.columns else ["question"]
    frame = long[keys].astype(str).assign(_respondent=respondents, _line=long["_line"])
    candidates = frame[reason.isna()]
    repeated = candidates.duplicated(subset=keys + ["_respondent"], keep="first")
    if repeated.any():
        first_line = candidates.groupby(keys + ["_respondent"], sort=False)["_line"].transform("first")
        for index in repeated[repeated].index:
            reason[index] = (
                "the same respondent answered this question twice; "
                f"the first answer (line {int(first_line[index])}) is kept"
            )


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))
