"""Child of bench_presentation: present three 10-second moments of a barcode clip full
screen (real player backend, X display), switch moments from the keyboard and time each
switch; then watch one moment loop. The moments are flagged for feedback in a workspace
of their own and presented from a coding session on it, as the window does. Prints JSON."""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    import numpy as np
    from PySide6.QtCore import QSize, Qt, QTimer
    from PySide6.QtGui import QGuiApplication, QImage
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from vfa.media.synth import read_barcode
    from vfa.player.canvas import fit_rect
    from vfa.player.factory import create_player
    from vfa.services import clips, moments
    from vfa.storage.workspace import open_workspace
    from vfa.ui.presentation import PresentationWindow
    from vfa.ui.session import CodingSession

    clip, presses, loop_seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    app = QApplication(sys.argv[:1])
    folder = tempfile.TemporaryDirectory()
    ws = open_workspace(Path(folder.name) / "bench.vfa", create=True)
    clip_id = clips.add_clip(ws, clip, "BENCH", "Visit 1").clip_id
    info = clips.clip_info(ws, clip_id)
    table = info.frame_table
    for n, start_s in enumerate((62.3, 331.1, 745.7)):
        first = table.index_at(round(start_s * 1000))
        last = table.index_at(round((start_s + 10) * 1000)) - 1
        moments.add_moment(
            ws,
            clip_id,
            ["vig:waiting"],
            table.pts_of(first),
            table.pts_of(last + 1),
            key_ms=table.pts_of((first + last) // 2),
            caption=f"Moment {n + 1}: you waited, and she turned to you",
            feedback=True,
        )
    session = CodingSession.bare(ws)
    session.open_clip(info)
    window = PresentationWindow(session, lambda: create_player("auto")[0])
    player, reel = window.player, window.moments
    screen = QGuiApplication.primaryScreen()
    surface = player.widget()

    def on_screen() -> int:
        """The barcode of the picture now on screen, read from the video area."""
        rect = fit_rect(QSize(info.width, info.height), surface.size()).toRect()
        top_left = surface.mapToGlobal(rect.topLeft())
        bar = max(1, round(max(12, info.height // 20) * rect.height() / info.height))
        grab = screen.grabWindow(0, top_left.x(), top_left.y(), rect.width(), bar)
        image = grab.toImage().convertToFormat(QImage.Format.Format_RGB888)
        w, h, bpl = image.width(), image.height(), image.bytesPerLine()
        strip = np.frombuffer(image.constBits(), np.uint8, bpl * h).reshape(h, bpl)
        padded = np.zeros((rect.height(), w, 3), np.uint8)
        padded[:h] = strip[:, : w * 3].reshape(h, w, 3)
        return read_barcode(padded)

    rng = random.Random(5)
    shown_ms: list[float] = []
    handover_ms: list[float] = []
    handover_in_moment: list[bool] = []
    first_exact: list[bool] = []
    loop_samples: list[int] = []
    state: dict[str, float] = {"pressed": 0.0, "done": 0}
    order = [Qt.Key.Key_Right if (i // 2) % 2 == 0 else Qt.Key.Key_Left for i in range(presses)]

    def moment_shown(index: int) -> None:
        if state["pressed"]:
            shown_ms.append((time.perf_counter() - state["pressed"]) * 1000)
            first = reel[index].first
            QTimer.singleShot(20, lambda: first_exact.append(on_screen() == first))

    def stack_changed(_index: int) -> None:
        if window.stack.currentWidget() is surface and state["pressed"]:
            handover_ms.append((time.perf_counter() - state["pressed"]) * 1000)
            moment = reel[window.current()]
            QTimer.singleShot(
                30, lambda: handover_in_moment.append(moment.first <= on_screen() <= moment.last)
            )
            QTimer.singleShot(rng.randint(400, 900), press)

    def press() -> None:
        done = int(state["done"])
        if done == len(order):
            state["pressed"] = 0.0
            QTimer.singleShot(0, watch_loop)
            return
        state["done"] = done + 1
        state["pressed"] = time.perf_counter()
        QTest.keyClick(window, order[done])

    def watch_loop() -> None:
        ends = time.perf_counter() + loop_seconds

        def sample() -> None:
            loop_samples.append(on_screen())
            if time.perf_counter() < ends:
                QTimer.singleShot(rng.randint(40, 120), sample)
            else:
                app.quit()

        sample()

    def started() -> None:
        if window.prefetched():
            QTimer.singleShot(500, press)
        else:
            QTimer.singleShot(50, started)

    window.moment_shown.connect(moment_shown)
    window.stack.currentChanged.connect(stack_changed)
    window.show_on(screen)
    QTimer.singleShot(0, started)
    app.exec()
    looped = reel[window.current()]
    inside = sum(looped.first <= i <= looped.last for i in loop_samples)
    print(
        json.dumps(
            {
                "backend": player.name,
                "shown_ms": shown_ms,
                "first_exact": sum(first_exact),
                "handover_ms": handover_ms,
                "handover_in_moment": sum(handover_in_moment),
                "loop_samples": len(loop_samples),
                "loop_inside": inside,
                "loop_outside": sorted(
                    i for i in set(loop_samples) if not looped.first <= i <= looped.last
                ),
                "screen": [screen.size().width(), screen.size().height()],
            }
        )
    )
    window.close()
    ws.close()
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
