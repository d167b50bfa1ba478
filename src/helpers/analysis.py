"""The standard analysis of a poll: what ``workbook analyse`` and lesson 06 report.

For every question: n, the distribution of answers (every scale label, including those nobody chose)
and the median score; for every codebook construct with two or more items: Cronbach's alpha with its
CI (reverse items already recoded); and, grouped by a column, the same per group — where a group
smaller than ``min_group_size`` (or one that could be recovered from the others by differencing) is
listed as suppressed and none of its figures appear anywhere.

The result is a plain dict (JSON-ready); :func:`to_html` renders it as a shareable page. No
respondent id, name or e-mail ever enters it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from .polls.model import PollData
from .polls.privacy import DEFAULT_MIN_GROUP_SIZE, groups_to_suppress


def analyse(data: PollData, *, by: str | None = None, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> dict:
    """Describe every question and construct, overall and (with ``by``) per group."""
    result = {
        "import": data.report.to_dict(),
        "min_group_size": min_group_size,
        "respondents": int(data.responses["respondent"].nunique()),
        "questions": describe_questions(data.responses, data),
        "constructs": describe_constructs(data, data.responses),
    }
    if by is not None:
        result["by"] = by
        result["groups"], result["suppressed"] = _by_group(data, by, min_group_size)
    return result


def describe_questions(responses, data: PollData) -> dict:
    """``{question: {text, kind, n, distribution, median}}`` for the given answers."""
    described = {}
    grouped = responses.groupby("question", sort=False)
    for question in data.codebook:
        if question.id not in grouped.groups:
            described[question.id] = {"text": question.text, "kind": question.kind, "n": 0, "distribution": {}, "median": None}
            continue
        answers = grouped.get_group(question.id)
        described[question.id] = {
            "text": question.text,
            "kind": question.kind,
            "n": int(len(answers)),
            "distribution": _distribution(question, answers),
            "median": _number(answers["value"].median()) if question.scored else None,
        }
    return described


def describe_constructs(data: PollData, responses) -> dict:
    """Cronbach's alpha with CI for each construct of two or more items."""
    from .stats.reliability import cronbach_alpha

    subset = PollData(responses, data.codebook, data.report)
    described = {}
    for name, items in data.codebook.constructs().items():
        if len(items) < 2:
            continue
        scores = subset.items(name).dropna()
        entry = {"items": items, "n": int(len(scores)), "cronbach_alpha": None, "alpha_ci": None}
        if len(scores) >= 3 and scores.shape[1] >= 2:
            alpha = cronbach_alpha(scores)
            entry["cronbach_alpha"] = _number(alpha.estimate)
            entry["alpha_ci"] = [_number(v) for v in alpha.ci] if alpha.ci is not None else None
        described[name] = entry
    return described


def _by_group(data: PollData, by: str, min_group_size: int):
    from .errors import WorkbookError

    responses = data.responses
    if by not in responses.columns:
        choices = ", ".join(c for c in data.attributes) or "none"
        raise WorkbookError(f"cannot group by {by!r}: the data has no such column (columns to group by: {choices})")
    sizes = responses.groupby(by, sort=True, observed=True)["respondent"].nunique()
    sizes = {str(k): int(v) for k, v in sizes.items()}
    hidden = groups_to_suppress(sizes, min_group_size)
    groups = {}
    for label, part in responses.groupby(by, sort=True, observed=True):
        label = str(label)
        if label in hidden:
            continue
        groups[label] = {
            "respondents": sizes[label],
            "questions": describe_questions(part, data),
            "constructs": describe_constructs(data, part),
        }
    return groups, sorted(hidden)


def _distribution(question, answers) -> dict:
    if question.kind == "multi_choice":
        chosen = answers["answer"].str.split("; ").explode()
        counts = chosen.value_counts()
        labels = question.labels or tuple(sorted(counts.index))
        return {label: int(counts.get(label, 0)) for label in labels}
    if question.labels:
        counts = answers["answer"].value_counts()
        return {label: int(counts.get(label, 0)) for label in question.labels}
    if question.kind in ("likert", "rating", "ranking") and question.low is not None:
        counts = answers["answer"].value_counts()
        if question.high - question.low <= 20 and float(question.low).is_integer():
            points = [str(int(v)) for v in range(int(question.low), int(question.high) + 1)]
            return {p: int(counts.get(p, 0)) for p in points}
        return {str(k): int(v) for k, v in sorted(counts.items())}
    if question.kind == "single_choice":
        return {str(k): int(v) for k, v in answers["answer"].value_counts().sort_index().items()}
    return {}


def _number(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, 6)


def write_json(result: dict, path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def to_html(result: dict, path, title: str = "Poll analysis") -> Path:
    """A self-contained HTML page of the analysis (no scripts, nothing fetched)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(loader=PackageLoader("helpers", "templates"), autoescape=select_autoescape(["html", "j2"]))
    page = environment.get_template("analysis.html.j2").render(result=result, title=title)
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
