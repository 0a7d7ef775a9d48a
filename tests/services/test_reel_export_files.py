"""What a reel export writes and records (docs/architecture.md, "Moments and the feedback
session"), read back from the files: per reel moment, in reel order, a clip of exactly its
frames and the still of its key frame; the captions laid end to end on the reel's own
timeline; a handout of the stills; one audit entry by the person at the keyboard naming
the purpose, folder, moments and files; progress that only grows and ends at 1. The
generated clip's frame k carries the barcode k."""

from __future__ import annotations

import av
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from vfa.media.cache import Cancelled
from vfa.media.synth import read_barcode
from vfa.services import clips as clip_service
from vfa.services import moments, reel_export
from vfa.services.consent import ConsentError, set_consent
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry

MS = 40  # the cfr25 clip: frame k shows from 40k ms


@pytest.fixture
def reel(workspace, clips):
    """Two reel moments, put in the reel second first: 'waiting' (frames 10-19, a caption)
    and 'eye contact' (frames 40-44, only a child line), and one moment not in the reel."""
    ws = workspace
    added = clip_service.add_clip(ws, clips["cfr25"], "FAM-3", "Visit 2")
    set_consent(ws, added.clip_id, ["feedback"], by="Sue")
    waiting = moments.add_moment(
        ws, added.clip_id, ["vig:waiting"], 10 * MS, 20 * MS, key_ms=15 * MS,
        caption="You waited for her", feedback=True,
    )  # fmt: skip
    looking = moments.add_moment(
        ws, added.clip_id, ["vig:returning_eye_contact"], 40 * MS, 45 * MS,
        child_line="I like it when you look", feedback=True,
    )  # fmt: skip
    moments.add_moment(ws, added.clip_id, ["vig:waiting"], 60 * MS, 70 * MS)  # not in the reel
    moments.reorder_reel(ws, added.session_id, [looking.id, waiting.id])
    return ws, added.session_id, looking, waiting


def frames_of(path) -> list[int | None]:
    with av.open(str(path)) as container:
        return [read_barcode(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]


def still_of(path) -> int | None:
    return read_barcode(np.asarray(Image.open(path).convert("RGB")))


def test_each_reel_moment_becomes_its_frames_and_its_still_in_reel_order(reel, tmp_path):
    ws, session_id, looking, waiting = reel
    done = reel_export.export_reel(ws, session_id, "feedback", tmp_path / "out")
    out = tmp_path / "out"
    assert done.folder == out and done.purpose == "feedback"
    assert done.moments == (looking.id, waiting.id)
    names = ["01.mp4", "01.png", "02.mp4", "02.png", "reel.srt", "handout.pdf"]
    assert sorted(f.name for f in done.files) == sorted(names)
    assert all(f.parent == out for f in done.files)
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert frames_of(out / "01.mp4") == list(range(40, 45))
    assert frames_of(out / "02.mp4") == list(range(10, 20))
    assert still_of(out / "01.png") == looking.key_frame
    assert still_of(out / "02.png") == 15


def test_the_captions_run_on_the_reels_own_timeline(reel, tmp_path):
    ws, session_id, _looking, _waiting = reel
    reel_export.export_reel(ws, session_id, "feedback", tmp_path / "out", handout=False)
    # the child line stands in for a missing caption; the second moment starts when the
    # first one's five frames (200 ms) have played
    assert (tmp_path / "out" / "reel.srt").read_text(encoding="utf-8") == (
        "1\n00:00:00,000 --> 00:00:00,200\nI like it when you look\n\n"
        "2\n00:00:00,200 --> 00:00:00,600\nYou waited for her\n"
    )
    assert not (tmp_path / "out" / "handout.pdf").exists()


def test_the_handout_holds_each_still_with_its_caption(reel, tmp_path):
    ws, session_id, _looking, _waiting = reel
    reel_export.export_reel(ws, session_id, "feedback", tmp_path / "out")
    page = PdfReader(tmp_path / "out" / "handout.pdf").pages[0]
    text = " ".join(page.extract_text().split())
    assert "FAM-3" in text and reel_export.HANDOUT_TITLE in text
    assert "You waited for her" in text and "I like it when you look" in text
    assert len(page.images) == 2


def test_the_export_is_recorded_once_by_the_person_at_the_keyboard(reel, tmp_path):
    ws, session_id, looking, waiting = reel
    with viewing_as("Tess"):
        reel_export.export_reel(
            ws, session_id, "feedback", tmp_path / "out", burn_captions=True, handout=False
        )
    with ws.sessions() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.actor, entry.entity, entry.entity_id) == ("Tess", "session", session_id)
    assert entry.detail == {
        "purpose": "feedback",
        "folder": str(tmp_path / "out"),
        "moments": [looking.id, waiting.id],
        "files": ["01.mp4", "01.png", "02.mp4", "02.png", "reel.srt"],
        "burned_captions": True,
    }


def test_progress_only_grows_and_ends_at_one(reel, tmp_path):
    ws, session_id, _looking, _waiting = reel
    seen: list[float] = []
    reel_export.export_reel(ws, session_id, "feedback", tmp_path / "out", progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and seen[0] >= 0.0
    # the first moment is 5 of the reel's 15 frames: its clip ends a third of the way
    # and the second one's ten frames take it the rest of the way
    assert any(0.0 < p <= 1 / 3 for p in seen) and any(p > 2 / 3 for p in seen[:-1])


def test_cancelling_between_moments_leaves_nothing_and_records_nothing(reel, tmp_path):
    ws, session_id, _looking, _waiting = reel
    asked: list[bool] = []

    def cancelled() -> bool:
        asked.append(True)
        return (tmp_path / "probe").exists()

    seen: list[float] = []

    def progress(p: float) -> None:
        seen.append(p)
        if p >= 1 / 3:  # the first moment's clip is done: stop before the second
            (tmp_path / "probe").touch()

    with pytest.raises(Cancelled):
        reel_export.export_reel(
            ws, session_id, "feedback", tmp_path / "out", progress=progress, cancelled=cancelled
        )
    assert asked and not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".vfa")] == []
    with ws.sessions() as db:
        assert db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all() == []


def test_a_purpose_the_consent_does_not_cover_is_refused_naming_the_moment(reel, tmp_path):
    ws, session_id, looking, _waiting = reel
    with pytest.raises(ConsentError) as refused:
        reel_export.export_reel(ws, session_id, "training", tmp_path / "out")
    assert f"reel moment 01 (moment {looking.id}) for training" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_the_feedback_script_is_recorded_with_its_file(reel, tmp_path):
    ws, session_id, _looking, _waiting = reel
    with viewing_as("Tess"):
        written = reel_export.export_script(ws, session_id, tmp_path / "script.pdf")
    with ws.sessions() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.actor, entry.entity_id) == ("Tess", session_id)
    assert entry.detail == {
        "purpose": "feedback",
        "file": str(written),
        "kind": "feedback script",
    }
    assert written == tmp_path / "script.pdf"
