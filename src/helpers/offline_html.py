"""HTML pages that work offline: formulas rendered at build time, no script from a CDN.

nbconvert's pages leave ``$…$`` and ``$$…$$`` in the text for MathJax, loaded from a CDN, to typeset
in the browser; in a training room without internet the reader sees raw LaTeX. Here each formula of
a markdown cell is converted to MathML when the page is built (``latex2mathml``), which browsers
render natively (MathML Core: Chromium 109+, Firefox, Safari), and the CDN scripts (MathJax,
require.js, the widget manager) are removed: the pages show each widget's static fallback anyway
(see :func:`helpers.course.to_html`).

Inline math follows Pandoc's rule: an opening ``$`` is followed by a non-space, a closing ``$`` is
preceded by a non-space and not followed by a digit, so prices such as "$5 and $10" stay text.
"""

from __future__ import annotations

import html
import re

from nbconvert.preprocessors import Preprocessor

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\d$])")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
_CDN_SCRIPT = re.compile(r"<script[^>]*\bsrc=[\"']https?://[^\"']*[\"'][^>]*>\s*</script>\s*", re.I)
_MATHJAX_BLOCK = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->\s*", re.S)


def to_mathml(latex: str, display: bool) -> str:
    """One formula as MathML; the LaTeX kept as its text alternative (and shown if it cannot convert)."""
    from latex2mathml.converter import convert

    source = " ".join(latex.split())
    try:
        markup = convert(source, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula latex2mathml cannot parse stays readable as code
        return f"<code>{html.escape(source)}</code>"
    return markup.replace("<math ", f"<math alttext=\"{html.escape(source)}\" ", 1)


def render_math(markdown: str) -> str:
    """A markdown text with every formula replaced by MathML (code spans and blocks left alone)."""
    parts = _CODE.split(markdown)
    for index in range(0, len(parts), 2):  # even parts are outside code
        text = _DISPLAY.sub(lambda m: "\n\n" + to_mathml(m.group(1), True) + "\n\n", parts[index])
        parts[index] = _INLINE.sub(lambda m: to_mathml(m.group(1), False), text)
    return "".join(parts)


class OfflineMath(Preprocessor):
    """nbconvert preprocessor: formulas of markdown cells rendered to MathML."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and "$" in cell.source:
            cell.source = render_math(cell.source)
        return cell, resources


def strip_cdn(page: str) -> str:
    """The page without MathJax's configuration and without scripts loaded from the internet."""
    return _CDN_SCRIPT.sub("", _MATHJAX_BLOCK.sub("", page))
