"""helpers.notebook.setup styles matplotlib exactly as seaborn's theme did, without importing seaborn."""

import subprocess
import sys

PROBE = """
import copy, sys, matplotlib
matplotlib.use("Agg")
from helpers.notebook import PALETTE, setup
setup()
ours = copy.deepcopy(dict(matplotlib.rcParams))
assert "seaborn" not in sys.modules, "setup() imported seaborn"
import seaborn as sns
matplotlib.rcdefaults()
sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
theirs = dict(matplotlib.rcParams)
mine = ("figure.dpi", "savefig.dpi", "figure.figsize", "svg.hashsalt", "axes.titleweight", "image.cmap")
differ = sorted(k for k in theirs if theirs[k] != ours[k] and k not in mine)
print(differ)
"""


def test_setup_matches_seaborns_theme_without_seaborn():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_setup_freezes_what_is_alive_once_per_kernel(monkeypatch):
    """The first set-up moves the imported libraries out of the collector's view; a re-run does not
    freeze again (it would pin the figures and tables made since)."""
    import gc

    import helpers.notebook

    calls = []
    monkeypatch.setattr(helpers.notebook, "_frozen", False)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    helpers.notebook.setup()
    helpers.notebook.setup()
    assert calls == ["freeze"]
