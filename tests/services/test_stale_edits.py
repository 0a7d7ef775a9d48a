"""Edits that cannot overwrite each other (docs/architecture.md, "Versions and live
changes"): an event, a rating or grid row, a moment and a reel each carry a version, and
an edit made on a copy someone has changed since is refused naming who changed it and
when, with nothing stored changed. Two workspaces opened on one database are two people;
every test runs on a SQLite file and on a PostgreSQL database."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, insert, make_url, select, update

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import GAZE, TABLE
from vfa.errors import NotFoundError, StaleEditError
from vfa.services import coding, events, moments
from vfa.services.schemes import get_scheme, load_scheme_file
from vfa.services.versions import ABSENT, receipt
from vfa.services.viewer import viewing_as
from vfa.storage.models import Annotation, AuditEntry
from vfa.storage.workspace import open_workspace

STAMP = re.compile(r" at (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC ")


@pytest.fixture(params=["sqlite", "postgresql"])
def two(request, tmp_path):
    """Ann's and Ben's workspaces: one database opened twice."""
    if request.param == "sqlite":
        target = str(tmp_path / "team.vfa")
    else:
        target = request.getfixturevalue("pg_database")
    ann = open_workspace(target, create=True)
    ben = open_workspace(target)
    yield ann, ben
    ben.close()
    ann.close()


@pytest.fixture
def gaze(tmp_path):
    path = tmp_path / "gaze.yaml"
    path.write_text(GAZE)
    return load_scheme_file(path)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def trail(ws) -> int:
    with ws.sessions() as db:
        return db.scalar(select(func.count()).select_from(AuditEntry))


def refused(call, who: str, when: tuple[dt.datetime, dt.datetime], what: str, verb="changed"):
    """Run an edit as Ann and check its refusal names ``who`` and a time in ``when``."""
    with viewing_as("Ann"), pytest.raises(StaleEditError) as caught:
        call()
    text = str(caught.value)
    assert text.startswith(f"{what}: {verb} by {who} at "), text
    assert "edit was not stored" in text and "view reloads" in text
    stamp = dt.datetime.strptime(STAMP.search(text).group(1), "%Y-%m-%d %H:%M:%S")
    first, last = when
    assert first.replace(microsecond=0, tzinfo=None) <= stamp <= last.replace(tzinfo=None)
    return caught.value


# -- events ------------------------------------------------------------------------------


def test_an_event_changed_by_someone_else_refuses_every_edit_made_on_the_old_copy(two, gaze):
    ann_ws, ben_ws = two
    clip, _ = add_clip_row(ann_ws, TABLE)
    with viewing_as("Ann"):
        run = coding.open_run(ann_ws, clip, gaze, "Ann").id
        made = events.code_event(ann_ws, run, gaze, "look_partner", "parent", 400, TABLE).event
    seen = events.get_event(ann_ws, run, made.id)  # what Ann's view shows
    assert seen.version == made.version
    before = now()
    with viewing_as("Ben"):
        events.move_event(ben_ws, run, made.id, 800, 2_000, TABLE, expected_version=seen.version)
    when = (before, now())
    stored, entries = events.get_event(ann_ws, run, made.id), trail(ann_ws)
    assert stored.version == seen.version + 1

    what = f"event {made.id}"
    refused(
        lambda: events.move_event(ann_ws, run, made.id, 0, 400, TABLE, seen.version),
        "Ben",
        when,
        what,
    )
    refused(
        lambda: events.set_modifiers(
            ann_ws, run, gaze, made.id, {"affect": "positive"}, seen.version
        ),
        "Ben",
        when,
        what,
    )
    refused(lambda: events.delete_event(ann_ws, run, made.id, seen.version), "Ben", when, what)
    refused(lambda: events.restore_event(ann_ws, run, seen, seen.version), "Ben", when, what)
    # nothing stored changed: the event, its version, the trail
    assert events.get_event(ann_ws, run, made.id) == stored
    assert events.get_event(ann_ws, run, made.id).version == stored.version
    assert trail(ann_ws) == entries
    # made on the version stored now, the edit goes through and raises it
    with viewing_as("Ann"):
        events.move_event(ann_ws, run, made.id, 0, 400, TABLE, expected_version=stored.version)
    assert events.get_event(ann_ws, run, made.id).version == stored.version + 1


def test_an_event_deleted_meanwhile_is_named_deleted_and_a_restore_over_it_is_refused(two, gaze):
    ann_ws, ben_ws = two
    clip, _ = add_clip_row(ann_ws, TABLE)
    run = coding.open_run(ann_ws, clip, gaze, "Ann").id
    made = events.code_event(ann_ws, run, gaze, "touch", "parent", 1_000, TABLE).event
    before = now()
    with viewing_as("Ben"):
        gone = events.delete_event(ben_ws, run, made.id, made.version)
    when = (before, now())
    assert gone.version == made.version
    what = f"event {made.id}"
    refused(
        lambda: events.move_event(ann_ws, run, made.id, 0, 400, TABLE, made.version),
        "Ben",
        when,
        what,
        verb="deleted",
    )
    assert events.run_events(ann_ws, run) == []
    # Ben's undo puts it back above every version it had; Ann's restore, made while she
    # still held it deleted (0), is refused: it is there again
    with viewing_as("Ben"):
        version = events.restore_event(ben_ws, run, gone, expected_version=ABSENT)
    assert version > gone.version
    assert events.get_event(ann_ws, run, made.id).version == version
    with viewing_as("Ann"), pytest.raises(StaleEditError, match=rf"^{what}: changed by Ben at "):
        events.restore_event(ann_ws, run, gone, expected_version=ABSENT)


def test_a_new_event_never_takes_a_deleted_events_id(two, gaze):
    ann_ws, ben_ws = two
    clip, _ = add_clip_row(ann_ws, TABLE)
    run = coding.open_run(ann_ws, clip, gaze, "Ann").id
    first = events.code_event(ann_ws, run, gaze, "touch", "parent", 1_000, TABLE).event
    events.delete_event(ann_ws, run, first.id, first.version)
    # the newest event's id, once deleted, is not the next one's (SQLite's plain rowid
    # would hand it out again), so an edit made on a copy of the deleted one cannot land
    again = events.code_event(ben_ws, run, gaze, "touch", "infant", 3_000, TABLE).event
    assert again.id > first.id
    with pytest.raises(StaleEditError, match=rf"^event {first.id}: deleted "):
        events.move_event(ann_ws, run, first.id, 0, 400, TABLE, expected_version=first.version)
    assert events.get_event(ann_ws, run, again.id) == again


def test_a_key_press_stops_the_state_as_stored_and_raises_its_version(two, gaze):
    ann_ws, _ = two
    clip, _ = add_clip_row(ann_ws, TABLE)
    run = coding.open_run(ann_ws, clip, gaze, "Ann").id
    started = events.code_event(ann_ws, run, gaze, "look_partner", "parent", 400, TABLE).event
    with receipt() as written:
        coded = events.code_event(ann_ws, run, gaze, "look_toy", "parent", 1_000, TABLE)
    (closed,) = coded.closed
    assert closed.version == started.version + 1
    assert events.get_event(ann_ws, run, started.id).version == closed.version
    keys = {w.key: (w.before, w.after) for w in written}
    assert keys[("event", started.id)] == (started.version, closed.version)
    assert keys[("event", coded.event.id)] == (ABSENT, coded.event.version)


def test_an_edit_without_a_version_is_not_checked(two, gaze):
    ann_ws, ben_ws = two
    clip, _ = add_clip_row(ann_ws, TABLE)
    run = coding.open_run(ann_ws, clip, gaze, "Ann").id
    made = events.code_event(ann_ws, run, gaze, "touch", "parent", 1_000, TABLE).event
    events.move_event(ben_ws, run, made.id, 2_000, 2_000, TABLE)
    events.move_event(ann_ws, run, made.id, 3_000, 3_000, TABLE)  # a script's edit
    assert events.get_event(ann_ws, run, made.id).start_ms == 3_000


# -- ratings and grid rows ---------------------------------------------------------------


def test_a_rating_changed_meanwhile_refuses_the_edit_made_on_the_old_copy(two):
    ann_ws, ben_ws = two
    scheme = get_scheme("kips")
    item = scheme.ratings.items[0].id
    clip, _ = add_clip_row(ann_ws, TABLE)
    run = coding.open_run(ann_ws, clip, scheme, "Ann").id
    seen = coding.rating_state(ann_ws, run, item)  # nothing rated yet
    assert seen.version == ABSENT
    before = now()
    with viewing_as("Ben"):
        coding.set_rating(ben_ws, run, scheme, item, 4, expected_version=seen.version)
    when = (before, now())
    entries = trail(ann_ws)
    what = f"coding run {run}: the rating of {item}"
    refused(
        lambda: coding.set_rating(ann_ws, run, scheme, item, 2, seen.version), "Ben", when, what
    )
    refused(lambda: coding.set_note(ann_ws, run, item, "a note", seen.version), "Ben", when, what)
    refused(lambda: coding.link_evidence(ann_ws, run, item, 1, seen.version), "Ben", when, what)
    assert coding.rating_state(ann_ws, run, item) == coding.RatingState(4, None, ())
    assert trail(ann_ws) == entries


def test_a_rating_cleared_and_typed_again_is_still_newer_than_the_old_copy(two):
    ann_ws, ben_ws = two
    scheme = get_scheme("kips")
    item = scheme.ratings.items[0].id
    clip, _ = add_clip_row(ann_ws, TABLE)
    run = coding.open_run(ann_ws, clip, scheme, "Ann").id
    coding.set_rating(ann_ws, run, scheme, item, 3, expected_version=ABSENT)
    seen = coding.rating_state(ann_ws, run, item)
    with viewing_as("Ben"):
        coding.set_rating(ben_ws, run, scheme, item, None, expected_version=seen.version)
        assert coding.rating_state(ben_ws, run, item).version == ABSENT  # cleared: no row
        coding.set_rating(ben_ws, run, scheme, item, 5, expected_version=ABSENT)
    again = coding.rating_state(ann_ws, run, item)
    assert again.version > seen.version
    with pytest.raises(StaleEditError, match=rf"^coding run {run}: the rating of {item}: "):
        coding.set_rating(ann_ws, run, scheme, item, 1, expected_version=seen.version)
    assert coding.rating_state(ann_ws, run, item).value == 5


def test_a_grid_row_changed_meanwhile_is_refused_and_its_clearing_too(two):
    ann_ws, ben_ws = two
    scheme = get_scheme("care_index_infant")
    grid = scheme.grids[0]
    adult, row = grid.members[0], grid.rows[0].id
    first, second, third = (s.id for s in adult.scales[:3])
    clip, _ = add_clip_row(ann_ws, TABLE)
    run = coding.open_run(ann_ws, clip, scheme, "Ann").id
    cell = (grid.id, row, adult.id)
    key = coding.row_key(*cell)
    coding.set_grid_row(ann_ws, run, scheme, *cell, {first: 2, second: 0, third: 0}, ABSENT)
    seen = coding.rating_versions(coding.ratings(ann_ws, run))[key]
    before = now()
    with viewing_as("Ben"):
        coding.set_grid_row(ben_ws, run, scheme, *cell, {first: 0, second: 2, third: 0}, seen)
    when = (before, now())
    what = f"coding run {run}: grid {grid.id}, row {row} of {adult.id}"
    refused(
        lambda: coding.set_grid_row(
            ann_ws, run, scheme, *cell, {first: 1, second: 1, third: 0}, seen
        ),
        "Ben",
        when,
        what,
    )
    refused(lambda: coding.clear_grid_row(ann_ws, run, scheme, *cell, seen), "Ben", when, what)
    points = coding.grid_points(coding.ratings(ann_ws, run))[grid.id][row][adult.id]
    assert points == {first: 0, second: 2, third: 0}
    assert coding.rating_versions(coding.ratings(ann_ws, run))[key] == seen + 1


# -- moments ------------------------------------------------------------------------------


def test_a_moment_changed_meanwhile_refuses_its_edit_and_its_undo(two):
    ann_ws, ben_ws = two
    clip, _ = add_clip_row(ann_ws, TABLE)
    with viewing_as("Ann"):
        m = moments.add_moment(ann_ws, clip, ["vig:waiting"], 1_000, 3_000, caption="Waiting")
        before_edit = moments.edit_moment(
            ann_ws, m.id, caption="You waited", expected_version=m.version
        )
    seen = moments.get_moment(ann_ws, m.id)
    assert seen.version == m.version + 1 and before_edit == m
    before = now()
    with viewing_as("Ben"):
        moments.edit_moment(ben_ws, m.id, comment="Lovely", expected_version=seen.version)
    when = (before, now())
    what = f"moment {m.id}"
    refused(
        lambda: moments.edit_moment(
            ann_ws, m.id, caption="You wait", expected_version=seen.version
        ),
        "Ben",
        when,
        what,
    )
    refused(  # the undo of Ann's caption: Ben has changed the moment since
        lambda: moments.restore_moment(ann_ws, before_edit, expected_version=seen.version),
        "Ben",
        when,
        what,
    )
    stored = moments.get_moment(ann_ws, m.id)
    assert (stored.caption, stored.comment) == ("You waited", "Lovely")


def test_a_trim_that_moves_the_still_is_a_change_of_the_moment(two):
    ann_ws, ben_ws = two
    clip, _ = add_clip_row(ann_ws, TABLE)
    m = moments.add_moment(ann_ws, clip, ["vig:waiting"], 1_000, 3_000, key_ms=2_800)
    with viewing_as("Ben"):
        events.move_event(ben_ws, m.run_id, m.id, 1_000, 2_000, TABLE, m.event_version)
    now_stored = moments.get_moment(ann_ws, m.id)
    assert now_stored.version == m.version + 1  # the still moved into the new span
    assert now_stored.event_version == m.event_version + 1
    with pytest.raises(StaleEditError, match=rf"^moment {m.id}: changed by Ben at "):
        moments.edit_moment(ann_ws, m.id, caption="x", expected_version=m.version)


# -- the reel --------------------------------------------------------------------------------


def test_a_reel_changed_meanwhile_refuses_the_order_and_theme_made_on_the_old_copy(two):
    ann_ws, ben_ws = two
    clip, session = add_clip_row(ann_ws, TABLE)
    a, b, c = (
        moments.add_moment(ann_ws, clip, ["vig:waiting"], start, start + 500, feedback=flag)
        for start, flag in ((0, True), (1_000, True), (2_000, False))
    )
    seen = moments.reel_version(ann_ws, session)
    before = now()
    with viewing_as("Ben"):
        moments.reorder_reel(ben_ws, session, [b.id, a.id], expected_version=seen)
    when = (before, now())
    what = f"the reel of session {session}"
    refused(
        lambda: moments.reorder_reel(ann_ws, session, [a.id, b.id], expected_version=seen),
        "Ben",
        when,
        what,
    )
    refused(lambda: moments.set_theme(ann_ws, session, "Play", seen), "Ben", when, what)
    assert [m.id for m in moments.reel(ann_ws, session)] == [b.id, a.id]
    assert moments.session_theme(ann_ws, session) is None
    # a moment joining the reel changes it too
    seen = moments.reel_version(ann_ws, session)
    with viewing_as("Ben"):
        moments.edit_moment(ben_ws, c.id, feedback=True, expected_version=c.version)
    assert moments.reel_version(ann_ws, session) == seen + 1
    with pytest.raises(StaleEditError, match=rf"^{what}: changed by Ben at "):
        moments.set_theme(ann_ws, session, "Play", expected_version=seen)


def test_an_unknown_session_is_not_found_not_stale(two):
    ann_ws, _ = two
    with pytest.raises(NotFoundError, match="session 99: no such session"):
        moments.set_theme(ann_ws, 99, "Play", expected_version=1)


# -- any order of edits ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """Ann's and Ben's workspaces on one file, kept for every example of the property."""
    target = str(tmp_path_factory.mktemp("shared") / "team.vfa")
    ann = open_workspace(target, create=True)
    ben = open_workspace(target)
    yield ann, ben
    ben.close()
    ann.close()


CASES = itertools.count(1)
STEP = st.tuples(st.sampled_from(["Ann", "Ben"]), st.sampled_from(["read", "rate", "clear"]))


@settings(max_examples=25, deadline=None)
@given(steps=st.lists(st.tuples(STEP, st.integers(1, 5)), max_size=10))
def test_any_order_of_edits_stores_exactly_those_made_on_the_copy_stored(shared, steps):
    scheme = get_scheme("kips")
    item = scheme.ratings.items[0].id
    ws = dict(zip(("Ann", "Ben"), shared, strict=True))
    clip, _ = add_clip_row(ws["Ann"], TABLE, case=f"C-{next(CASES)}")  # a clip an example
    run = coding.open_run(ws["Ann"], clip, scheme, "Ann").id
    stored = coding.RatingState(None, None, ())  # the model: what is stored, its version
    held = {"Ann": stored, "Ben": stored}
    for (who, act), value in steps:
        if act == "read":
            held[who] = coding.rating_state(ws[who], run, item)
            assert held[who] == stored and held[who].version == stored.version
            continue
        wanted = value if act == "rate" else None
        if held[who].version != stored.version:
            with pytest.raises(StaleEditError):
                coding.set_rating(ws[who], run, scheme, item, wanted, held[who].version)
        else:
            coding.set_rating(ws[who], run, scheme, item, wanted, held[who].version)
            now_stored = coding.rating_state(ws[who], run, item)
            assert now_stored == coding.RatingState(wanted, None, ())
            assert now_stored.version == ABSENT if wanted is None else now_stored.version > 0
            assert wanted is None or now_stored.version not in (stored.version, ABSENT)
            stored = held[who] = now_stored
        assert coding.rating_state(ws["Ann"], run, item) == stored


# -- nobody waits for another clip ---------------------------------------------------------


def test_two_people_editing_different_clips_never_wait_for_each_other(pg_database, gaze):
    """Ann's edit holds its transaction open; Ben's edits of another clip go through at
    once (the database refuses any wait over 2 s, so a wait would fail the test)."""
    admin = create_engine(pg_database, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        name = make_url(pg_database).database
        conn.exec_driver_sql(f"ALTER DATABASE \"{name}\" SET lock_timeout = '2s'")
    admin.dispose()
    ann_ws = open_workspace(pg_database, create=True)
    ben_ws = open_workspace(pg_database)
    try:
        clips = [add_clip_row(ann_ws, TABLE, label=label)[0] for label in ("V1", "V2")]
        ann = coding.open_run(ann_ws, clips[0], gaze, "Ann").id
        ben = coding.open_run(ben_ws, clips[1], gaze, "Ben").id
        mine = events.code_event(ann_ws, ann, gaze, "touch", "parent", 1_000, TABLE).event
        his = events.code_event(ben_ws, ben, gaze, "touch", "parent", 1_000, TABLE).event
        kips = get_scheme("kips")
        ben_kips = coding.open_run(ben_ws, clips[1], kips, "Ben").id
        with viewing_as("Ann"), ann_ws.write_engine.begin() as open_edit:
            # Ann's edit, not yet committed: her event's row is locked, her entry written
            open_edit.execute(
                update(Annotation).where(Annotation.id == mine.id).values(version=mine.version + 1)
            )
            open_edit.execute(insert(AuditEntry).values(action="code", entity="annotation"))
            with viewing_as("Ben"):
                events.move_event(ben_ws, ben, his.id, 2_000, 2_000, TABLE, his.version)
                events.code_event(ben_ws, ben, gaze, "look_toy", "infant", 400, TABLE)
                coding.set_rating(ben_ws, ben_kips, kips, kips.ratings.items[0].id, 3, ABSENT)
        assert events.get_event(ann_ws, ben, his.id).start_ms == 2_000
    finally:
        ben_ws.close()
        ann_ws.close()
