"""The blind rule for every state of both blind runs, from its definition (architecture,
"The blind rule"): a blind coding (the blind runs of one clip with one scheme) is *open*
while ANY of its runs is not submitted, whether assigned and never started, in progress,
or reopened. While it is open, each run is seen by its own coder only, and each of its
coders sees nothing of the clip but their own coding. Once every run is submitted it is
open to all."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from vfa.domain.frames import FrameTable
from vfa.services import assignments as asg
from vfa.services import coding, moments
from vfa.services.blind import BlindError, check_clip_complete
from vfa.services.schemes import get_scheme
from vfa.storage.models import Case, Clip, CodingRun, RunStatus, Session

TABLE = FrameTable.from_pts([i * 40 for i in range(150)], 6_000)  # 25 fps, 6 s

STATES = ("assigned", "in_progress", "submitted", "reopened")


def add_clip_row(ws, table: FrameTable = TABLE, case: str = "FAM-1", label: str = "V1"):
    """A clip row with the given frame table (no video file is read by these services)."""
    with ws.writes.begin() as db:
        row = db.scalar(select(Case).where(Case.code == case)) or Case(code=case)
        session = Session(case=row, label=label)
        clip = Clip(
            session=session,
            path=f"/media/{case}-{label}.mp4",
            fingerprint="f" * 16,
            file_size=1,
            file_mtime_ns=1,
            duration_ms=table.duration_ms,
            frame_count=table.frame_count,
            fps=25.0,
            vfr=False,
            width=2,
            height=2,
            has_audio=False,
            codec="h264",
            frame_table=table.to_blob(),
        )
        db.add_all([row, session, clip])
        db.flush()
        return clip.id, session.id


def bring_to(ws, run_id: int, owner: str, state: str, value: int) -> None:
    """Move a fresh blind run to ``state`` the way a coder does (its first rating starts it)."""
    kips = get_scheme("kips")
    if state != "assigned":
        coding.set_rating(ws, run_id, kips, kips.ratings.items[0].id, value)
    if state in ("submitted", "reopened"):
        coding.submit_run(ws, run_id, actor=owner)
    if state == "reopened":
        coding.reopen_run(ws, run_id, "a second look", actor=owner)
    expected = (
        RunStatus.SUBMITTED
        if state == "submitted"
        else RunStatus("assigned" if state == "assigned" else "in_progress")
    )
    assert coding.run_info(ws, run_id).status is expected


@pytest.fixture
def blind_pair(workspace):
    """Ann and Ben code clip X blind with KIPS; Tess tagged a VIG moment on X openly."""
    clip, session = add_clip_row(workspace)
    ann, ben = asg.assign(workspace, [clip], get_scheme("kips"), ["Ann", "Ben"], by="Sue")
    tess = moments.add_moment(
        workspace, clip, ["vig:waiting"], 1_000, 2_000, caption="Tess's caption",
        feedback=True, coder="Tess",
    )  # fmt: skip
    return workspace, clip, session, ann.id, ben.id, tess.id


def open_coding(mine: str, other: str) -> bool:
    """The definition: open while any blind run is not submitted (reopened is not)."""
    return mine != "submitted" or other != "submitted"


def pending(ann: int, mine: str, ben: int, other: str) -> str:
    """The open runs a refusal names, as ``run N (CODER, STATUS)``, in run order."""
    status = {"assigned": "assigned", "in_progress": "in_progress", "reopened": "in_progress"}
    runs = [(ann, "Ann", mine), (ben, "Ben", other)]
    text = ", ".join(f"run {r} ({c}, {status[s]})" for r, c, s in runs if s != "submitted")
    return re.escape(f"(pending: {text})")


@pytest.mark.parametrize("other", STATES)
@pytest.mark.parametrize("mine", STATES)
def test_the_other_coders_run_is_hidden_while_either_run_is_not_submitted(blind_pair, mine, other):
    ws, _clip, _session, ann, ben, _tess = blind_pair
    bring_to(ws, ann, "Ann", mine, 5)
    bring_to(ws, ben, "Ben", other, 2)
    kips = get_scheme("kips")
    item = kips.ratings.items[0].id
    ben_ratings = {} if other == "assigned" else {item: coding.RatingState(2, None, ())}
    reads = {
        "ratings": lambda v: coding.ratings(ws, ben, viewer=v),
        "rating_state": lambda v: coding.rating_state(ws, ben, item, viewer=v),
        "run_score": lambda v: coding.run_score(ws, ben, kips, viewer=v).total,
        "read_run": lambda v: asg.read_run(ws, ben, viewer=v).ratings,
    }
    expected = {
        "ratings": ben_ratings,
        "rating_state": ben_ratings.get(item, coding.RatingState(None, None, ())),
        "run_score": None if other == "assigned" else 2.0,
        "read_run": ben_ratings,
    }
    for viewer in ("Ann", "Sue"):  # the other blind coder; a supervisor
        for name, read in reads.items():
            if open_coding(mine, other):
                with pytest.raises(BlindError, match=pending(ann, mine, ben, other)):
                    read(viewer)
            else:
                assert read(viewer) == expected[name], (viewer, name)
    # Ben always sees his own run, whatever state either run is in
    assert coding.ratings(ws, ben, viewer="Ben") == ben_ratings


@pytest.mark.parametrize("other", STATES)
@pytest.mark.parametrize("mine", STATES)
def test_a_blind_coder_sees_nothing_else_of_the_clip_while_the_coding_is_open(
    blind_pair, mine, other
):
    ws, clip, session, ann, ben, tess = blind_pair
    bring_to(ws, ann, "Ann", mine, 5)
    bring_to(ws, ben, "Ben", other, 2)
    shown = [m.id for m in moments.moments(ws, clip_id=clip, viewer="Ann")]
    if open_coding(mine, other):
        assert shown == []
        with pytest.raises(BlindError, match=f"clip {clip}: Ann codes this clip blind"):
            moments.get_moment(ws, tess, viewer="Ann")
        assert moments.reel(ws, session, viewer="Ann") == []
    else:
        assert shown == [tess]
        assert moments.get_moment(ws, tess, viewer="Ann").caption == "Tess's caption"
        assert [m.id for m in moments.reel(ws, session, viewer="Ann")] == [tess]
    # the therapist's moment is not blind coding: a supervisor always sees it
    assert [m.id for m in moments.moments(ws, clip_id=clip, viewer="Sue")] == [tess]


def test_a_blind_run_never_started_hides_the_other_coders_submitted_run(blind_pair):
    """The case a rule of "in progress" instead of "not submitted" would let through."""
    ws, clip, _session, ann, ben, _tess = blind_pair
    bring_to(ws, ben, "Ben", "submitted", 2)
    assert coding.run_info(ws, ann).status is RunStatus.ASSIGNED
    with pytest.raises(BlindError, match=rf"pending: run {ann} \(Ann, assigned\)"):
        coding.ratings(ws, ben, viewer="Ann")
    with pytest.raises(BlindError, match=rf"pending: run {ann} \(Ann, assigned\)"):
        coding.ratings(ws, ben, viewer="Sue")
    assert moments.moments(ws, clip_id=clip, viewer="Ann") == []
    # everyone still sees that the runs exist, whose they are and their status
    listed = {(a.coder, a.status) for a in asg.assignments(ws, scheme="kips")}
    assert listed == {("Ann", RunStatus.ASSIGNED), ("Ben", RunStatus.SUBMITTED)}


@pytest.mark.parametrize("other", STATES)
@pytest.mark.parametrize("mine", STATES)
def test_agreement_waits_for_every_blind_run(blind_pair, mine, other):
    ws, clip, *_, ann, ben, _tess = blind_pair
    bring_to(ws, ann, "Ann", mine, 5)
    bring_to(ws, ben, "Ben", other, 2)
    with ws.sessions() as db:
        if open_coding(mine, other):
            with pytest.raises(BlindError, match="agreement is shown only once"):
                check_clip_complete(db, clip, "kips")
        else:
            check_clip_complete(db, clip, "kips")


def test_nobody_reopens_a_run_hidden_from_them(blind_pair):
    ws, _clip, _session, ann, ben, _tess = blind_pair
    bring_to(ws, ben, "Ben", "submitted", 2)  # Ann's run still assigned: the coding is open
    with pytest.raises(BlindError):
        coding.reopen_run(ws, ben, "looks wrong", actor="Ann")
    assert coding.run_info(ws, ben).status is RunStatus.SUBMITTED
    bring_to(ws, ann, "Ann", "submitted", 5)  # now complete: the run is no longer hidden
    coding.reopen_run(ws, ben, "looks wrong", actor="Sue")
    assert coding.run_info(ws, ben).status is RunStatus.IN_PROGRESS
    # reopening closes the coding again, for Ann as for anyone else
    with pytest.raises(BlindError):
        coding.ratings(ws, ben, viewer="Ann")


def test_an_open_run_of_the_same_coder_is_not_blind(workspace):
    """A second coder's run that is not blind hides nothing and is hidden from nobody."""
    clip, _ = add_clip_row(workspace)
    kips = get_scheme("kips")
    ann, ben = asg.assign(workspace, [clip], kips, ["Ann", "Ben"], blind=False, by="Sue")
    coding.set_rating(workspace, ben.id, kips, kips.ratings.items[0].id, 4)
    assert coding.ratings(workspace, ben.id, viewer="Ann") == {
        kips.ratings.items[0].id: coding.RatingState(4, None, ())
    }
    with workspace.sessions() as db:
        assert db.scalar(select(CodingRun.blind).where(CodingRun.id == ann.id)) is False
