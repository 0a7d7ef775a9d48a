"""Every registered window action fired the way a user fires it: its own shortcut, or
its menu entry when it has none, on a workspace of one barcode clip (``conftest.py``);
each test checks what the action did. Helpers here are shared by the other
``test_actions_surface_*`` files.

Shortcuts are typed with ``QTest.keySequence`` to the active main window (the offscreen
platform activates a shown window, so window-context shortcuts are delivered as on a
desktop). Menu entries are clicked: the menu's title in the menu bar, then the entry.
Modal dialogs are answered from a timer that looks for the active modal widget while the
action's own event loop runs; file dialogs are Qt's own (no native dialog offscreen) and
are answered by typing the file name into them."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

import vfa
from vfa.services import clips as clip_service
from vfa.services.backups import backups_of
from vfa.services.viewer import current_viewer, login_name
from vfa.ui.actions import SPEC_BY_ID, SPECS, default_shortcut
from vfa.ui.backups_dialog import BackupsDialog, CheckDialog
from vfa.ui.dialogs import SettingsDialog
from vfa.ui.people_dialogs import WhoAreYouDialog
from vfa.ui.settings import Settings

SURFACE_MODULES = (
    "tests.ui.test_actions_surface",
    "tests.ui.test_actions_surface_files",
    "tests.ui.test_actions_surface_playback",
    "tests.ui.test_actions_surface_edit",
    "tests.ui.test_actions_surface_help",
    "tests.ui.test_actions_surface_people",
    "tests.ui.test_actions_surface_cipher",
)
MENU_TITLES = {
    "file": "File",
    "edit": "Edit",
    "playback": "Playback",
    "feedback": "Feedback",
    "reliability": "Reliability",
    "tools": "Tools",
    "help": "Help",
}


def covers(*action_ids: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a test as the one that fires these actions (it must fire each of them)."""

    def mark(test: Callable[..., Any]) -> Callable[..., Any]:
        test.covers = action_ids  # type: ignore[attr-defined]
        return test

    return mark


def shipped_key(action_id: str) -> QKeySequence:
    """The action's shortcut as the registry declares it, on this platform."""
    shortcut = SPEC_BY_ID[action_id].shortcut
    return QKeySequence() if shortcut is None else QKeySequence(shortcut)


def menu_titled(window: QMainWindow, title: str) -> QMenu:
    """The menu bar's menu shown with this title (mnemonic left out)."""
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title and action.menu() is not None:
            return action.menu()
    raise AssertionError(f"no menu {title!r} in the menu bar")


@dataclass
class Surface:
    """Fires actions as a user does and remembers which it fired."""

    qtbot: Any
    fired: set[str] = field(default_factory=set)

    def activate(self, window: QMainWindow) -> None:
        """Make the window the active one, as the window manager does when a dialog
        over it closes (the offscreen platform leaves no window active then)."""
        if QApplication.activeWindow() is not window:
            window.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)

    def press(self, window: QMainWindow, action_id: str) -> None:
        """Type the action's own shortcut into the window; the action must trigger."""
        action = window.actions_by_id[action_id]
        key = shipped_key(action_id)
        assert not key.isEmpty(), f"{action_id} has no shortcut on this platform"
        assert action.shortcut() == key
        assert action.isEnabled(), f"{action_id} is disabled"
        self.activate(window)
        with self.qtbot.waitSignal(action.triggered, timeout=2_000):
            QTest.keySequence(window, key)
        self.fired.add(action_id)

    def choose(self, window: QMainWindow, action_id: str) -> None:
        """Click the menu's title in the menu bar, then the action's entry in it."""
        action = window.actions_by_id[action_id]
        menu = menu_titled(window, MENU_TITLES[SPEC_BY_ID[action_id].menu])
        assert action in menu.actions(), f"{action_id} is not in the {menu.title()} menu"
        assert action.isEnabled(), f"{action_id} is disabled"
        bar = window.menuBar()
        self.activate(window)
        self.qtbot.mouseClick(
            bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(menu.menuAction()).center()
        )
        self.qtbot.waitUntil(menu.isVisible, timeout=5_000)
        with self.qtbot.waitSignal(action.triggered, timeout=2_000):
            self.qtbot.mouseClick(
                menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center()
            )
        self.qtbot.waitUntil(lambda: not menu.isVisible(), timeout=5_000)
        self.fired.add(action_id)

    def fire(self, window: QMainWindow, action_id: str) -> None:
        """The shortcut when the action has one here, else the menu entry."""
        if shipped_key(action_id).isEmpty():
            self.choose(window, action_id)
        else:
            self.press(window, action_id)


# -- modal dialogs ------------------------------------------------------------------------


@dataclass
class Answers:
    """Modal dialogs answered in order while an action runs its own event loop."""

    steps: list[tuple[type[QWidget], Callable[[Any], None]]]
    seen: list[QWidget] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    busy: bool = False

    def poll(self) -> None:
        if self.busy:  # an answer is waiting for its dialog's own work
            return
        widget = QApplication.activeModalWidget()
        if widget is None or not widget.isVisible() or isinstance(widget, QProgressDialog):
            return  # (a background task's progress dialog is the task's own)
        if not self.steps or not isinstance(widget, self.steps[0][0]):
            self.unexpected.append(f"{type(widget).__name__}: {widget.windowTitle()}")
            close(widget)
            return
        _kind, answer = self.steps.pop(0)
        self.seen.append(widget)
        self.busy = True
        try:
            answer(widget)
        except BaseException as exc:  # shown after the action returns
            self.errors.append(exc)
        finally:
            self.busy = False
        if widget.isVisible():
            close(widget)


def close(widget: QWidget) -> None:
    if isinstance(widget, QDialog):
        widget.reject()
    else:
        widget.close()


@contextmanager
def answering(qtbot, *steps: tuple[type[QWidget], Callable[[Any], None]]) -> Iterator[Answers]:
    """Answer each modal dialog as it comes (type, answer); after the block, wait for those
    still to come, and fail on any other dialog or a failed answer."""
    answers = Answers(list(steps))
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(answers.poll)
    timer.start()
    try:
        yield answers
        qtbot.waitUntil(
            lambda: not answers.steps or bool(answers.errors or answers.unexpected),
            timeout=30_000,
        )
    finally:
        timer.stop()
    if answers.errors:
        raise answers.errors[0]
    assert answers.unexpected == []


@dataclass
class TypeFileName:
    """Answer a file dialog as a user does: type the name in its field and accept; what
    the dialog asked for is kept (it is deleted when it closes)."""

    path: Path
    accept_mode: QFileDialog.AcceptMode | None = None
    file_mode: QFileDialog.FileMode | None = None
    title: str = ""

    def __call__(self, dialog: QFileDialog) -> None:
        self.accept_mode, self.file_mode = dialog.acceptMode(), dialog.fileMode()
        self.title = dialog.windowTitle()
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # where the user types
        name.setText(str(self.path))
        dialog.accept()


# -- the registry ---------------------------------------------------------------------------


def covered_action_ids() -> dict[str, list[str]]:
    """Action id → the tests that fire it, across the action-surface test files."""
    found: dict[str, list[str]] = {}
    for name in SURFACE_MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if attr.startswith("test_") and callable(value):
                for action_id in getattr(value, "covers", ()):
                    found.setdefault(action_id, []).append(f"{name}.{attr}")
    return found


def test_every_registered_action_is_fired_by_a_test():
    covered = covered_action_ids()
    assert set(covered) - set(SPEC_BY_ID) == set()  # no test of an action that is gone
    assert sorted(set(SPEC_BY_ID) - set(covered)) == []


def test_every_action_is_in_the_menu_its_registry_entry_names(bare_window):
    for spec in SPECS:
        menu = menu_titled(bare_window, MENU_TITLES[spec.menu])
        assert bare_window.actions_by_id[spec.id] in menu.actions(), spec.id


def test_every_action_carries_the_registry_shortcut_and_no_two_share_one(bare_window):
    keys = {}
    for spec in SPECS:
        action = bare_window.actions_by_id[spec.id]
        assert action.shortcut() == shipped_key(spec.id), spec.id
        assert action.shortcutContext() is Qt.ShortcutContext.WindowShortcut
        if not action.shortcut().isEmpty():
            assert action.shortcut().toString() not in keys, spec.id
            keys[action.shortcut().toString()] = spec.id


def test_no_scheme_hotkey_can_take_a_window_shortcut(qapp):
    """A scheme's hotkey on a window key makes the key ambiguous: Qt then fires neither."""
    from vfa.domain.hotkeys import hotkey_conflict, normalize_hotkey

    free = [
        (spec.id, key)
        for spec in SPECS
        if (key := default_shortcut(spec.id)) and hotkey_conflict(normalize_hotkey(key)) is None
    ]
    assert free == []


def test_a_scheme_with_the_present_key_as_a_hotkey_is_refused_with_its_place(tmp_path):
    from vfa.errors import SchemeError
    from vfa.services.schemes import load_scheme_file

    path = tmp_path / "f5.yaml"
    path.write_text(
        'id: f5\nname: F5\nversion: "1"\ndescription: d\nsource: s\nethogram:\n'
        "  subjects: [parent]\n  codes:\n"
        '    - {id: wait, name: Waits, hotkey: "F5", kind: point, verified: false}\n'
    )
    with pytest.raises(SchemeError) as refused:
        load_scheme_file(path)
    assert str(refused.value).startswith(f"{path}: ethogram.codes[0].hotkey (line 9): ")
    assert "'F5' is the window's key for presenting the reel" in str(refused.value)


# -- workspaces -----------------------------------------------------------------------------


@covers("workspace.new")
def test_new_workspace_creates_the_file_typed_into_the_dialog(
    bare_window, surface, qtbot, tmp_path
):
    target = tmp_path / "family work.vfa"
    typed = TypeFileName(target)

    def sign_as_sam(dialog: WhoAreYouDialog) -> None:  # (no Settings → Coder: asked)
        assert dialog.name.text() == login_name()
        dialog.name.setText("Sam Reid")
        dialog.accept()

    with answering(qtbot, (QFileDialog, typed), (WhoAreYouDialog, sign_as_sam)):
        surface.fire(bare_window, "workspace.new")
    assert (typed.title, typed.accept_mode) == ("New workspace", QFileDialog.AcceptMode.AcceptSave)
    qtbot.waitUntil(lambda: bare_window.ws is not None, timeout=20_000)
    assert bare_window.ws.path == target and target.is_file()
    assert bare_window.windowTitle() == "VFA — family work — Sam Reid"
    assert current_viewer() == "Sam Reid"
    assert bare_window.pages.currentIndex() == 1
    assert bare_window.browser.topLevelItemCount() == 0
    assert bare_window.actions_by_id["clip.add"].isEnabled()


@covers("workspace.open")
def test_open_workspace_opens_the_file_chosen_in_the_dialog(
    bare_window, surface, qtbot, barcode_copy
):
    typed = TypeFileName(barcode_copy)
    with answering(qtbot, (QFileDialog, typed)):
        surface.fire(bare_window, "workspace.open")
    assert (typed.title, typed.accept_mode) == ("Open workspace", QFileDialog.AcceptMode.AcceptOpen)
    qtbot.waitUntil(lambda: bare_window.ws is not None, timeout=20_000)
    assert bare_window.ws.path == barcode_copy
    assert bare_window.windowTitle() == f"VFA — demo — {current_viewer()}"
    assert bare_window.browser.topLevelItem(0).text(0) == "DEMO-001"


@covers("workspace.demo")
def test_the_demo_entry_opens_the_demo_workspace_with_its_clip(bare_window, surface, qtbot):
    from vfa.services.workspaces import demo_workspace_path

    with qtbot.waitSignal(bare_window.clip_opened, timeout=60_000) as opened:
        surface.fire(bare_window, "workspace.demo")
    assert bare_window.ws.path == demo_workspace_path() and demo_workspace_path().is_file()
    cases = clip_service.catalog(bare_window.ws)
    assert [c.code for c in cases] == ["DEMO-001", "DEMO-002"]
    assert opened.args == [cases[0].sessions[0].clips[0].id]
    qtbot.waitUntil(lambda: bare_window.player_view.shown_index() == 0, timeout=20_000)


@covers("workspace.backups")
def test_backups_lists_the_backup_made_when_the_workspace_opened(window, surface, qtbot):
    shown = {}

    def look(dialog: BackupsDialog) -> None:
        shown["rows"] = [
            dialog.list.topLevelItem(i).toolTip(0) for i in range(dialog.list.topLevelItemCount())
        ]
        shown["title"] = dialog.windowTitle()
        dialog.reject()

    with answering(qtbot, (BackupsDialog, look)):
        surface.fire(window, "workspace.backups")
    assert shown["rows"] == [str(b.path) for b in backups_of(window.ws)]
    assert len(shown["rows"]) == 1
    assert shown["title"] == "Backups of demo"


@covers("workspace.check")
def test_check_workspace_reports_on_the_open_workspace(window, surface, qtbot):
    shown = {}

    def look(dialog: CheckDialog) -> None:
        shown["summary"] = dialog.findChild(QWidget, "checkSummary").text()
        shown["findings"] = dialog.list.isVisibleTo(dialog)
        dialog.reject()

    with answering(qtbot, (CheckDialog, look)):
        surface.fire(window, "workspace.check")
    assert shown == {"summary": f"{window.ws.label}: all is well.", "findings": False}


@covers("app.settings")
def test_settings_store_the_coder_and_the_key_typed_into_them(window, surface, qtbot):
    def change(dialog: SettingsDialog) -> None:
        dialog.coder.setText("Tess")
        editor = dialog.editors["nav.end"]
        editor.clear()
        QTest.keyClick(editor, Qt.Key.Key_E)  # as typed into the shortcut's field
        qtbot.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )

    with answering(qtbot, (SettingsDialog, change)):
        surface.fire(window, "app.settings")
    assert Settings().get("coder/name") == "Tess"
    assert window.coder_name() == "Tess"
    assert Settings().shortcuts() == {"nav.end": "E"}
    surface.activate(window)
    view = window.player_view
    last = view.info.frame_table.frame_count - 1
    with qtbot.waitSignal(view.frame_shown, timeout=10_000, check_params_cb=lambda i: i == last):
        QTest.keySequence(window, QKeySequence("E"))
    QTest.keySequence(window, QKeySequence("End"))  # no longer the key: nothing moves
    assert view.current_frame()[0] == last
    view.show_frame(0)
    QTest.keySequence(window, QKeySequence("End"))
    assert view.current_frame()[0] == 0


@covers("help.about")
def test_about_names_the_version(window, surface, qtbot):
    shown = {}

    def look(box: QMessageBox) -> None:
        shown["title"], shown["text"] = box.windowTitle(), box.text()
        box.close()

    with answering(qtbot, (QMessageBox, look)):
        surface.fire(window, "help.about")
    assert shown["title"] == "About VFA"
    assert shown["text"].startswith(f"VFA {vfa.__version__} — Video Feedback Annotator")


@covers("app.quit")
def test_quit_closes_the_window_and_keeps_its_geometry(window, surface, qtbot):
    ws = window.ws
    surface.fire(window, "app.quit")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    assert not Settings().get("window/geometry").isEmpty()
    assert window.player_view.info is None  # the clip was let go
    assert ws.path is not None and ws.path.is_file()


def test_opening_another_workspace_lets_go_of_the_first_ones_undo_steps_and_windows(
    window, surface, qtbot, tmp_path
):
    from vfa.services import events
    from vfa.storage.workspace import open_workspace

    first = window.ws.path
    window.coding.choose("vipp_sd")
    qtbot.keyClick(window, Qt.Key.Key_P)  # a positive moment, on the undo stack
    run_id = window.coding.run.id
    (coded,) = events.run_events(window.ws, run_id)
    surface.fire(window, "reliability.open")
    reliability = window.reliability
    qtbot.waitExposed(reliability)
    other = tmp_path / "other.vfa"
    open_workspace(other, create=True).close()
    with answering(qtbot, (QFileDialog, TypeFileName(other))):
        surface.fire(window, "workspace.open")
    qtbot.waitUntil(lambda: window.ws is not None and window.ws.path == other, timeout=20_000)
    surface.fire(window, "edit.undo")
    before = open_workspace(first)
    try:
        assert events.run_events(before, run_id) == [coded]  # not undone behind the scenes
    finally:
        before.close()
    assert window.undo_stack.count() == 0  # the edits were the other workspace's
    assert window.coding.ws is None and window.coding.run is None
    assert window.reliability is None and not reliability.isVisible()
