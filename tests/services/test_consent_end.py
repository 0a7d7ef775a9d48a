"""Consent with an end date: the last day it holds is recorded with it; after that day no
export of the clip goes out, whatever the purpose, and the refusal says when it ended; the
latest record holds, as ever; and the clips whose consent has ended or ends soon are
listed, soonest first."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import TABLE
from vfa.errors import InvalidInputError
from vfa.services import clips as clip_service
from vfa.services import moments, reel_export
from vfa.services.consent import (
    PURPOSES,
    ConsentError,
    consent_due,
    consent_for,
    coverage,
    require,
    set_consent,
)

DAY = dt.timedelta(days=1)
TODAY = dt.date(2027, 5, 10)


@pytest.fixture
def clip(workspace):
    clip_id, _ = add_clip_row(workspace, TABLE)
    return workspace, clip_id


def test_the_end_date_is_recorded_and_read_back(clip):
    ws, clip_id = clip
    set_consent(ws, clip_id, ["feedback"], given_on=TODAY - 9 * DAY, valid_until=TODAY, by="Sue")
    found = consent_for(ws, clip_id)
    assert found is not None and found.valid_until == TODAY
    assert not found.ended(TODAY) and found.ended(TODAY + DAY)


def test_consent_holds_through_its_last_day_and_not_a_day_longer(clip):
    ws, clip_id = clip
    set_consent(ws, clip_id, ["feedback", "notes"], valid_until=TODAY, by="Sue")
    assert require(ws, clip_id, "feedback", "the reel", today=TODAY).valid_until == TODAY
    for purpose in ("feedback", "notes"):
        with pytest.raises(ConsentError) as refused:
            require(ws, clip_id, purpose, "the reel", today=TODAY + DAY)
        assert str(refused.value) == (
            f"the reel: the family's consent for clip {clip_id} ended on "
            f"{TODAY.isoformat()} (recorded by Sue); record their renewed consent "
            "(Feedback → Consent for this clip…, or 'vfa consent set') before exporting"
        )
    ended = coverage(ws, [clip_id], "the export", today=TODAY + DAY)
    assert set(ended) == set(PURPOSES)
    assert all(
        f"consent for clip {clip_id} ended on {TODAY.isoformat()}" in r for r in ended.values()
    )


def test_the_latest_record_holds(clip):
    ws, clip_id = clip
    set_consent(ws, clip_id, ["feedback"], valid_until=TODAY - DAY, by="Sue")
    with pytest.raises(ConsentError, match="ended on"):
        require(ws, clip_id, "feedback", "the reel", today=TODAY)
    set_consent(ws, clip_id, ["feedback"], by="Sue")  # renewed without an end
    assert require(ws, clip_id, "feedback", "the reel", today=TODAY).valid_until is None
    set_consent(ws, clip_id, ["feedback"], valid_until=TODAY - DAY, by="Sue")  # ended again
    with pytest.raises(ConsentError, match="ended on"):
        require(ws, clip_id, "feedback", "the reel", today=TODAY)


def test_an_end_before_the_consent_was_given_is_refused_and_nothing_is_stored(clip):
    ws, clip_id = clip
    with pytest.raises(InvalidInputError) as refused:
        set_consent(ws, clip_id, ["feedback"], given_on=TODAY, valid_until=TODAY - DAY)
    assert str(refused.value) == (
        f"consent for clip {clip_id}: it cannot hold until {(TODAY - DAY).isoformat()}, "
        f"before it was given ({TODAY.isoformat()})"
    )
    assert consent_for(ws, clip_id) is None


def test_a_reel_of_a_clip_whose_consent_ended_yesterday_is_refused_before_any_file(
    workspace, clips, tmp_path
):
    added = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1")
    ended = dt.date.today() - DAY
    set_consent(workspace, added.clip_id, ["feedback"], valid_until=ended, by="Sue")
    moments.add_moment(workspace, added.clip_id, ["vig:waiting"], 0, 400, feedback=True)
    out = tmp_path / "exports"
    out.mkdir()
    with pytest.raises(ConsentError) as refused:
        reel_export.export_reel(workspace, added.session_id, "feedback", out / "reel")
    assert f"consent for clip {added.clip_id} ended on {ended.isoformat()}" in str(refused.value)
    with pytest.raises(ConsentError, match="ended on"):
        reel_export.export_script(workspace, added.session_id, out / "script.pdf")
    assert list(out.iterdir()) == []


# -- which are due ----------------------------------------------------------------------------


@pytest.fixture
def many(workspace):
    """Five clips in two cases with consent ending at various times."""
    ids = {}
    for case, label in (("FAM-2", "V1"), ("FAM-1", "V1"), ("FAM-1", "V2"), ("FAM-3", "V1")):
        ids[(case, label)] = add_clip_row(workspace, TABLE, case=case, label=label)
    none_yet = add_clip_row(workspace, TABLE, case="FAM-4", label="V1")[0]

    def give(key, until, purposes=("feedback",)):
        set_consent(workspace, ids[key][0], list(purposes), valid_until=until, by="Sue")

    give(("FAM-2", "V1"), TODAY + 30 * DAY)  # the last day within 30
    give(("FAM-1", "V1"), TODAY - 3 * DAY)  # ended
    give(("FAM-1", "V2"), TODAY + 31 * DAY)  # beyond 30
    give(("FAM-3", "V1"), TODAY)  # today is its last day
    give(("FAM-3", "V1"), TODAY - DAY, purposes=())  # then withdrawn: nothing left to end
    del none_yet
    return workspace, ids


def test_consent_due_lists_what_ended_or_ends_within_the_days_soonest_first(many):
    ws, ids = many
    due = consent_due(ws, today=TODAY)
    assert [(d.case, d.session, d.clip_id, d.valid_until, d.days_left) for d in due] == [
        ("FAM-1", "V1", ids[("FAM-1", "V1")][0], TODAY - 3 * DAY, -3),
        ("FAM-2", "V1", ids[("FAM-2", "V1")][0], TODAY + 30 * DAY, 30),
    ]
    assert due[0].clip == "FAM-1-V1.mp4" and due[0].purposes == ("feedback",)
    assert [d.days_left for d in consent_due(ws, 31, today=TODAY)] == [-3, 30, 31]
    assert [d.days_left for d in consent_due(ws, 0, today=TODAY)] == [-3]
    with pytest.raises(InvalidInputError, match="-1 days is not 0 or more"):
        consent_due(ws, -1, today=TODAY)


def test_a_renewed_consent_is_no_longer_due(many):
    ws, ids = many
    set_consent(ws, ids[("FAM-1", "V1")][0], ["feedback"], by="Sue")  # no end date now
    assert [d.case for d in consent_due(ws, today=TODAY)] == ["FAM-2"]


def test_the_end_date_goes_out_and_comes_back_with_the_whole_workspace(clip, tmp_path):
    from vfa.services.export_selection import Selection
    from vfa.services.workspace_json import write_workspace_json
    from vfa.services.workspace_restore import import_workspace_json
    from vfa.storage.workspace import open_workspace

    ws, clip_id = clip
    set_consent(ws, clip_id, ["feedback"], valid_until=TODAY, by="Sue")
    out = io.BytesIO()
    write_workspace_json(ws, Selection(), out)
    data = json.loads(out.getvalue())
    (given,) = data["cases"][0]["sessions"][0]["clips"][0]["consent"]
    assert given["valid_until"] == TODAY.isoformat()
    file = tmp_path / "all.json"
    file.write_bytes(out.getvalue())
    target = open_workspace(tmp_path / "restored.vfa", create=True)
    try:
        import_workspace_json(target, file)
        (restored,) = [d for d in consent_due(target, today=TODAY)]
        assert restored.valid_until == TODAY
    finally:
        target.close()


def test_a_whole_workspace_file_with_a_wrong_end_date_is_refused_by_its_place(clip, tmp_path):
    from vfa.errors import FormatError
    from vfa.services.export_selection import Selection
    from vfa.services.workspace_json import write_workspace_json
    from vfa.services.workspace_restore import import_workspace_json
    from vfa.storage.workspace import open_workspace

    ws, clip_id = clip
    set_consent(ws, clip_id, ["feedback"], valid_until=TODAY, by="Sue")
    out = io.BytesIO()
    write_workspace_json(ws, Selection(), out)
    data = json.loads(out.getvalue())
    data["cases"][0]["sessions"][0]["clips"][0]["consent"][0]["valid_until"] = "2027-02-30"
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    target = open_workspace(tmp_path / "restored.vfa", create=True)
    try:
        with pytest.raises(FormatError) as refused:
            import_workspace_json(target, file)
        assert "cases[0].sessions[0].clips[0].consent[0].valid_until" in str(refused.value)
        assert "'2027-02-30' is not a date YYYY-MM-DD" in str(refused.value)
    finally:
        target.close()
