"""The services' role checks on a PostgreSQL workspace read the same as on a file: the
hotkey path's one statement (status, owner, role, managed), own runs, a refused act, and
a therapist's cases (the server's own policies are ``vfa team init``'s)."""

from __future__ import annotations

import pytest

from tests.services.people_world import build_world, row_counts
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.services.people import NotAllowedError
from vfa.services.reliability_runs import ratings_agreement
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.workspace import open_workspace


@pytest.fixture
def world(pg_database, clips):
    ws = open_workspace(pg_database, create=True)
    try:
        yield build_world(ws, clips)
    finally:
        ws.close()


def test_on_postgresql_a_person_codes_only_their_own_run_and_their_role_counts(world, clips):
    scheme = get_scheme("vfa_interaction")
    code = next(c for c in scheme.ethogram.codes if c.kind == "point")
    with viewing_as("Cal"):
        run = coding.open_run(world.ws, world.clip, scheme, "Cal").id
        table = clip_service.clip_info(world.ws, world.clip).frame_table
        events.code_event(world.ws, run, scheme, code.id, None, 400, table)
    before = row_counts(world.ws)
    with viewing_as("Ann"), pytest.raises(NotAllowedError) as refused:
        events.code_event(world.ws, run, scheme, code.id, None, 800, table)
    assert str(refused.value).startswith(f"coding run {run} is Cal's: Ann may not change")
    with viewing_as("Cal"), pytest.raises(NotAllowedError) as refused:
        ratings_agreement(world.ws, "kips", "Cal")
    assert str(refused.value).startswith("Cal is a coder: only a supervisor or admin may see")
    assert row_counts(world.ws) == before
    with viewing_as("Tia"):
        clip_service.add_clip(world.ws, clips["cfr25"], "FAM-2", "Visit 1")
    with viewing_as("Ada"):
        from vfa.services.people import add_person

        add_person(world.ws, "Tom", "therapist")
    with viewing_as("Tom"):
        assert [c.code for c in clip_service.catalog(world.ws)] == ["FAM-1"]
    with viewing_as("Sue"):
        assert [c.code for c in clip_service.catalog(world.ws)] == ["FAM-1", "FAM-2"]
