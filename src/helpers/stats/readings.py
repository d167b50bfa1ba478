"""Plain-language readings of a :class:`~helpers.stats.result.Result`, generated from its numbers.

A practitioner (a partnership manager, a facilitator) needs one or two sentences per result: what the
number says, how sure we can be, and whether to act on it. Written by hand per number, such a sentence
goes wrong the moment a trainer runs the notebook on the room's own data. :func:`reading` therefore
words a result from its statistic, estimate, confidence interval, n and interpretation band:

* the headline names the band the estimate falls in, in words ("slight agreement"), with the number;
* the interval is read in the same bands: an interval inside one band makes the reading firm, one
  crossing into the next band "could be either", one spanning three or more bands "could be anything
  from ... to ...";
* a small n is called small ("with only eight things ranked").

The module is general and lesson-free: a lesson supplies its own subject words ("the two parties'
priorities") and an optional closing sentence (what to do next) as context strings.

The bands are the ones the statistics already report (their sources are named on each result): Schmidt
(1997) for Kendall's W, Cohen (1988) for correlations and effect sizes, George & Mallery (2003) for
Cronbach's alpha, Krippendorff (2004) for his alpha, Landis & Koch (1977) for kappa, LeBreton & Senter
(2008) for r_wg, Koo & Li (2016) for the ICC. Kendall's tau has no conventional bands; it is read on
Cohen's correlation cuts, as Spearman's rho is (Gilpin 1993 relates the two; tau runs smaller, so the
words err on the cautious side).

Kept whole: one wording grammar for every kind of Result, so readings of different statistics stay consistent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .result import Result

_SMALL_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


@dataclass(frozen=True)
class Scale:
    """How to word one kind of statistic.

    kind : ``"banded"`` (an index read in bands), ``"difference"`` (signed, zero = no difference),
        ``"ratio"`` (one = no difference), ``"proportion"``, ``"test"`` (a p-value only) or ``"plain"``
        (the result's own interpretation is already a sentence, e.g. a power calculation).
    symbol : the statistic's symbol as printed (kept free of superscripts and formulas).
    subject : the default subject of the headline, replaced by a lesson's own words.
    bands : ``(cuts, labels)`` on the estimate's own scale (signed where the estimate is), or a function
        of the result giving them (for bands that depend on the table, as Cramér's V's do).
    n_unit : what n counts, for the small-n phrase ("things ranked", "people").
    small_n : below this n the phrase says "only".
    unit : the unit of a difference ("points", "rank places").
    """

    kind: str
    symbol: str
    subject: str
    bands: tuple[Sequence[float], Sequence[str]] | Callable[[Result], tuple[Sequence[float], Sequence[str]]] = (
        (),
        (),
    )
    n_unit: str = "observations"
    small_n: int = 20
    unit: str = ""
    verbs: tuple[str, str] = ("came out higher", "came out lower")


_AGREE = (
    [-0.5, -0.3, -0.1, 0.1, 0.3, 0.5],
    [
        "strong disagreement",
        "fair disagreement",
        "slight disagreement",
        "no real agreement either way",
        "slight agreement",
        "fair agreement",
        "strong agreement",
    ],
)
_CHANGE_R = (
    [-0.5, -0.3, -0.1, 0.1, 0.3, 0.5],
    [
        "a large fall",
        "a moderate fall",
        "a small fall",
        "hardly any change",
        "a small rise",
        "a moderate rise",
        "a large rise",
    ],
)


def _w_bands(_: Result):
    from .agreement import W_BANDS

    return W_BANDS[0], [f"{label} agreement" for label in W_BANDS[1]]


def _rwg_bands(_: Result):
    from .agreement import RWG_BANDS

    return RWG_BANDS


def _kappa_bands(_: Result):
    from .agreement import KAPPA_BANDS

    return KAPPA_BANDS[0], [f"{label} agreement" for label in KAPPA_BANDS[1]]


def _kripp_bands(_: Result):
    from .agreement import ALPHA_BANDS

    return ALPHA_BANDS[0], [
        "too little agreement to rely on",
        "enough agreement for tentative conclusions",
        "enough agreement to rely on",
    ]


def _icc1_bands(_: Result):
    from .agreement import ICC1_BANDS

    return ICC1_BANDS[0], [f"{label} differences" for label in ICC1_BANDS[1]]


def _icc_bands(_: Result):
    from .agreement import ICC_BANDS

    return ICC_BANDS[0], [f"{label} reliability" for label in ICC_BANDS[1]]


def _cronbach_bands(_: Result):
    from .reliability import ALPHA_BANDS

    return ALPHA_BANDS[0], [f"{label} consistency" for label in ALPHA_BANDS[1]]


def _variance_bands(_: Result):
    from .groups import VARIANCE_BANDS

    return VARIANCE_BANDS[0], [f"{label} differences" for label in VARIANCE_BANDS[1]]


def _cramer_bands(result: Result):
    match = re.search(r"df\* = (\d+)", result.interpretation_source or "")
    df_star = int(match.group(1)) if match else 1
    words = ["a negligible link", "a weak link", "a moderate link", "a strong link"]
    return [c / math.sqrt(df_star) for c in (0.1, 0.3, 0.5)], words


#: Method-name patterns (searched in ``Result.method``, first match wins) and how to word them.
SCALES: list[tuple[str, Scale]] = [
    (r"own vs predicted", Scale("banded", "τ", "the prediction and the partner's own order", _AGREE, "people", 20)),
    (r"^Kendall's tau", Scale("banded", "τ", "the two orders", _AGREE, "things ranked", 12)),
    (r"^Spearman's rho", Scale("banded", "ρ", "the two orders", _AGREE, "things ranked", 12)),
    (r"^Kendall's W", Scale("banded", "W", "the people ranking", _w_bands, "people ranking", 10)),
    (r"^r_wg", Scale("banded", "r_wg", "the members' answers", _rwg_bands, "answers", 10)),
    (r"kappa", Scale("banded", "κ", "the two sets of ratings", _kappa_bands, "rated units", 30)),
    (r"^Krippendorff's alpha", Scale("banded", "α", "the people answering", _kripp_bands, "answers", 30)),
    (r"^ICC\(1\)", Scale("banded", "ICC(1)", "the groups", _icc1_bands, "groups", 10)),
    (r"^ICC\(2\)|^Intraclass", Scale("banded", "ICC", "the group means", _icc_bands, "groups", 10)),
    (r"^Cronbach's alpha", Scale("banded", "α", "the items of this scale", _cronbach_bands, "respondents", 30)),
    (r"epsilon-squared", Scale("banded", "effect size", "the groups", _variance_bands, "respondents", 30)),
    (r"eta-squared", Scale("banded", "effect size", "the groups", _variance_bands, "respondents", 30)),
    (r"^Cramér's V", Scale("banded", "V", "the two questions", _cramer_bands, "respondents", 30)),
    (r"^Wilcoxon signed-rank", Scale("banded", "r", "the ratings", _CHANGE_R, "people", 20)),
    (r"^Proportion", Scale("proportion", "", "of respondents", n_unit="respondents", small_n=30)),
    (
        r"^Hodges-Lehmann|^Bootstrap .* change",
        Scale("difference", "shift", "the ratings", n_unit="people", small_n=20, unit="points", verbs=("rose", "fell")),
    ),
    (
        r"^Mean absolute rank gap",
        Scale("difference", "gap", "the prediction", n_unit="people", small_n=20, unit="rank places"),
    ),
    (
        r"^Difference of means",
        Scale("difference", "difference", "the first group", n_unit="respondents", small_n=30, unit="points"),
    ),
    (
        r"^OLS moderation",
        Scale(
            "difference",
            "interaction",
            "the two processes",
            n_unit="respondents",
            small_n=50,
            verbs=("strengthen each other", "weaken each other"),
        ),
    ),
    (
        r"^Condition test",
        Scale(
            "difference",
            "difference",
            "the slope",
            n_unit="respondents",
            small_n=50,
            verbs=("is steeper where the condition holds", "is flatter where the condition holds"),
        ),
    ),
    (r"^Cox hazard ratio", Scale("ratio", "hazard ratio", "this group", n_unit="cases", small_n=30)),
    (
        r"^Kaplan-Meier median",
        Scale("difference", "median", "half of the cases", n_unit="cases", small_n=20, unit="months"),
    ),
    (r"test$", Scale("test", "", "the groups", n_unit="cases", small_n=30)),
    (r"^Sample size|^Power|^Minimum detectable", Scale("plain", "", "")),
]


def scale_of(result: Result) -> Scale | None:
    """The :class:`Scale` that words ``result``, found from its method name (``None`` if unknown)."""
    for pattern, scale in SCALES:
        if re.search(pattern, result.method):
            return scale
    return None


def reading(
    result: Result,
    *,
    subject: str | None = None,
    unit: str | None = None,
    n_unit: str | None = None,
    next_step: str | None = None,
    digits: int = 2,
    verbs: tuple[str, str] | None = None,
) -> str:
    """One or two sentences saying what ``result`` means and how sure we can be.

    Parameters
    ----------
    result : the result to read.
    subject : the headline's subject in the lesson's words, e.g. ``"the two parties' priorities"``.
    unit : the unit of a difference (e.g. ``"points on the five-point scale"``).
    n_unit : what n counts (e.g. ``"things ranked"``), for the small-n phrase.
    next_step : a closing sentence the lesson adds (what to do next), appended as given.
    digits : decimals for the numbers quoted.
    verbs : for a difference, what a positive and a negative estimate say in the lesson's words, e.g.
        ``("rate it higher than the partner", "rate it lower than the partner")``.

    Examples
    --------
    >>> from helpers.stats.result import Result
    >>> print(reading(Result("Kendall's tau-b (A vs B)", 0.10, 8, ci=(-0.55, 0.67)), subject="the two parties"))
    The two parties show slight agreement: τ = 0.10, and with only eight things ranked that could be anything \
from strong disagreement to strong agreement (95% likely range -0.55 to 0.67).
    """
    scale = scale_of(result)
    if scale is None:
        scale = Scale("difference" if result.ci else "plain", "estimate", "the estimate")
    if verbs is not None:
        scale = replace(scale, verbs=verbs)
    words = _Words(result, scale, subject, unit, n_unit, digits)
    text = {
        "banded": words.banded,
        "difference": words.difference,
        "ratio": words.ratio,
        "proportion": words.proportion,
        "test": words.test,
        "plain": words.plain,
    }[scale.kind]()
    if next_step:
        text = f"{text} {next_step.strip()}"
    return text


def count_phrase(n: int, unit: str, small: int) -> str:
    """``"only eight things ranked"`` below ``small``, else ``"120 respondents"``."""
    number = _SMALL_WORDS[n] if 0 <= n < min(len(_SMALL_WORDS), small) else f"{n:,}"
    return f"only {number} {unit}" if n < small else f"{number} {unit}"


def _p_text(p: float) -> str:
    from .result import format_p

    text = format_p(p)
    return text if text.startswith("<") else f"= {text}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Words:
    """The wording of one result; one method per :attr:`Scale.kind`."""

    def __init__(self, result: Result, scale: Scale, subject, unit, n_unit, digits: int) -> None:
        self.r, self.s, self.digits = result, scale, digits
        self.subject = subject or scale.subject
        self.unit = unit or scale.unit
        self.count = count_phrase(int(result.n), n_unit or scale.n_unit, scale.small_n)
        self.small = int(result.n) < scale.small_n

    def num(self, value: float) -> str:
        return f"{value:.{self.digits}f}"

    def interval(self) -> str:
        low, high = self.r.ci or (math.nan, math.nan)
        return f"{self.r.ci_level:.0%} likely range {self.num(low)} to {self.num(high)}"

    def has_ci(self) -> bool:
        return self.r.ci is not None and all(math.isfinite(v) for v in self.r.ci)

    def chance(self) -> str:
        """``"; a result this strong would rarely arise by chance (p = .004)"``, where there is a p-value."""
        if self.r.p_value is None:
            return ""
        p = self.r.p_value
        how = "rarely" if p < 0.05 else "easily"
        return f"; a result this strong would {how} arise by chance alone (p {_p_text(p)})"

    def banded(self) -> str:
        bands = self.s.bands(self.r) if callable(self.s.bands) else self.s.bands
        cuts, labels = bands
        from .result import band

        here = band(float(self.r.estimate), cuts, labels)
        head = f"{_capital(self.subject)} show {here}: {self.s.symbol} = {self.num(self.r.estimate)}"
        if not self.has_ci():
            caution = (
                f"; with {self.count} and no likely range to go with it, take it as a first impression"
                if self.small
                else f" ({self.count}; no likely range can be given, so read it as a rough guide)"
            )
            return head + caution + self.chance() + "."
        assert self.r.ci is not None
        low, high = (band(float(v), cuts, labels) for v in self.r.ci)
        span = labels.index(high) - labels.index(low)
        if span == 0:
            firm = "even" if self.small else "and"
            tail = f", {firm} with {self.count} the likely range stays within {here} ({self.interval()})"
            return head + tail + ", so that reading is firm."
        if span == 1:
            return (
                head + f"; with {self.count} the likely range runs from {low} to {high} ({self.interval()}), "
                "so it could be either."
            )
        return head + f", and with {self.count} that could be anything from {low} to {high} ({self.interval()})."

    def difference(self) -> str:
        est = float(self.r.estimate)
        unit = f" {self.unit}" if self.unit else ""
        if self.r.method.startswith("Kaplan-Meier") and not math.isfinite(est):
            return (
                f"Fewer than half of {self.subject.removeprefix('half of ')} got there while we watched ({self.count})."
            )
        if self.r.method.startswith("Kaplan-Meier") and self.r.ci and math.isfinite(self.r.ci[0]):
            head = f"{_capital(self.subject)} took {self.num(est)}{unit} or less"
            if not math.isfinite(self.r.ci[1]):
                return (
                    head + f"; with {self.count} it could be anything from {self.num(self.r.ci[0])}{unit} to "
                    "longer than the data reach."
                )
        elif self.r.method.startswith("Kaplan-Meier"):
            head = f"{_capital(self.subject)} took {self.num(est)}{unit} or less"
        elif self.r.method.startswith("Mean absolute"):
            head = f"{_capital(self.subject)} is off by {self.num(est)}{unit} on average"
        else:
            verb = self.s.verbs[0] if est >= 0 else self.s.verbs[1]
            if self.num(abs(est)) == self.num(0):
                still = "did not move" if self.s.verbs == ("rose", "fell") else "came out the same"
                head = f"{_capital(self.subject)} {still} ({self.s.symbol} = {self.num(0)})"
            elif unit:
                head = f"{_capital(self.subject)} {verb} by {self.num(abs(est))}{unit}"
            else:
                head = f"{_capital(self.subject)} {verb} ({self.s.symbol} = {self.num(est)})"
        if not self.has_ci():
            return (
                head
                + f"; with {self.count} and no likely range to go with it, take it as a first impression"
                + self.chance()
                + "."
            )
        assert self.r.ci is not None
        low, high = self.r.ci
        if self.r.method.startswith(("Kaplan-Meier", "Mean absolute")):
            return (
                head + f"; with {self.count} it could be anything from {self.num(low)} to "
                f"{self.num(high)}{unit} ({self.r.ci_level:.0%} likely range)."
            )
        if low <= 0 <= high:
            return (
                head + f", but with {self.count} the likely range runs from {self.num(low)} to {self.num(high)}"
                f"{unit}: it could be anything from {self._end(low, 'lower')} to {self._end(high, 'higher')}"
                + (
                    "."
                    if self.num(abs(low)) == self.num(0) or self.num(abs(high)) == self.num(0)
                    else ", and no difference at all is among the possibilities."
                )
            )
        side = "above" if low > 0 else "below"
        nearest = min(abs(low), abs(high))
        return (
            head + f"; with {self.count} the likely range stays {side} zero ({self.num(low)} to {self.num(high)}"
            f"{unit}), so it is likely real, though it could be as small as {self.num(nearest)}."
        )

    def _end(self, value: float, word: str) -> str:
        return "no difference" if self.num(abs(value)) == self.num(0) else f"{self.num(abs(value))} {word}"

    def ratio(self) -> str:
        est = float(self.r.estimate)
        head = f"{_capital(self.subject)} moves on {self.num(est)} times as fast"
        if not self.has_ci():
            return head + f"; with {self.count} and no likely range to go with it, take it as a first impression."
        assert self.r.ci is not None
        low, high = self.r.ci
        if low <= 1 <= high:
            return (
                head + f", but with {self.count} the likely range runs from {self.num(low)} to {self.num(high)}: "
                "faster, slower or no different are all possible."
            )
        word = "faster" if low > 1 else "slower"
        return (
            head + f"; with {self.count} the likely range ({self.num(low)} to {self.num(high)}) stays {word} "
            "than the comparison group, so the difference is likely real."
        )

    def proportion(self) -> str:
        est = float(self.r.estimate)
        head = f"{est:.0%} {self.subject}"
        if not self.has_ci():
            return _capital(head) + f" ({self.count})."
        assert self.r.ci is not None
        low, high = self.r.ci
        width = high - low
        sure = (
            "so treat it as rough"
            if width > 0.3
            else "so the share is known to within a few points"
            if width <= 0.1
            else "a fair guide"
        )
        text = f"{head}, and with {self.count} the true share is probably between {low:.0%} and {high:.0%}"
        return _capital(text) + f", {sure}."

    def test(self) -> str:
        p = self.r.p_value
        if p is None:
            return self.plain()
        rare = "rarely" if p < 0.05 else "easily"
        verdict = (
            "so the difference is unlikely to be chance alone"
            if p < 0.05
            else ("so the data cannot tell the groups apart")
        )
        return (
            f"A difference between {self.subject} as large as this one would {rare} arise by chance if they "
            f"were really alike (p {_p_text(p)}, {self.count}), {verdict}."
        )

    def plain(self) -> str:
        text = self.r.interpretation or f"{self.r.method}: {self.num(self.r.estimate)} ({self.count})"
        return _capital(text.strip()).rstrip(".") + "."
