"""The role checks of ``vfa.services.people`` where services meet runs and coder names.

On a managed workspace (one with an admin) a person codes only their own runs: nobody
writes into another person's run, whatever their role (a supervisor assigns and reopens
runs; the coding in them is the coder's). Nobody is made on first use either: a name
that is not one of the people is refused, and an admin adds them. On a personal
workspace none of this applies (``require`` lets everyone do everything there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from vfa.services.people import (
    ALLOWED,
    Act,
    NotAllowedError,
    Person,
    is_managed,
    may,
    people,
    require,
    with_article,
)
from vfa.storage.models import Coder, CodingRun, Role
from vfa.storage.workspace import Workspace

__all__ = [
    "Roster",
    "allowed_acts",
    "check_coding_as",
    "check_known",
    "check_own_run",
    "not_a_person",
    "not_own_run",
    "refuse_stranger",
    "require_in",
    "role_refusal",
    "roster",
]


def require_in(ws: Workspace, act: Act, who: str | None = None) -> Person | None:
    """``require`` in a read of its own: for work that checks before it starts (an
    export, a search of folders) and writes later, if at all."""
    with ws.sessions() as db:
        return require(db, act, who)


@dataclass(frozen=True)
class Roster:
    """A workspace's people and whether it is managed (has an admin, so roles count)."""

    people: tuple[Person, ...]
    managed: bool

    def find(self, name: str) -> Person | None:
        """The person of that name, or None."""
        return next((p for p in self.people if p.name == name), None)


def roster(ws: Workspace) -> Roster:
    """The workspace's people by name, and whether roles are checked there."""
    with ws.sessions() as db:
        return Roster(tuple(people(db)), is_managed(db))


def allowed_acts(ws: Workspace, who: str | None = None) -> frozenset[Act]:
    """The acts ``who`` (None: the viewer) may do in the workspace (``people.may`` for
    each: every act on a personal workspace), for menus and buttons."""
    with ws.sessions() as db:
        return frozenset(act for act in Act if may(db, act, who))


def not_a_person(name: str) -> NotAllowedError:
    """The refusal of a name that is not one of a managed workspace's people."""
    return NotAllowedError(
        f"{name} is not one of this workspace's people (nobody is added on first use "
        f"once a workspace has an admin); an admin adds people (vfa people add NAME --role ROLE)"
    )


def not_own_run(run_id: int, owner: str, person: str) -> NotAllowedError:
    """The refusal of an edit of someone else's run."""
    return NotAllowedError(
        f"coding run {run_id} is {owner}'s: {person} may not change another person's "
        f"coding (each person codes their own runs; a supervisor assigns and reopens them)"
    )


def role_refusal(name: str, role: Role, act: Act) -> NotAllowedError:
    """The refusal of an act the person's role does not allow (as ``people.require``)."""
    roles = [r.value for r in Role if r in ALLOWED[act]]
    who_may = roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " or " + roles[-1]
    return NotAllowedError(
        f"{name} is {with_article(role.value)}: only {with_article(who_may)} may "
        f"{act.value}; an admin can change a role (vfa people role NAME ROLE)"
    )


def refuse_stranger(db: DbSession, name: str) -> None:
    """Raise NotAllowedError when the workspace is managed: a coder name it does not
    know is refused there, never made on first use."""
    if is_managed(db):
        raise not_a_person(name)


def check_known(db: DbSession, names: Iterable[str]) -> None:
    """On a managed workspace, refuse the first name that is not one of the people
    (before anything is stored for them)."""
    if not is_managed(db):
        return
    known = set(db.scalars(select(Coder.name).where(Coder.name.in_(list(names)))))
    for name in names:
        if name not in known:
            raise not_a_person(name)


def check_own_run(db: DbSession, run_id: int, who: str | None = None, act: Act = Act.CODE) -> None:
    """On a managed workspace: ``who`` (None: the viewer) may do ``act`` and the run is
    theirs (NotAllowedError otherwise; a missing run is left to the caller to name)."""
    person = require(db, act, who)
    if person is None:
        return
    owner = db.scalar(
        select(Coder.name)
        .join(CodingRun, CodingRun.coder_id == Coder.id)
        .where(CodingRun.id == run_id)
    )
    if owner is not None and owner != person.name:
        raise not_own_run(run_id, owner, person.name)


def check_coding_as(
    db: DbSession, coder: str, who: str | None = None, act: Act = Act.CODE
) -> Person | None:
    """On a managed workspace: ``who`` may do ``act`` and codes under their own name
    (``coder``), not another person's. The person, or None on a personal workspace."""
    person = require(db, act, who)
    if person is not None and coder.strip() != person.name:
        raise NotAllowedError(
            f"{person.name} may not code as {coder.strip()}: each person codes under "
            f"their own name on this workspace"
        )
    return person
