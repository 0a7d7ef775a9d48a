"""The audit trail: every change that must be traceable leaves an entry."""

from __future__ import annotations

import getpass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from vfa.storage.models import AuditEntry


def current_actor() -> str:
    """The person at the keyboard, as the operating system knows them."""
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name on some systems
        return "unknown"


def record(
    db: DbSession,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
) -> None:
    """Add an audit entry to the current transaction (the caller commits)."""
    db.add(
        AuditEntry(
            actor=actor or current_actor(),
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail or {},
        )
    )
