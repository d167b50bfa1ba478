"""The standard analysis of a poll: what ``workbook analyse`` and lesson 06 report.

For every question: n, the distribution of answers (every scale label, including those nobody chose)
and the median on the scale that distribution shows (for a reverse-keyed item also the recoded median
its construct uses, and which is which); for every codebook construct with two or more answered items:
Cronbach's alpha with its CI (reverse items already recoded); and, grouped by a column, the same per
group — where a group smaller than ``min_group_size`` (or one that could be recovered from the others
by differencing) is listed as suppressed and none of its figures appear anywhere. Every item or
construct left out of an alpha is named in ``notes``. ``provenance`` records what the result was
computed from (input files' SHA-256, the workbook's version, the parameters, and a fingerprint of
the pseudonym key, never the key).

The result is a plain dict (JSON-ready); :func:`to_html` renders it as a shareable page. No
respondent id, name or e-mail ever enters it.

Lesson 06 shows the same analysis as tables: :func:`likert_table` (the distribution of every Likert
question), :func:`likert_scales` (the answers to draw with ``helpers.plots.likert.diverging_likert``),
:func:`group_sizes`, :func:`construct_scores` with :func:`construct_descriptives` and
:func:`construct_tests` (groups compared), and :func:`within_group_agreement` (r_wg(J) per group).
Every table by group hides the groups :func:`suppressed_groups` names — the same groups the JSON
and HTML report leave out.

Kept whole: the analysis facade behind `workbook analyse` and notebook 06; its terminal summary lives in cli/data.py.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from .datasets import synthetic_note as synthetic_note  # the one policy, re-exported for notebook 06
from .polls.model import PollData
from .polls.privacy import DEFAULT_MIN_GROUP_SIZE
from .polls.suppress import hidden_cells


def analyse(
    data: PollData,
    *,
    by: str | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    provenance: dict | None = None,
) -> dict:
    """Describe every question and construct, overall and (with ``by``) per group.

    ``provenance`` (from :func:`provenance`) is stored as given, so a shared report says what it was
    computed from.
    """
    notes: list[str] = []
    result = {
        "import": data.report.to_dict(),
        "min_group_size": min_group_size,
        "respondents": int(data.responses["respondent"].nunique()),
        "questions": describe_questions(data.responses, data, min_group_size=min_group_size),
        "constructs": describe_constructs(data, data.responses, notes),
    }
    for qid, question in result["questions"].items():
        if question.get("reverse"):
            notes.append(
                f"{qid} is reverse-keyed: its median is on the answer scale its distribution shows; "
                "median_recoded is on the recoded scale its construct uses"
            )
    if by is not None:
        result["by"] = by
        result["groups"], result["suppressed"] = _by_group(data, by, min_group_size)
    result["notes"] = notes
    if provenance is not None:
        result["provenance"] = provenance
    return result


def key_fingerprint(key: bytes) -> str:
    """A short fingerprint of the pseudonym key: tells whether two reports used the same key, never the key.

    SHA-256 of a fixed prefix and the key, first 16 hex digits (the key cannot be recovered from it).
    """
    import hashlib

    return "sha256:" + hashlib.sha256(b"workbook pseudonym key fingerprint\0" + key).hexdigest()[:16]


def provenance(inputs, parameters: dict, *, key: bytes | None = None, seed: int | None = None) -> dict:
    """What a shareable report was computed from: each input's name and SHA-256, the workbook's
    version, the parameters, the seed (None when nothing random was drawn) and :func:`key_fingerprint`."""
    import hashlib
    import sys

    # the package is imported whenever this module is (a plain import would count as upward in the layers)
    version = getattr(sys.modules.get(__name__.rpartition(".")[0]), "__version__", None)
    files = []
    for path in inputs:
        if path is None:
            continue
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        files.append({"file": Path(path).name, "sha256": digest.hexdigest()})
    return {
        "workbook_version": version,
        "inputs": files,
        "parameters": dict(parameters),
        "seed": seed,
        "pseudonym_key_fingerprint": key_fingerprint(key) if key is not None else None,
    }


def describe_questions(responses, data: PollData, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE, hidden=()) -> dict:
    """``{question: {text, kind, n, distribution, median}}`` for the given answers.

    A question answered by fewer than ``min_group_size`` people (or named in ``hidden``, the cells
    :func:`helpers.polls.suppress.hidden_cells` hides) keeps its ``n`` but no distribution or median.
    """
    from .polls.suppress import too_few

    described = {}
    grouped = responses.groupby("question", sort=False)
    for question in data.codebook:
        if question.id not in grouped.groups:
            described[question.id] = {
                "text": question.text,
                "kind": question.kind,
                "n": 0,
                "distribution": {},
                "median": None,
            }
            continue
        answers = grouped.get_group(question.id)
        if question.id in hidden or too_few(len(answers), min_group_size):
            described[question.id] = {
                "text": question.text,
                "kind": question.kind,
                "n": int(len(answers)),
                "distribution": {},
                "median": None,
            }
            continue
        entry = {
            "text": question.text,
            "kind": question.kind,
            "n": int(len(answers)),
            "distribution": _distribution(question, answers),
            "median": _number(_as_answered(question, answers["value"]).median()) if question.scored else None,
        }
        if question.reverse:
            entry["reverse"] = True
            entry["median_recoded"] = _number(answers["value"].median())
        described[question.id] = entry
    return described


def _as_answered(question, values):
    """Scores on the scale the answers were given on (a reverse-keyed item's recoding undone)."""
    if question.reverse and question.low is not None and question.high is not None:
        return question.low + question.high - values
    return values


def describe_constructs(data: PollData, responses, notes: list[str] | None = None) -> dict:
    """Cronbach's alpha with CI for each construct of two or more answered items.

    An item nobody answered is left out of its construct (``items`` lists the items the alpha is
    computed on, ``dropped_items`` the others), and a construct with fewer than two answered items
    gets no alpha; each is named in ``notes`` when a list is given.
    """
    from .stats.reliability import cronbach_alpha

    notes = [] if notes is None else notes
    subset = PollData(responses, data.codebook, data.report)
    answered = set(responses["question"].astype(str))
    described = {}
    for name, listed in data.codebook.constructs().items():
        items = [q for q in listed if q in answered]
        dropped = [q for q in listed if q not in answered]
        if dropped:
            notes.append(
                f"construct {name!r}: item(s) {', '.join(dropped)} left out of its alpha (nobody answered them)"
            )
        if len(items) < 2:
            notes.append(
                f"construct {name!r} has {len(items)} answered item(s) ({', '.join(items) or 'none'}): "
                "no alpha (it needs two or more items)"
            )
            continue
        scores = subset.items(name)[items].dropna()
        entry = {"items": items, "n": int(len(scores)), "cronbach_alpha": None, "alpha_ci": None}
        if dropped:
            entry["dropped_items"] = dropped
        if len(scores) >= 3 and scores.shape[1] >= 2:
            alpha = cronbach_alpha(scores)
            entry["cronbach_alpha"] = _number(alpha.estimate)
            entry["alpha_ci"] = [_number(v) for v in alpha.ci] if alpha.ci is not None else None
        described[name] = entry
    return described


def _by_group(data: PollData, by: str, min_group_size: int):
    responses = data.responses
    sizes = _sizes(data, by)
    hidden = list(_hidden_groups(data, by, min_group_size))
    answered = responses.assign(_by=responses[by].astype(str)).groupby(["_by", "question"], observed=True)
    answered = answered["respondent"].nunique().unstack(fill_value=0)
    cells = hidden_cells(answered, min_group_size, hidden)
    groups = {}
    for label, part in responses.groupby(by, sort=True, observed=True):
        label = str(label)
        if label in hidden:
            continue
        group_notes: list[str] = []
        groups[label] = {
            "respondents": sizes[label],
            "questions": describe_questions(
                part, data, min_group_size=min_group_size, hidden={q for g, q in cells if g == label}
            ),
            "constructs": describe_constructs(data, part, group_notes),
            "notes": group_notes,
        }
    return groups, sorted(hidden)


def _sizes(data: PollData, by: str) -> dict:
    """``{group label (as text): number of respondents}``, groups sorted by label."""
    from .errors import WorkbookError

    if by not in data.responses.columns:
        choices = ", ".join(c for c in data.attributes) or "none"
        raise WorkbookError(f"cannot group by {by!r}: the data has no such column (columns to group by: {choices})")
    sizes = data.responses.groupby(by, sort=True, observed=True)["respondent"].nunique()
    return {str(k): int(v) for k, v in sizes.items()}


def suppressed_groups(data: PollData, by: str, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> list:
    """The groups of column ``by`` whose figures are never shown, sorted by label.

    Those with fewer than ``min_group_size`` respondents and the complements that keep them from being
    worked out from the total (the import report shows it) or from a report by another attribute
    (:func:`_hidden_groups`).
    """
    return sorted(_hidden_groups(data, by, min_group_size))


def _hidden_groups(data: PollData, by: str, min_group_size: int) -> dict:
    """``{label: reason}`` of the groups of ``by`` to hide, decided together with every other attribute a
    report on the same poll can be grouped by (``--by site`` and ``--by dept`` agree, so a hidden
    department is never a site minus the departments shown): :func:`helpers.polls.suppress.suppression`.
    A wave is not a partition of the respondents (one person answers several), so it is decided alone."""
    from .polls.suppress import suppression

    sizes = _sizes(data, by)
    if by == "wave":
        return dict(suppression(sizes, by, min_group_size=min_group_size).hidden)
    people = data.responses.drop_duplicates("respondent")
    others = [c for c in data.attributes if c not in (by, "wave") and 1 < people[c].nunique() <= 50]
    decision = suppression(people[[by, *others]].astype(str), by, min_group_size=min_group_size, shown_with=others)
    return {str(label): reason for label, reason in decision.hidden.items()}


def group_sizes(data: PollData, by: str, min_group_size: int = DEFAULT_MIN_GROUP_SIZE):
    """Respondents per group of column ``by``; suppressed groups keep their row, without a number.

    Returns a DataFrame indexed by group label with ``respondents`` (missing for a suppressed group)
    and ``suppressed`` (why, or empty), as :func:`suppressed_groups` decides.
    """
    import pandas as pd

    sizes = _sizes(data, by)
    hidden = _hidden_groups(data, by, min_group_size)
    table = pd.DataFrame({"respondents": list(sizes.values())}, index=pd.Index(list(sizes), name=by))
    table["respondents"] = table["respondents"].astype("Int64").mask(table.index.isin(list(hidden)))
    table["suppressed"] = [hidden.get(label, "") for label in table.index]
    return table


def _scale_labels(question) -> tuple | None:
    """A Likert question's answer labels in scale order (``"1"``..``"k"`` for a numbered scale)."""
    if question.labels:
        return tuple(question.labels)
    if question.low is not None and float(question.low).is_integer() and question.high - question.low <= 20:
        return tuple(str(v) for v in range(int(question.low), int(question.high) + 1))
    return None


def likert_table(result: dict, codebook, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE):
    """The answers to every Likert question, counted: one row per question, ``n`` then every label.

    Rows are labelled by the question's text (as the respondents read it), with its codebook id in
    the ``id`` column for cross-reference. Built from :func:`analyse`'s ``result["questions"]``
    (every label of the scale, also those nobody chose). Questions on different scales share the
    table; a label not on a question's scale is left empty. A question answered by fewer than
    ``min_group_size`` people keeps its ``n`` but not its counts, as ``diverging_likert`` leaves out
    its bar.
    """
    import pandas as pd

    ids = codebook.of_kind("likert")
    columns = ["id", "n"]
    for qid in ids:
        scale = _scale_labels(codebook[qid]) or result["questions"][qid]["distribution"]  # also when hidden
        columns += [label for label in scale if label not in columns]
    texts = [codebook[qid].text or qid for qid in ids]
    rows = {}
    for qid, text in zip(ids, texts, strict=True):
        described = result["questions"][qid]
        counts = described["distribution"] if described["n"] >= min_group_size else {}
        label = f"{text} ({qid})" if texts.count(text) > 1 else text  # two questions worded alike keep both rows
        rows[label] = {"id": qid, "n": described["n"], **counts}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    table = table.astype({column: "Int64" for column in columns[1:]})
    table.index.name = "question"
    return table


def likert_scales(data: PollData, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> dict:
    """The answers to the Likert questions, split by scale: ``{labels: tidy answers}``.

    Each value holds the ``question`` and ``answer`` columns of the questions on that scale (codebook
    order), ready for ``helpers.plots.likert.diverging_likert(answers, labels)``. A scale none of whose
    questions has ``min_group_size`` answers is left out: no bar of it could be drawn.
    """
    scales: dict = {}
    for qid in data.codebook.of_kind("likert"):
        labels = _scale_labels(data.codebook[qid])
        if labels is not None:
            scales.setdefault(labels, []).append(qid)
    answers = data.responses[["question", "answer"]].dropna()
    counts = answers["question"].value_counts()
    out = {}
    for labels, ids in scales.items():
        if max(int(counts.get(q, 0)) for q in ids) < min_group_size:
            continue
        part = answers[answers["question"].isin(ids)]
        order = {q: i for i, q in enumerate(ids)}
        out[labels] = part.sort_values("question", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return out


def construct_scores(data: PollData, *, by: str | None = None, min_group_size: int = DEFAULT_MIN_GROUP_SIZE):
    """Each respondent's score on each construct: the mean of the items they answered.

    One row per respondent (per respondent and wave when the data has waves), indexed by the
    pseudonym — never show the index. Columns: the respondent attributes (party, group, wave, ...),
    then one column per codebook construct. With ``by``, the rows of the groups
    :func:`suppressed_groups` names are left out.
    """
    keys = ["respondent", *(["wave"] if "wave" in data.responses.columns else [])]
    attributes = [c for c in data.attributes if c not in keys]
    scores = data.responses.groupby(keys, observed=True, sort=False)[attributes].first()
    for name in data.codebook.constructs():
        scores[name] = data.items(name, by=keys[1:]).mean(axis=1)
    if by is not None:
        hidden = suppressed_groups(data, by, min_group_size)
        scores = scores[~scores[by].astype(str).isin(hidden)]
    return scores


def construct_descriptives(data: PollData, by: str, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE):
    """n, mean, SD, median and quartiles of every construct score per shown group (long table)."""
    import pandas as pd

    from .stats.groups import describe_groups

    scores = construct_scores(data, by=by, min_group_size=min_group_size)
    tables = [
        describe_groups(scores, name, by, min_group_size=min_group_size).assign(construct=name)
        for name in data.codebook.constructs()
    ]
    table = pd.concat(tables, ignore_index=True)
    return table[["construct", *[c for c in table.columns if c != "construct"]]]


def construct_tests(data: PollData, by: str, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE, seed: int = 0):
    """Kruskal-Wallis H with epsilon-squared and its bootstrap CI per construct, across shown groups.

    Only groups with at least ``min_group_size`` scores and not suppressed enter. Returns one row per
    construct that two or more groups can be compared on (``results_table`` columns plus ``construct``),
    or None when none can.
    """
    from .stats.groups import kruskal_wallis, large_groups
    from .stats.result import results_table

    scores = construct_scores(data, by=by, min_group_size=min_group_size).reset_index(drop=True)
    names, tests = [], []
    for name in data.codebook.constructs():
        shown = large_groups(scores.dropna(subset=[name]), by, min_group_size)
        if shown[by].nunique() >= 2:
            names.append(name)
            tests.append(kruskal_wallis(shown, name, by, seed=seed))
    return results_table(tests).assign(construct=names) if tests else None


def within_group_agreement(data: PollData, by: str, min_group_size: int = DEFAULT_MIN_GROUP_SIZE):
    """r_wg(J) of each construct's items within each shown group (James, Demaree & Wolf 1984).

    A group enters when it is not suppressed (:func:`suppressed_groups`) and has at least
    ``min_group_size`` members who answered every item of the construct. The uniform null uses the
    number of answer options of the construct's first item. Returns a tidy DataFrame: ``construct``,
    the ``by`` column, then ``results_table`` columns (method, n, estimate, interpretation); empty
    when no group qualifies.
    """
    import pandas as pd

    from .stats.agreement import rwg_j
    from .stats.result import results_table

    hidden = suppressed_groups(data, by, min_group_size)
    rows, results = [], []
    for name, ids in data.codebook.constructs().items():
        first = data.codebook[ids[0]]
        if first.low is None or first.high is None:
            continue  # not a rating scale: no null distribution to compare with
        options = int(first.high - first.low + 1)
        for label, part in data.items(name, by=(by,)).groupby(level=by, observed=True, sort=True):
            complete = part.dropna()
            if str(label) in hidden or len(complete) < min_group_size:
                continue
            results.append(rwg_j(complete.reset_index(drop=True), n_options=options))
            rows.append({"construct": name, by: label})
    if not results:
        return pd.DataFrame(columns=["construct", by, "method", "n", "estimate", "interpretation"])
    return pd.concat([pd.DataFrame(rows), results_table(results)], axis=1)


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
    """A JSON-safe number: None for NaN and for an infinite value (JSON has neither)."""
    if value is None:
        return None
    value = float(value)
    return None if not math.isfinite(value) else round(value, 6)


def to_json(result: dict) -> str:
    """The result as strict JSON text (``allow_nan=False``: no ``NaN`` or ``Infinity`` can slip in)."""
    return json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(result: dict, path) -> Path:
    path = Path(path)
    path.write_text(to_json(result), encoding="utf-8")
    return path


def to_html(result: dict, path, title: str = "Poll analysis") -> Path:
    """A self-contained HTML page of the analysis (no scripts, nothing fetched)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("helpers", "templates"), autoescape=select_autoescape(["html", "j2"])
    )
    page = environment.get_template("analysis.html.j2").render(result=result, title=title)
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
