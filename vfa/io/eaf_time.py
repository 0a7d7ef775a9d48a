"""ELAN time slots: TIME_VALUEs in whole milliseconds, and times for unaligned slots
proposed as ELAN proposes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from vfa.domain.limits import MAX_MS  # no coding runs past a day

# TIME_UNITS: milliseconds per unit (ELAN writes milliseconds; the others are legacy).
UNITS: dict[str, Decimal] = {
    "milliseconds": Decimal(1),
    "PAL-frames": Decimal(40),
    "NTSC-frames": Decimal(1001) / Decimal(30),
}


def to_ms(text: str, unit: Decimal = Decimal(1), *, signed: bool = False) -> int:
    """A time in the file's units as whole milliseconds (half up); ValueError says why not."""
    # what ELAN writes: whole ms, within a day
    if unit == 1 and len(text) <= 8 and text.isascii() and text.isdigit() and int(text) <= MAX_MS:
        return int(text)
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    value *= unit
    if value < 0 and not signed:
        raise ValueError(f"{text!r} is negative")
    if abs(value) > MAX_MS:
        raise ValueError(f"{text!r} is past 24 hours ({MAX_MS:,} ms)")
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _step(begin: int, end: int, count: int) -> int:
    """(end - begin) / count as Java's long division does it: truncated toward zero."""
    size = abs(end - begin) // count
    return size if end >= begin else -size


def propose_times(
    slots: Iterable[str], order: Mapping[str, int], known: Mapping[str, int]
) -> tuple[dict[str, int], list[str]]:
    """Times for one tier's unaligned slots, as ELAN's TimeProposer gives them.

    The tier's slots are taken in the order of TIME_ORDER; each run of slots without a
    time lies between two slots with one (aligned, or proposed for a parent tier before),
    and its n slots get begin + k * ((end - begin) / (n + 1)), the quotient truncated to
    whole milliseconds as ELAN does. Returns the proposed times and the slots that have no
    timed slot on one side (ELAN leaves those unplaced too).
    """
    ordered = sorted(set(slots), key=order.__getitem__)
    proposed: dict[str, int] = {}
    unplaced: list[str] = []
    begin: int | None = None
    run: list[str] = []
    for slot in ordered:
        time = known.get(slot)
        if time is None:
            run.append(slot)
            continue
        if run:
            if begin is None:
                unplaced.extend(run)
            else:
                step = _step(begin, time, len(run) + 1)
                for k, waiting in enumerate(run, start=1):
                    proposed[waiting] = begin + k * step
            run = []
        begin = time
    unplaced.extend(run)
    return proposed, unplaced
