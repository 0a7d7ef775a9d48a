"""Load libVLC, optionally on a background thread while the rest of VFA starts.

Creating a ``vlc.Instance`` loads libVLC and its plugins (a few hundred milliseconds);
started early, it overlaps with importing Qt and the database layer. No Qt here.
"""

from __future__ import annotations

import os
import shlex
import threading
from typing import Any

BASE_ARGS = [
    "--no-xlib",
    "--no-video-title-show",
    "--no-mouse-events",
    "--no-keyboard-events",
    "--no-metadata-network-access",
    "--no-stats",
    "--quiet",
]


def _vlc_args() -> list[str]:
    return BASE_ARGS + shlex.split(os.environ.get("VFA_VLC_ARGS", ""))


def _create() -> tuple[Any | None, str]:
    try:
        import vlc
    except (ImportError, OSError) as exc:
        return None, f"python-vlc cannot be loaded ({exc})"
    try:
        version = vlc.libvlc_get_version()
    except (NameError, OSError, AttributeError) as exc:
        return None, f"libVLC is not installed ({type(exc).__name__})"
    try:
        instance = vlc.Instance(_vlc_args())
    except (NameError, OSError, AttributeError) as exc:  # pragma: no cover
        return None, f"libVLC failed to start ({exc})"
    if instance is None:
        return None, (
            f"libVLC {version.decode(errors='replace')} is installed but its plugins "
            "are missing (install vlc-plugin-base and vlc-plugin-video-output)"
        )
    return instance, f"libVLC {version.decode(errors='replace')}"


_lock = threading.Lock()
_result: tuple[Any | None, str] | None = None
_thread: threading.Thread | None = None


def _load() -> None:
    global _result
    status = _create()
    with _lock:
        _result = status


def preload() -> None:
    """Start loading libVLC on a daemon thread (a no-op when already started)."""
    global _thread
    with _lock:
        if _thread is None and _result is None:
            _thread = threading.Thread(target=_load, name="vlc-preload", daemon=True)
            _thread.start()


def vlc_status() -> tuple[Any | None, str]:
    """(a vlc.Instance or None, a sentence saying which libVLC or why not)."""
    thread = _thread
    if thread is not None:
        thread.join()
    with _lock:
        if _result is not None:
            return _result
    _load()
    assert _result is not None
    return _result
