"""Run ``vfa ARGV`` in a process of its own until its window has played half a second of
the clip it shows, then print which player played it as JSON and close the window:
``python -m tests.playing_probe ARGV…`` (``window_probe.run_vfa``: its real event loop,
no sleeps; it gives up after a minute)."""

from __future__ import annotations

import json
import sys

PLAYED_MS = 500


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from tests.window_probe import run_vfa
    from vfa.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    seen: dict = {}

    def look() -> bool:
        shown = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not shown or shown[0].current_clip is None:
            return False
        window = shown[0]
        player = window.ctx.player
        if "clip" not in seen:
            seen.update(clip=window.current_clip, player=type(player).__name__)
            player.play()
            return False
        if player.position() < PLAYED_MS:
            return False
        seen["played_ms"] = player.position()
        player.pause()
        window.close()
        return True

    print(json.dumps(run_vfa(argv, look, seen)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
