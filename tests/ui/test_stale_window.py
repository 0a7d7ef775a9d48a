"""Stale edits in the window: an edit (or an undo) made on what someone else has changed
since is refused with their name and the time, the view shows their change in place and
keeps the user's place, and nothing stored changes. Ann's session and Ben's workspace
are one file opened twice."""

from __future__ import annotations

import pytest

from vfa.services import clips as clip_service
from vfa.services import coding, events, moments
from vfa.services.schemes import available_schemes, get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.workspace import open_workspace
from vfa.ui.changes import EventsChanged
from vfa.ui.coding_panel import CodingPanel
from vfa.ui.event_coding import EventCoding
from vfa.ui.moments_panel import MomentsPanel
from vfa.ui.reel_panel import ReelPanel
from vfa.ui.session import CodingSession
from vfa.ui.timeline import Timeline


class Team:
    """Ann's window (a bare session) and Ben's workspace on the same file."""

    def __init__(self, tmp_path, file) -> None:
        self.path = tmp_path / "team.vfa"
        self.ann = open_workspace(self.path, create=True)
        self.ben = open_workspace(self.path)
        self.clip = clip_service.add_clip(self.ann, file, "FAM-1", "Visit 1").clip_id
        self.session = CodingSession.bare(self.ann, coder="Ann")
        self.seen: list[object] = []
        self.session.changed.connect(self.seen.append)

    def open(self, scheme: str | None = None) -> None:
        self.session.open_clip(clip_service.clip_info(self.ann, self.clip))
        if scheme is not None:
            self.session.choose_scheme(get_scheme(scheme))

    def said(self, topic: str = "stale") -> str:
        return self.session.shell.messages.text(topic)

    def close(self) -> None:
        self.session.undo.clear()
        self.ben.close()
        self.ann.close()


@pytest.fixture
def team(qtbot, tmp_path, clips):
    made = Team(tmp_path, clips["cfr25"])
    yield made
    made.close()


def waiting():
    return next(c for c in get_scheme("vig").ethogram.codes if c.hotkey == "W")


def lanes(qtbot, team):
    timeline = Timeline()
    qtbot.addWidget(timeline)
    coding_events = EventCoding(team.session, timeline)
    team.open()
    timeline.set_clip(team.session.frame_table)
    team.session.choose_scheme(get_scheme("vig"))
    team.session.playhead = lambda: (40, 1_600)
    return coding_events


def test_a_trim_of_a_span_someone_moved_is_refused_and_their_span_is_drawn(qtbot, team):
    coding_events = lanes(qtbot, team)
    coding_events.code(waiting().id)
    run, table = team.session.run.id, team.session.frame_table
    (made,) = events.run_events(team.ann, run)
    with viewing_as("Ben"):
        events.move_event(team.ben, run, made.id, 2_000, 3_000, table, made.version)
    theirs = events.get_event(team.ann, run, made.id)
    steps, team.seen[:] = team.session.undo.count(), []
    coding_events.move_edge(made.id, 0, made.end_ms)  # Ann drags the edge she sees
    assert team.said().startswith("Ben changed this event at ")
    assert team.said().endswith("look, then make your change again.")
    assert events.get_event(team.ann, run, made.id) == theirs  # nothing stored changed
    assert team.session.undo.count() == steps  # and nothing reached the history
    # their span is drawn in place; the clip and run stay open
    (change,) = [c for c in team.seen if isinstance(c, EventsChanged)]
    assert change.made == (theirs,) and change.gone == ()
    assert (team.session.run.id, team.session.clip_id) == (run, team.clip)
    # the window now holds their version: the same trim goes through
    coding_events.move_edge(made.id, 0, theirs.end_ms)
    assert events.get_event(team.ann, run, made.id).start_ms == 0


def _kips_panel(qtbot, team):
    """The coding panel shown on the team's clip with KIPS chosen, and its first item."""
    panel = CodingPanel(team.session, available_schemes)
    qtbot.addWidget(panel)
    panel.show()
    team.open()
    panel.choose("kips")
    return panel, team.session.scheme.ratings.items[0]


def test_a_rating_typed_over_a_value_someone_changed_is_refused_and_theirs_shown(qtbot, team):
    panel, first = _kips_panel(qtbot, team)
    panel.rate(first.id, 3)
    run = team.session.run.id
    panel.table.setCurrentCell(1, 1)  # the user's place: the second item
    with viewing_as("Ben"):
        seen = coding.rating_state(team.ben, run, first.id)
        coding.set_rating(team.ben, run, team.session.scheme, first.id, 5, seen.version)
    panel.rate(first.id, 2)
    assert team.said().startswith(f"Ben changed the rating of “{first.name}” at ")
    assert coding.rating_state(team.ann, run, first.id).value == 5
    assert panel.table.item(0, 1).text() == "5"  # theirs, shown
    assert panel.table.currentRow() == 1  # the place kept
    assert team.session.undo.count() == 1


def test_a_caption_typed_over_a_moment_someone_changed_is_refused(qtbot, team):
    m = moments.add_moment(team.ann, team.clip, ["vig:waiting"], 200, 1_000, coder="Ann")
    other = moments.add_moment(team.ann, team.clip, ["vig:waiting"], 2_000, 3_000, coder="Ann")
    panel = MomentsPanel(team.session)
    qtbot.addWidget(panel)
    panel.show()
    team.open()
    panel.select_moment(m.id)
    with viewing_as("Ben"):
        moments.edit_moment(team.ben, m.id, caption="Ben's words", expected_version=m.version)
    panel.comment.setPlainText("Ann's comment")
    panel.comment.commit()
    assert team.said().startswith("Ben changed this moment at ")
    stored = moments.get_moment(team.ann, m.id)
    assert (stored.caption, stored.comment) == ("Ben's words", None)
    assert panel.caption.toPlainText() == "Ben's words"  # theirs, shown
    assert panel.current().id == m.id and other.id in [x.id for x in panel.moments()]
    assert team.session.undo.count() == 0


def test_a_reel_order_made_on_one_someone_changed_is_refused_and_theirs_shown(qtbot, team):
    a, b, c = (
        moments.add_moment(team.ann, team.clip, ["vig:waiting"], s, s + 500, feedback=True)
        for s in (0, 1_000, 2_000)
    )
    reel = ReelPanel(team.session)
    qtbot.addWidget(reel)
    reel.show()
    team.open()
    reel.list.setCurrentRow(1)
    session_id = a.session_id
    with viewing_as("Ben"):
        version = moments.reel_version(team.ben, session_id)
        moments.reorder_reel(team.ben, session_id, [c.id, a.id, b.id], expected_version=version)
    reel.move_current(+1)  # Ann moves b later, on the order she sees
    assert team.said().startswith("Ben changed this session's reel at ")
    assert [m.id for m in moments.reel(team.ann, session_id)] == [c.id, a.id, b.id]
    assert reel.order() == [c.id, a.id, b.id]  # theirs, shown
    assert reel.list.currentItem().data(256) == b.id  # the chosen moment stays chosen


# -- undo ------------------------------------------------------------------------------------


def test_undo_of_a_rating_someone_changed_since_is_refused_and_leaves_the_history(qtbot, team):
    panel, item = _kips_panel(qtbot, team)
    panel.rate(item.id, 3)
    panel.rate(item.id, 4)
    run = team.session.run.id
    with viewing_as("Ben"):
        seen = coding.rating_state(team.ben, run, item.id)
        coding.set_rating(team.ben, run, team.session.scheme, item.id, 5, seen.version)
    team.session.undo.undo()
    assert team.said("undo").startswith(f"Ben changed the rating of “{item.name}” at ")
    assert "your undo or redo was not made" in team.said("undo")
    assert coding.rating_state(team.ann, run, item.id).value == 5  # nothing changed
    assert team.session.undo.count() == 1  # the refused step left the history
    assert panel.table.item(0, 1).text() == "5"


def test_the_windows_own_edits_undo_in_a_row_and_an_older_one_after_theirs_is_refused(qtbot, team):
    panel, item = _kips_panel(qtbot, team)
    for value in (3, 4, 5):
        panel.rate(item.id, value)
    run = team.session.run.id
    for value in (4, 3, None):  # each undo says the version the one after it left
        team.session.undo.undo()
        assert coding.rating_state(team.ann, run, item.id).value == value
    for value in (3, 4):
        team.session.undo.redo()
        assert coding.rating_state(team.ann, run, item.id).value == value
    assert team.said("undo") == ""
    # Ben changes it; Ann's view shows it, she edits on top of it: that edit undoes, but
    # not hers from before Ben's (his change would go with it)
    with viewing_as("Ben"):
        seen = coding.rating_state(team.ben, run, item.id)
        coding.set_rating(team.ben, run, team.session.scheme, item.id, 1, seen.version)
    panel.refresh()
    panel.rate(item.id, 2)
    team.session.undo.undo()
    assert coding.rating_state(team.ann, run, item.id).value == 1
    team.session.undo.undo()
    assert team.said("undo").startswith("Ben changed ")
    assert coding.rating_state(team.ann, run, item.id).value == 1


def test_undo_of_coding_an_event_someone_moved_since_is_refused(qtbot, team):
    coding_events = lanes(qtbot, team)
    coding_events.code(waiting().id)
    run, table = team.session.run.id, team.session.frame_table
    (made,) = events.run_events(team.ann, run)
    with viewing_as("Ben"):
        events.move_event(team.ben, run, made.id, 2_000, 3_000, table, made.version)
    team.session.undo.undo()  # would delete the event Ben has trimmed
    assert team.said("undo").startswith("Ben changed this event at ")
    assert events.get_event(team.ann, run, made.id).start_ms == 2_000


def test_undo_and_redo_of_the_windows_own_event_edits_follow_each_other(qtbot, team):
    coding_events = lanes(qtbot, team)
    coding_events.code(waiting().id)  # a moment: its event and its details
    run = team.session.run.id
    (made,) = events.run_events(team.ann, run)
    coding_events.move_edge(made.id, 400, made.end_ms)
    coding_events.session.playhead = lambda: (40, 1_600)
    team.session.undo.undo()  # the trim
    team.session.undo.undo()  # the coding: the event and its moment go
    assert events.run_events(team.ann, run) == []
    team.session.undo.redo()  # made again, above every version it had
    team.session.undo.redo()
    again = events.get_event(team.ann, run, made.id)
    assert again.start_ms == 400 and again.moment is not None
    assert again.version > made.version
    assert team.said("undo") == ""


def test_undo_of_a_caption_after_someone_changed_the_moment_is_refused(qtbot, team):
    m = moments.add_moment(team.ann, team.clip, ["vig:waiting"], 200, 1_000, coder="Ann")
    panel = MomentsPanel(team.session)
    qtbot.addWidget(panel)
    panel.show()
    team.open()
    panel.caption.setPlainText("You waited")
    panel.caption.commit()
    with viewing_as("Ben"):
        now = moments.get_moment(team.ben, m.id)
        moments.edit_moment(team.ben, m.id, comment="Lovely", expected_version=now.version)
    team.session.undo.undo()
    assert team.said("undo").startswith("Ben changed this moment at ")
    stored = moments.get_moment(team.ann, m.id)
    assert (stored.caption, stored.comment) == ("You waited", "Lovely")


def test_undo_of_a_reel_order_after_someone_set_the_theme_is_refused(qtbot, team):
    a, b = (
        moments.add_moment(team.ann, team.clip, ["vig:waiting"], s, s + 500, feedback=True)
        for s in (0, 1_000)
    )
    reel = ReelPanel(team.session)
    qtbot.addWidget(reel)
    reel.show()
    team.open()
    reel.list.setCurrentRow(0)
    reel.move_current(+1)
    with viewing_as("Ben"):
        version = moments.reel_version(team.ben, a.session_id)
        moments.set_theme(team.ben, a.session_id, "Play", expected_version=version)
    team.session.undo.undo()
    assert team.said("undo").startswith("Ben changed this session's reel at ")
    assert [m.id for m in moments.reel(team.ann, a.session_id)] == [b.id, a.id]


def test_a_rating_key_refused_as_stale_keeps_its_row_to_type_again(qtbot, team):
    """The key did not take: the list does not move on as if it had."""
    panel, first = _kips_panel(qtbot, team)
    panel.table.setFocus()
    qtbot.keyClicks(panel.table, "3")  # Ann rates the first item: the list moves on
    run = team.session.run.id
    assert panel.table.currentRow() == 1
    panel.table.setCurrentCell(0, 1)  # back to it, to change it
    with viewing_as("Ben"):
        seen = coding.rating_state(team.ben, run, first.id)
        coding.set_rating(team.ben, run, team.session.scheme, first.id, 5, seen.version)
    qtbot.keyClicks(panel.table, "2")  # typed over what Ben changed: refused
    assert team.said().startswith(f"Ben changed the rating of “{first.name}” at ")
    assert coding.rating_state(team.ann, run, first.id).value == 5
    assert panel.table.currentRow() == 0  # still on it, showing Ben's 5
    assert panel.table.item(0, 1).text() == "5"
    qtbot.keyClicks(panel.table, "2")  # typed again, on what is shown now: taken
    assert coding.rating_state(team.ann, run, first.id).value == 2
    assert panel.table.currentRow() == 1
