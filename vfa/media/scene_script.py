"""What happens in a generated demo scene, second by second: the script the picture and
the sound are drawn from, and the demo's coding follows.

A scene is a parent and an infant on a rug with a ball between them. It is made of six
short episodes (an offered toy, a chat with turn-taking, tickling, a pause in which the
infant looks away and the parent waits, a song with stroking, a ball rolled back and
forth), in an order and with timings drawn from a seed, so every visit's clip differs.
Each channel (where the parent looks, where the infant looks, touch, voices, the toy in
the infant's hands) is a list of spans; the gaze channels cover the whole scene.
Pure Python: no drawing, no files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PARENT_GAZE = ("infant", "toy", "away")
INFANT_GAZE = ("parent", "toy", "away")
EPISODES = ("offer", "chat", "tickle", "pause", "song", "roll")
CHANNELS = (
    "parent_gaze",
    "infant_gaze",
    "parent_touch",
    "parent_voice",
    "infant_voice",
    "infant_holds_toy",
)
TOY_PARENT_X = 0.52  # the ball's resting places, as fractions of the width
TOY_MIDDLE_X = 0.56
TOY_INFANT_X = 0.6


@dataclass(frozen=True)
class Span:
    """Something going on from ``start_ms`` to ``end_ms`` (a short sound is a span too)."""

    what: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class ToyMove:
    """The ball rolling along the floor from one place (a fraction of the width) to another."""

    start_ms: int
    end_ms: int
    from_x: float
    to_x: float


@dataclass(frozen=True, eq=False)
class SceneScript:
    """One scene: its length, its episodes and every channel's spans, in time order
    (compared and hashed by identity: one script per generated clip)."""

    seed: int
    duration_ms: int
    episodes: tuple[Span, ...]
    channels: dict[str, tuple[Span, ...]]
    toy_moves: tuple[ToyMove, ...]
    toy_start_x: float

    def spans(self, channel: str) -> tuple[Span, ...]:
        """The spans of one channel (see ``CHANNELS``)."""
        return self.channels[channel]

    def at(self, channel: str, t_ms: float) -> Span | None:
        """The channel's span running at ``t_ms``, or None."""
        for span in self.channels[channel]:
            if span.start_ms <= t_ms < span.end_ms:
                return span
        return None

    def episode(self, name: str) -> Span:
        """Where the named episode lies in the scene."""
        return next(e for e in self.episodes if e.what == name)

    def toy_x(self, t_ms: float) -> float:
        """Where the ball is on the floor at ``t_ms`` (eased between its resting places)."""
        x = self.toy_start_x
        for move in self.toy_moves:
            if t_ms < move.start_ms:
                break
            if t_ms >= move.end_ms:
                x = move.to_x
                continue
            f = (t_ms - move.start_ms) / (move.end_ms - move.start_ms)
            f = f * f * (3 - 2 * f)
            return move.from_x + (move.to_x - move.from_x) * f
        return x


@dataclass
class _Builder:
    """Episodes laid end to end: times are given in seconds from the episode's start and
    stretched by the episode's own pace."""

    t0: float = 0.0
    pace: float = 1.0
    toy_x: float = TOY_MIDDLE_X
    channels: dict[str, list[Span]] = field(default_factory=lambda: {c: [] for c in CHANNELS})
    episodes: list[Span] = field(default_factory=list)
    moves: list[ToyMove] = field(default_factory=list)

    def ms(self, seconds: float) -> int:
        return round((self.t0 + seconds * self.pace) * 1000)

    def add(self, channel: str, what: str, start: float, end: float) -> None:
        spans = self.channels[channel]
        a, b = self.ms(start), self.ms(end)
        if spans and spans[-1].what == what and spans[-1].end_ms == a and "gaze" in channel:
            a = spans.pop().start_ms  # one look, however many episodes it spans
        spans.append(Span(what, a, b))

    def roll(self, start: float, end: float, to_x: float) -> None:
        self.moves.append(ToyMove(self.ms(start), self.ms(end), self.toy_x, to_x))
        self.toy_x = to_x

    def episode(self, name: str, length: float, pace: float) -> None:
        self.pace = pace
        start = self.ms(0)
        _EPISODES[name](self, length)
        self.episodes.append(Span(name, start, self.ms(length)))
        self.t0 += length * pace


def _offer(b: _Builder, n: float) -> None:
    b.add("parent_gaze", "toy", 0, 1.8)
    b.add("parent_gaze", "infant", 1.8, n)
    b.add("infant_gaze", "parent", 0, 0.9)
    b.add("infant_gaze", "toy", 0.9, 3.9)
    b.add("infant_gaze", "parent", 3.9, n)
    b.add("parent_voice", "talk", 0.3, 1.7)
    b.roll(0.6, 2.2, TOY_INFANT_X)
    b.add("infant_holds_toy", "toy", 2.5, n - 0.2)
    b.add("infant_voice", "coo", 4.0, 4.45)


def _chat(b: _Builder, n: float) -> None:
    b.add("parent_gaze", "infant", 0, n)
    b.add("infant_gaze", "parent", 0, n)
    b.add("parent_voice", "talk", 0.2, 1.6)
    b.add("infant_voice", "coo", 2.0, 2.5)
    b.add("parent_voice", "talk", 2.9, 4.2)
    b.add("infant_voice", "coo", 4.6, 5.1)


def _tickle(b: _Builder, n: float) -> None:
    b.add("parent_gaze", "infant", 0, n)
    b.add("infant_gaze", "parent", 0, n)
    b.add("parent_touch", "tickle", 0.4, 3.0)
    b.add("infant_voice", "laugh", 0.9, 1.5)
    b.add("infant_voice", "laugh", 1.9, 2.5)
    b.add("parent_voice", "talk", 3.2, 4.2)


def _pause(b: _Builder, n: float) -> None:
    b.add("parent_gaze", "infant", 0, n)
    b.add("infant_gaze", "away", 0, 2.4)
    b.add("infant_gaze", "parent", 2.4, n)
    b.add("parent_voice", "talk", 3.2, 4.4)
    b.add("infant_voice", "coo", 4.6, 5.0)


def _song(b: _Builder, n: float) -> None:
    b.add("parent_gaze", "infant", 0, n)
    b.add("infant_gaze", "parent", 0, 3.6)
    b.add("infant_gaze", "toy", 3.6, n)
    b.add("parent_voice", "sing", 0.4, 4.6)
    b.add("parent_touch", "stroke", 1.0, 4.2)


def _roll(b: _Builder, n: float) -> None:
    b.add("parent_gaze", "toy", 0, 2.6)
    b.add("parent_gaze", "infant", 2.6, n)
    b.add("infant_gaze", "toy", 0, n - 0.8)
    b.add("infant_gaze", "parent", n - 0.8, n)
    b.roll(0.4, 1.6, TOY_PARENT_X)
    b.add("parent_voice", "talk", 1.7, 2.5)
    b.roll(2.4, 3.6, TOY_INFANT_X)
    b.add("infant_voice", "coo", 3.7, 4.1)


_EPISODES = {
    "offer": _offer,
    "chat": _chat,
    "tickle": _tickle,
    "pause": _pause,
    "song": _song,
    "roll": _roll,
}
_LENGTHS = {"offer": 5.0, "chat": 5.6, "tickle": 4.5, "pause": 5.2, "song": 5.0, "roll": 4.4}


def scene_script(seed: int) -> SceneScript:
    """The scene of one seed: the six episodes in a drawn order, each at a drawn pace
    (about 22–25.5 s in all)."""
    rng = random.Random(seed)
    order = list(EPISODES)
    rng.shuffle(order)
    b = _Builder(toy_x=rng.choice((TOY_PARENT_X, TOY_MIDDLE_X)))
    start_x = b.toy_x
    for name in order:
        b.episode(name, _LENGTHS[name], rng.uniform(0.74, 0.86))
    return SceneScript(
        seed=seed,
        duration_ms=b.ms(0),
        episodes=tuple(b.episodes),
        channels={c: tuple(spans) for c, spans in b.channels.items()},
        toy_moves=tuple(b.moves),
        toy_start_x=start_x,
    )
