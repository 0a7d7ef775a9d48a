"""Versions of what people edit, so that an edit made on a stale copy is refused.

An event (``annotation.version``), a moment's details (``moment.version``: caption,
still, extra tags, child line, comment, the flag for feedback), a rating or a grid row
(``rating.version``; a grid row's is the highest of its cells') and a session's reel
(``session.reel_version``: its order, which moments are in it, its theme) each carry a
version. Every edit raises it by one. An edit that says which version it was made on
(``expected_version``) is refused with :class:`StaleEditError` when the stored one is
another, naming who changed it last and when, and nothing is stored; ``None`` means no
check (scripts, imports). Something not stored has version 0 (``ABSENT``). A new row
starts at 1: event ids are never handed out twice (migration 0008), so no stale copy
can name it. A row made again (an undone delete, a rating typed after it was cleared)
starts above every version it can have had: one more than the number of audit entries
about that thing. Every edit writes an entry about it in the same transaction and raises
its version by at most one, so no version of it ever passed that number. The number
counts only the thing's own history, never anyone else's work (a version shown to a
blind coder must not move with another coder's hidden activity).

The versions each edit wrote are collected, when asked, by :func:`receipt`: the
window's undo history keeps them (``ui/versions.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, select, update
from sqlalchemy.orm import Session as DbSession

from vfa.errors import StaleEditError
from vfa.services.audit import Place, record
from vfa.services.viewer import current_viewer
from vfa.storage.models import AuditEntry
from vfa.storage.models import Session as SessionRow

Key = tuple[Any, ...]  # ("event", id), ("moment", id), ("rating", run, item), ("reel", session)
Db = DbSession | Connection
ABSENT = 0  # the version of something not stored


@dataclass(frozen=True)
class Written:
    """One version an edit wrote: the key, the version stored before and after (0: none)."""

    key: Key
    before: int
    after: int


_written: ContextVar[list[Written] | None] = ContextVar("vfa_written", default=None)


@contextmanager
def receipt() -> Iterator[list[Written]]:
    """Collect the versions written by the edits made in the block (valid when it ends
    without an error: an edit that raises stored nothing)."""
    written: list[Written] = []
    token = _written.set(written)
    try:
        yield written
    finally:
        _written.reset(token)


def wrote(key: Key, before: int, after: int) -> None:
    """Note a version written (for the receipt being collected, if any)."""
    written = _written.get()
    if written is not None:
        written.append(Written(key, before, after))


@dataclass(frozen=True)
class Trail:
    """How refusals name a thing (``what``) and where the audit trail keeps its changes:
    entries on one of ``entities`` with ``entity_id`` (and whose detail ``matches``)."""

    what: str
    entities: tuple[str, ...]
    entity_id: int
    matches: Callable[[dict[str, Any]], bool] | None = None


def last_change(
    db: Db, trail: Trail, not_by: str | None = None
) -> tuple[str | None, dt.datetime] | None:
    """Who made the newest audit entry about the thing, and when: the newest by someone
    other than ``not_by`` when there is one (None: no entry)."""
    rows = db.execute(
        select(AuditEntry.actor, AuditEntry.at, AuditEntry.detail)
        .where(AuditEntry.entity.in_(trail.entities), AuditEntry.entity_id == trail.entity_id)
        .order_by(AuditEntry.id.desc())
        .limit(500)
    )
    newest = None
    for actor, at, detail in rows:
        if trail.matches is None or trail.matches(detail or {}):
            if not_by is None or actor != not_by:
                return actor, at
            newest = newest or (actor, at)
    return newest


def fresh(db: Db, trail: Trail) -> int:
    """The version of a row made again: one more than the audit entries about it."""
    rows = db.execute(
        select(AuditEntry.detail).where(
            AuditEntry.entity.in_(trail.entities), AuditEntry.entity_id == trail.entity_id
        )
    )
    if trail.matches is None:
        return 1 + len(rows.all())
    return 1 + sum(1 for (detail,) in rows if trail.matches(detail or {}))


def when_text(at: dt.datetime) -> str:
    """A stored time as refusals show it (UTC: people may be at several sites)."""
    if at.tzinfo is None:  # (SQLite keeps no zone: VFA stores UTC)
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def stale_error(db: Db, trail: Trail, key: Key, *, gone: bool = False) -> StaleEditError:
    """The refusal of an edit made on a stale copy: who changed the thing last and when
    (the last other person, else you: in another window, or a command)."""
    found = last_change(db, trail, current_viewer())
    actor, at, yours = None, None, False
    if found is None:
        by = "by someone else"
    else:
        actor, at = found
        yours = bool(actor) and actor == current_viewer()
        if yours:
            who = f"by you elsewhere ({actor}: another window or a command)"
        else:
            who = f"by {actor or 'someone else'}"
        by = f"{who} at {when_text(at)}"
    return StaleEditError(
        f"{trail.what}: {'deleted' if gone else 'changed'} {by} after you read it; your "
        "edit was not stored. The view reloads to show it as it is now: look, then make "
        "the edit again.",
        key,
        actor or None,
        at,
        yours,
        gone,
    )


def check(db: Db, stored: int, expected: int | None, trail: Trail, key: Key) -> None:
    """Refuse (StaleEditError) when ``expected`` is given and the stored version differs."""
    if expected is not None and stored != expected:
        raise stale_error(db, trail, key, gone=stored == ABSENT and expected != ABSENT)


def claim(
    db: Db,
    table: Table,
    where: ColumnElement[bool],
    expected: int | None,
    trail: Trail,
    key: Key,
    column: str = "version",
) -> tuple[int, int] | None:
    """Raise a stored row's version by one if it is ``expected`` (None: whatever it is),
    in one statement (``UPDATE … SET version = version + 1 WHERE … AND version = :v``,
    which also locks the row on PostgreSQL): the versions before and after. None when
    there is no such row and none was expected; StaleEditError when it is another
    version, or gone (a row the trail never knew is not found, not stale)."""
    col = table.c[column]
    statement = update(table).where(where).values({column: col + 1}).returning(col)
    if expected is not None:
        statement = statement.where(col == expected)
    after = db.execute(statement).scalar_one_or_none()
    if after is not None:
        wrote(key, after - 1, after)
        return after - 1, after
    stored = db.execute(select(col).where(where)).scalar_one_or_none()
    if stored is None and (expected in (None, ABSENT) or last_change(db, trail) is None):
        return None  # (never there: not found, which the caller says)
    raise stale_error(db, trail, key, gone=stored is None)


def reel_trail(session_id: int) -> Trail:
    """Where the trail keeps a session's reel changes (order, moments, theme)."""
    return Trail(f"the reel of session {session_id}", ("reel", "session"), session_id)


def claim_reel(db: Db, session_id: int, expected: int | None) -> tuple[int, int] | None:
    """Raise the session's reel version (see :func:`claim`)."""
    table = SessionRow.__table__
    assert isinstance(table, Table)
    return claim(
        db,
        table,
        table.c.id == session_id,
        expected,
        reel_trail(session_id),
        ("reel", session_id),
        "reel_version",
    )


def reel_changed(
    db: Db, session_id: int, action: str, detail: dict[str, Any], place: Place
) -> None:
    """A moment joined or left the session's reel (or moved in it): its version rises and
    the trail says so, naming the moment's case, clip and run (``place``)."""
    claim_reel(db, session_id, None)
    record(db, action, "reel", session_id, detail, **place)
