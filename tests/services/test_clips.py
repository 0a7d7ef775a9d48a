"""Adding, listing, checking and relinking clips through the services."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import func, select

from vfa.errors import InvalidInputError, MediaError
from vfa.services import clips as svc
from vfa.storage.models import AuditEntry, Case, Clip, Session


def _counts(ws):
    with ws.sessions() as db:
        return tuple(
            db.scalar(select(func.count()).select_from(m))
            for m in (Case, Session, Clip, AuditEntry)
        )


def test_adding_a_clip_creates_its_case_and_session_and_stores_the_frame_table(workspace, clips):
    added = svc.add_clip(workspace, clips["vfr"], "FAM-017", "Visit 1", context="play", cycle=1)
    info = svc.clip_info(workspace, added.clip_id)
    assert (info.case_code, info.session_label) == ("FAM-017", "Visit 1")
    assert info.vfr is True
    assert info.frame_table.frame_count == len(info.frame_table.pts_ms) > 0
    assert info.path == str(clips["vfr"].resolve())
    second = svc.add_clip(workspace, clips["cfr25"], "FAM-017", "Visit 1")
    assert (second.case_id, second.session_id) == (added.case_id, added.session_id)
    assert second.clip_id != added.clip_id
    tree = svc.catalog(workspace)
    assert [c.code for c in tree] == ["FAM-017"]
    assert [k.id for k in tree[0].sessions[0].clips] == [added.clip_id, second.clip_id]
    with workspace.sessions() as db:
        actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["create", "create", "add", "add"]


def test_adding_the_same_file_twice_to_a_session_keeps_one_clip(workspace, clips):
    first = svc.add_clip(workspace, clips["ntsc"], "FAM-1", "Visit 1")
    again = svc.add_clip(workspace, clips["ntsc"], "FAM-1", "Visit 1")
    assert again.clip_id == first.clip_id and again.already_present


@pytest.mark.parametrize("code", ["", "Jane Smith", "a/b", "x" * 65, "-lead"])
def test_case_codes_must_be_pseudonymous_codes(workspace, clips, code):
    before = _counts(workspace)
    with pytest.raises(InvalidInputError, match="case code"):
        svc.add_clip(workspace, clips["ntsc"], code, "Visit 1")
    assert _counts(workspace) == before


def test_a_bad_file_changes_nothing(workspace, tmp_path):
    svc_before = _counts(workspace)
    bogus = tmp_path / "bogus.mp4"
    bogus.write_bytes(b"\x00" * 5000)
    with pytest.raises(MediaError) as err:
        svc.add_clip(workspace, bogus, "FAM-1", "Visit 1")
    assert str(bogus) in str(err.value)
    with pytest.raises(MediaError, match="not found"):
        svc.add_clip(workspace, tmp_path / "missing.mp4", "FAM-1", "Visit 1")
    assert _counts(workspace) == svc_before


def test_a_missing_file_is_reported_and_found_again_in_a_folder(workspace, clips, tmp_path):
    original = tmp_path / "shoot" / "clip.mp4"
    original.parent.mkdir()
    shutil.copy(clips["cfr25"], original)
    added = svc.add_clip(workspace, original, "FAM-2", "Visit 1")
    assert svc.check_clip(workspace, added.clip_id).state is svc.ClipState.OK

    moved = tmp_path / "archive" / "2026" / "renamed.mp4"
    moved.parent.mkdir(parents=True)
    (tmp_path / "archive" / "other.mp4").write_bytes(b"x" * original.stat().st_size)
    shutil.move(original, moved)
    check = svc.check_clip(workspace, added.clip_id)
    assert check.state is svc.ClipState.MISSING
    assert str(original) in check.message

    found = svc.relink(workspace, tmp_path / "archive")
    assert [(f.clip_id, f.path) for f in found] == [(added.clip_id, str(moved))]
    assert svc.check_clip(workspace, added.clip_id).state is svc.ClipState.OK
    assert svc.clip_info(workspace, added.clip_id).path == str(moved)


def test_a_changed_file_is_detected(workspace, clips, tmp_path):
    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    added = svc.add_clip(workspace, path, "FAM-3", "Visit 1")
    shutil.copy(clips["ntsc"], path)  # re-exported over the same name
    check = svc.check_clip(workspace, added.clip_id)
    assert check.state is svc.ClipState.CHANGED
    assert str(path) in check.message


def test_a_touched_but_unchanged_file_is_fine(workspace, clips, tmp_path):
    path = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], path)
    added = svc.add_clip(workspace, path, "FAM-4", "Visit 1")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert svc.check_clip(workspace, added.clip_id).state is svc.ClipState.OK


def test_relink_needs_a_folder(workspace, tmp_path):
    with pytest.raises(MediaError, match="not a folder"):
        svc.relink(workspace, tmp_path / "nowhere")


def test_the_demo_workspace_has_a_playable_generated_clip(tmp_path):
    from vfa.services import consent, moments
    from vfa.services.workspaces import open_demo

    ws = open_demo(tmp_path / "demo.vfa")
    try:
        tree = svc.catalog(ws)
        assert [c.code for c in tree] == ["DEMO-001"]
        clip = tree[0].sessions[0].clips[0]
        info = svc.clip_info(ws, clip.id)
        assert info.has_audio and info.frame_table.frame_count > 100
        assert svc.check_clip(ws, clip.id).state is svc.ClipState.OK
        # moments to look at, one of them in the reel, with consent for feedback
        tagged = moments.moments(ws, clip_id=clip.id)
        assert len(tagged) == 2 and all(m.caption or m.key_frame for m in tagged)
        assert len(moments.reel(ws, tree[0].sessions[0].id)) == 1
        assert consent.consent_for(ws, clip.id).covers("feedback")
    finally:
        ws.close()
    again = open_demo(tmp_path / "demo.vfa")  # a second run reuses it
    assert len(svc.catalog(again)[0].sessions[0].clips) == 1
    assert len(moments.moments(again, clip_id=clip.id)) == 2
    again.close()
