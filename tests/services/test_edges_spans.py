"""Span ends at their edges, from their definitions (services/moments.py, architecture
"Moments"): a span [start, end) in ms covers the frame shown at start through the last
frame that starts before end, must lie inside the clip [0, duration], and its still (key)
lies in [start, end); a hotkey moment spans the scheme's before/after times around the
press, within the clip; trimming keeps the still inside; reel guidance (VIG: up to 3 clips
of about 10 s) is a note beyond the count or beyond 10 s by more than half a second."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import replace

import pytest

from tests.services.test_edges_blind import add_clip_row
from vfa.cli import main
from vfa.domain.frames import FrameTable
from vfa.domain.limits import MAX_MS
from vfa.errors import InvalidInputError
from vfa.services import coding, event_reliability, events, moments
from vfa.services.schemes import get_scheme

VFR_PTS = (17, 50, 117, 150, 217, 267)  # frames of 33/67/33/67/50 ms
VFR = FrameTable(VFR_PTS, 300)
CFR = FrameTable.from_pts([k * 40 for k in range(150)], 6_000)  # 25 fps, 6 s


@pytest.fixture
def vfr_clip(workspace):
    return workspace, add_clip_row(workspace, VFR)[0]


def tag(ws, clip, start, end, **kw):
    m = moments.add_moment(ws, clip, ["vig:waiting"], start, end, coder="Tess", **kw)
    return (m.start_frame, m.end_frame, m.start_ms, m.end_ms, m.key_frame)


@pytest.mark.parametrize(
    ("start", "end", "frames"),
    [
        (117, 150, (2, 2)),  # ends on frame 3's pts: frame 3 is not in it
        (117, 151, (2, 3)),  # one ms more takes frame 3 in
        (117, 149, (2, 2)),
        (116, 150, (1, 2)),  # one ms earlier starts on the frame shown then
        (118, 150, (2, 2)),
        (200, 201, (3, 3)),  # a single ms: the frame shown then
        (0, 300, (0, 5)),  # the whole clip: 0 to its end
        (299, 300, (5, 5)),  # the clip's last ms
    ],
)
def test_a_span_covers_the_frames_shown_in_it(vfr_clip, start, end, frames):
    ws, clip = vfr_clip
    first, last, start_ms, end_ms, key = tag(ws, clip, start, end)
    assert (first, last) == frames
    assert (start_ms, end_ms) == (VFR_PTS[frames[0]], VFR_PTS[frames[1]])
    assert frames[0] <= key <= frames[1]


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (0, 301, r"the span 0–301 ms runs past the clip's end \(300 ms\)"),
        (-1, 100, r"the span -1–100 ms is empty or starts before the clip"),
        (200, 200, r"the span 200–200 ms is empty"),
        (201, 200, r"the span 201–200 ms is empty"),
        (0, MAX_MS, rf"the span 0–{MAX_MS} ms runs past the clip's end \(300 ms\)"),
    ],
)
def test_spans_one_ms_outside_the_clip_or_empty_are_refused_and_nothing_stored(
    vfr_clip, start, end, reason
):
    ws, clip = vfr_clip
    with pytest.raises(InvalidInputError, match=rf"moment on clip {clip} \(.*\): {reason}"):
        tag(ws, clip, start, end)
    assert moments.moments(ws, clip_id=clip, viewer="Tess") == []


@pytest.mark.parametrize(
    ("key", "frame"),
    [(117, 2), (149, 2), (150, 3), (216, 3)],  # the span [117, 217): frames 2 and 3
)
def test_the_still_lies_anywhere_from_the_start_to_one_ms_before_the_end(vfr_clip, key, frame):
    ws, clip = vfr_clip
    assert tag(ws, clip, 117, 217, key_ms=key)[4] == frame


@pytest.mark.parametrize("key", [116, 217])
def test_a_still_one_ms_outside_the_span_is_refused(vfr_clip, key):
    ws, clip = vfr_clip
    with pytest.raises(InvalidInputError, match=f"the key frame at {key} ms is outside the span"):
        tag(ws, clip, 117, 217, key_ms=key)


# -- a hotkey moment: VIG's 5 s before and 3 s after the press, within the clip -------------


@pytest.mark.parametrize(
    ("at", "span"),
    [
        (1_000, (0, 4_000)),  # 5 s before would be before the clip: it starts at 0
        (5_000, (0, 5_960)),  # exactly 5 s in: starts at 0; 3 s after is past the end
        (5_039, (0, 5_960)),  # still the frame at 5000 (5039 - 5000 = 39 ms into frame 0)
        (5_040, (40, 5_960)),
        (2_959, (0, 5_920)),  # 2959 + 3000 = 5959: frame 148
        (2_960, (0, 5_960)),  # 5960: the last frame
    ],
)
def test_a_hotkey_moment_spans_the_schemes_times_around_the_press(workspace, at, span):
    vig = get_scheme("vig")
    assert (vig.moments.before_ms, vig.moments.after_ms) == (5_000, 3_000)
    clip = add_clip_row(workspace, CFR)[0]
    run = coding.open_run(workspace, clip, vig, "Tess").id
    pressed_frame = CFR.index_at(at)
    made = events.code_event(workspace, run, vig, "waiting", None, at, CFR).event
    assert (made.start_ms, made.end_ms) == span
    assert (made.start_frame, made.end_frame) == (span[0] // 40, span[1] // 40)
    assert made.moment.key_frame == pressed_frame


@pytest.mark.parametrize(
    ("start", "end", "key_frame"),
    [
        (2_000, 4_000, 50),  # the still (frame 50) is the new first frame: it stays
        (2_040, 4_000, 51),  # one frame later: the still moves to the first frame
        (0, 2_000, 50),  # the new last frame is the still: it stays
        (0, 1_960, 49),  # one frame earlier: the still moves to the last frame
    ],
)
def test_trimming_keeps_the_still_inside_the_span(workspace, start, end, key_frame):
    clip = add_clip_row(workspace, CFR)[0]
    made = moments.add_moment(
        workspace, clip, ["vig:waiting"], 1_000, 5_000, key_ms=2_000, coder="Tess"
    )
    assert made.key_frame == 50
    events.move_event(workspace, made.run_id, made.id, start, end, CFR)
    moved = moments.get_moment(workspace, made.id, viewer="Tess")
    assert (moved.start_ms, moved.end_ms) == (start, end)
    assert (moved.key_frame, moved.key_ms) == (key_frame, key_frame * 40)


def test_moving_an_edge_past_the_other_leaves_one_frame(workspace):
    clip = add_clip_row(workspace, CFR)[0]
    made = moments.add_moment(workspace, clip, ["vig:waiting"], 1_000, 2_000, coder="Tess")
    events.move_event(workspace, made.run_id, made.id, 3_000, 2_000, CFR)
    moved = moments.get_moment(workspace, made.id, viewer="Tess")
    assert (moved.start_frame, moved.end_frame, moved.key_frame) == (75, 75, 75)


# -- reel guidance -------------------------------------------------------------------------


FAST = FrameTable.from_pts([k * 20 for k in range(600)], 12_000)  # 50 fps, 12 s


@pytest.mark.parametrize(
    ("end", "plays", "noted"),
    [
        # [0, end) at 50 fps plays its frames: 20 ms each
        (10_000, 10_000, False),
        (10_500, 10_500, False),  # half a second over "about 10 s": still about 10 s
        (10_501, 10_520, True),  # the next frame
    ],
)
def test_a_reel_clip_is_noted_beyond_ten_and_a_half_seconds(workspace, end, plays, noted):
    clip, session = add_clip_row(workspace, FAST)
    m = moments.add_moment(workspace, clip, ["vig:waiting"], 0, end, feedback=True, coder="Tess")
    assert m.span_ms == plays
    notes = moments.reel_guidance(workspace, session, viewer="Tess")
    assert notes == (["clip 1 runs 10.5 s; the guidance is about 10 s at most"] if noted else [])


@pytest.mark.parametrize(("count", "noted"), [(3, False), (4, True)])
def test_a_reel_is_noted_beyond_three_clips(workspace, count, noted):
    clip, session = add_clip_row(workspace, FAST)
    for n in range(count):
        moments.add_moment(
            workspace, clip, ["vig:waiting"], n * 1_000, n * 1_000 + 500, feedback=True,
            coder="Tess",
        )  # fmt: skip
    notes = moments.reel_guidance(workspace, session, viewer="Tess")
    assert notes == (["vig: 4 clips in the reel; the guidance is up to 3"] if noted else [])


# -- the command line: times are 0 to 24 h, and inside the clip -----------------------------


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse refuses a bad value before the command runs
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("before", [True, False])
def test_moment_add_refuses_a_time_past_24_hours_and_one_past_the_clip(vfr_clip, before):
    ws, clip = vfr_clip
    place = ["--workspace", str(ws.path), "--as", "Tess"]

    def add(end: int):
        command = ["moment", "add", "--clip", str(clip), "--tag", "vig:waiting",
                   "--start-ms", "0", "--end-ms", str(end)]  # fmt: skip
        return cli(*place, *command) if before else cli(*command, *place)

    code, out, err = add(MAX_MS + 1)
    assert (code, out) == (2, "")
    assert f"argument --end-ms: '{MAX_MS + 1}' ms is outside 0 to {MAX_MS}" in err
    code, out, err = add(MAX_MS)  # a time the command takes, but past this clip's end
    assert (code, out) == (2, "")
    assert err.startswith(f"vfa: moment on clip {clip} (")
    assert f"the span 0–{MAX_MS} ms runs past the clip's end (300 ms)" in err
    assert "Traceback" not in err
    code, out, err = add(301)
    assert code == 2 and "runs past the clip's end (300 ms)" in err
    assert moments.moments(ws, clip_id=clip, viewer="Tess") == []
    code, out, err = add(300)  # the clip's end itself
    assert (code, err) == (0, "")
    assert out.startswith("moment ") and "frames 0–5" in out


@pytest.mark.parametrize(
    ("start", "end", "agreed_end"),
    [
        (1_000, None, 6_000),  # a state never stopped runs to the clip's end
        (5_999, None, 6_000),  # opened one ms before the end: a 1 ms state
        (6_000, None, None),  # opened at the very end: a point there
        (1_000, 1_000, None),  # stopped where it started: a point
        (1_000, 1_001, 1_001),
    ],
)
def test_where_a_stored_event_ends_for_agreement(start, end, agreed_end):
    assert event_reliability.state_end(start, end, 6_000) == agreed_end


@pytest.mark.parametrize(
    ("key_ms", "frame"),
    # the moment [1000, 2000) holds frames 25 to 49 (pts 1000 to 1960)
    [(999, None), (1_000, 25), (1_999, 49), (2_000, None)],
)
def test_a_new_still_must_be_a_frame_of_the_moment(workspace, key_ms, frame):
    clip = add_clip_row(workspace, CFR)[0]
    made = moments.add_moment(workspace, clip, ["vig:waiting"], 1_000, 2_000, coder="Tess")
    assert (made.start_frame, made.end_frame) == (25, 49)
    if frame is None:
        with pytest.raises(InvalidInputError, match="the key frame must lie in the moment"):
            moments.edit_moment(workspace, made.id, key_ms=key_ms)
        assert moments.get_moment(workspace, made.id).key_frame == made.key_frame
    else:
        moments.edit_moment(workspace, made.id, key_ms=key_ms)
        assert moments.get_moment(workspace, made.id).key_frame == frame


MILLI = FrameTable.from_pts(list(range(20_000)), 20_000)  # a frame a millisecond, 20 s


@pytest.mark.parametrize(("end", "noted"), [(10_500, False), (10_501, True)])
def test_the_half_second_over_is_measured_to_the_millisecond(workspace, end, noted):
    clip, session = add_clip_row(workspace, MILLI)
    m = moments.add_moment(workspace, clip, ["vig:waiting"], 0, end, feedback=True, coder="Tess")
    assert m.span_ms == end  # a frame a millisecond: it plays what it spans
    notes = moments.reel_guidance(workspace, session, viewer="Tess")
    assert notes == (["clip 1 runs 10.5 s; the guidance is about 10 s at most"] if noted else [])


def test_the_notes_give_seconds_rounded_to_a_tenth_and_the_guidance_to_a_second(workspace):
    clip, session = add_clip_row(workspace, MILLI)
    moments.add_moment(workspace, clip, ["vig:waiting"], 0, 15_060, feedback=True, coder="Tess")
    vig = get_scheme("vig")
    assert vig.moments is not None
    short = replace(vig, moments=replace(vig.moments, max_clip_ms=1_500))
    # 15.06 s reads 15.1 (to a tenth); a guidance of 1.5 s reads 2 (to a second)
    assert moments.reel_guidance(workspace, session, viewer="Tess", find=lambda _id: short) == [
        "clip 1 runs 15.1 s; the guidance is about 2 s at most"
    ]
