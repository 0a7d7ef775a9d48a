"""Sharing a case with a therapist, and who it is shared with.

A case without members is open to every therapist; sharing it gives it members, and
then only they (of the therapists) see it (``case_access``). A supervisor, an admin or a
therapist who sees the case may share it; a therapist who shares a case open to all
becomes a member too, so that it stays theirs. Unsharing the last member opens the case
to every therapist again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.audit import record
from vfa.services.case_access import check_case
from vfa.services.clips import find_case
from vfa.services.people import Act, Person, find_person, require, with_article
from vfa.storage.models import Case, CaseMember, Coder, Role
from vfa.storage.workspace import Workspace

__all__ = ["Sharing", "case_members", "share_case", "unshare_case"]


@dataclass(frozen=True)
class Sharing:
    """A case's members after a share or unshare (none: open to every therapist)."""

    case: str
    members: tuple[str, ...]
    changed: bool


def _case(ws: Workspace, db: DbSession, code: str) -> Case:
    case = find_case(db, code.strip())
    if case is None:
        raise NotFoundError(f"case {code.strip()}: no such case in {ws.label}")
    return case


def _members(db: DbSession, case_id: int) -> tuple[str, ...]:
    return tuple(
        db.scalars(
            select(Coder.name)
            .join(CaseMember, CaseMember.coder_id == Coder.id)
            .where(CaseMember.case_id == case_id)
            .order_by(Coder.name)
        )
    )


def _therapist(db: DbSession, name: str, code: str) -> Person:
    person = find_person(db, name.strip())
    if person is None:
        raise InvalidInputError(
            f"case {code}: {name.strip()} is not one of this workspace's people; an admin "
            f"adds people (vfa people add NAME --role therapist)"
        )
    if person.role is not Role.THERAPIST:
        raise InvalidInputError(
            f"case {code}: {person.name} is {with_article(person.role.value)}; a case is "
            f"shared with therapists (coders, supervisors and admins see every case already)"
        )
    return person


def share_case(ws: Workspace, code: str, person: str, who: str | None = None) -> Sharing:
    """Share a case with a therapist (a supervisor, an admin, or a therapist who sees the
    case may; a therapist sharing a case open to all becomes a member too, so it stays
    theirs)."""
    with ws.writes.begin() as db:
        sharer = require(db, Act.ADD_CLIPS, who)
        case = _case(ws, db, code)
        check_case(db, case.id, who, f"case {case.code}")
        therapist = _therapist(db, person, case.code)
        members = _members(db, case.id)
        add = [therapist] if therapist.name not in members else []
        if (
            sharer is not None
            and sharer.role is Role.THERAPIST
            and not members
            and sharer.name != therapist.name
        ):
            add.append(sharer)
        for member in add:
            db.add(CaseMember(case_id=case.id, coder_id=member.id))
            detail = {"code": case.code, "person": member.name}
            record(db, "share", "case", case.id, detail, case_id=case.id)
        db.flush()
        return Sharing(case.code, _members(db, case.id), bool(add))


def unshare_case(ws: Workspace, code: str, person: str, who: str | None = None) -> Sharing:
    """Stop sharing a case with a therapist; a case left without members is open to
    every therapist again."""
    with ws.writes.begin() as db:
        require(db, Act.ADD_CLIPS, who)
        case = _case(ws, db, code)
        check_case(db, case.id, who, f"case {case.code}")
        found = find_person(db, person.strip())
        if found is None or found.name not in _members(db, case.id):
            raise InvalidInputError(
                f"case {case.code}: it is not shared with {person.strip()} "
                f"(members: {', '.join(_members(db, case.id)) or 'none'})"
            )
        db.execute(
            delete(CaseMember).where(CaseMember.case_id == case.id, CaseMember.coder_id == found.id)
        )
        detail = {"code": case.code, "person": found.name}
        record(db, "unshare", "case", case.id, detail, case_id=case.id)
        return Sharing(case.code, _members(db, case.id), True)


def case_members(ws: Workspace, code: str) -> Sharing:
    """The therapists a case is shared with (none: open to every therapist)."""
    with ws.sessions() as db:
        case = _case(ws, db, code)
        check_case(db, case.id, None, f"case {case.code}")
        return Sharing(case.code, _members(db, case.id), False)
