"""The timeline's filmstrip and waveform for a clip, cached per content fingerprint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vfa.services.clips import ClipInfo


def build_timeline_media(
    info: ClipInfo,
    *,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> tuple[Any, Any]:
    """(filmstrip, waveform or None): from the cache, else built in one pass each."""
    from vfa.media.filmstrip import load_or_build_filmstrip
    from vfa.media.waveform import load_or_build_waveform

    def part(lo: float, hi: float) -> Callable[[float], None]:
        return lambda f: progress(lo + (hi - lo) * f) if progress else None

    strip = load_or_build_filmstrip(
        info.path, info.fingerprint, info.rotation, progress=part(0.0, 0.75), cancelled=cancelled
    )
    wave = None
    if info.has_audio:
        wave = load_or_build_waveform(
            info.path, info.fingerprint, progress=part(0.75, 1.0), cancelled=cancelled
        )
    if progress:
        progress(1.0)
    return strip, wave
