"""Per-clip cache files for timeline media, and the plumbing their builders share.

Cached files live under ``$VFA_CACHE_DIR`` (else the platform's user cache folder) as
``<cache>/<kind>/<fingerprint>.<suffix>``. They are written through
:func:`vfa.atomic.atomic_writer` (readable by the user only), so a reader sees either the
old file, the new one or none, never half of one.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
from platformdirs import user_cache_path

from vfa.atomic import atomic_writer

log = logging.getLogger(__name__)
T = TypeVar("T")

# fingerprints, kinds and suffixes become file names: keep them to safe characters
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# cached pictures and sound of a family's clip: readable by the user only
CACHE_FILE_MODE = 0o600

# how often a long build reports progress at most (steps from 0 to 1)
PROGRESS_STEPS = 50


class Cancelled(Exception):
    """A long build stopped because its caller asked it to."""


def cache_dir() -> Path:
    """The folder for cached timeline media: ``$VFA_CACHE_DIR`` or the user cache folder."""
    configured = os.environ.get("VFA_CACHE_DIR")
    if configured:
        return Path(configured)
    return user_cache_path("vfa", appauthor=False)


def clip_cache_path(fingerprint: str, kind: str, suffix: str) -> Path:
    """``<cache>/<kind>/<fingerprint>.<suffix>``, its folder created."""
    for label, value in (("fingerprint", fingerprint), ("kind", kind), ("suffix", suffix)):
        if not _SAFE_NAME.fullmatch(value):
            raise ValueError(f"cache {label} {value!r} is not a safe file name part")
    folder = cache_dir() / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{fingerprint}.{suffix}"


def cache_file(fingerprint: str, kind: str) -> Path | None:
    """The clip's ``.npz`` cache file of ``kind``; None (logged) where no cache folder
    can be made: the media is then built every time, never refused."""
    try:
        return clip_cache_path(fingerprint, kind, "npz")
    except OSError as exc:
        log.warning("%s cache unavailable (%s)", kind, exc)
        return None


def load_cached(
    cache: Path, settings: np.ndarray, make: Callable[[Mapping[str, np.ndarray]], T]
) -> tuple[bool, T | None]:
    """``(True, make(arrays))`` from a cache file saved with ``settings``; ``(False,
    None)`` when it is absent, made with other settings or unreadable (logged)."""
    if not cache.exists():
        return False, None
    try:
        with np.load(cache, allow_pickle=False) as data:
            if not np.array_equal(data["settings"], settings):
                return False, None
            return True, make(data)
    except Exception as exc:  # any unreadable cache file is rebuilt, whatever broke it
        log.warning("%s: ignoring the unreadable %s cache (%s)", cache, cache.parent.name, exc)
        return False, None


def save_cached(cache: Path, settings: np.ndarray, **arrays: np.ndarray) -> None:
    """Write ``arrays`` and ``settings`` to the cache file whole or not at all (readable
    by the user only); a failure is logged, never raised."""
    try:
        entries: dict[str, Any] = {"settings": settings, **arrays}
        with atomic_writer(cache, mode=CACHE_FILE_MODE) as fh:
            np.savez(fh, **entries)
    except OSError as exc:
        log.warning("%s: could not cache the %s (%s)", cache, cache.parent.name, exc)


def cached_or_built(
    fingerprint: str,
    kind: str,
    settings: np.ndarray,
    load: Callable[[Mapping[str, np.ndarray]], T],
    build: Callable[[], T],
    arrays: Callable[[T], dict[str, np.ndarray]],
) -> T:
    """The clip's ``kind`` from its cache file saved with ``settings``, else ``build()``,
    saved as ``arrays(built)`` (a clip with no cache folder is built every time)."""
    cache = cache_file(fingerprint, kind)
    if cache is not None:
        found, cached = load_cached(cache, settings, load)
        if found:
            return cast(T, cached)
    built = build()
    if cache is not None:
        save_cached(cache, settings, **arrays(built))
    return built


class Progress:
    """Reports a fraction 0..1 to an optional callback, at most about 50 times."""

    def __init__(self, callback: Callable[[float], None] | None, total: float | None) -> None:
        self._callback = callback
        self._total = total if total and total > 0 else None
        self._next = 0.0

    def update(self, done: float) -> None:
        """Report ``done`` out of the total when it has moved on by a step since last time."""
        if self._callback is None or self._total is None:
            return
        fraction = min(max(done / self._total, 0.0), 1.0)
        if fraction >= self._next and fraction < 1.0:
            self._callback(fraction)
            self._next = fraction + 1.0 / PROGRESS_STEPS

    def finish(self) -> None:
        """Report completion."""
        if self._callback is not None:
            self._callback(1.0)
