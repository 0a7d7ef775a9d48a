"""What a user operation changed: small frozen values the coding session emits.

Views decide from a value whether and what to redraw; the values name the run, clip or
session they are about, so an undo of an edit elsewhere reaches no view showing
something else.
"""

from __future__ import annotations

from dataclasses import dataclass

from vfa.services.events import Event


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
    | MomentsChanged
    | ReelChanged
    | ConsentChanged
)
