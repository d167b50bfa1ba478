"""Read one sheet of an Excel file within the workbook's limits (see :data:`helpers.polls.read.LIMITS`).

A zip bomb posing as xlsx is refused from the sizes its zip declares, before anything is decompressed;
cells, columns and rows are held against their limits while reading; the first *visible* sheet is the
default; merged cells are filled with their top-left value. Used by :mod:`helpers.polls.read`.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from .read import LIMITS, limit, over_limit


def xlsx_rows(path: Path, sheet, notes: list[str] | None = None) -> list[tuple[list[str], int]]:
    """The rows of one sheet of an Excel file, as text, with their row numbers.

    The sheet is ``sheet`` (a name or a 0-based index) or, by default, the first *visible* one (a
    hidden first sheet is not what the user sees). Before anything is decompressed, the sizes the
    zip declares are held against the limit (a zip bomb posing as xlsx is refused at once); cells,
    columns and rows are held against theirs while reading. Merged cells are filled with the value
    of their top-left cell (the group of each row, as the user sees it), and ``notes`` says so.
    """
    import zipfile

    from openpyxl import load_workbook

    notes = [] if notes is None else notes
    _check_zip(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except InputError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise InputError(
            f"this Excel file cannot be opened ({type(error).__name__}); save it again from Excel", file=path.name
        ) from None
    try:
        worksheet = _choose_sheet(workbook, sheet, path.name, notes)
        max_cell, max_columns, max_rows = limit("cell"), limit("columns"), limit("rows")
        if (worksheet.max_column or 0) > max_columns or (worksheet.max_row or 0) > max_rows:
            worksheet.reset_dimensions()  # a declared size is not trusted: count the cells actually there
        rows = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > max_rows:
                raise over_limit("rows", f"more than {max_rows:,}", path.name, line=number)
            if len(values) > max_columns:
                values = values[: max_columns + 1]
                if any(v is not None for v in values[max_columns:]):
                    raise over_limit("columns", f"more than {max_columns:,}", path.name, line=number)
            cells = [_xlsx_text(v) for v in values]
            for index, cell in enumerate(cells):
                if len(cell) > max_cell:
                    raise InputError(
                        f"a cell holds {len(cell):,} characters, over the workbook's limit of {max_cell:,} (Excel's "
                        f"own maximum): check that the file is the export you meant, or raise the limit by setting the "
                        f"environment variable {LIMITS['cell'][0]}",
                        file=path.name,
                        line=number,
                        column=_column_letter(index),
                    )
            rows.append((cells, number))
        merged = _merged_ranges(path, worksheet)
    except zipfile.BadZipFile:
        raise InputError(
            "this Excel file is damaged (its zip content does not check out); save it again from Excel", file=path.name
        ) from None
    finally:
        workbook.close()
    if merged:
        _fill_merged(rows, merged, notes)
    return rows


def _check_zip(path: Path) -> None:
    """Refuse an xlsx whose declared uncompressed size is over the limit (zip bombs), before reading it.

    Python's zip reader stops at the declared size of each member, so the declared sizes bound the work.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl says it cannot be opened
    if total > limit("xlsx_mb") * 1_000_000:
        raise over_limit("xlsx_mb", f"{total / 1e6:,.0f}", path.name)


def _choose_sheet(workbook, sheet, name: str, notes: list[str]):
    names = workbook.sheetnames
    try:
        if sheet is None or (isinstance(sheet, str) and not sheet.strip()):
            visible = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
            if not visible:
                raise InputError(
                    "every sheet of this Excel file is hidden: show one in Excel, or name it with --sheet", file=name
                )
            chosen = visible[0]
            if chosen is not workbook.worksheets[0] or len(names) > 1:
                hidden = [ws.title for ws in workbook.worksheets if ws not in visible]
                notes.append(
                    f"sheet {chosen.title!r} read (the first visible of {len(names)}"
                    + (f"; hidden: {', '.join(hidden)}" if hidden else "")
                    + "); choose another with --sheet"
                )
            return chosen
        if isinstance(sheet, int) or (
            isinstance(sheet, str) and sheet.strip().isdigit() and sheet.strip() not in names
        ):
            index = int(sheet) - (1 if isinstance(sheet, str) else 0)  # a number given as text counts from 1
            if index < 0:
                raise IndexError(index)
            return workbook.worksheets[index]
        return workbook[sheet]
    except (KeyError, IndexError):
        raise InputError(f"no sheet {sheet!r}; the sheets are {', '.join(names)}", file=name) from None


def _merged_ranges(path: Path, worksheet) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merged range of a read-only sheet, 1-based.

    openpyxl's read-only mode does not report merged cells, so the sheet's XML is scanned for its
    ``<mergeCell ref="A2:A7"/>`` elements, in bounded chunks.
    """
    import zipfile

    from openpyxl.utils.cell import range_boundaries

    member = getattr(worksheet, "_worksheet_path", None)
    if not member:
        return []
    found, tail = [], b""
    pattern = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
    with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as stream:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            found += [m.group(1).decode() for m in pattern.finditer(data)]
            tail = data[-200:]
            found = list(dict.fromkeys(found))
    return [(b[1], b[0], b[3], b[2]) for b in (range_boundaries(ref) for ref in found)]


def _fill_merged(rows, merged, notes: list[str]) -> None:
    by_number = {number: cells for cells, number in rows}
    filled = 0
    for min_row, min_col, max_row, max_col in merged:
        top = by_number.get(min_row)
        value = top[min_col - 1] if top is not None and len(top) >= min_col else ""
        for number in range(min_row, max_row + 1):
            cells = by_number.get(number)
            if cells is None:
                continue
            if len(cells) < max_col:
                cells.extend([""] * (max_col - len(cells)))
            for column in range(min_col, max_col + 1):
                if (number, column) != (min_row, min_col) and not cells[column - 1]:
                    cells[column - 1] = value
                    filled += 1
    refs = ", ".join(f"{_column_letter(c - 1)}{r}:{_column_letter(c2 - 1)}{r2}" for r, c, r2, c2 in merged[:5])
    notes.append(
        f"{len(merged)} merged cell range(s) ({refs}{'…' if len(merged) > 5 else ''}) filled with their top-left "
        f"value ({filled} cells)"
    )


def _column_letter(index: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(index + 1)


def _xlsx_text(value) -> str:
    from datetime import datetime

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="milliseconds" if value.microsecond else "seconds")
    return str(value)
