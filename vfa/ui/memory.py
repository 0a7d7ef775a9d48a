"""What the window remembers from one run to the next, in the settings file: where its
splitters were, the clip last open in each workspace, who worked in it, and the scheme
last used on each clip."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QSplitter

from vfa.services.workspaces import Workspace
from vfa.ui.settings import Settings


def place_key(ws: Workspace) -> str:
    """A settings key for a workspace: a digest of where it is (its file or its URL)."""
    where = ws.url if ws.path is None else str(Path(ws.path).resolve())
    return hashlib.sha256(where.encode()).hexdigest()[:20]


class Memory(QObject):
    """The window's memory: splitter positions, the last clip, the scheme of each clip."""

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._kept: dict[QObject, str] = {}
        self._first: dict[QObject, Callable[[int], object]] = {}  # at the first Show

    def last_clip(self, ws: Workspace) -> int | None:
        """The clip last open in this workspace, if any."""
        text = self.settings.recalled("last-clip", place_key(ws))
        return int(text) if text.isdigit() else None

    def remember_clip(self, ws: Workspace, clip_id: int) -> None:
        """This clip is the one open in the workspace."""
        self.settings.remember("last-clip", place_key(ws), str(clip_id))

    def scheme_of(self, ws: Workspace, clip_id: int) -> str | None:
        """The id of the scheme last used on a clip, if any."""
        return self.settings.recalled("clip-scheme", f"{place_key(ws)}-{clip_id}") or None

    def remember_scheme(self, ws: Workspace, clip_id: int, scheme_id: str) -> None:
        """This scheme is the one used on the clip."""
        self.settings.remember("clip-scheme", f"{place_key(ws)}-{clip_id}", scheme_id)

    def reliability_scheme(self, ws: Workspace) -> str | None:
        """The scheme the Reliability window last showed for this workspace, if any."""
        return self.settings.recalled("reliability-scheme", place_key(ws)) or None

    def remember_reliability_scheme(self, ws: Workspace, scheme_id: str) -> None:
        """This scheme is the one the Reliability window shows for the workspace."""
        self.settings.remember("reliability-scheme", place_key(ws), scheme_id)

    def person_of(self, ws: Workspace) -> str:
        """Who the window worked as in this workspace last time ('' when nobody was
        chosen for it)."""
        return self.settings.recalled("person", place_key(ws))

    def remember_person(self, ws: Workspace, name: str) -> None:
        """The window works as this person in the workspace (File → Who are you…)."""
        self.settings.remember("person", place_key(ws), name)

    def keep(
        self, splitter: QSplitter, option: str, first: Callable[[int], list[int]] | None = None
    ) -> None:
        """Lay the splitter out as it was last time (else as ``first`` says for its
        length) when it is first shown at its size, and remember it whenever it is hidden
        (its window closes, its tab is left)."""
        state = self.settings.get(option)
        if not state.isEmpty():
            self._first[splitter] = lambda _length: splitter.restoreState(state)
        elif first is not None:
            self._first[splitter] = lambda length: splitter.setSizes(first(length))
        self._kept[splitter] = option
        splitter.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        option = self._kept.get(watched)
        if option is None or not isinstance(watched, QSplitter):
            return False
        if event.type() == QEvent.Type.Show and watched in self._first:
            horizontal = watched.orientation() == Qt.Orientation.Horizontal
            self._first.pop(watched)(watched.width() if horizontal else watched.height())
        elif event.type() == QEvent.Type.Hide:
            self.settings.set(option, watched.saveState())
        return False
