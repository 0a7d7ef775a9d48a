"""The reel export's and the feedback script's rules, pinned from vfa/services/
reel_export.py and docs/architecture.md ("Moments and the feedback session"): what the
reel must be before anything is written (not empty, each clip file as it was, each span
inside its clip), the files an export would replace (its clips, stills, captions beside
the clips when they cannot go inside, the handout) refused unless forced, the captions
soft by default and burned only when asked, a clip and still upright, a cancel inside a
clip, progress over three moments; the script's file (a new .pdf unless forced) and what
it says of the visit and of each moment. Most of them refuse before any encoding; the few
that encode use one short span of the generated clips."""

from __future__ import annotations

import av
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select, update

from tests.services import test_reel_export_rules
from vfa.errors import InvalidInputError, MediaError, NotFoundError
from vfa.media.cache import Cancelled
from vfa.outputs import OutputError
from vfa.services import clips as clip_service
from vfa.services import moments, reel_export
from vfa.services.consent import set_consent
from vfa.storage.models import Annotation, AuditEntry

# the fixture: the cfr25 clip of FAM-1's Visit 1, its consent covering feedback
visit = test_reel_export_rules.visit
MS = 40  # the cfr25 clip: frame k shows from 40k ms, 150 frames


def one_moment(ws, clip_id, **texts):
    """A reel moment of frames 10-14 (its still: frame 12)."""
    return moments.add_moment(
        ws, clip_id, ["vig:waiting"], 10 * MS, 15 * MS, key_ms=12 * MS, feedback=True, **texts
    )


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.fixture
def held(visit, tmp_path):
    """A one-moment reel, and a folder already holding some of an export's names."""
    ws, clip_id, session_id = visit
    one_moment(ws, clip_id, caption="You waited for her")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("01.mp4", "01.srt", "handout.pdf", "notes.txt"):
        (out / name).write_text(f"kept {name}")
    return ws, session_id, out


def stop_at_once() -> bool:
    return True  # an export that gets as far as its first moment stops there


def test_an_export_over_files_already_there_is_refused_naming_them_before_anything(held):
    ws, session_id, out = held
    for options, clashes in [
        ({}, "01.mp4, handout.pdf"),  # the captions go inside the clip: no 01.srt
        ({"soft_captions": False}, "01.mp4, handout.pdf"),
        ({"handout": False}, "01.mp4"),
    ]:
        with pytest.raises(OutputError) as refused:
            reel_export.export_reel(
                ws, session_id, "feedback", out, cancelled=stop_at_once, **options
            )
        assert str(refused.value) == (
            f"{out}: already holds {clashes}; choose an empty folder, or replace them (--force)"
        ), options
    assert sorted(p.name for p in out.iterdir()) == ["01.mp4", "01.srt", "handout.pdf", "notes.txt"]


def test_where_captions_cannot_go_inside_a_clip_its_captions_file_beside_it_counts(
    held, monkeypatch
):
    ws, session_id, out = held
    monkeypatch.setattr(reel_export, "soft_subtitles_supported", lambda: False)
    for options, clashes in [
        ({}, "01.mp4, 01.srt, handout.pdf"),  # soft captions by default: 01.srt beside
        ({"soft_captions": False}, "01.mp4, handout.pdf"),
    ]:
        with pytest.raises(OutputError) as refused:
            reel_export.export_reel(
                ws, session_id, "feedback", out, cancelled=stop_at_once, **options
            )
        assert f"{out}: already holds {clashes};" in str(refused.value), options


def test_with_force_the_export_goes_ahead_and_a_cancel_leaves_the_files_there(held):
    ws, session_id, out = held
    with pytest.raises(Cancelled):
        reel_export.export_reel(ws, session_id, "feedback", out, cancelled=stop_at_once, force=True)
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        name: f"kept {name}" for name in ("01.mp4", "01.srt", "handout.pdf", "notes.txt")
    }


def test_an_empty_reel_is_refused_saying_how_to_fill_it(visit, tmp_path):
    ws, clip_id, session_id = visit
    moments.add_moment(ws, clip_id, ["vig:waiting"], 0, 400)  # not for feedback
    words = f"session {session_id}: the reel is empty; mark moments 'for feedback' first"
    with pytest.raises(InvalidInputError) as refused:
        reel_export.export_reel(ws, session_id, "feedback", tmp_path / "out")
    assert str(refused.value) == words
    with pytest.raises(InvalidInputError) as refused:
        reel_export.export_script(ws, session_id, tmp_path / "script.pdf")
    assert str(refused.value) == words
    assert not (tmp_path / "out").exists() and not (tmp_path / "script.pdf").exists()


def test_a_clip_file_no_longer_there_is_refused_naming_the_reel_moment(workspace, clips, tmp_path):
    copy = tmp_path / "visit.mp4"
    copy.write_bytes(clips["cfr25"].read_bytes())
    added = clip_service.add_clip(workspace, copy, "FAM-1", "Visit 1")
    set_consent(workspace, added.clip_id, ["feedback"], by="Sue")
    moment = one_moment(workspace, added.clip_id)
    copy.unlink()
    check = clip_service.check_clip(workspace, added.clip_id)
    with pytest.raises(MediaError) as refused:
        reel_export.export_script(workspace, added.session_id, tmp_path / "script.pdf")
    assert str(refused.value) == f"reel moment 01 (moment {moment.id}): {check.message}"


@pytest.mark.parametrize(("end_frame", "refused"), [(149, False), (150, True)])
def test_a_span_past_the_clips_last_frame_is_refused_naming_both(
    visit,
    tmp_path,
    end_frame,
    refused,
):
    ws, clip_id, session_id = visit
    moment = one_moment(ws, clip_id)
    with ws.writes.begin() as db:  # as a span stored against another file's frames
        db.execute(update(Annotation).where(Annotation.id == moment.id).values(end_frame=end_frame))
    if not refused:  # the clip's last frame is inside it
        assert [i.moment.end_frame for i in reel_export.prepare(ws, session_id, "feedback")] == [
            149
        ]
        return
    with pytest.raises(InvalidInputError) as refusal:
        reel_export.export_script(ws, session_id, tmp_path / "script.pdf")
    assert str(refusal.value) == (
        f"reel moment 01 (moment {moment.id}): its span ends at frame 150, past the clip's "
        "last frame (149)"
    )


def test_a_script_over_an_existing_file_or_not_a_pdf_is_refused_before_the_reel_is_read(
    visit,
    tmp_path,
):
    ws, _clip_id, session_id = visit  # (its reel is empty: read, it would be refused so)
    there = tmp_path / "script.pdf"
    there.write_text("kept")
    with pytest.raises(OutputError) as refused:
        reel_export.export_script(ws, session_id, there)
    assert str(refused.value) == (
        f"{there}: a file of that name already exists; choose another name, or replace it (--force)"
    )
    with pytest.raises(OutputError) as refused:
        reel_export.export_script(ws, session_id, tmp_path / "script.txt")
    assert str(refused.value) == (
        f"{tmp_path / 'script.txt'}: the file name must end in .pdf (it has '.txt')"
    )
    assert there.read_text() == "kept" and not (tmp_path / "script.txt").exists()


@pytest.fixture
def upright(workspace, clips):
    """A reel moment of the clip filmed on its side (rotation 90, 30 fps, frame k at
    k/30 s): frames 12-23 (400-800 ms), its still frame 15, with a child line only."""
    added = clip_service.add_clip(workspace, clips["rotated"], "FAM-2", "Visit 3")
    set_consent(workspace, added.clip_id, ["feedback"], by="Sue")
    moment = moments.add_moment(
        workspace, added.clip_id, ["vig:waiting"], 400, 800, key_ms=500, feedback=True,
        child_line="I like it when you wait", comment="Ask what she noticed",
    )  # fmt: skip
    return workspace, added.session_id, moment


def test_the_script_says_the_visit_its_theme_and_each_moments_words_span_and_still(
    upright, tmp_path
):
    ws, session_id, moment = upright
    moments.edit_moment(ws, moment.id, caption="You waited for him")
    moments.set_theme(ws, session_id, "Following his lead")
    out = tmp_path / "script.pdf"
    out.write_text("an older script")
    written = reel_export.export_script(ws, session_id, out, force=True)
    assert written == out
    text = pdf_text(out)
    assert "Case FAM-2 \u00b7 Visit 3" in text and "Theme: Following his lead" in text
    # the span ends where its last frame (23) ends: 800 ms
    assert "Moment 1 \u00b7 0:00.4\u20130:00.8 \u00b7 frames 12\u201323" in text
    assert "You waited for him" in text and "\u201cI like it when you wait\u201d" in text
    assert "Comment: Ask what she noticed" in text
    (image,) = PdfReader(out).pages[0].images
    width, height = image.image.size
    assert height > width  # the still stands upright, as the clip is seen


def test_a_scheme_no_longer_installed_still_titles_the_script_by_its_id(upright, tmp_path):
    ws, session_id, _moment = upright

    def gone(scheme_id: str):
        raise NotFoundError(f"scheme {scheme_id}: not installed")

    out = reel_export.export_script(ws, session_id, tmp_path / "script.pdf", find_scheme=gone)
    assert pdf_text(out).startswith("Feedback script \u00b7 vig Case FAM-2")


def caption_cues(path) -> list[bytes]:
    """The payload of each cue of the clip's subtitle tracks."""
    with av.open(str(path)) as container:
        return [
            bytes(packet)
            for stream in container.streams.subtitles
            for packet in container.demux(stream)
            if packet.size
        ]


def bottom_difference(clip_path, index: int, still_path) -> float:
    """How far the bottom fifth of the clip's frame ``index`` is from the still's."""
    with av.open(str(clip_path)) as container:
        frame = next(f for n, f in enumerate(container.decode(video=0)) if n == index)
        picture = frame.to_ndarray(format="rgb24").astype(float)
    still = np.asarray(Image.open(still_path).convert("RGB")).astype(float)
    assert picture.shape == still.shape
    rows = picture.shape[0] // 5
    return float(np.abs(picture[-rows:] - still[-rows:]).mean())


def test_by_default_a_moment_keeps_its_caption_in_a_track_of_its_own_clip(upright, tmp_path):
    ws, session_id, _moment = upright
    done = reel_export.export_reel(ws, session_id, "feedback", tmp_path / "out")
    out = tmp_path / "out"
    assert sorted(f.name for f in done.files) == ["01.mp4", "01.png", "handout.pdf", "reel.srt"]
    with ws.sessions() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.detail["burned_captions"] is False
    # the child line stands in for the missing caption: soft, not burned into the picture
    (cue,) = caption_cues(out / "01.mp4")
    assert b"I like it when you wait" in cue
    still = Image.open(out / "01.png")
    assert still.height > still.width  # upright, as the clip is seen
    with av.open(str(out / "01.mp4")) as container:
        assert container.streams.video[0].height > container.streams.video[0].width
    assert bottom_difference(out / "01.mp4", 15 - 12, out / "01.png") < 8
    # the handout: its title, the child line under the still, the case
    assert pdf_text(out / "handout.pdf") == (
        f"{reel_export.HANDOUT_TITLE} \u201cI like it when you wait\u201d FAM-2"
    )


def test_burned_captions_are_in_the_picture_only_and_progress_grows_over_three_moments(
    visit,
    tmp_path,
):
    ws, clip_id, session_id = visit
    for start, end, caption in [(10, 15, "One"), (30, 40, "Two"), (60, 65, "Three")]:
        moments.add_moment(
            ws, clip_id, ["vig:waiting"], start * MS, end * MS, key_ms=start * MS,
            caption=caption, feedback=True,
        )  # fmt: skip
    seen: list[float] = []
    reel_export.export_reel(
        ws, session_id, "feedback", tmp_path / "out", burn_captions=True,
        soft_captions=False, handout=False, progress=seen.append,
    )  # fmt: skip
    out = tmp_path / "out"
    assert seen == sorted(seen) and seen[-1] == 1.0
    # 5 + 10 + 5 frames: the third moment's clip starts three quarters of the way
    assert any(0.75 < p < 1.0 for p in seen)
    for n in (1, 2, 3):
        assert caption_cues(out / f"0{n}.mp4") == []
        assert bottom_difference(out / f"0{n}.mp4", 0, out / f"0{n}.png") > 20


def test_a_cancel_while_a_moment_is_encoded_stops_it_and_leaves_nothing(
    visit,
    tmp_path,
):
    ws, clip_id, session_id = visit
    moments.add_moment(ws, clip_id, ["vig:waiting"], 0, 40 * MS, feedback=True)
    started: list[float] = []

    def cancelled() -> bool:
        return any(0.0 < p < 1.0 for p in started)  # once its clip is under way

    with pytest.raises(Cancelled):
        reel_export.export_reel(
            ws, session_id, "feedback", tmp_path / "out", progress=started.append,
            cancelled=cancelled,
        )  # fmt: skip
    assert all(p < 1.0 for p in started)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".vfa")] == []
