"""What the watcher reads of others' changes (services/live.py): only entries newer than
its last look, only what the clip shown holds, never a run the blind rule hides from the
viewer; and its thread hands each look over and stops with its connection."""

from __future__ import annotations

import threading

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import TABLE, gaze  # noqa: F401 - fixture
from vfa.services import assignments as asg
from vfa.services import coding, events
from vfa.services.live import Feed, Seen, Shown, Watcher


def test_a_look_reads_only_what_is_new_and_on_the_clip_shown(gaze):  # noqa: F811
    ws, scheme, run, clip = gaze
    other_clip, _ = add_clip_row(ws, TABLE, label="V2")
    feed = Feed(ws)
    shown = Shown("Ann", clip, run, None)
    assert feed.look(shown) is None  # nothing written since it was made
    mine = events.code_event(ws, run, scheme, "touch", "parent", 1_000, TABLE).event
    elsewhere = coding.open_run(ws, other_clip, scheme, "Ann").id
    events.code_event(ws, elsewhere, scheme, "touch", "parent", 1_000, TABLE)
    seen = feed.look(shown)
    assert [(r, e.id, e.version) for r, e in seen.events] == [(run, mine.id, mine.version)]
    assert seen.missing == () and seen.entries >= 2
    assert feed.look(shown) is None  # read once
    events.delete_event(ws, run, mine.id)
    assert feed.look(shown).missing == (mine.id,)


def test_a_blind_run_of_another_coder_is_not_read_for_the_viewer(gaze):  # noqa: F811
    ws, scheme, _run, clip = gaze
    ann, ben = asg.assign(ws, [clip], scheme, ["Ann", "Ben"])
    feed = Feed(ws)
    theirs = events.code_event(ws, ben.id, scheme, "touch", "parent", 1_000, TABLE).event
    seen = feed.look(Shown("Ann", clip, ann.id, None))
    assert seen.events == () and seen.missing == ()
    assert seen.entries >= 1  # read, and left out
    again = events.code_event(ws, ben.id, scheme, "touch", "infant", 2_000, TABLE).event
    assert again.id != theirs.id
    assert [e.id for _, e in feed.look(Shown("Ben", clip, ben.id, None)).events] == [again.id]


def test_the_watcher_hands_over_each_look_and_stops_with_its_connection(gaze):  # noqa: F811
    ws, scheme, run, clip = gaze
    looked: list[Seen] = []
    arrived = threading.Event()

    def deliver(seen: Seen) -> None:
        looked.append(seen)
        arrived.set()

    watcher = Watcher(ws, lambda: Shown("Ann", clip, run, None), deliver, interval=0.05)
    watcher.start()
    try:
        made = events.code_event(ws, run, scheme, "touch", "parent", 1_000, TABLE).event
        assert arrived.wait(10), "no look within 10 s"
        assert made.id in [e.id for s in looked for _, e in s.events]
    finally:
        watcher.stop()
    assert not watcher.running and watcher.failure is None
