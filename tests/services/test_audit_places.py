"""Every audit entry names the case, clip and run it was about, and an update keeps what
it was before and after: the columns as stored, for each service that writes the trail.
The coding hotkey pays for it with no statement of its own."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event, select

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import TABLE, gaze, press  # noqa: F401 - fixture
from vfa.services import assignments as asg
from vfa.services import coding, consent, events, moments
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry, Clip
from vfa.storage.models import Session as SessionRow


def entries(ws, after: int = 0) -> list[AuditEntry]:
    with ws.sessions() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.id > after).order_by(AuditEntry.id))
        return list(rows)


def last_id(ws) -> int:
    with ws.sessions() as db:
        return db.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


def case_of(ws, clip_id: int) -> int:
    with ws.sessions() as db:
        session_id = db.get_one(Clip, clip_id).session_id
        return db.get_one(SessionRow, session_id).case_id


def places(rows) -> set[tuple[int | None, int | None, int | None]]:
    return {(e.case_id, e.clip_id, e.run_id) for e in rows}


def test_each_edit_of_a_run_names_its_case_clip_and_run(gaze):  # noqa: F811
    ws, scheme, run, clip = gaze
    case = case_of(ws, clip)
    start = last_id(ws)
    with viewing_as("Ann"):
        made = press(ws, scheme, run, "look_partner", "infant", 400).event
        press(ws, scheme, run, "look_partner", "infant", 2_000)  # the same key stops it
        events.move_event(ws, run, made.id, 200, 1_600, TABLE)
        events.set_modifiers(ws, run, scheme, made.id, {"affect": "positive"})
        gone = events.delete_event(ws, run, made.id)
        events.restore_event(ws, run, gone)
        coding.submit_run(ws, run)
        coding.reopen_run(ws, run, "a late correction")
    written = entries(ws, start)
    assert [e.action for e in written] == [
        "code", "stop", "move", "modify", "delete", "restore", "submit", "reopen",
    ]  # fmt: skip
    assert places(written) == {(case, clip, run)}


def test_a_second_case_and_clip_are_named_as_theirs(gaze):  # noqa: F811
    ws, scheme, run, clip = gaze
    other_clip, _ = add_clip_row(ws, TABLE, case="FAM-2", label="V1")
    other_run = coding.open_run(ws, other_clip, scheme, "Ann").id
    start = last_id(ws)
    press(ws, scheme, run, "look_toy", "parent", 400)
    press(ws, scheme, other_run, "look_toy", "parent", 400)
    first, second = entries(ws, start)
    assert (first.case_id, first.clip_id, first.run_id) == (case_of(ws, clip), clip, run)
    assert (second.case_id, second.clip_id, second.run_id) == (
        case_of(ws, other_clip),
        other_clip,
        other_run,
    )
    assert first.case_id != second.case_id


def test_a_rating_keeps_its_value_before_and_after(workspace):
    clip, _ = add_clip_row(workspace, TABLE)
    kips = get_scheme("kips")
    item = kips.ratings.items[0].id
    run = coding.open_run(workspace, clip, kips, "Ann").id
    start = last_id(workspace)
    coding.set_rating(workspace, run, kips, item, 3)
    coding.set_note(workspace, run, item, "warm")
    coding.set_rating(workspace, run, kips, item, 4)
    rated, noted, changed = entries(workspace, start)
    empty = {"value": None, "note": None, "evidence": []}
    assert rated.detail == {"item": item, "before": empty, "after": dict(empty, value=3)}
    assert noted.detail["before"] == dict(empty, value=3)
    assert noted.detail["after"] == dict(empty, value=3, note="warm")
    assert changed.detail["after"] == dict(empty, value=4, note="warm")
    assert places([rated, noted, changed]) == {(case_of(workspace, clip), clip, run)}


def test_the_hotkey_adds_no_statement_for_the_entrys_place(gaze):  # noqa: F811
    ws, scheme, run, _ = gaze
    press(ws, scheme, run, "cry", "infant", 400)  # (the first press has warmed up)
    seen: list[str] = []

    def keep(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(ws.write_engine, "before_cursor_execute", keep)
    try:
        press(ws, scheme, run, "look_toy", "parent", 1_000)
    finally:
        event.remove(ws.write_engine, "before_cursor_execute", keep)
    # the one read of the run (its status, whether it may be edited) also gives its clip
    # and case: no statement of its own for the audit entry's place
    runs = [s for s in seen if re.search(r"\bFROM coding_run\b", s)]
    assert len(runs) == 1 and re.search(r"\bJOIN session\b", runs[0])
    assert not [s for s in seen if re.search(r"\b(FROM|JOIN) (clip|session|\"case\")\b", s)
                and s not in runs]  # fmt: skip
    (entry,) = [s for s in seen if s.startswith("INSERT INTO audit_entry")]
    assert "case_id" in entry and "clip_id" in entry and "run_id" in entry


def test_moments_reel_and_theme_keep_before_and_after(workspace):
    clip, session = add_clip_row(workspace, TABLE)
    case = case_of(workspace, clip)
    first = moments.add_moment(
        workspace, clip, ["vig:waiting"], 0, 1_000, caption="You waited", feedback=True,
        coder="Tess",
    )  # fmt: skip
    second = moments.add_moment(
        workspace, clip, ["vig:waiting"], 2_000, 3_000, feedback=True, coder="Tess"
    )
    start = last_id(workspace)
    before = moments.edit_moment(workspace, first.id, caption="You waited for her")
    moments.restore_moment(workspace, before)
    moments.reorder_reel(workspace, session, [second.id, first.id])
    moments.set_theme(workspace, session, "Sharing emotions")
    edited, restored, reordered, theme = entries(workspace, start)
    assert edited.detail == {
        "before": {"caption": "You waited"},
        "after": {"caption": "You waited for her"},
    }
    assert places([edited, restored]) == {(case, clip, first.run_id)}
    assert reordered.detail == {"before": [first.id, second.id], "after": [second.id, first.id]}
    assert theme.detail == {"before": None, "after": "Sharing emotions"}
    assert places([reordered, theme]) == {(case, None, None)}


def test_consent_keeps_the_terms_before_and_after(workspace):
    clip, _ = add_clip_row(workspace, TABLE)
    start = last_id(workspace)
    end = dt.date(2031, 6, 30)
    consent.set_consent(workspace, clip, ["feedback"], given_on=dt.date(2030, 1, 5), by="Sue")
    consent.set_consent(workspace, clip, ["feedback", "research"], valid_until=end, by="Sue")
    first, second = entries(workspace, start)
    terms = {"purposes": ["feedback"], "given_on": "2030-01-05", "valid_until": None}
    assert first.detail == {"before": None, "after": terms}
    assert second.detail == {
        "before": terms,
        "after": {
            "purposes": ["feedback", "research"],
            "given_on": None,
            "valid_until": "2031-06-30",
        },
    }
    assert places([first, second]) == {(case_of(workspace, clip), clip, None)}


def test_assigning_names_each_run_made(workspace):
    clip, _ = add_clip_row(workspace, TABLE)
    start = last_id(workspace)
    runs = asg.assign(workspace, [clip], get_scheme("kips"), ["Ann", "Ben"], by="Sue")
    assigned = [e for e in entries(workspace, start) if e.action == "assign"]
    assert places(assigned) == {(case_of(workspace, clip), clip, r.id) for r in runs}


@pytest.mark.parametrize("entity", ["case", "session", "clip"])
def test_a_clip_added_names_its_case(workspace, clips, entity):
    from vfa.services import clips as clip_service

    added = clip_service.add_clip(workspace, clips["noaudio"], "FAM-9", "Visit 1")
    (entry,) = [e for e in entries(workspace) if e.entity == entity]
    assert entry.case_id == added.case_id
    assert entry.clip_id == (added.clip_id if entity == "clip" else None)
