"""Child process of bench_startup: start VFA as ``vfa`` does; say "shown" and exit once
the demo workspace's first clip is on screen. The parent times it from spawn."""

from __future__ import annotations

import sys


def main() -> int:
    from vfa.app import start_gui

    startup = start_gui(sys.argv[1])
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None

    def ready(window) -> None:  # type: ignore[no-untyped-def]
        def shown(_index: int) -> None:
            print("shown", window.ctx.player.name, flush=True)
            QTimer.singleShot(0, app.quit)

        window.player_view.frame_shown.connect(shown)
        window.workspace_opened.connect(lambda _ws: window.open_clip(1))

    # the main window takes the opening window's place once VFA has loaded
    startup.ready.connect(ready)
    status = app.exec()
    window = startup.window
    release = getattr(getattr(window, "ctx", None) and window.ctx.player, "release", None)
    if release:
        release()
    return status


if __name__ == "__main__":
    sys.exit(main())
