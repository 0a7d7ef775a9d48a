"""What a user operation changed: small frozen values the coding session emits.

Views decide from a value whether and what to redraw; the values name the run, clip or
session they are about, so an undo of an edit elsewhere reaches no view showing
something else.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vfa.services.events import Event

if TYPE_CHECKING:  # (imports are not start-up work)
    from vfa.services.import_writes import ImportedRun


@dataclass(frozen=True)
class RunOpened:
    """Another clip, scheme or coder is shown: its run (or none yet) replaces the last."""

    clip_id: int | None
    run_id: int | None


@dataclass(frozen=True)
class EventsChanged:
    """Events of run ``run_id`` (on clip ``clip_id``) went and were (re)made."""

    run_id: int
    clip_id: int
    gone: tuple[int, ...]
    made: tuple[Event, ...]


@dataclass(frozen=True)
class RatingsChanged:
    """Ratings, notes, evidence links or grid points of run ``run_id`` changed."""

    run_id: int


@dataclass(frozen=True)
class RunStatusChanged:
    """Run ``run_id`` was begun, submitted or reopened."""

    run_id: int


@dataclass(frozen=True)
class RunsChanged:
    """Whole runs came or went (an import, its undo or its redo): each run's id, clip,
    scheme and coder; ``schemes``: the scheme folders changed with them (a scheme the
    import made)."""

    runs: tuple[ImportedRun, ...]
    schemes: bool


@dataclass(frozen=True)
class MomentsChanged:
    """The details of moments (caption, flag, still…) of one clip and session changed."""

    clip_id: int
    session_id: int
    moment_ids: tuple[int, ...]


@dataclass(frozen=True)
class ReelChanged:
    """The reel order or theme of session ``session_id`` changed."""

    session_id: int


@dataclass(frozen=True)
class ConsentChanged:
    """The recorded consent of clip ``clip_id`` changed."""

    clip_id: int


Change = (
    RunOpened
    | EventsChanged
    | RatingsChanged
    | RunStatusChanged
    | RunsChanged
    | MomentsChanged
    | ReelChanged
    | ConsentChanged
)


def touches_reel(change: Change, session_id: int | None, shown: Collection[int]) -> bool:
    """Whether the change can alter the reel of visit ``session_id`` (whose moments
    ``shown`` lists): its order or theme, a moment of the visit, or an event that is (or
    becomes) one of its moments for feedback."""
    match change:
        case ReelChanged() | MomentsChanged():
            return change.session_id == session_id
        case EventsChanged():
            return any(i in shown for i in change.gone) or any(
                e.id in shown or (e.moment is not None and e.moment.feedback) for e in change.made
            )
    return False
