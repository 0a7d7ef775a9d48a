"""File → Import… and File → Export… driven as a user would, offscreen: the preview off
the GUI thread, problems with their places, Import then Edit → Undo, cancel, export."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from vfa.app import build_window
from vfa.errors import InvalidInputError
from vfa.io.vfa_csv import EVENT_COLUMNS
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.storage.workspace import open_workspace
from vfa.ui import import_dialog
from vfa.ui.export_dialog import ExportDialog
from vfa.ui.import_dialog import ImportDialog


@pytest.fixture
def ws(tmp_path, clips):
    ws = open_workspace(tmp_path / "ui.vfa", create=True)
    clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1")
    yield ws
    ws.close()


@pytest.fixture
def coding_file(tmp_path) -> Path:
    path = tmp_path / "lab.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, EVENT_COLUMNS)
        writer.writeheader()
        for code, start, end in (("look", 1000, 2000), ("look", 3000, 3500), ("touch", 9000, 9000)):
            row = {c: "" for c in EVENT_COLUMNS}
            row.update(clip_file="cfr25.mp4", coder="Ann", scheme="lab", subject="child",
                       code=code, start_ms=str(start), end_ms=str(end))  # fmt: skip
            writer.writerow(row)
    return path


def import_on_exec(qtbot, monkeypatch, file: Path) -> None:
    """File → Import… as a user answers it: choose ``file``, wait for the preview, Import."""

    def run_dialog(dialog: ImportDialog) -> int:
        with qtbot.waitSignal(dialog.planned, timeout=20_000):
            dialog.set_file(str(file))
        with qtbot.waitSignal(dialog.imported, timeout=20_000):
            qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ImportDialog, "exec", run_dialog)


def runs_of(ws) -> list:
    from vfa.services.assignments import assignments

    return assignments(ws)


def test_the_preview_shows_codes_counts_and_problems_before_anything_is_written(
    qtbot, ws, coding_file
):
    dialog = ImportDialog(ws)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planned, timeout=20_000):
        dialog.set_file(str(coding_file))
    table = dialog.preview
    rows = {
        tuple(table.item(r, c).text() for c in range(table.columnCount()))
        for r in range(table.rowCount())
    }
    assert rows == {
        ("look", "child", "child", "look", "2"),
        ("touch", "child", "child", "touch", "1"),
    }
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert problems == [
        "observation '- / - / cfr25.mp4 / Ann / lab' event 2: touch at 9000–9000 ms is past "
        "the clip's end (6000 ms); not imported"
    ]
    assert "2 events" in dialog.summary.text() and dialog.import_button.isEnabled()
    assert runs_of(ws) == []  # nothing written by previewing
    dialog.scheme.setCurrentIndex(dialog.scheme.findData("kips"))
    qtbot.waitUntil(
        lambda: dialog.plan is not None and dialog.plan.scheme.id == "kips", timeout=20_000
    )
    refused = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert refused[0].startswith("Refused — code 'look': not in scheme kips")
    assert not dialog.import_button.isEnabled()


def test_a_file_that_cannot_be_read_says_why_in_the_dialog(qtbot, ws, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(EVENT_COLUMNS) + "\n" + "x," * 11 + "NaN," + "," * 5 + "\n")
    dialog = ImportDialog(ws)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planned, timeout=20_000):
        dialog.set_file(str(bad))
    assert dialog.problems.item(0).text() == f"{bad}: line 2, start_ms: 'NaN' is not a finite time"
    assert not dialog.import_button.isEnabled()


def test_reading_can_be_cancelled(qtbot, ws, coding_file, monkeypatch):
    release = threading.Event()

    def slow(ws, path, options, cancelled):
        release.wait(20)
        if cancelled():
            raise InvalidInputError("cancelled")
        raise AssertionError("not cancelled")

    monkeypatch.setattr(import_dialog, "plan_import", slow)
    dialog = ImportDialog(ws)
    qtbot.addWidget(dialog)
    dialog.set_file(str(coding_file))
    assert dialog.busy() and dialog.progress.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.stop, Qt.MouseButton.LeftButton)
    release.set()
    assert not dialog.busy() and dialog.summary.text() == "Reading was cancelled."
    assert dialog.preview.rowCount() == 0 and not dialog.import_button.isEnabled()


def test_import_then_edit_undo_removes_the_batch(qtbot, ws, coding_file, monkeypatch):
    window = build_window("qt")
    qtbot.addWidget(window)
    window.set_workspace(ws)

    import_on_exec(qtbot, monkeypatch, coding_file)
    window.actions_by_id["coding.import"].trigger()
    (run,) = runs_of(ws)
    assert (run.coder, run.scheme_id) == ("Ann", "import-lab")
    assert window.undo_stack.undoText() == "import lab.csv"
    # the success is said in the message bar, not in red, and goes by itself
    from vfa.ui.messages import Level

    assert window.messages.level("import") is Level.INFO
    assert "Imported" in window.messages.text("import")
    window.actions_by_id["edit.undo"].trigger()
    assert runs_of(ws) == []
    window.actions_by_id["edit.redo"].trigger()
    assert [r.coder for r in runs_of(ws)] == ["Ann"]


def test_undo_of_an_edited_import_says_why_and_keeps_it(qtbot, ws, coding_file, monkeypatch):
    window = build_window("qt")
    qtbot.addWidget(window)
    window.set_workspace(ws)

    import_on_exec(qtbot, monkeypatch, coding_file)
    window.actions_by_id["coding.import"].trigger()
    (run,) = runs_of(ws)
    coding.submit_run(ws, run.run_id)
    window.actions_by_id["edit.undo"].trigger()
    assert [r.run_id for r in runs_of(ws)] == [run.run_id]
    assert "was submitted since" in window.messages.label.text()
    assert window.undo_stack.count() == 0


def test_the_export_dialog_writes_the_chosen_coding(qtbot, ws, coding_file, tmp_path):
    from vfa.services.imports import plan_import, run_import

    run_import(ws, plan_import(ws, coding_file))
    dialog = ExportDialog(ws, "Sue")
    qtbot.addWidget(dialog)
    formats = {dialog.format.itemData(i): dialog.format.model().item(i).isEnabled()
               for i in range(dialog.format.count())}  # fmt: skip
    assert formats["csv"] and formats["json"]
    target = tmp_path / "out.csv"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.outcome is not None and dialog.outcome.rows == 2
    with target.open(newline="", encoding="utf-8") as fh:
        assert [r["code"] for r in csv.DictReader(fh)] == ["look", "look"]
    again = ExportDialog(ws, "Sue")
    qtbot.addWidget(again)
    again.path.setText(str(target))
    qtbot.mouseClick(again.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.busy(), timeout=20_000)
    assert "already exists" in again.message.text()


def test_the_scheme_an_import_made_can_be_chosen_for_coding_at_once(
    qtbot, ws, coding_file, monkeypatch
):
    window = build_window("qt")
    qtbot.addWidget(window)
    window.set_workspace(ws)
    chooser = window.coding.chooser
    assert "import-lab" not in [
        chooser.itemData(i).id for i in range(chooser.count()) if chooser.itemData(i)
    ]

    import_on_exec(qtbot, monkeypatch, coding_file)
    window.actions_by_id["coding.import"].trigger()
    assert "import-lab" in [
        chooser.itemData(i).id for i in range(chooser.count()) if chooser.itemData(i)
    ]


def test_a_file_typed_in_starts_with_its_own_observations(qtbot, ws, coding_file, tmp_path):
    text = coding_file.read_text()
    header, *rows = text.splitlines(keepends=True)
    coding_file.write_text(text + "".join(r.replace("Ann", "Bob") for r in rows))
    other = tmp_path / "other.csv"
    other.write_text(header + "".join(r.replace("Ann", "Bea") for r in rows))
    dialog = ImportDialog(ws)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planned, timeout=20_000):
        dialog.set_file(str(coding_file))
    first = [dialog.observation.itemText(i) for i in range(dialog.observation.count())]
    dialog.observation.setCurrentIndex(dialog.observation.count() - 1)
    with qtbot.waitSignal(dialog.planned, timeout=20_000):
        dialog.file.setText(str(other))
        dialog.file.editingFinished.emit()
    now = [dialog.observation.itemText(i) for i in range(dialog.observation.count())]
    assert dialog.observation.currentIndex() == 0
    assert now != first and not any("Bob" in t for t in now)
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert not any("no observation" in p for p in problems)
