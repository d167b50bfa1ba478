"""Two audiences from one source: the analyst track (the full lesson) and the practitioner track.

The people in a collaborative-working course are mostly partnership managers, facilitators and
business students. They need the case, the exercises, the room's own data, the figures and a
plain-language reading of each result; analysts and researchers need the methods too. Both tracks are
made from the one notebook and the one lesson text, by tags:

* notebook cells tagged ``analyst`` belong to the analyst track only (method explanations, formulas,
  method tables, exercises on computing a statistic by hand);
* cells tagged ``practitioner`` belong to the practitioner track only (plain-language readings and
  plain replacements of method cells);
* untagged cells belong to both.

In lesson texts (Markdown) a section belongs to one track between an opening and a closing comment::

    <!-- track: analyst -->
    ... analyst-only text ...
    <!-- /track -->

The default is the full lesson, today's lesson complete: the analyst track, which leaves out what is
practitioner-only (the plain replacements of method cells and the reading cells; in the source notebook
they sit beside the cells they replace). ``practitioner`` leaves out what is analyst-only. A lesson
text's default keeps both plans: the full lesson text names both tracks' timings. A code cell of the
analyst track that computes something a later practitioner cell still uses (``changes = ...``) is not
dropped but *folded away*: it runs with its output captured (IPython's ``%%capture``), its source is
hidden in JupyterLab and removed from the HTML page, so the practitioner sees neither code nor method
table while the notebook still runs from top to bottom.
"""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

from .errors import WorkbookError

TRACKS = ("analyst", "practitioner")
#: The tag of a cell that belongs to that track only.
TRACK_TAGS = {"analyst": "analyst", "practitioner": "practitioner"}
#: Set on a folded cell, so tests and readers can see why it is there.
FOLDED_TAG = "folded-method"
_CAPTURE = "%%capture _folded_method_output\n"
_CLOSE_FIGURES = (
    "\nimport sys as _sys\nif 'matplotlib.pyplot' in _sys.modules:\n    _sys.modules['matplotlib.pyplot'].close('all')"
)
_BLOCK = re.compile(r"<!--\s*track:\s*(\w+)\s*-->\n?(.*?)<!--\s*/track\s*-->\n?", re.S)
#: What counts as a formula in a practitioner page: TeX math and commands, summation and root signs, powers
#: of a number or a bracket (``2⁵``, ``(I − Q)⁻¹``) or of a letter inside an expression (``n³ − n``),
#: subscripts (``b₀``), and an equation whose right side multiplies or divides (``W = 12 S / (m² ...``).
#: A symbol's name alone (``eta²``, ``f²``) is not a formula.
FORMULA = re.compile(
    r"\$[^$\n]+\$|\$\$|\\(frac|sqrt|sum|prod|mathrm|left|right|cdot|bar|hat)\b|[Σ∑√]"
    r"|[\d)\]][⁰¹²³⁴⁵⁶⁷⁸⁹ⁿ⁻]|[A-Za-z][⁰¹²³⁴⁵⁶⁷⁸⁹ⁿ]\s*[−+×·/]\s*\w|[₀₁₂₃₄₅₆₇₈₉]"
    r"|\b[A-Za-z]\s*=\s*[^,;\n]*?(?:[×÷]|\s/\s|\d/\d)"
)


def checked(track: str | None) -> str | None:
    """``track`` if it is a known track (or ``None`` for the full lesson); a clear error otherwise."""
    if track is not None and track not in TRACKS:
        raise WorkbookError(
            f"unknown track {track!r}; use analyst or practitioner (or leave it out for the full lesson)"
        )
    return track


def cell_track(cell) -> str | None:
    """The track a cell belongs to only (``"analyst"``, ``"practitioner"``), or ``None`` for both."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    found = [track for track, tag in TRACK_TAGS.items() if tag in tags]
    if len(found) > 1:
        raise WorkbookError(f"a cell is tagged for both tracks ({', '.join(found)}); untag it to show it in both")
    return found[0] if found else None


def make_track(nb, track: str | None):
    """A copy of notebook ``nb`` as ``track`` (``None``: the full lesson, which is the analyst track).

    The result carries ``metadata.workbook.track``. Works on either edition (apply it after
    :func:`helpers.editions.make_edition` or before: they remove disjoint things).
    """
    track = checked(track) or "analyst"
    result = copy.deepcopy(nb)
    kept = [cell for cell in result.cells if cell_track(cell) != "practitioner"]
    if track == "practitioner":
        final: list = []
        needed: set[str] = set()
        for cell in reversed(result.cells):  # backwards, so each cell knows what the cells after it read
            if cell_track(cell) == "analyst":
                bound = names_bound(cell.source) if cell.cell_type == "code" else set()
                if bound & needed or (bound and "*" in needed):
                    final.append(_folded(cell))
                    needed |= names_used(cell.source)
                continue
            final.append(cell)
            if cell.cell_type == "code":
                needed |= names_used(cell.source)
        kept = final[::-1]
    result.cells = kept
    result.metadata.setdefault("workbook", {})["track"] = track
    return result


def _folded(cell):
    """A method cell that still runs (its results are needed later) but shows nothing."""
    cell = copy.deepcopy(cell)
    cell.source = _CAPTURE + cell.source + _CLOSE_FIGURES
    cell.outputs = []
    cell.metadata.setdefault("jupyter", {}).update(source_hidden=True, outputs_hidden=True)
    cell.metadata["transient"] = {"remove_source": True}  # nbconvert's templates leave the source out
    tags = [t for t in cell.metadata.get("tags", []) if t != TRACK_TAGS["analyst"]]
    cell.metadata["tags"] = [*tags, FOLDED_TAG]
    return cell


def names_bound(source: str) -> set[str]:
    """Names a cell assigns, defines or imports (``x = ...``, ``def f``, ``import a as b``)."""
    tree = _parse(source)
    if tree is None:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def names_used(source: str) -> set[str]:
    """Names a cell reads. A cell that cannot be parsed (an IPython magic) is taken to read anything."""
    tree = _parse(source)
    if tree is None:
        return {"*"}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def _parse(source: str):
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def filter_markdown(text: str, track: str | None) -> str:
    """A lesson text for ``track``: blocks marked for the other track removed, markers taken out.

    ``None`` keeps every block (the full lesson). An unknown track named in a marker is an error
    naming it, so a typo cannot silently hide a section from everybody.
    """
    track = checked(track)

    def keep(match: re.Match) -> str:
        marked = match.group(1)
        if marked not in TRACKS:
            raise WorkbookError(f"a lesson section is marked for track {marked!r}; use analyst or practitioner")
        return match.group(2) if track is None or marked == track else ""

    result = _BLOCK.sub(keep, text)
    if "<!-- track" in result or "<!-- /track" in result:
        raise WorkbookError("a '<!-- track: ... -->' marker has no matching '<!-- /track -->'")
    return result


def formulas_in(text: str) -> list[str]:
    """The formulas in ``text`` (TeX math, summation or root signs, superscripts), for checks."""
    return [m.group(0) for m in FORMULA.finditer(text)]


def cell_text(cell) -> str:
    """What a reader of a cell sees: its source unless folded away, and its text outputs."""
    parts = [] if cell.get("metadata", {}).get("transient", {}).get("remove_source") else [cell.source]
    for output in cell.get("outputs", []):
        parts.append(str(output.get("text", "")))
        data = output.get("data", {})
        for kind in ("text/plain", "text/markdown", "text/html"):
            if kind in data:
                parts.append(str(data[kind]))
    return "\n".join(parts)


def write_lesson_texts(lessons_dir: Path, out_dir: Path, track: str | None, *, student: bool = False) -> list[Path]:
    """Write each ``lessons/NN_name.md`` for ``track`` into ``out_dir``; returns the files written.

    With ``student`` the sections for trainers (``## Trainer section``, ``## Trainer notes``, ``## Facilitator
    notes``, each to the next ``## `` heading or the end) are left out: the student edition contains no answer
    and no trainer note.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(Path(lessons_dir).glob("[0-9][0-9]_*.md")):
        text = filter_markdown(source.read_text(encoding="utf-8"), track)
        if student:
            text = re.sub(
                r"^## (Trainer section|Trainer notes|Facilitator notes).*?(?=^## |\Z)", "", text, flags=re.S | re.M
            )
        target = out_dir / source.name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
