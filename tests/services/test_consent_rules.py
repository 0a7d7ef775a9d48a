"""Which purposes an export of several clips may have: a purpose is offered only when the
consent of every clip covers it, and otherwise the first clip (by id) that stops it says
why, in the words the export itself would be refused with."""

from __future__ import annotations

import datetime as dt

import pytest

from vfa.services import clips as clip_service
from vfa.services.consent import PURPOSES, ConsentError, coverage, require, set_consent


@pytest.fixture
def two_clips(workspace, clips):
    first = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    second = clip_service.add_clip(workspace, clips["noaudio"], "FAM-1", "Visit 2").clip_id
    return workspace, first, second


def test_a_purpose_is_offered_only_when_every_clips_consent_covers_it(two_clips):
    ws, first, second = two_clips
    set_consent(ws, first, ["feedback", "supervision"], given_on=dt.date(2026, 3, 1), by="Sue")
    set_consent(ws, second, ["feedback"], by="Sue")
    found = coverage(ws, [second, first, second], "the reel")
    assert list(found) == list(PURPOSES)
    assert found["feedback"] is None
    assert found["supervision"] == (
        f"the reel: the family's consent for clip {second} (recorded by Sue) covers feedback, "
        "not supervision"
    )
    for purpose in ("training", "research", "notes"):  # neither clip: the first one says so
        assert found[purpose] == (
            f"the reel: the family's consent for clip {first} (recorded on 2026-03-01 by Sue) "
            f"covers feedback, supervision, not {PURPOSES[purpose]}"
        )


def test_a_clip_without_consent_stops_every_purpose(two_clips):
    ws, first, second = two_clips
    set_consent(ws, second, list(PURPOSES), by="Sue")
    found = coverage(ws, [first, second], "the export")
    reason = (
        f"the export: no consent is recorded for clip {first}; record the family's consent "
        "(Feedback → Consent for this clip…, or 'vfa consent set') before exporting"
    )
    assert found == dict.fromkeys(PURPOSES, reason)
    assert coverage(ws, [second], "the export") == dict.fromkeys(PURPOSES)


def test_no_clips_stop_nothing(workspace):
    assert coverage(workspace, [], "the export") == dict.fromkeys(PURPOSES)


def test_withdrawn_consent_covers_nothing(two_clips):
    ws, first, _ = two_clips
    set_consent(ws, first, ["feedback"], by="Sue")
    set_consent(ws, first, [], by="Sue")  # the family withdrew it
    assert coverage(ws, [first], "the reel")["feedback"] == (
        f"the reel: the family's consent for clip {first} (recorded by Sue) covers nothing, "
        "not feedback to the family"
    )
    with pytest.raises(ConsentError):
        require(ws, first, "feedback", "the reel")
