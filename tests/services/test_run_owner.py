"""Reopening is the run's own coder's business while the blind coding is open: another
coder cannot reopen a run hidden from them."""

from __future__ import annotations

import pytest

from vfa.services import assignments, coding
from vfa.services import clips as clip_service
from vfa.services.blind import BlindError
from vfa.services.schemes import get_scheme
from vfa.storage.models import CodingRun, RunStatus


@pytest.fixture
def blind(workspace, clips):
    clip_id = clip_service.add_clip(workspace, clips["noaudio"], "FAM-1", "Visit 1").clip_id
    ann, ben = assignments.assign(workspace, [clip_id], "kips", ["Ann", "Ben"])
    kips = get_scheme("kips")
    coding.set_rating(workspace, ann.id, kips, kips.ratings.items[0].id, 3)
    coding.submit_run(workspace, ann.id, actor="Ann")
    return workspace, ann.id, ben.id


def status(ws, run_id):
    with ws.sessions() as db:
        return db.get_one(CodingRun, run_id).status


def test_another_coder_cannot_reopen_a_hidden_blind_run(blind):
    ws, ann, _ben = blind
    with pytest.raises(BlindError):
        coding.reopen_run(ws, ann, "a second look", actor="Ben")
    assert status(ws, ann) is RunStatus.SUBMITTED
    coding.reopen_run(ws, ann, "a second look", actor="Ann")  # her own: yes
    assert status(ws, ann) is RunStatus.IN_PROGRESS
