"""The voices of a generated demo scene: soft voice-like tones made from its script.

The parent's talk is syllables of a few harmonics with the wide, rising and falling pitch
of infant-directed speech; the song is a slow pentatonic tune with a little vibrato; the
infant coos (a rising and falling glide) and laughs (short bursts). Every sound has a
smooth onset and end, and a quiet room tone lies under everything. The same syllables
open the drawn mouths (:func:`mouth_open`), so picture and sound agree.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from vfa.media.scene_script import SceneScript, Span

TALK_HARMONICS = (1.0, 0.5, 0.28, 0.14, 0.07)
SONG_HARMONICS = (1.0, 0.32, 0.12, 0.05)
INFANT_HARMONICS = (1.0, 0.3, 0.1)
PENTATONIC = (262.0, 294.0, 330.0, 392.0, 440.0)
SAMPLE_RATE = 24_000  # voices and their harmonics lie below 3 kHz; half the AAC work


@dataclass(frozen=True)
class Syllable:
    """One voiced sound: when, its pitch at start, middle and end (Hz), and how loud."""

    start: float  # seconds
    end: float
    f0: tuple[float, float, float]
    level: float
    harmonics: tuple[float, ...]
    vibrato: float = 0.0


def _talk(span: Span, rng: random.Random) -> list[Syllable]:
    out = []
    t, end = span.start_ms / 1000, span.end_ms / 1000
    base = rng.uniform(235, 265)
    rise = rng.random() < 0.6  # infant-directed phrases often end rising
    while t < end - 0.1:
        n = min(rng.uniform(0.15, 0.26), end - t)
        f = (t - span.start_ms / 1000) / max(end - span.start_ms / 1000, 0.01)
        contour = base * (1 + 0.22 * math.sin(math.pi * f) + (0.25 * f * f if rise else -0.1 * f))
        a, b = contour * rng.uniform(0.94, 1.04), contour * rng.uniform(1.0, 1.12)
        out.append(Syllable(t, t + n, (a, b, contour), rng.uniform(0.7, 1.0), TALK_HARMONICS))
        t += n + rng.uniform(0.04, 0.09)
    return out


def _sing(span: Span, rng: random.Random) -> list[Syllable]:
    out = []
    t, end = span.start_ms / 1000, span.end_ms / 1000
    note = rng.randrange(len(PENTATONIC))
    while t < end - 0.15:
        n = min(rng.choice((0.38, 0.38, 0.76)), end - t)
        f = PENTATONIC[note]
        out.append(Syllable(t, t + n - 0.03, (f, f, f), 0.85, SONG_HARMONICS, vibrato=0.012))
        note = min(max(note + rng.choice((-2, -1, 1, 1, 2)), 0), len(PENTATONIC) - 1)
        t += n
    return out


def _coo(span: Span, rng: random.Random) -> list[Syllable]:
    a = rng.uniform(380, 420)
    return [
        Syllable(
            span.start_ms / 1000, span.end_ms / 1000, (a, a * 1.22, a * 1.02), 0.8, INFANT_HARMONICS
        )
    ]


def _laugh(span: Span, rng: random.Random) -> list[Syllable]:
    out, t, end = [], span.start_ms / 1000, span.end_ms / 1000
    f = rng.uniform(430, 470)
    while t < end - 0.06:
        out.append(Syllable(t, t + 0.1, (f, f * 1.05, f * 0.92), 0.75, INFANT_HARMONICS))
        t += 0.17
        f *= 0.96
    return out


_MAKERS = {"talk": _talk, "sing": _sing, "coo": _coo, "laugh": _laugh}


@lru_cache(maxsize=8)
def syllables(script: SceneScript, who: str) -> tuple[Syllable, ...]:
    """Every voiced sound of the parent or the infant, in time order."""
    out: list[Syllable] = []
    for span in script.spans(f"{who}_voice"):
        rng = random.Random(script.seed * 100_003 + span.start_ms)
        out.extend(_MAKERS[span.what](span, rng))
    return tuple(out)


def _envelope(x: np.ndarray | float) -> np.ndarray | float:
    """0 → 1 → 0 over a syllable's 0..1, with soft edges."""
    return np.sin(np.pi * np.clip(x, 0, 1)) ** 0.6


def mouth_open(script: SceneScript, who: str, t_ms: float) -> float:
    """How open a mouth is at ``t_ms`` (0 closed .. 1 wide), from the voice's syllables."""
    t = t_ms / 1000
    for s in syllables(script, who):
        if s.start <= t < s.end:
            return float(_envelope((t - s.start) / (s.end - s.start))) * s.level
    return 0.0


def _voice(out: np.ndarray, s: Syllable, level: float) -> None:
    a, b = round(s.start * SAMPLE_RATE), min(round(s.end * SAMPLE_RATE), len(out))
    if b <= a:
        return
    x = np.linspace(0.0, 1.0, b - a, endpoint=False)
    f0a, f0m, f0b = s.f0
    f0 = np.where(x < 0.5, f0a + (f0m - f0a) * x * 2, f0m + (f0b - f0m) * (x - 0.5) * 2)
    if s.vibrato:
        f0 = f0 * (1 + s.vibrato * np.sin(2 * np.pi * 5.5 * x * (b - a) / SAMPLE_RATE))
    phase = 2 * np.pi * np.cumsum(f0) / SAMPLE_RATE
    wave = np.zeros_like(phase)
    for k, h in enumerate(s.harmonics, start=1):
        wave += h * np.sin(k * phase)
    wave /= sum(s.harmonics)
    out[a:b] += level * s.level * wave * _envelope(x)


def scene_sound(script: SceneScript, seconds: float) -> np.ndarray:
    """The scene's sound track: mono float32 samples at ``SAMPLE_RATE``."""
    n = int(seconds * SAMPLE_RATE)
    rng = np.random.default_rng(script.seed)
    noise = rng.standard_normal(n + 63).astype(np.float32)
    out = (np.convolve(noise, np.ones(64, np.float32) / 64, mode="valid")[:n] * 0.02).astype(
        np.float64
    )
    for s in syllables(script, "parent"):
        _voice(out, s, 0.28)
    for s in syllables(script, "infant"):
        _voice(out, s, 0.2)
    return np.clip(out, -1, 1).astype(np.float32)
