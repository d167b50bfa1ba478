"""Validation of a notebook's ``parameters`` cell.

The parameters cell is a notebook's public API: a trainer or researcher changes it by hand, or passes
``-p NAME VALUE`` to ``workbook run`` / papermill. The cell after it calls these functions, which
return the cleaned value or raise :class:`~helpers.errors.ParameterError` with one plain sentence
saying which parameter, what was given and what would work. Values may arrive as strings (papermill
passes ``-p seed 7`` as an int, but ``-r seed 7`` as a string), so numbers are parsed, not assumed.

Example
-------
>>> seed = integer("seed", "7", minimum=0)
>>> seed
7
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import ParameterError

_FIX = "Change it in the parameters cell, or pass it with `-p {name} VALUE`."


def _fail(name: str, wanted: str, value) -> ParameterError:
    return ParameterError(f"Parameter `{name}` must be {wanted}; it is {value!r}. " + _FIX.format(name=name))


def integer(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number, optionally within ``[minimum, maximum]``."""
    bounds = _bounds_text(minimum, maximum)
    wanted = f"a whole number{bounds}"
    if isinstance(value, bool):
        raise _fail(name, wanted, value)
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise _fail(name, wanted, value) from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise _fail(name, wanted, value)
    return number


def number(name: str, value, *, minimum: float | None = None, maximum: float | None = None) -> float:
    """A real number, optionally within ``[minimum, maximum]``."""
    wanted = f"a number{_bounds_text(minimum, maximum)}"
    if isinstance(value, bool):
        raise _fail(name, wanted, value)
    try:
        result = float(str(value).strip())
    except ValueError:
        raise _fail(name, wanted, value) from None
    if result != result or (minimum is not None and result < minimum) or (maximum is not None and result > maximum):
        raise _fail(name, wanted, value)
    return result


def choice(name: str, value, options: Sequence[str]) -> str:
    """One of ``options`` (compared without regard to case or surrounding spaces)."""
    text = str(value).strip()
    for option in options:
        if text.casefold() == str(option).casefold():
            return option
    raise _fail(name, "one of " + ", ".join(repr(o) for o in options), value)


def text(name: str, value, *, allow_empty: bool = False) -> str:
    """A piece of text, not empty unless ``allow_empty``."""
    if value is None or (not allow_empty and not str(value).strip()):
        raise _fail(name, "some text" if not allow_empty else "text", value)
    return str(value).strip()


def optional_text(name: str, value) -> str | None:
    """Text, or ``None`` when the parameter is ``None`` or empty."""
    if value is None or not str(value).strip():
        return None
    return text(name, value)


def existing_file(name: str, value, *, suffixes: Iterable[str] | None = None) -> Path:
    """The path of a file that exists (relative paths are taken from the notebook's folder), or of a
    live poll's session folder (``workbook poll start``), which ``helpers.polls.load`` reads directly."""
    if value is None or not str(value).strip():
        raise _fail(name, "the path of a file", value)
    path = Path(str(value).strip()).expanduser()
    from .polls.session import is_session

    if is_session(path):  # a live poll's session folder: `load()` reads it like a poll file
        return path
    if not path.is_file():
        raise ParameterError(
            f"Parameter `{name}`: no file at {str(value)!r}. Check the spelling; a relative path is "
            "read from the notebook's folder. " + _FIX.format(name=name)
        )
    allowed = tuple(s.lower() for s in (suffixes or ()))
    if allowed and path.suffix.lower() not in allowed:
        raise _fail(name, "a file ending in " + " or ".join(allowed), value)
    return path


def optional_file(name: str, value, *, suffixes: Iterable[str] | None = None) -> Path | None:
    """Like :func:`existing_file`, but ``None`` or empty means "not given"."""
    if value is None or not str(value).strip():
        return None
    return existing_file(name, value, suffixes=suffixes)


def text_list(name: str, value, *, length: int | None = None) -> list[str]:
    """A list of texts; a single comma-separated string is accepted too (handy with ``-p``)."""
    items = [s.strip() for s in value.split(",")] if isinstance(value, str) else list(value or [])
    items = [str(s).strip() for s in items if str(s).strip()]
    wanted = f"a list of {length} names" if length else "a list of names"
    if not items or (length is not None and len(items) != length) or len(set(items)) != len(items):
        raise _fail(name, wanted + " (all different)", value)
    return items


def _bounds_text(minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f" of at least {minimum}"
    if maximum is not None:
        return f" of at most {maximum}"
    return ""
