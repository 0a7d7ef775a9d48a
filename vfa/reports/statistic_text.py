"""Agreement statistics as text, the same in every view: the reliability window, the
PDF and CSV reports and the CLI text. Two decimals, counts whole, ``n/a`` for a value
that is undefined (never 0.00, never a dash), with the reason where one is known
(``n/a — no events coded``). And the reports' Methods section: the sentences of the
registered statistics (``vfa.domain.rating_statistics``) between those every ratings
report has, then the timed events' methods. No Qt, no PDF library.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import vfa
from vfa.domain.agreement import SHOWN_PLACES
from vfa.domain.event_results import (
    EventBasedAgreement,
    EventsAgreement,
    Pairing,
    TimeUnitAgreement,
)
from vfa.domain.rating_statistics import PEARSON_R, Estimate, statistics

UNDEFINED = "n/a"
NO_EVENTS = "no events coded"


def statistic_text(value: Any, places: int = SHOWN_PLACES, why: str | None = None) -> str:
    """A statistic as every view shows it: two decimals, counts whole, ``n/a`` when it is
    undefined (``n/a — WHY`` when the reason is known)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return f"{UNDEFINED} — {why}" if why else UNDEFINED
    if isinstance(value, (bool, int)):
        return str(value)
    return f"{value:.{places}f}"


def estimate_text(estimate: Estimate, label: bool = False, sep: str = " ") -> str:
    """A statistic with its 95% CI (``0.45 [0.20, 0.70]``) and, for a kappa, its Landis &
    Koch label; only ``n/a`` when the statistic is undefined."""
    text = statistic_text(estimate.value)
    if estimate.value is None:
        return text
    if estimate.ci is not None:
        low, high = estimate.ci
        text += f"{sep}[{statistic_text(low)}, {statistic_text(high)}]"
    if label and estimate.label:
        text += f"{sep}{estimate.label}"
    return text


def event_statistic(section: TimeUnitAgreement | EventBasedAgreement, value: float | None) -> str:
    """A statistic of an event section as text: ``n/a — no events coded`` when neither
    coder coded an event."""
    return statistic_text(value, why=NO_EVENTS if section.no_events else None)


def csv_cell(column: str, value: Any) -> Any:
    """A report row's cell as the CSV holds it: an undefined value is ``n/a``; an interval
    or label that does not exist is empty."""
    if value is None:
        return UNDEFINED if column == "value" else ""
    return value


# -- Methods -----------------------------------------------------------------------------

UNITS = (
    "Units are the rated units (clips); a unit enters a statistic when at least two coders "
    "rated it. Special codes such as NOB are missing values for every statistic."
)
RATING_METHODS_AFTER = (
    PEARSON_R.methods,
    "Bootstrap CIs: 1000 resamples of the units, fixed seed (the report is reproducible).",
    "Landis & Koch (1977) labels for kappas, of the value as shown to two decimals: <= 0 "
    "poor, .01-.20 slight, .21-.40 fair, .41-.60 moderate, .61-.80 substantial, .81-1 "
    "almost perfect.",
    "Total: the scheme's score per unit and coder (e.g. the KIPS mean of the items rated "
    "1-5, NOB excluded). Pooled: every (unit, item) taken as one unit.",
)
EVENT_METHODS = (
    "Timed events follow Bakeman, Quera & Gnisci (2009); both a time-based and an "
    "event-based kappa are reported.",
    "Time-unit kappa: each clip is cut into units of {unit_ms} ms over its whole duration; "
    "a unit's code is the code of the event covering its midpoint (a point event its own "
    "unit; overlapping events of one coder: the latest started), and '<none>' where no "
    "event covers it, a category like any code. Cohen's kappa over the units of all clips "
    "pooled; per code, the kappa of its presence or absence per unit.",
    "Event kappa: the two coders' events are paired one-to-one {pairing}; among the "
    "possible pairings the one of largest total weight is taken (same code 3, other code "
    "1, plus half the fit; Hungarian method). An unpaired event counts against "
    "'<nothing>'. Percent agreement and Cohen's kappa from the confusion matrix; kappa "
    "max is the largest kappa its margins allow (Umesh, Peterson & Sauber 1989).",
    "No confidence intervals for event statistics: successive time units and events are "
    "not independent, so the usual standard error would be too small.",
)


def rating_methods() -> list[str]:
    """The ratings part of the Methods: the registered statistics' sentences, each once."""
    registered = dict.fromkeys(s.methods for s in statistics("report"))
    return [UNITS, *registered, *RATING_METHODS_AFTER]


def pairing_text(pairing: Pairing) -> str:
    """How the events were paired: by onset tolerance or by overlap."""
    if pairing.tolerance_ms is not None:
        return f"when their onsets differ by at most {pairing.tolerance_ms} ms (onset tolerance)"
    share = f"{pairing.overlap:.0%}" if pairing.overlap is not None else "60%"
    return (
        f"when their overlap is at least {share} of the longer event's duration, point "
        "events when their onsets differ by at most 1000 ms"
    )


def methods_lines(
    coders: Sequence[str],
    ratings: bool,
    events: EventsAgreement | None,
    methods: Mapping[str, Any] | None = None,
) -> list[str]:
    """The Methods section as sentences: what was compared and how each statistic is made."""
    given = dict(methods or {})
    lines = []
    facts = []
    if given.get("scheme"):
        facts.append(f"coding scheme {given['scheme']}")
    if given.get("source"):
        facts.append(f"data from {given['source']}")
    if coders:
        facts.append(f"coders {', '.join(map(str, coders))}")
    if given.get("reference"):
        facts.append(f"reference coder {given['reference']}")
    if given.get("clips") is not None:
        facts.append(f"{given['clips']} clip(s)")
    if facts:
        lines.append("Compared: " + "; ".join(facts) + ".")
    if ratings:
        lines.extend(rating_methods())
    if events is not None:
        unit_ms = events.time_unit.unit_ms
        pairing = pairing_text(events.event.pairing)
        lines.extend(m.format(unit_ms=unit_ms, pairing=pairing) for m in EVENT_METHODS)
    lines.extend(str(note) for note in given.get("notes", []))
    version = getattr(vfa, "__version__", "unknown")
    lines.append(
        f"Software: VFA (Video Feedback Annotator) {version}; statistics in "
        "vfa.domain.agreement and vfa.domain.event_agreement (NumPy, SciPy, krippendorff). "
        f"Report written {dt.date.today().isoformat()}."
    )
    return lines
