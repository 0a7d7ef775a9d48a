"""Child of bench_playhead: play a barcode clip in VFA (VLC backend, X display) and
compare the playhead with the frame on screen. Prints JSON."""

from __future__ import annotations

import json
import random
import sys
import time


def main() -> int:
    import numpy as np
    from PySide6.QtCore import QSize, QTimer
    from PySide6.QtGui import QGuiApplication, QImage
    from PySide6.QtWidgets import QApplication

    from vfa.app import build_window
    from vfa.media.synth import read_barcode
    from vfa.player.canvas import fit_rect
    from vfa.services.clips import add_clip
    from vfa.storage.workspace import open_workspace

    workspace, clip, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    app = QApplication(sys.argv[:1])
    window = build_window()
    window.resize(1300, 860)
    window.show()
    ws = open_workspace(workspace, create=True)
    clip_id = add_clip(ws, clip, "BENCH-1", "Visit 1").clip_id
    window.set_workspace(ws)
    window.open_clip(clip_id)
    view = window.player_view
    info = view.info
    assert info is not None
    surface = view.player.widget()
    screen = QGuiApplication.primaryScreen()

    def shown_index() -> int:
        rect = fit_rect(QSize(info.width, info.height), surface.size()).toRect()
        top_left = surface.mapToGlobal(rect.topLeft())
        image = screen.grabWindow(0, top_left.x(), top_left.y(), rect.width(), 40).toImage()
        image = image.convertToFormat(QImage.Format.Format_RGB888)
        w, h, bpl = image.width(), image.height(), image.bytesPerLine()
        data = np.frombuffer(image.constBits(), np.uint8, bpl * h).reshape(h, bpl)
        strip = data[:, : w * 3].reshape(h, w, 3)
        # the barcode strip is the top 1/20 of the picture; scale to its displayed height
        full_h = rect.height()
        bar = max(1, round(max(12, info.height // 20) * full_h / info.height))
        padded = np.zeros((full_h, w, 3), np.uint8)
        padded[: min(h, bar)] = strip[: min(h, bar)]
        return read_barcode(padded)

    table = info.frame_table
    errors: list[float] = []
    signed: list[float] = []
    rng = random.Random(1)
    started = time.monotonic()

    def sample() -> None:
        elapsed = time.monotonic() - started
        if elapsed > 2.0:  # after a warm-up
            before = view.player.position()
            index = shown_index()
            after = view.player.position()
            playhead = (before + after) / 2
            if 0 <= index < table.frame_count:
                start_ms = table.pts_of(index)
                end_ms = (
                    table.pts_of(index + 1) if index + 1 < table.frame_count else table.duration_ms
                )
                signed.append(playhead - start_ms)
                errors.append(max(0.0, start_ms - playhead, playhead - end_ms))
        if elapsed > 2.0 + seconds:
            app.quit()
        else:
            QTimer.singleShot(rng.randint(30, 150), sample)

    view.player.play()
    QTimer.singleShot(100, sample)
    app.exec()
    view.player.pause()
    print(json.dumps({"backend": view.player.name, "errors_ms": errors, "signed_ms": signed}))
    window.close()
    view.player.release()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
