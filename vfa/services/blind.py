"""The blind rule: which coding runs a viewer may see. Every read of runs, ratings, events
and moments goes through ``blind_view`` (or ``check_run``, for one run).

A *blind coding* is the blind runs of one clip with one scheme (one double-coding
assignment). It is *open* while any of its runs is not submitted. While it is open:

1. each of its runs is seen by its own coder only: not by the other coders, not by a
   supervisor, not by anyone else;
2. each of its coders sees, of that clip, only their own coding: other coders' runs of
   the clip with any scheme (a therapist's moments, another scheme's ratings) are hidden
   from them too.

Everyone may see that the runs exist, whose they are and their status (the assignment
list), never their content: values, notes, events, moments, captions, totals, counts.
When every run of the blind coding is submitted, it is open to all, and agreement views
show it (they wait for that whoever asks). Reopening a run closes it again. A viewer is
a coder name (``vfa.services.viewer``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.viewer import resolve
from vfa.storage.models import Coder, CodingRun, RunStatus
from vfa.storage.models import Scheme as SchemeRow


class BlindError(InvalidInputError):
    """Another coder's coding is hidden until every blind run on the clip is submitted."""


@dataclass(frozen=True)
class PendingRun:
    """A blind run that is not submitted yet."""

    run_id: int
    coder: str
    status: RunStatus


def pending_text(pending: Sequence[PendingRun]) -> str:
    """``run 7 (Ben, in_progress)``, ... for messages."""
    return ", ".join(f"run {p.run_id} ({p.coder}, {p.status.value})" for p in pending)


@dataclass(frozen=True)
class BlindView:
    """What the blind rule hides from one viewer, as the workspace stands."""

    viewer: str
    sealed: Mapping[int, tuple[int, str]]  # run -> (clip, scheme): runs of open blind codings
    blinded: Mapping[int, tuple[PendingRun, ...]]  # clip -> open runs that blind the viewer
    pending: Mapping[tuple[int, str], tuple[PendingRun, ...]]  # open blind codings

    def hides(self, run_id: int, clip_id: int, coder: str) -> bool:
        """Whether the viewer may not see this run's content."""
        if coder == self.viewer:
            return False
        return run_id in self.sealed or clip_id in self.blinded

    def check(self, run_id: int, clip_id: int, coder: str) -> None:
        """Raise BlindError (naming the open runs) when the run is hidden from the viewer."""
        if not self.hides(run_id, clip_id, coder):
            return
        if clip_id in self.blinded:
            raise BlindError(
                f"clip {clip_id}: {self.viewer} codes this clip blind, so {coder}'s coding "
                f"of it stays hidden until every blind run is submitted "
                f"(pending: {pending_text(self.blinded[clip_id])})"
            )
        key = self.sealed[run_id]
        raise BlindError(
            f"clip {clip_id}, scheme {key[1]}: {coder}'s run {run_id} is blind coding; it "
            f"is shown only to {coder} until every blind run is submitted "
            f"(pending: {pending_text(self.pending[key])})"
        )

    def clips_blinding(self, clip_ids: Iterable[int]) -> list[int]:
        """Those of the clips on which the viewer sees only their own coding."""
        return [c for c in clip_ids if c in self.blinded]


def blind_view(
    db: DbSession, viewer: str | None, clip_ids: Iterable[int] | None = None
) -> BlindView:
    """What is hidden from ``viewer`` (None: the current viewer), on the given clips or on
    every clip. Reads only the blind runs of clips where a blind run is open."""
    name = resolve(viewer)
    query = (
        select(CodingRun.id, CodingRun.clip_id, SchemeRow.scheme_key, Coder.name, CodingRun.status)
        .join(Coder, Coder.id == CodingRun.coder_id)
        .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
        .where(CodingRun.blind.is_(True))
        .order_by(CodingRun.id)
    )
    if clip_ids is not None:  # by the clip index: the blind runs of these clips
        query = query.where(CodingRun.clip_id.in_(list(clip_ids)))
    else:
        open_clips = select(CodingRun.clip_id).where(
            CodingRun.blind.is_(True), CodingRun.status != RunStatus.SUBMITTED
        )
        query = query.where(CodingRun.clip_id.in_(open_clips))
    codings: dict[tuple[int, str], list[tuple[int, str, RunStatus]]] = {}
    for run_id, clip_id, scheme_key, coder, status in db.execute(query).all():
        codings.setdefault((clip_id, scheme_key), []).append((run_id, coder, RunStatus(status)))
    sealed: dict[int, tuple[int, str]] = {}
    blinded: dict[int, list[PendingRun]] = {}
    pending: dict[tuple[int, str], tuple[PendingRun, ...]] = {}
    for key, runs in codings.items():
        open_runs = tuple(
            PendingRun(r, coder, status)
            for r, coder, status in runs
            if status is not RunStatus.SUBMITTED
        )
        if not open_runs:
            continue
        pending[key] = open_runs
        sealed.update({r: key for r, _, _ in runs})
        if any(coder == name for _, coder, _ in runs):
            blinded.setdefault(key[0], []).extend(open_runs)
    return BlindView(name, sealed, {c: tuple(p) for c, p in blinded.items()}, pending)


def check_run(db: DbSession, run_id: int, viewer: str | None) -> None:
    """Raise BlindError when ``viewer`` may not see the run's content (NotFoundError for
    no such run). A coder's own run costs one small query."""
    row = db.execute(
        select(CodingRun.clip_id, Coder.name)
        .join(Coder, Coder.id == CodingRun.coder_id)
        .where(CodingRun.id == run_id)
    ).first()
    if row is None:
        raise NotFoundError(f"coding run {run_id}: no such run")
    clip_id, owner = row
    name = resolve(viewer)
    if owner != name:
        blind_view(db, name, [clip_id]).check(run_id, clip_id, owner)


def pending_blind_runs(db: DbSession, clip_id: int, scheme_key: str) -> list[PendingRun]:
    """The blind runs on the clip with the scheme that are not submitted."""
    return list(blind_view(db, "", [clip_id]).pending.get((clip_id, scheme_key), ()))


def check_may_view(db: DbSession, clip_id: int, scheme_key: str, owner: str, viewer: str) -> None:
    """Raise BlindError when ``viewer`` may not see ``owner``'s coding of the clip with
    the scheme (any of owner's runs of it)."""
    name = resolve(viewer)
    if owner == name:
        return
    view = blind_view(db, name, [clip_id])
    runs = db.scalars(
        select(CodingRun.id)
        .join(Coder, Coder.id == CodingRun.coder_id)
        .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
        .where(
            CodingRun.clip_id == clip_id, Coder.name == owner, SchemeRow.scheme_key == scheme_key
        )
    ).all()
    for run_id in runs or [0]:
        view.check(run_id, clip_id, owner)


def check_clip_complete(db: DbSession, clip_id: int, scheme_key: str) -> None:
    """Raise BlindError when an agreement view of the clip would show blind codings early."""
    pending = pending_blind_runs(db, clip_id, scheme_key)
    if pending:
        raise BlindError(
            f"clip {clip_id}, scheme {scheme_key}: agreement is shown only once every blind "
            f"run is submitted (pending: {pending_text(pending)})"
        )
