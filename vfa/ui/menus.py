"""The window's menus and the handlers of its playback and navigation actions."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar

from vfa.ui.player_view import PlayerView


def navigation_handlers(
    view: PlayerView, go_to: Callable[[], None]
) -> dict[str, Callable[[], object]]:
    """The playback and navigation actions' handlers, over the player view."""
    return {
        "player.toggle": view.toggle,
        "nav.frame_back": lambda: view.step(-1),
        "nav.frame_forward": lambda: view.step(1),
        "nav.second_back": lambda: view.jump(-1000),
        "nav.second_forward": lambda: view.jump(1000),
        "nav.five_back": lambda: view.jump(-5000),
        "nav.five_forward": lambda: view.jump(5000),
        "nav.start": view.go_start,
        "nav.end": view.go_end,
        "nav.goto": go_to,
        "shuttle.reverse": view.shuttle_reverse,
        "shuttle.stop": view.shuttle_stop,
        "shuttle.forward": view.shuttle_forward,
        "rate.slower": lambda: view.step_rate(-1),
        "rate.faster": lambda: view.step_rate(+1),
        "loop.in": view.mark_in,
        "loop.out": view.mark_out,
        "loop.toggle": lambda: view.set_loop_enabled(not view.loop_enabled),
        "timeline.zoom_in": lambda: view.timeline.zoom(0.5),
        "timeline.zoom_out": lambda: view.timeline.zoom(2.0),
    }


def build_menus(bar: QMenuBar, a: Mapping[str, QAction]) -> None:
    """The window's menus, each action in its place."""
    file_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&File"))
    for key in ("workspace.new", "workspace.open", "workspace.demo"):
        file_menu.addAction(a[key])
    file_menu.addSeparator()
    for key in ("clip.add", "clip.relink", "clip.check", "still.save", "case.progress"):
        file_menu.addAction(a[key])
    file_menu.addSeparator()
    file_menu.addAction(a["coding.import"])
    file_menu.addAction(a["coding.export"])
    file_menu.addAction(a["workspace.merge"])
    file_menu.addSeparator()
    file_menu.addAction(a["person.choose"])
    file_menu.addAction(a["people.manage"])
    file_menu.addSeparator()
    file_menu.addAction(a["workspace.backups"])
    file_menu.addAction(a["workspace.encrypt"])
    file_menu.addAction(a["workspace.decrypt"])
    file_menu.addSeparator()
    file_menu.addAction(a["app.settings"])
    file_menu.addAction(a["app.quit"])
    edit_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Edit"))
    for key in ("edit.undo", "edit.redo", "event.delete", "event.modifiers", "evidence.link"):
        edit_menu.addAction(a[key])
    play_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Playback"))
    groups = [
        ["player.toggle", "shuttle.reverse", "shuttle.stop", "shuttle.forward"],
        ["nav.frame_back", "nav.frame_forward", "nav.second_back", "nav.second_forward",
         "nav.five_back", "nav.five_forward", "nav.start", "nav.end", "nav.goto"],
        ["rate.slower", "rate.faster"],
        ["loop.in", "loop.out", "loop.toggle"],
        ["timeline.zoom_in", "timeline.zoom_out"],
    ]  # fmt: skip
    for n, group in enumerate(groups):
        if n:
            play_menu.addSeparator()
        for key in group:
            play_menu.addAction(a[key])
    reel_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Feedback"))
    for key in ("moment.still", "clip.consent", "reel.present", "reel.export", "reel.script"):
        reel_menu.addAction(a[key])
    bar.addMenu(QCoreApplication.translate("MainWindow", "&Reliability")).addAction(
        a["reliability.open"]
    )
    bar.addMenu(QCoreApplication.translate("MainWindow", "&Tools")).addAction(a["tools.audit"])
    help_menu = bar.addMenu(QCoreApplication.translate("MainWindow", "&Help"))
    help_menu.addAction(a["help.quick_start"])
    help_menu.addAction(a["help.shortcuts"])
    help_menu.addSeparator()
    help_menu.addAction(a["workspace.check"])
    help_menu.addAction(a["help.about"])
