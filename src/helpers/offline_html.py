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

_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\d$])")
_CODE = re.compile(r"(<code\b.*?</code>|<pre\b.*?</pre>)", re.S)
_MARKDOWN = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
_CDN_SCRIPT = re.compile(r"<script[^>]*\bsrc=[\"']https?://[^\"']*[\"'][^>]*>\s*</script>\s*", re.I)
_WIDGET_LOADER = re.compile(r"<script>\s*\(function\(\) \{\s*function addWidgetsRenderer\(\).*?</script>\s*", re.S)
_MATHJAX_BLOCK = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->\s*", re.S)


def to_mathml(latex: str, display: bool) -> str:
    """One formula as MathML; the LaTeX kept as its text alternative (and shown if it cannot convert)."""
    from latex2mathml.converter import convert

    source = " ".join(latex.split())
    try:
        markup = convert(source, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula latex2mathml cannot parse stays readable as code
        return f"<code>{html.escape(source)}</code>"
    return markup.replace("<math ", f'<math alttext="{html.escape(source)}" ', 1)


def render_math(fragment: str) -> str:
    """Rendered markdown (HTML) with every formula replaced by MathML (code left alone)."""
    parts = _CODE.split(fragment)
    for index in range(0, len(parts), 2):  # even parts are outside code
        text = _DISPLAY.sub(lambda m: to_mathml(html.unescape(m.group(1)), True), parts[index])
        parts[index] = _INLINE.sub(lambda m: to_mathml(html.unescape(m.group(1)), False), text)
    return "".join(parts)


def offline_page(page: str) -> str:
    """A built page that works offline: the formulas of its markdown cells as MathML, no MathJax
    configuration and no script loaded from the internet.

    Only the markdown cells' rendered HTML is searched for ``$``: the page's own scripts use ``$`` too.
    The formulas are converted after nbconvert rendered the markdown (its renderer keeps ``$…$`` as
    text, and would mangle MathML written into the markdown source).
    """
    page = _MARKDOWN.sub(lambda m: m.group(1) + render_math(m.group(2)) + m.group(3), page)
    page = page.replace("</head>", READABLE_CSS + "</head>", 1)
    page = _WIDGET_LOADER.sub("", page)  # it fetches the widget manager; the page shows static fallbacks
    return _CDN_SCRIPT.sub("", _MATHJAX_BLOCK.sub("", page))


#: Code comments, numbers, operator words and cell prompts darker than the theme's, which fail
#: WCAG AA contrast (axe-core).
READABLE_CSS = (
    "<style>.highlight .c, .highlight .c1, .highlight .cm, .highlight .ch, .highlight .cs, "
    ".highlight .cp, .highlight .cpf { color: #2e5a5a; } "
    ".highlight .ow { color: #8a1bd1; } "
    ".highlight .m, .highlight .mi, .highlight .mf, .highlight .mh, .highlight .mo, .highlight .il { color: #006400; } "
    ".jp-InputPrompt, .jp-OutputPrompt { color: #4a4a4a !important; opacity: 1 !important; }</style>\n"
)
