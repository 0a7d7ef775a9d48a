"""The user guide's screenshots (docs/guide/images), taken from the real app on the demo
workspace, on an X server: what a user of the guide sees on their screen.

Not collected by the main run (no ``test_`` prefix): ``test_guide.py`` starts Xvfb and
runs this file in a child pytest with ``QT_QPA_PLATFORM=xcb``, writing the pictures into
the folder ``VFA_GUIDE_SHOTS`` names. Each picture is what the X server holds for the
window (``QScreen.grabWindow``), taken once two grabs in a row agree (nothing is still
being drawn), after the work it shows has finished: never after a fixed time.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QWidget

from vfa.fonts import sans

# name -> the size it is taken at (the window's size: no window manager, no frame)
SHOTS: dict[str, tuple[int, int]] = {
    "welcome.png": (1000, 640),
    "workspace.png": (1200, 760),
    "moments.png": (1200, 760),
    "reel.png": (1200, 760),
    "coding.png": (1200, 760),
    "reliability.png": (960, 600),
    "quick-start.png": (860, 600),
    "shortcuts.png": (720, 600),
    # the team page (team.md)
    "people.png": (600, 460),
    "audit.png": (980, 560),
    "merge-conflict.png": (720, 560),
    "consent-until.png": (420, 360),
}
TIMEOUT = 60_000


def shoot(qtbot, widget: QWidget, name: str) -> QImage:
    """Grab the window as the X server shows it, once it is drawn, and save it."""
    width, height = SHOTS[name]
    assert (widget.width(), widget.height()) == (width, height), name
    screen = QGuiApplication.primaryScreen()
    grabs: list[QImage] = []

    def settled() -> bool:
        QApplication.processEvents()
        widget.repaint()
        grabs.append(screen.grabWindow(int(widget.winId())).toImage())
        return len(grabs) > 1 and grabs[-1] == grabs[-2]

    qtbot.waitUntil(settled, timeout=TIMEOUT)
    image = grabs[-1]
    assert (image.width(), image.height()) == (width, height), name
    target = Path(os.environ["VFA_GUIDE_SHOTS"]) / name
    assert image.save(str(target)), target
    return image


def show_at(qtbot, widget: QWidget, name: str) -> None:
    """Show a window at the size of its picture, at the top left of the screen, active."""
    widget.resize(*SHOTS[name])
    widget.move(0, 0)
    widget.show()
    qtbot.waitExposed(widget)
    widget.raise_()
    widget.activateWindow()


def same_look_everywhere(app: QApplication) -> None:
    """Qt's own style and the shipped DejaVu Sans at 9 points (what Debian shows), so the
    pictures do not depend on the desktop or the fonts of the machine taking them; a text
    cursor that does not blink, so a picture does not depend on the moment either."""
    for face in ("", "B", "I", "BI"):
        QFontDatabase.addApplicationFont(str(sans(face)))
    app.setStyle("Fusion")
    app.setFont(QFont("DejaVu Sans", 9))
    app.setCursorFlashTime(0)


@pytest.fixture
def window(qtbot, qapp):
    from vfa.app import build_window

    assert QGuiApplication.platformName() == "xcb"
    same_look_everywhere(qapp)
    win = build_window("qt")
    qtbot.addWidget(win)
    yield win
    for other in QApplication.topLevelWidgets():
        if other is not win and other.isVisible():
            other.close()
    win.close()


def quiet(qtbot, win) -> None:
    """Wait until the window's background work is done and its passing notes are gone."""
    view = win.player_view
    qtbot.waitUntil(lambda: not view.media_building() and not win.hasher.busy(), timeout=TIMEOUT)
    win.statusBar().clearMessage()


def test_the_guides_screenshots(window, qtbot):
    win = window
    show_at(qtbot, win, "welcome.png")
    assert win.pages.currentWidget() is win.welcome  # a first start: no workspace yet
    shoot(qtbot, win, "welcome.png")

    show_at(qtbot, win, "workspace.png")
    with qtbot.waitSignal(win.clip_opened, timeout=TIMEOUT):
        win.actions_by_id["workspace.demo"].trigger()  # File → Open the demo workspace
    qtbot.waitUntil(lambda: win.player_view.shown_index() == 0, timeout=TIMEOUT)
    quiet(qtbot, win)
    shoot(qtbot, win, "workspace.png")

    win.coding.choose("vig")
    win.side.setCurrentWidget(win.feedback.moments)
    moments = win.feedback.moments
    if moments.list.count():
        moments.list.setCurrentRow(0)
    quiet(qtbot, win)
    shoot(qtbot, win, "moments.png")

    win.side.setCurrentWidget(win.feedback.reel)
    shoot(qtbot, win, "reel.png")

    win.ctx.settings.set("coder/name", "Tess")  # (the status line names the coder)
    win.coding.choose("kips")
    win.side.setCurrentWidget(win.coding)
    qtbot.keyClicks(win.coding.table, "43N")  # three items rated from the keyboard
    qtbot.waitUntil(lambda: win.coding.table.currentRow() == 3, timeout=TIMEOUT)
    quiet(qtbot, win)
    shoot(qtbot, win, "coding.png")

    win.actions_by_id["reliability.open"].trigger()
    reliability = win.reliability
    show_at(qtbot, reliability, "reliability.png")
    reliability.scheme.setCurrentIndex(reliability.scheme.findData("kips"))
    reliability.tabs.setCurrentWidget(reliability.ratings)
    reliability.ratings.show_button.click()
    qtbot.waitUntil(
        lambda: reliability.ratings.result is not None or bool(reliability.message.text()),
        timeout=TIMEOUT,
    )
    shoot(qtbot, reliability, "reliability.png")
    reliability.close()

    guide = win.help.quick_start()  # Help → Quick start
    show_at(qtbot, guide, "quick-start.png")
    shoot(qtbot, guide, "quick-start.png")
    guide.close()

    win.coding.choose("vipp_sd")  # a scheme with event keys
    keys = win.help.shortcuts()  # Help → Keyboard shortcuts
    show_at(qtbot, keys, "shortcuts.png")
    qtbot.keyClicks(keys.filter, "VIPP")  # its keys: the section its name heads
    assert keys.shown_rows()
    shoot(qtbot, keys, "shortcuts.png")
    keys.close()


# -- the team page: people and roles, the audit trail, a merge's dry run, consent that ends

TEAM = {"Sue": "supervisor", "Cal": "coder", "Ada": "admin"}  # (the admin last: see below)


def make_team(ws) -> None:
    """The demo's people and Sue, Cal and Ada, who makes the workspace managed: added
    last, as an admin is the only one who may add people once there is one."""
    from vfa.services.people import add_person

    for name, role in TEAM.items():
        add_person(ws, name, role, who="Ada")


def fixed_times(ws) -> None:
    """Each audit entry a minute after the one before it from 4 May 2026, 09:00 UTC, so
    the picture of the trail is the same whenever it is taken (on a workspace file
    nothing keeps the trail from being rewritten: a team's server does)."""
    import datetime as dt

    from sqlalchemy import select, update

    from vfa.storage.models import AuditEntry

    start = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
    with ws.writes.begin() as db:
        for n, entry in enumerate(db.scalars(select(AuditEntry.id).order_by(AuditEntry.id))):
            at = start + dt.timedelta(minutes=n)
            db.execute(update(AuditEntry).where(AuditEntry.id == entry).values(at=at))


def rate_first_item(ws, clip_id: int, value: int) -> None:
    """Cal rates KIPS item 1 of the clip (his run, begun if need be)."""
    from vfa.services import coding
    from vfa.services.schemes import get_scheme
    from vfa.services.viewer import viewing_as

    kips = get_scheme("kips")
    with viewing_as("Cal"):
        run = coding.open_run(ws, clip_id, kips, "Cal")
        coding.set_rating(ws, run.id, kips, kips.ratings.items[0].id, value)


def test_the_team_pages_screenshots(window, qtbot, tmp_path, monkeypatch):
    import datetime as dt
    import time

    from vfa.services import assignments, consent, viewer
    from vfa.services import clips as clip_service
    from vfa.services.checkout import checkout
    from vfa.services.viewer import viewing_as
    from vfa.storage.workspace import open_workspace
    from vfa.ui.audit_window import AuditWindow
    from vfa.ui.feedback_dialogs import ConsentDialog
    from vfa.ui.merge_dialog import MergeDialog
    from vfa.ui.people_dialogs import PeopleDialog

    monkeypatch.setenv("TZ", "UTC")  # (the trail's times as the picture shows them)
    time.tzset()
    # what the demo and the team's admin do is Ada's, whatever this computer's login
    monkeypatch.setattr(viewer, "login_name", lambda: "Ada")
    monkeypatch.chdir(tmp_path)  # (the laptop's file, named as a user chooses it)
    win = window
    show_at(qtbot, win, "workspace.png")
    with qtbot.waitSignal(win.clip_opened, timeout=TIMEOUT):
        win.actions_by_id["workspace.demo"].trigger()  # File → Open the demo workspace
    ws = win.ws
    make_team(ws)
    win.people.ask = lambda *_args: "Ada"  # File → Who are you…: Ada
    win.people.refresh()
    quiet(qtbot, win)

    people = PeopleDialog(ws, win)  # File → People…
    show_at(qtbot, people, "people.png")
    shoot(qtbot, people, "people.png")
    people.close()

    # Cal takes the second visit's clip on his laptop and rates it there; on the team's
    # workspace his first rating of it changes too: the merge's dry run names the conflict
    visits = [k.id for c in clip_service.catalog(ws) for v in c.sessions for k in v.clips]
    clip = visits[1]
    with viewing_as("Sue"):
        assignments.assign(ws, [clip], "kips", ["Cal"], blind=False, by="Sue")
    rate_first_item(ws, clip, 3)
    laptop = Path("laptop.vfa")
    checkout(ws, "Cal", laptop, viewer="Cal")
    away = open_workspace(laptop)
    name = clip_service.clip_info(ws, clip).name
    there = [k.id for c in clip_service.catalog(away) for v in c.sessions for k in v.clips]
    rate_first_item(away, next(k for k in there if clip_service.clip_info(away, k).name == name), 4)
    away.close()
    rate_first_item(ws, clip, 2)

    fixed_times(ws)
    trail = AuditWindow(win.session, win)  # Tools → Audit trail…
    show_at(qtbot, trail, "audit.png")
    qtbot.waitUntil(lambda: not trail.busy(), timeout=TIMEOUT)
    shoot(qtbot, trail, "audit.png")
    trail.close()

    merging = MergeDialog(ws, "Ada", parent=win)  # File → Merge workspace…
    show_at(qtbot, merging, "merge-conflict.png")
    with qtbot.waitSignal(merging.planned, timeout=TIMEOUT):
        merging.other.setText(str(laptop))
        merging.replan()
    shoot(qtbot, merging, "merge-conflict.png")
    merging.reject()

    first = visits[0]
    consent.set_consent(
        ws,
        first,
        ["feedback", "supervision"],
        given_on=dt.date(2026, 11, 2),
        by="Ada",
        valid_until=dt.date(2027, 11, 1),
    )
    asked = ConsentDialog(  # Feedback → Consent for this clip…
        clip_service.clip_info(ws, first).name, consent.consent_for(ws, first), "Ada", win
    )
    show_at(qtbot, asked, "consent-until.png")
    shoot(qtbot, asked, "consent-until.png")
    asked.reject()
