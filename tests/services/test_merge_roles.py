"""A merge held to the role of the person merging, on a managed workspace file: what their
role may not bring is refused, naming it, with nothing changed (new cases, moments they
may not tag), or left out with a note for someone who may (consent, criteria), who then
merges the same file to bring it."""

from __future__ import annotations

import pytest

from tests.services.laptop_team import code_plainly, tag_moment
from tests.services.merge_world import build_team, counts, dump, only_clip
from vfa.services import certification, consent
from vfa.services.checkout import checkout
from vfa.services.merge import merge
from vfa.services.people import NotAllowedError, add_person
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry
from vfa.storage.workspace import open_workspace


@pytest.fixture
def paths(tmp_path, clips):
    """A managed team file (Sue the admin, Ann and Ben coders, Tess a therapist) and
    Ann's checkout; both closed."""
    ws = open_workspace(tmp_path / "team.vfa", create=True)
    try:
        build_team(ws, clips)
        add_person(ws, "Sue", "admin", who="Sue")
        for name, role in (("Ann", "coder"), ("Ben", "coder"), ("Tess", "therapist")):
            add_person(ws, name, role, who="Sue")
        checkout(ws, "Ann", tmp_path / "laptop.vfa", viewer="Ann")
    finally:
        ws.close()
    return tmp_path / "team.vfa", tmp_path / "laptop.vfa"


def merged(team_path, laptop_path, viewer, **options):
    ws = open_workspace(team_path)
    try:
        with viewing_as(viewer):
            return merge(ws, laptop_path, **options)
    finally:
        ws.close()


def on_laptop(laptop_path, action) -> None:
    ws = open_workspace(laptop_path)
    try:
        action(ws, only_clip(ws, "cfr25.mp4"))
    finally:
        ws.close()


def held(team_path) -> dict[str, int]:
    ws = open_workspace(team_path)
    try:
        return counts(ws)
    finally:
        ws.close()


def test_moments_the_coder_may_not_tag_refuse_the_merge_naming_the_run(paths):
    team, laptop = paths
    on_laptop(laptop, lambda ws, x: code_plainly(ws, x, "Ann", "on the train"))
    on_laptop(laptop, lambda ws, x: tag_moment(ws, x, "Ann"))
    before = dump(team)
    for dry in (True, False):
        with pytest.raises(NotAllowedError) as refused:
            merged(team, laptop, "Ann", dry_run=dry)
        text = str(refused.value)
        assert f"{laptop}: its coding tags or removes moments" in text
        assert "Ann is a coder: only a therapist, supervisor or admin may tag moments" in text
        assert (
            f"FAM-1 / Visit 1 / cfr25.mp4: Ann's coding with {get_scheme('vig').name} (version 1)"
            in text
        )
        assert get_scheme("kips").name not in text  # her KIPS run tags none
    assert dump(team) == before
    # the admin may bring them (Ann's blind runs are hidden from her: counted only so)
    moments = held(team)["moment"]
    assert merged(team, laptop, "Sue").written
    assert held(team)["moment"] == moments + 1


def test_new_cases_the_coder_may_not_add_are_named(paths, clips):
    team, laptop = paths
    ws = open_workspace(laptop)
    try:
        from vfa.services import clips as clip_service

        clip_service.add_clip(ws, clips["ntsc"], "FAM-3", "Visit 1")
    finally:
        ws.close()
    before = dump(team)
    with pytest.raises(NotAllowedError, match=r"brings case\(s\) FAM-3 that are not here: Ann"):
        merged(team, laptop, "Ann")
    assert dump(team) == before


def test_consent_and_criteria_wait_for_someone_whose_role_records_them(paths):
    team, laptop = paths
    on_laptop(laptop, lambda ws, x: code_plainly(ws, x, "Ann", "on the train"))
    on_laptop(laptop, lambda ws, x: consent.set_consent(ws, x, ["feedback"], by="Tess"))
    ws = open_workspace(laptop)
    try:
        certification.set_criterion(ws, "kips", "icc_2_1", 0.8, by="Ann")
    finally:
        ws.close()
    for dry in (True, False):
        report = merged(team, laptop, "Ann", dry_run=dry)
        assert report.tallies["runs"].updated == 1
        assert report.tallies["consent"].added == 0 and report.tallies["criteria"].added == 0
        notes = " ".join(report.notes)
        assert "1 consent record(s) of" in notes and "not by Ann" in notes
        assert "1 reliability criterion(s) of" in notes and "(kips)" in notes
    assert held(team)["consent_record"] == 0
    ws = open_workspace(team)
    try:
        assert certification.criterion(ws, "kips").threshold != 0.8
        with ws.sessions() as db:  # on a file the trail is advisory: entries come as they are
            carried = [e for e in db.query(AuditEntry) if "merged_from" in e.detail]
        assert {e.actor for e in carried} >= {"Ann", "Tess"}
        assert {e.detail["merged_from"]["by"] for e in carried} == {"Ann"}
    finally:
        ws.close()
    report = merged(team, laptop, "Sue")  # the admin merges the same file
    assert report.tallies["consent"].added == 1 and report.tallies["criteria"].added == 1
    assert report.notes == [] and held(team)["consent_record"] == 1
    ws = open_workspace(team)
    try:
        assert certification.criterion(ws, "kips").threshold == 0.8
    finally:
        ws.close()
