"""The demo's generated scene: a parent and an infant on a rug, drawn and voiced from a
``SceneScript`` (``media/scene_script.py``).

A soft room (a wall with daylight from a window, a picture, a plant, a wooden floor and
a round rug); the parent sits on the left, the smaller infant on the right, and a
striped ball lies or rolls between them. Heads turn where the script says each one
looks, the parent leans in and reaches over to tickle or stroke, the infant holds the
ball, laughs and coos; both breathe and blink. The sound is a soft voice-like tone made
from the same script: the parent's infant-directed talk in syllables with a rising and
falling pitch, a simple song, the infant's coos and laughs, over a quiet room tone. The
mouths move with the same syllables. Nothing is a test pattern: no barcode, no frame
number.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from vfa.media.scene_script import SceneScript, Span, scene_script
from vfa.media.scene_voice import SAMPLE_RATE, mouth_open, scene_sound
from vfa.media.synth import add_audio_stream, add_video_stream, encode_samples

W, H = 854, 480  # the design size; other sizes scale it
SHIFT = 4  # sub-pixel drawing: coordinates in 1/16 px, so slow motion does not step
ONE = 1 << SHIFT

Colour = tuple[int, int, int]  # BGR


@dataclass(frozen=True)
class Family:
    """How a family looks: skin, hair and clothes (BGR)."""

    skin: Colour
    infant_skin: Colour
    hair: Colour
    sweater: Colour
    sweater_dark: Colour
    jeans: Colour
    onesie: Colour
    onesie_dark: Colour


FAMILIES = (
    Family(
        skin=(164, 196, 236),
        infant_skin=(178, 206, 243),
        hair=(48, 66, 98),
        sweater=(146, 142, 78),
        sweater_dark=(120, 118, 64),
        jeans=(150, 112, 82),
        onesie=(128, 212, 248),
        onesie_dark=(104, 186, 226),
    ),
    Family(
        skin=(96, 134, 184),
        infant_skin=(112, 150, 198),
        hair=(38, 38, 44),
        sweater=(104, 124, 222),
        sweater_dark=(84, 100, 190),
        jeans=(110, 100, 96),
        onesie=(196, 222, 156),
        onesie_dark=(170, 200, 130),
    ),
)
EYES = (60, 48, 44)
MOUTH = (86, 84, 168)
BLUSH = (160, 170, 238)
BALL = ((92, 104, 232), (96, 206, 250), (214, 160, 96), (140, 196, 120))

PARENT_X, INFANT_X = 318, 600  # where each sits
LOOK_MS = 320  # a head turns to its new target in this long
REACH_MS = 450  # an arm reaches out or comes back in this long


def _ease(f: float) -> float:
    f = min(max(f, 0.0), 1.0)
    return f * f * (3 - 2 * f)


def _p(x: float, y: float) -> tuple[int, int]:
    return round(x * ONE), round(y * ONE)


def _r(v: float) -> int:
    return max(1, round(v * ONE))


def _mix(a: tuple[int, ...], b: tuple[int, ...], f: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * f) for x, y in zip(a, b, strict=True))


def _circle(img: np.ndarray, c: tuple[float, float], r: float, colour: tuple[int, ...]) -> None:
    cv2.circle(img, _p(*c), _r(r), colour, -1, cv2.LINE_AA, SHIFT)


def _ellipse(
    img: np.ndarray,
    c: tuple[float, float],
    axes: tuple[float, float],
    colour: tuple[int, ...],
    angle: float = 0,
    arc: tuple[float, float] = (0, 360),
    thickness: int = -1,
) -> None:
    cv2.ellipse(
        img, _p(*c), (_r(axes[0]), _r(axes[1])), angle, *arc, colour, thickness, cv2.LINE_AA, SHIFT
    )


def _limb(
    img: np.ndarray, a: tuple[float, float], b: tuple[float, float], width: float, colour: tuple
) -> None:
    cv2.line(img, _p(*a), _p(*b), colour, max(1, round(width)), cv2.LINE_AA, SHIFT)


def room() -> np.ndarray:
    """The still background at the design size, softened: wall, window light, picture,
    plant, floor and rug (BGR)."""
    y = np.linspace(0.0, 1.0, H, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, W, dtype=np.float32)[None, :]
    wall = np.array([222, 236, 246], np.float32) * (1 - 0.12 * y) + np.array([0, -6, -10]) * y
    img = np.broadcast_to(wall[:, None, :], (H, W, 3)).copy()
    floor_y = 300
    wood = np.array([118, 160, 204], np.float32) * (0.92 + 0.1 * (y - 0.62))
    img[floor_y:] = np.broadcast_to(wood[floor_y:, None, :], (H - floor_y, W, 3))
    for k in range(1, 7):  # floor boards
        yy = floor_y + int(k * k * 5.2)
        img[yy : yy + 1] *= 0.94
    light = np.exp(-(((x - 0.16) / 0.22) ** 2 + ((y - 0.25) / 0.3) ** 2))[..., None]
    img = img + light * np.array([18, 20, 16], np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    cv2.rectangle(img, (60, 36), (214, 196), (236, 238, 240), -1, cv2.LINE_AA)  # window
    cv2.rectangle(img, (70, 46), (204, 186), (246, 226, 198), -1, cv2.LINE_AA)
    cv2.line(img, (137, 46), (137, 186), (236, 238, 240), 5, cv2.LINE_AA)
    cv2.line(img, (70, 116), (204, 116), (236, 238, 240), 5, cv2.LINE_AA)
    _ellipse(img, (168, 150), (40, 14), (230, 242, 248))  # a cloud
    cv2.rectangle(img, (520, 70), (640, 160), (150, 176, 196), -1, cv2.LINE_AA)  # picture
    cv2.rectangle(img, (528, 78), (632, 152), (226, 234, 240), -1, cv2.LINE_AA)
    _circle(img, (606, 100), 11, (120, 200, 248))
    pts = np.array([[528, 152], [566, 110], [592, 136], [612, 118], [632, 152]], np.int32)
    cv2.fillPoly(img, [pts], (150, 186, 140), cv2.LINE_AA)
    cv2.rectangle(img, (748, 236), (800, 300), (88, 122, 188), -1, cv2.LINE_AA)  # plant
    leaves = ((-22, -40, -30), (0, -58, 0), (22, -42, 30), (-10, -24, -60), (12, -26, 60))
    for dx, dy, ang in leaves:
        _ellipse(img, (774 + dx, 236 + dy), (12, 30), (104, 160, 92), ang)
    _ellipse(img, (452, 392), (350, 70), (150, 186, 170))  # rug
    _ellipse(img, (452, 392), (330, 60), (166, 200, 184))
    img = cv2.GaussianBlur(img, (0, 0), 1.2)
    vignette = 1 - 0.22 * (((x - 0.5) * 1.6) ** 2 + ((y - 0.5) * 1.3) ** 2)
    return np.clip(img * vignette[..., None], 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class _Look:
    yaw: float  # -1 facing left .. +1 facing right
    pitch: float  # -0.3 up .. +0.6 down


def _target(script: SceneScript, who: str, what: str, t_ms: float) -> _Look:
    toy = script.toy_x(t_ms) * W
    if who == "parent":
        if what == "infant":
            return _Look(1.0, 0.05)
        if what == "toy":
            return _Look(max(-0.4, min(1.0, (toy - PARENT_X) / 150)), 0.55)
        return _Look(-0.75, -0.25)
    if what == "parent":
        return _Look(-1.0, 0.0)
    if what == "toy":
        held = script.at("infant_holds_toy", t_ms) is not None
        return _Look(-0.35, 0.5) if held else _Look(max(-1.0, min(0.4, (toy - INFANT_X) / 90)), 0.5)
    return _Look(0.85, -0.2)


def _look(script: SceneScript, who: str, t_ms: float) -> _Look:
    """Where a head points at ``t_ms``: turning from the last target to the current."""
    spans = script.spans(f"{who}_gaze")
    i = next((k for k, s in enumerate(spans) if s.start_ms <= t_ms < s.end_ms), len(spans) - 1)
    now = _target(script, who, spans[i].what, t_ms)
    if i == 0:
        return now
    was = _target(script, who, spans[i - 1].what, t_ms)
    f = _ease((t_ms - spans[i].start_ms) / LOOK_MS)
    return _Look(was.yaw + (now.yaw - was.yaw) * f, was.pitch + (now.pitch - was.pitch) * f)


def _near(script: SceneScript, channel: str, t_ms: float, ramp: float) -> tuple[float, Span | None]:
    """How far into a channel's span ``t_ms`` is: 0 outside, easing to 1 over ``ramp`` ms
    before it starts and back to 0 over ``ramp`` ms after it ends; and the span."""
    for span in script.spans(channel):
        if span.start_ms - ramp <= t_ms < span.end_ms + ramp:
            inside = min(t_ms - span.start_ms, span.end_ms - t_ms) + ramp
            return _ease(inside / ramp), span
    return 0.0, None


def _blinking(t_ms: float, phase: float, period: float) -> bool:
    return (t_ms / 1000 + phase) % period < 0.13


def _face(
    img: np.ndarray,
    head: tuple[float, float],
    r: float,
    look: _Look,
    *,
    skin: tuple[int, ...],
    smile: float,
    mouth: float,
    blink: bool,
) -> None:
    """Eyes, nose, cheeks and mouth on a head turned by ``look``."""
    hx, hy = head
    yaw, pitch = look.yaw, look.pitch
    fx, fy = hx + yaw * r * 0.42, hy + pitch * r * 0.22 + r * 0.05
    spread = r * 0.3 * (1 - 0.35 * abs(yaw))
    cheek = _mix(skin, BLUSH, 0.45)
    for side in (-1, 1):
        if yaw * side < -0.7:
            continue  # the far eye is hidden behind the turned head
        ex, ey = fx + side * spread, fy - r * 0.12
        _circle(img, (ex + side * r * 0.12, ey + r * 0.3), r * 0.13, cheek)
        if blink:
            lid = max(1, round(r / 14))
            _ellipse(img, (ex, ey + r * 0.03), (r * 0.1, r * 0.05), EYES, 0, (0, 180), lid)
        elif pitch > 0.35:  # looking down: lids lowered over the eyes
            _ellipse(img, (ex, ey + r * 0.04), (r * 0.09, r * 0.07), EYES, 0, (0, 180))
        else:
            _ellipse(img, (ex, ey), (r * 0.085, r * 0.11), EYES)
            _circle(img, (ex + r * 0.03, ey - r * 0.04), r * 0.03, (250, 250, 250))
    _circle(img, (fx + yaw * r * 0.14, fy + r * 0.12), r * 0.06, _mix(skin, (90, 120, 170), 0.25))
    mx, my = fx + yaw * r * 0.06, fy + r * 0.36
    width = r * (0.2 + 0.1 * smile)
    if mouth > 0.08:
        _ellipse(img, (mx, my + r * 0.02), (width * 0.75, r * 0.05 + r * 0.14 * mouth), MOUTH)
    else:
        bend = r * (0.04 + 0.1 * smile)
        lip = max(1, round(r / 12))
        _ellipse(img, (mx, my - bend * 0.6), (width, bend), MOUTH, 0, (15, 165), lip)


def _parent(img: np.ndarray, script: SceneScript, fam: Family, t_ms: float, voice: float) -> None:
    t = t_ms / 1000
    reach, touch = _near(script, "parent_touch", t_ms, REACH_MS)
    look = _look(script, "parent", t_ms)
    lean = 4 + 7 * reach + 3 * max(0.0, look.yaw) * (1 - reach)
    breath = 1 + 0.012 * math.sin(2 * math.pi * t / 3.8)
    base_x, base_y = PARENT_X, 392
    _ellipse(img, (base_x + 8, base_y), (82, 25), fam.jeans)  # crossed legs
    _ellipse(img, (base_x + 78, base_y + 8), (14, 9), (206, 214, 222))  # a sock
    body_c = (base_x + lean * 1.6, 318 - 2 * (breath - 1) * 100)
    _ellipse(img, body_c, (54, 80 * breath), fam.sweater, lean)
    a = math.radians(lean)
    neck = (body_c[0] + math.sin(a) * 78, body_c[1] - math.cos(a) * 78)
    sway = 1.5 * math.sin(t * 1.3 + script.seed)
    head = (neck[0] + math.sin(a) * 30 + sway, neck[1] - 28 + abs(sway) * 0.5)
    _limb(img, (neck[0], neck[1] + 6), head, 20, _mix(fam.skin, (0, 0, 0), 0.08))
    _circle(img, (head[0] - 8 - look.yaw * 6, head[1] - 6), 39, fam.hair)  # hair behind
    _circle(img, (head[0] - 22 - look.yaw * 10, head[1] - 30), 16, fam.hair)  # bun
    _circle(img, head, 34, fam.skin)
    _ellipse(
        img, (head[0] - look.yaw * 8, head[1] - 22), (34, 16), fam.hair, -8 * look.yaw, (180, 360)
    )
    smile = 1.0 if _mutual(script, t_ms) or script.at("infant_voice", t_ms) else 0.45
    _face(img, head, 34, look, skin=fam.skin, smile=smile, mouth=voice,
          blink=_blinking(t_ms, script.seed * 0.37, 3.9))  # fmt: skip
    shoulder = (neck[0] + 18, neck[1] + 30)
    rest = (base_x + 62.0, 368.0)
    hand = rest
    if touch is not None and reach > 0:
        infant_y = 340 - _bounce(script, t_ms)
        if touch.what == "tickle":
            aim = (INFANT_X - 30 + 5 * math.sin(t * 17), infant_y + 10 + 4 * math.cos(t * 13))
        else:
            aim = (INFANT_X - 34 + 10 * math.sin(t * 2.2), infant_y - 12)
        hand = (rest[0] + (aim[0] - rest[0]) * reach, rest[1] + (aim[1] - rest[1]) * reach)
    elbow = ((shoulder[0] + hand[0]) / 2 - 6, (shoulder[1] + hand[1]) / 2 + 22 * (1 - reach) + 10)
    _limb(img, shoulder, elbow, 22, fam.sweater_dark)
    _limb(img, elbow, hand, 19, fam.sweater_dark)
    _circle(img, hand, 10, fam.skin)


def _mutual(script: SceneScript, t_ms: float) -> bool:
    p, i = script.at("parent_gaze", t_ms), script.at("infant_gaze", t_ms)
    return p is not None and i is not None and p.what == "infant" and i.what == "parent"


def _bounce(script: SceneScript, t_ms: float) -> float:
    """The infant bouncing while laughing (px up)."""
    sound = script.at("infant_voice", t_ms)
    if sound is None or sound.what != "laugh":
        return 0.0
    return 3 * abs(math.sin((t_ms - sound.start_ms) / 1000 * math.pi * 6))


def _infant(
    img: np.ndarray, script: SceneScript, fam: Family, t_ms: float, voice: float
) -> tuple[float, float]:
    """Draw the infant; return where its hands hold the ball."""
    t = t_ms / 1000
    look = _look(script, "infant", t_ms)
    bounce = _bounce(script, t_ms)
    breath = 1 + 0.015 * math.sin(2 * math.pi * t / 2.6 + 1)
    base_x, base_y = INFANT_X, 394
    _ellipse(img, (base_x - 30, base_y), (34, 13), fam.onesie_dark, -6)  # legs
    _ellipse(img, (base_x - 58, base_y + 2), (11, 9), fam.infant_skin)  # feet
    body = (base_x + 2, 350 - bounce)
    _ellipse(img, body, (38, 50 * breath), fam.onesie)
    head = (base_x - 4 + look.yaw * 2 + math.sin(t * 1.7 + 2) * 1.2, 280 - bounce)
    _circle(img, head, 30, fam.infant_skin)
    _ellipse(img, (head[0] - look.yaw * 4, head[1] - 24), (12, 8), fam.hair, -20, (180, 330), 3)
    sound = script.at("infant_voice", t_ms)
    laughing = sound is not None and sound.what == "laugh"
    smile = 1.0 if laughing or _mutual(script, t_ms) else 0.35
    _face(img, head, 30, look, skin=fam.infant_skin, smile=smile, mouth=voice,
          blink=_blinking(t_ms, script.seed * 0.53, 4.6))  # fmt: skip
    hold, _span = _near(script, "infant_holds_toy", t_ms, 300)
    wave = 0.0
    if sound is not None:
        wave = math.sin((t_ms - sound.start_ms) / 1000 * math.pi * 5) * 8
    grip = (base_x - 40, 336 - bounce)
    hands = []
    for side, rest in ((-1, (base_x - 30, 372)), (1, (base_x + 16, 376))):
        shoulder = (base_x + side * 16, 322 - bounce)
        goal = (grip[0] + side * 9, grip[1] + 2)
        hand = (
            rest[0] + (goal[0] - rest[0]) * hold,
            rest[1] + (goal[1] - rest[1]) * hold - abs(wave) * (1 - hold),
        )
        _limb(img, shoulder, hand, 13, fam.onesie_dark)
        _circle(img, hand, 7, fam.infant_skin)
        hands.append(hand)
    return (hands[0][0] + hands[1][0]) / 2, (hands[0][1] + hands[1][1]) / 2 - 8


def _ball(img: np.ndarray, script: SceneScript, t_ms: float, grip: tuple[float, float]) -> None:
    hold, _span = _near(script, "infant_holds_toy", t_ms, 300)
    floor = (script.toy_x(t_ms) * W, 404.0)
    x = floor[0] + (grip[0] - floor[0]) * hold
    y = floor[1] + (grip[1] - floor[1]) * hold
    r = 16
    if hold < 0.9:  # its shadow on the rug
        shadow = (r * 1.1 * (1 - hold), 4 * (1 - hold))
        _ellipse(img, (floor[0] + 2, floor[1] + r - 2), shadow, (128, 164, 150))
    spin = math.degrees(floor[0] / r) + hold * 20 * math.sin(t_ms / 300)
    for k, colour in enumerate(BALL):
        _ellipse(img, (x, y), (r, r), colour, spin, (k * 90, k * 90 + 90))
    _circle(img, (x - r * 0.35, y - r * 0.4), r * 0.25, (246, 248, 250))


def scene_frame(
    script: SceneScript,
    t_ms: float,
    background: np.ndarray,
    size: tuple[int, int] = (W, H),
    family: int = 0,
) -> np.ndarray:
    """The scene at ``t_ms`` drawn over ``background`` (:func:`room`), BGR, ``size`` (w, h),
    with the family ``family`` (an index into ``FAMILIES``)."""
    img = background.copy()
    fam = FAMILIES[family % len(FAMILIES)]
    _parent(img, script, fam, t_ms, mouth_open(script, "parent", t_ms))
    grip = _infant(img, script, fam, t_ms, mouth_open(script, "infant", t_ms))
    _ball(img, script, t_ms, grip)
    if size != (W, H):
        img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
    return img


def make_scene_clip(
    path: str | os.PathLike[str],
    seed: int,
    *,
    family: int = 0,
    width: int = W,
    height: int = H,
    rate: int = 25,
    gop: int = 50,
    preset: str = "ultrafast",
    progress: Callable[[float], None] | None = None,
) -> Path:
    """Encode the scene of ``seed``, acted by the family ``family``, as an H.264 + AAC MP4
    at ``path``; return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    script = scene_script(seed)
    fps = Fraction(rate)
    frames = int(script.duration_ms * fps / 1000)
    background = room()
    with av.open(str(out), "w", format="mp4") as container:
        vstream = add_video_stream(container, width, height, fps, gop, preset, 1 / fps, crf=24)
        # one encoder thread: several clips are made side by side (media/scene_batch.py),
        # and on a busy machine x264's own threads cost more than they give
        vstream.codec_context.thread_count = 1
        astream = add_audio_stream(container, SAMPLE_RATE)
        for i in range(frames):
            image = scene_frame(script, float(i / fps * 1000), background, (width, height), family)
            # OpenCV's BT.601 conversion is swscale's to within one level, and 6x faster
            yuv = cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420).astype(np.uint8, copy=False)
            frame = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
            frame.pts = i
            frame.time_base = 1 / fps
            for packet in vstream.encode(frame):
                container.mux(packet)
            if progress is not None and i % 25 == 0:
                progress(0.95 * i / frames)
        for packet in vstream.encode():
            container.mux(packet)
        sound = scene_sound(script, seconds=float(frames / fps))
        encode_samples(container, astream, sound, step=SAMPLE_RATE)
    if progress is not None:
        progress(1.0)
    return out
