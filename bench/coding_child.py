"""Child of bench_coding: VFA with 50,000 events on one clip. Prints JSON timings."""

from __future__ import annotations

import json
import random
import sys
import time


class PaintCounter:
    """Counts the paint events a widget receives (to wait for a frame on screen)."""

    def __init__(self, widget: object) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.count = 0
        counter = self

        class Filter(QObject):
            def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    counter.count += 1
                return False

        self._filter = Filter()
        widget.installEventFilter(self._filter)  # type: ignore[attr-defined]


class DrawnClock:
    """When the timeline last finished painting with more events than before: the
    moment a new event is on screen."""

    def __init__(self, timeline: object) -> None:
        self.timeline = timeline
        self.finished = 0.0
        self.count = 0
        paint = timeline.paintEvent  # type: ignore[attr-defined]

        def timed(event: object) -> None:
            paint(event)
            self.finished = time.perf_counter()
            self.count = self.events()

        timeline.paintEvent = timed  # type: ignore[attr-defined]

    def events(self) -> int:
        return len(self.timeline._lane_of)  # type: ignore[attr-defined]

    def wait(self, app: object, t0: float) -> float:
        """ms from ``t0`` until a paint showed the event the key press made."""
        wanted = self.events()
        deadline = t0 + 2
        while self.count < wanted and time.perf_counter() < deadline:
            app.processEvents()  # type: ignore[attr-defined]
        return (self.finished - t0) * 1000


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import insert

    from vfa.app import build_window
    from vfa.services import coding, events
    from vfa.services.clips import add_clip
    from vfa.services.schemes import get_scheme
    from vfa.storage.models import Annotation
    from vfa.storage.workspace import open_workspace

    workspace, clip, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    encrypted = sys.argv[4:] == ["encrypted"]
    app = QApplication(sys.argv[:1])
    window = build_window()
    window.resize(1400, 880)
    window.show()
    ws = open_workspace(workspace, create=True)
    clip_id = add_clip(ws, clip, "BENCH-1", "Visit 1").clip_id
    scheme = get_scheme("vig")
    run = coding.open_run(ws, clip_id, scheme, window.coder_name())
    rng = random.Random(4)
    codes = [c for c in scheme.ethogram.codes if c.hotkey]
    rows = []
    for _ in range(count):
        code = rng.choice(codes)
        start = rng.randrange(0, 1_199_000)
        rows.append(
            {
                "run_id": run.id,
                "code": code.id,
                "subject": code.subjects[0],
                "start_ms": start,
                "end_ms": start + rng.choice([0, 0, 400, 2000]),
                "start_frame": start // 40,
                "end_frame": start // 40,
                "modifiers": {},
            }
        )
    with ws.engine.begin() as conn:
        conn.execute(insert(Annotation), rows)
    if encrypted:  # the same workspace, encrypted, opened as the window opens it
        from vfa.services.encryption import Passphrase, encrypt_workspace

        ws.close()
        secret = Passphrase("bench passphrase, not a secret")
        encrypt_workspace(workspace, secret)
        ws = open_workspace(workspace, passphrase=secret)
        assert ws.passphrase is not None
    window.activateWindow()  # shortcuts need the active window (no window manager here)
    window.set_workspace(ws)
    window.open_clip(clip_id)
    for _ in range(20):
        app.processEvents()

    t0 = time.perf_counter()
    window.coding.choose("vig")  # opens the run: ratings, 50,000 events, lanes
    window.player_view.timeline.repaint()
    open_ms = (time.perf_counter() - t0) * 1000

    view = window.player_view
    timeline = view.timeline
    settle = time.perf_counter() + 60
    while view.media_building() and time.perf_counter() < settle:
        app.processEvents()  # coding starts once the filmstrip is built (as on a reopen)
    painted = PaintCounter(view.exact)
    drawn = DrawnClock(timeline)
    hotkey = []
    keys = [c.hotkey for c in codes if len(c.hotkey) == 1][:8]
    for n in range(200):
        target = rng.randrange(0, 29_000)
        before = painted.count
        view.show_frame(target)
        settle = time.perf_counter() + 2
        while (view.shown_index() != target or painted.count == before) and (
            time.perf_counter() < settle
        ):
            app.processEvents()  # the frame on screen and painted: the key press comes after
        key = keys[n % len(keys)]
        t0 = time.perf_counter()
        QTest.keyClick(window, getattr(Qt.Key, f"Key_{key}"))
        hotkey.append(drawn.wait(app, t0))
    listed = []  # a therapist's view: the Moments list beside the player fills up
    window.side.setCurrentWidget(window.feedback.moments)
    for n in range(100):
        target = rng.randrange(0, 29_000)
        before = painted.count
        view.show_frame(target)
        settle = time.perf_counter() + 2
        while (view.shown_index() != target or painted.count == before) and (
            time.perf_counter() < settle
        ):
            app.processEvents()
        t0 = time.perf_counter()
        QTest.keyClick(window, getattr(Qt.Key, f"Key_{keys[n % len(keys)]}"))
        listed.append(drawn.wait(app, t0))
    window.side.setCurrentWidget(window.coding)
    playing = []
    view.player.play()
    ticks = PaintCounter(timeline)
    for n in range(100):
        before = ticks.count
        settle = time.perf_counter() + 2
        while ticks.count < before + 3 and time.perf_counter() < settle:
            app.processEvents()  # a few playhead frames between presses
        key = keys[n % len(keys)]
        t0 = time.perf_counter()
        QTest.keyClick(window, getattr(Qt.Key, f"Key_{key}"))
        playing.append(drawn.wait(app, t0))
    view.player.pause()
    repaint: dict[str, list[float]] = {}
    for label, span in [
        ("20 min", 1_200_000),
        ("10 min", 600_000),
        ("1 min", 60_000),
        ("10 s", 10_000),
        ("2 s", 2_000),
    ]:
        times = []
        for _ in range(30):
            timeline.set_view(rng.randrange(0, 1_200_000 - span + 1), span)
            t0 = time.perf_counter()
            timeline.repaint()
            times.append((time.perf_counter() - t0) * 1000)
        repaint[label] = times
    coded = len(events.event_spans(ws, run.id)) - count
    result = {
        "open_ms": open_ms,
        "hotkey_ms": hotkey,
        "playing_ms": playing,
        "listed_ms": listed,
        "repaint_ms": repaint,
        "events": count,
        "coded_by_hotkey": coded,
    }
    print(json.dumps(result))
    window.close()
    release = getattr(window.ctx.player, "release", None)
    if release:
        release()
    return 0


if __name__ == "__main__":
    sys.exit(main())
