"""Reading the audit trail: typed rows newest first, filtered by person, case code, kind
and local calendar days; for supervisors and admins once the workspace is managed; the
blind rule hiding what a sealed run recorded; older entries placed through what they
name; and the CSV the trail is exported as."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import time

import pytest
from sqlalchemy import insert, update

from tests.services.blind_world import BEN_OWN, SECRET, TESS_ON_X, build_world
from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import TABLE
from vfa.errors import InvalidInputError, NotFoundError
from vfa.outputs import OutputError
from vfa.services import coding, consent, events, moments, people
from vfa.services.audit_trail import audit_choices, audit_csv, read_audit, write_audit_csv
from vfa.services.people import NotAllowedError
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry, Role


@pytest.fixture
def trail(workspace):
    """Two cases: Ann rates on FAM-1's clip, Sue records consent on FAM-2's."""
    first, _ = add_clip_row(workspace, TABLE, case="FAM-1")
    second, _ = add_clip_row(workspace, TABLE, case="FAM-2")
    kips = get_scheme("kips")
    item = kips.ratings.items[0].id
    with viewing_as("Ann"):
        run = coding.open_run(workspace, first, kips, "Ann").id
        coding.set_rating(workspace, run, kips, item, 3)
        coding.set_rating(workspace, run, kips, item, 4)
    with viewing_as("Sue"):
        consent.set_consent(workspace, second, ["feedback"])
    return workspace, first, second, run, item


def test_rows_are_typed_newest_first_with_their_case_clip_run_before_and_after(trail):
    ws, _first, second, run, item = trail
    rows = read_audit(ws)
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)
    assert all(r.when.tzinfo is not None for r in rows)
    agreed, rated_again, rated = rows[:3]
    assert (agreed.who, agreed.action, agreed.entity, agreed.entity_id) == (
        "Sue",
        "consent",
        "clip",
        second,
    )
    assert (agreed.case, agreed.clip_id, agreed.clip, agreed.run_id) == (
        "FAM-2",
        second,
        "FAM-2-V1.mp4",
        None,
    )
    assert (rated_again.who, rated_again.action, rated_again.case, rated_again.run_id) == (
        "Ann",
        "rate",
        "FAM-1",
        run,
    )
    assert rated_again.before["value"] == rated.after["value"] == 3
    assert rated_again.after["value"] == 4
    assert rated_again.detail == {"item": item}
    assert not rated_again.hidden


def test_the_filters_narrow_the_trail(trail):
    ws, first, _second, _run, _ = trail
    assert {r.who for r in read_audit(ws, person="ann")} == {"Ann"}  # any capitals
    assert {r.case for r in read_audit(ws, case="fam-2")} == {"FAM-2"}
    assert {r.clip_id for r in read_audit(ws, case="FAM-1") if r.clip_id} == {first}
    rated = read_audit(ws, kind="rate")
    assert [r.action for r in rated] == ["rate", "rate"]
    assert {r.entity for r in read_audit(ws, kind="Coding_Run")} == {"coding_run"}
    assert read_audit(ws, person="Ann", kind="consent") == []
    newest = read_audit(ws, limit=2)
    assert newest == read_audit(ws)[:2]
    today = dt.date.today()
    assert read_audit(ws, since=today, until=today) == read_audit(ws)
    assert read_audit(ws, since=today + dt.timedelta(days=1)) == []
    assert read_audit(ws, until=today - dt.timedelta(days=1)) == []


def test_a_case_that_is_not_there_and_crossed_dates_are_refused(trail):
    ws = trail[0]
    with pytest.raises(NotFoundError, match=r"^case FAM-3: no such case in "):
        read_audit(ws, case="FAM-3")
    today = dt.date.today()
    with pytest.raises(InvalidInputError, match=r"--until \S+ is before --since \S+"):
        read_audit(ws, since=today, until=today - dt.timedelta(days=1))
    with pytest.raises(InvalidInputError, match="a limit of 0 entries shows nothing"):
        read_audit(ws, limit=0)


@pytest.fixture
def in_auckland(monkeypatch):
    """The local time of New Zealand (UTC+13 in March)."""
    if not hasattr(time, "tzset"):
        pytest.skip("no time.tzset on this platform")
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_dates_are_the_readers_local_calendar_days(workspace, in_auckland):
    with workspace.writes.begin() as db:
        db.execute(
            insert(AuditEntry),
            [
                {"actor": "Ann", "action": "late", "entity": "x", "detail": {},
                 "at": dt.datetime(2026, 3, 1, 10, 30, tzinfo=dt.UTC)},  # 23:30 on 1 March
                {"actor": "Ann", "action": "early", "entity": "x", "detail": {},
                 "at": dt.datetime(2026, 3, 1, 11, 30, tzinfo=dt.UTC)},  # 00:30 on 2 March
            ],
        )  # fmt: skip
    march = [dt.date(2026, 3, d) for d in (1, 2)]
    assert [r.action for r in read_audit(workspace, until=march[0])] == ["late"]
    assert [r.action for r in read_audit(workspace, since=march[1])] == ["early"]
    assert [r.action for r in read_audit(workspace, since=march[0], until=march[1])] == [
        "early",
        "late",
    ]


def test_entries_written_before_they_named_their_place_are_placed_through_what_they_name(
    workspace,
):
    clip, session = add_clip_row(workspace, TABLE, case="OLD-1")
    scheme = get_scheme("vig")
    run = coding.open_run(workspace, clip, scheme, "Ann").id
    made = events.code_event(workspace, run, scheme, "waiting", None, 400, TABLE).event
    moments.set_theme(workspace, session, "Waiting")
    with workspace.writes.begin() as db:  # as VFA wrote them before migration 0007
        db.execute(update(AuditEntry).values(case_id=None, clip_id=None, run_id=None))
    by_action = {r.action: r for r in read_audit(workspace, case="old-1")}
    assert (by_action["code"].entity_id, by_action["code"].run_id) == (made.id, run)
    assert (by_action["code"].clip_id, by_action["code"].case) == (clip, "OLD-1")
    assert (by_action["create"].run_id, by_action["create"].case) == (run, "OLD-1")
    assert (by_action["theme"].case, by_action["theme"].clip_id) == ("OLD-1", None)


def test_older_updates_written_from_and_to_read_as_before_and_after(workspace):
    with workspace.writes.begin() as db:
        db.execute(
            insert(AuditEntry),
            [{"actor": "Sue", "action": "set", "entity": "reliability_criterion",
              "detail": {"scheme": "kips", "from": {"threshold": 0.7}, "to": {"threshold": 0.8}}},
             {"actor": "Sue", "action": "restore", "entity": "workspace",
              "detail": {"from": "a.vfa", "before": "b.vfa"}}],  # (no pair: kept as it is)
        )  # fmt: skip
    restored, criterion = read_audit(workspace)
    assert (criterion.before, criterion.after, criterion.detail) == (
        {"threshold": 0.7},
        {"threshold": 0.8},
        {"scheme": "kips"},
    )
    assert (restored.before, restored.after) == (None, None)
    assert restored.detail == {"from": "a.vfa", "before": "b.vfa"}


# -- who may read it ------------------------------------------------------------------------


def test_on_a_managed_workspace_only_supervisors_and_admins_read_the_trail(trail):
    ws = trail[0]
    people.add_person(ws, "Ada", Role.ADMIN, who="Ada")
    people.add_person(ws, "Sue", Role.SUPERVISOR, who="Ada")
    people.add_person(ws, "Ann", Role.CODER, who="Ada")
    people.add_person(ws, "Tess", Role.THERAPIST, who="Ada")
    assert read_audit(ws, viewer="Sue") == read_audit(ws, viewer="Ada")
    for name, role in (("Ann", "coder"), ("Tess", "therapist")):
        with pytest.raises(NotAllowedError) as refused:
            read_audit(ws, viewer=name)
        assert str(refused.value) == (
            f"{name} is a {role}: only a supervisor or admin may read the audit trail; "
            "an admin can change a role (vfa people role NAME ROLE)"
        )
        with pytest.raises(NotAllowedError):
            audit_choices(ws, name)
    with pytest.raises(NotAllowedError, match=r"^Zed is not one of this workspace's people"):
        read_audit(ws, viewer="Zed")


def test_on_a_personal_workspace_whoever_uses_it_reads_the_trail(trail):
    ws = trail[0]
    assert read_audit(ws, viewer="anyone")
    choices = audit_choices(ws, "anyone")
    assert {"Ann", "Sue"} <= set(choices.people)
    assert choices.cases == ("FAM-1", "FAM-2")
    assert {"rate", "consent", "coding_run", "clip"} <= set(choices.kinds)


# -- the blind rule -------------------------------------------------------------------------


@pytest.fixture
def blind(workspace, clips):
    world = build_world(workspace, clips, 1)
    # a caption of the therapist's open moment on X: hidden from Ben while he codes X blind
    moments.edit_moment(workspace, world.tess_x_moment, caption=f"{TESS_ON_X}edited")
    return world


def shown(rows) -> str:
    return repr([(r.before, r.after, r.detail) for r in rows])


def test_an_entry_about_a_sealed_run_shows_who_when_and_what_but_no_values(blind):
    ws, world = blind.ws, blind
    for viewer in ("Sue", "Ben"):
        rows = read_audit(ws, viewer=viewer)
        assert SECRET not in shown(rows)
        hidden = [r for r in rows if r.hidden]
        assert {r.run_id for r in hidden} >= {world.ann_kips, world.ann_vig}
        for r in hidden:
            assert (r.before, r.after, r.detail) == (None, None, {})
            assert r.who and r.action and r.when
        notes = [r for r in hidden if r.action == "rate" and r.run_id == world.ann_kips]
        assert len(notes) == 2 * len(get_scheme("kips").ratings.items)  # each act is listed
    # Ben also codes X blind: the therapist's open moment on X is hidden from him, not Sue
    assert TESS_ON_X in shown(read_audit(ws, viewer="Sue"))
    assert TESS_ON_X not in shown(read_audit(ws, viewer="Ben"))
    assert BEN_OWN not in shown(read_audit(ws, viewer="Sue"))
    assert BEN_OWN in shown(read_audit(ws, viewer="Ben"))  # his own
    assert SECRET in shown(read_audit(ws, viewer="Ann"))  # hers
    # who is assigned what stays readable, as in the assignment list
    assign = [r for r in read_audit(ws, kind="assign", viewer="Sue") if r.run_id == world.ann_kips]
    assert assign and assign[0].detail["coder"] == "Ann" and not assign[0].hidden


def test_once_every_blind_run_is_submitted_the_values_are_there_for_the_supervisor(blind):
    ws, world = blind.ws, blind
    for run in (world.ann_kips, world.ben_kips, world.ann_vig, world.ben_vig):
        coding.submit_run(ws, run)
    rows = read_audit(ws, viewer="Sue")
    assert not [r for r in rows if r.hidden]
    assert SECRET in shown(rows)


def test_the_csv_of_the_trail_hides_what_the_reader_may_not_see(blind, tmp_path):
    written = write_audit_csv(read_audit(blind.ws, viewer="Sue"), tmp_path / "audit.csv")
    text = written.read_text("utf-8")
    assert SECRET not in text
    assert "hidden" in text.splitlines()[0]


# -- CSV --------------------------------------------------------------------------------------


def test_the_csv_has_a_row_an_entry_with_its_values_as_json(trail):
    ws = trail[0]
    rows = read_audit(ws)
    table = list(csv.DictReader(io.StringIO(audit_csv(rows))))
    assert len(table) == len(rows)
    for row, entry in zip(table, rows, strict=True):
        assert dt.datetime.fromisoformat(row["when"]) == entry.when.replace(microsecond=0)
        assert (row["who"], row["action"], row["case"]) == (
            entry.who,
            entry.action,
            entry.case or "",
        )
        assert json.loads(row["after"]) == entry.after if entry.after is not None else True
        assert row["hidden"] == "false"


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(workspace, tmp_path):
    with workspace.writes.begin() as db:
        db.execute(
            insert(AuditEntry),
            {"actor": '=HYPERLINK("x")', "action": "edit", "entity": "moment", "detail": {}},
        )
    path = write_audit_csv(read_audit(workspace), tmp_path / "audit.csv")
    (row,) = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    assert row["who"] == '\'=HYPERLINK("x")'


def test_a_csv_is_never_written_over_a_file_a_link_or_a_folder_unless_told(trail, tmp_path):
    ws = trail[0]
    rows = read_audit(ws)
    there = tmp_path / "there.csv"
    there.write_text("kept")
    with pytest.raises(OutputError, match="already exists"):
        write_audit_csv(rows, there)
    assert there.read_text() == "kept"
    link = tmp_path / "link.csv"
    os.symlink(there, link)
    with pytest.raises(OutputError):
        write_audit_csv(rows, link, force=True)
    assert there.read_text() == "kept"
    with pytest.raises(OutputError):
        write_audit_csv(rows, tmp_path, force=True)
    with pytest.raises(OutputError):
        write_audit_csv(rows, tmp_path / "audit.txt")
    assert write_audit_csv(rows, there, force=True).read_text("utf-8").startswith("when,who,")


def test_the_trail_reads_the_same_from_a_postgresql_workspace(pg_database):
    from vfa.storage.workspace import open_workspace

    ws = open_workspace(pg_database, create=True)
    try:
        clip, _session = add_clip_row(ws, TABLE, case="PG-1")
        scheme = get_scheme("vig")
        run = coding.open_run(ws, clip, scheme, "Ann").id
        made = events.code_event(ws, run, scheme, "waiting", None, 400, TABLE).event
        consent.set_consent(ws, clip, ["feedback"], valid_until=dt.date(2030, 1, 31))
        today = dt.date.today()
        rows = read_audit(ws, case="pg-1", since=today, until=today)
        assert [r.action for r in rows] == ["consent", "code", "create"]
        assert (rows[1].entity_id, rows[1].run_id, rows[1].clip_id) == (made.id, run, clip)
        assert rows[0].after["valid_until"] == "2030-01-31"
        assert all(r.when.tzinfo is not None for r in rows)
        assert read_audit(ws, since=today + dt.timedelta(days=1)) == []
        assert [r.action for r in read_audit(ws, kind="CODE")] == ["code"]
    finally:
        ws.close()
