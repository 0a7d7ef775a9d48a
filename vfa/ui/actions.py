"""Every window action and its shortcut, declared in one place; shortcuts are editable."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    shortcut: str | QKeySequence.StandardKey | None = None
    menu: str = "file"


def _t(text: str) -> str:
    return QCoreApplication.translate("actions", text)


SPECS = [
    ActionSpec("workspace.new", "&New workspace…", QKeySequence.StandardKey.New),
    ActionSpec("workspace.open", "&Open workspace…", QKeySequence.StandardKey.Open),
    ActionSpec("workspace.demo", "Open the &demo workspace"),
    ActionSpec("clip.add", "&Add clips…", "Ctrl+I"),
    ActionSpec("clip.relink", "&Relink missing clips…"),
    ActionSpec("clip.check", "&Check clip files"),
    ActionSpec("workspace.backups", "&Backups…"),
    ActionSpec("workspace.check", "Check &workspace", None, "help"),
    ActionSpec("coding.import", "&Import coding…"),
    ActionSpec("coding.export", "E&xport coding…"),
    ActionSpec("still.save", "Save &still…", "Ctrl+Shift+S"),
    ActionSpec("case.progress", "&Progress over time for this case…"),
    ActionSpec("app.settings", "&Settings…", QKeySequence.StandardKey.Preferences),
    ActionSpec("app.quit", "&Quit", QKeySequence.StandardKey.Quit),
    ActionSpec("player.toggle", "&Play / pause", "Space", "playback"),
    ActionSpec("nav.frame_back", "Previous frame", "Left", "playback"),
    ActionSpec("nav.frame_forward", "Next frame", "Right", "playback"),
    ActionSpec("nav.second_back", "Back one second", "Shift+Left", "playback"),
    ActionSpec("nav.second_forward", "Forward one second", "Shift+Right", "playback"),
    ActionSpec("nav.five_back", "Back five seconds", "Ctrl+Left", "playback"),
    ActionSpec("nav.five_forward", "Forward five seconds", "Ctrl+Right", "playback"),
    ActionSpec("nav.start", "Go to start", "Home", "playback"),
    ActionSpec("nav.end", "Go to end", "End", "playback"),
    ActionSpec("nav.goto", "&Go to time or frame…", "Ctrl+G", "playback"),
    ActionSpec("shuttle.reverse", "Shuttle backwards (J)", "J", "playback"),
    ActionSpec("shuttle.stop", "Shuttle stop (K)", "K", "playback"),
    ActionSpec("shuttle.forward", "Shuttle forwards (L)", "L", "playback"),
    ActionSpec("rate.slower", "Slower", "[", "playback"),
    ActionSpec("rate.faster", "Faster", "]", "playback"),
    ActionSpec("loop.in", "Loop starts here", "I", "playback"),
    ActionSpec("loop.out", "Loop ends here", "O", "playback"),
    ActionSpec("loop.toggle", "&Loop the range", "Ctrl+L", "playback"),
    ActionSpec("timeline.zoom_in", "Zoom timeline in", "Ctrl+=", "playback"),
    ActionSpec("timeline.zoom_out", "Zoom timeline out", "Ctrl+-", "playback"),
    ActionSpec("edit.undo", "&Undo", QKeySequence.StandardKey.Undo, "edit"),
    ActionSpec("edit.redo", "&Redo", QKeySequence.StandardKey.Redo, "edit"),
    ActionSpec("event.delete", "Delete the event at the playhead", "Ctrl+Backspace", "edit"),
    ActionSpec("event.modifiers", "Modifiers of the event at the playhead…", "Ctrl+M", "edit"),
    ActionSpec("evidence.link", "Link the moment at the playhead to the item", "Ctrl+E", "edit"),
    ActionSpec("moment.still", "Make this frame the moment's still", "Ctrl+K", "feedback"),
    ActionSpec("clip.consent", "&Consent for this clip…", None, "feedback"),
    ActionSpec("reel.present", "&Present the reel", "F5", "feedback"),
    ActionSpec("reel.export", "&Export the reel…", "Ctrl+Shift+E", "feedback"),
    ActionSpec("reel.script", "Feedback &script (PDF)…", None, "feedback"),
    ActionSpec("reliability.open", "&Reliability…", "Ctrl+Shift+R", "reliability"),
    ActionSpec("help.quick_start", "&Quick start", None, "help"),
    ActionSpec("help.shortcuts", "&Keyboard shortcuts", "Ctrl+/", "help"),
    ActionSpec("help.about", "&About VFA", None, "help"),
]
SPEC_BY_ID = {spec.id: spec for spec in SPECS}


def default_shortcut(action_id: str) -> str:
    """The shipped shortcut of an action, in portable text ('' when none)."""
    shortcut = SPEC_BY_ID[action_id].shortcut
    if shortcut is None:
        return ""
    return QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.PortableText)


def effective_shortcuts(overrides: Mapping[str, str]) -> dict[str, str]:
    """Every action's shortcut: the user's override where there is one, else the default."""
    return {s.id: overrides.get(s.id, default_shortcut(s.id)) for s in SPECS}


def conflicts(shortcuts: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(key, action, other action) for every key given to two actions."""
    seen: dict[str, str] = {}
    found = []
    for action_id, key in shortcuts.items():
        if not key:
            continue
        if key in seen:
            found.append((key, seen[key], action_id))
        else:
            seen[key] = action_id
    return found


def build_actions(
    parent: QWidget,
    handlers: Mapping[str, Callable[[], object]],
    overrides: Mapping[str, str] | None = None,
) -> dict[str, QAction]:
    """Create the QActions, wire each to its handler and return them by id."""
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        action = QAction(_t(spec.text), parent)
        action.setObjectName(spec.id)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        handler = handlers.get(spec.id)
        if handler is not None:
            action.triggered.connect(lambda _checked=False, h=handler: h())
        parent.addAction(action)
        actions[spec.id] = action
    apply_shortcuts(actions, overrides or {})
    return actions


def apply_shortcuts(actions: Mapping[str, QAction], overrides: Mapping[str, str]) -> None:
    """Set every action's shortcut from the overrides and defaults."""
    for action_id, key in effective_shortcuts(overrides).items():
        actions[action_id].setShortcut(QKeySequence.fromString(key))


NAVIGATION_KEYS = {
    Qt.Key.Key_Space,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_J,
    Qt.Key.Key_K,
    Qt.Key.Key_L,
    Qt.Key.Key_I,
    Qt.Key.Key_O,
    Qt.Key.Key_BracketLeft,
    Qt.Key.Key_BracketRight,
}
