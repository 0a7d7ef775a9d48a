"""Agreement on timed events between two coders' stored runs: per clip with the paired
events a disagreement review walks, and pooled over a scheme's double-coded clips. Clips
with blind runs still open are held back (see services/assignments.py).

Events: the runs' annotations of two coders on one clip, paired as
``vfa.domain.event_agreement`` pairs them. A code the scheme allows for several subjects is
told apart by the subject it was recorded for (``parent:touch`` is not ``child:touch``);
a code with a single subject is its code alone. An unpaired event is a disagreement with
nothing.

An open state (started, never stopped: no end stored) runs to the end of the clip, as
an observation's still-running states stop when it ends (``state_end``); it is marked
``open`` so a view can show that the coder did not stop it. A state opened at the very
end of the clip covers nothing and counts as a point there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vfa.domain.event_agreement import (
    Event,
    EventResult,
    TimeUnitResult,
    TooManyPairs,
    event_agreement,
    pair_events,
    time_unit_agreement,
)
from vfa.domain.event_results import (
    EventBasedAgreement,
    EventsAgreement,
    Pairing,
    TimeUnitAgreement,
    UnitTallies,
)
from vfa.domain.schemes import Scheme
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.assignments import (
    PendingRun,
    check_clip_complete,
    check_may_view,
    pending_blind_runs,
    pending_text,
)
from vfa.services.events import event_spans
from vfa.services.people import Act
from vfa.services.permissions import require_in
from vfa.services.reliability import check_event_settings
from vfa.services.reliability_runs import RunRow, clip_order, latest_runs, scheme_runs
from vfa.services.schemes import SchemeLookup, current_scheme, get_scheme
from vfa.storage.models import Clip
from vfa.storage.workspace import Workspace

PAIR_KINDS = ("match", "code", "missing_first", "missing_second")


@dataclass(frozen=True)
class PairedEvent:
    """One coder's event in a pair: its run, annotation and span."""

    run_id: int
    annotation_id: int
    code: str
    subject: str | None
    start_ms: int
    end_ms: int | None  # None: a point event
    open: bool = False  # a state never stopped, run to the clip's end

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "annotation_id": self.annotation_id,
            "code": self.code,
            "subject": self.subject,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "open": self.open,
        }


@dataclass(frozen=True)
class EventPair:
    """A place where the two coders agree or not: ``match`` (same code), ``code``
    (paired, other code), ``missing_first`` / ``missing_second`` (that coder has no
    event there)."""

    kind: str
    first: PairedEvent | None
    second: PairedEvent | None

    @property
    def start_ms(self) -> int:
        """Where a player should go to show this pair: its earlier onset."""
        return min(e.start_ms for e in (self.first, self.second) if e is not None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start_ms": self.start_ms,
            "first": self.first.as_dict() if self.first else None,
            "second": self.second.as_dict() if self.second else None,
        }


@dataclass(frozen=True)
class ClipEventAgreement:
    """Two coders' events on one clip: the statistics and the pairs in time order, and
    the tallies they come from (for pooling clips)."""

    clip_id: int
    scheme_id: str
    coders: tuple[str, str]
    run_ids: tuple[int, int]
    duration_ms: int
    time_unit: TimeUnitAgreement
    event: EventBasedAgreement
    pairs: list[EventPair]
    time_result: TimeUnitResult
    event_result: EventResult

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the clip, the coders and runs, both sections and the pairs."""
        return {
            "clip_id": self.clip_id,
            "scheme": self.scheme_id,
            "coders": list(self.coders),
            "run_ids": list(self.run_ids),
            "duration_ms": self.duration_ms,
            "time_unit": self.time_unit.as_dict(),
            "event": self.event.as_dict(),
            "pairs": [p.as_dict() for p in self.pairs],
        }


def event_label(code: str, subject: str | None, several: bool = True) -> str:
    """The category an event counts as: its code, told apart by the subject when the code
    may be recorded for ``several`` subjects."""
    return code if subject is None or not several else f"{subject}:{code}"


def _multi_subject_codes(scheme: Scheme) -> set[str]:
    """The codes a scheme allows for more than one subject."""
    if scheme.ethogram is None:
        return set()
    return {c.id for c in scheme.ethogram.codes if len(c.subjects) > 1}


def state_end(start_ms: int, end_ms: int | None, duration_ms: int) -> int | None:
    """Where a stored event ends for agreement: its end; an open state (no end) at the
    clip's end; None for a point (end = start, or a state opened at the clip's end)."""
    end = end_ms if end_ms is not None else max(duration_ms, start_ms)
    return None if end == start_ms else end


def _annotations(ws: Workspace, run_id: int, viewer: str, duration_ms: int) -> list[PairedEvent]:
    """The run's events as paired events (read as ``events.event_spans`` reads them)."""
    return [
        PairedEvent(
            run_id, id_, code, subject, start, state_end(start, end, duration_ms), end is None
        )
        for id_, subject, start, end, code in event_spans(ws, run_id, viewer)
    ]


def _domain(events: Sequence[PairedEvent], several: set[str]) -> list[Event]:
    return [
        Event(event_label(e.code, e.subject, e.code in several), e.start_ms, e.end_ms)
        for e in events
    ]


def event_agreement_for_clip(
    ws: Workspace,
    clip_id: int,
    scheme_id: str,
    coders: tuple[str, str],
    viewer: str,
    unit_ms: int = 1000,
    overlap: float = 0.6,
    tolerance_ms: int | None = None,
    submitted_only: bool = True,
    find_scheme: SchemeLookup = get_scheme,
) -> ClipEventAgreement:
    """Time-unit and event agreement of two coders on one clip, and the paired events.

    Refused (BlindError) while a blind run on the clip is open; NotFoundError when a
    coder has no (submitted) run of the scheme there. ``find_scheme`` looks the scheme up
    (a library read once, else the folders now).
    """
    check_event_settings(unit_ms, overlap, tolerance_ms)
    require_in(ws, Act.SEE_AGREEMENT, viewer)
    first_name, second_name = coders
    if first_name == second_name:
        raise InvalidInputError(f"event agreement needs two different coders, not {first_name}")
    with ws.sessions() as db:
        clip = db.get(Clip, clip_id)
        if clip is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        duration = clip.duration_ms
        chosen = latest_runs(
            [r for r in scheme_runs(db, scheme_id, submitted_only) if r.clip_id == clip_id]
        )
        found = []
        for name in coders:
            run = chosen.get((clip_id, name))
            if run is None:
                state = "submitted " if submitted_only else ""
                raise NotFoundError(
                    f"clip {clip_id}: {name} has no {state}coding run of scheme {scheme_id}"
                )
            found.append(run)
        check_clip_complete(db, clip_id, scheme_id)
        for run in found:
            check_may_view(db, clip_id, scheme_id, run.coder, viewer)
    first = _annotations(ws, found[0].id, viewer, duration)
    second = _annotations(ws, found[1].id, viewer, duration)
    several = _multi_subject_codes(current_scheme(ws, scheme_id, find_scheme))
    a, b = _domain(first, several), _domain(second, several)
    time_result = time_unit_agreement(a, b, duration, unit_ms)
    try:
        event_result = event_agreement(a, b, overlap, tolerance_ms)
        paired = pair_events(a, b, overlap, tolerance_ms)
    except TooManyPairs as exc:
        raise InvalidInputError(f"clip {clip_id}: {exc}") from None
    pairs = []
    for i, j in paired:
        if i is None:
            kind = "missing_first"
        elif j is None:
            kind = "missing_second"
        else:
            kind = "match" if a[i].code == b[j].code else "code"
        pairs.append(
            EventPair(
                kind,
                first[i] if i is not None else None,
                second[j] if j is not None else None,
            )
        )
    return ClipEventAgreement(
        clip_id,
        scheme_id,
        (first_name, second_name),
        (found[0].id, found[1].id),
        duration,
        TimeUnitAgreement.of(time_result, unit_ms),
        EventBasedAgreement.of(event_result, Pairing.of(overlap, tolerance_ms)),
        pairs,
        time_result,
        event_result,
    )


@dataclass(frozen=True)
class DoubleCoded:
    """A clip with two or more submitted runs of a scheme."""

    clip_id: int
    coders: tuple[str, ...]
    run_ids: tuple[int, ...]
    pending: tuple[PendingRun, ...]  # open blind runs: agreement is not shown yet


def double_coded(ws: Workspace, scheme_id: str) -> list[DoubleCoded]:
    """The clips coded (and submitted) by two or more coders with the scheme, in
    catalogue order, each with the open blind runs that still hold its agreement back
    (who coded what, for a supervisor or admin on a managed workspace)."""
    require_in(ws, Act.SEE_AGREEMENT)
    order = clip_order(ws)
    with ws.sessions() as db:
        chosen = latest_runs(scheme_runs(db, scheme_id, submitted_only=True))
        by_clip: dict[int, list[RunRow]] = {}
        for run in chosen.values():
            by_clip.setdefault(run.clip_id, []).append(run)
        out = []
        for clip_id in sorted(by_clip, key=lambda c: order.get(c, len(order))):
            runs = sorted(by_clip[clip_id], key=lambda r: (r.coder.casefold(), r.coder))
            if len(runs) < 2:
                continue
            out.append(
                DoubleCoded(
                    clip_id,
                    tuple(r.coder for r in runs),
                    tuple(r.id for r in runs),
                    tuple(pending_blind_runs(db, clip_id, scheme_id)),
                )
            )
    return out


@dataclass(frozen=True)
class Skipped:
    """A double-coded clip left out of pooled agreement, and why."""

    clip_id: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"clip_id": self.clip_id, "reason": self.reason}


@dataclass(frozen=True)
class WorkspaceEvents:
    """Event agreement over a scheme's double-coded clips (units are clip ids as text),
    and the clips left out."""

    scheme_id: str
    agreement: EventsAgreement
    skipped: tuple[Skipped, ...]

    @property
    def clips(self) -> tuple[int, ...]:
        """The clips pooled."""
        return tuple(int(u.unit) for u in self.agreement.units)

    def as_dict(self) -> dict[str, Any]:
        """``{"scheme", "coders", "time_unit", "event", "units", "skipped"}``."""
        return {
            "scheme": self.scheme_id,
            **self.agreement.as_dict(),
            "skipped": [s.as_dict() for s in self.skipped],
        }


def events_agreement(
    ws: Workspace,
    scheme_id: str,
    viewer: str,
    coders: tuple[str, str] | None = None,
    unit_ms: int = 1000,
    overlap: float = 0.6,
    tolerance_ms: int | None = None,
    find_scheme: SchemeLookup = get_scheme,
) -> WorkspaceEvents:
    """Event agreement pooled over the scheme's double-coded clips, as
    ``vfa.services.reliability.events_report`` pools a file's units.

    With ``coders`` only clips both coded count; without, clips with exactly two
    submitted runs. Clips held back by open blind runs, or with more than two coders
    when none were named, are listed under ``skipped`` with the reason. ``find_scheme``
    looks the scheme up (a library read once, else the folders now).
    """
    check_event_settings(unit_ms, overlap, tolerance_ms)
    tallies: list[UnitTallies] = []
    skipped: list[Skipped] = []
    for clip in double_coded(ws, scheme_id):
        if clip.pending:
            skipped.append(Skipped(clip.clip_id, f"pending: {pending_text(clip.pending)}"))
            continue
        if coders is not None:
            if not set(coders) <= set(clip.coders):
                continue
            pair = coders
        elif len(clip.coders) == 2:
            pair = (clip.coders[0], clip.coders[1])
        else:
            skipped.append(
                Skipped(
                    clip.clip_id,
                    f"{len(clip.coders)} coders ({', '.join(clip.coders)}); "
                    "name the two to compare",
                )
            )
            continue
        result = event_agreement_for_clip(
            ws,
            clip.clip_id,
            scheme_id,
            pair,
            viewer,
            unit_ms,
            overlap,
            tolerance_ms,
            find_scheme=find_scheme,
        )
        tallies.append((str(clip.clip_id), pair, result.time_result, result.event_result))
    if not tallies:
        raise InvalidInputError(
            f"scheme {scheme_id}: no clip is double-coded and complete"
            + (f" by {coders[0]} and {coders[1]}" if coders else "")
            + (f" ({len(skipped)} held back)" if skipped else "")
        )
    pooled = EventsAgreement.pooled(tallies, unit_ms, Pairing.of(overlap, tolerance_ms))
    return WorkspaceEvents(scheme_id, pooled, tuple(skipped))
