"""``vfa import`` and ``vfa export`` from the command line, options before and after the
subcommand; bad files and refusals exit 2 with ``vfa: FILE: PLACE: REASON``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.services.exchange_world import dump
from vfa.cli import main
from vfa.io.vfa_csv import EVENT_COLUMNS


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def ws(tmp_path, capsys, clips) -> Path:
    path = tmp_path / "clinic.vfa"
    assert run(capsys, "workspace", "new", str(path))[0] == 0
    code, _, err = run(
        capsys, "clip", "add", str(clips["cfr25"]), "--case", "FAM-1", "--session", "V1",
        "--workspace", str(path),
    )  # fmt: skip
    assert code == 0, err
    return path


def coding_csv(tmp_path: Path, *rows: dict[str, str], name: str = "coding.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, EVENT_COLUMNS)
        writer.writeheader()
        for row in rows:
            base = {c: "" for c in EVENT_COLUMNS}
            base.update(clip_file="cfr25.mp4", coder="Ann", scheme="lab", subject="child")
            base.update(row)
            writer.writerow(base)
    return path


ROWS = (
    {"code": "look", "code_name": "Looks", "start_ms": "1000", "end_ms": "2000"},
    {"code": "touch", "start_ms": "2500", "end_ms": "2500"},
)


def test_import_prints_what_it_did_as_json(capsys, ws, tmp_path):
    file = coding_csv(tmp_path, *ROWS)
    code, out, err = run(
        capsys, "--workspace", str(ws), "--json", "import", str(file), "--coder", "Zed"
    )
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {
        "batch", "format", "runs", "scheme", "events", "points", "states", "problems",
    }  # fmt: skip
    assert data["format"] == "vfa-csv" and len(data["batch"]) == 12
    assert data["runs"] == [{"run_id": 1, "clip_id": 1, "coder": "Zed", "scheme": "import-lab"}]
    assert data["scheme"] == {"id": "import-lab", "created": True}
    assert (data["events"], data["points"], data["states"]) == (2, 1, 1)
    assert data["problems"] == []


def test_a_dry_run_writes_nothing_and_prints_the_same_counts(capsys, ws, tmp_path):
    file = coding_csv(tmp_path, *ROWS)
    before = dump(ws)
    code, out, err = run(capsys, "import", str(file), "--dry-run", "--workspace", str(ws), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["batch"] is None and data["runs"][0]["run_id"] is None
    assert (data["events"], data["points"], data["states"]) == (2, 1, 1)
    after = dump(ws)
    assert {t: r for t, r in after.items() if t != "audit_entry"} == {
        t: r for t, r in before.items() if t != "audit_entry"
    }


def test_undo_removes_the_batch_once(capsys, ws, tmp_path):
    file = coding_csv(tmp_path, *ROWS)
    _, out, _ = run(capsys, "import", str(file), "--workspace", str(ws), "--json")
    batch = json.loads(out)["batch"]
    code, out, err = run(capsys, "--workspace", str(ws), "import", "--undo", batch)
    assert code == 0, err
    assert out.startswith(f"undid import {batch}: removed run(s) 1 and 2 events")
    code, _, err = run(capsys, "import", "--undo", batch, "--workspace", str(ws))
    assert code == 2 and err == f"vfa: import batch {batch}: already undone\n"


def test_a_bad_file_exits_2_naming_file_place_and_reason(capsys, ws, tmp_path):
    file = coding_csv(tmp_path, {"code": "look", "start_ms": "NaN", "end_ms": "1"})
    before = dump(ws)
    code, out, err = run(capsys, "import", str(file), "--workspace", str(ws))
    assert code == 2 and out == ""
    assert err == f"vfa: {file}: line 2, start_ms: 'NaN' is not a finite time\n"
    empty = tmp_path / "empty.eaf"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "--workspace", str(ws), "import", str(empty))
    assert code == 2 and err.startswith(f"vfa: {empty}: not a file VFA can import")
    assert dump(ws) == before


def test_unknown_codes_are_refused_place_by_place_and_change_nothing(capsys, ws, tmp_path):
    file = coding_csv(tmp_path, *ROWS)
    before = dump(ws)
    code, out, err = run(capsys, "import", str(file), "--scheme", "kips", "--workspace", str(ws))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"vfa: {file}: code 'look': not in scheme kips (1 in the file); leave it out, or choose "
        "another scheme",
        f"vfa: {file}: code 'touch': not in scheme kips (1 in the file); leave it out, or choose "
        "another scheme",
        f"vfa: {file}: not imported; nothing was changed (--skip-unknown leaves unknown codes out)",
    ]
    assert dump(ws) == before


def test_import_needs_a_file_or_a_batch(capsys, ws):
    code, _, err = run(capsys, "import", "--workspace", str(ws))
    assert code == 2 and err == "vfa: import: give a FILE to import, or --undo BATCH\n"
    code, _, err = run(capsys, "import", "x.csv", "--clip", "0", "--workspace", str(ws))
    assert code == 2 and "argument --clip: '0' is not an id" in err


def test_export_csv_and_ratings_options_before_and_after(capsys, ws, tmp_path):
    run(capsys, "import", str(coding_csv(tmp_path, *ROWS)), "--workspace", str(ws))
    out_file = tmp_path / "events.csv"
    code, out, err = run(
        capsys, "--workspace", str(ws), "--json", "export", "--format", "csv", "-o", str(out_file)
    )
    assert code == 0, err
    assert json.loads(out) == {
        "path": str(out_file), "format": "csv", "what": "events", "runs": 1, "rows": 2,
        "left_out": [],
    }  # fmt: skip
    with out_file.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["code"], r["start_ms"], r["end_ms"]) for r in rows] == [
        ("look", "1000", "2000"),
        ("touch", "2480", "2480"),  # 2500 ms is shown by the frame at 2480 (40 ms frames)
    ]
    code, _, err = run(
        capsys, "export", "--format", "csv", "-o", str(out_file), "--workspace", str(ws)
    )
    assert code == 2 and err.startswith(f"vfa: {out_file}: a file of that name already exists")
    code, out, err = run(
        capsys, "export", "--format", "csv", "--what", "ratings", "--clip", "1", "-o",
        str(out_file), "--force", "--workspace", str(ws),
    )  # fmt: skip
    assert code == 0, err
    assert out_file.read_text("utf-8").startswith("case,session,clip,coder,scheme,")
    code, _, err = run(
        capsys, "export", "--format", "csv", "--clip", "9", "-o", str(tmp_path / "x.csv"),
        "--workspace", str(ws),
    )  # fmt: skip
    assert code == 2 and err == "vfa: clip 9: no such clip\n"
    assert not (tmp_path / "x.csv").exists()


def test_export_json_restores_into_an_empty_workspace(capsys, ws, tmp_path):
    run(capsys, "import", str(coding_csv(tmp_path, *ROWS)), "--workspace", str(ws))
    first = tmp_path / "all.json"
    assert run(capsys, "export", "--format", "json", "--all", "-o", str(first), "--workspace",
               str(ws))[0] == 0  # fmt: skip
    empty = tmp_path / "empty.vfa"
    assert run(capsys, "workspace", "new", str(empty))[0] == 0
    code, out, err = run(
        capsys, "--json", "import", str(first), "--restore", "--workspace", str(empty)
    )
    assert code == 0, err
    assert json.loads(out)["events"] == 2
    again = tmp_path / "again.json"
    run(capsys, "export", "--format", "json", "-o", str(again), "--workspace", str(empty))
    assert again.read_bytes() == first.read_bytes()
    code, _, err = run(capsys, "import", str(first), "--restore", "--workspace", str(ws))
    assert code == 2 and "restored only into an empty workspace" in err
