"""Errors a trainer, student or researcher can act on.

Every error the workbook raises on purpose is a :class:`WorkbookError`: one plain sentence saying what
is wrong, where (file, line, column, value when known) and what to do. The ``workbook`` command prints
it as one line on stderr; in a notebook IPython shows the message without a traceback, because
``_render_traceback_`` is the hook IPython uses to render an exception.
"""

from __future__ import annotations


class WorkbookError(Exception):
    """An error with a message meant for the user, not a programmer."""

    def __str__(self) -> str:  # keep the message exactly as written
        return self.args[0] if self.args else self.__class__.__name__

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class ParameterError(WorkbookError):
    """A notebook parameter has a value the notebook cannot use."""


class InputError(WorkbookError):
    """An input file cannot be read or is not in a format the workbook understands.

    Parameters
    ----------
    message : what is wrong and what to do.
    file, line, column, value : where, when known (line is 1-based, as an editor shows it).
    """

    def __init__(self, message: str, *, file=None, line=None, column=None, value=None):
        # a message can quote a cell of someone's file: never let an e-mail or a phone number out
        from .redact import mask_text

        message = mask_text(message)
        value = None if value is None else mask_text(str(value))
        column = None if column is None else mask_text(str(column))
        self.file, self.line, self.column, self.value = file, line, column, value
        where = ", ".join(
            part
            for part in (
                f"{file}" if file is not None else "",
                f"line {line}" if line is not None else "",
                f"column {column!r}" if column is not None else "",
                f"value {_short(value)!r}" if value is not None else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


def _short(value, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
