"""The timed events' rules as a view reads them (docs/architecture.md, "Coding"): the
timeline's spans are every event of the run and only that run, in time order with ties
kept in the order they were made, and a running state has no end."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import GAZE, TABLE, gaze, press  # noqa: F401 - fixture
from vfa.services import assignments as asg
from vfa.services import coding, events
from vfa.services.blind import BlindError
from vfa.services.schemes import load_scheme_file
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry
from vfa.storage.workspace import open_workspace


def test_the_timeline_reads_every_event_of_the_run_in_time_order(gaze):  # noqa: F811
    ws, scheme, run, clip = gaze
    later = press(ws, scheme, run, "touch", "parent", 3_000).event
    state = press(ws, scheme, run, "look_partner", "infant", 1_000).event
    tie = press(ws, scheme, run, "touch", "infant", 3_000).event
    other = coding.open_run(ws, clip, scheme, "Bea").id
    press(ws, scheme, other, "touch", "parent", 2_000)
    assert events.event_spans(ws, run) == [
        (state.id, "infant", 1_000, None, "look_partner"),  # still running
        (later.id, "parent", 3_000, 3_000, "touch"),
        (tie.id, "infant", 3_000, 3_000, "touch"),  # same time: the order they were made
    ]
    assert later.id < tie.id


def test_a_stopped_state_has_its_end_and_an_empty_run_has_no_spans(gaze):  # noqa: F811
    ws, scheme, run, _ = gaze
    assert events.event_spans(ws, run) == []
    started = press(ws, scheme, run, "look_toy", "parent", 400).event
    press(ws, scheme, run, "look_toy", "parent", 2_000)  # the same key again stops it
    assert events.event_spans(ws, run) == [(started.id, "parent", 400, 2_000, "look_toy")]


def test_a_blind_coder_reads_their_own_events_whoever_is_at_the_keyboard(gaze):  # noqa: F811
    ws, scheme, run, clip = gaze
    ann, _ben = asg.assign(ws, [clip], scheme, ["Ann", "Ben"])  # Ann's run, now blind
    assert ann.id == run
    made = press(ws, scheme, run, "touch", "parent", 1_000).event
    with viewing_as("Sue"):  # the reads are for the viewer named, not for Sue
        assert events.get_event(ws, run, made.id, viewer="Ann") == made
        assert events.event_spans(ws, run, viewer="Ann") == [
            (made.id, "parent", 1_000, 1_000, "touch")
        ]
        assert events.run_events(ws, run, viewer="Ann") == [made]
        for read in (
            lambda viewer: events.get_event(ws, run, made.id, viewer=viewer),
            lambda viewer: events.event_spans(ws, run, viewer=viewer),
            lambda viewer: events.run_events(ws, run, viewer=viewer),
        ):
            with pytest.raises(BlindError, match=rf"^clip {clip}: Ben codes this clip blind"):
                read("Ben")
            with pytest.raises(BlindError, match=rf"Ann's run {run} is blind coding"):
                read(None)  # Sue, a supervisor


def test_the_timeline_reads_the_spans_from_a_postgresql_workspace(pg_url, tmp_path):
    engine = create_engine(pg_url)
    with engine.begin() as conn:  # start from an empty database
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    path = tmp_path / "gaze.yaml"
    path.write_text(GAZE)
    scheme = load_scheme_file(path)
    ws = open_workspace(pg_url, create=True)
    try:
        clip, _ = add_clip_row(ws, TABLE)
        run = coding.open_run(ws, clip, scheme, "Ann").id
        later = press(ws, scheme, run, "touch", "parent", 2_000).event
        state = press(ws, scheme, run, "look_partner", "infant", 400).event
        assert events.event_spans(ws, run) == [
            (state.id, "infant", 400, None, "look_partner"),
            (later.id, "parent", 2_000, 2_000, "touch"),
        ]
    finally:
        ws.close()


def audit_of_events(ws):
    with ws.sessions() as db:
        rows = db.execute(
            select(
                AuditEntry.actor,
                AuditEntry.action,
                AuditEntry.entity,
                AuditEntry.entity_id,
                AuditEntry.detail,
            )
            .where(AuditEntry.entity == "annotation")
            .order_by(AuditEntry.id)
        ).all()
    return [tuple(row) for row in rows]


def test_every_edit_of_an_event_leaves_an_audit_entry_naming_it(gaze):  # noqa: F811
    ws, scheme, run, _ = gaze
    with viewing_as("Ann"):
        touch = press(ws, scheme, run, "touch", "parent", 1_010).event  # frame at 1000
        look = press(ws, scheme, run, "look_partner", "infant", 400).event
        press(ws, scheme, run, "look_partner", "infant", 2_000)  # the same key stops it
        events.move_event(ws, run, touch.id, 1_200, 1_600, TABLE)
        events.set_modifiers(ws, run, scheme, look.id, {"affect": "positive"})
        gone = events.delete_event(ws, run, touch.id)
        events.restore_event(ws, run, gone)
    assert events.get_event(ws, run, touch.id) == gone  # back under its own id
    assert audit_of_events(ws) == [
        ("Ann", "code", "annotation", touch.id, {"code": "touch", "at_ms": 1_000}),
        ("Ann", "code", "annotation", look.id, {"code": "look_partner", "at_ms": 400}),
        ("Ann", "stop", "annotation", look.id, {"at_ms": 2_000}),
        (
            "Ann",
            "move",
            "annotation",
            touch.id,
            {"before": [1_000, 1_000], "after": [1_200, 1_600]},
        ),
        ("Ann", "modify", "annotation", look.id, {"before": {}, "after": {"affect": "positive"}}),
        ("Ann", "delete", "annotation", touch.id, {"code": "touch"}),
        ("Ann", "restore", "annotation", touch.id, {}),
    ]
