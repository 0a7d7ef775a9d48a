"""A therapist on a managed workspace sees the cases shared with them and those shared with
nobody: other cases are not listed, and a read of them by id is refused. A therapist who
adds a clip to a new case becomes its member; sharing and unsharing change who sees it."""

from __future__ import annotations

import pytest

from tests.services.people_world import World, build_world, row_counts
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import assignments, case_sharing, clip_files, consent, moments, people, progress
from vfa.services import clips as clip_service
from vfa.services.people import NotAllowedError
from vfa.services.viewer import viewing_as
from vfa.storage.models import Role


@pytest.fixture
def world(workspace, clips) -> World:
    w = build_world(workspace, clips)
    with viewing_as("Ada"):
        people.add_person(w.ws, "Tom", Role.THERAPIST)
    return w


def members(w: World, code: str) -> tuple[str, ...]:
    with viewing_as("Ada"):
        return case_sharing.case_members(w.ws, code).members


def cases_seen(w: World, name: str) -> list[str]:
    with viewing_as(name):
        return [c.code for c in clip_service.catalog(w.ws)]


def tias_case(w: World, clips) -> clip_service.AddedClip:
    """Tia adds a clip to a case of her own."""
    with viewing_as("Tia"):
        return clip_service.add_clip(w.ws, clips["cfr25"], "FAM-2", "Visit 1")


def test_a_therapists_new_case_is_hers_and_not_listed_for_other_therapists(world, clips):
    added = tias_case(world, clips)
    assert members(world, "FAM-2") == ("Tia",)
    assert cases_seen(world, "Tia") == ["FAM-1", "FAM-2"]
    assert cases_seen(world, "Tom") == ["FAM-1"]  # FAM-1 is shared with nobody: open
    for name in ("Ada", "Sue", "Cal"):  # the other roles see every case
        assert cases_seen(world, name) == ["FAM-1", "FAM-2"]
    with viewing_as("Tom"), pytest.raises(NotAllowedError) as refused:
        clip_service.clip_info(world.ws, added.clip_id)
    assert str(refused.value).startswith(
        f"clip {added.clip_id} belongs to a case that is not shared with Tom"
    )
    assert "FAM-2" not in str(refused.value)  # its code is not told either


def test_every_read_of_a_hidden_cases_clips_and_moments_leaves_it_out(world, clips):
    added = tias_case(world, clips)
    with viewing_as("Tia"):
        moment = moments.add_moment(
            world.ws, added.clip_id, ["vig:waiting"], 0, 1_000, feedback=True, coder="Tia"
        )
        consent.set_consent(world.ws, added.clip_id, ["feedback"])
    with viewing_as("Sue"):
        assignments.assign(world.ws, [added.clip_id], "kips", ["Cal"], by="Sue")
    with viewing_as("Tom"):
        assert added.clip_id not in {a.clip_id for a in assignments.assignments(world.ws)}
        assert added.clip_id not in {c.clip_id for c in clip_files.check_all(world.ws, quick=True)}
        assert moments.moments(world.ws, clip_id=added.clip_id) == []
        assert moments.moments(world.ws, session_id=added.session_id) == []
        for read in (
            lambda: moments.get_moment(world.ws, moment.id),
            lambda: moments.reel(world.ws, added.session_id),
            lambda: moments.session_theme(world.ws, added.session_id),
            lambda: consent.consent_for(world.ws, added.clip_id),
            lambda: progress.coded_schemes(world.ws, "FAM-2"),
        ):
            with pytest.raises(NotAllowedError):
                read()
        before = row_counts(world.ws)
        with pytest.raises(NotAllowedError):
            moments.set_theme(world.ws, added.session_id, "Waiting")
        with pytest.raises(NotAllowedError):
            consent.set_consent(world.ws, added.clip_id, ["supervision"])
        with pytest.raises(NotAllowedError):  # nor can he add to it
            clip_service.add_clip(world.ws, clips["ntsc"], "fam-2", "Visit 2")
        assert row_counts(world.ws) == before
    with viewing_as("Tia"):
        assert [m.id for m in moments.moments(world.ws, clip_id=added.clip_id)] == [moment.id]
        assert added.clip_id in {c.clip_id for c in clip_files.check_all(world.ws, quick=True)}
        assert added.clip_id in {a.clip_id for a in assignments.assignments(world.ws)}


def test_sharing_lets_another_therapist_see_the_case_and_unsharing_ends_it(world, clips):
    tias_case(world, clips)
    with viewing_as("Tia"):
        shared = case_sharing.share_case(world.ws, "fam-2", "Tom")
    assert shared.case == "FAM-2" and shared.members == ("Tia", "Tom") and shared.changed
    assert cases_seen(world, "Tom") == ["FAM-1", "FAM-2"]
    with viewing_as("Tia"):
        again = case_sharing.share_case(world.ws, "FAM-2", "Tom")
        assert not again.changed  # already shared: nothing to do
        assert case_sharing.unshare_case(world.ws, "FAM-2", "Tom").members == ("Tia",)
    assert cases_seen(world, "Tom") == ["FAM-1"]
    with viewing_as("Ada"):  # the last member gone: open to every therapist again
        assert case_sharing.unshare_case(world.ws, "FAM-2", "Tia").members == ()
    assert cases_seen(world, "Tom") == ["FAM-1", "FAM-2"]


def test_a_therapist_sharing_an_open_case_keeps_it_too(world):
    with viewing_as("Tom"):
        shared = case_sharing.share_case(world.ws, "FAM-1", "Tia")
    assert shared.members == ("Tia", "Tom")
    with viewing_as("Ada"):  # an admin giving a case to one therapist: only her
        case_sharing.unshare_case(world.ws, "FAM-1", "Tom")
    assert cases_seen(world, "Tom") == []
    assert cases_seen(world, "Tia") == ["FAM-1"]


def test_sharing_refusals_name_the_case_person_and_reason(world, clips):
    tias_case(world, clips)
    before = row_counts(world.ws)
    with viewing_as("Cal"), pytest.raises(NotAllowedError) as refused:
        case_sharing.share_case(world.ws, "FAM-2", "Tom")
    assert str(refused.value).startswith("Cal is a coder: only a therapist, supervisor or admin")
    with viewing_as("Tom"), pytest.raises(NotAllowedError):  # not his to share
        case_sharing.share_case(world.ws, "FAM-2", "Tom")
    with viewing_as("Tia"):
        with pytest.raises(InvalidInputError) as refused:
            case_sharing.share_case(world.ws, "FAM-2", "Cal")
        assert str(refused.value) == (
            "case FAM-2: Cal is a coder; a case is shared with therapists (coders, "
            "supervisors and admins see every case already)"
        )
        with pytest.raises(InvalidInputError) as refused:
            case_sharing.share_case(world.ws, "FAM-2", "Zed")
        assert "Zed is not one of this workspace's people" in str(refused.value)
        with pytest.raises(NotFoundError) as refused:
            case_sharing.share_case(world.ws, "FAM-9", "Tom")
        assert str(refused.value).startswith("case FAM-9: no such case in ")
        with pytest.raises(InvalidInputError) as refused:
            case_sharing.unshare_case(world.ws, "FAM-2", "Tom")
        assert str(refused.value) == "case FAM-2: it is not shared with Tom (members: Tia)"
    assert row_counts(world.ws) == before


def test_on_a_personal_workspace_every_case_is_listed_for_everyone(workspace, clips):
    world = build_world(workspace, clips, managed=False)
    with viewing_as("Tia"):
        added = clip_service.add_clip(world.ws, clips["cfr25"], "FAM-2", "Visit 1")
        assert case_sharing.case_members(world.ws, "FAM-2").members == ()  # nobody joins
        case_sharing.share_case(world.ws, "FAM-2", "Tia")
    with viewing_as("Tom"):  # (not even one of the people)
        assert [c.code for c in clip_service.catalog(world.ws)] == ["FAM-1", "FAM-2"]
        clip_service.clip_info(world.ws, added.clip_id)
