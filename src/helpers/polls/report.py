"""The import report: what was read, what was used, and why anything was not.

Every loader returns one. Its invariant — rows read = rows used + rows rejected — holds always:
a row is *used* when at least one of its answers is used, *rejected* otherwise, and every rejected
row has at least one :class:`Rejection` saying file, line, column, value and reason. A used row of a
wide file can still have rejected answers (a bad cell); those are listed too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The ``column`` of a rejection that concerns a whole row rather than one answer.
WHOLE_ROW = "(whole row)"


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    column: str
    value: str
    reason: str

    def __post_init__(self):
        # A rejected cell can hold anything, including someone's e-mail: never let it reach a report.
        from .privacy import mask_text

        object.__setattr__(self, "value", mask_text(str(self.value)))
        object.__setattr__(self, "reason", mask_text(str(self.reason)))


@dataclass
class ImportReport:
    source: str
    format: str
    rows_read: int = 0
    rows_used: int = 0
    answers_used: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_used

    @property
    def answers_rejected(self) -> int:
        """Rejected answers (a whole-row problem is not an answer)."""
        return sum(1 for r in self.rejections if r.column != WHOLE_ROW)

    @property
    def ok(self) -> bool:
        """Usable: at least one answer was used."""
        return self.answers_used > 0

    def check(self) -> ImportReport:
        """Assert the accounting invariant (a programming error if it fails)."""
        rejected_lines = {r.line for r in self.rejections}
        if self.rows_used < 0 or self.rows_rejected < 0 or len(rejected_lines) < self.rows_rejected:
            raise AssertionError(f"import report does not add up: {self.counts()}")
        return self

    def counts(self) -> dict[str, int]:
        return {"rows_read": self.rows_read, "rows_used": self.rows_used, "rows_rejected": self.rows_rejected}

    def table(self, limit: int | None = 20):
        """Rejections as a DataFrame (file, line, column, value, reason), first ``limit`` rows."""
        import pandas as pd

        frame = pd.DataFrame(
            [r.__dict__ for r in self.rejections], columns=["file", "line", "column", "value", "reason"]
        )
        return frame if limit is None else frame.head(limit)

    def summary(self) -> str:
        """A few plain lines for a person: counts, dropped personal columns, notes, first problems."""
        lines = [
            f"{self.source} ({self.format}): {self.rows_read} rows read, {self.rows_used} used, "
            f"{self.rows_rejected} rejected; {self.answers_used} answers used, {self.answers_rejected} rejected."
        ]
        if self.dropped_columns:
            lines.append("Personal data dropped: " + ", ".join(self.dropped_columns) + ".")
        lines += [f"Note: {note}." for note in self.notes]
        for r in self.rejections[:10]:
            lines.append(f"  line {r.line}, column {r.column!r}, value {_short(r.value)!r}: {r.reason}")
        if len(self.rejections) > 10:
            lines.append(f"  ... and {len(self.rejections) - 10} more (see the report table).")
        return "\n".join(lines)

    def to_dict(self, limit: int | None = 1000) -> dict:
        shown = self.rejections if limit is None else self.rejections[:limit]
        return {
            "source": self.source,
            "format": self.format,
            **self.counts(),
            "answers_used": self.answers_used,
            "answers_rejected": self.answers_rejected,
            "dropped_columns": list(self.dropped_columns),
            "notes": list(self.notes),
            "rejections": [r.__dict__ for r in shown],
        }

    def __repr__(self) -> str:
        return self.summary()


def _short(value, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
