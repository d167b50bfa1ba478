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
