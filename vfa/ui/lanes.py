"""The events of one timeline lane, kept as sorted arrays for fast drawing and editing."""

from __future__ import annotations

import numpy as np

EventSpan = tuple[int, str, int, int | None, str]  # id, lane, start ms, end ms or None, code


class LaneEvents:
    """One lane's events as arrays sorted by start, so a repaint touches only what is in
    view and an edit inserts or removes in place instead of rebuilding."""

    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.starts = np.zeros(0, dtype=np.int64)
        self.ends = np.zeros(0, dtype=np.int64)  # -1: a state still running
        self.codes: list[str] = []
        self.max_length = 0
        self._numbers: np.ndarray | None = None
        self._names: list[str] = []
        self.version = 0  # bumped by every change, for cached drawings
        self.coverage: list[tuple[int, int]] = []
        self.coverage_key: tuple[int, ...] | None = None

    @classmethod
    def build(cls, spans: list[EventSpan]) -> LaneEvents:
        lane = cls()
        if spans:
            ids = np.fromiter((s[0] for s in spans), np.int64, len(spans))
            starts = np.fromiter((s[2] for s in spans), np.int64, len(spans))
            ends = np.fromiter((-1 if s[3] is None else s[3] for s in spans), np.int64, len(spans))
            order = np.lexsort((ids, starts))
            lane.ids, lane.starts, lane.ends = ids[order], starts[order], ends[order]
            lane.codes = [spans[i][4] for i in order.tolist()]
        lane._update_max()
        return lane

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def code_names(self) -> list[str]:
        return self._names

    def code_index(self, lo: int, hi: int) -> np.ndarray:
        """Small integers standing for the codes of events lo..hi (for grouping)."""
        if self._numbers is None or len(self._numbers) != len(self.codes):
            table: dict[str, int] = {}
            self._numbers = np.fromiter(
                (table.setdefault(c, len(table)) for c in self.codes), np.int32, len(self.codes)
            )
            self._names = list(table)
        return self._numbers[lo:hi]

    def _update_max(self) -> None:
        lengths = np.where(self.ends >= 0, self.ends - self.starts, 0)
        self.max_length = int(lengths.max()) if len(lengths) else 0

    def remove(self, event_id: int) -> tuple[int, int] | None:
        """Take an event out; returns its (start, end) or None when it was not here."""
        where = np.flatnonzero(self.ids == event_id)
        if not len(where):
            return None
        i = int(where[0])
        span = (
            int(self.starts[i]),
            int(self.ends[i]) if self.ends[i] >= 0 else int(self.starts[i]),
        )
        self.ids = np.delete(self.ids, i)
        self.starts = np.delete(self.starts, i)
        self.ends = np.delete(self.ends, i)
        del self.codes[i]
        self._numbers = None
        self.version += 1
        return span

    def insert(self, span: EventSpan) -> None:
        event_id, _lane, start, end, code = span
        i = int(np.searchsorted(self.starts, start, side="right"))
        self.ids = np.insert(self.ids, i, event_id)
        self.starts = np.insert(self.starts, i, start)
        self.ends = np.insert(self.ends, i, -1 if end is None else end)
        self.codes.insert(i, code)
        self._numbers = None
        self.version += 1
        if end is not None:
            self.max_length = max(self.max_length, end - start)
