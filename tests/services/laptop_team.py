"""The laptop workflow on a real team workspace: the team of ``merge_world`` (Ann and Ben
code clip X blind, Tess has a moment for feedback on Z) on its own PostgreSQL database set
up with ``vfa team init``, each person with a login of their own (unique names: roles are
shared by the server's databases), and helpers to code on a laptop as the coder would."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, make_url, select

from tests.services.merge_world import Team as World
from tests.services.merge_world import build_team, run_of
from tests.storage.team_world import Team
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry
from vfa.storage.workspace import Workspace, open_workspace

PEOPLE = {
    "Ada": "admin",
    "Sue": "supervisor",
    "Ann": "coder",
    "Ben": "coder",
    "Tess": "therapist",
}


@dataclass
class LaptopTeam:
    """The team database (owner's URL, each person's login) and the world's ids."""

    team: Team
    world: World  # its workspace is closed: open one as a person or as the owner

    def url_of(self, person: str) -> str:
        """The workspace's URL as that person's login."""
        return self.team.url_of(person)

    def owner(self) -> Workspace:
        """The workspace as its owner (whom the policies do not restrict)."""
        return self.team.owner()


@contextmanager
def laptop_team(pg_database: str, clips: dict[str, Path]) -> Iterator[LaptopTeam]:
    """A team workspace on ``pg_database`` holding ``merge_world``'s team, each person
    given a login; the logins are dropped afterwards."""
    from vfa.services.team import add_person_login
    from vfa.storage.team import init_team

    init_team(pg_database)
    team = Team(pg_database, str(make_url(pg_database).database))
    suffix = uuid.uuid4().hex[:8]
    ws = open_workspace(pg_database)
    try:
        world = build_team(ws, clips)  # by the owner, before the team has an admin
        for name, role in PEOPLE.items():
            team.logins[name] = f"{name.lower()}_{suffix}"
            add_person_login(ws, name, role, team.logins[name])
    finally:
        ws.close()
    world.ws = None  # type: ignore[assignment]
    try:
        yield LaptopTeam(team, world)
    finally:
        drop_logins(team)


def drop_logins(team: Team) -> None:
    """Drop the team's database and every login it made."""
    admin = create_engine(make_url(team.url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{team.database}" WITH (FORCE)')
            for login in [*team.logins.values(), *team.strays]:
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
    finally:
        admin.dispose()


def code_plainly(ws: Workspace, clip_id: int, coder: str, note: str, value: int = 4) -> None:
    """Coding as a coder does it, no moments (every VIG code tags one): a KIPS rating
    with a note."""
    kips = get_scheme("kips")
    item = kips.ratings.items[1].id
    with viewing_as(coder):
        kips_run = run_of(ws, clip_id, "kips", coder)
        coding.set_rating(ws, kips_run, kips, item, value)
        coding.set_note(ws, kips_run, item, note)


def tag_moment(ws: Workspace, clip_id: int, coder: str, at: int = 2_000) -> None:
    """A VIG code on the coder's VIG run: a moment tag."""
    vig = get_scheme("vig")
    table = clip_service.clip_info(ws, clip_id).frame_table
    with viewing_as(coder):
        run = run_of(ws, clip_id, "vig", coder)
        events.code_event(ws, run, vig, "being_attentive", "child", at, table)


def audit_count(ws: Workspace) -> int:
    """Entries in the audit trail as ``ws``'s connection sees them."""
    with ws.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(AuditEntry)) or 0)
