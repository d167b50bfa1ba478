"""The contract every ``PollData.responses`` table keeps, checked with pandera.

Whatever produced it — the tidy or wide loader, or an importer for a poll tool — the responses table
leaving the import step has: a pseudonymised respondent (never a raw id), a question from the
codebook, the answer as text, and a float value that lies inside the question's scale after reverse
recoding. Answers are validated one by one before this (with file, line and column in every
message); this schema is the last guard, so a bug upstream fails loudly instead of reaching a table.
"""

from __future__ import annotations

from .codebook import Codebook

PSEUDONYM_PATTERN = r"^r-[0-9a-f]{12}$"


def responses_schema(codebook: Codebook):
    """A pandera schema of the responses table for ``codebook``."""
    import pandera.pandas as pa

    scored = {q.id: (q.low, q.high) for q in codebook if q.scored and q.low is not None}

    def values_in_scale(frame):
        bounds = frame["question"].map(scored)
        has = bounds.notna()
        low = bounds[has].map(lambda b: b[0]).astype(float)
        high = bounds[has].map(lambda b: b[1]).astype(float)
        value = frame.loc[has, "value"]
        return bool(((value >= low) & (value <= high) | value.isna()).all())

    return pa.DataFrameSchema(
        {
            "respondent": pa.Column(str, pa.Check.str_matches(PSEUDONYM_PATTERN), coerce=True),
            "question": pa.Column(str, pa.Check.isin(codebook.ids()), coerce=True),
            "answer": pa.Column(nullable=False),
            "value": pa.Column(float, nullable=True, coerce=True),
        },
        checks=[pa.Check(values_in_scale, error="a value lies outside its question's scale")],
        strict=False,
        ordered=False,
    )


def check_responses(responses, codebook: Codebook) -> None:
    """Raise if ``responses`` breaks the contract (a programming error, not a user's)."""
    import pandera.errors

    try:
        responses_schema(codebook).validate(responses.astype({"respondent": str}), lazy=False)
    except pandera.errors.SchemaError as error:
        raise AssertionError(f"responses table breaks the PollData contract: {error}") from error
