"""Tagging and editing a strength moment, and the complete reel's blind check, pinned from
their rules: a moment keeps every tag, text and flag it was given, its event has its
code's first subject (as a key press does), only a flagged moment has a place in the reel,
the person at the keyboard codes it when nobody is named; each refusal names the moment
and the field; every tagging and edit is audited with what it was about (an edit with
what each field was and became); a complete reel is refused, naming the hidden coding,
while a blind coding of a scheme with moment tags is hidden from the viewer."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from tests.services.test_edges_blind import add_clip_row, bring_to
from vfa.errors import InvalidInputError
from vfa.services import assignments as asg
from vfa.services import coding, events, moments
from vfa.services.blind import BlindError
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry, Clip

FRAME_MS = 40  # add_clip_row's clip: 25 frames a second, 6 s
TEXTS = (("caption", "caption"), ("child_line", "child line"), ("comment", "comment"))


def audit(ws, action: str) -> list[tuple]:
    with ws.sessions() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
        return [
            (e.actor, e.entity, e.entity_id, e.detail, e.case_id, e.clip_id, e.run_id) for e in rows
        ]


def case_of(ws, clip_id: int) -> int:
    with ws.sessions() as db:
        return db.get_one(Clip, clip_id).session.case_id


def test_a_moment_keeps_its_tags_texts_and_flag_and_its_tagging_is_audited(workspace):
    clip_id, _ = add_clip_row(workspace)
    case_id = case_of(workspace, clip_id)
    tags = ["vig:waiting", "vig:wondering", "vig:naming_positively"]
    with viewing_as("Tess"):  # nobody named: the person at the keyboard codes it
        quiet = moments.add_moment(
            workspace, clip_id, tags, 1_000, 3_000,
            caption=" You waited ", child_line="I like it when you wait", comment="Show first",
        )  # fmt: skip
        flagged = moments.add_moment(
            workspace, clip_id, ["vig:wondering"], 4_000, 5_000, feedback=True
        )
    assert (quiet.coder, quiet.code, quiet.extra_tags) == (
        "Tess",
        "waiting",
        ("wondering", "naming_positively"),
    )
    assert (quiet.caption, quiet.child_line, quiet.comment) == (
        "You waited",
        "I like it when you wait",
        "Show first",
    )
    # only a flagged moment has a place in the reel: the first flagged one is first
    assert (quiet.feedback, quiet.reel_position) == (False, None)
    assert (flagged.feedback, flagged.reel_position) == (True, 1)
    assert moments.get_moment(workspace, quiet.id) == quiet
    # VIG's moment codes are of the parent and the child: the event is the parent's
    assert [(e.id, e.subject) for e in events.run_events(workspace, quiet.run_id)] == [
        (quiet.id, "parent"),
        (flagged.id, "parent"),
    ]
    run = quiet.run_id
    assert audit(workspace, "moment") == [
        ("Tess", "annotation", quiet.id, {"tags": tags, "feedback": False}, case_id, clip_id, run),
        (
            "Tess", "annotation", flagged.id, {"tags": ["vig:wondering"], "feedback": True},
            case_id, clip_id, run,
        ),
    ]  # fmt: skip


def test_a_blank_coder_is_the_person_at_the_keyboard(workspace):
    clip_id, _ = add_clip_row(workspace)
    with viewing_as("Tess"):
        m = moments.add_moment(workspace, clip_id, ["vig:waiting"], 1_000, 2_000, coder="  ")
    assert m.coder == "Tess"


def test_a_new_moments_refusals_name_the_moment(workspace):
    clip_id, _ = add_clip_row(workspace)

    def refused(tags, **texts) -> str:
        with pytest.raises(InvalidInputError) as caught:
            moments.add_moment(workspace, clip_id, tags, 1_000, 2_000, **texts)
        return str(caught.value)

    assert refused([]) == "moment: give at least one tag (SCHEME:CODE)"
    assert refused(["vipp_sd:positive_moment", "vig:waiting"]) == (
        "moment: tags from one scheme at a time, not vig, vipp_sd"
    )
    assert refused(["vfa_interaction:parent_looks_at_infant"]) == (
        "moment: vfa_interaction:parent_looks_at_infant is an event code, not a moment tag"
    )
    for keyword, field in TEXTS:
        message = refused(["vig:waiting"], **{keyword: "a\x07b"})
        assert message.startswith(f"moment: the {field} holds a control character"), message
    assert moments.moments(workspace, clip_id=clip_id) == []


def test_an_edits_refusals_name_the_moment_and_the_field(workspace):
    clip_id, _ = add_clip_row(workspace)
    m = moments.add_moment(workspace, clip_id, ["vig:waiting"], 1_000, 2_000, caption="A")
    for keyword, field in TEXTS:
        with pytest.raises(InvalidInputError) as caught:
            moments.edit_moment(workspace, m.id, **{keyword: "a\x07b"})
        assert str(caught.value).startswith(f"moment {m.id}: the {field} holds a control character")
    assert moments.get_moment(workspace, m.id) == m and audit(workspace, "edit") == []


def test_each_edit_changes_what_it_names_and_is_audited_with_before_and_after(workspace):
    clip_id, _ = add_clip_row(workspace)
    case_id = case_of(workspace, clip_id)
    m = moments.add_moment(workspace, clip_id, ["vig:waiting"], 1_000, 3_000, caption="A")
    edits = [
        {"comment": " Show this first "},
        {"caption": "B", "child_line": "I like that", "key_ms": 1_500},
        {"feedback": True},
        {"feedback": True},  # already flagged: no change, no entry, its place kept
        {"feedback": False},
    ]
    seen = []
    with viewing_as("Tess"):
        for edit in edits:
            moments.edit_moment(workspace, m.id, **edit)
            now = moments.get_moment(workspace, m.id)
            texts = (now.caption, now.child_line, now.comment)
            seen.append((*texts, now.key_frame, now.feedback, now.reel_position))
    key = m.key_frame  # the middle of the span: 2000 ms
    assert key == 2_000 // FRAME_MS
    assert seen == [
        ("A", None, "Show this first", key, False, None),  # an edit of a text flags nothing
        ("B", "I like that", "Show this first", 1_500 // FRAME_MS, False, None),
        ("B", "I like that", "Show this first", 1_500 // FRAME_MS, True, 1),
        ("B", "I like that", "Show this first", 1_500 // FRAME_MS, True, 1),
        ("B", "I like that", "Show this first", 1_500 // FRAME_MS, False, None),
    ]
    details = [
        {"before": {"comment": None}, "after": {"comment": "Show this first"}},
        {
            "before": {"caption": "A", "child_line": None, "key_frame": key},
            "after": {"caption": "B", "child_line": "I like that", "key_frame": 1_500 // FRAME_MS},
        },
        {"before": {"feedback": False}, "after": {"feedback": True}},
        {"before": {"feedback": True}, "after": {"feedback": False}},
    ]
    assert audit(workspace, "edit") == [
        ("Tess", "moment", m.id, detail, case_id, clip_id, m.run_id) for detail in details
    ]


def test_flagging_again_keeps_the_moments_place_in_the_reel(workspace):
    clip_id, session_id = add_clip_row(workspace)
    first, second = (
        moments.add_moment(workspace, clip_id, ["vig:waiting"], start, start + 500, feedback=True)
        for start in (1_000, 2_000)
    )
    moments.edit_moment(workspace, first.id, feedback=True, caption="kept first")
    assert [(m.id, m.reel_position) for m in moments.reel(workspace, session_id)] == [
        (first.id, 1),
        (second.id, 2),
    ]


# -- the complete reel: refused while a blind coding with moment tags is hidden ----------


def assert_refused(ws, session_id: int, viewer: str, coding_of: str, clip_id: int, pending):
    """The complete reel refused in the words its purpose asks for: whose coding of which
    clip is hidden from whom, and the open runs (``run N (CODER, STATUS)``, in run order)."""
    with pytest.raises(BlindError) as caught:
        moments.reel(ws, session_id, viewer, complete=True)
    runs = ", ".join(f"run {r} ({c}, {s})" for r, c, s in pending)
    assert str(caught.value) == (
        f"session {session_id}: {coding_of} coding of clip {clip_id} is hidden from "
        f"{viewer} while blind coding is open, so the reel cannot leave VFA complete; "
        f"export or print it when every blind run is submitted (pending: {runs})"
    )


def test_a_complete_reel_names_the_first_blind_moment_coding_hidden_from_the_viewer(workspace):
    clip_id, session_id = add_clip_row(workspace)
    ann, ben = asg.assign(workspace, [clip_id], get_scheme("vig"), ["Ann", "Ben"], by="Sue")
    mine = moments.add_moment(
        workspace, clip_id, ["vig:waiting"], 1_000, 2_000, feedback=True, coder="Ann"
    )
    both = [(ann.id, "Ann", "in_progress"), (ben.id, "Ben", "assigned")]
    with viewing_as("Tess"):  # whoever is at the keyboard: the viewer named is refused
        assert_refused(workspace, session_id, "Sue", "Ann's vig", clip_id, both)
    # a blind coder is refused for the other coder's run, never for their own
    assert_refused(workspace, session_id, "Ann", "Ben's vig", clip_id, both)
    assert_refused(workspace, session_id, "Ben", "Ann's vig", clip_id, both)
    # once every blind run is submitted the reel leaves complete
    coding.submit_run(workspace, ann.id, actor="Ann")
    coding.submit_run(workspace, ben.id, actor="Ben")
    assert [m.id for m in moments.reel(workspace, session_id, "Sue", complete=True)] == [mine.id]


def test_a_blind_coding_without_moment_tags_hides_no_reel_moment_but_blinds_its_coder(workspace):
    """Ann and Ben code KIPS (no moment tags) blind; Tess tagged a VIG moment openly."""
    clip_id, session_id = add_clip_row(workspace)
    ann, ben = asg.assign(workspace, [clip_id], get_scheme("kips"), ["Ann", "Ben"], by="Sue")
    tess = moments.add_moment(
        workspace, clip_id, ["vig:waiting"], 1_000, 2_000, feedback=True, coder="Tess"
    )
    bring_to(workspace, ben.id, "Ben", "in_progress", 2)
    # the supervisor sees every moment of the reel: the KIPS runs hold none
    assert [m.id for m in moments.reel(workspace, session_id, "Sue", complete=True)] == [tess.id]
    # Ann codes the clip blind: Tess's coding of it is hidden from her until the KIPS runs
    # are submitted
    both = [(ann.id, "Ann", "assigned"), (ben.id, "Ben", "in_progress")]
    assert_refused(workspace, session_id, "Ann", "Tess's vig", clip_id, both)


def test_the_refusal_names_the_hidden_coding_first_in_run_order(workspace):
    """Two clips of one session, the later clip's runs made first."""
    early, session_id = add_clip_row(workspace, label="V1")
    later, _ = add_clip_row(workspace, label="V2")
    with workspace.writes.begin() as db:
        db.execute(update(Clip).where(Clip.id == later).values(session_id=session_id))
    vig = get_scheme("vig")
    first, second = asg.assign(workspace, [later], vig, ["Ann", "Ben"], by="Sue")
    third, fourth = asg.assign(workspace, [early], vig, ["Cy", "Di"], by="Sue")
    assert first.id < second.id < third.id < fourth.id and early < later
    pending = [(first.id, "Ann", "assigned"), (second.id, "Ben", "assigned")]
    assert_refused(workspace, session_id, "Sue", "Ann's vig", later, pending)
