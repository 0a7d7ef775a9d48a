"""The services on a team workspace opened with a person's own login: who they are comes
from the login, the acts their role allows still work, and the server refuses the rest
with a message, storing nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.storage.team_world import Team, add_case, add_clip, drop_team, make_team
from vfa.errors import InvalidInputError, RefusedByServerError
from vfa.services import assignments as asg
from vfa.services import coding
from vfa.services.audit import record
from vfa.services.people import NotAllowedError
from vfa.services.schemes import get_scheme
from vfa.services.viewer import current_viewer
from vfa.storage.models import AuditEntry, Coder, CodingRun, Rating
from vfa.storage.workspace import open_workspace


@pytest.fixture(scope="module")
def team(pg_url: str):
    made = make_team(pg_url)
    ws = made.owner()
    try:
        add_case(ws, "FAM-1")
    finally:
        ws.close()
    yield made
    drop_team(pg_url, made)


@pytest.fixture
def clip(team: Team) -> int:
    ws = team.owner()
    try:
        return add_clip(ws, "FAM-1")
    finally:
        ws.close()


def _runs_of(team: Team, clip: int, person: str) -> int:
    ws = team.owner()
    try:
        with ws.sessions() as db:
            return db.scalar(
                select(func.count())
                .select_from(CodingRun)
                .join(Coder, Coder.id == CodingRun.coder_id)
                .where(CodingRun.clip_id == clip, Coder.name == person)
            )
    finally:
        ws.close()


def test_a_login_opens_the_workspace_as_its_person_and_only_while_open(team):
    before = current_viewer()
    ws = open_workspace(team.url_of("Ann"))
    try:
        assert (ws.person, ws.login, ws.team) == ("Ann", team.logins["Ann"], True)
        assert current_viewer() == "Ann"
    finally:
        ws.close()
    assert current_viewer() == before
    owner = team.owner()  # the owner is the server's administrator, none of the people
    try:
        assert owner.person is None and owner.team and owner.login == team.owner_login
    finally:
        owner.close()


def test_a_supervisor_assigns_and_the_coder_codes_and_submits_their_own_run(team, clip):
    kips = get_scheme("kips")
    item = kips.ratings.items[0].id
    sue = open_workspace(team.url_of("Sue"))
    try:
        (run,) = asg.assign(sue, [clip], kips, ["Ann"], blind=True)
    finally:
        sue.close()
    ann = open_workspace(team.url_of("Ann"))
    try:
        coding.set_rating(ann, run.id, kips, item, 2)
        assert coding.ratings(ann, run.id)[item].value == 2
        coding.submit_run(ann, run.id)
    finally:
        ann.close()
    owner = team.owner()
    try:
        with owner.sessions() as db:
            actors = db.scalars(
                select(AuditEntry.actor)
                .where(AuditEntry.entity == "coding_run", AuditEntry.entity_id == run.id)
                .order_by(AuditEntry.id)
            ).all()
        assert actors == ["Sue", "Ann", "Ann"]  # assigned, rated, submitted: each by name
    finally:
        owner.close()


def test_a_coder_who_assigns_is_refused_and_nothing_is_stored(team, clip):
    ann = open_workspace(team.url_of("Ann"))
    try:
        with pytest.raises(InvalidInputError) as refused:
            asg.assign(ann, [clip], get_scheme("kips"), ["Ben"], blind=True)
    finally:
        ann.close()
    assert "Traceback" not in str(refused.value)
    assert _runs_of(team, clip, "Ben") == 0


def test_a_coder_cannot_rate_in_another_coders_run_through_the_services(team, clip):
    kips = get_scheme("kips")
    item = kips.ratings.items[0].id
    sue = open_workspace(team.url_of("Sue"))
    try:
        _, ben_run = asg.assign(sue, [clip], kips, ["Ann", "Ben"], blind=False)
    finally:
        sue.close()
    ann = open_workspace(team.url_of("Ann"))
    try:
        # the service says so first; plain SQL meets the server's policy (test_team_rls)
        with pytest.raises(NotAllowedError, match="may not change another person's coding"):
            coding.set_rating(ann, ben_run.id, kips, item, 3)
    finally:
        ann.close()
    owner = team.owner()
    try:
        with owner.sessions() as db:
            assert db.scalars(select(Rating).where(Rating.run_id == ben_run.id)).all() == []
    finally:
        owner.close()


def test_an_audit_entry_in_someone_elses_name_is_refused(team):
    ann = open_workspace(team.url_of("Ann"))
    try:
        refused = pytest.raises(RefusedByServerError, match=re.escape(ann.label))
        with refused, ann.writes.begin() as db:
            record(db, "note", "workspace", None, {}, actor="Ben")
        with ann.writes.begin() as db:  # in her own name: yes
            record(db, "note", "workspace", None, {})
    finally:
        ann.close()
    owner = team.owner()
    try:
        with owner.sessions() as db:
            notes = db.scalars(select(AuditEntry.actor).where(AuditEntry.action == "note")).all()
        assert notes == ["Ann"]
    finally:
        owner.close()


def test_sharing_a_case_is_audited_in_it_so_a_therapist_it_is_hidden_from_reads_nothing_of_it(
    team,
):
    from vfa.services.case_sharing import share_case, unshare_case

    owner = team.owner()
    try:
        case = add_case(owner, "FAM-SHARED", members=("Tom",))
    finally:
        owner.close()
    tom = open_workspace(team.url_of("Tom"))
    try:
        share_case(tom, "FAM-SHARED", "Tia")
        with team.as_person("Tia") as conn:  # shared with her: she reads that it was
            seen = conn.execute(
                "SELECT action FROM audit_entry WHERE entity = 'case' AND entity_id = %s",
                [case],
            ).fetchall()
            assert seen == [("share",)]
        unshare_case(tom, "FAM-SHARED", "Tia")
    finally:
        tom.close()
    about = "SELECT action, case_id FROM audit_entry WHERE entity = 'case' AND entity_id = %s"
    with team.as_person("Tia") as conn:  # no longer hers: nothing of it, its code included
        assert conn.execute(about, [case]).fetchall() == []
        assert conn.execute(
            "SELECT count(*) FROM audit_entry WHERE detail::text LIKE '%%FAM-SHARED%%'"
        ).fetchone() == (0,)
    with team.as_person("Sue") as conn:  # a supervisor reads both, placed in the case
        assert sorted(conn.execute(about, [case]).fetchall()) == [
            ("share", case),
            ("unshare", case),
        ]
