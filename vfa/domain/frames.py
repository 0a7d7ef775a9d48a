"""The time model: a clip's frame table and the arithmetic built on it.

Canonical media time is integer milliseconds of a frame's presentation timestamp.
Frame indices are 0-based, in presentation order, and always come from the table,
never from ``t * fps``.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class FrameTable:
    """The presentation timestamps (ms) of every frame of a clip, ascending."""

    pts_ms: tuple[int, ...]
    duration_ms: int

    def __post_init__(self) -> None:
        if not self.pts_ms:
            raise ValueError("a frame table needs at least one frame")

    @classmethod
    def from_pts(cls, pts_ms: Sequence[int], duration_ms: int) -> FrameTable:
        """Build a table from pts in any order (duplicates kept once)."""
        ordered = tuple(sorted(set(pts_ms)))
        return cls(ordered, max(duration_ms, ordered[-1] + 1))

    def __len__(self) -> int:
        return len(self.pts_ms)

    @property
    def frame_count(self) -> int:
        """Number of frames."""
        return len(self.pts_ms)

    def index_at(self, t_ms: int) -> int:
        """Index of the frame shown at ``t_ms``: the last frame whose pts <= t_ms."""
        i = bisect_right(self.pts_ms, t_ms) - 1
        return min(max(i, 0), len(self.pts_ms) - 1)

    def pts_of(self, index: int) -> int:
        """Pts (ms) of frame ``index``, clamped to the clip."""
        return self.pts_ms[min(max(index, 0), len(self.pts_ms) - 1)]

    def to_blob(self) -> bytes:
        """Pack as zlib-compressed int64 deltas (a 20-minute clip packs to a few KB)."""
        deltas = array("q", [self.pts_ms[0]])
        deltas.extend(b - a for a, b in pairwise(self.pts_ms))
        return zlib.compress(deltas.tobytes(), 6)

    @classmethod
    def from_blob(cls, blob: bytes, duration_ms: int) -> FrameTable:
        """Unpack a table written by :meth:`to_blob`."""
        deltas = array("q")
        deltas.frombytes(zlib.decompress(blob))
        pts: list[int] = []
        total = 0
        for d in deltas:
            total += d
            pts.append(total)
        return cls(tuple(pts), duration_ms)


def format_timestamp(t_ms: int, decimal: str = ".") -> str:
    """``hh:mm:ss.mmm`` for a non-negative time in ms (``decimal`` before the ms)."""
    t_ms = max(0, int(t_ms))
    hours, rest = divmod(t_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{decimal}{millis:03d}"


def format_position(t_ms: int, frame_index: int) -> str:
    """The player readout: ``hh:mm:ss.mmm · frame N``."""
    return f"{format_timestamp(t_ms)} · frame {frame_index}"
