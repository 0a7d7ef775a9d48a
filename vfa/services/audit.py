"""The audit trail: every change that must be traceable leaves an entry.

An entry names who, what (action and entity), when, and what it was about: the case,
clip and run it touched (``case_id``, ``clip_id``, ``run_id``: plain numbers, so an
entry outlives what it names). A service passes the ids it has at hand; ``run_place``,
``clip_place`` and ``session_place`` find the rest in one small query where it has
not. An update keeps ``{"before": …, "after": …}`` in its detail. The trail is read
through ``vfa.services.audit_trail``.
"""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy import Connection, bindparam, insert, select, text
from sqlalchemy.orm import Session as DbSession

from vfa.services.viewer import current_viewer
from vfa.storage.models import AuditEntry, Clip, CodingRun
from vfa.storage.models import Session as SessionRow

# built once: the coding hotkeys write an entry on every key press
_INSERT = insert(AuditEntry).inline()  # (inline: no RETURNING of the new id)
# on PostgreSQL every entry also tells the open windows, when its transaction commits
# (``services/live.py`` listens on this channel)
CHANNEL = "vfa_changes"
_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', :payload)")


class Place(TypedDict, total=False):
    """What an entry is about, as ``record``'s keyword arguments."""

    case_id: int | None
    clip_id: int | None
    run_id: int | None


def current_actor() -> str:
    """The person at the keyboard: the coder name VFA knows them by (``current_viewer``)."""
    return current_viewer()


def record(
    db: DbSession | Connection,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
    *,
    case_id: int | None = None,
    clip_id: int | None = None,
    run_id: int | None = None,
) -> None:
    """Add an audit entry to the current transaction (the caller commits): of an ORM
    session, or of a Core connection on the coding hot path."""
    values = {
        "actor": actor or current_actor(),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "detail": detail or {},
        "case_id": case_id,
        "clip_id": clip_id,
        "run_id": run_id,
    }
    # a plain INSERT, never INSERT ... RETURNING (as an ORM add, or a row's insert that
    # reads its new id back, would be): on a team workspace the server lets a person add
    # an entry about a blind run they may not read back
    conn = db if isinstance(db, Connection) else db.connection()
    conn.execute(_INSERT, values)
    if conn.dialect.name == "postgresql":
        conn.execute(_NOTIFY, {"payload": f"{entity}:{entity_id}"})


def changed(before: Any, after: Any, **detail: Any) -> dict[str, Any]:
    """An update's detail: what it was and what it became, with anything else to keep."""
    return {**detail, "before": before, "after": after}


_RUN_PLACE = (
    select(CodingRun.clip_id, SessionRow.case_id)
    .join(Clip, Clip.id == CodingRun.clip_id)
    .join(SessionRow, SessionRow.id == Clip.session_id)
    .where(CodingRun.id == bindparam("run_id"))
)
_CLIP_PLACE = (
    select(SessionRow.case_id)
    .join(Clip, Clip.session_id == SessionRow.id)
    .where(Clip.id == bindparam("clip_id"))
)
_SESSION_PLACE = select(SessionRow.case_id).where(SessionRow.id == bindparam("session_id"))


def run_place(db: DbSession | Connection, run_id: int) -> Place:
    """The run, its clip and its case (one query), for ``record(..., **place)``."""
    row = db.execute(_RUN_PLACE, {"run_id": run_id}).first()
    if row is None:
        return Place(run_id=run_id)
    return Place(case_id=row[1], clip_id=row[0], run_id=run_id)


def clip_place(db: DbSession | Connection, clip_id: int) -> Place:
    """The clip and its case (one query), for ``record(..., **place)``."""
    case_id = db.execute(_CLIP_PLACE, {"clip_id": clip_id}).scalar()
    return Place(case_id=case_id, clip_id=clip_id)


def session_place(db: DbSession | Connection, session_id: int) -> Place:
    """The case of a session (one query), for ``record(..., **place)``."""
    return Place(case_id=db.execute(_SESSION_PLACE, {"session_id": session_id}).scalar())
