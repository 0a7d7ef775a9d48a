"""The feedback session from the command line: moments, consent and the reel export,
checked frame by frame against the barcode clips."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import as_coded, source_indices, vfr_source_indices
from vfa.cli import main
from vfa.media.probe import probe
from vfa.media.synth import read_barcode
from vfa.storage.models import AuditEntry
from vfa.storage.workspace import open_workspace


def run(capsys, *args: str) -> tuple[int, dict | list | None, str]:
    code = main(list(args))
    out = capsys.readouterr()
    data = json.loads(out.out) if code == 0 and "--json" in args else None
    return code, data, out.err


def add_clip(capsys, ws: Path, file: Path, case: str = "FAM-9") -> tuple[int, int]:
    if not ws.exists():
        assert run(capsys, "workspace", "new", str(ws))[0] == 0
    code, data, err = run(
        capsys, "clip", "add", str(file), "--case", case, "--session", "Visit 1",
        "--workspace", str(ws), "--json",
    )  # fmt: skip
    assert code == 0, err
    return data["clip_id"], data["session_id"]


def add_moment(capsys, ws: Path, clip_id: int, start: int, end: int, *extra: str) -> dict:
    code, data, err = run(
        capsys, "moment", "add", "--clip", str(clip_id), "--start-ms", str(start),
        "--end-ms", str(end), "--tag", "vig:waiting", "--workspace", str(ws), "--json", *extra,
    )  # fmt: skip
    assert code == 0, err
    return data


def first_and_last(path: Path) -> tuple[np.ndarray, np.ndarray, int, tuple[int, int]]:
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return frames[0], frames[-1], len(frames), frames[0].shape[1::-1]


SHARED = {
    # clip: (a span inside it in ms, the barcode of each frame index)
    "cfr25_longgop.mp4": ((12_345, 15_210), None),  # starts between keyframes (every 10 s)
    "vfr_phone.mp4": ((4_100, 7_000), "vfr"),
    "portrait_rotated.mp4": ((1_000, 2_500), None),
}


@pytest.mark.shared_media
@pytest.mark.parametrize("name", list(SHARED))
def test_reel_export_is_frame_exact_on_shared_clips(capsys, shared_media, tmp_path, name):
    ws = tmp_path / "reel.vfa"
    (start, end), truth_kind = SHARED[name]
    clip = tmp_path / name
    shutil.copy(shared_media / name, clip)
    clip_id, session_id = add_clip(capsys, ws, clip)
    table = probe(clip).frame_table
    truth = vfr_source_indices() if truth_kind == "vfr" else list(range(table.frame_count))
    first_moment = add_moment(
        capsys, ws, clip_id, start, end, "--feedback", "--caption", "You waited",
        "--child-line", "I like it when you wait",
    )  # fmt: skip
    second = add_moment(capsys, ws, clip_id, 0, 800, "--feedback", "--key-ms", "600")
    assert run(capsys, "consent", "set", "--clip", str(clip_id), "--purposes",
               "feedback,supervision", "--by", "Tess", "--workspace", str(ws))[0] == 0  # fmt: skip
    # the reel plays the opening moment first
    order = f"{second['moment_id']},{first_moment['moment_id']}"
    assert run(capsys, "reel", "order", "--session", str(session_id), order,
               "--workspace", str(ws))[0] == 0  # fmt: skip
    out = tmp_path / "export"
    code, _, err = run(
        capsys, "reel", "export", "--session", str(session_id), "--purpose", "supervision",
        "-o", str(out), "--workspace", str(ws), "--json",
    )  # fmt: skip
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["01.mp4", "01.png", "02.mp4", "02.png", "handout.pdf", "reel.srt"]

    rotation = probe(clip).rotation
    for n, moment in ((1, second), (2, first_moment)):
        # the span as VFA stated it: the frame shown at start to the last before end
        assert moment["start_frame"] == table.index_at(start if moment is first_moment else 0)
        first, last, count, size = first_and_last(out / f"{n:02d}.mp4")
        # exported upright: the barcode is back on the top edge once the turn is undone
        assert read_barcode(as_coded(first, rotation)) == truth[moment["start_frame"]]
        assert read_barcode(as_coded(last, rotation)) == truth[moment["end_frame"]]
        assert count == moment["end_frame"] - moment["start_frame"] + 1
        still = np.asarray(Image.open(out / f"{n:02d}.png").convert("RGB"))
        assert read_barcode(as_coded(still, rotation)) == truth[moment["key_frame"]]
        if rotation:
            assert size[0] < size[1]  # exported upright: portrait
    assert second["key_frame"] == table.index_at(600)

    srt = (out / "reel.srt").read_text(encoding="utf-8")
    # one entry: the captioned moment, which starts when the uncaptioned first one ends
    first_ends = table.pts_of(second["end_frame"] + 1) - table.pts_of(second["start_frame"])
    assert srt.startswith(f"1\n00:00:00,{first_ends:03d} --> ") and "You waited" in srt
    pdf = PdfReader(out / "handout.pdf")
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "FAM-9" in text and "You waited" in text
    assert "waiting" not in text.lower().replace("you waited", "")  # no codes on it
    assert len(pdf.pages[0].images) == 2

    store = open_workspace(ws)
    with store.sessions() as db:
        detail = db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "export")).one()
    store.close()
    assert detail["purpose"] == "supervision"
    assert detail["moments"] == [second["moment_id"], first_moment["moment_id"]]


@pytest.fixture
def prepared(capsys, clips, tmp_path):
    ws = tmp_path / "refuse.vfa"
    clip = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], clip)
    clip_id, session_id = add_clip(capsys, ws, clip)
    add_moment(capsys, ws, clip_id, 1_000, 2_000, "--feedback", "--caption", "You waited")
    return ws, clip, clip_id, session_id


def export(capsys, ws: Path, session_id: int, out: Path, purpose: str = "feedback"):
    return run(
        capsys, "reel", "export", "--session", str(session_id), "--purpose", purpose,
        "-o", str(out), "--workspace", str(ws), "--json",
    )  # fmt: skip


def test_an_export_the_consent_does_not_cover_is_refused_with_the_reason(
    capsys, prepared, tmp_path
):
    ws, _clip, clip_id, session_id = prepared
    code, _, err = export(capsys, ws, session_id, tmp_path / "out")
    assert code == 2 and "no consent is recorded" in err
    run(capsys, "consent", "set", "--clip", str(clip_id), "--purposes", "feedback",
        "--workspace", str(ws))  # fmt: skip
    code, _, err = export(capsys, ws, session_id, tmp_path / "out", "training")
    assert code == 2 and "covers feedback, not training" in err
    assert not (tmp_path / "out").exists()
    assert export(capsys, ws, session_id, tmp_path / "out")[0] == 0


def test_a_missing_clip_or_an_unwritable_folder_writes_nothing(capsys, prepared, tmp_path):
    ws, clip, clip_id, session_id = prepared
    run(capsys, "consent", "set", "--clip", str(clip_id), "--purposes", "feedback",
        "--workspace", str(ws))  # fmt: skip
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = export(capsys, ws, session_id, blocker / "out")
    assert code == 2 and str(blocker) in err
    # an unwritable folder: tests/test_outputs.py, as an ordinary user also under root
    clip.rename(tmp_path / "moved.mp4")
    code, _, err = export(capsys, ws, session_id, tmp_path / "out")
    assert code == 2 and "reel moment 01" in err and "missing" in err
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".vfa-export")] == []


def test_a_cancelled_export_leaves_no_folder(prepared, tmp_path):
    from vfa.services.consent import set_consent
    from vfa.services.reel_export import export_reel

    ws_path, _clip, clip_id, session_id = prepared
    ws = open_workspace(ws_path)
    set_consent(ws, clip_id, ["feedback"])
    from vfa.media.cache import Cancelled

    with pytest.raises(Cancelled):
        export_reel(ws, session_id, "feedback", tmp_path / "out", cancelled=lambda: True)
    ws.close()
    assert not (tmp_path / "out").exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".vfa-export")] == []


def test_moment_add_refuses_a_span_past_the_end_and_reports_frames(capsys, prepared):
    ws, _clip, clip_id, _session = prepared
    code, _, err = run(
        capsys, "moment", "add", "--clip", str(clip_id), "--start-ms", "5000", "--end-ms",
        "9000", "--tag", "vig:waiting", "--workspace", str(ws), "--json",
    )  # fmt: skip
    assert code == 2 and "past the clip's end" in err
    code, data, _ = run(capsys, "moment", "list", "--clip", str(clip_id),
                        "--workspace", str(ws), "--json")  # fmt: skip
    assert code == 0 and len(data) == 1  # only the moment made before
    kept = source_indices("cfr25")
    assert kept[data[0]["start_frame"]] == 1_000 // 40


def test_reel_show_lists_the_reel_in_order_with_guidance(capsys, prepared):
    ws, _clip, clip_id, session_id = prepared
    for start in (2_000, 3_000, 4_000):
        add_moment(capsys, ws, clip_id, start, start + 500, "--feedback")
    code, data, _ = run(capsys, "reel", "show", "--session", str(session_id),
                        "--workspace", str(ws), "--json")  # fmt: skip
    assert code == 0
    assert [m["start_ms"] for m in data["moments"]] == [1_000, 2_000, 3_000, 4_000]
    assert data["moments"][0]["span_ms"] == 1_000  # 25 frames of 40 ms
    assert any("up to 3" in note for note in data["guidance"])
    assert main(["reel", "show", "--session", str(session_id), "--workspace", str(ws)]) == 0
    assert "01  moment" in capsys.readouterr().out
