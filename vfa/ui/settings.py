"""User settings, each declared once with its type and default (an INI file)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_config_path
from PySide6.QtCore import QByteArray, QSettings


def config_dir() -> Path:
    """``$VFA_CONFIG_DIR`` or the platform's user config folder."""
    env = os.environ.get("VFA_CONFIG_DIR")
    return Path(env) if env else user_config_path("vfa", appauthor=False)


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    title: str


OPTIONS = {
    o.key: o
    for o in (
        Option("player/backend", str, "auto", "Video player (auto, vlc or qt)"),
        Option("workspace/last", str, "", "Last workspace opened"),
        Option("coder/name", str, "", "Your name as it appears on codings"),
        Option("app/language", str, "", "The window's language (empty: the system's)"),
        Option("window/geometry", QByteArray, QByteArray(), "Main window geometry"),
        Option("window/state", QByteArray, QByteArray(), "Main window layout"),
        Option("window/panes", QByteArray, QByteArray(), "Clips, player and side panes"),
        Option("coding/panes", QByteArray, QByteArray(), "Coding form and item details"),
    )
}


class Settings:
    """Typed access to the declared options."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or config_dir() / "vfa.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        value = self._qs.value(key, option.default)
        if option.type is QByteArray:
            return value if isinstance(value, QByteArray) else QByteArray()
        return option.type(value) if value is not None else option.default

    def shortcuts(self) -> dict[str, str]:
        """The user's shortcut overrides, by action id (portable key text)."""
        self._qs.beginGroup("shortcuts")
        try:
            return {key.replace("-", "."): str(self._qs.value(key)) for key in self._qs.childKeys()}
        finally:
            self._qs.endGroup()

    def set_shortcuts(self, overrides: dict[str, str]) -> None:
        """Replace the shortcut overrides (only those that differ from the defaults)."""
        self._qs.remove("shortcuts")
        for action_id, key in overrides.items():
            self._qs.setValue(f"shortcuts/{action_id.replace('.', '-')}", key)
        self._qs.sync()

    def recalled(self, group: str, key: str) -> str:
        """What was remembered under ``group`` for ``key`` (a name without ``/``), or ''."""
        value = self._qs.value(f"{group}/{key}", "")
        return value if isinstance(value, str) else ""

    def remember(self, group: str, key: str, value: str) -> None:
        """Remember ``value`` under ``group`` for ``key`` (the last clip of a workspace)."""
        self._qs.setValue(f"{group}/{key}", value)
        self._qs.sync()

    def set(self, key: str, value: Any) -> None:
        if key not in OPTIONS:
            raise KeyError(key)
        self._qs.setValue(key, value)
        self._qs.sync()
