"""Choosing a share of clips to double-code, at its edges, and what a share's runs are."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import GAZE
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services.schemes import get_scheme, load_scheme_file
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry, Clip, Session

POOL = [11, 12, 13, 14, 15, 16, 17]  # seven clip ids in catalogue order


@pytest.mark.parametrize(
    ("every", "expected"),
    [
        (1, POOL),  # every clip
        (2, [12, 14, 16]),  # the 2nd, 4th and 6th
        (6, [16]),
        (7, [17]),  # the last one only
        (8, []),  # fewer clips than n: none
    ],
)
def test_every_nth_clip_counts_from_the_first(every, expected):
    assert asg.choose_share(POOL, every=every) == expected


def test_every_fifth_is_the_default():
    assert asg.choose_share(list(range(1, 11))) == [5, 10]


@pytest.mark.parametrize("every", [0, -1])
def test_every_below_one_is_refused_naming_it(every):
    with pytest.raises(InvalidInputError, match=f"n must be 1 or more, not {every}"):
        asg.choose_share(POOL, every=every)


@pytest.mark.parametrize(
    ("fraction", "count"),
    [
        (1.0, 7),  # a share of exactly 1 takes every clip
        (0.999, 7),
        (0.3, 2),  # 0.3 × 7 = 2.1 → 2
        (0.4, 3),  # 0.4 × 7 = 2.8 → 3
        (0.01, 1),  # 0.07 rounds to none: at least one clip
    ],
)
def test_a_share_takes_round_of_the_share_at_least_one_in_pool_order(fraction, count):
    chosen = asg.choose_share(POOL, fraction=fraction, seed=3)
    assert len(chosen) == count
    assert set(chosen) <= set(POOL)
    assert chosen == sorted(chosen, key=POOL.index)


@pytest.mark.parametrize("fraction", [0.0, -0.1, 1.0001, 2.0])
def test_a_share_outside_zero_to_one_is_refused_naming_it(fraction):
    with pytest.raises(InvalidInputError, match=f"above 0 and at most 1, not {fraction}"):
        asg.choose_share(POOL, fraction=fraction)


def test_a_share_of_no_clips_is_none():
    assert asg.choose_share([], fraction=0.5) == []
    assert asg.choose_share([], every=1) == []


def test_every_and_a_share_together_are_refused():
    with pytest.raises(InvalidInputError, match="not both"):
        asg.choose_share(POOL, every=2, fraction=0.5)


def test_a_share_is_blind_unless_said_otherwise(workspace, clips):
    kips = get_scheme("kips")
    ids = [
        clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", f"V{n}").clip_id for n in (1, 2)
    ]
    assert asg.assign_share(workspace, kips, ["Ann", "Ben"], every=1, clip_ids=[ids[0]]) == [ids[0]]
    assert asg.assign_share(workspace, kips, ["Cal"], every=1, clip_ids=[ids[1]], blind=False) == [
        ids[1]
    ]
    runs = {(a.clip_id, a.coder): a.blind for a in asg.assignments(workspace)}
    assert runs == {(ids[0], "Ann"): True, (ids[0], "Ben"): True, (ids[1], "Cal"): False}


def test_both_ways_together_are_refused_in_one_sentence():
    with pytest.raises(InvalidInputError) as refused:
        asg.choose_share(POOL, every=2, fraction=0.5)
    assert str(refused.value) == ("choose either every n-th clip or a share of the clips, not both")


# -- the catalogue's order and what assigning a share writes ----------------------------


def clip_rows(ws, places):
    """Clip rows (no video) at these (case, session label) places, in this order; a
    place named before gets the clip in its session, after the clips added since."""
    ids, sessions = [], {}
    for n, (case, label) in enumerate(places):
        later = (case, label) in sessions
        clip_id, session_id = add_clip_row(ws, case=case, label=f"{label}+{n}" if later else label)
        if later:  # moved into the earlier session, its own one dropped
            with ws.writes.begin() as db:
                db.get_one(Clip, clip_id).session_id = sessions[case, label]
                db.flush()
                db.delete(db.get_one(Session, session_id))
        sessions.setdefault((case, label), session_id)
        ids.append(clip_id)
    return ids


def test_the_catalogue_lists_cases_by_code_then_sessions_and_their_clips_as_added(workspace):
    a, b, c, d = clip_rows(
        workspace, [("FAM-2", "V1"), ("FAM-2", "V2"), ("FAM-2", "V1"), ("FAM-1", "V1")]
    )
    # FAM-1 first; in FAM-2 its first session's two clips, then the second session's
    assert asg.catalogue_clips(workspace) == [d, a, c, b]
    asg.assign(workspace, [a, b, c, d], get_scheme("kips"), ["Ann"])
    assert [x.clip_id for x in asg.assignments(workspace)] == [d, a, c, b]


def test_the_assignment_list_names_each_clips_coders_in_name_order(workspace):
    (clip,) = clip_rows(workspace, [("FAM-1", "V1")])
    runs = asg.assign(workspace, [clip], get_scheme("kips"), ["Ben", "Ann", "Cal"])
    assert [r.coder for r in runs] == ["Ben", "Ann", "Cal"]  # made in the order named
    assert [(x.coder, x.run_id) for x in asg.assignments(workspace)] == sorted(
        (r.coder, r.id) for r in runs
    )


def test_a_share_of_unknown_clips_is_refused_naming_them_before_anything_is_written(workspace):
    (clip,) = clip_rows(workspace, [("FAM-1", "V1")])
    with pytest.raises(NotFoundError) as refused:
        asg.assign_share(
            workspace, get_scheme("kips"), ["Ann"], every=1, clip_ids=[clip + 9, clip, clip + 2]
        )
    assert str(refused.value) == (f"clip {clip + 2}, {clip + 9}: no such clip in {workspace.label}")
    assert asg.assignments(workspace) == []


def test_a_share_assigned_by_a_supervisor_is_audited_as_theirs(workspace):
    clip_ids = clip_rows(workspace, [("FAM-1", "V1"), ("FAM-1", "V2")])
    with viewing_as("Tess"):  # whoever sits at the keyboard, the share is Sue's
        chosen = asg.assign_share(workspace, get_scheme("kips"), ["Ann", "Ben"], every=1, by="Sue")
    assert chosen == clip_ids
    with workspace.sessions() as db:
        entries = db.execute(
            select(AuditEntry.actor, AuditEntry.entity_id).where(AuditEntry.action == "assign")
        ).all()
    runs = {a.run_id for a in asg.assignments(workspace)}
    assert len(runs) == 4
    assert sorted(entries) == sorted(("Sue", run) for run in runs)


def test_a_scheme_named_by_id_is_looked_up_where_the_caller_says(workspace, tmp_path):
    # a scheme only the caller's library knows (not in the folders get_scheme reads)
    path = tmp_path / "gaze.yaml"
    path.write_text(GAZE)
    gaze = load_scheme_file(path)
    asked = []

    def library(scheme_id):
        asked.append(scheme_id)
        return gaze

    clip_ids = clip_rows(workspace, [("FAM-1", "V1"), ("FAM-1", "V2")])
    assert asg.assign_share(workspace, "gaze", ["Ann"], every=2, find_scheme=library) == [
        clip_ids[1]
    ]
    runs = asg.assign(workspace, clip_ids[:1], "gaze", ["Ben"], find_scheme=library)
    assert asked == ["gaze", "gaze"]
    assert [(a.clip_id, a.coder, a.scheme_id) for a in asg.assignments(workspace)] == [
        (clip_ids[0], "Ben", "gaze"),
        (clip_ids[1], "Ann", "gaze"),
    ]
    assert runs[0].scheme_id == "gaze"
