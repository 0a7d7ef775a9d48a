"""Every window and dialog VFA opens, walked as a screen reader and a keyboard user meet
it (``tests/ui/accessibility.py``): each control has an accessible name and Tab reaches it.
Each window is opened the way a user opens it (its action, through ``Surface``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tests.ui.accessibility import problems, tab_walk
from tests.ui.test_actions_surface import TypeFileName, answering
from tests.ui.test_actions_surface_edit import code_here
from vfa.ui.audit_window import AuditWindow
from vfa.ui.backups_dialog import BackupsDialog, CheckDialog
from vfa.ui.dialogs import AddClipDialog, GoToDialog, ModifiersDialog, SettingsDialog
from vfa.ui.encrypt_dialog import CipherDialog
from vfa.ui.export_dialog import ExportDialog as CodingExportDialog
from vfa.ui.feedback_dialogs import ConsentDialog, StillDialog
from vfa.ui.feedback_dialogs import ExportDialog as ReelExportDialog
from vfa.ui.import_dialog import ImportDialog
from vfa.ui.merge_dialog import MergeDialog
from vfa.ui.people_dialogs import PeopleDialog, WhoAreYouDialog
from vfa.ui.presentation import PresentationWindow
from vfa.ui.progress_chart import ProgressDialog
from vfa.ui.quick_start import QuickStartWindow
from vfa.ui.shortcuts_window import ShortcutsWindow


def every_tab(top: QWidget, where: str) -> list[str]:
    """The problems of the window with each page of each of its tab widgets shown."""
    found = problems(top, where)
    for tabs in top.findChildren(QTabWidget):
        if tabs.window() is not top or not tabs.isVisibleTo(top):
            continue
        first = tabs.currentIndex()
        for index in range(tabs.count()):
            if index != first:
                tabs.setCurrentIndex(index)
                found += problems(top, f"{where} › {tabs.tabText(index).replace('&', '')}")
        tabs.setCurrentIndex(first)
    return list(dict.fromkeys(found))


class Audit:
    """Answers a modal dialog by walking it, then closes it."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.walked = 0

    def __call__(self, dialog: QWidget) -> None:
        self.found += every_tab(dialog, dialog.windowTitle() or type(dialog).__name__)
        self.walked += 1
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()


def clean(found: list[str]) -> None:
    """Fail naming every problem, one a line."""
    assert not found, "\n" + "\n".join(found)


def top_level(kind: type) -> Any:
    (shown,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return shown


# -- the checker ------------------------------------------------------------------------


def test_the_checker_finds_a_nameless_control_one_tab_never_reaches_and_a_trap(qtbot):
    top = QWidget()
    top.setWindowTitle("Planted")
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    named = QPushButton("Named")
    nameless = QPushButton()
    nameless.setObjectName("nameless")
    untabbed = QLineEdit()
    untabbed.setObjectName("untabbed")
    untabbed.setAccessibleName("Untabbed")
    untabbed.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    labelled = QLineEdit()
    label = QLabel("&Case code")
    label.setBuddy(labelled)  # a buddy label names its field
    sign = QPushButton("+")
    sign.setObjectName("zoomIn")
    for widget in (named, nameless, untabbed, label, labelled, sign):
        layout.addWidget(widget)
    top.show()
    assert problems(top) == [
        "Planted: QPushButton 'nameless' has no accessible name",
        "Planted: QLineEdit 'untabbed' is not reached by Tab",
        "Planted: QPushButton 'zoomIn' is named only by the sign '+'",
    ]
    stops, trap = tab_walk(top)
    assert (stops, trap) == ([named, nameless, labelled, sign], None)


def test_the_checker_names_a_control_that_keeps_the_tab_key(qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    top = QWidget()
    top.setWindowTitle("Planted")
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    layout.addWidget(QPushButton("Before"))
    notes = QPlainTextEdit()  # Tab types a tab character into it
    notes.setObjectName("notes")
    notes.setAccessibleName("Notes")
    layout.addWidget(notes)
    top.show()
    assert problems(top) == [
        "Planted: QPlainTextEdit 'notes' keeps the Tab key (focus cannot leave it)"
    ]


# -- the main window ----------------------------------------------------------------------


def test_the_welcome_page_is_named_and_reached_by_tab(bare_window):
    clean(problems(bare_window, "welcome"))


def test_the_main_window_with_a_clip_open_is_named_and_reached_by_tab(window):
    clean(every_tab(window, "main window"))


def test_the_main_window_coding_with_a_scheme_is_named_and_reached_by_tab(window, qtbot):
    window.coding.choose("kips")  # the rating list
    clean(every_tab(window, "main window, KIPS"))
    window.coding.choose("vipp_sd")  # the event keys
    clean(every_tab(window, "main window, VIPP-SD"))
    window.coding.choose("care_index_infant")  # the grids
    clean(every_tab(window, "main window, CARE-Index"))


def test_the_add_clips_pane_of_an_empty_workspace_is_named_and_reached_by_tab(
    bare_window, tmp_path, qtbot
):
    from vfa.services.workspaces import open_workspace

    bare_window.set_workspace(open_workspace(tmp_path / "empty.vfa", create=True))
    clean(every_tab(bare_window, "empty workspace"))


def test_the_progress_chart_says_in_words_what_it_draws(window, surface, qtbot):
    from vfa.services import coding
    from vfa.services.schemes import get_scheme

    kips = get_scheme("kips")
    run = coding.open_run(window.ws, 1, kips, window.coder_name())
    coding.set_rating(window.ws, run.id, kips, kips.ratings.items[0].id, 3)
    said = {}

    def read(dialog: ProgressDialog) -> None:
        said["name"] = dialog.chart.accessibleName()
        said["description"] = dialog.chart.accessibleDescription()
        dialog.reject()

    with answering(qtbot, (ProgressDialog, read)):
        surface.fire(window, "case.progress")
    assert said["name"] == "Progress chart"
    # the case, the scheme, and the session's total by the coder, as the chart draws them
    assert "DEMO-001" in said["description"] and kips.name in said["description"]
    assert f"Visit 1: {window.coder_name()} 3" in said["description"]  # its one rating, 3


def test_the_canvas_and_the_timeline_take_the_focus_and_keep_the_windows_keys(window, qtbot):
    view = window.player_view
    for widget in (view.exact, view.timeline):
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        assert window.focusWidget() is widget
        with qtbot.waitSignal(view.frame_shown, timeout=10_000):
            qtbot.keyClick(widget, Qt.Key.Key_Right)  # a window key, with the focus here
        view.show_frame(0)
        qtbot.waitUntil(lambda: view.shown_index() == 0, timeout=10_000)


# -- dialogs, opened by their actions -------------------------------------------------------

MODAL: dict[str, type[QWidget]] = {
    "app.settings": SettingsDialog,
    "nav.goto": GoToDialog,
    "clip.consent": ConsentDialog,
    "reel.export": ReelExportDialog,
    "still.save": StillDialog,
    "case.progress": ProgressDialog,
    "coding.import": ImportDialog,
    "coding.export": CodingExportDialog,
    "workspace.backups": BackupsDialog,
    "workspace.check": CheckDialog,
    "workspace.encrypt": CipherDialog,
    "help.about": QMessageBox,
    "person.choose": WhoAreYouDialog,
    "people.manage": PeopleDialog,
}


@pytest.mark.parametrize("action_id", MODAL)
def test_each_dialog_is_named_and_reached_by_tab(window, surface, qtbot, action_id):
    audit = Audit()
    with answering(qtbot, (MODAL[action_id], audit)):
        surface.fire(window, action_id)
    assert audit.walked == 1
    clean(audit.found)


def test_the_add_clips_dialog_is_named_and_reached_by_tab(window, surface, qtbot, clips):
    audit = Audit()
    with answering(qtbot, (QFileDialog, TypeFileName(clips["noaudio"])), (AddClipDialog, audit)):
        surface.fire(window, "clip.add")
    assert audit.walked == 1
    clean(audit.found)


def test_the_merge_dialog_is_named_and_reached_by_tab(window, surface, qtbot, barcode_copy):
    audit = Audit()

    def walked_when_read(dialog: MergeDialog) -> None:
        qtbot.waitUntil(lambda: not dialog.busy(), timeout=30_000)
        audit(dialog)

    # the window's own workspace: the dialog shows why it cannot be merged, and is walked so
    with answering(qtbot, (QFileDialog, TypeFileName(barcode_copy)),
                   (MergeDialog, walked_when_read)):  # fmt: skip
        surface.fire(window, "workspace.merge")
    assert audit.walked == 1
    clean(audit.found)


def test_the_modifiers_dialog_is_named_and_reached_by_tab(window, surface, qtbot):
    code_here(window, qtbot, "vipp_sd", Qt.Key.Key_3, 250)  # an event with modifiers
    audit = Audit()
    with answering(qtbot, (ModifiersDialog, audit)):
        surface.fire(window, "event.modifiers")
    assert audit.walked == 1
    clean(audit.found)


# -- windows of their own --------------------------------------------------------------------

WINDOWS: dict[str, tuple[type[QWidget], Callable[[Any], QWidget]]] = {
    "reliability.open": (QWidget, lambda w: w.reliability),
    "help.quick_start": (QuickStartWindow, lambda _w: top_level(QuickStartWindow)),
    "help.shortcuts": (ShortcutsWindow, lambda _w: top_level(ShortcutsWindow)),
    "reel.present": (PresentationWindow, lambda w: w.feedback.presentation),
    "tools.audit": (AuditWindow, lambda w: w.audit.window),
}


@pytest.mark.parametrize("action_id", WINDOWS)
def test_each_window_is_named_and_reached_by_tab(window, surface, qtbot, action_id):
    surface.fire(window, action_id)
    shown = WINDOWS[action_id][1](window)
    qtbot.waitExposed(shown)
    try:
        clean(every_tab(shown, shown.windowTitle() or type(shown).__name__))
    finally:
        shown.close()
