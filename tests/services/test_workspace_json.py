"""The whole workspace as JSON: restored into an empty workspace and exported again, it
is the same file; a restore that cannot be done changes nothing."""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.services.exchange_world import build_world, dump
from vfa.errors import FormatError, InvalidInputError
from vfa.services import coding
from vfa.services.assignments import assign
from vfa.services.exports import Selection, export_file
from vfa.services.schemes import get_scheme
from vfa.services.workspace_json import write_workspace_json
from vfa.services.workspace_restore import import_workspace_json
from vfa.storage.workspace import open_workspace


@pytest.fixture
def world(workspace, clips):
    made = build_world(workspace, clips)
    runs = assign(workspace, [made.other_clip], get_scheme("kips"), ["Cat", "Dan"], blind=True)
    for run in runs:
        coding.set_rating(workspace, run.id, get_scheme("kips"), "sensitivity_of_responses", 3)
        coding.submit_run(workspace, run.id)
    return made


def as_json(ws, sel: Selection | None = None) -> bytes:
    out = io.BytesIO()
    write_workspace_json(ws, sel or Selection(), out)
    return out.getvalue()


def test_export_restore_export_gives_the_same_file(world, tmp_path):
    first = tmp_path / "first.json"
    result = export_file(world.ws, "json", first, Selection())
    assert result.runs == 5 and not result.left_out
    data = json.loads(first.read_text("utf-8"))
    assert [c["code"] for c in data["cases"]] == ["FAM-1", "FAM-2"]
    assert {s["id"] for s in data["schemes"]} == {"vig", "kips", "gaze"}
    assert [c["name"] for c in data["coders"]] == ["Ann", "Ben", "Cat", "Dan"]
    assert data["criteria"][0]["scheme"] == "kips"
    target = open_workspace(tmp_path / "restored.vfa", create=True)
    try:
        restored = import_workspace_json(target, first)
        assert (restored.cases, restored.clips, restored.runs, restored.events) == (2, 2, 5, 6)
        again = as_json(target)
    finally:
        target.close()
    assert again == first.read_bytes()


def column(path: Path, table: str, name: str) -> int:
    """The place of a table's column in its rows."""
    with closing(sqlite3.connect(path)) as raw:
        names = [row[1] for row in raw.execute(f'PRAGMA table_info("{table}")')]
    return names.index(name)


def test_the_restored_workspace_holds_what_the_first_did(world, tmp_path):
    first = tmp_path / "first.json"
    export_file(world.ws, "json", first, Selection())
    target_path = tmp_path / "restored.vfa"
    target = open_workspace(target_path, create=True)
    try:
        import_workspace_json(target, first)
    finally:
        target.close()
    before, after = dump(tmp_path / "test.vfa"), dump(target_path)
    for table in ("case", "session", "clip", "coder", "scheme", "coding_run", "annotation",
                  "rating", "moment", "consent_record", "reliability_criterion"):  # fmt: skip
        assert len(after[table]) == len(before[table]), table

    def without_ids(rows, drop):  # ids are the new workspace's own
        return sorted(tuple(v for n, v in enumerate(r) if n not in drop) for r in rows)

    # and so are the versions: how often each row was edited there (the restore is one)
    events = {0, 1, column(target_path, "annotation", "version")}
    details = {0, column(target_path, "moment", "version")}
    assert without_ids(after["annotation"], events) == without_ids(before["annotation"], events)
    assert without_ids(after["moment"], details) == without_ids(before["moment"], details)
    assert without_ids(after["clip"], {0}) == without_ids(before["clip"], {0})
    assert after["reliability_criterion"] == before["reliability_criterion"]


def test_a_selection_exports_only_its_runs(world):
    data = json.loads(as_json(world.ws, Selection(coder="Ben")))
    runs = [r for c in data["cases"] for s in c["sessions"] for k in s["clips"] for r in k["runs"]]
    assert [(r["coder"], r["scheme"]["id"]) for r in runs] == [("Ben", "gaze")]
    assert [s["id"] for s in data["schemes"]] == ["gaze"]
    assert [c["name"] for c in data["coders"]] == ["Ben"]


def test_restoring_into_a_workspace_with_data_is_refused_and_changes_nothing(world, tmp_path):
    first = tmp_path / "first.json"
    export_file(world.ws, "json", first, Selection())
    before = dump(tmp_path / "test.vfa")
    with pytest.raises(InvalidInputError, match="only into an empty workspace; this one holds 2"):
        import_workspace_json(world.ws, first)
    assert dump(tmp_path / "test.vfa") == before


def _edited(tmp_path: Path, source: Path, edit) -> Path:
    data = json.loads(source.read_text("utf-8"))
    edit(data)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _first_run(data):
    return data["cases"][0]["sessions"][0]["clips"][0]["runs"][0]


@pytest.mark.parametrize(
    ("edit", "place", "reason"),
    [
        (lambda d: d["schemes"][0]["content"].update(name="changed"), "schemes[0].content",
         "does not match its content_hash"),
        (lambda d: d["coders"].pop(0), "cases[0].sessions[0].clips[0].runs[0].coder",
         "'Ann' is not in coders"),
        (lambda d: d["cases"].append(dict(d["cases"][0], code="fam-1")), "cases[2].code",
         "case 'fam-1' is listed twice"),
        (lambda d: _first_run(d)["ratings"][0]["evidence"].update(annotations=[[9, 0]]),
         "run 1 ratings[0].evidence", "[9, 0] points at no event in the file"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_restored_changes_nothing(world, tmp_path, edit, place, reason):
    first = tmp_path / "first.json"
    export_file(world.ws, "json", first, Selection())
    path = _edited(tmp_path, first, edit)
    target_path = tmp_path / "empty.vfa"
    target = open_workspace(target_path, create=True)
    before = dump(target_path)
    try:
        with pytest.raises(FormatError) as caught:
            import_workspace_json(target, path)
    finally:
        target.close()
    assert caught.value.place == place and caught.value.reason.startswith(reason)
    assert dump(target_path) == before
