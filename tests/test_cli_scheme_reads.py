"""A command reads the scheme folders once, however many schemes, clips or moments it
looks up: the command line builds one scheme library per command and hands it to every
service it calls (the window hands its own, see tests/ui/test_scheme_library_window.py)."""

from __future__ import annotations

import shutil

import pytest

from tests.services.test_scheme_library import count_reads
from tests.test_cli_reel import add_clip, add_moment, run
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.services.schemes import get_scheme
from vfa.storage.workspace import open_workspace


@pytest.fixture
def visit(capsys, clips, tmp_path):
    """Two clips of one visit: KIPS rated and VIG events coded by Ann and Ben on both,
    reel moments tagged with two schemes, and a ratings file; the session's id."""
    ws_path = tmp_path / "reads.vfa"
    ids = []
    for name in ("a.mp4", "b.mp4"):
        clip = tmp_path / name
        shutil.copy(clips["cfr25"], clip)
        clip_id, session_id = add_clip(capsys, ws_path, clip, case="FAM-1")
        ids.append(clip_id)
    for clip_id in ids:
        code, _, err = run(
            capsys, "consent", "set", "--clip", str(clip_id), "--purposes", "feedback",
            "--workspace", str(ws_path),
        )  # fmt: skip
        assert code == 0, err
    add_moment(capsys, ws_path, ids[0], 1_000, 2_000, "--feedback")  # vig:waiting
    code, _, err = run(
        capsys, "moment", "add", "--clip", str(ids[1]), "--start-ms", "1000", "--end-ms",
        "2000", "--tag", "vipp_sd:positive_moment", "--feedback", "--workspace", str(ws_path),
    )  # fmt: skip
    assert code == 0, err
    kips, vig = get_scheme("kips"), get_scheme("vig")
    ws = open_workspace(ws_path)
    try:
        table = clip_service.clip_info(ws, ids[0]).frame_table
        for run_ in asg.assign(ws, ids, kips, ["Ann", "Ben"], blind=False):
            for n, item in enumerate(kips.ratings.items):
                coding.set_rating(ws, run_.id, kips, item.id, 1 + (n + run_.id) % 5)
            coding.submit_run(ws, run_.id)
        for run_ in asg.assign(ws, ids, vig, ["Ann", "Ben"], blind=False):
            events.code_event(ws, run_.id, vig, "waiting", None, 1_000 + 40 * run_.id, table)
            coding.submit_run(ws, run_.id)
    finally:
        ws.close()
    ratings = tmp_path / "ratings.csv"
    item = kips.ratings.items[0].id
    ratings.write_text(f"unit,coder,item,value\nu1,A,{item},3\nu1,B,{item},4\n")
    return ws_path, session_id, ratings, item


@pytest.mark.parametrize("json_first", [True, False])
def test_every_command_reads_the_scheme_folders_once(
    capsys, visit, tmp_path, monkeypatch, json_first
):
    ws_path, session, ratings, item = visit
    out = tmp_path / "out"
    out.mkdir()
    commands = {
        # a scheme with timed events pooled over two clips: a lookup per clip, before
        "reliability-report": (
            "reliability-report", "--scheme", "vig", "--as", "Sue", "-o", out / "vig.csv",
        ),
        # three schemes stored in the workspace: a read for each, before
        "check": ("check",),
        # moments of two schemes: a read for each, before
        "reel script": ("reel", "script", "--session", session, "-o", out / "script.pdf"),
        "reel show": ("reel", "show", "--session", session),
        "progress": ("progress", "--case", "FAM-1", "--scheme", "kips"),
        "certification": (
            "certification", "--scheme", "kips", "--coder", "Ben", "--reference", "Ann",
        ),
        "criterion set": (
            "criterion", "set", "--scheme", "kips", "--statistic", "pearson_r",
            "--threshold", "0.7", "--item", item,
        ),
        "reliability": ("reliability", ratings, "--scheme", "kips"),
        "assign": ("assign", "--scheme", "kips", "--coders", "Cy,Di", "--every", "1"),
    }  # fmt: skip
    reads = count_reads(monkeypatch)
    for name, argv in commands.items():
        where = () if name == "reliability" else ("--workspace", ws_path)
        words = [str(a) for a in (*argv, *where)]
        args = ["--json", *words] if json_first else [*words, "--json"]
        reads[0] = 0
        code, _data, err = run(capsys, *args)
        assert (code, err) == (0, ""), name
        assert reads[0] == 1, f"vfa {name} read the scheme folders {reads[0]} times"
    assert (out / "vig.csv").exists() and (out / "script.pdf").exists()
