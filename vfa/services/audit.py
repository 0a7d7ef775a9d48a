"""The audit trail: every change that must be traceable leaves an entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, text
from sqlalchemy.orm import Session as DbSession

from vfa.services.viewer import current_viewer
from vfa.storage.models import AuditEntry

# built once: the coding hotkeys write an entry on every key press
_INSERT = insert(AuditEntry)
# on PostgreSQL every entry also tells the open windows, when its transaction commits
# (``services/live.py`` listens on this channel)
CHANNEL = "vfa_changes"
_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', :payload)")


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
) -> None:
    """Add an audit entry to the current transaction (the caller commits): to an ORM
    session, or to a Core connection on the coding hot path."""
    values = {
        "actor": actor or current_actor(),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "detail": detail or {},
    }
    if isinstance(db, Connection):
        db.execute(_INSERT, values)
        dialect = db.dialect.name
    else:
        db.add(AuditEntry(**values))
        dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        db.execute(_NOTIFY, {"payload": f"{entity}:{entity_id}"})
