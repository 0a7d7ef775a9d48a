"""The file name Ctrl+Shift+S offers for a still names the case, the visit and the frame,
never the video's own file name (a family's name is often in it)."""

from __future__ import annotations

import shutil
from pathlib import Path, PureWindowsPath

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QDialog

from vfa.app import build_window
from vfa.services import clips as clip_service
from vfa.services.stills import still_name
from vfa.storage.workspace import open_workspace
from vfa.ui.feedback_dialogs import StillDialog

VIDEO = "Hollis_home_visit_0412.mp4"


@pytest.fixture
def window(qtbot, tmp_path, clips):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.show()
    (tmp_path / "camera").mkdir()
    video = tmp_path / "camera" / VIDEO
    shutil.copy(clips["cfr25"], video)
    ws = open_workspace(tmp_path / "clinic.vfa", create=True)
    clip_id = clip_service.add_clip(ws, video, "FAM-7", "Visit 2/3").clip_id
    win.set_workspace(ws)
    with qtbot.waitSignal(win.player_view.frame_shown, timeout=10_000):
        win.open_clip(clip_id)
    yield win
    win.close()


def offered(window, monkeypatch) -> str:
    """The file the still dialog offers (then cancelled)."""
    seen: list[str] = []

    def fake_exec(dialog: StillDialog) -> int:
        seen.append(dialog.file.text())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(StillDialog, "exec", fake_exec)
    window.save_still()
    assert len(seen) == 1
    return seen[0]


def test_the_offered_still_name_is_the_case_visit_and_frame(window, qtbot, monkeypatch):
    with qtbot.waitSignal(window.player_view.frame_shown, timeout=10_000):
        window.player_view.show_frame(7)
    index, _ = window.player_view.current_frame()
    path = Path(offered(window, monkeypatch))
    assert "hollis" not in path.name.lower() and "0412" not in path.name
    assert path.suffix == ".png"
    # the visit's label is one name even with a slash in it
    assert path.name == f"FAM-7 Visit 2-3 frame {index}.png"
    assert path.parent.name == "camera"  # beside the video, as before


@given(
    case=st.from_regex(r"[A-Za-z0-9._-]{1,20}", fullmatch=True),
    label=st.text(max_size=60),
    frame=st.integers(min_value=0, max_value=10**7),
)
def test_an_offered_still_name_is_always_one_file_name(case, label, frame):
    name = still_name(case, label, frame)
    # one name in one folder on any system, whatever the visit's label holds
    assert Path(name).name == name and PureWindowsPath(name).name == name
    assert not any(c in name for c in '\\/:*?"<>|') and name.isprintable()
    assert name.startswith(f"{case} ") and name.endswith(f"frame {frame}.png")
    assert Path("/visits/clip.mp4").with_name(name).parent == Path("/visits")
