"""Where workspaces are, without the database layer (the window and the command line ask
before SQLAlchemy is imported)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path


def default_workspace_path() -> Path:
    """The user's own workspace: ``$VFA_WORKSPACE`` or the platform's user data folder."""
    env = os.environ.get("VFA_WORKSPACE")
    if env:
        return Path(env).expanduser()
    return user_data_path("vfa", appauthor=False) / "workspace.vfa"


def is_memory_url(url: str) -> bool:
    """Whether a URL names an in-memory SQLite database (it keeps nothing once closed)."""
    text = url.strip()
    return text.startswith("sqlite:") and (
        text.split("?", 1)[0] in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in text
    )
