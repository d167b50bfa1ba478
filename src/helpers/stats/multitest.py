"""Multiple-testing adjustment: statsmodels' ``multipletests``, with Holm's method done here.

statsmodels' Holm branch ends with ``gc.collect()``: a full garbage collection of the kernel's heap
(0.1-0.3 s in a notebook with pandas, matplotlib and widgets loaded) to adjust a dozen p-values. Holm
is computed here with statsmodels' own arithmetic, so the values and ``reject`` are identical to
the bit (tested against statsmodels); every other method is passed to statsmodels unchanged.

References: Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian
Journal of Statistics, 6(2), 65-70.
"""

from __future__ import annotations

import numpy as np

_HOLM = ("h", "holm")


def multipletests(pvals, alpha: float = 0.05, method: str = "hs"):
    """As :func:`statsmodels.stats.multitest.multipletests` (same arguments' meaning, same return:
    ``reject, pvals_corrected, alphacSidak, alphacBonf``, in the input's order).

    >>> multipletests([0.01, 0.04, 0.03, 0.005], method="holm")[1].round(3).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    if method.lower() not in _HOLM:
        from statsmodels.stats.multitest import multipletests as statsmodels_multipletests

        return statsmodels_multipletests(pvals, alpha=alpha, method=method)
    pvals = np.asarray(pvals)
    sortind = np.argsort(pvals)
    pvals = np.take(pvals, sortind)
    ntests = len(pvals)
    if ntests > 0:
        alpha_sidak = 1 - np.power((1.0 - alpha), 1.0 / ntests)
        alpha_bonferroni = alpha / float(ntests)
    else:
        alpha_sidak = alpha_bonferroni = np.nan
    notreject = pvals > alpha / np.arange(ntests, 0, -1)
    nr_index = np.nonzero(notreject)[0]
    notreject[(len(pvals) if nr_index.size == 0 else np.min(nr_index)) :] = True
    reject = ~notreject
    corrected = np.maximum.accumulate(pvals * np.arange(ntests, 0, -1))  # step-down Bonferroni
    corrected[corrected > 1] = 1
    corrected_in_order = np.empty_like(corrected)
    corrected_in_order[sortind] = corrected
    reject_in_order = np.empty_like(reject)
    reject_in_order[sortind] = reject
    return reject_in_order, corrected_in_order, alpha_sidak, alpha_bonferroni
