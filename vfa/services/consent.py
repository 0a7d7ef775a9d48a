"""Consent per clip: which purposes the family agreed to, when, and who recorded it.

Consent is recorded, never edited: each change adds a record and the latest one holds,
so the history stays in the workspace (and in the audit trail). Every export of a
workspace clip (a reel, a feedback script, a still) names its purpose and is checked here
first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import case_access, people
from vfa.services.audit import current_actor, record
from vfa.services.choices import PURPOSES as PURPOSES
from vfa.storage.models import Clip, ConsentRecord
from vfa.storage.workspace import Workspace


class ConsentError(InvalidInputError):
    """An export for a purpose the family's consent does not cover."""


@dataclass(frozen=True)
class Consent:
    clip_id: int
    purposes: tuple[str, ...]
    given_on: dt.date | None
    recorded_by: str | None
    recorded_at: dt.datetime

    def covers(self, purpose: str) -> bool:
        return purpose in self.purposes


def check_purposes(purposes: Iterable[str]) -> tuple[str, ...]:
    """Known purposes in the canonical order; an unknown one is refused by name."""
    given = [p.strip().lower() for p in purposes if p.strip()]
    unknown = [p for p in given if p not in PURPOSES]
    if unknown:
        raise InvalidInputError(
            f"consent: unknown purpose {', '.join(unknown)} (one of {', '.join(PURPOSES)})"
        )
    return tuple(p for p in PURPOSES if p in given)


def set_consent(
    ws: Workspace,
    clip_id: int,
    purposes: Iterable[str],
    *,
    given_on: dt.date | None = None,
    by: str | None = None,
) -> Consent:
    """Record what the family agreed for this clip (an empty list withdraws all)."""
    chosen = check_purposes(purposes)
    who = (by or "").strip() or current_actor()
    with ws.writes.begin() as db:
        people.require(db, people.Act.MANAGE_CONSENT, by)
        if db.get(Clip, clip_id) is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        case_access.check_clip(db, clip_id, by)
        row = ConsentRecord(
            clip_id=clip_id,
            purposes={"purposes": list(chosen)},
            given_on=given_on,
            recorded_by=who,
        )
        db.add(row)
        db.flush()
        record(
            db,
            "consent",
            "clip",
            clip_id,
            {"purposes": list(chosen), "given_on": given_on.isoformat() if given_on else None},
            actor=who,
        )
        return _consent(row)


def _consent(row: ConsentRecord) -> Consent:
    return Consent(
        row.clip_id,
        tuple(row.purposes.get("purposes", [])),
        row.given_on,
        row.recorded_by,
        row.recorded_at,
    )


def consent_for(ws: Workspace, clip_id: int) -> Consent | None:
    """The clip's consent as last recorded (None when none was)."""
    with ws.sessions() as db:
        if db.get(Clip, clip_id) is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        case_access.check_clip(db, clip_id)
        row = db.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.clip_id == clip_id)
            .order_by(ConsentRecord.id.desc())
            .limit(1)
        ).first()
        return _consent(row) if row is not None else None


def require(ws: Workspace, clip_id: int, purpose: str, what: str) -> Consent:
    """The clip's consent if it covers ``purpose``; else ConsentError saying why."""
    (purpose,) = check_purposes([purpose]) or ("",)
    if not purpose:
        raise InvalidInputError(f"{what}: name the purpose of the export")
    consent = consent_for(ws, clip_id)
    if consent is None:
        raise ConsentError(
            f"{what}: no consent is recorded for clip {clip_id}; record the family's consent "
            "(Clip → Consent, or 'vfa consent set') before exporting"
        )
    if not consent.covers(purpose):
        when = f" on {consent.given_on.isoformat()}" if consent.given_on else ""
        agreed = ", ".join(consent.purposes) or "nothing"
        raise ConsentError(
            f"{what}: the family's consent for clip {clip_id} (recorded{when} by "
            f"{consent.recorded_by}) covers {agreed}, not {PURPOSES[purpose]}"
        )
    return consent


def coverage(ws: Workspace, clip_ids: Iterable[int], what: str) -> dict[str, str | None]:
    """Per purpose: None when the consent of every clip covers it, else the reason why not
    (for dialogs that offer only the purposes an export may have)."""
    ids = sorted(set(clip_ids))
    result: dict[str, str | None] = {}
    for purpose in PURPOSES:
        result[purpose] = None
        for clip_id in ids:
            try:
                require(ws, clip_id, purpose, what)
            except ConsentError as exc:
                result[purpose] = str(exc)
                break
    return result
