"""Run ``vfa ARGV`` in a process of its own until its window shows what was asked for, then
print what the window showed as JSON and close it: ``python -m tests.window_probe READY ARGV…``.

READY is ``welcome``, ``workspace``, ``clip`` or ``message``. The window runs its real event
loop; a timer looks at it every 10 ms (no sleeps) and gives up after a minute. A process of its
own leaves the test run's application as it found it (a finished event loop would otherwise
keep later windows from becoming active)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

WAIT_MS = 60_000


def _ready(kind: str, window) -> bool:
    if kind == "welcome":
        return bool(window.pages.currentWidget() is window.welcome)
    if kind == "workspace":
        return window.ws is not None
    if kind == "clip":
        return window.current_clip is not None
    if kind == "message":
        return window.messages.level("workspace") is not None
    raise SystemExit(f"unknown READY {kind!r}")


def run_vfa(argv: list[str], look: Callable[[], bool], seen: dict) -> dict:
    """Run ``vfa ARGV`` with its real event loop, calling ``look()`` every 10 ms until it
    returns True (having closed what it looked at) or a minute has passed; ``seen`` gets
    the exit status (``code``) and, on giving up, ``timed_out``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from vfa.cli import main as vfa_main

    app = QApplication.instance() or QApplication(sys.argv[:1])

    def tick() -> None:
        if look():
            poll.stop()
            app.quit()

    def give_up() -> None:
        seen["timed_out"] = True
        app.quit()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(tick)
    poll.start()
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(give_up)
    watchdog.start(WAIT_MS)
    seen["code"] = vfa_main(argv)
    return seen


def main(kind: str, argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from vfa.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    seen: dict = {}

    def look() -> bool:
        shown = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not (shown and _ready(kind, shown[0])):
            return False
        window = shown[0]
        seen.update(
            title=window.windowTitle(),
            welcome=window.pages.currentWidget() is window.welcome,
            ws=None if window.ws is None else str(window.ws.path),
            clip=window.current_clip,
            message=window.messages.text("workspace"),
            cases=[
                window.browser.topLevelItem(i).text(0)
                for i in range(window.browser.topLevelItemCount())
            ],
        )
        window.close()
        return True

    print(json.dumps(run_vfa(argv, look, seen)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
