"""Every window action and its shortcut, declared in one place; shortcuts are editable."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from vfa.ui.names import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str  # the English text, marked for lupdate by QT_TRANSLATE_NOOP("actions", …)
    shortcut: str | QKeySequence.StandardKey | None = None
    menu: str = "file"


def action_text(spec: ActionSpec) -> str:
    """An action's text in the user's language (its source is marked in SPECS)."""
    return QCoreApplication.translate("actions", spec.text)


SPECS = [
    ActionSpec(
        "workspace.new",
        QT_TRANSLATE_NOOP("actions", "&New workspace…"),
        QKeySequence.StandardKey.New,
    ),
    ActionSpec(
        "workspace.open",
        QT_TRANSLATE_NOOP("actions", "&Open workspace…"),
        QKeySequence.StandardKey.Open,
    ),
    ActionSpec("workspace.demo", QT_TRANSLATE_NOOP("actions", "Open the &demo workspace")),
    ActionSpec("clip.add", QT_TRANSLATE_NOOP("actions", "&Add clips…"), "Ctrl+I"),
    ActionSpec("clip.relink", QT_TRANSLATE_NOOP("actions", "&Relink missing clips…")),
    ActionSpec("clip.check", QT_TRANSLATE_NOOP("actions", "&Check clip files")),
    ActionSpec("workspace.backups", QT_TRANSLATE_NOOP("actions", "&Backups…")),
    ActionSpec("workspace.encrypt", QT_TRANSLATE_NOOP("actions", "Encr&ypt workspace…")),
    ActionSpec("workspace.decrypt", QT_TRANSLATE_NOOP("actions", "Decryp&t workspace…")),
    ActionSpec("workspace.check", QT_TRANSLATE_NOOP("actions", "Check &workspace"), None, "help"),
    ActionSpec("coding.import", QT_TRANSLATE_NOOP("actions", "&Import coding…")),
    ActionSpec("coding.export", QT_TRANSLATE_NOOP("actions", "E&xport coding…")),
    ActionSpec("person.choose", QT_TRANSLATE_NOOP("actions", "&Who are you…")),
    ActionSpec("people.manage", QT_TRANSLATE_NOOP("actions", "P&eople…")),
    ActionSpec("workspace.merge", QT_TRANSLATE_NOOP("actions", "&Merge workspace…")),
    ActionSpec("still.save", QT_TRANSLATE_NOOP("actions", "Save &still…"), "Ctrl+Shift+S"),
    ActionSpec("case.progress", QT_TRANSLATE_NOOP("actions", "&Progress over time for this case…")),
    ActionSpec(
        "app.settings",
        QT_TRANSLATE_NOOP("actions", "&Settings…"),
        QKeySequence.StandardKey.Preferences,
    ),
    ActionSpec("app.quit", QT_TRANSLATE_NOOP("actions", "&Quit"), QKeySequence.StandardKey.Quit),
    ActionSpec("player.toggle", QT_TRANSLATE_NOOP("actions", "&Play / pause"), "Space", "playback"),
    ActionSpec(
        "nav.frame_back", QT_TRANSLATE_NOOP("actions", "Previous frame"), "Left", "playback"
    ),
    ActionSpec(
        "nav.frame_forward", QT_TRANSLATE_NOOP("actions", "Next frame"), "Right", "playback"
    ),
    ActionSpec(
        "nav.second_back", QT_TRANSLATE_NOOP("actions", "Back one second"), "Shift+Left", "playback"
    ),
    ActionSpec(
        "nav.second_forward",
        QT_TRANSLATE_NOOP("actions", "Forward one second"),
        "Shift+Right",
        "playback",
    ),
    ActionSpec(
        "nav.five_back", QT_TRANSLATE_NOOP("actions", "Back five seconds"), "Ctrl+Left", "playback"
    ),
    ActionSpec(
        "nav.five_forward",
        QT_TRANSLATE_NOOP("actions", "Forward five seconds"),
        "Ctrl+Right",
        "playback",
    ),
    ActionSpec("nav.start", QT_TRANSLATE_NOOP("actions", "Go to start"), "Home", "playback"),
    ActionSpec("nav.end", QT_TRANSLATE_NOOP("actions", "Go to end"), "End", "playback"),
    ActionSpec(
        "nav.goto", QT_TRANSLATE_NOOP("actions", "&Go to time or frame…"), "Ctrl+G", "playback"
    ),
    ActionSpec(
        "shuttle.reverse", QT_TRANSLATE_NOOP("actions", "Shuttle backwards (J)"), "J", "playback"
    ),
    ActionSpec("shuttle.stop", QT_TRANSLATE_NOOP("actions", "Shuttle stop (K)"), "K", "playback"),
    ActionSpec(
        "shuttle.forward", QT_TRANSLATE_NOOP("actions", "Shuttle forwards (L)"), "L", "playback"
    ),
    ActionSpec("rate.slower", QT_TRANSLATE_NOOP("actions", "Slower"), "[", "playback"),
    ActionSpec("rate.faster", QT_TRANSLATE_NOOP("actions", "Faster"), "]", "playback"),
    ActionSpec("loop.in", QT_TRANSLATE_NOOP("actions", "Loop starts here"), "I", "playback"),
    ActionSpec("loop.out", QT_TRANSLATE_NOOP("actions", "Loop ends here"), "O", "playback"),
    ActionSpec(
        "loop.toggle", QT_TRANSLATE_NOOP("actions", "&Loop the range"), "Ctrl+L", "playback"
    ),
    ActionSpec(
        "timeline.zoom_in", QT_TRANSLATE_NOOP("actions", "Zoom timeline in"), "Ctrl+=", "playback"
    ),
    ActionSpec(
        "timeline.zoom_out", QT_TRANSLATE_NOOP("actions", "Zoom timeline out"), "Ctrl+-", "playback"
    ),
    ActionSpec(
        "edit.undo", QT_TRANSLATE_NOOP("actions", "&Undo"), QKeySequence.StandardKey.Undo, "edit"
    ),
    ActionSpec(
        "edit.redo", QT_TRANSLATE_NOOP("actions", "&Redo"), QKeySequence.StandardKey.Redo, "edit"
    ),
    ActionSpec(
        "event.delete",
        QT_TRANSLATE_NOOP("actions", "Delete the event at the playhead"),
        "Ctrl+Backspace",
        "edit",
    ),
    ActionSpec(
        "event.modifiers",
        QT_TRANSLATE_NOOP("actions", "Modifiers of the event at the playhead…"),
        "Ctrl+M",
        "edit",
    ),
    ActionSpec(
        "evidence.link",
        QT_TRANSLATE_NOOP("actions", "Link the moment at the playhead to the item"),
        "Ctrl+E",
        "edit",
    ),
    ActionSpec(
        "moment.still",
        QT_TRANSLATE_NOOP("actions", "Make this frame the moment's still"),
        "Ctrl+K",
        "feedback",
    ),
    ActionSpec(
        "clip.consent", QT_TRANSLATE_NOOP("actions", "&Consent for this clip…"), None, "feedback"
    ),
    ActionSpec("reel.present", QT_TRANSLATE_NOOP("actions", "&Present the reel"), "F5", "feedback"),
    ActionSpec(
        "reel.export", QT_TRANSLATE_NOOP("actions", "&Export the reel…"), "Ctrl+Shift+E", "feedback"
    ),
    ActionSpec(
        "reel.script", QT_TRANSLATE_NOOP("actions", "Feedback &script (PDF)…"), None, "feedback"
    ),
    ActionSpec(
        "reliability.open",
        QT_TRANSLATE_NOOP("actions", "&Reliability…"),
        "Ctrl+Shift+R",
        "reliability",
    ),
    ActionSpec("tools.audit", QT_TRANSLATE_NOOP("actions", "&Audit trail…"), None, "tools"),
    ActionSpec("help.quick_start", QT_TRANSLATE_NOOP("actions", "&Quick start"), None, "help"),
    ActionSpec(
        "help.shortcuts", QT_TRANSLATE_NOOP("actions", "&Keyboard shortcuts"), "Ctrl+/", "help"
    ),
    ActionSpec("help.about", QT_TRANSLATE_NOOP("actions", "&About VFA"), None, "help"),
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
        action = QAction(action_text(spec), parent)
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
