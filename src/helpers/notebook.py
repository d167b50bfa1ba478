"""Set-up shared by every lesson notebook: the same look, no stray warnings, stable outputs.

Notebook outputs are compared byte for byte by nbval, so the set-up fixes everything that could vary
between runs or machines: the plotting backend and style, a colour-blind-safe palette, pandas display
widths, and the warnings that libraries print about their own deprecations.
"""

from __future__ import annotations

import warnings


class Note(str):
    """Plain text a notebook shows as text, not as a quoted string (e.g. why a table is suppressed)."""

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        return str(self)


#: Okabe & Ito (2008) colour-blind-safe palette, used for every plot in the workbook.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


#: What ``seaborn.set_theme(context="notebook", style="whitegrid", palette=PALETTE)`` sets (seaborn
#: 0.13.2), written out so a notebook does not import seaborn (about a second) to style matplotlib.
#: One difference: the default colour map stays matplotlib's (seaborn's "rocket" needs seaborn); every
#: workbook plot names its colour map.
THEME = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.labelsize": 12.0,
    "axes.linewidth": 1.25,
    "axes.titlesize": 12.0,
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": 12.0,
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "legend.fontsize": 11.0,
    "legend.title_fontsize": 12.0,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.labelsize": 11.0,
    "xtick.major.size": 6.0,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0,
    "ytick.color": ".15",
    "ytick.labelsize": 11.0,
    "ytick.left": False,
    "ytick.major.size": 6.0,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
}


def setup() -> None:
    """Apply the workbook's plotting style and display options. Call once at the top of a notebook."""
    import matplotlib
    import pandas as pd
    from cycler import cycler
    from matplotlib.colors import to_rgb

    # Known library deprecation chatter (seaborn 0.13 boxplot `vert`, pandas/statsmodels futures):
    # printed warnings would become part of the stored outputs nbval compares.
    for category in (DeprecationWarning, FutureWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("ignore", message=".*vert.*", module="seaborn")

    style: dict = {**THEME, "axes.prop_cycle": cycler(color=[to_rgb(c) for c in PALETTE])}
    matplotlib.rcParams.update(style)  # a plain dict: mypy need not match each key to rcParams' literals
    matplotlib.rcParams.update(
        {
            "figure.dpi": 80,
            "savefig.dpi": 80,
            "figure.figsize": (7.0, 4.0),
            "svg.hashsalt": "workbook",
            "axes.titleweight": "bold",
        }
    )
    pd.set_option("display.width", 110)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.precision", 3)
    pd.set_option("display.max_colwidth", 90)  # method names and references are longer than 50
    _freeze_imports()


_frozen = False


def _freeze_imports() -> None:
    """Move what is alive at the first set-up (the libraries the notebook imported, its parameters)
    out of the garbage collector's view, once per kernel (:func:`gc.freeze`).

    Those objects live as long as the kernel anyway, yet every full collection walked them again: in
    a lesson notebook 0.2-0.5 s of collections, halved by this. Only the first call freezes, so
    re-running the set-up cell never pins a figure or table made since.
    """
    global _frozen
    if not _frozen:
        import gc

        gc.freeze()
        _frozen = True
