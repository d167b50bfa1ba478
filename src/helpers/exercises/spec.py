"""Exercises as data: one YAML file per lesson, validated against a schema (pydantic).

Each lesson's exercises live in ``lessons/exercises/NN_lesson.yaml``; a notebook cell only names one,
``exercise("04-kendalls-w")`` (see :mod:`helpers.exercises.catalogue`). The file holds, for every
exercise, what the student sees (title, prompt, options, hint), what marks it (the answer, written
once: a choice option carries ``correct: true`` and its own feedback), what is shown when it is
right (``explanation``) and what only a trainer reads (``trainer_note``, ``trainer_answer``), plus the
lesson text's learner wording (``lesson_text``); the lesson's markdown is generated from it
(:mod:`helpers.exercises.lesson_text`).

A file that breaks the schema raises :class:`~helpers.errors.WorkbookError` naming the file, the
exercise (id and line) and the field, e.g. ``lessons/exercises/04_things_that_matter.yaml, line 12,
exercise '04-kendalls-w', field 'tolerance': Input should be a valid number``.

Fields a notebook computes from its data (an answer that depends on the data, the items of an
Order built from a ranking, the tasks of a RACI chart) are declared in ``runtime`` and passed to
:func:`~helpers.exercises.catalogue.exercise` as keyword arguments; prompt, explanation and feedback
may then use ``{name}`` placeholders filled from its ``values`` argument.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from ..errors import WorkbookError

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Model):
    """A choice option: its text, whether it is right, and why it is wrong (required when wrong)."""

    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str | None = None


class GroupItem(_Model):
    """An item to sort: its text, its right group and why it belongs there."""

    text: str = Field(min_length=1)
    group: str
    feedback: str = Field(min_length=1)


class OrderItem(_Model):
    """An item of an Order exercise (listed in the right order), with optional feedback."""

    text: str = Field(min_length=1)
    feedback: str | None = None


class Mistake(_Model):
    """A likely wrong number and what it tells the student (matched within ``tolerance``).

    A mistake whose number depends on the data has a ``name`` instead of a ``value``; the notebook
    gives it, ``exercise(..., mistakes={"one_over_p": 1.15})``.
    """

    value: float | None = None
    name: str | None = None
    feedback: str = Field(min_length=1)
    tolerance: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _value_or_name(self):
        if (self.value is None) == (self.name is None):
            raise ValueError("a mistake needs either a `value` or a `name` (given by the notebook)")
        return self


class _Exercise(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    number: int | None = Field(default=None, ge=1, description="the exercise's number in the lesson text")
    lesson_text: str | None = None
    #: the track whose lesson text and notebook show it (``analyst``: a method exercise); None: both
    track: Literal["analyst", "practitioner"] | None = None
    trainer_answer: str | None = None
    trainer_note: str | None = None
    runtime: tuple[str, ...] = ()
    hint: str | None = None
    explanation: str | None = None

    #: Fields that may be given at run time instead of in the file.
    RUNTIME_FIELDS: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _runtime_known(self):
        unknown = [name for name in self.runtime if name not in self.RUNTIME_FIELDS]
        if unknown:
            allowed = ", ".join(self.RUNTIME_FIELDS) or "none"
            raise ValueError(f"runtime field {unknown[0]!r} cannot be given by the notebook (allowed: {allowed})")
        return self

    @property
    def checked(self) -> bool:
        return self.kind in CHECKED


class SingleChoiceSpec(_Exercise):
    kind: Literal["single_choice"]
    options: tuple[Option, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _one_right(self):
        right = [o for o in self.options if o.correct]
        if len(right) != 1:
            raise ValueError(f"exactly one option needs `correct: true` (found {len(right)})")
        _unique([o.text for o in self.options], "option")
        for option in self.options:
            if not option.correct and not (option.feedback or "").strip():
                raise ValueError(f"wrong option {option.text!r} needs `feedback` saying why it is wrong")
        return self

    @property
    def answer(self) -> str:
        return next(o.text for o in self.options if o.correct)


class MultipleChoiceSpec(_Exercise):
    kind: Literal["multiple_choice"]
    options: tuple[Option, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _some_right(self):
        if not any(o.correct for o in self.options):
            raise ValueError("at least one option needs `correct: true`")
        _unique([o.text for o in self.options], "option")
        for option in self.options:
            if not option.correct and not (option.feedback or "").strip():
                raise ValueError(f"wrong option {option.text!r} needs `feedback` saying why it is wrong")
        return self


class OrderSpec(_Exercise):
    kind: Literal["order"]
    RUNTIME_FIELDS: ClassVar[tuple[str, ...]] = ("items",)
    items: tuple[OrderItem, ...] = ()

    @model_validator(mode="after")
    def _items(self):
        if "items" not in self.runtime and len(self.items) < 2:
            raise ValueError("`items` needs at least 2 items, listed in the right order")
        _unique([i.text for i in self.items], "item")
        return self


class CategoriseSpec(_Exercise):
    kind: Literal["categorise"]
    groups: tuple[str, ...] = Field(min_length=2)
    items: tuple[GroupItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _groups(self):
        _unique(list(self.groups), "group")
        _unique([i.text for i in self.items], "item")
        stray = [i for i in self.items if i.group not in self.groups]
        if stray:
            raise ValueError(f"item {stray[0].text!r} goes to group {stray[0].group!r}, not one of {list(self.groups)}")
        return self


class NumericSpec(_Exercise):
    kind: Literal["numeric"]
    RUNTIME_FIELDS: ClassVar[tuple[str, ...]] = ("answer", "mistakes")
    answer: float | None = None
    tolerance: float = Field(default=0.0, ge=0)
    feedback_low: str | None = None
    feedback_high: str | None = None
    mistakes: tuple[Mistake, ...] = ()

    @model_validator(mode="after")
    def _answer(self):
        if self.answer is None and "answer" not in self.runtime:
            raise ValueError("`answer` is missing (or declare `runtime: [answer]` if the notebook computes it)")
        return self


class RaciGridSpec(_Exercise):
    kind: Literal["raci_grid"]
    RUNTIME_FIELDS: ClassVar[tuple[str, ...]] = ("tasks", "roles", "start", "solution")
    max_consulted: int | None = Field(default=None, ge=1)


class LikertFormSpec(_Exercise):
    kind: Literal["likert_form"]
    RUNTIME_FIELDS: ClassVar[tuple[str, ...]] = ("codebook", "questions", "respondent", "attributes")


class SimulatorSpec(_Exercise):
    kind: Literal["simulator"]
    RUNTIME_FIELDS: ClassVar[tuple[str, ...]] = ("model", "sliders", "labels")


class TrackerSpec(_Exercise):
    kind: Literal["tracker"]
    RUNTIME_FIELDS: ClassVar[tuple[str, ...]] = ("advice",)


class DiscussionSpec(_Exercise):
    """An exercise done on paper or in the room: it has lesson text and a trainer answer, no widget."""

    kind: Literal["discussion"]


ExerciseSpec = Annotated[
    SingleChoiceSpec
    | MultipleChoiceSpec
    | OrderSpec
    | CategoriseSpec
    | NumericSpec
    | RaciGridSpec
    | LikertFormSpec
    | SimulatorSpec
    | TrackerSpec
    | DiscussionSpec,
    Field(discriminator="kind"),
]
CHECKED = ("single_choice", "multiple_choice", "order", "categorise", "numeric", "raci_grid")
_ADAPTER = TypeAdapter(ExerciseSpec)


class LessonExercises(_Model):
    """One lesson's exercise file."""

    lesson: str
    exercises: tuple[ExerciseSpec, ...]
    path: Path | None = None

    def __getitem__(self, exercise_id: str):
        for spec in self.exercises:
            if spec.id == exercise_id:
                return spec
        raise KeyError(exercise_id)


def _unique(values: list[str], what: str) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice; list each {what} once")
        seen.add(value)


def load(path: str | Path) -> LessonExercises:
    """Read and validate one lesson's exercise file.

    Raises
    ------
    WorkbookError
        Naming the file, the line and id of the exercise, and the field, when the file is not YAML
        or breaks the schema.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise WorkbookError(f"{path}: not UTF-8 text; save the exercise file as UTF-8.") from None
    key = (str(path), text)
    if key not in _LOADED:
        if len(_LOADED) >= 64:  # edited files leave stale entries: keep the cache small
            _LOADED.clear()
        _LOADED[key] = _parse(path, text)
    return _LOADED[key]


# Validated lessons by (path, text): a notebook names several exercises, each looked up through the
# lesson files; the text, read again each time, keeps an edited file from being served stale.
_LOADED: dict[tuple[str, str], LessonExercises] = {}


def _parse(path: Path, text: str) -> LessonExercises:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # libyaml's parser when installed
    try:
        node = loader.get_single_node()  # parsed once: the nodes give the lines, then the data
        document = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise WorkbookError(f"{path}{where}: not valid YAML ({getattr(error, 'problem', error)}).") from None
    finally:
        loader.dispose()
    if not isinstance(document, dict) or not isinstance(document.get("exercises"), list):
        raise WorkbookError(f"{path}: needs a top-level `lesson:` name and an `exercises:` list.")
    lines = _item_lines(node)
    specs, ids = [], set()
    for number, raw in enumerate(document["exercises"]):
        line = lines[number] if number < len(lines) else None
        label = raw.get("id") if isinstance(raw, dict) else None
        where = f"{path}{f', line {line}' if line else ''}, exercise {label or f'number {number + 1}'!r}"
        try:
            spec = _ADAPTER.validate_python(raw)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"] if not str(p).endswith("_spec") and p not in _KINDS)
            field_text = f", field {field!r}" if field else ""
            message = first["msg"].removeprefix("Value error, ")
            raise WorkbookError(f"{where}{field_text}: {message}.") from None
        if spec.id in ids:
            raise WorkbookError(f"{where}: the id {spec.id!r} is used twice in this file.")
        ids.add(spec.id)
        specs.append(spec)
    lesson = str(document.get("lesson") or path.stem)
    return LessonExercises(lesson=lesson, exercises=tuple(specs), path=path)


_KINDS = {
    "single_choice",
    "multiple_choice",
    "order",
    "categorise",
    "numeric",
    "raci_grid",
    "likert_form",
    "simulator",
    "tracker",
    "discussion",
}


def _item_lines(node) -> list[int]:
    """The 1-based line of each item of the top-level ``exercises`` list (for error messages)."""
    try:
        for key, value in node.value:
            if key.value == "exercises":
                return [item.start_mark.line + 1 for item in value.value]
    except (AttributeError, TypeError):
        pass
    return []
