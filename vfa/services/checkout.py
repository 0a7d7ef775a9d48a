"""A coder's clips to take away: ``vfa checkout URL --coder NAME -o laptop.vfa``.

The checkout is a new SQLite workspace holding the clips on which the coder has a run not
yet submitted (their cases, sessions, clip rows and consent), the schemes of the coder's
runs on them, and those runs with their events, moments and ratings, blind ones
included. Nothing of anyone else's coding goes into it. It records where it came from and
each run's digest as it was (``workspace_info`` ``checkout``): the base that ``vfa merge
laptop.vfa`` on the team workspace decides against. The workspace it came from notes the
checkout in its audit trail (who took which clips, for whom, to which file).

The video files are not copied: the clips name them as the team workspace does; on the
laptop, ``vfa clip relink FOLDER`` finds them where they were copied to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shlex
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session as DbSession

from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.acting import acting_person
from vfa.services.audit import record
from vfa.services.blind import blind_view
from vfa.services.merge_content import RunContent, read_contents
from vfa.services.merge_read import CHECKOUT_KEY, Row, rows_of
from vfa.services.merge_runs import RunWriter, new_ids, without
from vfa.services.people import Act, NotAllowedError, require
from vfa.storage.models import (
    AuditEntry,
    Case,
    Clip,
    Coder,
    CodingRun,
    ConsentRecord,
    Role,
    RunStatus,
    Scheme,
    Session,
    WorkspaceInfo,
)
from vfa.storage.workspace import Workspace, open_workspace


@dataclass(frozen=True)
class CheckoutResult:
    """What a checkout took away: where to, from where, for whom, how much."""

    path: Path
    source: str
    coder: str
    clips: int
    runs: int
    schemes: int


@dataclass
class _Taken:
    """What the checkout reads from the workspace it comes from."""

    coder: Row
    runs: dict[int, Row]
    contents: dict[int, RunContent]
    clips: dict[int, Row]
    sessions: dict[int, Row]
    cases: dict[int, Row]
    schemes: dict[int, Row]
    consent: list[Row]


def _target(out: str | os.PathLike[str]) -> Path:
    text = os.fspath(out).strip()
    if not text or "://" in text:
        raise InvalidInputError(f"{text or 'checkout'}: a checkout is a new workspace file")
    path = Path(text).expanduser().absolute()
    if path.exists() or path.is_symlink():
        raise InvalidInputError(
            f"{path}: something is already there; a checkout is written to a new file"
        )
    return path


def _read(db: DbSession, coder: str, who: str, where: str) -> _Taken:
    """The coder's open clips and their runs there, after checking who may take them."""
    try:
        require(db, Act.CODE if who == coder else Act.ASSIGN, who)
    except NotAllowedError as refused:
        if who == coder:
            raise
        raise NotAllowedError(
            f"checking out {coder}'s clips: {refused}; to take your own, give --coder "
            f"{shlex.quote(who)}. "
            "Nothing was written"
        ) from None
    conn = db.connection()
    found = rows_of(conn, Coder, Coder.name == coder)
    if not found:
        raise NotFoundError(f"{coder}: no one of that name codes in {where}; nothing was written")
    person = found[0]
    mine = rows_of(conn, CodingRun, CodingRun.coder_id == person["id"])
    clip_ids = sorted({r["clip_id"] for r in mine if r["status"] is not RunStatus.SUBMITTED})
    if not clip_ids:
        raise InvalidInputError(
            f"{coder} has no clips to code in {where} (every run is submitted, or none is "
            "assigned); nothing was written"
        )
    runs = {r["id"]: r for r in mine if r["clip_id"] in clip_ids}
    clips = {r["id"]: r for r in rows_of(conn, Clip, Clip.id.in_(clip_ids))}
    sessions = {
        r["id"]: r
        for r in rows_of(conn, Session, Session.id.in_({c["session_id"] for c in clips.values()}))
    }
    cases = {
        r["id"]: r
        for r in rows_of(conn, Case, Case.id.in_({s["case_id"] for s in sessions.values()}))
    }
    schemes = {
        r["id"]: r
        for r in rows_of(conn, Scheme, Scheme.id.in_({r["scheme_id"] for r in runs.values()}))
    }
    return _Taken(
        coder=person,
        runs=runs,
        contents=read_contents(conn, {i: r["status"] for i, r in runs.items()}),
        clips=clips,
        sessions=sessions,
        cases=cases,
        schemes=schemes,
        consent=rows_of(conn, ConsentRecord, ConsentRecord.clip_id.in_(clip_ids)),
    )


def _check_readable(db: DbSession, taken: _Taken, who: str) -> None:
    """On a team workspace the server shows a blind run's content to its own coder only
    while the blind coding is open: someone else's checkout would take those runs away
    empty, so it is refused, saying who can take them."""
    coder = taken.coder["name"]
    view = blind_view(db, who, sorted(taken.clips))
    hidden = [r for i, r in taken.runs.items() if view.hides(i, r["clip_id"], coder)]
    if hidden:
        raise InvalidInputError(
            f"{coder}'s blind coding of {len({r['clip_id'] for r in hidden})} clip(s) is shown "
            f"to {coder} alone until every blind run there is submitted, so the server hides "
            f"it from {who} and a checkout would take it away empty: {coder} checks out "
            f"their own clips, connected as themselves; nothing was written"
        )


def checkout(
    url_or_path: Workspace | str | os.PathLike[str] | None,
    coder: str,
    out: str | os.PathLike[str],
    *,
    progress: Callable[[float], None] | None = None,
    viewer: str | None = None,
) -> CheckoutResult:
    """Write a new SQLite workspace at ``out`` with ``coder``'s clips to code (see the
    module's note) and record the checkout in the workspace it came from."""
    name = (coder or "").strip()
    if not name:
        raise InvalidInputError("--coder: name the person whose clips to take away")
    path = _target(out)
    source = url_or_path if isinstance(url_or_path, Workspace) else open_workspace(url_or_path)
    try:
        who = acting_person(source, viewer)  # once open: on a team workspace, the login
        with source.sessions() as db:
            taken = _read(db, name, who, source.label)
            if source.person is not None and who != name:
                _check_readable(db, taken, who)
        if progress is not None:
            progress(0.3)
        result, ident = _write(path, taken, source.label, who)
        if progress is not None:
            progress(0.9)
        try:
            with source.writes.begin() as db:
                detail = {"id": ident, "coder": name, "to": str(path), "runs": sorted(taken.runs),
                          "clips": sorted(taken.clips)}  # fmt: skip
                record(db, "checkout", "workspace", None, detail, actor=who)
        except BaseException:
            _remove(path)
            raise
    finally:
        if source is not url_or_path:
            source.close()
    if progress is not None:
        progress(1.0)
    return result


def _write(path: Path, taken: _Taken, source: str, who: str) -> tuple[CheckoutResult, str]:
    """Make the checkout's workspace file; remove it again if anything fails."""
    ident = uuid.uuid4().hex
    ws = open_workspace(path, create=True)
    try:
        with ws.writes.begin() as db:
            conn = db.connection()
            role = taken.coder["role"]
            role = Role.SUPERVISOR if role is Role.ADMIN else role  # a personal workspace
            (coder_id,) = new_ids(conn, Coder, [{"name": taken.coder["name"], "role": role}])
            scheme_ids = dict(
                zip(
                    taken.schemes,
                    new_ids(conn, Scheme, [without(r, "id") for r in taken.schemes.values()]),
                    strict=True,
                )
            )
            case_ids = dict(
                zip(
                    taken.cases,
                    new_ids(conn, Case, [without(r, "id") for r in taken.cases.values()]),
                    strict=True,
                )
            )
            rows = [
                {**without(r, "id", "reel_version"), "case_id": case_ids[r["case_id"]]}
                for r in taken.sessions.values()
            ]
            session_ids = dict(zip(taken.sessions, new_ids(conn, Session, rows), strict=True))
            rows = [
                {**without(r, "id"), "session_id": session_ids[r["session_id"]]}
                for r in taken.clips.values()
            ]
            clip_ids = dict(zip(taken.clips, new_ids(conn, Clip, rows), strict=True))
            writer = RunWriter(conn)
            bases = {}
            for run_id, run in sorted(taken.runs.items()):
                mapped = {
                    **run,
                    "clip_id": clip_ids[run["clip_id"]],
                    "scheme_id": scheme_ids[run["scheme_id"]],
                    "coder_id": coder_id,
                }
                session = session_ids[taken.clips[run["clip_id"]]["session_id"]]
                made = writer.add(mapped, taken.contents[run_id], session)
                bases[str(made)] = taken.contents[run_id].digest()
            writer.finish_ratings()
            writer.finish_reels()
            consent = [
                {**without(r, "id"), "clip_id": clip_ids[r["clip_id"]]} for r in taken.consent
            ]
            if consent:
                conn.execute(insert(ConsentRecord), consent)
            info = {
                "id": ident,
                "from": source,
                "coder": taken.coder["name"],
                "by": who,
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "cases": sorted(c["code"] for c in taken.cases.values()),
                "runs": bases,
            }
            conn.execute(insert(WorkspaceInfo), [{"key": CHECKOUT_KEY, "value": json.dumps(info)}])
            detail = {"from": source, "coder": taken.coder["name"], "clips": len(clip_ids),
                      "runs": len(bases), "id": ident}  # fmt: skip
            conn.execute(
                insert(AuditEntry),
                [{"actor": who, "action": "checkout", "entity": "workspace", "detail": detail}],
            )
    except BaseException:
        ws.close()
        _remove(path)
        raise
    ws.close()
    result = CheckoutResult(
        path, source, taken.coder["name"], len(taken.clips), len(taken.runs), len(taken.schemes)
    )
    return result, ident


def _remove(path: Path) -> None:
    """A checkout that did not finish leaves no file behind."""
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink()
