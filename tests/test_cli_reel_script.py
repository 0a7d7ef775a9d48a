"""The practitioner's feedback script from the command line (`vfa reel script`): titled by
the visit's own approach, its moments in the reel's order, their times exact enough to
find each moment again (tenths of a second and frames)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.test_cli_reel import add_clip, run
from vfa.services.schemes import get_scheme
from vfa.services.workspaces import open_workspace
from vfa.storage.models import AuditEntry


def add_moment(capsys, ws: Path, clip_id: int, start: int, end: int, tag: str, caption: str):
    code, data, err = run(
        capsys, "moment", "add", "--clip", str(clip_id), "--start-ms", str(start),
        "--end-ms", str(end), "--tag", tag, "--caption", caption, "--feedback",
        "--workspace", str(ws), "--json",
    )  # fmt: skip
    assert code == 0, err
    return data


def consent(capsys, ws: Path, clip_id: int) -> None:
    code, _data, err = run(
        capsys, "consent", "set", "--clip", str(clip_id), "--purposes", "feedback",
        "--workspace", str(ws),
    )  # fmt: skip
    assert code == 0, err


def script_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def visit(capsys, clips, tmp_path):
    """A VIG visit: three reel moments of a 25 fps clip, tagged in time order."""
    ws = tmp_path / "script.vfa"
    clip = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], clip)
    clip_id, session_id = add_clip(capsys, ws, clip)
    consent(capsys, ws, clip_id)
    made = [
        add_moment(capsys, ws, clip_id, 1_000, 2_240, "vig:waiting", "First you waited"),
        add_moment(capsys, ws, clip_id, 2_520, 3_360, "vig:waiting", "Then she looked up"),
        add_moment(capsys, ws, clip_id, 4_040, 5_480, "vig:waiting", "And you smiled back"),
    ]
    return ws, session_id, [m["moment_id"] for m in made]


@pytest.mark.parametrize("where", ["after", "before"])
def test_the_script_follows_the_reel_order(capsys, visit, tmp_path, where):
    ws, session_id, ids = visit
    order = ",".join(str(i) for i in (ids[2], ids[0], ids[1]))
    code, _data, err = run(
        capsys, "reel", "order", "--session", str(session_id), order, "--workspace", str(ws)
    )
    assert code == 0, err
    out = tmp_path / "script.pdf"
    common = ["--session", str(session_id), "-o", str(out)]
    args = (
        ["reel", "script", *common, "--workspace", str(ws)]
        if where == "after"
        else ["--workspace", str(ws), "reel", "script", *common]
    )
    code, _data, err = run(capsys, *args)
    assert code == 0, err
    text = script_text(out)
    captions = ["And you smiled back", "First you waited", "Then she looked up"]
    assert [text.index(c) for c in captions] == sorted(text.index(c) for c in captions)
    numbers = [int(n) for n in re.findall(r"Moment (\d+)", text)]
    assert numbers == [1, 2, 3]
    assert text.index("Moment 1") < text.index("And you smiled back") < text.index("Moment 2")


def test_the_script_is_titled_by_the_visits_approach(capsys, visit, tmp_path):
    ws, session_id, _ids = visit
    out = tmp_path / "vig.pdf"
    code, _data, err = run(
        capsys, "reel", "script", "--session", str(session_id), "-o", str(out),
        "--workspace", str(ws),
    )  # fmt: skip
    assert code == 0, err
    first_lines = script_text(out).splitlines()[:2]
    title = " ".join(first_lines)
    assert get_scheme("vig").name in title and "feedback script" in title.lower()
    assert "VIPP" not in script_text(out)


def test_the_script_gives_tenths_of_a_second_and_frames(capsys, visit, tmp_path):
    ws, session_id, _ids = visit
    out = tmp_path / "times.pdf"
    code, _data, err = run(
        capsys, "reel", "script", "--session", str(session_id), "-o", str(out),
        "--workspace", str(ws),
    )  # fmt: skip
    assert code == 0, err
    text = script_text(out)
    # 2 520 ms to 3 360 ms at 25 fps: frames 63 to 83, the last one ending at 3.36 s;
    # whole seconds would have said 00:00:02–00:00:03
    assert "0:02.5\u20130:03.4" in text
    assert "frames 63\u201383" in text
    assert "0:01.0\u20130:02.2" in text and "frames 25\u201355" in text


def test_the_script_leaving_vfa_is_in_the_audit_trail(capsys, visit, tmp_path):
    ws, session_id, _ids = visit
    out = tmp_path / "script.pdf"
    code, _data, err = run(
        capsys, "--as", "Sue", "reel", "script", "--session", str(session_id), "-o", str(out),
        "--workspace", str(ws),
    )  # fmt: skip
    assert code == 0, err
    store = open_workspace(ws)
    try:
        with store.sessions() as db:
            entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
            seen = (entry.entity, entry.entity_id, entry.actor, entry.detail)
    finally:
        store.close()
    assert seen == (
        "session",
        session_id,
        "Sue",
        {"purpose": "feedback", "file": str(out), "kind": "feedback script"},
    )
