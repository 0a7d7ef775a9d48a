"""Tallies shared by the time-unit and event-based agreement of timed events
(``vfa.domain.event_agreement``): the event, the confusion table and its kappas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from vfa.domain.agreement import weighted_kappa

NONE = "<none>"  # no code in a time unit
NOTHING = "<nothing>"  # an event the other coder has no partner for

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Event:
    """One coded event; ``end_ms`` None for a point event."""

    code: str
    start_ms: int
    end_ms: int | None = None

    @property
    def is_point(self) -> bool:
        return self.end_ms is None


@dataclass(frozen=True)
class Confusion:
    """A square table of tallies: rows the first coder, columns the second."""

    labels: tuple[str, ...]
    counts: IntArray

    def aligned(self, labels: Sequence[str]) -> IntArray:
        """The counts re-indexed to ``labels`` (a superset of this table's labels)."""
        at = {label: n for n, label in enumerate(labels)}
        where = [at[label] for label in self.labels]
        out = np.zeros((len(labels), len(labels)), dtype=np.int64)
        out[np.ix_(where, where)] = self.counts
        return out


def merge_confusions(tables: Iterable[Confusion], last: str) -> Confusion:
    """The sum of several tables over the union of their labels (``last`` kept last)."""
    tables = list(tables)
    codes = sorted({label for t in tables for label in t.labels if label != last})
    labels = (*codes, last)
    at = {label: n for n, label in enumerate(labels)}
    total = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for table in tables:
        where = [at[label] for label in table.labels]
        total[np.ix_(where, where)] += table.counts
    return Confusion(labels, total)


def percent_agreement(counts: IntArray) -> float | None:
    """The share of tallies on the diagonal; None for an empty table."""
    n = int(counts.sum())
    return float(np.trace(counts)) / n if n else None


def kappa(counts: IntArray) -> float | None:
    """Cohen's kappa of a confusion matrix; None when undefined (chance agreement 1)."""
    value, _ = weighted_kappa(counts.astype(np.float64), np.eye(len(counts)))
    return value


def kappa_max(counts: IntArray) -> float | None:
    """The largest kappa the table's margins allow: Σ min(p_i., p_.i) as agreement."""
    n = float(counts.sum())
    if n <= 0:
        return None
    rows, cols = counts.sum(axis=1) / n, counts.sum(axis=0) / n
    if int((rows > 0).sum()) < 2 or int((cols > 0).sum()) < 2:
        return None  # a coder used one category only: undefined, as kappa is
    p_e = float(rows @ cols)
    if 1 - p_e <= 1e-12:
        return None
    return (float(np.minimum(rows, cols).sum()) - p_e) / (1 - p_e)


def _two_by_two(counts: IntArray, index: int) -> IntArray:
    """A confusion matrix collapsed to one category against all the others (from its
    margins: no copy of the table)."""
    both = int(counts[index, index])
    row, col, total = int(counts[index].sum()), int(counts[:, index].sum()), int(counts.sum())
    return np.array([[both, row - both], [col - both, total - row - col + both]], dtype=np.int64)
