"""Blind double coding: who codes which clip with which scheme, and who may see what.

Assigning makes (or reuses) one coding run per clip × coder with the scheme, status
"assigned" for a new run, and the blind flag as asked. A share of the workspace's clips
can be chosen for double coding: every n-th clip in catalogue order (the n-th, 2n-th, ...
clip; cases by code, their sessions and clips in the order they were added), or a
random share drawn with a seed. Every coder named codes every chosen clip, the first
coder included: when the first coder is the primary coder who codes all clips, their
runs on the chosen clips are made blind too, and their other clips are theirs to open as
usual (``vfa.services.coding.open_run``); nothing else is assigned.

The blind rule (enforced here and in ``vfa.services.reliability_runs``): a coder always
sees their own run. Another coder's ratings and events on a clip are refused
(``BlindError``) to a viewer who has their own blind run on the same clip and scheme
while any blind run on that clip and scheme is not submitted. Anyone else (a supervisor,
a coder not involved) may read a run. Agreement and disagreement views of a clip need
every blind run on it submitted, whoever asks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.schemes import Scheme
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.audit import record
from vfa.services.coding import RatingState, RunInfo, ratings
from vfa.services.events import Event, run_events
from vfa.services.schemes import get_scheme, register_scheme
from vfa.storage.models import Case, Clip, Coder, CodingRun, Role, RunStatus, Session
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace

DEFAULT_EVERY = 5


class BlindError(InvalidInputError):
    """Another coder's coding is hidden until every blind run on the clip is submitted."""


@dataclass(frozen=True)
class Assignment:
    """A coding run as an assignment list shows it."""

    run_id: int
    clip_id: int
    clip_name: str
    case: str
    session: str
    scheme_id: str
    scheme_version: str
    coder: str
    status: RunStatus
    blind: bool
    submitted_at: dt.datetime | None


@dataclass(frozen=True)
class RunView:
    """One run's ratings and events, as a permitted viewer reads them."""

    run: RunInfo
    blind: bool
    ratings: dict[str, RatingState]
    events: list[Event]


@dataclass(frozen=True)
class PendingRun:
    """A blind run that is not submitted yet."""

    run_id: int
    coder: str
    status: RunStatus


def _scheme(scheme: Scheme | str) -> Scheme:
    return scheme if isinstance(scheme, Scheme) else get_scheme(scheme)


def _coder_names(coders: Sequence[str]) -> list[str]:
    names = [c.strip() for c in coders]
    if not names or any(not n for n in names):
        raise InvalidInputError("assign: name at least one coder (an empty name was given)")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidInputError(f"assign: coder {', '.join(twice)} is named more than once")
    return names


def _coder_id(db: DbSession, name: str) -> int:
    coder = db.scalar(select(Coder).where(Coder.name == name))
    if coder is None:
        coder = Coder(name=name, role=Role.CODER)
        db.add(coder)
        db.flush()
        record(db, "create", "coder", coder.id, {"name": name, "role": Role.CODER.value})
    return coder.id


def assign(
    ws: Workspace,
    clip_ids: Sequence[int],
    scheme: Scheme | str,
    coders: Sequence[str],
    blind: bool = True,
    by: str | None = None,
) -> list[RunInfo]:
    """Give every clip to every coder with the scheme; returns the runs, clip by clip.

    A coder's existing run of the clip with this scheme content is reused (its status
    stays as it is; its blind flag is set as asked, the change audited). Unknown clips
    raise NotFoundError before anything is written.
    """
    chosen = _scheme(scheme)
    names = _coder_names(coders)
    clips = list(dict.fromkeys(clip_ids))
    if not clips:
        raise InvalidInputError("assign: no clips given")
    scheme_row = register_scheme(ws, chosen)
    out: list[RunInfo] = []
    with ws.writes.begin() as db:
        known = set(db.scalars(select(Clip.id).where(Clip.id.in_(clips))))
        missing = [str(c) for c in clips if c not in known]
        if missing:
            raise NotFoundError(f"clip {', '.join(missing)}: no such clip in {ws.label}")
        coder_ids = {name: _coder_id(db, name) for name in names}
        for clip_id in clips:
            for name in names:
                run = db.scalar(
                    select(CodingRun).where(
                        CodingRun.clip_id == clip_id,
                        CodingRun.scheme_id == scheme_row,
                        CodingRun.coder_id == coder_ids[name],
                    )
                )
                if run is None:
                    run = CodingRun(
                        clip_id=clip_id,
                        scheme_id=scheme_row,
                        coder_id=coder_ids[name],
                        status=RunStatus.ASSIGNED,
                        blind=blind,
                    )
                    db.add(run)
                    db.flush()
                    record(
                        db,
                        "assign",
                        "coding_run",
                        run.id,
                        {
                            "clip": clip_id,
                            "scheme": chosen.id,
                            "version": chosen.version,
                            "coder": name,
                            "blind": blind,
                        },
                        actor=by,
                    )
                elif run.blind != blind:
                    record(
                        db,
                        "assign",
                        "coding_run",
                        run.id,
                        {"coder": name, "blind": blind, "blind_before": run.blind},
                        actor=by,
                    )
                    run.blind = blind
                out.append(
                    RunInfo(
                        run.id, clip_id, scheme_row, chosen.id, chosen.version, name, run.status
                    )
                )
    return out


def catalogue_clips(ws: Workspace) -> list[int]:
    """Every clip id in catalogue order: cases by code, then sessions and clips as added."""
    with ws.sessions() as db:
        rows = db.execute(
            select(Clip.id)
            .join(Session, Session.id == Clip.session_id)
            .join(Case, Case.id == Session.case_id)
            .order_by(Case.code, Session.id, Clip.id)
        ).all()
    return [row[0] for row in rows]


def choose_share(
    pool: Sequence[int],
    every: int | None = None,
    fraction: float | None = None,
    seed: int | None = None,
) -> list[int]:
    """The clips of ``pool`` (in its order) to double-code: every n-th, or a random share.

    ``every=n`` takes the n-th, 2n-th, ... clip. ``fraction`` takes round(fraction × clips)
    clips (at least one) drawn at random; the same seed draws the same clips. The result
    keeps the pool's order.
    """
    if every is not None and fraction is not None:
        raise InvalidInputError("choose either every n-th clip or a share of the clips, not both")
    if fraction is None:
        n = DEFAULT_EVERY if every is None else every
        if n < 1:
            raise InvalidInputError(f"every n-th clip: n must be 1 or more, not {n}")
        return [clip for position, clip in enumerate(pool, start=1) if position % n == 0]
    if not 0 < fraction <= 1:
        raise InvalidInputError(f"the share of clips must be above 0 and at most 1, not {fraction}")
    if not pool:
        return []
    count = max(1, round(fraction * len(pool)))
    picked = set(random.Random(seed).sample(range(len(pool)), count))
    return [clip for position, clip in enumerate(pool) if position in picked]


def assign_share(
    ws: Workspace,
    scheme: Scheme | str,
    coders: Sequence[str],
    *,
    every: int | None = None,
    fraction: float | None = None,
    seed: int | None = None,
    clip_ids: Sequence[int] | None = None,
    blind: bool = True,
    by: str | None = None,
) -> list[int]:
    """Choose a share of the clips (``choose_share``; every 5th by default) and assign each
    to every coder named (see the module's notes); returns the chosen clip ids.

    ``clip_ids`` limits the pool to those clips, still in catalogue order.
    """
    pool = catalogue_clips(ws)
    if clip_ids is not None:
        wanted = set(clip_ids)
        missing = sorted(wanted - set(pool))
        if missing:
            raise NotFoundError(f"clip {', '.join(map(str, missing))}: no such clip in {ws.label}")
        pool = [c for c in pool if c in wanted]
    chosen = choose_share(pool, every, fraction, seed)
    if chosen:
        assign(ws, chosen, scheme, coders, blind=blind, by=by)
    return chosen


def assignments(
    ws: Workspace, coder: str | None = None, scheme: str | None = None
) -> list[Assignment]:
    """Coding runs (all, or one coder's, or one scheme's) in catalogue order, then coder."""
    with ws.sessions() as db:
        query = (
            select(CodingRun, Clip, Case.code, Session.label, SchemeRow, Coder.name)
            .join(Clip, Clip.id == CodingRun.clip_id)
            .join(Session, Session.id == Clip.session_id)
            .join(Case, Case.id == Session.case_id)
            .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
            .join(Coder, Coder.id == CodingRun.coder_id)
            .order_by(Case.code, Session.id, Clip.id, Coder.name, CodingRun.id)
        )
        if coder is not None:
            query = query.where(Coder.name == coder)
        if scheme is not None:
            query = query.where(SchemeRow.scheme_key == scheme)
        return [
            Assignment(
                run.id,
                clip.id,
                clip.name,
                case_code,
                session_label,
                row.scheme_key,
                row.version,
                coder_name,
                run.status,
                run.blind,
                run.submitted_at,
            )
            for run, clip, case_code, session_label, row, coder_name in db.execute(query).all()
        ]


# -- the blind rule --------------------------------------------------------------------


@dataclass(frozen=True)
class _ClipRun:
    run_id: int
    coder: str
    status: RunStatus
    blind: bool


def _clip_runs(db: DbSession, clip_id: int, scheme_key: str) -> list[_ClipRun]:
    rows = db.execute(
        select(CodingRun.id, Coder.name, CodingRun.status, CodingRun.blind)
        .join(Coder, Coder.id == CodingRun.coder_id)
        .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
        .where(CodingRun.clip_id == clip_id, SchemeRow.scheme_key == scheme_key)
        .order_by(CodingRun.id)
    ).all()
    return [_ClipRun(id_, name, RunStatus(status), blind) for id_, name, status, blind in rows]


def pending_blind_runs(db: DbSession, clip_id: int, scheme_key: str) -> list[PendingRun]:
    """The blind runs on the clip with the scheme that are not submitted."""
    return [
        PendingRun(r.run_id, r.coder, r.status)
        for r in _clip_runs(db, clip_id, scheme_key)
        if r.blind and r.status is not RunStatus.SUBMITTED
    ]


def pending_text(pending: Sequence[PendingRun]) -> str:
    """``run 7 (Ben, in_progress)``, ... for messages."""
    return ", ".join(f"run {p.run_id} ({p.coder}, {p.status.value})" for p in pending)


def check_may_view(db: DbSession, clip_id: int, scheme_key: str, owner: str, viewer: str) -> None:
    """Raise BlindError when ``viewer`` may not see ``owner``'s coding of the clip."""
    if owner == viewer:
        return
    runs = _clip_runs(db, clip_id, scheme_key)
    if not any(r.blind and r.coder == viewer for r in runs):
        return
    pending = [
        PendingRun(r.run_id, r.coder, r.status)
        for r in runs
        if r.blind and r.status is not RunStatus.SUBMITTED
    ]
    if pending:
        raise BlindError(
            f"clip {clip_id}, scheme {scheme_key}: {viewer} codes this clip blind, so "
            f"{owner}'s coding stays hidden until every blind run is submitted "
            f"(pending: {pending_text(pending)})"
        )


def check_clip_complete(db: DbSession, clip_id: int, scheme_key: str) -> None:
    """Raise BlindError when an agreement view of the clip would show blind codings early."""
    pending = pending_blind_runs(db, clip_id, scheme_key)
    if pending:
        raise BlindError(
            f"clip {clip_id}, scheme {scheme_key}: agreement is shown only once every blind "
            f"run is submitted (pending: {pending_text(pending)})"
        )


def read_run(ws: Workspace, run_id: int, viewer: str) -> RunView:
    """A run's ratings and events, if the blind rule lets ``viewer`` see them."""
    with ws.sessions() as db:
        run = db.get(CodingRun, run_id)
        if run is None:
            raise NotFoundError(f"coding run {run_id}: no such run")
        row = db.get_one(SchemeRow, run.scheme_id)
        owner = db.get_one(Coder, run.coder_id).name
        check_may_view(db, run.clip_id, row.scheme_key, owner, viewer.strip())
        info = RunInfo(run.id, run.clip_id, row.id, row.scheme_key, row.version, owner, run.status)
        blind = run.blind
    return RunView(info, blind, ratings(ws, run_id), run_events(ws, run_id))
