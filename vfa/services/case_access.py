"""Which cases a therapist sees (sharing a case with one: ``case_sharing``).

A case without members is open to every therapist. Once it has members (``case_member``)
only they, of the therapists, see it: its sessions, clips, moments, reel and consent are
not listed for any other therapist and a read of them by id is refused. A therapist who
adds a clip to a new case on a managed workspace becomes its member. Coders, supervisors
and admins see every case (coders' reads are ruled by their assignments and the blind
rule). On a personal workspace (no admin) every case is open to everyone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session as DbSession

from vfa.services.audit import record
from vfa.services.people import NotAllowedError, Person, find_person, is_managed
from vfa.services.viewer import resolve
from vfa.storage.models import Case, CaseMember, Clip, Role, Session

__all__ = [
    "case_filter",
    "check_case",
    "check_clip",
    "check_session",
    "entering_case",
]


def _restricted(db: DbSession, who: str | None) -> tuple[str, int | None] | None:
    """(name, person id) when the viewer sees only open and shared cases: a therapist
    (or a name that is not one of the people) on a managed workspace; else None."""
    if not is_managed(db):
        return None
    name = resolve(who)
    person = find_person(db, name)
    if person is not None and person.role is not Role.THERAPIST:
        return None
    return name, person.id if person is not None else None


def _visible(person_id: int | None, column: Any = Case.id) -> ColumnElement[bool]:
    """The condition on a case id ``column`` of the cases open to a therapist."""
    shared = select(CaseMember.case_id)
    if person_id is None:
        return column.not_in(shared)
    mine = select(CaseMember.case_id).where(CaseMember.coder_id == person_id)
    return or_(column.not_in(shared), column.in_(mine))


def case_filter(
    db: DbSession, who: str | None = None, column: Any = Case.id
) -> ColumnElement[bool] | None:
    """The condition on a case id ``column`` (``Case.id``, ``Session.case_id``) of the
    cases ``who`` (None: the viewer) sees, or None when they see every case."""
    restricted = _restricted(db, who)
    return None if restricted is None else _visible(restricted[1], column)


def _hidden(name: str, what: str) -> NotAllowedError:
    where = what if what.startswith("case ") else f"{what} belongs to a case that"
    return NotAllowedError(
        f"{where} is not shared with {name}: a therapist sees the cases shared with them "
        f"and those shared with nobody; its therapist or an admin can share it "
        f"(vfa case share CODE {name})"
    )


def check_case(db: DbSession, case_id: int, who: str | None = None, what: str = "") -> None:
    """Raise NotAllowedError when the case is hidden from ``who`` (None: the viewer)."""
    restricted = _restricted(db, who)
    if restricted is None:
        return
    seen = db.scalar(select(Case.id).where(Case.id == case_id, _visible(restricted[1])))
    if seen is None:
        raise _hidden(restricted[0], what or f"case {case_id}")


def check_clip(db: DbSession, clip_id: int, who: str | None = None) -> None:
    """Raise NotAllowedError when the clip's case is hidden from ``who``."""
    if not is_managed(db):
        return
    case_id = db.scalar(
        select(Session.case_id).join(Clip, Clip.session_id == Session.id).where(Clip.id == clip_id)
    )
    if case_id is not None:  # (no such clip: the caller says so)
        check_case(db, case_id, who, f"clip {clip_id}")


def check_session(db: DbSession, session_id: int, who: str | None = None) -> None:
    """Raise NotAllowedError when the session's case is hidden from ``who``."""
    if not is_managed(db):
        return
    case_id = db.scalar(select(Session.case_id).where(Session.id == session_id))
    if case_id is not None:
        check_case(db, case_id, who, f"session {session_id}")


def entering_case(db: DbSession, case: Case, person: Person | None, new: bool) -> None:
    """A clip comes into ``case``: a therapist who made it becomes its member; one who
    may not see an existing case is refused (``person`` None: a personal workspace)."""
    if person is None or person.role is not Role.THERAPIST:
        return
    if new:
        db.add(CaseMember(case_id=case.id, coder_id=person.id))
        record(db, "share", "case", case.id, {"code": case.code, "person": person.name})
        return
    check_case(db, case.id, person.name, f"case {case.code}")
