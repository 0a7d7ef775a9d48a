"""Saving from the window: Qt's dialog does not ask, VFA asks once about the file that
will really be written (its suffix added), and only a yes replaces it."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.ui.test_progress_chart import coded_case  # noqa: F401 - a fixture
from vfa.services.schemes import SchemeLibrary
from vfa.ui.progress_chart import ProgressDialog


def test_a_chart_asks_before_replacing_a_file(qtbot, coded_case, tmp_path, monkeypatch):  # noqa: F811
    dialog = ProgressDialog(coded_case, "FAM-3", SchemeLibrary())
    qtbot.addWidget(dialog)
    target = tmp_path / "chart.svg"
    target.write_text("earlier")
    options = []

    def save_name(*args, **kwargs):
        options.append(kwargs.get("options"))
        return str(tmp_path / "chart"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No
    )
    assert dialog.export_as(".svg") is None
    assert options == [QFileDialog.Option.DontConfirmOverwrite]
    assert asked == [f"{target} already exists. Replace it?"]
    assert target.read_text() == "earlier"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert dialog.export_as(".svg") == target
    assert target.read_text().startswith("<?xml")


def test_a_link_is_not_asked_about_but_refused(qtbot, coded_case, tmp_path, monkeypatch):  # noqa: F811
    dialog = ProgressDialog(coded_case, "FAM-3", SchemeLibrary())
    qtbot.addWidget(dialog)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / "chart.png").symlink_to(victim)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "chart.png"), "")
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert dialog.export_as(".png") is None
    assert "is a symbolic link" in dialog.message.text()
    assert victim.read_text() == "keep"
