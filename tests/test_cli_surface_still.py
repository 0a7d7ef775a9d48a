"""``vfa probe`` and ``vfa still`` as a user types them: the still is the exact frame asked
for (its barcode says which), at the clip's displayed size, PNG or JPEG by its name; every
refusal exits 2 with a ``vfa:`` message naming the file and writes nothing."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import CLIP_SPECS, as_coded, source_indices, vfr_source_indices
from tests.test_cli_surface import refused, run, workspace_with_clip
from vfa.media.synth import read_barcode

# the generated 25 fps clip: frame n starts at n * 40 ms
RATE = Fraction(CLIP_SPECS["cfr25"]["rate"])
FRAMES = round(CLIP_SPECS["cfr25"]["seconds"] * RATE)
FRAME_MS = Fraction(1000) / RATE
DURATION_MS = int(FRAMES * FRAME_MS)
SIZE = (640, 360)  # make_clip's default frame size


def pts_ms(n: int) -> int:
    return int(n * FRAME_MS)


def picture(path: Path) -> tuple[str, tuple[int, int], np.ndarray]:
    with Image.open(path) as image:
        return image.format, image.size, np.asarray(image.convert("RGB"))


def shown_index(path: Path, rotation: int = 0) -> int:
    return read_barcode(as_coded(picture(path)[2], rotation))


def test_probe_reports_the_clips_facts(capsys, clips):
    code, facts, err = run(capsys, "probe", clips["cfr25"], "--json")
    assert code == 0 and err == ""
    assert facts == {
        "duration_ms": DURATION_MS,
        "frame_count": FRAMES,
        "fps": float(RATE),
        "vfr": False,
        "width": SIZE[0],
        "height": SIZE[1],
        "rotation": 0,
        "has_audio": True,
        "codec": "h264",
    }
    code, out, _ = run(capsys, "--json", "probe", clips["rotated"])
    assert (out["width"], out["height"], out["rotation"]) == (SIZE[1], SIZE[0], 90)
    assert out["has_audio"] is True and out["frame_count"] == 2 * 30
    code, text, _ = run(capsys, "probe", clips["noaudio"])
    assert code == 0
    lines = dict(line.split(": ", 1) for line in text.splitlines())
    assert (lines["width"], lines["height"], lines["has_audio"]) == ("320", "180", "False")
    assert lines["frame_count"] == str(2 * 25) and lines["vfr"] == "False"


def test_probe_refuses_what_is_no_video(capsys, tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("not a video\n")
    assert "notes.mp4" in refused(capsys, "probe", text)
    assert "gone.mp4" in refused(capsys, "probe", tmp_path / "gone.mp4")


@pytest.mark.parametrize("frame", [0, 1, 77, FRAMES - 1])
@pytest.mark.parametrize("before", [False, True])
def test_still_is_the_named_frame_at_full_size(capsys, clips, tmp_path, frame, before):
    out = tmp_path / "still.png"
    argv = [clips["cfr25"], "--frame", frame, "-o", out]
    code, data, err = run(
        capsys, *(["--json", "still", *argv] if before else ["still", *argv, "--json"])
    )
    assert code == 0 and err == ""
    assert data == {"frame": frame, "pts_ms": pts_ms(frame), "path": str(out),
                    "clip_id": None, "purpose": None}  # fmt: skip
    kind, size, _ = picture(out)
    assert (kind, size) == ("PNG", SIZE)
    assert shown_index(out) == source_indices("cfr25")[frame]


@pytest.mark.parametrize(
    "at_ms, frame",
    [
        (0, 0),
        (pts_ms(50) - 1, 49),  # one ms before frame 50 starts: still frame 49
        (pts_ms(50), 50),  # frame 50 from its first ms
        (pts_ms(50) + 1, 50),
        (DURATION_MS - 1, FRAMES - 1),  # the last ms of the clip
    ],
)
def test_still_at_ms_is_the_frame_shown_at_that_time(capsys, clips, tmp_path, at_ms, frame):
    out = tmp_path / "at.png"
    code, text, err = run(capsys, "still", clips["cfr25"], "--at-ms", at_ms, "-o", out)
    assert code == 0 and err == ""
    assert text == f"frame {frame} ({pts_ms(frame)} ms) -> {out}\n"
    assert shown_index(out) == frame


@pytest.mark.parametrize("suffix", [".jpg", ".jpeg", ".JPG"])
def test_a_jpg_name_gives_a_jpeg(capsys, clips, tmp_path, suffix):
    out = tmp_path / f"still{suffix}"
    code, data, _ = run(capsys, "still", clips["cfr25"], "--frame", 33, "-o", out, "--json")
    assert code == 0 and data["path"] == str(out)
    kind, size, _ = picture(out)
    assert (kind, size) == ("JPEG", SIZE)
    assert shown_index(out) == 33


def test_a_rotated_clip_gives_a_portrait_still(capsys, clips, tmp_path):
    out = tmp_path / "portrait.png"
    code, data, _ = run(capsys, "still", clips["rotated"], "--frame", 12, "-o", out, "--json")
    assert code == 0 and data["frame"] == 12
    assert picture(out)[1] == (SIZE[1], SIZE[0])
    assert shown_index(out, rotation=90) == 12


@pytest.mark.shared_media
@pytest.mark.parametrize(
    "name, frame",
    [("cfr25_longgop.mp4", 260), ("vfr_phone.mp4", 300), ("portrait_rotated.mp4", 450)],
)
def test_a_still_of_a_shared_clip(capsys, shared_media, manifest, tmp_path, name, frame):
    facts = manifest[name]
    rotation = facts.get("display_rotation", 0)
    out = tmp_path / "shared.png"
    code, data, err = run(capsys, "still", shared_media / name, "--frame", frame, "-o", out,
                          "--json")  # fmt: skip
    assert code == 0, err
    assert data["pts_ms"] == int(Fraction(str(facts["pts_seconds"][frame])) * 1000)
    size = (facts["width"], facts["height"])
    assert picture(out)[1] == (size[::-1] if rotation in (90, 270) else size)
    source = vfr_source_indices() if name == "vfr_phone.mp4" else range(facts["frames"])
    assert shown_index(out, rotation) == source[frame]


def test_an_existing_still_is_replaced_only_with_force(capsys, clips, tmp_path):
    out = tmp_path / "s.png"
    assert run(capsys, "still", clips["cfr25"], "--frame", 3, "-o", out)[0] == 0
    first = out.read_bytes()
    why = refused(capsys, "still", clips["cfr25"], "--frame", 4, "-o", out)
    assert str(out) in why and "--force" in why and out.read_bytes() == first
    code, _, _ = run(capsys, "still", clips["cfr25"], "--frame", 4, "-o", out, "--force")
    assert code == 0 and shown_index(out) == 4


@pytest.mark.parametrize(
    "argv, named",
    [
        (["--frame", FRAMES], [f"frame {FRAMES}", f"0 to {FRAMES - 1}"]),
        (["--at-ms", DURATION_MS], [f"{DURATION_MS} ms", f"0 to {DURATION_MS - 1} ms"]),
    ],
    ids=["frame-past-the-end", "time-past-the-end"],
)
def test_a_frame_or_time_past_the_end_is_refused_naming_the_file(
    capsys, clips, tmp_path, argv, named
):
    out = tmp_path / "s.png"
    why = refused(capsys, "still", clips["cfr25"], *argv, "-o", out)
    assert str(clips["cfr25"]) in why and all(n in why for n in named), why
    assert not out.exists()


@pytest.mark.parametrize(
    "make, output, named",
    [
        ("missing", "s.png", "gone.mp4"),
        ("text", "s.png", "notes.mp4"),
        ("clip", "s.gif", "s.gif"),
        ("clip", "s", "s"),
    ],
)
def test_a_still_that_cannot_be_made_is_refused_and_writes_nothing(
    capsys, clips, tmp_path, make, output, named
):
    source = {
        "missing": tmp_path / "gone.mp4",
        "text": tmp_path / "notes.mp4",
        "clip": clips["cfr25"],
    }[make]
    if make == "text":
        source.write_text("not a video\n")
    before = set(tmp_path.iterdir())
    why = refused(capsys, "still", source, "--frame", 0, "-o", tmp_path / output)
    assert named in why
    assert set(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    "argv, option",
    [
        (["--frame", "-1"], "--frame"),
        (["--frame", "two"], "--frame"),
        (["--at-ms", "-5"], "--at-ms"),
        (["--frame", "1", "--at-ms", "40"], "--at-ms"),
        ([], "--at-ms"),
        (["--frame", "1", "--purpose", "selfie"], "--purpose"),
    ],
)
def test_options_that_cannot_be_right_exit_2_naming_the_option(
    capsys, clips, tmp_path, argv, option
):
    out = tmp_path / "s.png"
    code, stdout, err = run(capsys, "still", clips["cfr25"], *argv, "-o", out)
    assert code == 2 and stdout == ""
    assert "vfa still: error: " in err and option in err
    assert not out.exists()


@pytest.fixture
def clip_of_the_default_workspace(capsys, isolated_user, clips, tmp_path):
    """The user's own workspace (the default) with the 25 fps clip in it."""
    own = isolated_user / "data" / "workspace.vfa"
    code, _, err = run(capsys, "workspace", "new")
    assert code == 0 and own.exists(), err
    clip_id, _, clip = workspace_with_clip(capsys, own, clips["cfr25"], tmp_path)
    return own, clip_id, clip


def test_a_still_of_a_clip_of_the_users_workspace_needs_a_purpose_the_consent_covers(
    capsys, clip_of_the_default_workspace, tmp_path
):
    _own, clip_id, clip = clip_of_the_default_workspace
    out = tmp_path / "s.png"
    why = refused(capsys, "still", clip, "--frame", 5, "-o", out)  # no --workspace: yours
    assert f"clip {clip_id}" in why and str(clip) in why and "--purpose" in why
    why = refused(capsys, "still", clip, "--frame", 5, "-o", out, "--purpose", "research")
    assert f"clip {clip_id}" in why and "no consent" in why
    assert not out.exists()
    run(capsys, "consent", "set", "--clip", clip_id, "--purposes", "notes,research")
    code, data, err = run(capsys, "--json", "still", clip, "--frame", 5, "-o", out,
                          "--purpose", "research")  # fmt: skip
    assert code == 0, err
    assert data == {"frame": 5, "pts_ms": pts_ms(5), "path": str(out),
                    "clip_id": clip_id, "purpose": "research"}  # fmt: skip
    assert shown_index(out) == 5


@pytest.mark.parametrize("before", [False, True])
def test_a_named_workspace_decides_for_its_own_clips_only(capsys, clips, tmp_path, before):
    ws = tmp_path / "team.vfa"
    clip_id, _, clip = workspace_with_clip(capsys, ws, clips["cfr25"], tmp_path)
    where = ["--workspace", str(ws)]
    out = tmp_path / "s.jpg"

    def still(file: Path, *extra: str):
        argv = ["still", file, "--at-ms", pts_ms(7), "-o", out, *extra, "--json"]
        return run(capsys, *(where + argv if before else argv + where))

    code, _, err = still(clip)
    assert code == 2 and f"clip {clip_id}" in err and not out.exists()
    # any other file is the user's own: no purpose needed, none recorded
    code, data, _ = still(clips["ntsc"])
    assert code == 0 and (data["clip_id"], data["purpose"]) == (None, None)
    # at 29.97 fps frame n starts at n * 1001 / 30 ms: the last one started by 280 ms
    assert data["frame"] == pts_ms(7) * 30000 // (1000 * 1001)
    out.unlink()
    run(capsys, "consent", "set", "--clip", clip_id, "--purposes", "supervision", *where)
    code, data, _ = still(clip, "--purpose", "supervision")
    assert code == 0
    assert (data["frame"], data["clip_id"], data["purpose"]) == (7, clip_id, "supervision")


def test_a_still_without_a_workspace_creates_none(capsys, clips, tmp_path, isolated_user):
    out = tmp_path / "s.png"
    assert run(capsys, "still", clips["noaudio"], "--frame", 2, "-o", out)[0] == 0
    assert picture(out)[1] == (320, 180) and shown_index(out) == 2
    assert not (isolated_user / "data").exists()
