"""Others' changes appear in the window within seconds (docs/architecture.md, "Versions
and live changes"): a change made through another Workspace object on the same database
reaches the session's views, on SQLite (the trail polled; here every 0.1 s) and on
PostgreSQL (LISTEN/NOTIFY); the window's own edits are not shown twice."""

from __future__ import annotations

import pytest

from vfa.services import clips as clip_service
from vfa.services import coding, events, moments
from vfa.services.live import Feed, Shown
from vfa.services.schemes import available_schemes, get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.workspace import open_workspace
from vfa.ui.changes import EventsChanged, MomentsChanged, RatingsChanged, ReelChanged
from vfa.ui.coding_panel import CodingPanel
from vfa.ui.event_coding import EventCoding
from vfa.ui.live import changes_seen
from vfa.ui.moments_panel import MomentsPanel
from vfa.ui.reel_panel import ReelPanel
from vfa.ui.session import CodingSession
from vfa.ui.timeline import Timeline

TIMEOUT = 10_000  # ms: what "within a few seconds" may take on a loaded test machine


@pytest.fixture(params=["sqlite", "postgresql"])
def team(request, qtbot, tmp_path, clips):
    """Ann's window (a bare session watching its workspace) and a second Workspace on
    the same database (Ben, or Ann in another window)."""
    if request.param == "sqlite":
        target = str(tmp_path / "team.vfa")
    else:
        target = request.getfixturevalue("pg_database")
    ann = open_workspace(target, create=True)
    other = open_workspace(target)
    clip = clip_service.add_clip(ann, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    session = CodingSession.bare(ann, coder="Ann")
    session.watch(interval=0.1)
    seen: list[object] = []
    session.changed.connect(seen.append)
    yield session, other, clip, seen
    watcher = session.live.watcher
    session.set_workspace(None)  # stops watching before the workspaces close
    assert watcher is not None and not watcher.running
    other.close()
    ann.close()


def open_clip(session, clip_id, scheme):
    session.open_clip(clip_service.clip_info(session.ws, clip_id))
    session.choose_scheme(get_scheme(scheme))


def test_events_and_moments_changed_elsewhere_reach_the_timeline_and_the_list(qtbot, team):
    session, other, clip, seen = team
    timeline = Timeline()
    qtbot.addWidget(timeline)
    coding_events = EventCoding(session, timeline)
    panel = MomentsPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    open_clip(session, clip, "vig")
    timeline.set_clip(session.frame_table)
    session.playhead = lambda: (40, 1_600)
    waiting = next(c for c in session.scheme.ethogram.codes if c.hotkey == "W")
    coding_events.code(waiting.id)  # Ann's own edit: drawn once, by the command
    run, table = session.run.id, session.frame_table
    (own,) = events.run_events(session.ws, run)

    # Ann in another window codes into the same run: it is drawn here too
    made = events.code_event(other, run, session.scheme, waiting.id, None, 4_000, table).event
    qtbot.waitUntil(lambda: any(made.id in [e.id for e in c.made] for c in edits(seen)),
                    timeout=TIMEOUT)  # fmt: skip
    assert timeline.event_count(made.subject) == 2
    assert [m.id for m in panel.moments()] == [own.id, made.id]

    # Ben, a therapist, words a caption of a moment of the clip
    with viewing_as("Ben"):
        moments.edit_moment(
            other, made.id, caption="You waited", expected_version=made.moment.version
        )
    qtbot.waitUntil(lambda: panel.moments()[1].caption == "You waited", timeout=TIMEOUT)
    assert any(isinstance(c, MomentsChanged) and c.moment_ids == (made.id,) for c in seen)

    # and deletes one: it goes from the timeline and the list
    events.delete_event(other, run, own.id)
    qtbot.waitUntil(lambda: [m.id for m in panel.moments()] == [made.id], timeout=TIMEOUT)
    assert timeline.event_count(made.subject) == 1
    # Ann's own coding was drawn by her command only, never again from the trail
    assert sum(own.id in [e.id for e in c.made] for c in edits(seen)) == 1
    # and the window now holds their versions: its edits go through
    coding_events.move_edge(made.id, 3_000, 4_000)
    assert events.get_event(session.ws, run, made.id).start_ms == 3_000
    assert session.shell.messages.text("stale") == ""


def edits(seen):
    return [c for c in seen if isinstance(c, EventsChanged)]


def test_ratings_status_and_the_reel_changed_elsewhere_are_redrawn(qtbot, team):
    session, other, clip, seen = team
    a, b = (
        moments.add_moment(other, clip, ["vig:waiting"], s, s + 500, feedback=True)
        for s in (0, 1_000)
    )
    panel = CodingPanel(session, available_schemes)
    reel = ReelPanel(session)
    for widget in (panel, reel):
        qtbot.addWidget(widget)
        widget.show()
    open_clip(session, clip, "kips")
    item = session.scheme.ratings.items[0]
    panel.rate(item.id, 3)
    run = session.run.id
    assert reel.order() == [a.id, b.id]

    seen_version = coding.rating_state(other, run, item.id).version
    coding.set_rating(other, run, session.scheme, item.id, 5, seen_version)
    qtbot.waitUntil(lambda: panel.table.item(0, 1).text() == "5", timeout=TIMEOUT)
    assert RatingsChanged(run) in seen

    with viewing_as("Ben"):
        version = moments.reel_version(other, a.session_id)
        moments.reorder_reel(other, a.session_id, [b.id, a.id], expected_version=version)
    qtbot.waitUntil(lambda: reel.order() == [b.id, a.id], timeout=TIMEOUT)
    assert ReelChanged(a.session_id) in seen

    coding.submit_run(other, run, actor="Ann")
    qtbot.waitUntil(lambda: not panel.submit.isVisible(), timeout=TIMEOUT)
    assert panel.reopen_button.isVisibleTo(panel)


def test_the_window_finds_the_run_begun_elsewhere(qtbot, team):
    session, other, clip, _seen = team
    open_clip(session, clip, "kips")
    assert session.run is None  # not begun here
    run = coding.open_run(other, clip, session.scheme, "Ann")
    coding.set_rating(other, run.id, session.scheme, session.scheme.ratings.items[0].id, 4)
    qtbot.waitUntil(lambda: session.run is not None and session.run.id == run.id,
                    timeout=TIMEOUT)  # fmt: skip


def test_a_look_older_than_the_windows_own_edit_is_not_shown_and_typing_stays(
    qtbot, tmp_path, clips
):
    """A look read before the window's own edit arrives after it: nothing it shows goes
    back; a change by someone else to another field leaves what is being typed."""
    ann = open_workspace(tmp_path / "team.vfa", create=True)
    ben = open_workspace(tmp_path / "team.vfa")
    try:
        clip = clip_service.add_clip(ann, clips["cfr25"], "FAM-1", "Visit 1").clip_id
        m = moments.add_moment(ann, clip, ["vig:waiting"], 200, 1_000, coder="Ann")
        session = CodingSession.bare(ann, coder="Ann")
        panel = MomentsPanel(session)
        qtbot.addWidget(panel)
        panel.show()
        session.open_clip(clip_service.clip_info(ann, clip))
        shown = Shown("Ann", clip, None, m.session_id)
        feed = Feed(ann)
        panel.caption.setPlainText("You waited")
        panel.caption.commit()  # the window's own edit: what the look will read
        old = feed.look(shown)
        panel.caption.setPlainText("You waited for her")
        panel.caption.commit()  # and one more, after the look
        newest = moments.get_moment(ann, m.id).version
        panel.comment.setPlainText("Ann is typing")  # not stored yet
        changes = changes_seen(session, old)
        assert not [c for c in changes if isinstance(c, (EventsChanged, MomentsChanged))]
        assert session.held.seen(("moment", m.id)) == newest
        assert panel.caption.toPlainText() == "You waited for her"
        with viewing_as("Ben"):
            moments.edit_moment(ben, m.id, child_line="I like it", expected_version=newest)
        for change in changes_seen(session, feed.look(shown)):
            session.tell(change)
        assert panel.child_line.toPlainText() == "I like it"  # Ben's, shown
        assert panel.comment.toPlainText() == "Ann is typing"  # Ann's typing stays
        panel.comment.commit()  # and is stored on Ben's version, which the window holds
        stored = moments.get_moment(ann, m.id)
        assert (stored.child_line, stored.comment) == ("I like it", "Ann is typing")
        session.undo.clear()
    finally:
        ben.close()
        ann.close()
