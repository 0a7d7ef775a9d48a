"""What assigning writes and tells: its refusals word for word, the audit entry of every
run it makes or changes, the runs it returns, the assignment list's rows and order, and a
run as ``read_run`` gives it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.services.test_assignments_rules import clip_rows
from tests.services.test_edges_blind import TABLE
from tests.services.test_edges_events import GAZE
from tests.services.test_schemes import _kips_variant
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import assignments as asg
from vfa.services import events
from vfa.services.coding import RunInfo
from vfa.services.schemes import get_scheme, load_scheme_file
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry, Clip, CodingRun, RunStatus, Session

NO_CODER = "assign: name at least one coder (an empty name was given)"


def refusal(error, *args, **kwargs):
    with pytest.raises(error) as refused:
        asg.assign(*args, **kwargs)
    return str(refused.value)


def case_of(ws, clip_id):
    with ws.sessions() as db:
        return db.get_one(Session, db.get_one(Clip, clip_id).session_id).case_id


def assign_entries(ws):
    """Every "assign" audit entry, oldest first, as (actor, entity, id, detail, place)."""
    with ws.sessions() as db:
        rows = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "assign").order_by(AuditEntry.id)
        ).all()
        return [
            (e.actor, e.entity, e.entity_id, e.detail, (e.case_id, e.clip_id, e.run_id))
            for e in rows
        ]


# -- refusals, word for word, before anything is written -----------------------------------


@pytest.mark.parametrize("coders", [[], ["Ann", "  "], [""]])
def test_no_coder_or_an_empty_coder_name_is_refused_in_its_own_words(workspace, coders):
    (clip,) = clip_rows(workspace, [("FAM-1", "V1")])
    assert refusal(InvalidInputError, workspace, [clip], get_scheme("kips"), coders) == NO_CODER
    assert asg.assignments(workspace) == []


def test_every_coder_named_twice_is_named_in_the_refusal(workspace):
    (clip,) = clip_rows(workspace, [("FAM-1", "V1")])
    coders = ["Ben", "Ann", "Cal", "Ben", "Ann "]  # names are trimmed before they are compared
    refused = refusal(InvalidInputError, workspace, [clip], get_scheme("kips"), coders)
    assert refused == "assign: coder Ann, Ben is named more than once"
    assert asg.assignments(workspace) == []


def test_assigning_no_clips_is_refused_in_its_own_words(workspace):
    refused = refusal(InvalidInputError, workspace, [], get_scheme("kips"), ["Ann"])
    assert refused == "assign: no clips given"


def test_unknown_clips_are_each_named_in_the_order_given(workspace):
    (clip,) = clip_rows(workspace, [("FAM-1", "V1")])
    refused = refusal(
        NotFoundError, workspace, [clip + 9, clip, clip + 2], get_scheme("kips"), ["Ann"]
    )
    assert refused == f"clip {clip + 9}, {clip + 2}: no such clip in {workspace.label}"
    assert asg.assignments(workspace) == []


# -- what assigning writes, audits and returns ------------------------------------------------


def test_each_new_run_is_returned_stored_as_assigned_and_audited_as_the_assigners(workspace):
    kips = get_scheme("kips")
    (clip,) = clip_rows(workspace, [("FAM-1", "V1")])
    with viewing_as("Tess"):  # whoever sits at the keyboard, the assignment is Sue's
        runs = asg.assign(workspace, [clip], kips, ["Ben", "Ann"], by="Sue")
    with workspace.sessions() as db:
        stored = {
            r.id: (r.scheme_id, r.status, r.blind)
            for r in db.scalars(select(CodingRun).where(CodingRun.clip_id == clip))
        }
    assert sorted(stored) == sorted(run.id for run in runs)
    assert all(status is RunStatus.ASSIGNED and blind for _, status, blind in stored.values())
    assert runs == [
        RunInfo(run.id, clip, stored[run.id][0], "kips", kips.version, name, RunStatus.ASSIGNED)
        for run, name in zip(runs, ["Ben", "Ann"], strict=True)
    ]
    place = case_of(workspace, clip), clip
    assert assign_entries(workspace) == [
        (
            "Sue",
            "coding_run",
            run.id,
            {"clip": clip, "scheme": "kips", "version": kips.version, "coder": name, "blind": True},
            (*place, run.id),
        )
        for run, name in zip(runs, ["Ben", "Ann"], strict=True)
    ]


def test_a_runs_blind_flag_changed_by_reassigning_is_audited_with_what_it_was(workspace):
    kips = get_scheme("kips")
    (clip,) = clip_rows(workspace, [("FAM-1", "V1")])
    (run,) = asg.assign(workspace, [clip], kips, ["Ann"], blind=False, by="Sue")
    with viewing_as("Tess"):
        asg.assign(workspace, [clip], kips, ["Ann"], blind=True, by="Sue")
        asg.assign(workspace, [clip], kips, ["Ann"], blind=True, by="Sue")  # no change
    entries = assign_entries(workspace)
    assert len(entries) == 2  # the run made, then its one change
    assert entries[1] == (
        "Sue",
        "coding_run",
        run.id,
        {"coder": "Ann", "blind": True, "blind_before": False},
        (case_of(workspace, clip), clip, run.id),
    )
    assert [a.blind for a in asg.assignments(workspace)] == [True]


# -- the assignment list -------------------------------------------------------------------


def test_the_assignment_list_names_each_runs_clip_case_session_and_scheme(workspace):
    kips = get_scheme("kips")
    clip, other = clip_rows(workspace, [("FAM-2", "V7"), ("FAM-3", "V2")])
    (run,) = asg.assign(workspace, [clip], kips, ["Ann"], blind=False)
    asg.assign(workspace, [other], kips, ["Ann"])
    assert asg.assignments(workspace)[0] == asg.Assignment(
        run.id,
        clip,
        "FAM-2-V7.mp4",  # the clip's file name (add_clip_row's path)
        "FAM-2",
        "V7",
        "kips",
        kips.version,
        "Ann",
        RunStatus.ASSIGNED,
        False,
        None,
    )


def test_a_sessions_clips_come_in_the_order_added_whoever_codes_them(workspace):
    a, b = clip_rows(workspace, [("FAM-1", "V1"), ("FAM-1", "V1")])  # both in one session
    kips = get_scheme("kips")
    asg.assign(workspace, [b], kips, ["Ann"])
    asg.assign(workspace, [a], kips, ["Ben"])
    assert [(x.clip_id, x.coder) for x in asg.assignments(workspace)] == [(a, "Ben"), (b, "Ann")]


def test_a_coders_runs_of_one_clip_come_in_the_order_they_were_assigned(workspace, tmp_path):
    kips = get_scheme("kips")
    kips_2 = load_scheme_file(_kips_variant(tmp_path, 'version: "1"', 'version: "2"'))
    a, b = clip_rows(workspace, [("FAM-1", "V1"), ("FAM-1", "V2")])
    asg.assign(workspace, [b], kips_2, ["Zed"])
    (newer,) = asg.assign(workspace, [a], kips_2, ["Ann"])  # version 2 given to Ann first
    (older,) = asg.assign(workspace, [a], kips, ["Ann"])
    for scheme in (None, "kips"):
        listed = asg.assignments(workspace, scheme=scheme)
        assert [(x.run_id, x.scheme_version) for x in listed if x.coder == "Ann"] == [
            (newer.id, "2"),
            (older.id, "1"),
        ]


# -- a run as read_run gives it ------------------------------------------------------------


def test_a_run_is_read_with_its_scheme_owner_status_and_events(workspace, tmp_path):
    path = tmp_path / "gaze.yaml"
    path.write_text(GAZE)
    gaze = load_scheme_file(path)
    (clip,) = clip_rows(workspace, [("FAM-1", "V1")])
    (run,) = asg.assign(workspace, [clip], gaze, ["Ann"])
    events.code_event(workspace, run.id, gaze, "touch", "parent", 1_000, TABLE)
    events.code_event(workspace, run.id, gaze, "look_toy", "infant", 2_000, TABLE)
    (listed,) = asg.assignments(workspace)
    view = asg.read_run(workspace, run.id, "Ann")
    assert view.run == RunInfo(run.id, clip, run.scheme_row, "gaze", "1", "Ann", listed.status)
    assert view.run.status is not None and view.blind
    assert [(e.code, e.subject, e.start_ms) for e in view.events] == [
        ("touch", "parent", 1_000),
        ("look_toy", "infant", 2_000),
    ]
    assert view.events == events.run_events(workspace, run.id, "Ann")
