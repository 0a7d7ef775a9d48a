"""People and their roles: who may do what in a workspace.

A person is a ``Coder`` row: a name, a role (therapist, coder, supervisor or admin) and,
on a team (PostgreSQL) workspace, the database login they connect as. ``ALLOWED`` is the
one table of which role may do which act; every service that acts checks it with
``require`` before it writes or reads what the role may not.

A workspace is *managed* once it has an admin. Before that it is a personal workspace:
whoever uses it may do everything, and people are added as they first code, as always.
Once managed, only the people listed may act, each as their role allows:

- on a SQLite file the checks are advisory: anyone can say they are anyone (the window
  says so), they keep honest people from acting outside their role by accident;
- on PostgreSQL the server enforces them: each person logs in as themselves, their
  login names them, and the group roles and row-level security policies of
  ``vfa team init`` hold the same rules (``vfa.storage.team``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.audit import record
from vfa.services.viewer import resolve
from vfa.storage.models import Coder, Role
from vfa.storage.workspace import Workspace


class Act(enum.StrEnum):
    """What a person does, for the permission table."""

    MANAGE_PEOPLE = "manage people"
    ADD_CLIPS = "add and change clips and cases"
    CODE = "code clips"
    ASSIGN = "assign clips and set reliability criteria"
    SEE_AGREEMENT = "see agreement across coders"
    TAG_MOMENTS = "tag moments and build reels"
    MANAGE_CONSENT = "record consent"
    EXPORT_FEEDBACK = "export for feedback to the family"
    EXPORT_DATA = "export and import coding"
    READ_AUDIT = "read the audit trail"


_ALL = frozenset(Role)
_CLINICAL = frozenset({Role.THERAPIST, Role.SUPERVISOR, Role.ADMIN})
_LEADS = frozenset({Role.SUPERVISOR, Role.ADMIN})

# which roles may do which act (an admin may do everything: a personal workspace's one
# user, or a service's lead)
ALLOWED: dict[Act, frozenset[Role]] = {
    Act.MANAGE_PEOPLE: frozenset({Role.ADMIN}),
    Act.ADD_CLIPS: _CLINICAL,
    Act.CODE: _ALL,
    Act.ASSIGN: _LEADS,
    Act.SEE_AGREEMENT: _LEADS,
    Act.TAG_MOMENTS: _CLINICAL,
    Act.MANAGE_CONSENT: _CLINICAL,
    Act.EXPORT_FEEDBACK: _CLINICAL,
    Act.EXPORT_DATA: _LEADS | {Role.CODER},
    Act.READ_AUDIT: _LEADS,
}


class NotAllowedError(InvalidInputError):
    """The person's role does not allow the act (or they are not one of the people)."""


@dataclass(frozen=True)
class Person:
    """One of a workspace's people."""

    id: int
    name: str
    role: Role
    login: str | None


def _roles_text(roles: Iterable[Role]) -> str:
    names = [r.value for r in Role if r in set(roles)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def with_article(words: str) -> str:
    """``a coder``, ``an admin``: the words with their indefinite article."""
    return f"an {words}" if words[:1] in "aeiou" else f"a {words}"


def is_managed(db: DbSession) -> bool:
    """Whether the workspace has an admin, so that roles are checked."""
    return db.scalar(select(Coder.id).where(Coder.role == Role.ADMIN).limit(1)) is not None


def people(db: DbSession) -> list[Person]:
    """Every person, by name."""
    rows = db.execute(select(Coder.id, Coder.name, Coder.role, Coder.login).order_by(Coder.name))
    return [Person(i, n, Role(r), login) for i, n, r, login in rows]


def find_person(db: DbSession, name: str) -> Person | None:
    """The person of that name (exactly as stored), or None."""
    row = db.execute(
        select(Coder.id, Coder.name, Coder.role, Coder.login).where(Coder.name == name)
    ).first()
    return Person(row[0], row[1], Role(row[2]), row[3]) if row is not None else None


def require(db: DbSession, act: Act, who: str | None = None) -> Person | None:
    """Check that ``who`` (None: the current viewer) may do ``act``; the person, or None
    on a personal (unmanaged) workspace, where everyone may do everything. Raises
    NotAllowedError naming the person, their role and who may."""
    if not is_managed(db):
        return None
    name = resolve(who)
    person = find_person(db, name)
    allowed = ALLOWED[act]
    if person is None:
        raise NotAllowedError(
            f"{name} is not one of this workspace's people, so may not {act.value}; "
            f"an admin adds people (vfa people add NAME --role ROLE)"
        )
    if person.role not in allowed:
        raise NotAllowedError(
            f"{person.name} is {with_article(person.role.value)}: only "
            f"{with_article(_roles_text(allowed))} may "
            f"{act.value}; an admin can change a role (vfa people role NAME ROLE)"
        )
    return person


def may(db: DbSession, act: Act, who: str | None = None) -> bool:
    """Whether ``who`` may do ``act`` (for menus and buttons: no error)."""
    try:
        require(db, act, who)
    except NotAllowedError:
        return False
    return True


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInputError("person: give a name")
    if len(name) > 128:
        raise InvalidInputError(f"person {name[:20]}…: a name has at most 128 characters")
    if any(ord(ch) < 32 or ch == "\x7f" for ch in name):
        raise InvalidInputError(f"person {name!r}: a name is one line of plain text")
    return name


def add_person(
    ws: Workspace, name: str, role: Role | str, login: str | None = None, who: str | None = None
) -> Person:
    """Add a person with a role (only an admin may, once the workspace has one; the first
    admin makes a personal workspace managed). A person already there keeps their row
    and gets the role and login given."""
    name = _check_name(name)
    role = _role(role)
    with ws.writes.begin() as db:
        if is_managed(db) or role is not Role.ADMIN:
            require(db, Act.MANAGE_PEOPLE, who)
        return put_person(db, name, role, login, actor=who)


def put_person(
    db: DbSession,
    name: str,
    role: Role,
    login: str | None,
    *,
    actor: str | None = None,
    noted: dict[str, Any] | None = None,
) -> Person:
    """Write a person, new or known (their role and login changed; a login of None keeps
    theirs), and audit it in the caller's transaction; ``noted``: more the entry records.
    A login that is someone else's is refused."""
    if login is not None:
        other = db.scalar(select(Coder.name).where(Coder.login == login, Coder.name != name))
        if other is not None:
            raise InvalidInputError(f"login {login}: it is already {other}'s")
    coder = db.scalar(select(Coder).where(Coder.name == name))
    before = None
    if coder is None:
        coder = Coder(name=name, role=role, login=login)
        db.add(coder)
    else:
        before = {"role": coder.role.value, "login": coder.login}
        coder.role = role
        coder.login = login if login is not None else coder.login
    db.flush()  # on a team server, its trigger grants the login its group now (or refuses)
    after = {"name": name, "role": role.value, "login": coder.login, **(noted or {})}
    record(
        db,
        "create" if before is None else "update",
        "coder",
        coder.id,
        after if before is None else {"before": before, "after": after},
        actor=actor,
    )
    return Person(coder.id, coder.name, role, coder.login)


def set_role(ws: Workspace, name: str, role: Role | str, who: str | None = None) -> Person:
    """Change a person's role (an admin only; the last admin cannot stop being one)."""
    role = _role(role)
    with ws.writes.begin() as db:
        require(db, Act.MANAGE_PEOPLE, who)
        coder = db.scalar(select(Coder).where(Coder.name == name))
        if coder is None:
            raise NotFoundError(f"person {name}: no such person in {ws.label}")
        if coder.role is Role.ADMIN and role is not Role.ADMIN:
            admins = db.scalars(select(Coder.id).where(Coder.role == Role.ADMIN)).all()
            if len(admins) == 1:
                raise InvalidInputError(
                    f"{name} is the workspace's only admin: make someone else admin first"
                )
        before = coder.role.value
        coder.role = role
        record(
            db,
            "update",
            "coder",
            coder.id,
            {"name": coder.name, "before": {"role": before}, "after": {"role": role.value}},
            actor=who,
        )
        return Person(coder.id, coder.name, role, coder.login)


def _role(role: Role | str) -> Role:
    if isinstance(role, Role):
        return role
    try:
        return Role(str(role).strip().lower())
    except ValueError:
        raise InvalidInputError(
            f"role {role}: not a role (one of {', '.join(r.value for r in Role)})"
        ) from None


def role_names() -> Sequence[str]:
    """The roles, as typed."""
    return [r.value for r in Role]
