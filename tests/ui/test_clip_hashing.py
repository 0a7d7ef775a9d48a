"""New clips' content hashes are recorded in the background, off the GUI thread."""

from __future__ import annotations

import hashlib
import shutil
import threading

import pytest
from sqlalchemy import select

from vfa.app import build_window
from vfa.services import clip_files
from vfa.services import clips as clip_service
from vfa.storage.models import Clip
from vfa.storage.workspace import open_workspace
from vfa.ui.dialogs import AddClipDialog


@pytest.fixture
def window(qtbot):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _stored_hashes(ws):
    with ws.sessions() as db:
        return {
            clip_id: digest for clip_id, digest in db.execute(select(Clip.id, Clip.content_hash))
        }


def test_adding_a_clip_records_its_content_hash_off_the_gui_thread(
    window, qtbot, tmp_path, clips, monkeypatch
):
    threads: list[threading.Thread] = []
    real = clip_files.content_hash

    def spy(path, **kwargs):
        threads.append(threading.current_thread())
        return real(path, **kwargs)

    monkeypatch.setattr(clip_files, "content_hash", spy)
    video = tmp_path / "visit.mp4"
    shutil.copy(clips["noaudio"], video)
    window.set_workspace(open_workspace(tmp_path / "h.vfa", create=True))
    with qtbot.waitSignal(window.hasher.hashed, timeout=30_000) as hashed:
        window.add_files([video], case="FAM-40", session="Visit 1")
    [clip_id] = hashed.args[0]
    assert threads and all(t is not threading.main_thread() for t in threads)
    expected = hashlib.blake2b(video.read_bytes(), digest_size=32).hexdigest()
    assert _stored_hashes(window.ws) == {clip_id: expected}
    assert window.current_clip == clip_id  # the clip opened without waiting for the hash
    qtbot.waitUntil(lambda: not window.hasher.indicator.isVisible(), timeout=5_000)
    assert not window.hasher.busy()


def test_a_clip_that_changes_before_its_hash_is_reported(window, qtbot, tmp_path, clips):
    video = tmp_path / "visit.mp4"
    shutil.copy(clips["noaudio"], video)
    ws = open_workspace(tmp_path / "c.vfa", create=True)
    clip_id = clip_service.add_clip(ws, video, "FAM-41", "Visit 1").clip_id
    window.set_workspace(ws)
    shutil.copy(clips["ntsc"], video)  # re-exported over the same name meanwhile
    with qtbot.waitSignal(window.hasher.failed, timeout=30_000) as failed:
        window.hasher.hash(ws, [clip_id])
    assert str(video) in failed.args[0] and "changed" in failed.args[0]
    assert str(video) in window.messages.label.text()
    assert _stored_hashes(ws) == {clip_id: None}


def test_the_add_dialog_checks_the_session_as_the_service_does(qtbot, tmp_path):
    dialog = AddClipDialog([tmp_path / "a.mp4"], [])
    qtbot.addWidget(dialog)
    dialog.case.setEditText("FAM-1")
    dialog.session.setEditText("x" * 200)
    dialog._accept()
    assert dialog.result() == 0
    assert dialog.message.text().startswith("session label")


def test_the_add_dialog_offers_a_cases_sessions_whatever_the_capitals(qtbot, tmp_path, clips):
    ws = open_workspace(tmp_path / "d.vfa", create=True)
    clip_service.add_clip(ws, clips["noaudio"], "FAM-2", "Visit 1")
    dialog = AddClipDialog([tmp_path / "a.mp4"], clip_service.catalog(ws))
    qtbot.addWidget(dialog)
    dialog.case.setEditText("fam-2")
    assert [dialog.session.itemText(i) for i in range(dialog.session.count())] == ["Visit 1"]
    ws.close()
