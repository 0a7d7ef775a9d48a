"""On a managed workspace each person codes their own runs under their own name, nobody
is made on first use, and reopening is a supervisor's act. A personal workspace keeps
its old ways: names are made as they first code."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.services.people_world import World, build_world, row_counts
from vfa.services import assignments, coding, events, imports, moments
from vfa.services.people import NotAllowedError
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import Coder, CodingRun, Role


@pytest.fixture
def world(workspace, clips) -> World:
    return build_world(workspace, clips)


def _open_run(w: World, name: str) -> int:
    with viewing_as(name):
        return coding.open_run(w.ws, w.clip, get_scheme("vfa_interaction"), name).id


def test_a_coder_cannot_rate_in_someone_elses_run(world):
    kips = get_scheme("kips")
    with viewing_as("Sue"):  # (Ann's run is submitted: a supervisor reopens it)
        coding.reopen_run(world.ws, world.ann_run, "a second look", actor="Sue")
    before = row_counts(world.ws)
    with viewing_as("Cal"), pytest.raises(NotAllowedError) as refused:
        coding.set_rating(world.ws, world.ann_run, kips, kips.ratings.items[0].id, 5)
    assert str(refused.value).startswith(f"coding run {world.ann_run} is Ann's: Cal may not")
    assert row_counts(world.ws) == before
    with viewing_as("Sue"), pytest.raises(NotAllowedError):  # a supervisor neither
        coding.set_note(world.ws, world.ann_run, kips.ratings.items[0].id, "mine now")
    with viewing_as("Ann"):  # her own: yes
        coding.set_rating(world.ws, world.ann_run, kips, kips.ratings.items[0].id, 5)


def test_hotkey_events_go_only_into_the_persons_own_run(world):
    scheme = get_scheme("vfa_interaction")
    code = next(c for c in scheme.ethogram.codes if c.kind == "point")
    table = _clip_table(world)
    run = _open_run(world, "Cal")
    before = row_counts(world.ws)
    with viewing_as("Ann"), pytest.raises(NotAllowedError) as refused:
        events.code_event(world.ws, run, scheme, code.id, None, 500, table)
    assert f"coding run {run} is Cal's: Ann may not change" in str(refused.value)
    assert row_counts(world.ws) == before
    with viewing_as("Cal"):
        made = events.code_event(world.ws, run, scheme, code.id, None, 500, table)
    with viewing_as("Ann"), pytest.raises(NotAllowedError):
        events.delete_event(world.ws, run, made.event.id)
    with viewing_as("Ann"), pytest.raises(NotAllowedError):
        events.move_event(world.ws, run, made.event.id, 0, 100, table)
    assert row_counts(world.ws)["annotation"] == before["annotation"] + 1


def test_a_coder_may_not_tag_a_moment_by_hotkey_in_a_run_of_theirs(world):
    """A moment code is a therapist's (tag moments); a coder's hotkey for one is refused."""
    vig = get_scheme("vig")
    scheme_row = _scheme_row(world, vig)
    with world.ws.writes.begin() as db:  # a VIG run of Cal's, as made before roles
        cal = db.scalar(select(Coder.id).where(Coder.name == "Cal"))
        row = CodingRun(clip_id=world.clip, scheme_id=scheme_row, coder_id=cal)
        db.add(row)
        db.flush()
        run = row.id
    before = row_counts(world.ws)
    code = next(c for c in vig.ethogram.codes if c.moment)
    with viewing_as("Cal"), pytest.raises(NotAllowedError) as refused:
        events.code_event(world.ws, run, vig, code.id, None, 500, _clip_table(world))
    assert str(refused.value).startswith("Cal is a coder: only a therapist, supervisor or admin")
    assert "may tag moments" in str(refused.value)
    assert row_counts(world.ws) == before


def test_nobody_codes_under_another_persons_name(world):
    before = row_counts(world.ws)
    with viewing_as("Cal"), pytest.raises(NotAllowedError) as refused:
        coding.open_run(world.ws, world.clip, get_scheme("kips"), "Ann")
    assert str(refused.value).startswith("Cal may not code as Ann")
    with viewing_as("Tia"), pytest.raises(NotAllowedError):
        moments.add_moment(world.ws, world.clip, ["vig:waiting"], 0, 1_000, coder="Ada")
    assert row_counts(world.ws) == before


def test_a_name_first_met_is_refused_not_made(world, clips):
    before = row_counts(world.ws)
    with viewing_as("Sue"), pytest.raises(NotAllowedError) as refused:
        assignments.assign(world.ws, [world.clip], "vig", ["Nobody"], by="Sue")
    assert str(refused.value).startswith("Nobody is not one of this workspace's people")
    assert "vfa people add NAME --role ROLE" in str(refused.value)
    with pytest.raises(NotAllowedError):
        coding.ensure_coder(world.ws, "Nobody")
    assert row_counts(world.ws) == before
    with world.ws.sessions() as db:
        assert db.scalar(select(Coder).where(Coder.name == "Nobody")) is None


def _import_plan(w: World, coder: str):
    from tests.services.test_imports import EVENTS, document
    from vfa.services.imports import ImportOptions, plan_document

    doc = document(*EVENTS, media=w.file.name, coder=coder)
    return plan_document(w.ws, doc, ImportOptions(), "/data/coding.boris", "0" * 64)


def test_an_import_naming_someone_not_of_the_people_is_refused(world):
    with viewing_as("Sue"):
        plan = _import_plan(world, "Zed")
        assert not plan.refusals
        before = row_counts(world.ws)
        with pytest.raises(NotAllowedError) as refused:
            imports.run_import(world.ws, plan)
    assert str(refused.value).startswith("Zed is not one of this workspace's people")
    assert row_counts(world.ws) == before


def test_a_coder_imports_their_own_coding_only(world):
    with viewing_as("Cal"):
        plan = _import_plan(world, "Ann")
        before = row_counts(world.ws)
        with pytest.raises(NotAllowedError) as refused:
            imports.run_import(world.ws, plan)
        assert "holds Ann's coding and Cal is a coder" in str(refused.value)
        assert row_counts(world.ws) == before
        imports.run_import(world.ws, _import_plan(world, "Cal"))  # their own: yes
    with viewing_as("Sue"):  # a supervisor brings in anyone's
        imports.run_import(world.ws, _import_plan(world, "Ben"))


def test_reopening_is_a_supervisors_act(world):
    with viewing_as("Ann"), pytest.raises(NotAllowedError) as refused:
        coding.reopen_run(world.ws, world.ann_run, "typo", actor="Ann")
    assert str(refused.value).startswith("Ann is a coder: only a supervisor or admin may assign")
    with viewing_as("Sue"):
        coding.reopen_run(world.ws, world.ann_run, "typo", actor="Sue")
    assert coding.run_info(world.ws, world.ann_run).status.value == "in_progress"


def test_submitting_is_the_runs_own_coders(world):
    with viewing_as("Sue"):
        coding.reopen_run(world.ws, world.ben_run, "look again", actor="Sue")
    with viewing_as("Ann"), pytest.raises(NotAllowedError):
        coding.submit_run(world.ws, world.ben_run, actor="Ann")
    with viewing_as("Ben"):
        coding.submit_run(world.ws, world.ben_run, actor="Ben")


def test_on_a_personal_workspace_a_name_is_made_as_it_first_codes(workspace, clips):
    world = build_world(workspace, clips, managed=False)
    kips = get_scheme("kips")
    with viewing_as("Zed"):
        coding.open_run(world.ws, world.clip, kips, "Zed")
    with world.ws.sessions() as db:
        zed = db.scalar(select(Coder).where(Coder.name == "Zed"))
        assert zed is not None and zed.role is Role.CODER
    # anyone reopens, and writes into anyone's run, as before roles
    with viewing_as("Zed"):
        coding.reopen_run(world.ws, world.ann_run, "look", actor="Zed")
        coding.set_rating(world.ws, world.ann_run, kips, kips.ratings.items[0].id, 4)


def _clip_table(w: World):
    from vfa.services.clips import clip_info

    with viewing_as("Ada"):
        return clip_info(w.ws, w.clip).frame_table


def _scheme_row(w: World, scheme) -> int:
    from vfa.services.schemes import register_scheme

    return register_scheme(w.ws, scheme)


def test_someone_first_met_tagging_moments_is_recorded_as_a_therapist(workspace, clips):
    """(So that once the workspace is managed they may go on tagging them.)"""
    world = build_world(workspace, clips, managed=False)
    moments.add_moment(world.ws, world.clip, ["vig:waiting"], 0, 1_000, coder="Tess")
    with viewing_as("Kim"):
        coding.open_run(world.ws, world.clip, get_scheme("vipp_sd"), "Kim")
        coding.open_run(world.ws, world.clip, get_scheme("kips"), "Kim")  # (known now)
        coding.open_run(world.ws, world.clip, get_scheme("kips"), "Lou")
    with world.ws.sessions() as db:
        roles = {name: role for name, role in db.execute(select(Coder.name, Coder.role))}
    assert (roles["Tess"], roles["Kim"], roles["Lou"]) == (
        Role.THERAPIST,
        Role.THERAPIST,
        Role.CODER,
    )
