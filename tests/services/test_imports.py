"""Imports through the services: planned without writing, codes onto an existing scheme or
a new draft that VFA's loader accepts, clips by name or fingerprint, times snapped to
frames, events past the end listed (never trimmed), refusals that change nothing, and
undo of a whole batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.services.exchange_world import dump, gaze_scheme
from vfa.errors import InvalidInputError, NotFoundError
from vfa.io.document import (
    CodeDef,
    CodeKind,
    Document,
    Event,
    MediaRef,
    ModifierSet,
    Observation,
    Problem,
    Rating,
    Subject,
)
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.services.clips import clip_info
from vfa.services.imports import ImportOptions, plan_document, run_import, undo_import
from vfa.services.schemes import get_scheme, load_scheme_file, user_schemes_dir

FILE = "/data/coding.boris"


@pytest.fixture
def ws(workspace, clips):
    clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1")  # 6 s, 25 fps
    clip_service.add_clip(workspace, clips["noaudio"], "FAM-2", "Visit 1")  # 2 s
    return workspace


# what an undone import leaves: its audit entries, and the event ids it used, which are
# never handed out again (sqlite_sequence)
UNDO_KEEPS = {"audit_entry", "sqlite_sequence"}


def db_path(ws) -> Path:
    assert ws.path is not None
    return ws.path


def document(*events: Event, media: str = "cfr25.mp4", offset: int = 0, **kw) -> Document:
    """A BORIS-like document: subjects, a modifier set, a point, states in a group."""
    return Document(
        "boris",
        FILE,
        name=kw.pop("name", "Lab project"),
        codes=kw.pop(
            "codes",
            (
                CodeDef(
                    "look",
                    "Looks at mother",
                    CodeKind.STATE,
                    key="a",
                    exclusive_group="gaze",
                    modifier_sets=("ms1",),
                ),
                CodeDef("away", "Looks away", CodeKind.STATE, key="Space", exclusive_group="gaze"),
                CodeDef(
                    "touch",
                    "Touches",
                    CodeKind.POINT,
                    key="Ctrl+T",
                    exclusive_group="x",
                    category="contact",
                ),
                CodeDef("smile", "Smiles", CodeKind.POINT, key="A"),
            ),
        ),
        subjects=(Subject("s1", "Infant"), Subject("s2", "Mother")),
        modifier_sets=(ModifierSet("ms1", "Intensity", ("low", "high")),),
        observations=(
            Observation(
                kw.pop("observation", "obs 1"),
                coder=kw.pop("coder", "Lab coder"),
                media=(MediaRef(f"/lab/videos/{media}", offset_ms=offset),) if media else (),
                events=events,
                ratings=kw.pop("ratings", ()),
            ),
            *kw.pop("more", ()),
        ),
        author=kw.pop("author", None),
    )


EVENTS = (
    Event("look", 1010, 1530, "s1", (("ms1", "HIGH"),)),
    Event("touch", 2000, 2000, "s2", comment="gentle"),
    Event("away", 1530, 2990, "s1", (("free", "while crying"),)),
)


def plan(ws, doc: Document, **options):
    return plan_document(ws, doc, ImportOptions(**options), FILE, "0" * 64)


def test_planning_writes_nothing(ws):
    before = dump(db_path(ws))
    made = plan(ws, document(*EVENTS))
    assert made.events == 3 and not made.refusals
    assert dump(db_path(ws)) == before
    assert not (user_schemes_dir() / f"{made.scheme.id}.yaml").exists()


def test_a_new_scheme_draft_passes_vfas_loader_and_reports_what_it_dropped(ws):
    made = plan(ws, document(*EVENTS))
    assert made.scheme.id == "import-Lab_project" and made.scheme_created
    problems = {(p.place, p.reason) for p in made.problems}
    assert ("code 'away'", "hotkey 'Space' dropped: 'Space' is the player's key for "
            "play / pause") in problems  # fmt: skip
    assert any(p == "code 'touch'" and r.startswith("hotkey 'Ctrl+T' dropped") for p, r in problems)
    assert any(p == "code 'smile'" and "already the key of code 'look'" in r for p, r in problems)
    assert ("code 'touch'", "exclusive group 'x' dropped: only states can stop each other") in (
        problems
    )
    result = run_import(ws, made)
    path = user_schemes_dir() / "import-Lab_project.yaml"
    scheme = load_scheme_file(path)  # VFA's own loader: structure, ids, keys, groups
    assert get_scheme(scheme.id).content_hash == scheme.content_hash == made.scheme.content_hash
    assert scheme.ethogram is not None
    assert scheme.ethogram.subjects == ("Infant", "Mother")
    codes = {c.id: c for c in scheme.ethogram.codes}
    assert codes["look"].hotkey == "A" and codes["look"].group == codes["away"].group == "gaze"
    assert codes["away"].hotkey == "" and codes["touch"].group is None
    assert codes["touch"].kind == "point" and "category: contact" in codes["touch"].description
    (intensity,) = codes["look"].modifiers
    assert (intensity.name, intensity.options) == ("Intensity", ("low", "high"))
    assert [m.options for m in codes["away"].modifiers] == [("while crying",)]
    assert result.scheme_created and result.scheme == scheme.id


def test_events_keep_subjects_modifiers_comments_and_snap_to_frames(ws):
    result = run_import(ws, plan(ws, document(*EVENTS)))
    (run,) = result.runs
    stored = {e.code: e for e in events.run_events(ws, run.run_id)}
    look = stored["look"]
    # 1010 ms is shown by the frame at 1000 ms; 1530 by the frame at 1520 ms (40 ms frames)
    assert (look.start_ms, look.end_ms, look.start_frame, look.end_frame) == (1000, 1520, 25, 38)
    assert look.subject == "Infant" and look.modifiers == {"ms1": "high"}
    assert stored["touch"].subject == "Mother" and stored["touch"].end_ms == 2000
    assert stored["away"].modifiers == {"free": "while crying"}
    info = coding.run_info(ws, run.run_id)
    assert (info.coder, info.scheme_id) == ("Lab coder", "import-Lab_project")
    from vfa.storage.models import Annotation

    with ws.sessions() as db:
        caption = db.get_one(Annotation, stored["touch"].id).caption
    assert caption == "gentle"  # a BORIS comment becomes the event's caption


def test_codes_map_onto_an_existing_scheme_by_id_then_name_whatever_the_capitals(ws):
    gaze_scheme()
    doc = document(
        Event("LOOK_PARENT", 100, 400, "Child"),
        Event("Looks at toy", 400, 900, "Child"),
        Event("touch", 1000, 1000, "parent"),
        codes=(),
    )
    made = plan(ws, doc, scheme_id="gaze")
    assert not made.refusals and not made.scheme_created
    rows = {(m.source, m.source_subject): (m.code, m.subject, m.count) for m in made.mappings}
    assert rows == {
        ("LOOK_PARENT", "Child"): ("look_parent", "child", 1),
        ("Looks at toy", "Child"): ("look_toy", "child", 1),
        ("touch", "parent"): ("touch", "parent", 1),
    }
    assert (made.points, made.states) == (1, 2)


def test_unknown_codes_are_refused_and_listed_and_change_nothing(ws):
    gaze_scheme()
    doc = document(Event("touch", 100, 100, "parent"), Event("kiss", 200, 200, "parent"),
                   Event("kiss", 300, 300, "parent"), codes=())  # fmt: skip
    before = dump(db_path(ws))
    made = plan(ws, doc, scheme_id="gaze")
    assert made.refusals == [
        Problem(
            "code 'kiss'",
            "not in scheme gaze (2 in the file); leave it out, or choose another scheme",
        )
    ]
    with pytest.raises(InvalidInputError, match="not imported: code 'kiss'"):
        run_import(ws, made)
    assert dump(db_path(ws)) == before
    skipped = plan(ws, doc, scheme_id="gaze", skip_unknown=True)
    assert not skipped.refusals and skipped.events == 1
    assert skipped.problems[0].reason.endswith("; left out as asked")


def test_events_past_the_clip_end_are_listed_and_never_trimmed(ws):
    doc = document(
        Event("look", 100, 900, "s1"),
        Event("look", 4500, 5500, "s1"),  # + 1 s offset: past the end of the 6 s clip
        Event("touch", -1500, -1500, "s2"),  # before the clip's start even with the offset
        offset=1000,
    )
    made = plan(ws, doc)
    outside = [p for p in made.problems if "not imported" in p.reason]
    assert [(p.place, p.reason) for p in outside] == [
        ("observation 'obs 1' event 1", "look at 5500–6500 ms is past the clip's end (6000 ms); "
         "not imported"),
        ("observation 'obs 1' event 2", "touch at -500–-500 ms is before the clip's start; "
         "not imported"),
    ]  # fmt: skip
    (run,) = made.runs
    assert [(e.start_ms, e.end_ms) for e in run.events] == [(1080, 1880)]  # offset applied


def test_the_clip_is_found_by_name_else_by_fingerprint_in_the_media_folder(ws, clips, tmp_path):
    assert plan(ws, document(*EVENTS, media="CFR25.MP4")).runs[0].clip_name == "cfr25.mp4"
    missing = plan(ws, document(*EVENTS, media="visit_a.mp4"))
    (why,) = missing.refusals
    assert "no clip of the workspace is the media 'visit_a.mp4'" in why.reason
    folder = tmp_path / "media"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(clips["noaudio"], folder / "sub" / "visit_a.mp4")  # the same content, renamed
    shutil.copy(clips["cfr25"], folder / "decoy.mp4")
    found = plan(ws, document(*EVENTS[:1], media="visit_a.mp4"), media_dir=str(folder))
    assert not found.refusals
    assert found.runs[0].clip_name == "noaudio.mp4" and found.runs[0].how.startswith(
        "found by fingerprint"
    )
    nothing = plan(ws, document(*EVENTS, media=""))
    assert "names no media file" in nothing.refusals[0].reason
    chosen = plan(ws, document(*EVENTS[:1], media=""), clip_id=2)
    assert chosen.runs[0].clip_name == "noaudio.mp4"
    with pytest.raises(NotFoundError, match="clip 99"):
        plan(ws, document(*EVENTS), clip_id=99)


def test_the_coder_is_the_one_named_else_the_files_else_imported(ws):
    doc = document(*EVENTS)
    assert plan(ws, doc, coder="  Sue  ").runs[0].coder == "Sue"
    assert plan(ws, doc).runs[0].coder == "Lab coder"
    assert plan(ws, document(*EVENTS, coder=None, author="Author")).runs[0].coder == "Author"
    assert plan(ws, document(*EVENTS, coder=None)).runs[0].coder == "imported"


def test_a_coder_with_a_run_of_the_scheme_on_the_clip_is_refused_naming_it(ws):
    first = run_import(ws, plan(ws, document(*EVENTS)))
    before = dump(db_path(ws))
    again = plan(ws, document(*EVENTS))
    assert not again.scheme_created  # the same draft: used again
    (why,) = again.refusals
    assert f"Lab coder already has run {first.runs[0].run_id} of scheme import-Lab_project" in (
        why.reason
    )
    with pytest.raises(InvalidInputError):
        run_import(ws, again)
    assert dump(db_path(ws)) == before
    assert not plan(ws, document(*EVENTS), coder="Other").refusals


def test_one_observation_or_all(ws):
    other = Observation("obs 2", coder="B", media=(MediaRef("noaudio.mp4"),),
                        events=(Event("touch", 10, 10, "s2"),))  # fmt: skip
    doc = document(*EVENTS, more=(other,))
    assert [r.observation for r in plan(ws, doc).runs] == ["obs 1", "obs 2"]
    assert [r.clip_name for r in plan(ws, doc, observation="OBS 2").runs] == ["noaudio.mp4"]
    with pytest.raises(NotFoundError, match=r"no observation 'obs 3' .*'obs 1', 'obs 2'"):
        plan(ws, doc, observation="obs 3")


def test_ratings_map_onto_the_schemes_items(ws):
    doc = document(
        ratings=(
            Rating("Sensitivity of Responses", "4", note="warm"),
            Rating("supports_emotions", "nob"),
            Rating("physical_interaction", "9"),
        ),
        codes=(),
    )
    made = plan(ws, doc, scheme_id="kips")
    (why,) = made.refusals
    assert why.place == "observation 'obs 1' rating 2 (physical_interaction)"
    made = plan(ws, doc, scheme_id="kips", skip_unknown=True)
    result = run_import(ws, made)
    stored = coding.ratings(ws, result.runs[0].run_id)
    assert stored["sensitivity_of_responses"].value == 4
    assert stored["sensitivity_of_responses"].note == "warm"
    assert stored["supports_emotions"].value == "NOB"
    assert "physical_interaction" not in stored


def test_moment_tags_get_their_still_in_the_middle_of_the_span(ws):
    doc = document(Event("being_attentive", 1000, 3000, "child"), codes=())
    result = run_import(ws, plan(ws, doc, scheme_id="vig"))
    from vfa.services.moments import moments

    (moment,) = moments(ws, clip_id=result.runs[0].clip_id)
    assert moment.key_frame == (25 + 75) // 2 and moment.key_ms == 50 * 40


def test_undo_removes_exactly_what_the_batch_added(ws):
    before = dump(db_path(ws))
    result = run_import(ws, plan(ws, document(*EVENTS)))
    path = user_schemes_dir() / "import-Lab_project.yaml"
    assert path.exists()
    undone = undo_import(ws, result.batch)
    assert undone.runs == [r.run_id for r in result.runs] and undone.events == 3
    assert undone.scheme_removed and not path.exists()
    after = dump(db_path(ws))
    assert {t: rows for t, rows in after.items() if t not in UNDO_KEEPS} == {
        t: rows for t, rows in before.items() if t not in UNDO_KEEPS
    }
    actions = [row[3] for row in after["audit_entry"][len(before["audit_entry"]) :]]
    assert actions[-1] == "undo_import" and "import" in actions
    with pytest.raises(InvalidInputError, match="already undone"):
        undo_import(ws, result.batch)
    with pytest.raises(NotFoundError, match="no such import"):
        undo_import(ws, "nope")


def test_undo_is_refused_once_the_coding_was_edited_or_submitted(ws):
    result = run_import(ws, plan(ws, document(*EVENTS)))
    run_id = result.runs[0].run_id
    table = clip_info(ws, result.runs[0].clip_id).frame_table
    first = events.run_events(ws, run_id)[0]
    events.move_event(ws, run_id, first.id, 0, first.end_ms, table)
    before = dump(db_path(ws))
    with pytest.raises(
        InvalidInputError, match=r"changed since it was imported \(move of annotation"
    ):
        undo_import(ws, result.batch)
    assert dump(db_path(ws)) == before
    other = run_import(ws, plan(ws, document(*EVENTS), coder="Other"))
    coding.submit_run(ws, other.runs[0].run_id)
    with pytest.raises(InvalidInputError, match="was submitted since"):
        undo_import(ws, other.batch)


def test_a_failure_half_way_leaves_the_workspace_and_the_scheme_folder_as_they_were(
    ws, monkeypatch
):
    from vfa.services import import_writes

    other = Observation("obs 2", coder="B", media=(MediaRef("noaudio.mp4"),),
                        events=(Event("touch", 10, 10, "s2"),))  # fmt: skip
    made = plan(ws, document(*EVENTS, more=(other,)))
    real = import_writes._write_run
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("the disk is full")
        return real(*args)

    monkeypatch.setattr(import_writes, "_write_run", failing)
    before = dump(db_path(ws))
    with pytest.raises(OSError):
        run_import(ws, made)
    assert dump(db_path(ws)) == before
    folder = user_schemes_dir()
    assert not folder.exists() or list(folder.iterdir()) == []


# -- fuzzed files through the whole import ------------------------------------------------------

FUZZ_HEADER = (
    "case,session,session_date,clip,clip_file,coder,scheme,scheme_version,code,code_name,"
    "subject,start_ms,end_ms,start_frame,end_frame,duration_ms,modifiers,caption\n"
)
FUZZ_SAMPLE = (
    FUZZ_HEADER
    + "F,V,,1,cfr25.mp4,Ann,lab,1,look,Looks,child,1000,2000,,,,affect=high,a caption\n"
    + "F,V,,1,cfr25.mp4,Ann,lab,1,touch,Touches,parent,2500,2500,,,,,\n"
    + "F,V,,1,cfr25.mp4,Ann,lab,1,look,Looks,child,5000,7000,,,,,past the end\n"
).encode()


@st.composite
def fuzzed(draw: st.DrawFn) -> bytes:
    data = FUZZ_SAMPLE
    kind = draw(st.sampled_from(["cut", "flip", "value"]))
    if kind == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "flip":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    value = draw(st.sampled_from(["-1", "1e9", "NaN", "", "x", "99999999", "=1", "9" * 40]))
    return data.replace(b"2500", value.encode(), 1)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=fuzzed())
def test_a_fuzzed_file_is_imported_whole_or_refused_changing_nothing(ws, tmp_path, data):
    from vfa.errors import VfaError
    from vfa.services.imports import plan_import

    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    before = dump(db_path(ws))
    try:
        made = plan_import(ws, path, ImportOptions(coder="Fuzz"))
        result = run_import(ws, made)
    except VfaError as exc:
        assert str(exc).startswith(str(path))
        assert dump(db_path(ws)) == before
        return
    assert sum(len(r.events) for r in made.runs) == result.events
    undo_import(ws, result.batch)
    after = dump(db_path(ws))
    assert {t: r for t, r in after.items() if t not in UNDO_KEEPS} == {
        t: r for t, r in before.items() if t not in UNDO_KEEPS
    }


def test_a_coding_scheme_without_observations_becomes_a_scheme_only_when_new(ws):
    scheme_only = Document("otx", FILE, name="Observer template", codes=(CodeDef("cry", "Cries"),))
    made = plan(ws, scheme_only)
    assert made.scheme_created and made.runs == [] and not made.refusals
    result = run_import(ws, made)
    assert result.runs == [] and get_scheme("import-Observer_template").ethogram is not None
    mapped = plan(ws, scheme_only, scheme_id="gaze" if gaze_scheme() else "")
    assert [(p.place, p.reason) for p in mapped.refusals] == [
        ("the file", "it holds no observations to import")
    ]
    undo_import(ws, result.batch)
    assert not (user_schemes_dir() / "import-Observer_template.yaml").exists()


def test_the_preview_shows_what_the_file_holds_even_before_a_clip_is_found(ws, tmp_path):
    from vfa.services.imports import plan_document

    doc = document(
        Event("smile", 1000, 1000, subject="s1"),
        Event("smile", 2000, 2000, subject="s1"),
        media="not-in-this-workspace.mp4",
    )
    plan = plan_document(ws, doc, ImportOptions(), FILE, "0" * 64)
    assert plan.refusals and "not-in-this-workspace.mp4" in plan.refusals[0].reason
    assert sum(row.count for row in plan.mappings if row.source == "smile") == 2
