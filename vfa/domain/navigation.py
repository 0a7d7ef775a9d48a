"""Navigation rules: playback rates, typed positions, loop ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vfa.domain.frames import FrameTable

RATES = (0.125, 0.25, 0.5, 1.0, 1.5, 2.0, 4.0)


def next_rate(rate: float, direction: int) -> float:
    """The next rate up (direction > 0) or down the ladder 1/8 … 4, clamped at its ends."""
    nearest = min(range(len(RATES)), key=lambda i: abs(RATES[i] - rate))
    return RATES[min(max(nearest + (1 if direction > 0 else -1), 0), len(RATES) - 1)]


def format_rate(rate: float) -> str:
    """``1/8×`` … ``4×`` for the rate ladder, else a decimal."""
    fractions = {0.125: "1/8", 0.25: "1/4", 0.5: "1/2"}
    text = fractions.get(rate, f"{rate:g}")
    return f"{text}×"


_TIME = re.compile(r"^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:[.,]\d+)?)\s*(ms|s)?$")
_FRAME = re.compile(r"^(?:f(?:rame)?\s*|#)(\d+)$", re.IGNORECASE)


def parse_position(text: str, table: FrameTable) -> int:
    """The frame index a typed position names.

    Accepts ``frame 120``, ``f120`` or ``#120`` (a frame index), ``1:02.5`` or
    ``00:01:02.500`` (a time), ``62.5`` or ``62.5s`` (seconds) and ``62500ms``.
    A time means the frame shown then. Raises ValueError with the reason.
    """
    cleaned = text.strip()
    frame = _FRAME.match(cleaned)
    if frame:
        index = int(frame.group(1))
        if index >= table.frame_count:
            raise ValueError(
                f"frame {index} is past the end (the clip has frames 0–{table.frame_count - 1})"
            )
        return index
    match = _TIME.match(cleaned.lower())
    if not match:
        raise ValueError(f"{text!r}: type a time such as 1:02.5 or a frame such as f120")
    hours, minutes, seconds, unit = match.groups()
    value = float(seconds.replace(",", "."))
    if unit == "ms":
        if hours or minutes:
            raise ValueError(f"{text!r}: milliseconds cannot follow minutes")
        t_ms = round(value)
    else:
        t_ms = round((int(hours or 0) * 3600 + int(minutes or 0) * 60 + value) * 1000)
    if t_ms >= table.duration_ms:
        raise ValueError(f"{text!r} is past the end of the clip ({table.duration_ms} ms long)")
    return table.index_at(t_ms)


@dataclass(frozen=True)
class LoopRange:
    """A range [start_ms, end_ms) replayed while looping; at least one frame long."""

    start_ms: int
    end_ms: int

    @classmethod
    def between(cls, a_ms: int, b_ms: int, table: FrameTable) -> LoopRange:
        """The frames from the one shown at the earlier time to the one at the later."""
        lo, hi = sorted((a_ms, b_ms))
        first = table.index_at(lo)
        last = max(table.index_at(hi), first)
        end = table.pts_of(last + 1) if last + 1 < table.frame_count else table.duration_ms
        return cls(table.pts_of(first), end)

    def contains(self, t_ms: int) -> bool:
        return self.start_ms <= t_ms < self.end_ms
