"""Exports: tidy CSV read back row by row, selections, blind runs left out and named,
files written whole or not at all, and the Document the other tools' writers take."""

from __future__ import annotations

import csv
import io
import os
import sys
import types
from pathlib import Path

import pytest

from tests.services.exchange_world import build_world
from vfa.errors import FormatError, NotFoundError, VfaError
from vfa.io import registry
from vfa.io.registry import FormatSpec
from vfa.io.vfa_csv import EVENT_COLUMNS, RATING_COLUMNS
from vfa.services import coding
from vfa.services.assignments import assign
from vfa.services.exports import (
    ExportError,
    Selection,
    export_file,
    workspace_document,
    write_events_csv,
    write_ratings_csv,
)
from vfa.services.schemes import get_scheme


@pytest.fixture
def world(workspace, clips):
    return build_world(workspace, clips)


def read_rows(text: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader)
    return [dict(zip(header, row, strict=True)) for row in reader]


def events_csv(ws, sel: Selection) -> tuple[str, object]:
    out = io.StringIO()
    result = write_events_csv(ws, sel, out)
    return out.getvalue(), result


def test_events_csv_has_the_columns_and_one_row_per_event(world):
    text, result = events_csv(world.ws, Selection(viewer="Sue"))
    assert text.splitlines()[0] == ",".join(EVENT_COLUMNS)
    rows = read_rows(text)
    assert result.rows == len(rows) == 6 and result.runs == 3 and not result.left_out
    by_code = {(r["coder"], r["code"]): r for r in rows}
    moment = by_code[("Ann", "being_attentive")]
    assert moment == {
        "case": "FAM-1",
        "session": "Visit 1",
        "session_date": "",
        "clip": str(world.clip_id),
        "clip_file": "cfr25.mp4",
        "coder": "Ann",
        "scheme": "vig",
        "scheme_version": "1",
        "code": "being_attentive",
        "code_name": "Being attentive",
        "subject": "child",
        "start_ms": moment["start_ms"],
        "end_ms": moment["end_ms"],
        "start_frame": str(int(moment["start_ms"]) // 40),
        "end_frame": str(int(moment["end_ms"]) // 40),
        "duration_ms": str(int(moment["end_ms"]) - int(moment["start_ms"])),
        "modifiers": "",
        "caption": "'=SUM(A1) she waits, “smiling”",  # a spreadsheet shows it, never runs it
    }
    gaze = [r for r in rows if r["scheme"] == "gaze"]
    # keys at 500, 1500 (stops the first look), 2000 and 3000 ms on 40 ms frames
    assert [(r["code"], r["start_ms"], r["end_ms"], r["duration_ms"]) for r in gaze] == [
        ("look_parent", "480", "1480", "1000"),
        ("look_toy", "1480", "3000", "1520"),
        ("touch", "2000", "2000", "0"),
        ("look_parent", "3000", "", ""),  # still running: no end, frame or duration
    ]
    assert gaze[-1]["end_frame"] == "" and gaze[-1]["start_frame"] == "75"
    assert gaze[0]["modifiers"] == "affect=neutral\\; calm"


def test_ratings_csv_has_value_special_and_note(world):
    out = io.StringIO()
    result = write_ratings_csv(world.ws, Selection(scheme="kips"), out)
    assert out.getvalue().splitlines()[0] == ",".join(RATING_COLUMNS)
    rows = read_rows(out.getvalue())
    assert result.rows == 2
    kips = get_scheme("kips")
    first, second = (i.id for i in kips.ratings.items[:2])
    assert {r["item"]: (r["value"], r["special"], r["note"]) for r in rows} == {
        first: ("4", "", "turns to the toy, then to her"),
        second: ("", "NOB", ""),
    }
    assert rows[0]["item_name"] == kips.item(rows[0]["item"]).name


def test_selection_by_clip_session_case_coder_and_scheme(world):
    ws = world.ws

    def coders(sel: Selection) -> set[tuple[str, str]]:
        return {(r["coder"], r["scheme"]) for r in read_rows(events_csv(ws, sel)[0])}

    everything = {("Ann", "vig"), ("Ben", "gaze")}
    assert coders(Selection(clip_id=world.clip_id)) == everything
    assert coders(Selection(clip_id=world.other_clip)) == set()
    assert coders(Selection(case="fam-1")) == everything  # any capitals
    assert coders(Selection(case="FAM-2")) == set()
    assert coders(Selection(coder="Ben")) == {("Ben", "gaze")}
    assert coders(Selection(scheme="vig")) == {("Ann", "vig")}
    with pytest.raises(NotFoundError, match="case NOPE"):
        events_csv(ws, Selection(case="NOPE"))
    with pytest.raises(NotFoundError, match="clip 999"):
        events_csv(ws, Selection(clip_id=999))


def test_blind_runs_the_exporter_may_not_see_are_left_out_and_named(world):
    ws = world.ws
    vig = get_scheme("vig")
    runs = assign(ws, [world.other_clip], vig, ["Cat", "Dan"], blind=True)
    from vfa.services.clips import clip_info
    from vfa.services.events import code_event

    table = clip_info(ws, world.other_clip).frame_table
    for run in runs:
        code_event(ws, run.id, vig, "waiting", "child", 500, table)
    text, result = events_csv(ws, Selection(viewer="Cat"))
    coders = {r["coder"] for r in read_rows(text)}
    assert "Cat" in coders and "Dan" not in coders  # Cat codes blind: Dan's stays hidden
    (why,) = result.left_out
    assert f"run {runs[1].id}" in why and "Dan" in why and "blind" in why
    coding.submit_run(ws, runs[0].id, actor="Cat")  # each coder submits her own
    coding.submit_run(ws, runs[1].id, actor="Dan")
    text, result = events_csv(ws, Selection(viewer="Cat"))
    assert "Dan" in {r["coder"] for r in read_rows(text)} and not result.left_out


def test_a_file_is_written_whole_and_refused_where_it_should_not_be(world, tmp_path):
    ws = world.ws
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "events.csv"
    result = export_file(ws, "csv", target, Selection())
    assert result.path == target and len(read_rows(target.read_text("utf-8"))) == 6
    before = target.read_bytes()
    with pytest.raises(VfaError, match="already exists"):
        export_file(ws, "csv", target, Selection(coder="Ben"))
    assert target.read_bytes() == before
    export_file(ws, "csv", target, Selection(coder="Ben"), force=True)
    assert len(read_rows(target.read_text("utf-8"))) == 4
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(VfaError, match="symbolic link"):
        export_file(ws, "csv", link, Selection(), force=True)
    assert not (tmp_path / "elsewhere.csv").exists()
    with pytest.raises(VfaError, match="device"):
        export_file(ws, "csv", "/dev/null", Selection(), force=True)
    with pytest.raises(VfaError, match="does not exist"):
        export_file(ws, "csv", tmp_path / "no" / "x.csv", Selection())
    with pytest.raises(ExportError, match="ratings go out as CSV"):
        export_file(ws, "json", tmp_path / "r.json", Selection(), what="ratings")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "link.csv"]


@pytest.mark.parametrize(
    ("fmt", "name"), [("csv", "out.eaf"), ("eaf", "out.csv"), ("json", "out"), ("sdis", "x.srt")]
)
def test_a_file_name_that_says_another_format_is_refused(world, tmp_path, fmt, name):
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(VfaError, match="must end in"):
        export_file(world.ws, fmt, folder / name, Selection())
    assert list(folder.iterdir()) == []


def test_a_cancelled_export_leaves_nothing(world, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "events.csv"
    with pytest.raises(ExportError, match="cancelled"):
        export_file(world.ws, "csv", target, Selection(), cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_the_document_for_the_writers_has_schemes_runs_and_captions(world):
    doc = workspace_document(world.ws, Selection(clip_id=world.clip_id))
    assert {c.id for c in doc.codes} >= {"being_attentive", "look_parent", "touch"}
    look = next(c for c in doc.codes if c.id == "look_parent")
    assert look.exclusive_group == "gaze" and look.key == "A" and look.subject == "child"
    assert look.modifier_sets == ("affect",)
    assert {s.id for s in doc.subjects} >= {"parent", "child", "guider"}
    names = [o.name for o in doc.observations]
    assert names == [
        "FAM-1 / Visit 1 / cfr25.mp4 / Ann / kips",
        "FAM-1 / Visit 1 / cfr25.mp4 / Ann / vig",
        "FAM-1 / Visit 1 / cfr25.mp4 / Ben / gaze",
    ]
    kips, vig, gaze = doc.observations
    assert Path(vig.media[0].path).name == "cfr25.mp4" and vig.coder == "Ann"
    assert vig.events[0].caption == "=SUM(A1) she waits, “smiling”"
    assert gaze.events[0].modifiers == (("affect", "neutral; calm"),)
    assert {r.value for r in kips.ratings} == {"4", "NOB"}
    assert [p.place for p in doc.problems if "never stopped" in p.reason] == [
        f"run {world.gaze_run}, event at {gaze.events[-1].start_ms} ms"
    ]


def test_other_formats_go_through_the_registrys_writer(world, tmp_path, monkeypatch):
    written = {}

    def write(document, stream, target):
        written["doc"], written["target"] = document, target
        stream.write(b"<eaf/>")

    module = types.ModuleType("fake_eaf")
    module.FORMAT = FormatSpec("eaf", "ELAN", (".eaf",), lambda h, n: False, None, write)
    monkeypatch.setitem(sys.modules, "fake_eaf", module)
    monkeypatch.setattr(registry, "FORMAT_MODULES", ("fake_eaf", *registry.FORMAT_MODULES))
    target = tmp_path / "out.eaf"
    result = export_file(world.ws, "eaf", target, Selection(coder="Ann"))
    assert target.read_bytes() == b"<eaf/>" and written["target"] == target
    assert result.runs == 2 and result.rows == 2
    assert [o.coder for o in written["doc"].observations] == ["Ann", "Ann"]
    monkeypatch.setattr(registry, "FORMAT_MODULES", ("vfa.io.vfa_csv",))
    with pytest.raises(FormatError, match="not a format VFA knows"):
        export_file(world.ws, "boris", tmp_path / "x.boris", Selection())
    assert not os.path.exists(tmp_path / "x.boris")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_vfas_own_export_imports_into_another_workspaces_clip(world, clips, tmp_path, fmt):
    from vfa.services import clips as clip_service
    from vfa.services.events import run_events
    from vfa.services.imports import ImportOptions, plan_import, run_import
    from vfa.storage.workspace import open_workspace

    exported = tmp_path / f"vig.{fmt}"
    export_file(world.ws, fmt, exported, Selection(scheme="vig"))
    other = open_workspace(tmp_path / "other.vfa", create=True)
    try:
        clip_service.add_clip(other, clips["cfr25"], "X-1", "Visit 9")  # the same file name
        plan = plan_import(other, exported, ImportOptions(scheme_id="vig"))
        assert not plan.refusals and plan.format == f"vfa-{fmt}"
        result = run_import(other, plan)
        (run,) = result.runs
        assert run.coder == "Ann" and run.scheme == "vig"

        def spans(ws, run_id):
            return [
                (e.code, e.subject, e.start_ms, e.end_ms, e.start_frame, e.end_frame, e.modifiers)
                for e in run_events(ws, run_id)
            ]

        assert spans(other, run.run_id) == spans(world.ws, world.vig_run)
        from vfa.services.moments import moments

        theirs = [(m.code, m.caption) for m in moments(world.ws) if m.run_id == world.vig_run]
        assert [(m.code, m.caption) for m in moments(other)] == theirs
    finally:
        other.close()
