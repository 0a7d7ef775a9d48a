"""Run ``vfa ARGV`` in a process of its own and note what was loaded when its first window
was painted: ``python -m tests.startup_probe ARGV…`` prints JSON and exits once the main
window has taken the first window's place (``window_probe.run_vfa``: no sleeps).

Only Qt's widgets module is imported here before ``vfa`` starts, so the modules seen at the
first paint are those VFA itself loaded by then."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.window_probe import run_vfa


def _loaded() -> list[str]:
    return sorted(sys.modules)


class FirstPaint(QObject):
    """Notes the first window painted: its class, title, the words on it, the modules."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.seen is None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.isWindow()
        ):
            self.seen = {
                "class": type(watched).__name__,
                "title": watched.windowTitle(),
                "texts": [w.text() for w in watched.findChildren(QLabel) if w.isVisible()],
                "geometry": list(watched.geometry().getRect()),
                "modules": _loaded(),
            }
        return False


def main(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    first = FirstPaint()
    app.installEventFilter(first)
    out: dict = {}

    def look() -> bool:
        shown = [w for w in app.topLevelWidgets() if w.isVisible()]
        main_window = [w for w in shown if w.objectName() == "mainWindow"]
        if not main_window:
            return False
        out["then_shown"] = [type(w).__name__ for w in shown]
        out["main_geometry"] = list(main_window[0].geometry().getRect())
        out["modules_at_main"] = _loaded()
        for widget in shown:
            widget.close()
        return True

    run_vfa(argv, look, out)
    out["first"] = first.seen
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
