"""``exercise("04-kendalls-w")``: build an exercise from its lesson's data file.

Where the definitions come from, first found wins:

1. ``$WORKBOOK_EXERCISES`` (a folder);
2. ``../exercises/`` beside the notebook's folder, when it holds sealed files (the unpacked student
   edition: ``*.json``, made by :func:`seal_lesson`);
3. the repository's ``lessons/exercises/*.yaml`` (plain text, validated by :mod:`.spec`).

In the trainer edition (``WORKBOOK_EDITION=trainer``) a plain definition gives the exercise with its
answer in memory and the "Show answer" button. In the student edition the definition is sealed
first (:mod:`.seal`), so the widget works from the sealed key exactly as in the shipped student
edition, and the kernel never holds the answer in the clear.

Values a notebook computes (see ``runtime`` in :mod:`.spec`) are keyword arguments; ``values`` fills
``{placeholders}`` of the prompt, hint, explanation and feedback.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from ..errors import WorkbookError
from . import seal
from . import spec as specs
from .edition import reveal_enabled

ENV_VAR = "WORKBOOK_EXERCISES"
SEALED_FORMAT = "collaborative-working-workbook/sealed-exercises"
_TEMPLATE_PROBE = "template"


def definition_dirs() -> list[Path]:
    """The folders searched for exercise files, in order."""
    override = os.environ.get(ENV_VAR)
    if override:
        return [Path(override)]
    beside = Path.cwd().parent / "exercises"
    found = [beside] if beside.is_dir() and any(beside.glob("*.json")) else []
    from ..paths import project_root

    return [*found, project_root() / "lessons" / "exercises"]


def lesson_files(folder: Path | None = None) -> list[Path]:
    """The plain (YAML) exercise files of the repository, in lesson order."""
    from ..paths import project_root

    folder = folder or project_root() / "lessons" / "exercises"
    return sorted(folder.glob("[0-9][0-9]_*.yaml"))


def find(exercise_id: str):
    """The definition of ``exercise_id``: a validated spec, or a sealed record (a dict)."""
    searched = []
    for folder in definition_dirs():
        for path in sorted(folder.glob("*.json")):
            document = _read_sealed(path)
            for record in document["exercises"]:
                if record["id"] == exercise_id:
                    return record
        for path in sorted(folder.glob("*.yaml")):
            lesson = specs.load(path)
            try:
                return lesson[exercise_id]
            except KeyError:
                pass
        searched.append(str(folder))
    raise WorkbookError(
        f"No exercise {exercise_id!r} in {' or '.join(searched)}: check the id in the notebook cell, "
        "or add the exercise to its lesson's exercise file."
    )


def exercise(exercise_id: str, *, values: dict | None = None, **runtime):
    """The exercise ``exercise_id``, ready to show (make it the last expression of a cell).

    Parameters
    ----------
    exercise_id : the id in the lesson's exercise file, e.g. ``"04-kendalls-w"``.
    values : fills ``{placeholders}`` in the exercise's texts.
    **runtime : the fields the file declares under ``runtime`` (e.g. ``answer=``, ``items=``,
        ``codebook=``), computed by the notebook from its data.
    """
    found = find(exercise_id)
    if isinstance(found, dict):  # a sealed record of the student edition
        if "template" not in found:
            _no_runtime(exercise_id, runtime, ())
            return _build(found["definition"], sealed=seal.SealedKey.from_json(found["key"]))
        key = seal.SealedKey(base64.b64decode(found["salt"]), {found["tag"]: found["template"]})
        found = specs._ADAPTER.validate_python(key.open(_TEMPLATE_PROBE))
    plain = resolve(found, runtime, values)
    if plain["kind"] not in specs.CHECKED or reveal_enabled():
        return _build(plain)
    definition, key = seal_definition(plain)
    return _build(definition, sealed=key)


def _no_runtime(exercise_id, runtime, allowed):
    stray = sorted(set(runtime) - set(allowed))
    if stray:
        raise WorkbookError(
            f"Exercise {exercise_id!r}: {stray[0]!r} cannot be given in the notebook; the exercise file "
            f"declares {', '.join(allowed) or 'no runtime fields'}."
        )


def resolve(spec, runtime: dict, values: dict | None = None) -> dict:
    """A plain definition (the widget's keyword arguments plus ``kind``) from a spec and run-time values."""
    _no_runtime(spec.id, runtime, spec.runtime)
    missing = [name for name in spec.runtime if name not in runtime]
    if missing and spec.kind not in ("likert_form", "raci_grid", "simulator", "tracker"):
        raise WorkbookError(f"Exercise {spec.id!r}: the notebook must give {missing[0]}= (its file says runtime).")
    fill = _filler(spec.id, values or {})
    common = {"kind": spec.kind, "id": spec.id, "title": spec.title, "prompt": fill(spec.prompt)}
    checked = {"hint": fill(spec.hint), "explanation": fill(spec.explanation)}
    kind = spec.kind
    if kind == "single_choice":
        return {
            **common,
            **checked,
            "options": [o.text for o in spec.options],
            "answer": spec.answer,
            "feedback": {o.text: fill(o.feedback) for o in spec.options if not o.correct},
        }
    if kind == "multiple_choice":
        return {
            **common,
            **checked,
            "options": [o.text for o in spec.options],
            "answers": [o.text for o in spec.options if o.correct],
            "feedback": {o.text: fill(o.feedback) for o in spec.options if o.feedback},
        }
    if kind == "categorise":
        return {
            **common,
            **checked,
            "bins": list(spec.groups),
            "items": {i.text: i.group for i in spec.items},
            "feedback": {i.text: fill(i.feedback) for i in spec.items},
        }
    if kind == "order":
        items = [str(i) for i in runtime["items"]] if "items" in spec.runtime else [i.text for i in spec.items]
        feedback = {i.text: fill(i.feedback) for i in spec.items if i.feedback and i.text in items}
        return {**common, **checked, "items": items, "feedback": feedback}
    if kind == "numeric":
        answer = runtime["answer"] if "answer" in spec.runtime else spec.answer
        given = dict(runtime.get("mistakes", {}))
        unknown = sorted(set(given) - {m.name for m in spec.mistakes})
        if unknown:
            raise WorkbookError(f"Exercise {spec.id!r}: the file names no mistake {unknown[0]!r}.")
        mistakes = [
            {**m.model_dump(), "value": float(given[m.name]) if m.name else m.value}
            for m in spec.mistakes
            if m.name is None or m.name in given
        ]
        return {
            **common,
            **checked,
            "answer": float(answer),
            "tolerance": spec.tolerance,
            "feedback_low": fill(spec.feedback_low),
            "feedback_high": fill(spec.feedback_high),
            "mistakes": [{**m, "feedback": fill(m["feedback"])} for m in mistakes],
        }
    if kind == "raci_grid":
        return {**common, **checked, "max_consulted": spec.max_consulted, **runtime}
    if kind == "discussion":
        raise WorkbookError(f"Exercise {spec.id!r} is done on paper or in the room; it has no widget.")
    return {**common, **runtime}


def _filler(exercise_id: str, values: dict):
    def fill(text):
        if text is None:
            return None
        try:
            return text.format_map(values) if values or "{" in text else text
        except (KeyError, IndexError, ValueError) as error:
            raise WorkbookError(
                f"Exercise {exercise_id!r}: the text {text[:40]!r}… needs the value {error}; pass it in values={{...}}."
            ) from None

    return fill


def seal_definition(plain: dict) -> tuple[dict, seal.SealedKey]:
    """Split a plain definition into what the student sees and a sealed key."""
    kind = plain["kind"]
    public = {k: plain[k] for k in ("kind", "id", "title", "prompt", "hint") if k in plain}
    if kind == "single_choice":
        key = seal.seal_single(plain["options"], plain["answer"], plain["feedback"], plain["explanation"])
        return {**public, "options": plain["options"]}, key
    if kind == "multiple_choice":
        key = seal.seal_multiple(plain["options"], plain["answers"], plain["feedback"], plain["explanation"])
        return {**public, "options": plain["options"]}, key
    if kind == "categorise":
        key = seal.seal_categorise(plain["items"], plain["bins"], plain["feedback"], plain["explanation"])
        return {**public, "bins": plain["bins"], "items": list(plain["items"])}, key
    if kind == "order":
        from .order import deterministic_shuffle

        key = seal.seal_order(plain["items"], plain["feedback"], plain["explanation"])
        return {**public, "items": deterministic_shuffle(plain["items"], plain["id"])}, key
    if kind == "numeric":
        key = seal.seal_numeric(plain["answer"], plain["tolerance"], plain["mistakes"], plain["explanation"])
        return public, key
    if kind == "raci_grid":  # checked by the rules, not by a key; the model solution stays out
        rest = {k: v for k, v in plain.items() if k not in ("solution", "explanation")}
        key = seal.SealedKey()
        if plain.get("explanation"):
            key.add("raci-right", {"text": plain["explanation"]})
        return rest, key
    raise WorkbookError(f"Exercise {plain['id']!r} ({kind}) has no answer to seal.")


def _build(definition: dict, sealed: seal.SealedKey | None = None):
    from . import Categorise, LikertForm, MultipleChoice, Numeric, Order, RaciGrid, Simulator, SingleChoice, Tracker

    classes = {
        "single_choice": SingleChoice,
        "multiple_choice": MultipleChoice,
        "categorise": Categorise,
        "order": Order,
        "numeric": Numeric,
        "raci_grid": RaciGrid,
        "likert_form": LikertForm,
        "simulator": Simulator,
        "tracker": Tracker,
    }
    arguments = {k: v for k, v in definition.items() if k != "kind"}
    if definition["kind"] in specs.CHECKED and sealed is not None:
        arguments["sealed"] = sealed
        if definition["kind"] == "raci_grid":
            opened = sealed.open("raci-right")
            arguments["explanation"] = opened["text"] if opened else None
            arguments.pop("sealed")
    try:
        return classes[definition["kind"]](**arguments)
    except TypeError as error:
        raise WorkbookError(f"Exercise {definition['id']!r}: {error}.") from None


# ---- the student edition's sealed files -------------------------------------------------------
def seal_lesson(path: Path) -> dict:
    """A lesson's YAML file as the student edition's sealed document (no answer in readable form).

    Exercises complete in the file are sealed by their answers; one whose answer the notebook
    computes is kept whole, encrypted under a key held in the file (the kernel opens it, fills in the
    computed answer and seals that): not readable, though not secret from someone who runs the code.
    """
    lesson = specs.load(path)
    records = []
    for spec in lesson.exercises:
        if spec.kind == "discussion":
            continue
        if not spec.checked:
            records.append({"id": spec.id, **_template(spec)})
            continue
        if spec.runtime:
            records.append({"id": spec.id, **_template(spec)})
            continue
        definition, key = seal_definition(resolve(spec, {}))
        records.append({"id": spec.id, "definition": definition, "key": key.to_json()})
    return {"format": SEALED_FORMAT, "lesson": lesson.lesson, "exercises": records}


def write_sealed(folder: Path) -> list[Path]:
    """Every lesson's exercise file sealed (:func:`seal_lesson`) into ``folder/NN_*.json``, where the
    student edition's ``exercise("...")`` looks for them (``exercises/`` beside ``notebooks/``)."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path in lesson_files():
        target = folder / f"{path.stem}.json"
        target.write_text(
            json.dumps(seal_lesson(path), indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
        written.append(target)
    return written


def _template(spec) -> dict:
    whole = spec.model_dump(mode="json", exclude={"trainer_note", "trainer_answer", "lesson_text", "number"})
    key = seal.SealedKey()
    key.add(_TEMPLATE_PROBE, whole)
    ((tag, text),) = key.entries.items()
    return {"salt": base64.b64encode(key.salt).decode("ascii"), "tag": tag, "template": text}


def _read_sealed(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WorkbookError(f"{path}: the exercise file cannot be read ({error}); unpack the workbook again.") from None
    if not isinstance(document, dict) or document.get("format") != SEALED_FORMAT:
        raise WorkbookError(f"{path} is not a workbook exercise file; unpack the workbook again.")
    return document
