"""Strength moments, the reel and consent through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from vfa.domain.language import load_wordlist
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import clips as clip_service
from vfa.services import coding, consent, events, moments
from vfa.services.schemes import get_scheme
from vfa.storage.models import AuditEntry

FRAME_MS = 40  # the cfr25 clip: 25 frames a second, 6 s


@pytest.fixture
def clip(workspace, clips):
    added = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1")
    return workspace, added.clip_id, added.session_id


def test_a_span_in_ms_covers_the_frames_shown_in_it(clip):
    ws, clip_id, _ = clip
    m = moments.add_moment(ws, clip_id, ["vig:waiting"], 1_010, 3_000, caption="You waited")
    # the frame shown at 1010 ms is frame 25 (1000 ms); the last frame before 3000 is 74
    assert (m.start_frame, m.end_frame) == (1_010 // FRAME_MS, 3_000 // FRAME_MS - 1)
    assert (m.start_ms, m.end_ms) == (m.start_frame * FRAME_MS, m.end_frame * FRAME_MS)
    # the still defaults to the frame shown in the middle of the span
    assert m.key_frame == ((1_010 + 3_000) // 2) // FRAME_MS
    assert m.caption == "You waited" and m.tags == ("waiting",) and not m.feedback


def test_tags_must_be_moment_codes_of_one_scheme(clip):
    ws, clip_id, _ = clip
    with pytest.raises(InvalidInputError, match="SCHEME:CODE"):
        moments.add_moment(ws, clip_id, ["waiting"], 0, 1000)
    with pytest.raises(NotFoundError, match="no event code 'nonsense'"):
        moments.add_moment(ws, clip_id, ["vig:nonsense"], 0, 1000)
    with pytest.raises(InvalidInputError, match="one scheme"):
        moments.add_moment(ws, clip_id, ["vig:waiting", "vipp_sd:positive_moment"], 0, 1000)
    assert moments.moments(ws, clip_id=clip_id) == []


def test_a_span_past_the_clips_end_is_refused_and_nothing_is_stored(clip):
    ws, clip_id, _ = clip
    with pytest.raises(InvalidInputError, match=r"past the clip's end \(6000 ms\)"):
        moments.add_moment(ws, clip_id, ["vig:waiting"], 5_000, 7_000)
    with pytest.raises(InvalidInputError, match="outside the span"):
        moments.add_moment(ws, clip_id, ["vig:waiting"], 1_000, 2_000, key_ms=2_500)
    assert moments.moments(ws, clip_id=clip_id) == []


def test_a_hotkey_moment_has_its_key_press_frame_as_the_still(clip):
    ws, clip_id, _ = clip
    scheme = get_scheme("vig")
    run = coding.open_run(ws, clip_id, scheme, "Tess")
    table = clip_service.clip_info(ws, clip_id).frame_table
    made = events.code_event(ws, run.id, scheme, "waiting", None, 5_520, table)
    (m,) = moments.moments(ws, clip_id=clip_id)
    assert m.id == made.event.id and m.key_frame == 5_520 // FRAME_MS
    assert m.start_ms == 5_520 - scheme.moments.before_ms


def test_edits_return_the_moment_as_it_was_and_restore_puts_it_back(clip):
    ws, clip_id, _ = clip
    m = moments.add_moment(ws, clip_id, ["vig:waiting"], 1_000, 3_000)
    before = moments.edit_moment(
        ws, m.id, caption="You waited", child_line="I like it when you wait", key_ms=1_500
    )
    assert before == m
    now = moments.get_moment(ws, m.id)
    assert (now.caption, now.child_line, now.key_frame) == (
        "You waited",
        "I like it when you wait",
        1_500 // FRAME_MS,
    )
    moments.restore_moment(ws, before)
    assert moments.get_moment(ws, m.id) == m


def test_the_key_frame_stays_inside_the_moment(clip):
    ws, clip_id, _ = clip
    m = moments.add_moment(ws, clip_id, ["vig:waiting"], 1_000, 3_000, key_ms=2_800)
    with pytest.raises(InvalidInputError, match="key frame must lie in the moment"):
        moments.edit_moment(ws, m.id, key_ms=4_000)
    # trimming the span past the still moves the still to the span's new edge
    table = clip_service.clip_info(ws, clip_id).frame_table
    events.move_event(ws, m.run_id, m.id, 1_000, 2_000, table)
    assert moments.get_moment(ws, m.id).key_frame == 2_000 // FRAME_MS


def test_deleting_and_restoring_a_moment_keeps_its_caption_and_still(clip):
    ws, clip_id, _ = clip
    m = moments.add_moment(
        ws, clip_id, ["vig:waiting"], 1_000, 3_000, caption="You waited", feedback=True
    )
    gone = events.delete_event(ws, m.run_id, m.id)
    assert moments.moments(ws, clip_id=clip_id) == []
    events.restore_event(ws, m.run_id, gone)
    assert moments.get_moment(ws, m.id) == m


def test_flagging_for_feedback_builds_the_reel_in_order(clip):
    ws, clip_id, session_id = clip
    a = moments.add_moment(ws, clip_id, ["vig:waiting"], 0, 1_000)
    b = moments.add_moment(ws, clip_id, ["vig:waiting"], 2_000, 3_000, feedback=True)
    c = moments.add_moment(ws, clip_id, ["vig:waiting"], 4_000, 5_000)
    moments.edit_moment(ws, a.id, feedback=True)
    assert [m.id for m in moments.reel(ws, session_id)] == [b.id, a.id]
    previous = moments.reorder_reel(ws, session_id, [a.id, b.id])
    assert previous == [b.id, a.id]
    assert [m.id for m in moments.reel(ws, session_id)] == [a.id, b.id]
    with pytest.raises(InvalidInputError, match="once each"):
        moments.reorder_reel(ws, session_id, [a.id, c.id])
    moments.edit_moment(ws, a.id, feedback=False)
    assert [m.id for m in moments.reel(ws, session_id)] == [b.id]


def test_reel_guidance_warns_gently_beyond_three_clips_of_ten_seconds(workspace, clips):
    ws = workspace
    added = clip_service.add_clip(ws, clips["cfr25"], "FAM-2", "Visit 1")
    clip_id, session_id = added.clip_id, added.session_id
    vig = get_scheme("vig").moments
    for start in range(4):
        moments.add_moment(
            ws, clip_id, ["vig:waiting"], start * 1_000, start * 1_000 + 900, feedback=True
        )
    notes = moments.reel_guidance(ws, session_id)
    assert any(f"up to {vig.max_clips}" in n for n in notes)
    assert len(moments.reel(ws, session_id)) == 4  # a warning, never a refusal


def test_consent_is_recorded_with_its_history_and_checked_by_purpose(clip):
    ws, clip_id, _ = clip
    with pytest.raises(consent.ConsentError, match="no consent is recorded"):
        consent.require(ws, clip_id, "supervision", "export")
    consent.set_consent(ws, clip_id, ["feedback", "supervision"], by="Tess")
    assert consent.require(ws, clip_id, "supervision", "export").recorded_by == "Tess"
    with pytest.raises(consent.ConsentError, match="covers feedback, supervision, not training"):
        consent.require(ws, clip_id, "training", "export")
    consent.set_consent(ws, clip_id, ["feedback"], by="Tess")  # supervision withdrawn
    with pytest.raises(consent.ConsentError, match="not supervision"):
        consent.require(ws, clip_id, "supervision", "export")
    with pytest.raises(InvalidInputError, match="unknown purpose marketing"):
        consent.set_consent(ws, clip_id, ["marketing"])
    with ws.sessions() as db:
        actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity == "clip")).all()
    assert actions.count("consent") == 2


def test_the_language_check_underlines_deficit_wording_and_never_blocks(clip):
    ws, clip_id, _ = clip
    words = load_wordlist()
    text = "She didn't cry, but you should have waited"
    found = [text[f.start : f.end] for f in words.check(text)]
    assert found == ["didn't", "but", "should have"]
    assert all(f.hint for f in words.check(text))
    assert words.check("You waited, and she turned to you") == []
    assert words.check("buttons, failure") and words.check("buttons")[:1] == []
    # a caption with deficit wording is stored as written
    m = moments.add_moment(ws, clip_id, ["vig:waiting"], 0, 1_000, caption=text)
    assert moments.get_moment(ws, m.id).caption == text
