"""Who the open team workspaces say the person in this process is.

On a team workspace (PostgreSQL) a person is who they log in as: opening it finds the
person whose login the server names, and signs them in here until it is closed;
``vfa.services.viewer`` asks here before the settings. One process is one person: with
several team workspaces open, the most recently opened one speaks. Plain Python, no
database: the viewer reads it on every call.
"""

from __future__ import annotations

import threading
import weakref

_lock = threading.Lock()
_signed: list[tuple[weakref.ref[object], str]] = []  # oldest first


def sign_in(owner: object, name: str) -> None:
    """``name`` is the person while ``owner`` (an open workspace) lives or until signed out."""
    with _lock:
        _signed.append((weakref.ref(owner), name))


def sign_out(owner: object) -> None:
    """``owner`` no longer speaks for the person (its workspace was closed)."""
    with _lock:
        _signed[:] = [(ref, n) for ref, n in _signed if ref() is not None and ref() is not owner]


def signed_in() -> str | None:
    """The person the most recently opened team workspace logged in as, or None."""
    with _lock:
        for ref, name in reversed(_signed):
            if ref() is not None:
                return name
    return None
