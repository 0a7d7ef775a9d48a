"""Consent per clip: which purposes the family agreed to, when, until when, and who
recorded it.

Consent is recorded, never edited: each change adds a record and the latest one holds,
so the history stays in the workspace (and in the audit trail, before and after). A
record may say the last day it holds (``valid_until``); after that day it covers
nothing. Every export of a workspace clip (a reel, a feedback script, a still) names its
purpose and is checked here first; ``consent_due`` lists the clips whose consent has
ended or ends soon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import case_access, people
from vfa.services.audit import changed, clip_place, current_actor, record
from vfa.services.choices import DUE_DAYS as DUE_DAYS
from vfa.services.choices import PURPOSES as PURPOSES
from vfa.storage.models import Case, Clip, ConsentRecord
from vfa.storage.models import Session as SessionRow
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
    valid_until: dt.date | None = None  # the last day it holds; None: no end date

    def covers(self, purpose: str) -> bool:
        """Whether the family agreed to the purpose (whatever the end date)."""
        return purpose in self.purposes

    def ended(self, today: dt.date | None = None) -> bool:
        """Whether its last day has passed (``today``: the local date, unless given)."""
        return self.valid_until is not None and self.valid_until < (today or dt.date.today())


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
    valid_until: dt.date | None = None,
) -> Consent:
    """Record what the family agreed for this clip (an empty list withdraws all), and the
    last day it holds (None: no end date)."""
    chosen = check_purposes(purposes)
    if valid_until is not None and given_on is not None and valid_until < given_on:
        raise InvalidInputError(
            f"consent for clip {clip_id}: it cannot hold until {valid_until.isoformat()}, "
            f"before it was given ({given_on.isoformat()})"
        )
    who = (by or "").strip() or current_actor()
    with ws.writes.begin() as db:
        people.require(db, people.Act.MANAGE_CONSENT, by)
        if db.get(Clip, clip_id) is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        case_access.check_clip(db, clip_id, by)
        last = _latest(db, clip_id)
        row = ConsentRecord(
            clip_id=clip_id,
            purposes={"purposes": list(chosen)},
            given_on=given_on,
            valid_until=valid_until,
            recorded_by=who,
        )
        db.add(row)
        db.flush()
        before = _terms(_consent(last)) if last is not None else None
        detail = changed(before, _terms(_consent(row)))
        record(db, "consent", "clip", clip_id, detail, actor=who, **clip_place(db, clip_id))
        return _consent(row)


def _terms(consent: Consent) -> dict[str, object]:
    """What a record says, for the audit trail."""
    return {
        "purposes": list(consent.purposes),
        "given_on": consent.given_on.isoformat() if consent.given_on else None,
        "valid_until": consent.valid_until.isoformat() if consent.valid_until else None,
    }


def _consent(row: ConsentRecord) -> Consent:
    return Consent(
        row.clip_id,
        tuple(row.purposes.get("purposes", [])),
        row.given_on,
        row.recorded_by,
        row.recorded_at,
        row.valid_until,
    )


def _latest(db: DbSession, clip_id: int) -> ConsentRecord | None:
    return db.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.clip_id == clip_id)
        .order_by(ConsentRecord.id.desc())
        .limit(1)
    ).first()


def consent_for(ws: Workspace, clip_id: int) -> Consent | None:
    """The clip's consent as last recorded (None when none was)."""
    with ws.sessions() as db:
        if db.get(Clip, clip_id) is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        case_access.check_clip(db, clip_id)
        row = _latest(db, clip_id)
        return _consent(row) if row is not None else None


def require(
    ws: Workspace, clip_id: int, purpose: str, what: str, *, today: dt.date | None = None
) -> Consent:
    """The clip's consent if it covers ``purpose`` and has not ended (``today``: the
    local date, unless given); else ConsentError saying why."""
    (purpose,) = check_purposes([purpose]) or ("",)
    if not purpose:
        raise InvalidInputError(f"{what}: name the purpose of the export")
    consent = consent_for(ws, clip_id)
    if consent is None:
        raise ConsentError(
            f"{what}: no consent is recorded for clip {clip_id}; record the family's consent "
            "(Feedback → Consent for this clip…, or 'vfa consent set') before exporting"
        )
    if consent.ended(today) and consent.valid_until is not None:
        raise ConsentError(
            f"{what}: the family's consent for clip {clip_id} ended on "
            f"{consent.valid_until.isoformat()} (recorded by {consent.recorded_by}); record "
            "their renewed consent (Feedback → Consent for this clip…, or 'vfa consent set') "
            "before exporting"
        )
    if not consent.covers(purpose):
        when = f" on {consent.given_on.isoformat()}" if consent.given_on else ""
        agreed = ", ".join(consent.purposes) or "nothing"
        raise ConsentError(
            f"{what}: the family's consent for clip {clip_id} (recorded{when} by "
            f"{consent.recorded_by}) covers {agreed}, not {PURPOSES[purpose]}"
        )
    return consent


def coverage(
    ws: Workspace, clip_ids: Iterable[int], what: str, *, today: dt.date | None = None
) -> dict[str, str | None]:
    """Per purpose: None when the consent of every clip covers it, else the reason why not
    (for dialogs that offer only the purposes an export may have)."""
    ids = sorted(set(clip_ids))
    result: dict[str, str | None] = {}
    for purpose in PURPOSES:
        result[purpose] = None
        for clip_id in ids:
            try:
                require(ws, clip_id, purpose, what, today=today)
            except ConsentError as exc:
                result[purpose] = str(exc)
                break
    return result


@dataclass(frozen=True)
class ConsentDue:
    """A clip whose consent has ended or ends soon."""

    case: str
    session: str
    session_id: int
    clip_id: int
    clip: str  # the file's name
    purposes: tuple[str, ...]
    valid_until: dt.date
    days_left: int  # below 0: ended that many days ago; 0: today is its last day


def consent_due(
    ws: Workspace, within_days: int = DUE_DAYS, *, today: dt.date | None = None
) -> list[ConsentDue]:
    """Clips whose latest consent (covering anything) has ended or ends within
    ``within_days`` of ``today`` (the local date, unless given), soonest first."""
    if within_days < 0:
        raise InvalidInputError(f"consent due: {within_days} days is not 0 or more")
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=min(within_days, (dt.date.max - today).days))
    latest = select(func.max(ConsentRecord.id)).group_by(ConsentRecord.clip_id).scalar_subquery()
    with ws.sessions() as db:
        rows = db.execute(
            select(
                Case.code,
                SessionRow.label,
                SessionRow.id,
                Clip,
                ConsentRecord.purposes,
                ConsentRecord.valid_until,
            )
            .join(Clip, Clip.id == ConsentRecord.clip_id)
            .join(SessionRow, SessionRow.id == Clip.session_id)
            .join(Case, Case.id == SessionRow.case_id)
            .where(ConsentRecord.id.in_(latest), ConsentRecord.valid_until <= horizon)
        ).all()
        found = [
            ConsentDue(
                code,
                label,
                session_id,
                clip.id,
                clip.name,
                tuple(purposes.get("purposes", [])),
                until,
                (until - today).days,
            )
            for code, label, session_id, clip, purposes, until in rows
            if purposes.get("purposes")  # a withdrawn consent has nothing left to end
        ]
    return sorted(found, key=lambda d: (d.valid_until, d.case, d.session, d.clip_id))
