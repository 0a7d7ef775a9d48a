"""A team workspace on the throwaway PostgreSQL server: its own database, six people each
with a login of their own (unique names: roles are shared by the server's databases), and
helpers that log in as any of them with plain psycopg, as someone with `psql` would."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from sqlalchemy import create_engine, make_url

from vfa.storage.models import (
    Annotation,
    Case,
    CaseMember,
    Clip,
    Coder,
    CodingRun,
    Moment,
    Rating,
    RunStatus,
    Scheme,
    Session,
)
from vfa.storage.workspace import Workspace, open_workspace

PEOPLE = {
    "Ada": "admin",
    "Sue": "supervisor",
    "Ann": "coder",
    "Ben": "coder",
    "Tia": "therapist",
    "Tom": "therapist",
}


@dataclass
class Team:
    """The team database: its owner's URL, and each person's login."""

    url: str  # the owner's (the server's superuser here)
    database: str
    logins: dict[str, str] = field(default_factory=dict)  # person -> login
    strays: list[str] = field(default_factory=list)  # other logins the tests made

    @property
    def owner_login(self) -> str:
        """The owner's login (who ran vfa team init)."""
        login = make_url(self.url).username
        assert login is not None
        return login

    def login_url(self, login: str) -> str:
        """The workspace's URL as that login."""
        return make_url(self.url).set(username=login).render_as_string(hide_password=False)

    def url_of(self, person: str) -> str:
        """The workspace's URL as that person's login."""
        return self.login_url(self.logins[person])

    def connect(self, login: str) -> psycopg.Connection:
        """A plain psycopg connection as the login (not autocommit: roll back to undo)."""
        url = make_url(self.url)
        return psycopg.connect(
            host=url.query.get("host"),
            port=url.query.get("port"),
            dbname=self.database,
            user=login,
        )

    @contextmanager
    def as_person(self, person: str) -> Iterator[psycopg.Connection]:
        """Logged in as the person; whatever the block did is rolled back after it."""
        with self.as_login(self.logins[person]) as conn:
            yield conn

    @contextmanager
    def as_login(self, login: str) -> Iterator[psycopg.Connection]:
        """Logged in as the login; whatever the block did is rolled back after it."""
        conn = self.connect(login)
        try:
            yield conn
        finally:
            conn.rollback()
            conn.close()

    def owner(self) -> Workspace:
        """The workspace as its owner (who the policies do not restrict)."""
        return open_workspace(self.url)


def make_team(pg_url: str, people: dict[str, str] = PEOPLE) -> Team:
    """A new database set up as a team workspace, with the people added by its owner."""
    from vfa.services.team import add_person_login
    from vfa.storage.team import init_team

    suffix = uuid.uuid4().hex[:8]
    database = f"vfa_team_{suffix}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    finally:
        admin.dispose()
    url = make_url(pg_url).set(database=database).render_as_string(hide_password=False)
    team = Team(url, database)
    init_team(url)
    ws = team.owner()
    try:
        for name, role in people.items():
            login = f"{name.lower()}_{suffix}"
            team.logins[name] = login
            add_person_login(ws, name, role, login)
    finally:
        ws.close()
    return team


def drop_team(pg_url: str, team: Team) -> None:
    """Drop the database and every login the team made."""
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{team.database}" WITH (FORCE)')
            for login in [*team.logins.values(), *team.strays]:
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
    finally:
        admin.dispose()


# -- the team's data, written by the owner -------------------------------------------------


@dataclass(frozen=True)
class BlindClip:
    """A clip Ann and Ben code blind with one scheme, Tia's open moment run on it."""

    clip: int
    ann_run: int
    ben_run: int
    tia_run: int
    ann_events: tuple[int, ...]
    ben_events: tuple[int, ...]
    tia_events: tuple[int, ...]
    ann_ratings: tuple[int, ...]
    ben_ratings: tuple[int, ...]


def add_case(ws: Workspace, code: str, members: tuple[str, ...] = ()) -> int:
    """A case with one session; its id. ``members``: the therapists it is shared with."""
    with ws.writes.begin() as db:
        case = Case(code=code)
        db.add(case)
        db.flush()
        db.add(Session(case_id=case.id, label="Visit 1"))
        for name in members:
            coder = db.query(Coder).filter_by(name=name).one()
            db.add(CaseMember(case_id=case.id, coder_id=coder.id))
        return case.id


def add_clip(ws: Workspace, case_code: str) -> int:
    """A clip row (no video behind it: the policies never look at files) in the case."""
    with ws.writes.begin() as db:
        session = (
            db.query(Session).join(Case, Case.id == Session.case_id).filter(Case.code == case_code)
        ).first()
        assert session is not None
        clip = Clip(
            session_id=session.id,
            path=f"/videos/{uuid.uuid4().hex}.mp4",
            fingerprint=uuid.uuid4().hex,
            file_size=1000,
            file_mtime_ns=0,
            duration_ms=10_000,
            frame_count=250,
            fps=25.0,
            vfr=False,
            width=640,
            height=480,
            has_audio=False,
            codec="h264",
            frame_table=b"",
        )
        db.add(clip)
        db.flush()
        return clip.id


def scheme_row(ws: Workspace, key: str = "kips") -> int:
    """A scheme row of that key (made once)."""
    with ws.writes.begin() as db:
        row = db.query(Scheme).filter_by(scheme_key=key).first()
        if row is None:
            row = Scheme(scheme_key=key, version="1", content_hash=key, name=key, content={})
            db.add(row)
            db.flush()
        return row.id


def add_run(
    ws: Workspace,
    clip: int,
    person: str,
    *,
    blind: bool,
    status: RunStatus,
    scheme: str = "kips",
    content: str = "",
    moments: bool = False,
) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """A run with two events (moments, if asked) and two ratings whose texts start with
    ``content``."""
    scheme_id = scheme_row(ws, scheme)
    with ws.writes.begin() as db:
        coder = db.query(Coder).filter_by(name=person).one()
        run = CodingRun(
            clip_id=clip,
            scheme_id=scheme_id,
            coder_id=coder.id,
            blind=blind,
            status=status,
            submitted_at=dt.datetime.now(dt.UTC) if status is RunStatus.SUBMITTED else None,
        )
        db.add(run)
        db.flush()
        events = [
            Annotation(
                run_id=run.id,
                code="PE",
                start_ms=t,
                end_ms=t + 500,
                start_frame=t // 40,
                end_frame=(t + 500) // 40,
                caption=f"{content}event {t}",
            )
            for t in (1_000, 4_000)
        ]
        ratings = [
            Rating(run_id=run.id, item=item, value=3.0, note=f"{content}{item}")
            for item in ("warmth", "tempo")
        ]
        db.add_all([*events, *ratings])
        db.flush()
        if moments:
            db.add_all(
                Moment(
                    annotation_id=e.id,
                    key_ms=e.start_ms,
                    key_frame=e.start_frame,
                    comment=f"{content}comment",
                )
                for e in events
            )
        return run.id, tuple(e.id for e in events), tuple(r.id for r in ratings)


def blind_clip(
    ws: Workspace, ann: RunStatus, ben: RunStatus, case_code: str = "FAM-OPEN"
) -> BlindClip:
    """A new clip coded blind by Ann and Ben, in the given states, and Tia's open run."""
    clip = add_clip(ws, case_code)
    ann_run, ann_events, ann_ratings = add_run(
        ws, clip, "Ann", blind=True, status=ann, content="ANN"
    )
    ben_run, ben_events, ben_ratings = add_run(
        ws, clip, "Ben", blind=True, status=ben, content="BEN"
    )
    tia_run, tia_events, _ = add_run(
        ws, clip, "Tia", blind=False, status=RunStatus.IN_PROGRESS, scheme="vig", content="TIA",
        moments=True,
    )  # fmt: skip
    return BlindClip(
        clip, ann_run, ben_run, tia_run, ann_events, ben_events, tia_events, ann_ratings,
        ben_ratings,
    )  # fmt: skip


def set_status(ws: Workspace, run: int, status: RunStatus) -> None:
    """The run's status, set by the owner."""
    with ws.writes.begin() as db:
        row = db.get(CodingRun, run)
        assert row is not None
        row.status = status
