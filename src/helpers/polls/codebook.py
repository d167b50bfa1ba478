"""The codebook: what each question is, what answers it allows, and how they are scored.

A codebook CSV has the columns ``question, text, kind, scale, reverse, construct``:

- ``kind``: likert, rating, ranking, single_choice, multi_choice, numeric or open_text;
- ``scale``: the ordered labels joined by ``|`` (``Strongly disagree|Disagree|Neither|Agree|Strongly agree``)
  or a numeric range ``1-7`` or ``-3-3`` (for choice questions, the options). A scale has at least two
  points. Labels that are consecutive whole numbers (``0|1|2|3|4``) score as those numbers, the same as
  the range ``0-4``; other labels score by position, 1 to k;
- ``reverse``: true for a reverse-keyed item (its score is mirrored, so high always means "more");
- ``construct``: the scale the item belongs to (empty for none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

KINDS = ("likert", "rating", "ranking", "single_choice", "multi_choice", "numeric", "open_text")
SCORED_KINDS = ("likert", "rating", "ranking", "numeric")
COLUMNS = ("question", "text", "kind", "scale", "reverse", "construct")
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f", ""}


@dataclass(frozen=True)
class Question:
    """One codebook row, parsed.

    ``labels`` holds the ordered labels (likert/rating) or the options (choice questions);
    ``low``/``high`` the numeric range when the scale is a range, or 1..len(labels) for labelled scales.
    """

    id: str
    text: str
    kind: str
    labels: tuple[str, ...] | None = None
    low: float | None = None
    high: float | None = None
    reverse: bool = False
    construct: str | None = None

    @property
    def scored(self) -> bool:
        """Whether answers get a numeric ``value`` (likert, rating, ranking, numeric)."""
        return self.kind in SCORED_KINDS

    @property
    def scale_text(self) -> str:
        if self.labels:
            return "|".join(self.labels)
        if self.low is not None and self.high is not None:
            return f"{_number_text(self.low)}-{_number_text(self.high)}"
        return ""


@dataclass
class Codebook:
    """The questions of a poll, keyed by question id, in codebook order."""

    questions: dict[str, Question] = field(default_factory=dict)
    source: str = "codebook"

    def __contains__(self, question_id: str) -> bool:
        return question_id in self.questions

    def __getitem__(self, question_id: str) -> Question:
        return self.questions[question_id]

    def __iter__(self):
        return iter(self.questions.values())

    def __len__(self) -> int:
        return len(self.questions)

    def ids(self) -> list[str]:
        return list(self.questions)

    def of_kind(self, *kinds: str) -> list[str]:
        """Question ids of the given kind(s), in codebook order."""
        return [q.id for q in self if q.kind in kinds]

    def constructs(self) -> dict[str, list[str]]:
        """``{construct: [question ids]}`` in codebook order."""
        result: dict[str, list[str]] = {}
        for q in self:
            if q.construct:
                result.setdefault(q.construct, []).append(q.id)
        return result

    def to_frame(self):
        """The codebook as a DataFrame in the CSV layout."""
        import pandas as pd

        rows = [
            {
                "question": q.id,
                "text": q.text,
                "kind": q.kind,
                "scale": q.scale_text,
                "reverse": "true" if q.reverse else "false",
                "construct": q.construct or "",
            }
            for q in self
        ]
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def write(self, path: str | Path) -> Path:
        """Write the codebook CSV (text cells made safe for spreadsheets)."""
        from .privacy import safe_for_spreadsheet

        path = Path(path)
        safe_for_spreadsheet(self.to_frame()).to_csv(path, index=False, lineterminator="\n")
        return path

    @classmethod
    def from_frame(cls, frame, source: str = "codebook", lines=None) -> Codebook:
        """Parse a codebook table; every problem names the file, line, column and value.

        ``lines`` gives each row's line in the file (default: row i is on line i + 2, after the header).
        """
        columns = {str(c).strip().lower(): c for c in frame.columns}
        missing = [c for c in ("question", "kind") if c not in columns]
        if missing:
            raise InputError(
                f"a codebook needs the columns {', '.join(COLUMNS)}; {', '.join(missing)} is missing "
                f"(the header is: {', '.join(map(str, frame.columns))})",
                file=source,
                line=1,
            )
        questions: dict[str, Question] = {}
        for offset, row in enumerate(frame.to_dict("records")):
            line = lines[offset] if lines is not None else offset + 2
            cell = {name: _cell(row.get(original)) for name, original in columns.items()}
            question = _parse_question(cell, source, line)
            if question.id in questions:
                raise InputError(
                    "this question id is listed twice in the codebook; give each question one row",
                    file=source,
                    line=line,
                    column="question",
                    value=question.id,
                )
            questions[question.id] = question
        if not questions:
            raise InputError("the codebook lists no questions", file=source)
        return cls(questions, source)


def read_codebook(path: str | Path) -> Codebook:
    """Read a codebook CSV or XLSX (see the module docstring for its columns)."""
    from .read import read_table

    table = read_table(path)
    return Codebook.from_frame(table.frame, source=table.source, lines=table.lines)


def _parse_question(cell: dict, source: str, line: int) -> Question:
    qid = cell.get("question", "")
    if not qid:
        raise InputError("a codebook row has no question id", file=source, line=line, column="question", value="")
    kind = cell.get("kind", "").lower().replace(" ", "_").replace("-", "_")
    if kind not in KINDS:
        raise InputError(
            f"unknown kind; use one of {', '.join(KINDS)}",
            file=source,
            line=line,
            column="kind",
            value=cell.get("kind", ""),
        )
    reverse_text = cell.get("reverse", "").lower()
    if reverse_text not in _TRUE | _FALSE:
        raise InputError(
            "reverse must be true or false", file=source, line=line, column="reverse", value=cell.get("reverse")
        )
    scale = cell.get("scale", "")
    labels, low, high = None, None, None
    match = _RANGE.match(scale)
    if match:
        low, high = float(match.group(1)), float(match.group(2))
        if low >= high:
            raise InputError(
                "a scale range must go from low to high, like 1-7", file=source, line=line, column="scale", value=scale
            )
    elif scale:
        labels = tuple(part.strip() for part in scale.split("|"))
        if any(not part for part in labels) or len({p.casefold() for p in labels}) != len(labels):
            raise InputError(
                "scale labels must be non-empty and different, joined by |",
                file=source,
                line=line,
                column="scale",
                value=scale,
            )
        if kind in ("likert", "rating", "ranking"):
            low, high = 1.0, float(len(labels))
        if kind in ("likert", "rating", "ranking"):
            if len(labels) < 2:
                raise InputError(
                    f"a {kind} scale needs at least two labels joined by | (one label measures nothing)",
                    file=source,
                    line=line,
                    column="scale",
                    value=scale,
                )
            numbers = _whole_numbers(labels)
            if numbers is not None and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
                low, high = float(numbers[0]), float(numbers[-1])
    if kind in ("likert", "rating", "ranking") and low is None:
        raise InputError(
            f"a {kind} question needs a scale: ordered labels joined by | or a range like 1-5",
            file=source,
            line=line,
            column="scale",
            value=scale,
        )
    if kind in ("single_choice", "multi_choice") and not labels and scale:
        raise InputError(
            "choice options must be labels joined by |", file=source, line=line, column="scale", value=scale
        )
    reverse = reverse_text in _TRUE
    if reverse and kind not in ("likert", "rating"):
        raise InputError(
            "only likert and rating items can be reverse-keyed",
            file=source,
            line=line,
            column="reverse",
            value=cell.get("reverse"),
        )
    return Question(
        id=qid,
        text=cell.get("text", "") or qid,
        kind=kind,
        labels=labels,
        low=low,
        high=high,
        reverse=reverse,
        construct=cell.get("construct") or None,
    )


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    if text.lower() == "nan":
        return ""
    return unneutralise(text)


def unneutralise(text: str) -> str:
    """Undo the apostrophe the workbook puts before text that a spreadsheet would read as a formula.

    :meth:`Codebook.write` makes ``-3-3`` and ``- none -`` safe as ``'-3-3`` and ``'- none -``; reading
    the file back must give the labels again, or the draft codebook would not round-trip.
    """
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _whole_numbers(labels) -> list[int] | None:
    try:
        numbers = [float(label) for label in labels]
    except ValueError:
        return None
    if not all(n.is_integer() for n in numbers):
        return None
    return [int(n) for n in numbers]


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
