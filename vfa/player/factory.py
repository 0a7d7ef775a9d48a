"""Choose a backend: libVLC when it loads and can embed, else QtMultimedia."""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication

from vfa.player.base import Player

EMBEDDABLE_PLATFORMS = {"xcb", "windows", "cocoa"}
BACKENDS = ("auto", "vlc", "qt")


def create_player(preferred: str = "auto") -> tuple[Player, str]:
    """A player and a note for the status bar saying which backend and why."""
    if preferred not in BACKENDS:
        preferred = "auto"
    if preferred == "qt":
        return _qt(), "Player: Qt Multimedia (chosen in settings)"
    platform = QGuiApplication.platformName()
    if platform not in EMBEDDABLE_PLATFORMS:
        why = f"libVLC cannot embed its video on the '{platform}' display platform"
        if sys.platform.startswith("linux") and platform == "wayland":
            why += " (start VFA with QT_QPA_PLATFORM=xcb)"
        return _qt(), f"Player: Qt Multimedia — {why}"
    from vfa.player.vlc_backend import VlcPlayer
    from vfa.player.vlc_loader import vlc_status

    instance, why = vlc_status()
    if instance is None:
        return _qt(), f"Player: Qt Multimedia — {why}"
    return VlcPlayer(instance), f"Player: VLC ({why})"


def _qt() -> Player:
    from vfa.player.qt_backend import QtPlayer

    return QtPlayer()
