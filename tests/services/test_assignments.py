"""Blind double coding through the services: assigning, choosing a share, the blind rule."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from vfa.errors import NotFoundError
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.services.schemes import get_scheme
from vfa.storage.models import AuditEntry, RunStatus

# (case, session): added in this order; the catalogue sorts cases by code
PLACES = [("FAM-B", "V1"), ("FAM-A", "V1"), ("FAM-B", "V2"), ("FAM-A", "V2"), ("FAM-C", "V1")]


@pytest.fixture
def kips():
    return get_scheme("kips")


@pytest.fixture
def many_clips(workspace, clips):
    """Ten clips over three cases; returns their ids in the order they were added."""
    ids = []
    for n in range(2):
        for case, session in PLACES:
            ids.append(
                clip_service.add_clip(workspace, clips["cfr25"], case, f"{session}.{n}").clip_id
            )
    return ids


def catalogue_order(ws):
    return [k.id for c in clip_service.catalog(ws) for s in c.sessions for k in s.clips]


def rate_all(ws, run_id, scheme, value=3):
    for item in scheme.ratings.items:
        coding.set_rating(ws, run_id, scheme, item.id, value)


def test_assign_makes_one_blind_run_per_clip_and_coder_and_reuses_them(workspace, many_clips, kips):
    runs = asg.assign(workspace, many_clips[:3], kips, ["Ann", "Ben"], by="Sue")
    assert [(r.clip_id, r.coder) for r in runs] == [
        (c, name) for c in many_clips[:3] for name in ("Ann", "Ben")
    ]
    assert all(r.status is RunStatus.ASSIGNED and r.scheme_id == "kips" for r in runs)
    listed = asg.assignments(workspace, scheme="kips")
    assert len(listed) == 6 and all(a.blind for a in listed)
    again = asg.assign(workspace, many_clips[:3], kips, ["Ann", "Ben"])
    assert [r.id for r in again] == [r.id for r in runs]
    # the coder's own open_run finds the assigned run
    assert coding.open_run(workspace, many_clips[0], kips, "Ann").id == runs[0].id
    with workspace.sessions() as db:
        entries = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "assign", AuditEntry.actor == "Sue")
        ).all()
    assert {e.entity_id for e in entries} == {r.id for r in runs}


def test_assigning_keeps_a_started_runs_status_and_audits_a_blind_change(
    workspace, many_clips, kips
):
    run = coding.open_run(workspace, many_clips[0], kips, "Ann")
    coding.set_rating(workspace, run.id, kips, kips.ratings.items[0].id, 4)
    (again,) = asg.assign(workspace, [many_clips[0]], kips, ["Ann"], blind=True)
    assert again.id == run.id and again.status is RunStatus.IN_PROGRESS
    (listed,) = asg.assignments(workspace, coder="Ann")
    assert listed.blind and listed.status is RunStatus.IN_PROGRESS


def test_unknown_clips_are_refused_before_anything_is_written(workspace, many_clips, kips):
    with pytest.raises(NotFoundError, match="clip 999"):
        asg.assign(workspace, [many_clips[0], 999], kips, ["Ann", "Ben"])
    assert asg.assignments(workspace) == []


def test_every_fifth_clip_in_catalogue_order(workspace, many_clips, kips):
    order = catalogue_order(workspace)
    assert order != many_clips  # the catalogue is not the order of adding
    chosen = asg.assign_share(workspace, kips, ["Ann", "Ben"], every=5)
    assert chosen == [order[4], order[9]]
    runs = asg.assignments(workspace)
    assert {(a.clip_id, a.coder) for a in runs} == {(c, n) for c in chosen for n in ("Ann", "Ben")}


def test_a_random_share_is_reproducible_with_its_seed(workspace, many_clips, kips):
    order = catalogue_order(workspace)
    expected = sorted(random.Random(7).sample(range(len(order)), 3))
    chosen = asg.assign_share(workspace, kips, ["Ann", "Ben"], fraction=0.3, seed=7)
    assert chosen == [order[n] for n in expected]
    assert asg.choose_share(order, fraction=0.3, seed=7) == chosen


def test_share_choices_are_checked(workspace, many_clips, kips):
    with pytest.raises(asg.InvalidInputError, match="not both"):
        asg.assign_share(workspace, kips, ["Ann"], every=5, fraction=0.2)
    with pytest.raises(asg.InvalidInputError, match="share"):
        asg.assign_share(workspace, kips, ["Ann"], fraction=1.5)
    with pytest.raises(asg.InvalidInputError, match="more than once"):
        asg.assign(workspace, [many_clips[0]], kips, ["Ann", "Ann"])
    assert asg.assign_share(workspace, kips, ["Ann"], every=5, clip_ids=many_clips[:4]) == []


# -- the blind rule ----------------------------------------------------------------------


@pytest.fixture
def blind_pair(workspace, many_clips, kips):
    ann, ben = asg.assign(workspace, [many_clips[0]], kips, ["Ann", "Ben"])
    rate_all(workspace, ann.id, kips, 4)
    rate_all(workspace, ben.id, kips, 3)
    return workspace, ann, ben


def test_a_blind_coder_cannot_read_the_other_run_until_both_submitted(blind_pair):
    ws, ann, ben = blind_pair
    with pytest.raises(asg.BlindError, match=f"run {ann.id} \\(Ann, in_progress\\)"):
        asg.read_run(ws, ann.id, "Ben")
    coding.submit_run(ws, ann.id)
    # Ann has submitted, but Ben's blind run is still open: neither sees the other
    with pytest.raises(asg.BlindError, match=f"run {ben.id} \\(Ben, in_progress\\)"):
        asg.read_run(ws, ann.id, "Ben")
    with pytest.raises(asg.BlindError):
        asg.read_run(ws, ben.id, "Ann")
    coding.submit_run(ws, ben.id)
    seen = asg.read_run(ws, ann.id, "Ben")
    assert {k: s.value for k, s in seen.ratings.items()} == {
        i.id: 4 for i in get_scheme("kips").ratings.items
    }
    assert asg.read_run(ws, ben.id, "Ann").run.coder == "Ben"


def test_a_coder_always_sees_their_own_run_and_a_supervisor_once_all_are_submitted(blind_pair):
    ws, ann, ben = blind_pair
    assert asg.read_run(ws, ann.id, "Ann").run.id == ann.id
    # while the blind coding is open, nobody but its coder sees a run: not a supervisor
    coding.submit_run(ws, ben.id)
    with pytest.raises(asg.BlindError, match=f"run {ann.id} \\(Ann, in_progress\\)"):
        asg.read_run(ws, ben.id, "Sue")
    # ... while everyone sees that the runs exist and how far they are
    listed = {a.run_id: a.status for a in asg.assignments(ws)}
    assert listed == {ann.id: RunStatus.IN_PROGRESS, ben.id: RunStatus.SUBMITTED}
    coding.submit_run(ws, ann.id)
    view = asg.read_run(ws, ben.id, "Sue")
    assert view.blind and view.run.coder == "Ben"
    assert {s.value for s in view.ratings.values()} == {3}


def test_a_reopened_run_hides_the_other_again(blind_pair):
    ws, ann, ben = blind_pair
    coding.submit_run(ws, ann.id)
    coding.submit_run(ws, ben.id)
    asg.read_run(ws, ann.id, "Ben")
    coding.reopen_run(ws, ann.id, "typo in item 3", actor="Ann")
    with pytest.raises(asg.BlindError, match="Ann, in_progress"):
        asg.read_run(ws, ann.id, "Ben")


def test_not_blind_runs_are_open_to_each_other(workspace, many_clips, kips):
    ann, _ben = asg.assign(workspace, [many_clips[1]], kips, ["Ann", "Ben"], blind=False)
    rate_all(workspace, ann.id, kips, 2)
    assert {s.value for s in asg.read_run(workspace, ann.id, "Ben").ratings.values()} == {2}


def test_blindness_is_per_clip(workspace, many_clips, kips):
    asg.assign(workspace, [many_clips[0]], kips, ["Ann", "Ben"])
    (other,) = asg.assign(workspace, [many_clips[1]], kips, ["Ann"], blind=False)
    rate_all(workspace, other.id, kips, 5)
    # Ben codes clip 0 blind, but has no run on clip 1
    assert asg.read_run(workspace, other.id, "Ben").run.clip_id == many_clips[1]


def test_reading_an_unknown_run_names_it(workspace):
    with pytest.raises(NotFoundError, match="coding run 42"):
        asg.read_run(workspace, 42, "Sue")
