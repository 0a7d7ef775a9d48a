"""Presentation mode driven from the keyboard, offscreen, on the Qt Multimedia backend:
the window is made from a bare coding session on a visit whose moments are flagged for
feedback, and follows the session's change values."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.conftest import source_indices
from tests.ui.test_main_window import image_array
from vfa.media.probe import probe
from vfa.media.synth import read_barcode
from vfa.player.base import PlayerState
from vfa.player.qt_backend import QtPlayer
from vfa.services import clips as clip_service
from vfa.services import moments
from vfa.ui.changes import ReelChanged
from vfa.ui.moments_panel import MomentsPanel
from vfa.ui.presentation import PresentationWindow
from vfa.ui.reel_panel import ReelPanel
from vfa.ui.session import CodingSession

KEY = Qt.Key
TIMEOUT = 10_000

# a moment flagged for feedback: clip, first, last and key frame, caption, child's line
Flag = tuple[str, int, int, int, str | None, str | None]


def moment(
    clip: str,
    first: int,
    last: int,
    key: int,
    caption: str | None = None,
    child_line: str | None = None,
) -> Flag:
    return (clip, first, last, key, caption, child_line)


def flag(ws, clip_id: int, first: int, last: int, key: int, **words) -> moments.MomentInfo:
    """Tag frames ``first``..``last`` of the clip as a moment and flag it for feedback."""
    table = clip_service.clip_info(ws, clip_id).frame_table
    end = table.pts_of(last + 1) if last + 1 < len(table) else table.duration_ms
    return moments.add_moment(
        ws,
        clip_id,
        ["vig:waiting"],
        table.pts_of(first),
        end,
        key_ms=table.pts_of(key),
        feedback=True,
        **words,
    )


def on_canvas(window: PresentationWindow) -> int:
    """The barcode (source frame index) of the exact picture on the canvas (-1: none)."""
    image = window.canvas.image()
    return -1 if image.isNull() else read_barcode(image_array(image))


@pytest.fixture
def reel() -> list[Flag]:
    return [
        moment(
            "cfr25",
            20,
            60,
            40,
            caption="You waited, and she turned to you",
            child_line="I like it when you wait for me",
        ),
        moment("vfr", 30, 70, 50, caption="You followed his lead"),
    ]


class Visit:
    """A bare coding session on a visit of one family, with cfr25 open; ``add`` flags
    moments of its clips (added to the visit when first named) for feedback."""

    def __init__(self, ws, clips) -> None:
        self.ws, self.clips = ws, clips
        self.ids: dict[str, int] = {}
        self.session = CodingSession.bare(ws, coder="Tess")
        self.session.open_clip(clip_service.clip_info(ws, self.clip_id("cfr25")))

    def clip_id(self, name: str) -> int:
        if name not in self.ids:
            added = clip_service.add_clip(self.ws, self.clips[name], "FAM-1", "Visit 1")
            self.ids[name] = added.clip_id
        return self.ids[name]

    def add(self, flags: list[Flag]) -> list[moments.MomentInfo]:
        return [
            flag(self.ws, self.clip_id(name), first, last, key, caption=caption,
                 child_line=child_line)
            for name, first, last, key, caption, child_line in flags
        ]  # fmt: skip


@pytest.fixture
def visit(workspace, clips):
    shown = Visit(workspace, clips)
    yield shown
    shown.session.undo.clear()


@pytest.fixture
def present(qtbot, visit):
    """Open a presentation of the given moments and wait for its first moment."""
    windows: list[PresentationWindow] = []

    def open_(flags: list[Flag]) -> PresentationWindow:
        visit.add(flags)
        window = PresentationWindow(visit.session, QtPlayer)
        qtbot.addWidget(window)
        windows.append(window)
        if flags:
            with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT) as shown:
                window.show_on(None)
            assert shown.args == [0]
        else:
            window.show_on(None)
        return window

    yield open_
    for window in windows:
        window.close()


def test_the_first_moment_opens_on_its_exact_first_frame_with_its_caption(present, reel):
    window = present(reel)
    assert window.isFullScreen()
    assert window.current() == 0
    assert on_canvas(window) == source_indices("cfr25")[20]
    assert window.line.text() == "You waited, and she turned to you"
    assert window.counter.text() == "1 / 2"


def test_right_shows_the_next_moments_exact_first_frame_and_left_goes_back(present, reel, qtbot):
    window = present(reel)
    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT) as shown:
        qtbot.keyClick(window, KEY.Key_Right)
    assert shown.args == [1]
    assert window.current() == 1
    assert on_canvas(window) == source_indices("vfr")[30]
    assert window.counter.text() == "2 / 2"
    assert window.line.text() == "You followed his lead"
    qtbot.waitUntil(lambda: window.player.state() is PlayerState.PLAYING, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.player.position() > window.moments[1].start_ms, timeout=TIMEOUT)

    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT) as shown:
        qtbot.keyClick(window, KEY.Key_PageUp)
    assert shown.args == [0]
    assert on_canvas(window) == source_indices("cfr25")[20]
    assert window.counter.text() == "1 / 2"
    assert window.line.text() == "You waited, and she turned to you"


def test_a_prefetched_first_frame_is_on_the_canvas_as_the_key_is_handled(present, reel, qtbot):
    window = present(reel)
    qtbot.waitUntil(window.prefetched, timeout=TIMEOUT)
    qtbot.keyClick(window, KEY.Key_PageDown)
    assert window.stack.currentWidget() is window.canvas
    assert on_canvas(window) == source_indices("vfr")[30]
    qtbot.keyClick(window, KEY.Key_Left)
    assert on_canvas(window) == source_indices("cfr25")[20]


def test_next_stays_on_the_last_moment_and_previous_on_the_first(present, reel, qtbot):
    window = present(reel)
    qtbot.keyClick(window, KEY.Key_Left)
    assert window.current() == 0
    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Right)
    qtbot.keyClick(window, KEY.Key_Right)
    assert window.current() == 1
    assert window.counter.text() == "2 / 2"


def test_the_player_takes_over_and_plays_the_moment(present, reel, qtbot):
    window = present(reel)
    player = window.player
    qtbot.waitUntil(lambda: window.stack.currentWidget() is player.widget(), timeout=TIMEOUT)
    assert player.state() is PlayerState.PLAYING
    first = window.moments[0]
    assert first.start_ms <= player.position() < first.end_ms


def test_f_freezes_on_the_exact_key_frame_and_f_again_resumes(present, reel, qtbot):
    window = present(reel)
    player = window.player
    start = window.moments[0].start_ms
    qtbot.waitUntil(lambda: player.position() > start + 100, timeout=TIMEOUT)
    qtbot.keyClick(window, KEY.Key_F)
    assert window.frozen()
    assert player.state() is PlayerState.PAUSED
    qtbot.waitUntil(lambda: on_canvas(window) == source_indices("cfr25")[40], timeout=TIMEOUT)
    assert window.stack.currentWidget() is window.canvas
    held = player.position()

    qtbot.keyClick(window, KEY.Key_F)
    assert not window.frozen()
    assert player.state() is PlayerState.PLAYING
    assert player.position() >= held
    qtbot.waitUntil(lambda: player.position() > held + 100, timeout=TIMEOUT)


def test_space_pauses_and_resumes(present, reel, qtbot):
    window = present(reel)
    player = window.player
    qtbot.keyClick(window, KEY.Key_Space)
    assert window.paused()
    assert player.state() is PlayerState.PAUSED
    qtbot.keyClick(window, KEY.Key_Space)
    assert not window.paused()
    assert player.state() is PlayerState.PLAYING


def test_c_switches_between_the_caption_and_the_line_for_the_child(present, reel, qtbot):
    window = present([*reel, moment("cfr25", 70, 90, 80, child_line="Look, Mum, I did it")])
    assert window.line.text() == "You waited, and she turned to you"
    qtbot.keyClick(window, KEY.Key_C)
    assert window.line.text() == "I like it when you wait for me"
    assert window.line.font().italic()
    qtbot.keyClick(window, KEY.Key_C)
    assert window.line.text() == "You waited, and she turned to you"
    assert not window.line.font().italic()

    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Right)
    qtbot.keyClick(window, KEY.Key_C)  # this moment has no line for the child
    assert window.line.text() == "You followed his lead"
    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Right)
    assert window.line.text() == "Look, Mum, I did it"  # no caption: the child's line


def test_the_window_shows_only_the_line_and_the_counter(present, reel, qtbot):
    window = present(reel)
    allowed = {"1 / 2", "2 / 2"}
    for m in window.moments:
        allowed |= {m.caption or "", m.child_line or ""}
    for key in (KEY.Key_Right, KEY.Key_C, KEY.Key_F):
        qtbot.keyClick(window, key)
        texts = [label.text() for label in window.findChildren(QLabel) if label.text()]
        assert texts
        assert set(texts) <= allowed
    paths = [Path(m.path) for m in window.moments]
    names = [p.stem for p in paths] + [p.name for p in paths]
    assert not any(name in window.windowTitle() for name in names)


def test_a_short_moment_loops_from_its_last_frame_back_to_its_first(present, qtbot):
    window = present([moment("cfr25", 20, 29, 25, caption="Again and again")])
    (short,) = window.moments
    player = window.player
    qtbot.waitUntil(lambda: window.stack.currentWidget() is player.widget(), timeout=TIMEOUT)
    seen: list[int] = []
    player.position_changed.connect(seen.append)
    qtbot.waitUntil(lambda: seen.count(short.cue_ms) >= 2, timeout=TIMEOUT)  # two seeks back
    assert window.current() == 0
    assert max(seen) >= short.table.pts_of(short.last)  # it played to its last frame
    assert min(seen) >= short.start_ms
    assert window.player.state() is PlayerState.PLAYING


def test_a_moment_ending_on_the_clips_last_frame_loops_too(present, clips, qtbot):
    facts = probe(clips["noaudio"])
    count = facts.frame_count
    window = present([moment("noaudio", count - 10, count - 1, count - 5)])
    starts: list[int] = []
    window.player.position_changed.connect(
        lambda t: starts.append(t) if t == window.moments[0].cue_ms else None
    )
    qtbot.waitUntil(lambda: len(starts) >= 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.player.state() is PlayerState.PLAYING, timeout=TIMEOUT)


def test_the_pointer_hides_while_the_mouse_rests_and_a_move_shows_it(present, reel, qtbot):
    window = present(reel)
    window._pointer.timer.start(1)  # (rests this long)
    qtbot.waitUntil(lambda: window.cursor().shape() == Qt.CursorShape.BlankCursor)
    qtbot.mouseMove(window, window.rect().center())
    assert window.cursor().shape() != Qt.CursorShape.BlankCursor


def test_escape_closes_the_window_and_releases_the_player(present, reel, qtbot):
    window = present(reel)
    with qtbot.waitSignal(window.closed, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Escape)
    assert not window.isVisible()
    assert window.player.state() is PlayerState.EMPTY


def test_an_empty_reel_says_so_and_escape_still_closes(present, qtbot):
    window = present([])
    assert window.message is not None
    assert window.message.isVisible()
    assert "no moments" in window.message.text()
    qtbot.keyClick(window, KEY.Key_Right)
    qtbot.keyClick(window, KEY.Key_F)
    assert window.player.state() is PlayerState.EMPTY
    with qtbot.waitSignal(window.closed, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Escape)
    assert not window.isVisible()


# -- following the session ------------------------------------------------------------------
def test_a_caption_edited_in_the_window_is_shown_at_once_and_its_undo_too(
    present, reel, visit, qtbot
):
    window = present(reel)
    playing = window.player.widget()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is playing, timeout=TIMEOUT)
    panel = MomentsPanel(visit.session)  # the window's Moments tab, on the other screen
    qtbot.addWidget(panel)
    panel.show()
    panel.select_moment(window.moments[0].moment_id)
    panel.caption.setPlainText("You waited for her")  # as typed
    panel.caption.commit()
    assert window.line.text() == "You waited for her"
    assert window.current() == 0 and window.counter.text() == "1 / 2"
    assert window.stack.currentWidget() is playing  # the moment plays on, not restarted
    visit.session.undo.undo()
    assert window.line.text() == "You waited, and she turned to you"


def test_a_reordered_reel_keeps_the_moment_on_screen(present, reel, visit, qtbot):
    window = present(reel)
    shown = window.moments[0].moment_id
    playing = window.player.widget()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is playing, timeout=TIMEOUT)
    panel = ReelPanel(visit.session)
    qtbot.addWidget(panel)
    panel.show()
    panel.list.setCurrentRow(0)
    panel.move_current(+1)  # Later
    assert [m.moment_id for m in window.moments] == panel.order()
    assert window.current() == 1 and window.moments[1].moment_id == shown
    assert window.counter.text() == "2 / 2"
    assert window.line.text() == "You waited, and she turned to you"
    assert window.stack.currentWidget() is playing  # the same moment plays on


def test_a_moment_taken_out_of_the_reel_gives_way_to_the_next(present, reel, visit, qtbot):
    window = present(reel)
    panel = MomentsPanel(visit.session)
    qtbot.addWidget(panel)
    panel.show()
    panel.select_moment(window.moments[0].moment_id)
    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT) as shown:
        panel.feedback.click()  # no longer for feedback
    assert shown.args == [0] and len(window.moments) == 1
    assert on_canvas(window) == source_indices("vfr")[30]
    assert window.line.text() == "You followed his lead" and window.counter.text() == "1 / 1"


def test_the_last_moment_taken_out_leaves_an_empty_reel_and_its_undo_brings_it_back(
    present, visit, qtbot
):
    window = present([moment("cfr25", 20, 60, 40, caption="You waited")])
    (m,) = window.moments
    moments.edit_moment(visit.ws, m.moment_id, feedback=False)  # (from the command line)
    visit.session.tell(ReelChanged(visit.session.session_id))
    assert window.moments == () and window.message.isVisible()
    assert "no moments" in window.message.text()
    assert window.player.state() is PlayerState.EMPTY
    moments.edit_moment(visit.ws, m.moment_id, feedback=True)
    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT):
        visit.session.tell(ReelChanged(visit.session.session_id))
    assert not window.message.isVisible() and window.line.text() == "You waited"
    assert on_canvas(window) == source_indices("cfr25")[20]


def test_a_change_to_another_visit_is_not_read(present, reel, visit, monkeypatch):
    window = present(reel)
    read = []
    monkeypatch.setattr("vfa.ui.presentation.read_reel", lambda *a: read.append(a) or [])
    visit.session.tell(ReelChanged(visit.session.session_id + 1))
    assert read == [] and len(window.moments) == 2


def test_another_workspace_closes_the_presentation(present, reel, visit, qtbot):
    window = present(reel)
    with qtbot.waitSignal(window.closed, timeout=TIMEOUT):
        visit.session.set_workspace(None)
    assert not window.isVisible() and window.player.state() is PlayerState.EMPTY
