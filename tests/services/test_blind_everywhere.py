"""The blind rule through every service that returns coding data: a coder with an open
blind run (and a supervisor) sees nothing of another coder's blind coding, and what they
see does not depend on it at all. Every public service function is classified here, so a
new one fails ``test_every_service_function_is_classified`` until it is."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import vfa.services
from tests.services.blind_world import BEN_OWN, SECRET, TESS_ON_X, World, build_world
from vfa.services import (
    assignments,
    audit_trail,
    certification,
    coding,
    event_reliability,
    events,
    exports,
    merge,
    moments,
    progress,
    reel_export,
    reliability_report,
    reliability_runs,
    workspace_json,
)
from vfa.services.blind import BlindError
from vfa.services.export_selection import Selection
from vfa.services.schemes import get_scheme
from vfa.services.viewer import current_viewer, viewing_as
from vfa.storage.workspace import open_workspace

Read = Callable[[World, str, Path], Any]

# every service function that returns coding data (runs' ratings, events, moments, totals,
# agreement), and how the walk calls it
READS: dict[str, Read] = {
    "coding.ratings": lambda w, v, _: coding.ratings(w.ws, w.ann_kips, v),
    "coding.ratings/own": lambda w, v, _: coding.ratings(w.ws, w.ben_kips, v),
    "coding.rating_state": lambda w, v, _: coding.rating_state(
        w.ws, w.ann_kips, get_scheme("kips").ratings.items[1].id, v
    ),
    "coding.run_score": lambda w, v, _: coding.run_score(w.ws, w.ann_kips, get_scheme("kips"), v),
    "events.run_events": lambda w, v, _: events.run_events(w.ws, w.ann_vig, v),
    "events.run_events/own": lambda w, v, _: events.run_events(w.ws, w.ben_vig, v),
    "events.get_event": lambda w, v, _: events.get_event(w.ws, w.ann_vig, w.ann_events[-1], v),
    "events.event_spans": lambda w, v, _: events.event_spans(w.ws, w.ann_vig, v),
    "events.event_versions": lambda w, v, _: events.event_versions(w.ws, w.ann_vig, v),
    "moments.get_moment": lambda w, v, _: moments.get_moment(w.ws, w.ann_moments[-1], v),
    "moments.get_moment/therapist": lambda w, v, _: moments.get_moment(w.ws, w.tess_x_moment, v),
    "moments.moments": lambda w, v, _: moments.moments(w.ws, clip_id=w.x, viewer=v),
    "moments.moments/session": lambda w, v, _: moments.moments(w.ws, session_id=w.s1, viewer=v),
    "moments.reel": lambda w, v, _: moments.reel(w.ws, w.s1, v),
    "moments.reel/complete": lambda w, v, _: moments.reel(w.ws, w.s1, v, complete=True),
    "moments.reel_guidance": lambda w, v, _: moments.reel_guidance(w.ws, w.s1, v),
    "progress.case_progress": lambda w, v, _: progress.case_progress(
        w.ws, "FAM-1", "kips", viewer=v
    ),
    "progress.coded_schemes": lambda w, v, _: progress.coded_schemes(w.ws, "FAM-1", v),
    "assignments.read_run": lambda w, v, _: assignments.read_run(w.ws, w.ann_kips, v),
    "assignments.assignments": lambda w, v, _: assignments.assignments(w.ws),
    "reliability_runs.coded_ratings": lambda w, v, _: (
        reliability_runs.coded_ratings(w.ws, "kips", v).table
    ),
    "reliability_runs.coded_ratings/clip": lambda w, v, _: reliability_runs.coded_ratings(
        w.ws, "kips", v, clip_ids=[w.x]
    ),
    "reliability_runs.ratings_agreement": lambda w, v, _: reliability_runs.ratings_agreement(
        w.ws, "kips", v, submitted_only=False
    ),
    "event_reliability.double_coded": lambda w, v, _: event_reliability.double_coded(w.ws, "vig"),
    "event_reliability.event_agreement_for_clip": lambda w, v, _: (
        event_reliability.event_agreement_for_clip(
            w.ws, w.x, "vig", ("Ann", "Ben"), v, submitted_only=False
        ).as_dict()
    ),
    "event_reliability.events_agreement": lambda w, v, _: event_reliability.events_agreement(
        w.ws, "vig", v
    ),
    "certification.track": lambda w, v, _: certification.track(w.ws, "kips", "Ben", "Ann"),
    "reliability_report.build_report": lambda w, v, _: reliability_report.build_report(
        w.ws, "kips", v
    ),
    "reel_export.prepare": lambda w, v, _: reel_export.prepare(w.ws, w.s1, "feedback"),
    "reel_export.export_reel": lambda w, v, out: reel_export.export_reel(
        w.ws, w.s1, "feedback", out / "reel"
    ),
    "reel_export.export_script": lambda w, v, out: reel_export.export_script(
        w.ws, w.s1, out / "script.pdf", "feedback"
    ),
    "exports.write_events_csv": lambda w, v, _: _written(
        lambda s: exports.write_events_csv(w.ws, Selection(viewer=v), s)
    ),
    "exports.write_ratings_csv": lambda w, v, _: _written(
        lambda s: exports.write_ratings_csv(w.ws, Selection(viewer=v), s)
    ),
    "exports.workspace_document": lambda w, v, _: exports.workspace_document(
        w.ws, Selection(viewer=v)
    ),
    "workspace_json.write_workspace_json": lambda w, v, _: _written(
        lambda s: workspace_json.write_workspace_json(w.ws, Selection(viewer=v), s), binary=True
    ),
    # the trail says that a hidden run was acted on (who, when, what kind: that varies
    # with it), never what was recorded: the entries shown in full, and what the hidden
    # ones show of their values (nothing, whatever the run holds)
    "audit_trail.read_audit": lambda w, v, _: [
        {k: x for k, x in r.as_dict().items() if k not in ("id", "when")}
        for r in audit_trail.read_audit(w.ws, viewer=v)
        if not r.hidden
    ],
    "audit_trail.read_audit/hidden": lambda w, v, _: sorted(
        {
            repr((r.before, r.after, r.detail))
            for r in audit_trail.read_audit(w.ws, viewer=v)
            if r.hidden
        }
    ),
    # the dry run of merging the workspace into an empty one: everything would be added
    "merge.merge": lambda w, v, out: _merge_into_empty(w, v, out),
    "exports.export_file": lambda w, v, out: (
        exports.export_file(
            w.ws, "eaf", out / "x.eaf", Selection(clip_id=w.x, viewer=v), force=True
        ),
        (out / "x.eaf").read_text(),
    ),
}


def _written(write: Callable[[Any], Any], binary: bool = False) -> tuple[Any, str]:
    """What an export function returned, and the text it wrote."""
    import io

    stream: Any = io.BytesIO() if binary else io.StringIO()
    result = write(stream)
    text = stream.getvalue()
    return result, text.decode("utf-8") if binary else text


def _merge_into_empty(world: World, viewer: str, out: Path) -> str:
    """What a dry run of merging the world into a new, empty workspace reports."""
    empty = open_workspace(out / f"empty-{viewer}.vfa", create=True)
    try:
        return merge.merge_text(merge.merge(empty, world.ws, dry_run=True, viewer=viewer))
    finally:
        empty.close()


# edits (each returns what it replaced, for its own coder's undo) and helpers on runs
WRITES = {
    "coding.check_editable", "coding.clear_grid_row", "coding.editable_run",
    "coding.ensure_coder", "coding.link_evidence", "coding.open_run", "coding.reopen_run",
    "coding.set_grid_row", "coding.set_note", "coding.set_rating", "coding.set_rating_state",
    "coding.submit_run", "events.code_event", "events.delete_event", "events.move_event",
    "events.restore_event", "events.set_modifiers", "moments.add_moment",
    "moments.edit_moment", "moments.ensure_therapist", "moments.reorder_reel",
    "moments.restore_moment", "moments.set_theme", "moment_fields.put_moment",
    "coding.coder_row", "schemes.stored_scheme_row", "assignments.assign",
    "assignments.assign_share", "certification.set_criterion", "consent.set_consent",
    "clips.add_clip", "demo.create_demo", "schemes.register_scheme",
    "demo_coding.plant_kips", "demo_coding.plant_care_grid", "demo_coding.plant_events",
    "audit.record", "reliability_report.write_report", "stills.save_still",
    "stills.still_from_file", "workspaces.new_workspace", "workspaces.open_demo",
    "viewer.viewing_as", "viewer.set_person", "backups.backup_if_due", "backups.backup_now",
    "backups.restore_backup", "backups.set_keep_count", "clip_files.relink",
    "import_writes.run_import", "import_writes.undo_import", "import_writes.insert_run_events",
    "workspace_restore.import_workspace_json",
    "people.add_person", "people.put_person", "people.set_role", "case_sharing.share_case",
    "case_sharing.unshare_case", "case_access.entering_case",
    "checkout.checkout", "merge_records.copy_audit", "merge_records.write_consent",
    "merge_records.write_criteria", "merge_runs.new_ids",
    "encryption.encrypt_workspace", "encryption.decrypt_workspace", "team.add_person_login",
}  # fmt: skip

# no coding content: files, clips, consent, schemes, statistics of given tables, run
# metadata (whose, which clip and scheme, status: open to everyone, as the assignment list)
# and the blind rule itself
OTHER = {
    "coding.find_run", "coding.grid_key", "coding.grid_points", "coding.run_info",
    "coding.refuse_locked", "moment_fields.check_moment_codes",
    # a moment's row from details given, or the details of a row already read
    "moment_fields.moment_columns", "moment_fields.stored_detail",
    "events.code_event",
    "moments.info_session", "moment_fields.parse_tag", "moments.session_theme",
    "moment_fields.span_frames", "progress.has_progress", "assignments.catalogue_clips",
    "assignments.choose_share", "blind.blind_view", "blind.check_clip_complete",
    "blind.check_may_view", "blind.check_run", "blind.pending_blind_runs",
    "blind.pending_text", "reliability_runs.clip_order",
    "reliability_runs.latest_runs", "reliability_runs.scheme_runs",
    "event_reliability.event_label", "certification.criterion",
    "certification.default_criterion", "certification.statistic_value",
    "certification.criterion_statistic",
    "certification.status_of", "consent.check_purposes", "consent.consent_for",
    "consent.require", "consent.coverage", "clips.catalog", "moment_fields.checked_text",
    "reel_export.check_handout", "reel_export.file_names", "stills.workspace_clip",
    "clips.clip_info", "clips.is_probably_video", "clips.validate_case_code",
    "workspaces.demo_workspace_path", "workspaces.workspace_summary", "scoring.rating_rows",
    "scoring.read_ratings_csv", "scoring.read_rows", "scoring.score_ratings_csv",
    "reliability.events_report", "reliability.ratings_report",
    "reliability.read_events", "reliability.read_ratings", "audit.current_actor",
    "viewer.config_dir", "viewer.current_viewer", "viewer.login_name", "viewer.resolve",
    "viewer.settings_coder", "demo.demo_media_dir", "timeline_media.build_timeline_media",
    "schemes.available_schemes", "schemes.check_structure", "schemes.current_scheme",
    "schemes.get_scheme", "schemes.load_scheme_file", "schemes.scan_schemes",
    "schemes.scheme_changes", "schemes.scheme_dirs", "schemes.scheme_problems",
    "schemes.shipped_dir", "schemes.stored_scheme", "schemes.user_schemes_dir",
    "scheme_yaml.read_scheme_bytes", "scheme_yaml.read_yaml", "backups.backups_of",
    "backups.keep_count", "clip_files.check_all", "clip_files.check_clip",
    "clip_files.verify_clip", "clip_files.verify_clips", "clips.find_case",
    "clips.validate_session_fields",
    # the database's integrity: names broken rows and references, not coding values
    "check.check_workspace",
    # files and values given by the user, no workspace
    "reliability.check_event_settings", "reliability.check_size",
    "reliability.special_codes", "scoring.scheme_value",
    "event_reliability.state_end",
    # where an audit entry belongs and what it changed (ids and values given); the trail's
    # CSV of entries already read; who acted, on which cases, with which kinds of act
    "audit.changed", "audit.clip_place", "audit.run_place", "audit.session_place",
    "audit_trail.audit_csv", "audit_trail.write_audit_csv", "audit_trail.audit_choices",
    "consent.consent_due",
    # exports' plumbing: files, selections of run metadata (the blind rule is applied by
    # selected_runs, walked through the exports above), streams of runs already selected
    "export_files.check_target", "export_files.staged_file", "export_selection.batches",
    "export_selection.event_counts", "export_selection.event_query",
    "export_selection.export_choices",
    "export_selection.modifiers_of", "export_selection.names_in", "export_selection.rating_query",
    "export_selection.scheme_contents", "export_selection.selected_clips",
    "export_selection.selected_runs", "export_selection.stream_events",
    "workspace_json.stamp", "workspace_restore.check_restorable",
    "workspace_restore.parse_stamp", "schemes.load_scheme_text",
    # imports read another tool's file and the workspace's clips, schemes and run metadata
    "import_clips.find_clip", "import_clips.workspace_clips", "import_scheme.draft_id",
    "import_scheme.draft_scheme", "import_scheme.make_id", "import_scheme.map_onto",
    "import_writes.existing_run", "imports.plan_document", "imports.plan_import",
    # people, their roles and the cases shared with them: names and roles, no coding
    "people.find_person", "people.is_managed", "people.may", "people.people",
    "people.require", "people.role_names", "people.with_article", "case_access.case_filter",
    "case_sharing.case_members", "case_access.check_case", "case_access.check_clip",
    "case_access.check_session", "permissions.check_coding_as", "permissions.check_known",
    "permissions.check_own_run",
    "permissions.not_a_person", "permissions.not_own_run", "permissions.refuse_stranger",
    "permissions.require_in", "permissions.role_refusal", "permissions.roster",
    "permissions.allowed_acts",
    # versions: how many times a thing changed, who changed it last (the audit trail's
    # words), and the statements that check and raise them inside the edits
    "coding.rating_trail", "coding.rating_versions", "coding.row_key", "events.event_trail",
    "rating_keys.grid_key", "rating_keys.locked_rows", "rating_keys.made_meanwhile",
    "rating_keys.rating_trail", "rating_keys.rating_versions", "rating_keys.row_key",
    "moment_fields.claim_moment", "moment_fields.moment_trail", "moment_fields.reel_moved",
    "moments.reel_version", "versions.check", "versions.claim", "versions.claim_reel",
    "versions.fresh", "versions.last_change", "versions.receipt",
    "versions.reel_changed", "versions.reel_trail", "versions.stale_error",
    "versions.when_text", "versions.wrote",
    # merging's plumbing: the other workspace read whole, runs' content read for digests and
    # copies, what matches what; the blind rule is applied by merge.merge (walked above)
    "merge.open_other", "merge_content.canonical", "merge_content.mapped_evidence",
    "merge_content.read_contents", "merge_read.audit_since", "merge_read.clip_matches",
    "merge_read.consent_on", "merge_read.find_session", "merge_read.read_here",
    "merge_read.read_snapshot", "merge_read.rows_of", "merge_read.runs_on",
    "merge_read.scheme_key", "merge_records.audit_key", "merge_records.common_count",
    "merge_records.plan_audit", "merge_records.plan_consent", "merge_records.plan_criteria",
    "merge_records.stamp", "merge_report.merge_text", "merge_report.coding_words",
    "merge_report.rename_map",
    "merge_runs.without",
    "merge_content.utc", "merge_runs.new_event_ids", "stills.still_name",
    "merge_records.about_hidden", "merge_records.known_on_server", "merge_rules.hold_to_role",
    # where a file to merge is not as VFA writes it: a table, row and column, no value
    "merge_check.damage", "merge_check.nonsense",
    # who acts on an open workspace: a name, no coding
    "acting.acting_person",
    "team.require_team", "team.team_people",
    # whether a passphrase opens an encrypted file: reads no row
    "encryption.opens",
    # a stored row as an event: the callers read the row under the blind rule
    "events.event_of",
}  # fmt: skip


def public_service_functions() -> set[str]:
    names = set()
    for info in pkgutil.iter_modules(vfa.services.__path__):
        module = importlib.import_module(f"vfa.services.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__ and not name.startswith("_"):
                names.add(f"{info.name}.{name}")
    return names


def test_every_service_function_is_classified():
    reads = {name.split("/")[0] for name in READS}
    unclassified = public_service_functions() - reads - WRITES - OTHER
    assert not unclassified, f"classify these as READS, WRITES or OTHER: {sorted(unclassified)}"
    assert not (reads & (WRITES | OTHER))


def observe(world: World, viewer: str, out: Path) -> dict[str, str]:
    """What the viewer gets from every read (given as the argument, and as the current
    viewer): the result, or the refusal."""
    seen = {}
    for name, read in READS.items():
        try:
            with viewing_as(viewer):  # for the functions that take no viewer
                seen[name] = repr(read(world, viewer, out))
        except Exception as exc:  # a refusal is an observation too
            seen[name] = f"{type(exc).__name__}: {exc}"
    # when things were written differs from one world to the next, whoever wrote them
    return {k: WHEN.sub("<time>", v) for k, v in seen.items()}


WHEN = re.compile(r"datetime\.datetime\([^)]*\)|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?")


@pytest.fixture
def worlds(tmp_path, clips):
    """As each viewer: what they observe with Ann's first and with her second variant."""
    seen: dict[int, dict[str, dict[str, str]]] = {}
    for variant in (1, 2):
        place = tmp_path / "w"  # the same place each time: paths in messages agree
        ws = open_workspace(place / "test.vfa", create=True)
        try:
            world = build_world(ws, clips, variant)
            seen[variant] = {v: observe(world, v, place) for v in ("Ben", "Sue", "Ann")}
        finally:
            ws.close()
        import shutil

        shutil.rmtree(place)
    return seen


def test_what_a_blind_coder_or_a_supervisor_sees_never_depends_on_the_hidden_run(worlds):
    for viewer in ("Ben", "Sue"):
        first, second = worlds[1][viewer], worlds[2][viewer]
        differ = {k: (first[k], second[k]) for k in first if first[k] != second[k]}
        assert not differ, f"{viewer} sees Ann's blind coding through: {differ}"
    # and Ann herself does see her own coding: the variants are really different
    assert worlds[1]["Ann"]["coding.ratings"] != worlds[2]["Ann"]["coding.ratings"]


def test_no_text_of_a_hidden_run_reaches_anyone_else(worlds):
    for name, text in worlds[1]["Ben"].items():
        assert SECRET not in text and TESS_ON_X not in text, name
    for name, text in worlds[1]["Sue"].items():
        assert SECRET not in text and BEN_OWN not in text, name
    for name, text in worlds[1]["Ann"].items():
        assert BEN_OWN not in text and TESS_ON_X not in text, name
    # Ann sees her own, the supervisor the therapist's open moment on X
    assert SECRET in worlds[1]["Ann"]["moments.moments"]
    assert TESS_ON_X in worlds[1]["Sue"]["moments.moments"]
    assert BEN_OWN in worlds[1]["Ben"]["moments.moments"]


def test_reads_of_a_hidden_run_are_refused_and_name_the_open_runs(worlds):
    seen = worlds[1]["Ben"]
    for name in (
        "coding.ratings",
        "coding.rating_state",
        "coding.run_score",
        "events.run_events",
        "events.get_event",
        "events.event_spans",
        "moments.get_moment",
        "moments.get_moment/therapist",
        "assignments.read_run",
        "moments.reel/complete",
        "reel_export.export_reel",
        "reel_export.export_script",
    ):
        assert seen[name].startswith("BlindError: "), (name, seen[name])
        assert "Ann, in_progress" in seen[name] and "Ben, in_progress" in seen[name]
    assert worlds[1]["Sue"]["coding.ratings"].startswith("BlindError: ")


def test_a_blind_coder_sees_their_own_and_other_clips(tmp_path, clips, workspace):
    world = build_world(workspace, clips, 1)
    mine = moments.moments(workspace, session_id=world.s1, viewer="Ben")
    assert [m.coder for m in mine] == ["Ben", "Tess"] and mine[1].clip_id == world.z
    assert [m.id for m in moments.reel(workspace, world.s1, "Ben")] == [
        world.ben_moment,
        mine[1].id,
    ]
    points = progress.case_progress(workspace, "FAM-1", "kips", viewer="Ben").points
    assert [(p.coder, p.clip_id, p.total) for p in points] == [
        ("Ben", world.x, 2.0),
        ("Tess", world.y, 4.0),
    ]
    # Sue sees Tess's open coding on X but neither blind run
    sue = moments.moments(workspace, clip_id=world.x, viewer="Sue")
    assert [m.id for m in sue] == [world.tess_x_moment]


def test_when_every_blind_run_is_submitted_all_is_open_and_reopening_hides_it(
    tmp_path, clips, workspace
):
    world = build_world(workspace, clips, 1)
    for run in (world.ann_kips, world.ben_kips, world.ann_vig):
        coding.submit_run(workspace, run)
    with pytest.raises(BlindError, match=f"run {world.ben_vig} \\(Ben, in_progress\\)"):
        coding.ratings(workspace, world.ann_kips, "Ben")
    coding.submit_run(workspace, world.ben_vig)
    assert coding.ratings(workspace, world.ann_kips, "Ben")
    assert {m.coder for m in moments.moments(workspace, clip_id=world.x, viewer="Ben")} == {
        "Ann",
        "Ben",
        "Tess",
    }
    coding.reopen_run(workspace, world.ann_vig, "a moment was missed", actor="Ann")
    with pytest.raises(BlindError, match="Ann, in_progress"):
        events.run_events(workspace, world.ann_vig, "Sue")
    # the KIPS coding stays complete, open to Sue; Ben codes the clip blind again
    assert coding.ratings(workspace, world.ann_kips, "Sue")
    with pytest.raises(BlindError, match="Ann, in_progress"):
        coding.ratings(workspace, world.ann_kips, "Ben")
    assert [m.coder for m in moments.moments(workspace, clip_id=world.x, viewer="Ben")] == ["Ben"]


def test_the_current_viewer_is_used_when_none_is_given(tmp_path, clips, workspace):
    world = build_world(workspace, clips, 1)
    with viewing_as("Ben"):
        assert current_viewer() == "Ben"
        with pytest.raises(BlindError):
            coding.ratings(workspace, world.ann_kips)
        assert [m.coder for m in moments.moments(workspace, clip_id=world.x)] == ["Ben"]
    with viewing_as("Ann"):
        assert len(coding.ratings(workspace, world.ann_kips)) == 12


def positions(ws, session_id: int) -> dict[int, int | None]:
    from sqlalchemy import select

    from vfa.storage.models import Annotation, Clip, CodingRun, Moment

    with ws.sessions() as db:
        rows = db.execute(
            select(Moment.annotation_id, Moment.reel_position)
            .join(Annotation, Annotation.id == Moment.annotation_id)
            .join(CodingRun, CodingRun.id == Annotation.run_id)
            .join(Clip, Clip.id == CodingRun.clip_id)
            .where(Clip.session_id == session_id, Moment.feedback.is_(True))
        ).all()
    return dict(rows)


def test_a_reel_with_hidden_moments_keeps_their_places_when_reordered(clips, workspace):
    world = build_world(workspace, clips, 1)
    before = positions(workspace, world.s1)
    shown = [m.id for m in moments.reel(workspace, world.s1, "Ben")]
    assert len(shown) == 2 and len(before) > 2
    assert moments.reorder_reel(workspace, world.s1, shown[::-1], "Ben") == shown
    assert [m.id for m in moments.reel(workspace, world.s1, "Ben")] == shown[::-1]
    after = positions(workspace, world.s1)
    assert {i: p for i, p in after.items() if i not in shown} == {
        i: p for i, p in before.items() if i not in shown
    }
    assert (after[shown[0]], after[shown[1]]) == (before[shown[1]], before[shown[0]])
