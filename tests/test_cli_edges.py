"""The blind rule where a coder meets it on the command line: ``vfa --as BEN ...`` while
Ben's own blind run is still ASSIGNED (never started) must show nothing of Ann's blind run
or of anyone else's coding of the clip; once both runs are submitted it shows them.
``--as`` and ``--workspace`` are given before the subcommand and after it."""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tests.services.test_edges_blind import add_clip_row
from vfa.cli import main
from vfa.services import assignments as asg
from vfa.services import coding, moments
from vfa.services.schemes import get_scheme
from vfa.storage.models import RunStatus
from vfa.storage.workspace import open_workspace


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def world(tmp_path: Path):
    """Ann has rated clip X blind and submitted; Ben's blind run is assigned only; Tess
    tagged a moment on X for feedback."""
    path = tmp_path / "blind.vfa"
    assert run("workspace", "new", str(path))[0] == 0
    ws = open_workspace(path)
    try:
        kips = get_scheme("kips")
        clip, session = add_clip_row(ws)
        ann, ben = asg.assign(ws, [clip], kips, ["Ann", "Ben"], by="Sue")
        coding.set_rating(ws, ann.id, kips, kips.ratings.items[0].id, 5)
        coding.set_note(ws, ann.id, kips.ratings.items[0].id, "ANN-NOTE")
        coding.submit_run(ws, ann.id, actor="Ann")
        tess = moments.add_moment(
            ws, clip, ["vig:waiting"], 1_000, 2_000, caption="TESS-ON-X", feedback=True,
            coder="Tess",
        )  # fmt: skip
        assert coding.run_info(ws, ben.id).status is RunStatus.ASSIGNED
    finally:
        ws.close()
    return path, clip, session, ann.id, ben.id, tess.id


def as_ben(path: Path, before: bool, *command: str) -> tuple[int, str, str]:
    """The command as Ben, with --as and --workspace before or after the subcommand."""
    common = ("--workspace", str(path), "--as", "Ben")
    return run(*common, *command) if before else run(*command, *common)


@pytest.mark.parametrize("before", [True, False])
def test_an_assigned_blind_coder_lists_no_moment_of_the_clip(world, before):
    path, clip, _session, *_ = world
    code, out, err = as_ben(path, before, "moment", "list", "--clip", str(clip), "--json")
    assert (code, json.loads(out), err) == (0, [], "")
    code, out, _ = as_ben(path, before, "moment", "list", "--clip", str(clip))
    assert (code, out.strip()) == (0, "no moments")


@pytest.mark.parametrize("before", [True, False])
def test_an_assigned_blind_coder_exports_none_of_the_other_coders_ratings(world, tmp_path, before):
    path, clip, *_ = world
    target = tmp_path / f"ratings-{before}.csv"
    code, out, err = as_ben(
        path, before, "export", "--format", "csv", "--what", "ratings", "--clip", str(clip),
        "-o", str(target),
    )  # fmt: skip
    assert code == 0 and "Traceback" not in err
    # Ann's blind run and, while Ben codes the clip blind, Tess's moments run of it
    assert out.endswith("(2 run(s) left out: blind)\n")
    assert "/ Ann / kips) is left out" in err and "/ Tess / vig) is left out" in err
    # Ben has rated nothing yet and Ann's run is left out: a header and no rows
    assert list(csv.DictReader(target.read_text(encoding="utf-8").splitlines())) == []


@pytest.mark.parametrize("before", [True, False])
def test_an_assigned_blind_coder_cannot_print_the_sessions_reel(world, tmp_path, before):
    path, _clip, session, *_ = world
    target = tmp_path / "script.pdf"
    code, out, err = as_ben(path, before, "reel", "script", "--session", str(session),
                            "-o", str(target))  # fmt: skip
    assert code == 2 and out == ""
    assert err.startswith(f"vfa: session {session}: ") and "Traceback" not in err
    assert "Ben" in err and "(pending: run" in err and "Ben, assigned" in err
    assert not target.exists()


def test_once_both_runs_are_submitted_the_coder_sees_the_clips_coding(world, tmp_path):
    path, clip, _session, _ann, ben, tess = world
    ws = open_workspace(path)
    try:
        kips = get_scheme("kips")
        coding.set_rating(ws, ben, kips, kips.ratings.items[0].id, 3)
        coding.submit_run(ws, ben, actor="Ben")
    finally:
        ws.close()
    code, out, _ = as_ben(path, True, "moment", "list", "--clip", str(clip), "--json")
    assert code == 0
    assert [(m["id"], m["caption"]) for m in json.loads(out)] == [(tess, "TESS-ON-X")]
    target = tmp_path / "ratings.csv"
    code, _, _ = as_ben(path, False, "export", "--format", "csv", "--what", "ratings",
                        "--clip", str(clip), "-o", str(target))  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    assert [(r["coder"], r["item"], r["value"], r["note"]) for r in rows] == [
        ("Ann", "sensitivity_of_responses", "5", "ANN-NOTE"),
        ("Ben", "sensitivity_of_responses", "3", ""),
    ]


@pytest.mark.parametrize("before", [True, False])
def test_a_moment_on_a_submitted_run_is_refused_on_the_command_line(tmp_path, before):
    path = tmp_path / "locked.vfa"
    assert run("workspace", "new", str(path))[0] == 0
    ws = open_workspace(path)
    try:
        clip, _ = add_clip_row(ws)
        first = moments.add_moment(ws, clip, ["vig:waiting"], 0, 1_000, coder="Tess")
        coding.submit_run(ws, first.run_id, actor="Tess")
    finally:
        ws.close()
    common = ("--workspace", str(path), "--as", "Tess")
    command = ("moment", "add", "--clip", str(clip), "--tag", "vig:waiting",
               "--start-ms", "2000", "--end-ms", "3000")  # fmt: skip
    code, out, err = run(*common, *command) if before else run(*command, *common)
    assert (code, out) == (2, "")
    assert err == (
        f"vfa: coding run {first.run_id} was submitted and is locked; reopen it (with a "
        "reason) to change it\n"
    )
    code, out, _ = run(*common, "moment", "list", "--clip", str(clip), "--json")
    assert [m["id"] for m in json.loads(out)] == [first.id]
