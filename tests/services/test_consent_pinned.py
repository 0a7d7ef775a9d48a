"""Consent as recorded and read back, pinned at the service: refusals in their words (the
unknown purposes and the known ones, a clip that is not there, an export without a
purpose); a record is the clip's, recorded by whoever is at the keyboard unless someone
is named, and audited as that clip's by that person; a record without a list of purposes
(the column's default) covers nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.services.test_audit_places import entries, last_id
from tests.services.test_edges_blind import add_clip_row
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.consent import (
    ConsentError,
    check_purposes,
    consent_for,
    require,
    set_consent,
)
from vfa.services.viewer import viewing_as
from vfa.storage.models import ConsentRecord


def test_each_refusal_names_what_is_wrong(workspace):
    clip, _ = add_clip_row(workspace)
    with pytest.raises(InvalidInputError) as unknown:
        check_purposes(["teaching", "Feedback", "marketing"])
    assert str(unknown.value) == (
        "consent: unknown purpose teaching, marketing "
        "(one of feedback, supervision, training, research, notes)"
    )
    for missing in (lambda: set_consent(workspace, 9_999, ["feedback"]),
                    lambda: consent_for(workspace, 9_999)):  # fmt: skip
        with pytest.raises(NotFoundError) as no_clip:
            missing()
        assert str(no_clip.value) == f"clip 9999: no such clip in {workspace.label}"
    with pytest.raises(InvalidInputError) as no_purpose:
        require(workspace, clip, "  ", "the reel")
    assert str(no_purpose.value) == "the reel: name the purpose of the export"
    set_consent(workspace, clip, ["feedback"], by="Sue")
    with pytest.raises(InvalidInputError) as still_none:
        require(workspace, clip, "", "the reel")
    assert str(still_none.value) == "the reel: name the purpose of the export"


def test_a_record_is_the_clips_and_audited_as_whoever_recorded_it(workspace):
    clip, _ = add_clip_row(workspace)
    start = last_id(workspace)
    with viewing_as("Kim"):
        mine = set_consent(workspace, clip, ["feedback"], given_on=dt.date(2026, 3, 2))
        theirs = set_consent(workspace, clip, ["feedback", "research"], by="  Sue ")
    assert (mine.clip_id, mine.recorded_by) == (clip, "Kim")
    assert (theirs.clip_id, theirs.recorded_by) == (clip, "Sue")
    read = consent_for(workspace, clip)
    assert read is not None and (read.clip_id, read.purposes) == (clip, ("feedback", "research"))
    first, second = entries(workspace, start)
    assert [(e.action, e.entity, e.entity_id, e.actor) for e in (first, second)] == [
        ("consent", "clip", clip, "Kim"),
        ("consent", "clip", clip, "Sue"),
    ]
    said = {"purposes": ["feedback"], "given_on": "2026-03-02", "valid_until": None}
    assert first.detail == {"before": None, "after": said}
    assert second.detail == {
        "before": said,
        "after": dict(said, purposes=["feedback", "research"], given_on=None),
    }


def test_a_record_without_a_list_of_purposes_covers_nothing(workspace):
    clip, _ = add_clip_row(workspace)
    with workspace.writes.begin() as db:  # as a restored workspace file may hold one
        db.add(ConsentRecord(clip_id=clip, recorded_by="Sue"))
    read = consent_for(workspace, clip)
    assert read is not None and read.purposes == ()
    with pytest.raises(ConsentError, match=r"\(recorded by Sue\) covers nothing, not research$"):
        require(workspace, clip, "research", "the reel")
