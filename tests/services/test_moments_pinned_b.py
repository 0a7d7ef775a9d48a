"""A visit's reel and its moments as they are read and put in order: each visit's reel
numbered on its own from place 1, flagging appending after its last place, a reorder of
the whole reel writing places 1 to n (audited as the reel's), moments in time order, a
moment stored without an end read as a point, the blind rule applied to the viewer named
(and its refusal naming whose coding it hides), and refusals naming what is missing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.services.test_edges_blind import add_clip_row
from vfa.errors import NotFoundError
from vfa.services import assignments as asg
from vfa.services import moments
from vfa.services.blind import BlindError
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import Annotation, AuditEntry


def tag(ws, clip_id: int, at_s: int, feedback: bool = False, coder: str | None = None):
    """A VIG moment of half a second from ``at_s`` seconds."""
    return moments.add_moment(
        ws, clip_id, ["vig:waiting"], at_s * 1_000, at_s * 1_000 + 500, feedback=feedback,
        coder=coder,
    )  # fmt: skip


def places(ws, session_id: int) -> list[tuple[int, int | None]]:
    return [(m.id, m.reel_position) for m in moments.reel(ws, session_id)]


def test_each_visits_reel_is_numbered_from_one_and_flagging_appends_after_its_last(workspace):
    other_clip, other = add_clip_row(workspace, label="V2")
    theirs = [tag(workspace, other_clip, s, feedback=True).id for s in (0, 1, 2)]
    clip_id, session_id = add_clip_row(workspace, label="V1")
    first = tag(workspace, clip_id, 3, feedback=True)
    second = tag(workspace, clip_id, 1)
    assert (first.session_id, second.session_id) == (session_id, session_id)
    moments.edit_moment(workspace, second.id, feedback=True)
    assert places(workspace, session_id) == [(first.id, 1), (second.id, 2)]
    assert places(workspace, other) == [(theirs[0], 1), (theirs[1], 2), (theirs[2], 3)]


def test_reordering_the_whole_reel_numbers_it_from_one_and_is_audited(workspace):
    other_clip, _ = add_clip_row(workspace, label="V2")
    tag(workspace, other_clip, 0, feedback=True)  # another visit's reel
    clip_id, session_id = add_clip_row(workspace, label="V1")
    a, b, c = (tag(workspace, clip_id, s, feedback=True).id for s in (0, 1, 2))
    moments.edit_moment(workspace, b, feedback=False)  # its place is left empty
    assert places(workspace, session_id) == [(a, 1), (c, 3)]
    assert moments.reorder_reel(workspace, session_id, [c, a]) == [a, c]
    assert places(workspace, session_id) == [(c, 1), (a, 2)]
    with workspace.sessions() as db:
        (entry,) = db.scalars(select(AuditEntry).where(AuditEntry.action == "reorder"))
        assert (entry.entity, entry.entity_id, entry.detail) == (
            "reel",
            session_id,
            {"before": [a, c], "after": [c, a]},
        )


def test_putting_the_reel_in_the_order_it_has_stores_and_audits_nothing(workspace):
    clip_id, session_id = add_clip_row(workspace, label="V1")
    a, b = (tag(workspace, clip_id, s, feedback=True).id for s in (0, 1))
    version = moments.reel_version(workspace, session_id)
    with workspace.sessions() as db:
        entries = db.scalars(select(AuditEntry.id)).all()
    assert moments.reorder_reel(workspace, session_id, [a, b], expected_version=version) == [
        a,
        b,
    ]
    assert moments.reel_version(workspace, session_id) == version
    with workspace.sessions() as db:
        assert db.scalars(select(AuditEntry.id)).all() == entries
    moments.reorder_reel(workspace, session_id, [b, a], expected_version=version)
    assert moments.reel_version(workspace, session_id) > version


def test_a_reel_holds_only_its_own_visits_moments(workspace):
    other_clip, other = add_clip_row(workspace, label="V2")
    theirs = tag(workspace, other_clip, 0, feedback=True)
    clip_id, session_id = add_clip_row(workspace, label="V1")
    ours = tag(workspace, clip_id, 1, feedback=True)
    assert [m.id for m in moments.reel(workspace, session_id)] == [ours.id]
    assert [m.id for m in moments.reel(workspace, other)] == [theirs.id]


def test_moments_are_listed_in_time_order_and_at_one_time_as_they_were_made(workspace):
    clip_id, session_id = add_clip_row(workspace)
    late = tag(workspace, clip_id, 3)
    early = tag(workspace, clip_id, 1)
    # two coders' moments at one time: Uma's, made first, is in the later run
    tag(workspace, clip_id, 4, coder="Tess")
    same = [tag(workspace, clip_id, 2, coder=who).id for who in ("Uma", "Tess")]
    expected = [early.id, *same, late.id]
    listed = [m.id for m in moments.moments(workspace, clip_id=clip_id) if m.start_ms < 4_000]
    assert listed == expected
    by_visit = moments.moments(workspace, session_id=session_id)
    assert [m.id for m in by_visit if m.start_ms < 4_000] == expected


def test_a_moment_stored_without_an_end_is_read_as_a_point_at_its_start(workspace):
    # a restored workspace file may hold one (its events' ends are optional)
    clip_id, _ = add_clip_row(workspace)
    made = tag(workspace, clip_id, 2)
    with workspace.writes.begin() as db:
        row = db.get_one(Annotation, made.id)
        row.end_ms = row.end_frame = None
    read = moments.get_moment(workspace, made.id)
    assert (read.start_ms, read.end_ms) == (made.start_ms, made.start_ms)
    assert (read.start_frame, read.end_frame) == (made.start_frame, made.start_frame)
    assert read.span_ms == 0


@pytest.fixture
def blind_pair(workspace):
    """Ann and Ben code a clip blind with VIG; Ann has tagged a moment for feedback."""
    clip_id, session_id = add_clip_row(workspace)
    asg.assign(workspace, [clip_id], get_scheme("vig"), ["Ann", "Ben"])
    anns = tag(workspace, clip_id, 1, feedback=True, coder="Ann")
    return workspace, clip_id, session_id, anns


def test_a_moment_is_shown_by_the_blind_rule_to_the_viewer_named(blind_pair):
    ws, clip_id, _, anns = blind_pair
    with viewing_as("Ann"):  # at Ann's keyboard, Ben is still not shown her moment
        with pytest.raises(BlindError) as hidden:
            moments.get_moment(ws, anns.id, viewer="Ben")
        assert moments.get_moment(ws, anns.id, viewer="Ann") == anns
    assert f"clip {clip_id}: Ben codes this clip blind, so Ann's coding of it " in str(hidden.value)
    with pytest.raises(BlindError) as sealed:
        moments.get_moment(ws, anns.id, viewer="Sue")
    assert f"Ann's run {anns.run_id} is blind coding; it is shown only to Ann " in str(sealed.value)


def test_a_complete_reel_is_refused_naming_what_is_hidden_from_the_viewer_named(blind_pair):
    ws, clip_id, session_id, _ = blind_pair
    with viewing_as("Sue"), pytest.raises(BlindError) as refused:
        moments.reel(ws, session_id, "Ann", complete=True)
    assert str(refused.value).startswith(
        f"session {session_id}: Ben's vig coding of clip {clip_id} is hidden from Ann "
    )


def test_what_is_missing_is_named_with_the_workspace(workspace):
    with pytest.raises(NotFoundError) as no_moment:
        moments.get_moment(workspace, 99)
    assert str(no_moment.value) == f"moment 99: no such moment in {workspace.label}"
    with pytest.raises(NotFoundError) as no_session:
        moments.reel(workspace, 98)
    assert str(no_session.value) == f"session 98: no such session in {workspace.label}"
    with workspace.sessions() as db, pytest.raises(NotFoundError) as no_clip:
        moments.info_session(db, 97)
    assert str(no_clip.value) == "clip 97: no such clip"
