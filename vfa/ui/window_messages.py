"""How the main window tells the user things: problems and successes in its message bar
(by topic: a success replaces its topic's problem), passing notes in the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vfa.ui.messages import MessageBar, note

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    _Window = QMainWindow
else:
    _Window = object


class WindowMessages(_Window):
    """The window's messages (a mixin of the main window, which makes ``messages``)."""

    messages: MessageBar

    def show_error(self, message: str, topic: str = "") -> None:
        """Show a problem in the window's message bar (never a crash); it stays until the
        topic's next message (its success) replaces it, or it is dismissed."""
        self.messages.error(message, topic)

    def show_warning(self, message: str, topic: str = "") -> None:
        """A warning in the message bar, in place of the topic's last message."""
        self.messages.warning(message, topic)

    def show_info(self, message: str, topic: str = "") -> None:
        """A success: shown (not in red) in place of the topic's problem; goes by itself."""
        self.messages.info(message, topic)

    def note(self, text: str) -> None:
        """A passing note in the status bar (it times out)."""
        note(self.statusBar(), text)
