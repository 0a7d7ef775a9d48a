"""Agreement statistics as text, the same in every view: the reliability window, the
PDF and CSV reports and the CLI text. Two decimals, counts whole, ``n/a`` for a value
that is undefined (never 0.00, never a dash), with the reason where one is known
(``n/a — no events coded``). No Qt, no PDF library.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

UNDEFINED = "n/a"
NO_EVENTS = "no events coded"
_NO_CODE = ("<none>", "<nothing>")


def statistic_text(value: Any, places: int = 2, why: str | None = None) -> str:
    """A statistic as every view shows it: two decimals, counts whole, ``n/a`` when it is
    undefined (``n/a — WHY`` when the reason is known)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return f"{UNDEFINED} — {why}" if why else UNDEFINED
    if isinstance(value, (bool, int)):
        return str(value)
    return f"{value:.{places}f}"


def statistic_with_ci(
    stats: Mapping[str, Any] | None, name: str, label: bool = False, sep: str = " "
) -> str:
    """A statistic with its 95% CI (``0.45 [0.20, 0.70]``) and, for a kappa, its Landis &
    Koch label; only ``n/a`` when the statistic is undefined."""
    value = stats.get(name) if stats else None
    text = statistic_text(value)
    if value is None or stats is None:
        return text
    ci = stats.get(f"{name}_ci")
    low, high = (ci[0], ci[1]) if ci else (None, None)
    if low is not None and high is not None:
        text += f"{sep}[{statistic_text(low)}, {statistic_text(high)}]"
    found = (stats.get("landis_koch") or {}).get(name) if label else None
    if found:
        text += f"{sep}{found}"
    return text


def no_events(section: Mapping[str, Any] | None) -> bool:
    """Whether neither coder coded any event in a time-unit or event section."""
    labels = (section or {}).get("confusion", {}).get("labels", [])
    return not [label for label in labels if label not in _NO_CODE]


def event_statistic(section: Mapping[str, Any] | None, name: str) -> str:
    """An event statistic as text: ``n/a — no events coded`` when there were none."""
    why = NO_EVENTS if no_events(section) else None
    return statistic_text((section or {}).get(name), why=why)


def csv_cell(column: str, value: Any) -> Any:
    """A report row's cell as the CSV holds it: an undefined value is ``n/a``; an interval
    or label that does not exist is empty."""
    if value is None:
        return UNDEFINED if column == "value" else ""
    return value
