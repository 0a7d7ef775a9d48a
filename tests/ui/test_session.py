"""The coding session model: each panel is built from a bare CodingSession on a
workspace of its own, redraws from the change values the session emits, and the undo
history is self-contained (an undo works whatever is open)."""

from __future__ import annotations

import pytest

from vfa.errors import VfaError
from vfa.services import clips as clip_service
from vfa.services import coding, events, moments
from vfa.services.schemes import available_schemes, get_scheme
from vfa.ui.changes import EventsChanged, MomentsChanged, RatingsChanged, ReelChanged, RunOpened
from vfa.ui.coding_panel import CodingPanel
from vfa.ui.event_coding import EventCoding
from vfa.ui.moments_panel import MomentsPanel
from vfa.ui.reel_panel import ReelPanel
from vfa.ui.session import CodingSession
from vfa.ui.timeline import Timeline
from vfa.ui.undo import Command


@pytest.fixture
def coded(qtbot, workspace, clips):
    """A bare session on a workspace with two clips of two visits of one family."""
    first = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    second = clip_service.add_clip(workspace, clips["ntsc"], "FAM-1", "Visit 2").clip_id
    session = CodingSession.bare(workspace, coder="Ann")
    seen: list[object] = []
    session.changed.connect(seen.append)
    yield session, first, second, seen
    session.undo.clear()


def open_clip(session, clip_id):
    session.open_clip(clip_service.clip_info(session.ws, clip_id))


def waiting(scheme_id="vig"):
    return next(c for c in get_scheme(scheme_id).ethogram.codes if c.hotkey == "W")


def test_the_coding_panel_is_built_from_a_bare_session(qtbot, coded):
    session, first, _second, seen = coded
    panel = CodingPanel(session, available_schemes)
    qtbot.addWidget(panel)
    panel.show()
    open_clip(session, first)
    panel.choose("kips")
    assert isinstance(seen[-1], RunOpened) and session.scheme.id == "kips"
    item = session.scheme.ratings.items[0]
    panel.rate(item.id, 3)  # the first edit begins the run
    run_id = session.run.id
    seen.clear()
    panel.rate(item.id, 4)
    assert seen == [RatingsChanged(run_id)]  # one value per operation
    assert panel.table.item(0, 1).text() == "4"
    assert session.undo.undoText() == f'rating of "{item.name}"'
    session.undo.undo()
    assert coding.ratings(session.ws, run_id)[item.id].value == 3
    assert panel.table.item(0, 1).text() == "3"  # redrawn from the change value


def test_event_coding_draws_into_its_timeline_from_a_bare_session(qtbot, coded):
    session, first, _second, seen = coded
    timeline = Timeline()
    qtbot.addWidget(timeline)
    lanes = EventCoding(session, timeline)
    open_clip(session, first)
    timeline.set_clip(session.frame_table)
    session.choose_scheme(get_scheme("vig"))
    session.playhead = lambda: (40, 1600)
    code = waiting()
    lanes.code(code.id)
    change = seen[-1]
    assert isinstance(change, EventsChanged) and change.run_id == session.run.id
    assert change.clip_id == first and change.gone == ()
    (made,) = change.made
    assert timeline.event_count(made.subject) == 1
    assert session.undo.undoText() == f'coding of "{code.name}"'
    session.undo.undo()
    assert timeline.event_count(made.subject) == 0
    assert events.run_events(session.ws, session.run.id) == []


def test_a_hidden_view_is_stale_until_it_is_shown(qtbot, coded):
    session, first, _second, _seen = coded
    timeline = Timeline()
    qtbot.addWidget(timeline)
    lanes = EventCoding(session, timeline)
    panel = MomentsPanel(session)
    reel = ReelPanel(session)
    for widget in (panel, reel):
        qtbot.addWidget(widget)
    open_clip(session, first)
    session.choose_scheme(get_scheme("vig"))
    session.playhead = lambda: (40, 1600)
    lanes.code(waiting().id)
    assert panel.list.count() == 0 and panel.when_shown.stale  # hidden: not redrawn
    panel.show()
    assert panel.list.count() == 1 and not panel.when_shown.stale
    # flagged for feedback while the reel is hidden: in the reel once it is shown
    panel.feedback.setChecked(True)
    assert reel.list.count() == 0 and reel.when_shown.stale
    reel.show()
    assert reel.list.count() == 1


def test_a_refused_command_never_reaches_the_history(coded):
    session, _first, _second, seen = coded

    class Refused(Command):
        def apply(self):
            raise VfaError("the run is locked")

    said: list[str] = []
    assert not Refused(session, "rating").push(said.append)
    assert said == ["the run is locked"] and session.undo.count() == 0 and seen == []


def test_an_undo_in_another_run_changes_that_run_only_and_says_so(qtbot, coded):
    session, first, _second, _seen = coded
    panel = CodingPanel(session, available_schemes)
    qtbot.addWidget(panel)
    panel.show()
    open_clip(session, first)
    panel.choose("kips")
    item = session.scheme.ratings.items[0]
    panel.rate(item.id, 5)
    run_a = session.run.id
    # run B (another scheme of the same clip) already holds a coding
    care = get_scheme("care_index_infant")
    run_b = coding.open_run(session.ws, first, care, "Ann").id
    before_b = coding.ratings(session.ws, run_b)
    panel.choose("care_index_infant")  # the history is kept
    assert session.run.id == run_b and session.undo.canUndo()
    session.undo.undo()
    assert item.id not in coding.ratings(session.ws, run_a)  # run A changed back
    assert coding.ratings(session.ws, run_b) == before_b  # run B untouched
    assert session.run.id == run_b  # nothing else was opened
    kips = get_scheme("kips")
    clip = clip_service.clip_info(session.ws, first)
    assert session.shell.last_note == (f'Undid rating of "{item.name}" ({kips.name} · {clip.name})')
    session.undo.redo()
    assert coding.ratings(session.ws, run_a)[item.id].value == 5
    assert session.shell.last_note.startswith("Redid rating of")


def test_a_moment_edit_is_undone_after_another_clip_is_opened(qtbot, coded):
    session, first, second, seen = coded
    made = moments.add_moment(session.ws, first, ["vig:waiting"], 200, 1_000, coder="Ann")
    other = moments.add_moment(
        session.ws, second, ["vig:waiting"], 200, 1_000, caption="Kept", coder="Ann"
    )
    panel = MomentsPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    open_clip(session, first)
    panel.caption.setPlainText("You waited")  # as typed
    panel.caption.commit()
    assert moments.get_moment(session.ws, made.id).caption == "You waited"
    open_clip(session, second)
    assert [m.id for m in panel.moments()] == [other.id]
    seen.clear()
    session.undo.undo()
    assert moments.get_moment(session.ws, made.id).caption is None
    assert seen == [MomentsChanged(first, made.session_id, (made.id,))]
    assert panel.caption.toPlainText() == "Kept"  # the clip shown is not redrawn
    assert session.shell.last_note.startswith("Undid caption of")


def test_a_reel_order_is_undone_after_another_visit_is_opened(qtbot, coded):
    session, first, second, seen = coded
    ws = session.ws
    a, b = (
        moments.add_moment(ws, first, ["vig:waiting"], start, start + 800, feedback=True)
        for start in (200, 2_000)
    )
    c = moments.add_moment(ws, second, ["vig:waiting"], 200, 1_000, feedback=True)
    reel = ReelPanel(session)
    qtbot.addWidget(reel)
    reel.show()
    open_clip(session, first)
    assert reel.order() == [a.id, b.id]
    reel.list.setCurrentRow(0)
    reel.move_current(+1)
    assert reel.order() == [b.id, a.id]
    open_clip(session, second)  # another visit: its reel
    assert reel.order() == [c.id]
    seen.clear()
    session.undo.undo()
    assert [m.id for m in moments.reel(ws, a.session_id)] == [a.id, b.id]
    assert reel.order() == [c.id] and seen == [ReelChanged(a.session_id)]
    assert session.shell.last_note.startswith("Undid reel order")


def test_an_undo_into_a_run_submitted_meanwhile_is_refused_and_leaves_the_history(qtbot, coded):
    session, first, _second, _seen = coded
    panel = CodingPanel(session, available_schemes)
    qtbot.addWidget(panel)
    open_clip(session, first)
    panel.choose("kips")
    item = session.scheme.ratings.items[0]
    panel.rate(item.id, 3)
    run_id = session.run.id
    coding.submit_run(session.ws, run_id, actor="Ann")  # elsewhere (the command line)
    session.undo.undo()
    assert coding.ratings(session.ws, run_id)[item.id].value == 3  # nothing changed
    assert "submitted" in session.shell.messages.text("undo").lower()
    assert session.undo.count() == 0  # the refused step left the history
