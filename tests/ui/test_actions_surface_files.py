"""File-menu actions on clips and coding, fired by their shortcut or menu entry on the
barcode workspace: add, relink, check, save a still, progress, import and export coding."""

from __future__ import annotations

import csv
import shutil

import cv2
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from tests.ui.test_actions_surface import TypeFileName, answering, covers
from vfa.io.vfa_csv import EVENT_COLUMNS
from vfa.media.synth import read_barcode
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.services.assignments import assignments
from vfa.services.schemes import get_scheme
from vfa.storage.workspace import open_workspace
from vfa.ui.dialogs import AddClipDialog
from vfa.ui.export_dialog import ExportDialog
from vfa.ui.feedback_dialogs import StillDialog
from vfa.ui.import_dialog import ImportDialog
from vfa.ui.merge_dialog import MergeDialog
from vfa.ui.messages import Level
from vfa.ui.progress_chart import ProgressDialog


def show(window, qtbot, frame: int) -> None:
    view = window.player_view
    view.show_frame(frame)
    qtbot.waitUntil(lambda: view.shown_index() == frame, timeout=10_000)


@covers("clip.add")
def test_add_clips_adds_the_chosen_file_to_the_case_typed(window, surface, qtbot, clips):
    typed = TypeFileName(clips["noaudio"])

    def place(dialog: AddClipDialog) -> None:
        dialog.case.setEditText("FAM-7")
        dialog.session.setEditText("Visit 2")
        dialog._accept()

    with (
        qtbot.waitSignal(window.clips_added, timeout=30_000) as added,
        answering(qtbot, (QFileDialog, typed), (AddClipDialog, place)),
    ):
        surface.fire(window, "clip.add")
    assert typed.file_mode is QFileDialog.FileMode.ExistingFiles
    (clip_id,) = added.args[0]
    tree = {c.code: [(s.label, [k.name for k in s.clips]) for s in c.sessions]
            for c in clip_service.catalog(window.ws)}  # fmt: skip
    assert tree == {
        "DEMO-001": [("Visit 1", ["demo-play.mp4"])],
        "FAM-7": [("Visit 2", ["noaudio.mp4"])],
    }
    assert window.current_clip == clip_id
    assert window.player_view.info.path == str(clips["noaudio"])


@covers("clip.relink")
def test_relink_finds_a_moved_clip_in_the_folder_chosen(window, surface, qtbot, clips, tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    shutil.copyfile(clips["noaudio"], before / "visit.mp4")
    clip_id = clip_service.add_clip(window.ws, before / "visit.mp4", "FAM-8", "Visit 1").clip_id
    (before / "visit.mp4").rename(after / "visit.mp4")
    assert clip_service.check_clip(window.ws, clip_id).state is clip_service.ClipState.MISSING
    typed = TypeFileName(after)
    with answering(qtbot, (QFileDialog, typed)):
        surface.fire(window, "clip.relink")
    assert typed.file_mode is QFileDialog.FileMode.Directory
    qtbot.waitUntil(lambda: window.messages.level("clips.relink") is Level.INFO, timeout=20_000)
    assert window.messages.text("clips.relink") == "Relinked 1 clip(s)."
    assert clip_service.check_clip(window.ws, clip_id).state is clip_service.ClipState.OK
    assert clip_service.clip_info(window.ws, clip_id).path == str(after / "visit.mp4")
    assert clip_service.clip_info(window.ws, 1).path == window.player_view.info.path  # untouched


@covers("clip.check")
def test_check_clip_files_names_the_missing_file(window, surface, qtbot, clips, tmp_path):
    gone = tmp_path / "gone.mp4"
    shutil.copyfile(clips["noaudio"], gone)
    clip_service.add_clip(window.ws, gone, "FAM-9", "Visit 1")
    gone.unlink()
    surface.fire(window, "clip.check")
    qtbot.waitUntil(lambda: window.messages.level("clips.check") is not None, timeout=20_000)
    assert window.messages.level("clips.check") is Level.ERROR
    text = window.messages.text("clips.check")
    assert str(gone) in text
    assert "demo-play.mp4" not in text  # the clip is where it was
    assert len(text.splitlines()) == 1


@covers("still.save")
def test_save_still_writes_the_frame_on_screen_for_a_consented_purpose(
    window, surface, qtbot, tmp_path
):
    show(window, qtbot, 137)
    folder = tmp_path / "stills"
    folder.mkdir()
    out = folder / "still"  # the dialog adds .png
    asked = {}

    def save(dialog: StillDialog) -> None:
        asked["purpose"] = dialog.chosen_purpose()  # the consent covers feedback only
        dialog.file.setText(str(out))
        qtbot.mouseClick(dialog.box.button(QDialogButtonBox.StandardButton.Ok), Qt.LeftButton)

    with answering(qtbot, (StillDialog, save)):
        surface.fire(window, "still.save")
    written = folder / "still.png"
    qtbot.waitUntil(written.exists, timeout=20_000)
    qtbot.waitUntil(lambda: window.messages.level("still") is Level.INFO, timeout=20_000)
    assert asked == {"purpose": "feedback"}
    image = cv2.imread(str(written))
    assert image.shape[:2] == (480, 854)  # full resolution
    assert read_barcode(image) == 137
    assert sorted(p.name for p in folder.iterdir()) == ["still.png"]


@covers("case.progress")
def test_progress_charts_the_case_kips_mean(window, surface, qtbot):
    kips = get_scheme("kips")
    run = coding.open_run(window.ws, 1, kips, window.coder_name())
    first, second = (item.id for item in kips.ratings.items[:2])
    coding.set_rating(window.ws, run.id, kips, first, 2)
    coding.set_rating(window.ws, run.id, kips, second, 4)
    shown = {}

    def look(dialog: ProgressDialog) -> None:
        shown["title"] = dialog.windowTitle()
        shown["schemes"] = [dialog.chooser.itemData(i) for i in range(dialog.chooser.count())]
        shown["points"] = [
            (p.session_label, p.coder, p.total, p.band, p.submitted) for p in dialog.chart.plotted()
        ]
        dialog.reject()

    with answering(qtbot, (ProgressDialog, look)):
        surface.fire(window, "case.progress")
    assert shown == {
        "title": "Progress over time — DEMO-001",
        "schemes": ["kips"],
        # KIPS is the mean of the items rated: (2 + 4) / 2, in the 3.0–3.9 band
        "points": [("Visit 1", window.coder_name(), 3.0, "moderate", False)],
    }


@covers("coding.import")
def test_import_coding_stores_the_file_chosen_as_one_undoable_step(
    window, surface, qtbot, tmp_path
):
    source = tmp_path / "lab.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, EVENT_COLUMNS)
        writer.writeheader()
        for start, end in ((1000, 2000), (3000, 3500)):
            row = dict.fromkeys(EVENT_COLUMNS, "")
            row.update(clip_file="demo-play.mp4", coder="Ann", scheme="lab", subject="child",
                       code="look", start_ms=str(start), end_ms=str(end))  # fmt: skip
            writer.writerow(row)

    def run_import(dialog: ImportDialog) -> None:
        with qtbot.waitSignal(dialog.planned, timeout=20_000):
            dialog.set_file(str(source))
        with qtbot.waitSignal(dialog.imported, timeout=20_000):
            qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    with answering(qtbot, (ImportDialog, run_import)):
        surface.fire(window, "coding.import")
    (run,) = [r for r in assignments(window.ws) if r.coder == "Ann"]
    assert run.clip_id == 1
    stored = [(e.code, e.start_ms, e.end_ms) for e in events.run_events(window.ws, run.run_id)]
    frame = 40  # 25 fps: each time is snapped to the frame shown then
    assert stored == [("look", 1000, 2000), ("look", 3000, 3500 // frame * frame)]
    # the import is one step on the undo stack, even into the clip open in the window
    assert (window.undo_stack.count(), window.undo_stack.index()) == (1, 1)
    surface.fire(window, "edit.undo")
    assert [r for r in assignments(window.ws) if r.coder == "Ann"] == []  # run and events
    assert window.undo_stack.index() == 0
    surface.fire(window, "edit.redo")
    (redone,) = [r for r in assignments(window.ws) if r.coder == "Ann"]
    again = [(e.code, e.start_ms, e.end_ms) for e in events.run_events(window.ws, redone.run_id)]
    assert again == stored


@covers("coding.export")
def test_export_coding_writes_the_clips_events_to_the_file_typed(window, surface, qtbot, tmp_path):
    out = tmp_path / "coding.csv"

    def export(dialog: ExportDialog) -> None:
        assert dialog.scope.currentData() == ("clip", 1)  # the clip open in the window
        dialog.format.setCurrentIndex(dialog.format.findData("csv"))
        dialog.path.setText(str(out))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)

    with answering(qtbot, (ExportDialog, export)):
        surface.fire(window, "coding.export")
    with out.open(newline="", encoding="utf-8") as fh:
        rows = [(r["coder"], r["code"], r["start_ms"], r["end_ms"]) for r in csv.DictReader(fh)]
    # the workspace's two moments, spans [2 s, 8 s) and [11 s, 16 s) of a 25 fps clip: from
    # the frame shown at the start to the last frame that starts before the end
    frame = 40
    assert rows == [
        ("Demo therapist", "returning_eye_contact", "2000", str(8000 - frame)),
        ("Demo therapist", "waiting", "11000", str(16000 - frame)),
    ]
    assert window.messages.level("export") is Level.INFO


@covers("workspace.merge")
def test_merge_workspace_brings_another_workspaces_case_into_the_window(
    window, surface, qtbot, tmp_path, clips
):
    other = open_workspace(tmp_path / "site-b.vfa", create=True)
    clip_service.add_clip(other, clips["noaudio"], "FAM-7", "Visit 1")
    other.close()
    summary = {}

    def run_merge(dialog: MergeDialog) -> None:
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
        summary["text"] = dialog.summary.text()
        with qtbot.waitSignal(dialog.merged, timeout=30_000):
            qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
        dialog.reject()

    typed = TypeFileName(tmp_path / "site-b.vfa")
    with answering(qtbot, (QFileDialog, typed), (MergeDialog, run_merge)):
        surface.fire(window, "workspace.merge")
    assert typed.file_mode is QFileDialog.FileMode.ExistingFile
    assert summary["text"] == f"Merging {tmp_path / 'site-b.vfa'} would do this:"
    codes = [
        window.browser.topLevelItem(n).text(0) for n in range(window.browser.topLevelItemCount())
    ]
    assert codes == ["DEMO-001", "FAM-7"]
    assert window.messages.text("merge") == f"Merged {tmp_path / 'site-b.vfa'}."
