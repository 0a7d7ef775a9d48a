"""A team workspace on PostgreSQL: a coder's checkout to a SQLite file, coded there and
merged back into PostgreSQL; a conflict there changes nothing either."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, make_url, select

from tests.services.merge_world import build_team, code_on, counts, digest, only_clip, run_of
from vfa.services import clips as clip_service
from vfa.services import events
from vfa.services.checkout import checkout
from vfa.services.merge import MergeConflictError, merge
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry, Clip
from vfa.storage.workspace import open_workspace


@pytest.fixture
def team(pg_database, clips):
    ws = open_workspace(pg_database, create=True)
    world = build_team(ws, clips)
    yield world
    ws.close()


def test_a_checkout_from_postgresql_comes_home_to_postgresql(team, tmp_path):
    made = checkout(team.ws, "Ann", tmp_path / "laptop.vfa", viewer="Ann")
    assert made.source == team.ws.label
    laptop = open_workspace(tmp_path / "laptop.vfa")
    try:
        x = only_clip(laptop, "cfr25.mp4")
        assert digest(laptop, run_of(laptop, x, "kips", "Ann")) == digest(team.ws, team.ann_kips)
        with viewing_as("Ann"):
            code_on(laptop, x, "Ann", "on the train")
        report = merge(team.ws, laptop, viewer="Ann")
        assert report.written and report.backup is None  # the server backs a team up
        for scheme in ("kips", "vig"):
            here = run_of(team.ws, team.x, scheme, "Ann")
            assert digest(team.ws, here) == digest(laptop, run_of(laptop, x, scheme, "Ann"))
        before = counts(team.ws)
        assert not merge(team.ws, laptop, viewer="Ann").written
        assert counts(team.ws) == before
    finally:
        laptop.close()


def test_a_conflict_on_postgresql_changes_nothing(team, tmp_path):
    checkout(team.ws, "Ann", tmp_path / "laptop.vfa", viewer="Ann")
    laptop = open_workspace(tmp_path / "laptop.vfa")
    try:
        with viewing_as("Ann"):
            code_on(laptop, only_clip(laptop, "cfr25.mp4"), "Ann", "on the train")
            table = clip_service.clip_info(team.ws, team.x).frame_table
            events.code_event(
                team.ws, team.ann_vig, get_scheme("vig"), "waiting", None, 3_000, table
            )
        before = counts(team.ws)
        with pytest.raises(MergeConflictError, match="Ann's coding with "):
            merge(team.ws, laptop, viewer="Ann")
        assert counts(team.ws) == before
    finally:
        laptop.close()


def test_times_are_the_same_instants_whatever_the_servers_time_zone(pg_database, clips, tmp_path):
    name = make_url(pg_database).database
    admin = create_engine(pg_database, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"ALTER DATABASE \"{name}\" SET timezone TO 'Pacific/Auckland'")
    admin.dispose()
    ws = open_workspace(pg_database, create=True)
    laptop = None
    try:
        world = build_team(ws, clips)
        checkout(ws, "Ann", tmp_path / "laptop.vfa", viewer="Ann")
        laptop = open_workspace(tmp_path / "laptop.vfa")
        with ws.sessions() as db, laptop.sessions() as there:
            added = db.get_one(Clip, world.x).added_at
            assert added.utcoffset() is not None and added.utcoffset().total_seconds() != 0
            copied = there.scalars(select(Clip.added_at)).one()
            assert copied == added.astimezone(dt.UTC).replace(tzinfo=None)  # SQLite: UTC
        with viewing_as("Ann"):
            code_on(laptop, only_clip(laptop, "cfr25.mp4"), "Ann", "on the train")
        merge(ws, laptop, viewer="Ann")
        with ws.sessions() as db, laptop.sessions() as there:
            theirs = sorted(there.scalars(select(AuditEntry.at)))
            came = [e.at for e in db.scalars(select(AuditEntry)) if "merged_from" in e.detail]
            assert sorted(t.astimezone(dt.UTC) for t in came) == [
                t.replace(tzinfo=dt.UTC) for t in theirs
            ]
    finally:
        if laptop is not None:
            laptop.close()
        ws.close()
