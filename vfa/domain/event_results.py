"""Agreement on timed events as typed results, as ``ratings_agreement`` types the ratings:
what the CSV route (``vfa.services.reliability.events_report``), the workspace's runs
(``vfa.services.event_reliability``) and every view (the CLI text, the window, the PDF and
the CSV) read.

``TimeUnitAgreement`` and ``EventBasedAgreement`` sum up one table of tallies
(``vfa.domain.time_units.TimeUnitResult``, ``vfa.domain.event_agreement.EventResult``):
the statistics, the confusion matrix and each code's own. ``EventsAgreement`` is several
units (clips) pooled, with each unit's own beside. The values are plain Python, never
NumPy arrays, so two results compare with ``==``. ``as_dict`` gives the JSON ``vfa
agreement --json`` prints: the keys and their order are those it always had.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vfa.domain.confusion import (
    NONE,
    NOTHING,
    Confusion,
    IntArray,
    _two_by_two,
    kappa,
    kappa_max,
    percent_agreement,
)
from vfa.domain.event_agreement import EventResult, merge_events
from vfa.domain.time_units import TimeUnitResult, merge_time_units


@dataclass(frozen=True)
class ConfusionTable:
    """Tallies of two coders: rows the first coder, columns the second."""

    labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, confusion: Confusion) -> ConfusionTable:
        """The table of a domain result's confusion matrix."""
        rows = confusion.counts.tolist()
        return cls(tuple(confusion.labels), tuple(tuple(int(c) for c in row) for row in rows))

    @property
    def coded(self) -> bool:
        """Whether either coder coded any event (a label other than ``<none>`` and
        ``<nothing>``)."""
        return any(label not in (NONE, NOTHING) for label in self.labels)

    def as_dict(self) -> dict[str, Any]:
        """``{"labels", "counts"}``."""
        return {"labels": list(self.labels), "counts": [list(row) for row in self.counts]}


@dataclass(frozen=True)
class CodePresence:
    """Time units: one code present or absent for each coder, and their agreement on it."""

    code: str
    percent_agreement: float | None
    kappa: float | None
    both: int
    first_only: int
    second_only: int
    neither: int

    @classmethod
    def of(cls, code: str, table: IntArray) -> CodePresence:
        """From a 2 × 2 presence table [[both, first only], [second only, neither]]."""
        return cls(
            code,
            percent_agreement(table),
            kappa(table),
            int(table[0, 0]),
            int(table[0, 1]),
            int(table[1, 0]),
            int(table[1, 1]),
        )

    @property
    def n_units(self) -> int:
        """The units counted: every unit of the clips."""
        return self.both + self.first_only + self.second_only + self.neither

    def as_dict(self) -> dict[str, Any]:
        """The JSON of one code: its statistics, then the four counts."""
        return {
            "percent_agreement": self.percent_agreement,
            "kappa": self.kappa,
            "both": self.both,
            "first_only": self.first_only,
            "second_only": self.second_only,
            "neither": self.neither,
        }


@dataclass(frozen=True)
class TimeUnitAgreement:
    """Time-unit agreement: the units, the statistics, the confusion matrix, per code.

    Percent agreement is None when neither coder coded an event (there was nothing to
    agree on), as the kappas then are.
    """

    unit_ms: int
    n_units: int
    percent_agreement: float | None
    kappa: float | None
    kappa_max: float | None
    confusion: ConfusionTable
    per_code: tuple[CodePresence, ...]

    @classmethod
    def of(cls, result: TimeUnitResult, unit_ms: int) -> TimeUnitAgreement:
        """The statistics of a time-unit result counted in units of ``unit_ms``."""
        counts = result.confusion.counts
        table = ConfusionTable.of(result.confusion)
        return cls(
            unit_ms,
            int(counts.sum()),
            percent_agreement(counts) if table.coded else None,
            kappa(counts),
            kappa_max(counts),
            table,
            tuple(CodePresence.of(code, t) for code, t in result.per_code.items()),
        )

    @property
    def no_events(self) -> bool:
        """Whether neither coder coded any event."""
        return not self.confusion.coded

    def code(self, code: str) -> CodePresence:
        """One code's presence agreement (KeyError for a code nobody coded)."""
        return {found.code: found for found in self.per_code}[code]

    def as_dict(self, settings: bool = True) -> dict[str, Any]:
        """JSON-ready; ``settings`` puts ``unit_ms`` first (a unit of a pooled report
        leaves it to the pooled section)."""
        out: dict[str, Any] = {"unit_ms": self.unit_ms} if settings else {}
        out.update(
            n_units=self.n_units,
            percent_agreement=self.percent_agreement,
            kappa=self.kappa,
            kappa_max=self.kappa_max,
            confusion=self.confusion.as_dict(),
            per_code={p.code: p.as_dict() for p in self.per_code},
        )
        return out


@dataclass(frozen=True)
class CodeEvents:
    """Events: one code against every other, from the confusion matrix."""

    code: str
    first: int  # the first coder's events of the code
    second: int
    agreed: int  # paired with an event of the same code
    percent_agreement: float | None
    kappa: float | None

    @classmethod
    def of(cls, code: str, counts: IntArray, index: int) -> CodeEvents:
        """The code at ``index`` of a confusion matrix."""
        first, second = int(counts[index].sum()), int(counts[:, index].sum())
        agreed = int(counts[index, index])
        tallies = first + second - agreed
        share = agreed / tallies if tallies else None
        return cls(code, first, second, agreed, share, kappa(_two_by_two(counts, index)))

    @property
    def n_tallies(self) -> int:
        """The tallies with this code on either side."""
        return self.first + self.second - self.agreed

    def as_dict(self) -> dict[str, Any]:
        """The JSON of one code: the counts, then its statistics."""
        return {
            "first": self.first,
            "second": self.second,
            "agreed": self.agreed,
            "percent_agreement": self.percent_agreement,
            "kappa": self.kappa,
        }


@dataclass(frozen=True)
class Pairing:
    """How events were paired: by onset within ``tolerance_ms``, else by ``overlap``."""

    overlap: float | None  # None when paired by onset
    tolerance_ms: int | None

    @classmethod
    def of(cls, overlap: float, tolerance_ms: int | None) -> Pairing:
        """The pairing asked for: an onset tolerance, when given, replaces the overlap."""
        return cls(overlap if tolerance_ms is None else None, tolerance_ms)


@dataclass(frozen=True)
class EventBasedAgreement:
    """Event-based agreement: how events were paired, the tallies, the statistics, the
    confusion matrix (with ``<nothing>`` for an unpaired event) and per code."""

    pairing: Pairing
    n_tallies: int
    percent_agreement: float | None
    kappa: float | None
    kappa_max: float | None
    matched: int
    unmatched_first: int
    unmatched_second: int
    confusion: ConfusionTable
    per_code: tuple[CodeEvents, ...]

    @classmethod
    def of(cls, result: EventResult, pairing: Pairing) -> EventBasedAgreement:
        """The statistics of an event result paired as ``pairing`` says."""
        counts = result.confusion.counts
        labels = result.confusion.labels
        return cls(
            pairing,
            int(counts.sum()),
            percent_agreement(counts),
            kappa(counts),
            kappa_max(counts),
            result.matched,
            result.unmatched_first,
            result.unmatched_second,
            ConfusionTable.of(result.confusion),
            tuple(
                CodeEvents.of(code, counts, index)
                for index, code in enumerate(labels)
                if code != NOTHING
            ),
        )

    @property
    def no_events(self) -> bool:
        """Whether neither coder coded any event."""
        return not self.confusion.coded

    def code(self, code: str) -> CodeEvents:
        """One code's agreement (KeyError for a code nobody coded)."""
        return {found.code: found for found in self.per_code}[code]

    def as_dict(self, settings: bool = True) -> dict[str, Any]:
        """JSON-ready; ``settings`` puts ``overlap`` and ``tolerance_ms`` first (a unit of
        a pooled report leaves them to the pooled section)."""
        out: dict[str, Any] = (
            {"overlap": self.pairing.overlap, "tolerance_ms": self.pairing.tolerance_ms}
            if settings
            else {}
        )
        out.update(
            n_tallies=self.n_tallies,
            percent_agreement=self.percent_agreement,
            kappa=self.kappa,
            kappa_max=self.kappa_max,
            matched=self.matched,
            unmatched={"first": self.unmatched_first, "second": self.unmatched_second},
            confusion=self.confusion.as_dict(),
            per_code={c.code: c.as_dict() for c in self.per_code},
        )
        return out


# one unit (clip) before pooling: its name, its two coders and their tallies
UnitTallies = tuple[str, tuple[str, str], TimeUnitResult, EventResult]


@dataclass(frozen=True)
class UnitAgreement:
    """One unit (clip) of a pooled report: its two coders and their agreement."""

    unit: str
    coders: tuple[str, str]
    time_unit: TimeUnitAgreement
    event: EventBasedAgreement


@dataclass(frozen=True)
class EventsAgreement:
    """Agreement on timed events pooled over units (clips), and each unit's own."""

    time_unit: TimeUnitAgreement
    event: EventBasedAgreement
    units: tuple[UnitAgreement, ...]

    @classmethod
    def pooled(
        cls, units: Sequence[UnitTallies], unit_ms: int, pairing: Pairing
    ) -> EventsAgreement:
        """The units' tallies summed (time units and events), and each unit's own."""
        return cls(
            TimeUnitAgreement.of(merge_time_units(u[2] for u in units), unit_ms),
            EventBasedAgreement.of(merge_events(u[3] for u in units), pairing),
            tuple(
                UnitAgreement(
                    unit,
                    coders,
                    TimeUnitAgreement.of(time_unit, unit_ms),
                    EventBasedAgreement.of(event, pairing),
                )
                for unit, coders, time_unit, event in units
            ),
        )

    @property
    def coders(self) -> tuple[str, ...]:
        """Every coder compared in some unit, sorted."""
        return tuple(sorted({c for u in self.units for c in u.coders}))

    def unit(self, unit: str) -> UnitAgreement:
        """One unit's agreement (KeyError for a unit not in the report)."""
        return {found.unit: found for found in self.units}[unit]

    def as_dict(self) -> dict[str, Any]:
        """``{"coders": {UNIT: [A, B]}, "time_unit", "event", "units": {UNIT: {"time_unit",
        "event"}}}``: the pooled sections with their settings, each unit's without."""
        return {
            "coders": {u.unit: list(u.coders) for u in self.units},
            "time_unit": self.time_unit.as_dict(),
            "event": self.event.as_dict(),
            "units": {
                u.unit: {
                    "time_unit": u.time_unit.as_dict(settings=False),
                    "event": u.event.as_dict(settings=False),
                }
                for u in self.units
            },
        }
