"""Blind double coding: who codes which clip with which scheme, and who may see what.

Assigning makes (or reuses) one coding run per clip × coder with the scheme, status
"assigned" for a new run, and the blind flag as asked. A share of the workspace's clips
can be chosen for double coding: every n-th clip in catalogue order (the n-th, 2n-th, ...
clip; cases by code, their sessions and clips in the order they were added), or a
random share drawn with a seed. Every coder named codes every chosen clip, the first
coder included: when the first coder is the primary coder who codes all clips, their
runs on the chosen clips are made blind too, and their other clips are theirs to open as
usual (``vfa.services.coding.open_run``); nothing else is assigned.

Who may see which run's content is the blind rule of ``vfa.services.blind``; the
assignment list itself (runs, coders, status, blind flag) is open to everyone, so a
supervisor sees that runs exist and how far they are. Agreement and disagreement views
of a clip need every blind run on it submitted, whoever asks.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from vfa.domain.schemes import Scheme
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.audit import record, run_place
from vfa.services.blind import (
    BlindError,
    PendingRun,
    check_clip_complete,
    check_may_view,
    check_run,
    pending_blind_runs,
    pending_text,
)
from vfa.services.case_access import case_filter
from vfa.services.coding import RatingState, RunInfo, coder_row, ratings
from vfa.services.events import Event, run_events
from vfa.services.people import Act, require
from vfa.services.permissions import check_known
from vfa.services.schemes import SchemeLookup, get_scheme, register_scheme
from vfa.services.viewer import resolve
from vfa.storage.models import Case, Clip, Coder, CodingRun, RunStatus, Session
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace

__all__ = [
    "Assignment",
    "BlindError",
    "PendingRun",
    "RunView",
    "assign",
    "assign_share",
    "assignments",
    "catalogue_clips",
    "check_clip_complete",
    "check_may_view",
    "choose_share",
    "pending_blind_runs",
    "pending_text",
    "read_run",
]

DEFAULT_EVERY = 5


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


def _scheme(scheme: Scheme | str, find_scheme: SchemeLookup) -> Scheme:
    return scheme if isinstance(scheme, Scheme) else find_scheme(scheme)


def _coder_names(coders: Sequence[str]) -> list[str]:
    names = [c.strip() for c in coders]
    if not names or any(not n for n in names):
        raise InvalidInputError("assign: name at least one coder (an empty name was given)")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidInputError(f"assign: coder {', '.join(twice)} is named more than once")
    return names


def assign(
    ws: Workspace,
    clip_ids: Sequence[int],
    scheme: Scheme | str,
    coders: Sequence[str],
    blind: bool = True,
    by: str | None = None,
    find_scheme: SchemeLookup = get_scheme,
) -> list[RunInfo]:
    """Give every clip to every coder with the scheme; returns the runs, clip by clip.

    A coder's existing run of the clip with this scheme content is reused (its status
    stays as it is; its blind flag is set as asked, the change audited). Unknown clips
    raise NotFoundError before anything is written. A scheme given by id is looked up
    with ``find_scheme`` (a library read once, else the folders now).
    """
    chosen = _scheme(scheme, find_scheme)
    names = _coder_names(coders)
    clips = list(dict.fromkeys(clip_ids))
    if not clips:
        raise InvalidInputError("assign: no clips given")
    with ws.sessions() as db:  # before the scheme is stored
        require(db, Act.ASSIGN, by)
        check_known(db, names)
    scheme_row = register_scheme(ws, chosen)
    out: list[RunInfo] = []
    with ws.writes.begin() as db:
        known = set(db.scalars(select(Clip.id).where(Clip.id.in_(clips))))
        missing = [str(c) for c in clips if c not in known]
        if missing:
            raise NotFoundError(f"clip {', '.join(missing)}: no such clip in {ws.label}")
        coder_ids = {name: coder_row(db, name)[0] for name in names}
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
                        **run_place(db, run.id),
                    )
                elif run.blind != blind:
                    record(
                        db,
                        "assign",
                        "coding_run",
                        run.id,
                        {"coder": name, "blind": blind, "blind_before": run.blind},
                        actor=by,
                        **run_place(db, run.id),
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
    find_scheme: SchemeLookup = get_scheme,
) -> list[int]:
    """Choose a share of the clips (``choose_share``; every 5th by default) and assign each
    to every coder named (see the module's notes); returns the chosen clip ids.

    ``clip_ids`` limits the pool to those clips, still in catalogue order; ``find_scheme``
    as for ``assign``.
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
        assign(ws, chosen, scheme, coders, blind=blind, by=by, find_scheme=find_scheme)
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
        seen = case_filter(db)  # a therapist: the cases open to them
        if seen is not None:
            query = query.where(seen)
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


# -- reading a run under the blind rule -------------------------------------------------


def read_run(ws: Workspace, run_id: int, viewer: str | None = None) -> RunView:
    """A run's ratings and events, if the blind rule lets ``viewer`` (None: the current
    viewer) see them; BlindError names the open blind runs otherwise."""
    name = resolve(viewer)
    with ws.sessions() as db:
        check_run(db, run_id, name)
        run = db.get_one(CodingRun, run_id)
        row = db.get_one(SchemeRow, run.scheme_id)
        owner = db.get_one(Coder, run.coder_id).name
        info = RunInfo(run.id, run.clip_id, row.id, row.scheme_key, row.version, owner, run.status)
        blind = run.blind
    return RunView(info, blind, ratings(ws, run_id, name), run_events(ws, run_id, name))
