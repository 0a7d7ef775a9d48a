"""Ratings as a table: one entry per rating in flat arrays (unit, coder, item, value; NaN
for a special code), the names numbered in the order they first appear, and per item the
units × coders matrix the statistics take (``vfa.domain.ratings_agreement``). Filled
from a ratings CSV (``vfa.services.reliability``) or the workspace's runs
(``vfa.services.reliability_runs``).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from vfa.domain.scoring import RatingValue

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


class _Names:
    """Names given numbers in the order they first appear."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def number(self, name: str) -> int:
        found = self.index.get(name)
        if found is None:
            found = self.index[name] = len(self.index)
        return found

    @property
    def names(self) -> list[str]:
        return list(self.index)


class TableBuilder:
    """Collects ratings into a RatingsTable; a value of NaN is a special code."""

    def __init__(self) -> None:
        self.units, self.coders, self.items = _Names(), _Names(), _Names()
        self._unit = array("q")
        self._coder = array("q")
        self._item = array("q")
        self._value = array("d")
        self.raw: dict[tuple[str, str], dict[str, RatingValue]] = {}

    def name(self, unit: str, coder: str, item: str) -> tuple[int, int, int]:
        """The numbers of a row's unit, coder and item (an empty value still names them)."""
        return self.units.number(unit), self.coders.number(coder), self.items.number(item)

    def add(self, unit: int, coder: int, item: int, value: float) -> None:
        self._unit.append(unit)
        self._coder.append(coder)
        self._item.append(item)
        self._value.append(value)

    def table(self, order: Sequence[str] = ()) -> RatingsTable:
        """The table, items in ``order`` first, the others as they came."""
        items = self.items.names
        rank = {item: n for n, item in enumerate(order)}
        shown = sorted(items, key=lambda i: rank.get(i, len(rank)))
        return RatingsTable(
            self.coders.names,
            self.units.names,
            shown,
            self.raw,
            {item: n for n, item in enumerate(items)},
            np.frombuffer(self._unit, dtype=np.int64).copy(),
            np.frombuffer(self._coder, dtype=np.int64).copy(),
            np.frombuffer(self._item, dtype=np.int64).copy(),
            np.frombuffer(self._value, dtype=np.float64).copy(),
        )


@dataclass
class RatingsTable:
    """Ratings read from a file or the workspace, one entry per rating (NaN: a special
    code); ``raw`` keeps the scheme items' values per (unit, coder) for the total."""

    coders: list[str]
    units: list[str]
    items: list[str]  # in report order
    raw: dict[tuple[str, str], dict[str, RatingValue]]
    item_number: dict[str, int] = field(default_factory=dict)
    unit_of: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    coder_of: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    item_of: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    value: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))

    @property
    def values(self) -> dict[str, dict[str, dict[str, float | None]]]:
        """item -> unit -> coder -> value (None: a special code), for small tables."""
        out: dict[str, dict[str, dict[str, float | None]]] = {}
        items = {n: item for item, n in self.item_number.items()}
        for i, u, c, v in zip(
            self.item_of.tolist(),
            self.unit_of.tolist(),
            self.coder_of.tolist(),
            self.value.tolist(),
            strict=True,
        ):
            by_unit = out.setdefault(items[i], {}).setdefault(self.units[u], {})
            by_unit[self.coders[c]] = None if math.isnan(v) else v
        return out

    def rated_units(self) -> int:
        """How many (item, unit) pairs have a rating: the rows of the pooled matrix."""
        key = self.item_of * max(len(self.units), 1) + self.unit_of
        return len(np.unique(key))

    def matrices(self) -> dict[str, FloatArray]:
        """Per item, units × coders (units with a rating of the item, in unit order)."""
        out: dict[str, FloatArray] = {}
        order = np.argsort(self.item_of, kind="stable")
        bounds = np.searchsorted(self.item_of[order], np.arange(len(self.item_number) + 1))
        for item in self.items:
            n = self.item_number[item]
            rows = order[bounds[n] : bounds[n + 1]]
            units, at = np.unique(self.unit_of[rows], return_inverse=True)
            matrix = np.full((len(units), len(self.coders)), np.nan)
            matrix[at, self.coder_of[rows]] = self.value[rows]
            out[item] = matrix
        return out
