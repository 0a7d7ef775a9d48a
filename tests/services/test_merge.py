"""Merging another workspace into this one, and a coder's checkout coming home: matching,
identical items skipped, runs taken or kept against their base, conflicts refused with
nothing changed, clashing case codes, the dry run, the audit trail, consent and reels."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import func, select

from tests.services.laptop_team import code_plainly
from tests.services.merge_world import (
    BEN_SECRET,
    build_team,
    code_on,
    counts,
    digest,
    dump,
    only_clip,
    reel_captions,
    reel_version,
    run_of,
)
from vfa.errors import VfaError
from vfa.services import clips as clip_service
from vfa.services import coding, consent, events, moments
from vfa.services.checkout import checkout
from vfa.services.merge import MergeConflictError, MergeError, merge, merge_text
from vfa.services.people import add_person
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import AuditEntry, CodingRun, RunStatus
from vfa.storage.workspace import open_workspace


@pytest.fixture
def team(tmp_path, clips):
    ws = open_workspace(tmp_path / "team.vfa", create=True)
    world = build_team(ws, clips)
    yield world
    ws.close()


@pytest.fixture
def laptop(team, tmp_path):
    """Ann's checkout, open."""
    checkout(team.ws, "Ann", tmp_path / "laptop.vfa", viewer="Ann")
    ws = open_workspace(tmp_path / "laptop.vfa")
    yield ws
    ws.close()


def merged(team, source, viewer="Sue", **options):
    with viewing_as(viewer):
        return merge(team.ws, source, **options)


# -- checkout ------------------------------------------------------------------------------


def test_a_checkout_holds_the_coders_open_clips_and_runs_and_nothing_of_anyone_elses(
    team, laptop, tmp_path
):
    with laptop.sessions() as db:
        runs = db.execute(select(CodingRun.id, CodingRun.blind)).all()
    assert len(runs) == 2 and all(blind for _, blind in runs)  # Ann's KIPS and VIG, blind
    assert [c.name for s in clip_service.catalog(laptop)[0].sessions for c in s.clips] == [
        "cfr25.mp4"
    ]
    x = only_clip(laptop, "cfr25.mp4")
    kips = get_scheme("kips")
    ann = run_of(laptop, x, "kips", "Ann")
    assert coding.ratings(laptop, ann, "Ann")[kips.ratings.items[0].id].value == 3
    assert digest(laptop, ann) == digest(team.ws, team.ann_kips)
    raw = (tmp_path / "laptop.vfa").read_bytes()
    assert BEN_SECRET.encode() not in raw and b"Tess on Z" not in raw
    info = json.loads(_info(tmp_path / "laptop.vfa")["checkout"])
    assert info["coder"] == "Ann" and info["from"] == str(tmp_path / "team.vfa")
    assert sorted(info["runs"].values()) == sorted(
        [digest(team.ws, team.ann_kips), digest(team.ws, team.ann_vig)]
    )
    # the team workspace notes who took what away
    with team.ws.sessions() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "checkout")).one()
    assert entry.actor == "Ann" and entry.detail["coder"] == "Ann"
    assert entry.detail["to"] == str(tmp_path / "laptop.vfa")


def _info(path):
    with closing(sqlite3.connect(path)) as raw:
        return dict(raw.execute("SELECT key, value FROM workspace_info"))


def test_a_checkout_is_refused_for_a_coder_without_open_clips_or_onto_a_file(team, tmp_path):
    with pytest.raises(VfaError, match="Nobody: no one of that name"):
        checkout(team.ws, "Nobody", tmp_path / "a.vfa")
    for run in (team.ann_kips, team.ann_vig):
        coding.submit_run(team.ws, run)
    with pytest.raises(VfaError, match="Ann has no clips to code"):
        checkout(team.ws, "Ann", tmp_path / "a.vfa")
    (tmp_path / "there.vfa").write_text("mine")
    with pytest.raises(VfaError, match="something is already there"):
        checkout(team.ws, "Ben", tmp_path / "there.vfa")
    assert (tmp_path / "there.vfa").read_text() == "mine"
    assert not (tmp_path / "a.vfa").exists()


# -- the round trip -----------------------------------------------------------------------


def test_coding_done_on_the_laptop_comes_home_and_merging_twice_adds_nothing(team, laptop):
    x = only_clip(laptop, "cfr25.mp4")
    with viewing_as("Ann"):
        code_on(laptop, x, "Ann", "Ann on the train")
        coding.submit_run(laptop, run_of(laptop, x, "kips", "Ann"))
    before = counts(team.ws)
    report = merged(team, laptop.path, viewer="Ann")
    assert report.written and not report.conflicts
    tallies = {k: t.as_dict() for k, t in report.tallies.items()}
    assert tallies["runs"] == {"added": 0, "updated": 2, "removed": 0, "skipped": 0}
    assert tallies["events"]["added"] == 2  # the VIG event and the moment
    assert tallies["moments"]["added"] == 2
    assert tallies["ratings"] == {"added": 1, "updated": 0, "removed": 0, "skipped": 1}
    assert tallies["clips"] == {"added": 0, "updated": 0, "removed": 0, "skipped": 1}
    # what Ann did is here, run for run
    for scheme in ("kips", "vig"):
        here = run_of(team.ws, team.x, scheme, "Ann")
        assert digest(team.ws, here) == digest(laptop, run_of(laptop, x, scheme, "Ann"))
    kips = get_scheme("kips")
    state = coding.ratings(team.ws, team.ann_kips, "Ann")[kips.ratings.items[1].id]
    (evidence,) = state.evidence
    assert events.get_event(team.ws, team.ann_vig, evidence, "Ann").code == "being_attentive"
    with team.ws.sessions() as db:
        assert db.get_one(CodingRun, team.ann_kips).status is RunStatus.SUBMITTED
    after = counts(team.ws)
    assert after["annotation"] == before["annotation"] + 2
    assert report.backup is not None and "before-merge" in report.backup
    # again: everything is already here
    again = merged(team, laptop.path, viewer="Ann")
    assert not again.written and counts(team.ws) == after
    assert all(t.added == t.updated == t.removed == 0 for t in again.tallies.values())


def test_coding_on_after_a_merge_comes_home_again_on_the_merged_base(team, laptop):
    x = only_clip(laptop, "cfr25.mp4")
    with viewing_as("Ann"):
        code_on(laptop, x, "Ann", "first")
    merged(team, laptop.path, viewer="Ann")
    with viewing_as("Ann"):
        code_on(laptop, x, "Ann", "second", at=4_000)
    report = merged(team, laptop.path, viewer="Ann")
    assert report.tallies["runs"].updated == 2 and not report.conflicts
    for scheme in ("kips", "vig"):
        here = run_of(team.ws, team.x, scheme, "Ann")
        assert digest(team.ws, here) == digest(laptop, run_of(laptop, x, scheme, "Ann"))


def test_a_run_changed_only_here_is_kept(team, laptop):
    with viewing_as("Ann"):
        code_on(team.ws, team.x, "Ann", "at the office")
    kept = digest(team.ws, team.ann_vig)
    report = merged(team, laptop.path, viewer="Ann")
    assert report.tallies["runs"].skipped == 2 and not report.conflicts
    assert digest(team.ws, team.ann_vig) == kept


def test_a_run_changed_on_both_sides_refuses_the_whole_merge_naming_it(team, laptop, tmp_path):
    x = only_clip(laptop, "cfr25.mp4")
    with viewing_as("Ann"):
        code_on(laptop, x, "Ann", "on the train")
        consent.set_consent(laptop, x, ["feedback"])  # something else that would come along
        events.code_event(
            team.ws, team.ann_vig, get_scheme("vig"), "waiting", None, 3_000,
            clip_service.clip_info(team.ws, team.x).frame_table,
        )  # fmt: skip
    team.ws.close()
    before = dump(tmp_path / "team.vfa")
    team.ws = open_workspace(tmp_path / "team.vfa")
    with pytest.raises(MergeConflictError) as refused:
        merged(team, laptop.path, viewer="Ann")
    message = str(refused.value)
    assert "1 run(s) changed on both sides" in message and "nothing was merged" in message
    vig = get_scheme("vig")
    assert (
        f"FAM-1 / Visit 1 / cfr25.mp4: Ann's coding with {vig.name} (version {vig.version})"
        in message
    )
    team.ws.close()
    assert dump(tmp_path / "team.vfa") == before
    assert not (tmp_path / "backups").exists()
    team.ws = open_workspace(tmp_path / "team.vfa")
    # the dry run lists the same conflict, and changes nothing either
    report = merged(team, laptop.path, viewer="Ann", dry_run=True)
    assert [c.text() for c in report.conflicts] == [
        f"FAM-1 / Visit 1 / cfr25.mp4: Ann's coding with {vig.name} (version {vig.version}): "
        "changed in both workspaces since they parted"
    ]
    assert "the merge would be refused" in merge_text(report)
    # the conflicting coding is counted as a conflict, not also as already here
    runs = report.tallies["runs"]
    with laptop.sessions() as db:
        on_laptop = db.scalar(select(func.count()).select_from(CodingRun))
    assert runs.added + runs.updated + runs.skipped + runs.removed == on_laptop - 1


def test_the_dry_run_reports_what_the_merge_does_and_changes_nothing(team, laptop, tmp_path):
    x = only_clip(laptop, "cfr25.mp4")
    with viewing_as("Ann"):
        code_on(laptop, x, "Ann", "on the train")
    team.ws.close()
    before = dump(tmp_path / "team.vfa")
    team.ws = open_workspace(tmp_path / "team.vfa", read_only=True)
    dry = merged(team, laptop.path, viewer="Ann", dry_run=True)
    team.ws.close()
    assert dump(tmp_path / "team.vfa") == before and not dry.written
    team.ws = open_workspace(tmp_path / "team.vfa")
    done = merged(team, laptop.path, viewer="Ann")
    assert {k: t.as_dict() for k, t in dry.tallies.items()} == {
        k: t.as_dict() for k, t in done.tallies.items()
    }
    assert merge_text(dry).startswith("would merge ") and merge_text(done).startswith("merged ")


# -- what comes along ---------------------------------------------------------------------------


def test_the_laptops_audit_trail_comes_along_once_with_its_people_and_times(team, laptop):
    x = only_clip(laptop, "cfr25.mp4")
    with viewing_as("Ann"):
        code_on(laptop, x, "Ann", "on the train")
    with laptop.sessions() as db:
        theirs = [
            (e.at, e.actor, e.action, e.entity)
            for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    merged(team, laptop.path, viewer="Sue")
    merged(team, laptop.path, viewer="Sue")
    with team.ws.sessions() as db:
        entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    copied = [e for e in entries if "merged_from" in e.detail]
    assert [(e.at, e.actor, e.action, e.entity) for e in copied] == theirs
    code = next(e for e in copied if e.action == "code")
    vig_events = {e.id for e in events.run_events(team.ws, team.ann_vig, "Ann")}
    assert code.entity_id in vig_events  # the event's id here, not the laptop's
    assert code.detail["merged_from"]["workspace"] == "laptop"
    own = [e for e in entries if e.action == "merge"]
    assert own[-1].actor == "Sue" and own[-1].entity == "workspace"
    assert {e.run_id for e in own if e.entity == "coding_run"} == {team.ann_kips, team.ann_vig}


def test_moments_for_feedback_go_after_the_reel_here_in_their_order_there(team, laptop):
    x = only_clip(laptop, "cfr25.mp4")
    with viewing_as("Ann"):
        for n, at in enumerate((4_000, 1_000, 2_500)):
            moments.add_moment(laptop, x, ["vig:waiting"], at, at + 500, caption=f"laptop {n}",
                               feedback=True, coder="Ann")  # fmt: skip
    session = clip_service.clip_info(team.ws, team.x).session_id
    here = reel_captions(team.ws, session)
    assert here == [f"{BEN_SECRET}caption", "Tess on Z"]
    version = reel_version(team.ws, session)
    merged(team, laptop.path, viewer="Ann")
    assert reel_captions(team.ws, session) == [*here, "laptop 0", "laptop 1", "laptop 2"]
    assert reel_version(team.ws, session) == version + 1


def test_consent_recorded_on_the_laptop_arrives_unless_a_later_record_holds_here(
    team, laptop, clips
):
    x = only_clip(laptop, "cfr25.mp4")
    consent.set_consent(laptop, x, ["feedback", "research"], by="Tess")
    merged(team, laptop.path)
    assert consent.consent_for(team.ws, team.x).purposes == ("feedback", "research")
    consent.set_consent(laptop, x, ["feedback"], by="Tess")
    consent.set_consent(team.ws, team.x, ["supervision"], by="Tess")  # later, here
    report = merged(team, laptop.path)
    assert consent.consent_for(team.ws, team.x).purposes == ("supervision",)
    assert any("consent record(s)" in n and "left out" in n for n in report.notes)


def test_an_unrelated_workspace_with_a_clashing_case_code_is_refused_saying_what_to_do(
    team, tmp_path, clips
):
    other = open_workspace(tmp_path / "other.vfa", create=True)
    clip_service.add_clip(other, clips["ntsc"], "fam-1", "Visit 1")  # another family's video
    other.close()
    team.ws.close()
    before = dump(tmp_path / "team.vfa")
    team.ws = open_workspace(tmp_path / "team.vfa")
    with pytest.raises(MergeError) as refused:
        merged(team, tmp_path / "other.vfa")
    text = str(refused.value)
    assert str(tmp_path / "other.vfa") in text and "case fam-1 is in both workspaces" in text
    assert "--rename-case fam-1=NEW-CODE" in text and "--same-case fam-1" in text
    team.ws.close()
    assert dump(tmp_path / "team.vfa") == before
    team.ws = open_workspace(tmp_path / "team.vfa")
    report = merged(team, tmp_path / "other.vfa", renames={"FAM-1": "FAM-9"})
    assert report.tallies["cases"].added == 1
    assert [c.code for c in clip_service.catalog(team.ws)] == ["FAM-1", "FAM-9"]


def test_the_same_family_filmed_elsewhere_joins_its_case_when_said_so(team, tmp_path, clips):
    other = open_workspace(tmp_path / "other.vfa", create=True)
    clip_service.add_clip(other, clips["ntsc"], "fam-1", "visit 2")
    other.close()
    report = merged(team, tmp_path / "other.vfa", same_cases={"FAM-1"})
    assert report.tallies["cases"].skipped == 1 and report.tallies["sessions"].added == 1
    (case,) = clip_service.catalog(team.ws)
    assert [s.label for s in case.sessions] == ["Visit 1", "visit 2"]


def test_two_unrelated_workspaces_conflict_on_a_run_whose_content_differs(team, tmp_path, clips):
    other = open_workspace(tmp_path / "other.vfa", create=True)
    added = clip_service.add_clip(other, clips["cfr25"], "FAM-1", "VISIT  1")  # the same video
    kips = get_scheme("kips")
    run = coding.open_run(other, added.clip_id, kips, "Ann")
    coding.set_rating(other, run.id, kips, kips.ratings.items[0].id, 5)
    other.close()
    with pytest.raises(MergeConflictError, match="share no checkout"):
        merged(team, tmp_path / "other.vfa", viewer="Ann")


def test_a_managed_workspace_takes_no_one_it_does_not_know(team, laptop, tmp_path):
    x = only_clip(laptop, "cfr25.mp4")
    moments.add_moment(laptop, x, ["vig:waiting"], 0, 500, caption="Zoe's", coder="Zoe")
    add_person(team.ws, "Sue", "admin", who="Sue")
    with pytest.raises(MergeError, match="Zoe coded there but is not one of this workspace"):
        merged(team, laptop.path, viewer="Sue")
    add_person(team.ws, "Zoe", "therapist", who="Sue")
    report = merged(team, laptop.path, viewer="Sue")
    assert report.tallies["people"].added == 0 and report.tallies["runs"].added == 1


def test_a_merge_keeps_the_blind_rule_for_the_person_merging(team, laptop):
    """Sue merges Ann's laptop: Ann's blind runs are counted only as hidden, and nothing
    printed depends on what Ann coded."""
    x = only_clip(laptop, "cfr25.mp4")
    with viewing_as("Ann"):
        code_on(laptop, x, "Ann", "SECRET-ANN")
    report = merged(team, laptop.path, viewer="Sue", dry_run=True)
    assert report.hidden_runs == 2
    assert report.tallies["events"].as_dict() == {
        "added": 0, "updated": 0, "removed": 0, "skipped": 0
    }  # fmt: skip
    text = merge_text(report) + json.dumps(report.as_dict())
    assert "SECRET-ANN" not in text and "2 run(s) are blind coding hidden from you" in text
    with viewing_as("Ann"):
        code_on(laptop, x, "Ann", "SECRET-ANN-MORE", at=3_000)
    again = merged(team, laptop.path, viewer="Sue", dry_run=True)
    assert merge_text(again) == merge_text(report)
    # Ann herself sees what her laptop brings
    assert merged(team, laptop.path, viewer="Ann", dry_run=True).tallies["events"].added == 4


def test_the_other_workspace_must_be_another_one(team):
    for same in (team.ws.path, team.ws, str(team.ws.path.parent / "." / "team.vfa")):
        with pytest.raises(MergeError, match="this is the workspace open here"):
            merged(team, same)


def test_two_incoming_cases_cannot_both_take_one_code(team, tmp_path, clips):
    other = open_workspace(tmp_path / "other.vfa", create=True)
    clip_service.add_clip(other, clips["ntsc"], "FAM-5", "Visit 1")
    clip_service.add_clip(other, clips["vfr"], "FAM-6", "Visit 1")
    other.close()
    with pytest.raises(MergeError, match="cases would both be fam-6; give each its own code"):
        merged(team, tmp_path / "other.vfa", renames={"FAM-5": "fam-6"})
    with pytest.raises(MergeError, match=r"--rename-case FAM-4: .* holds no case FAM-4"):
        merged(team, tmp_path / "other.vfa", renames={"FAM-4": "FAM-9"})


def test_blind_coding_new_here_is_hidden_from_the_person_merging(team, tmp_path, clips):
    """Another site's blind run on the same video arrives as a new run: the supervisor
    merging it sees it counted only as hidden; its coder sees what it brings."""
    from vfa.services import assignments

    other = open_workspace(tmp_path / "site.vfa", create=True)
    x = clip_service.add_clip(other, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    (cleo,) = assignments.assign(other, [x], get_scheme("vig"), ["Cleo"], by="Sue")
    table = clip_service.clip_info(other, x).frame_table
    for at in (500, 1_500):
        events.code_event(other, cleo.id, get_scheme("vig"), "waiting", None, at, table)
    other.close()
    sue = merged(team, tmp_path / "site.vfa", viewer="Sue", dry_run=True)
    assert sue.hidden_runs == 1 and sue.tallies["events"].added == 0
    own = merged(team, tmp_path / "site.vfa", viewer="Cleo", dry_run=True)
    assert own.hidden_runs == 0 and own.tallies["events"].added == 2


def test_on_a_managed_workspace_bringing_home_ones_own_coding_is_coding(team, laptop, clips):
    from vfa.services.people import NotAllowedError

    add_person(team.ws, "Sue", "admin", who="Sue")
    for name, role in (("Ann", "coder"), ("Ben", "coder"), ("Tess", "therapist")):
        add_person(team.ws, name, role, who="Sue")
    x = only_clip(laptop, "cfr25.mp4")
    code_plainly(laptop, x, "Ann", "on the train")  # a coder tags no moments (VIG's codes)
    with pytest.raises(NotAllowedError, match=r"Tess is a therapist: only a .* may export and"):
        merged(team, laptop.path, viewer="Tess", dry_run=True)
    assert merged(team, laptop.path, viewer="Ann", dry_run=True).tallies["runs"].updated == 1
    clip_service.add_clip(laptop, clips["ntsc"], "FAM-3", "Visit 1")  # a new family
    with pytest.raises(NotAllowedError, match=r"Ann is a coder: .* add and change clips"):
        merged(team, laptop.path, viewer="Ann")
    assert merged(team, laptop.path, viewer="Sue").written
