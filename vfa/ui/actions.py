"""Every window action and its shortcut, declared in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    shortcut: str | QKeySequence.StandardKey | None = None


def _t(text: str) -> str:
    return QCoreApplication.translate("actions", text)


SPECS = [
    ActionSpec("workspace.new", "&New workspace…", QKeySequence.StandardKey.New),
    ActionSpec("workspace.open", "&Open workspace…", QKeySequence.StandardKey.Open),
    ActionSpec("workspace.demo", "Open the &demo workspace"),
    ActionSpec("clip.add", "&Add clips…", "Ctrl+I"),
    ActionSpec("clip.relink", "&Relink missing clips…"),
    ActionSpec("clip.check", "&Check clip files"),
    ActionSpec("app.settings", "&Settings…", QKeySequence.StandardKey.Preferences),
    ActionSpec("app.quit", "&Quit", QKeySequence.StandardKey.Quit),
    ActionSpec("player.toggle", "&Play / pause", "Space"),
    ActionSpec("help.about", "&About VFA"),
]


def build_actions(parent: QWidget, handlers: dict[str, Callable[[], object]]) -> dict[str, QAction]:
    """Create the QActions, wire each to its handler and return them by id."""
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        action = QAction(_t(spec.text), parent)
        action.setObjectName(spec.id)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        handler = handlers.get(spec.id)
        if handler is not None:
            action.triggered.connect(lambda _checked=False, h=handler: h())
        parent.addAction(action)
        actions[spec.id] = action
    return actions
