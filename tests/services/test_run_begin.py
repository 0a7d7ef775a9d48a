"""A coding run begins with its first edit: looking for the coder's run writes nothing,
finds an assigned one, and opening it for an edit makes it once."""

from __future__ import annotations

from sqlalchemy import func, select

from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.services.schemes import get_scheme
from vfa.storage.models import AuditEntry, Coder, CodingRun
from vfa.storage.models import Scheme as SchemeRow


def counts(ws):
    with ws.sessions() as db:
        return tuple(
            db.scalar(select(func.count()).select_from(table))
            for table in (CodingRun, Coder, SchemeRow, AuditEntry)
        )


def test_looking_for_a_run_writes_nothing(workspace, clips):
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    before = counts(workspace)
    for scheme_id in ("kips", "vig", "care_index_infant"):
        assert coding.find_run(workspace, clip_id, get_scheme(scheme_id), "Ann") is None
    assert counts(workspace) == before


def test_the_run_found_is_the_one_the_first_edit_made(workspace, clips):
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    kips = get_scheme("kips")
    run = coding.open_run(workspace, clip_id, kips, "Ann")
    assert coding.find_run(workspace, clip_id, kips, "Ann") == run
    assert coding.find_run(workspace, clip_id, kips, " Ann ") == run
    assert coding.find_run(workspace, clip_id, kips, "Ben") is None
    assert coding.find_run(workspace, clip_id, get_scheme("vig"), "Ann") is None


def test_an_assigned_run_is_found_before_any_edit(workspace, clips):
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    kips = get_scheme("kips")
    (assigned,) = asg.assign(workspace, [clip_id], kips, ["Ann"], by="Sue")
    found = coding.find_run(workspace, clip_id, kips, "Ann")
    assert found is not None and found.id == assigned.id
