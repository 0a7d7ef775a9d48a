"""A moment's texts on their way out: captions become plain subtitles (no injected cues,
no markup) in reel.srt and the clip's text track, texts too long for a subtitle are
refused where they enter, and a handout that cannot hold the reel is refused before
anything is encoded."""

from __future__ import annotations

import shutil

import av
import pytest

from tests.test_cli_reel import add_clip, add_moment, run
from tests.unit.test_caption_text import lenient_cue_starts, parse_srt
from vfa.errors import InvalidInputError
from vfa.services import moments, reel_export
from vfa.services.consent import set_consent
from vfa.storage.workspace import open_workspace

INJECTION = "You waited\n\n2\n00:00:00,000 --> 00:09:00,000\n<font color=red>{\\an8}Look</font>"


@pytest.fixture
def reel(capsys, clips, tmp_path):
    ws = tmp_path / "ws.vfa"
    clip = tmp_path / "clip.mp4"
    shutil.copy(clips["cfr25"], clip)
    clip_id, session_id = add_clip(capsys, ws, clip)
    run(capsys, "consent", "set", "--clip", str(clip_id), "--purposes", "feedback",
        "--workspace", str(ws))  # fmt: skip
    return ws, clip_id, session_id


def test_a_caption_cannot_add_a_cue_or_markup_to_the_reel(capsys, reel, tmp_path):
    ws, clip_id, session_id = reel
    add_moment(capsys, ws, clip_id, 1_000, 1_400, "--feedback", "--caption", INJECTION)
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "reel", "export", "--session", str(session_id), "--purpose", "feedback",
        "-o", str(out), "--workspace", str(ws), "--no-handout",
    )  # fmt: skip
    assert code == 0, err
    text = (out / "reel.srt").read_text(encoding="utf-8")
    cues = parse_srt(text)
    assert len(cues) == 1 == lenient_cue_starts(text)
    assert cues[0][2] == ["You waited 2", "00:00:00,000 \u2192 00:09:00,000", "Look"]
    with av.open(str(out / "01.mp4")) as container:
        stream = container.streams.subtitles[0]
        payload = b"".join(bytes(p) for p in container.demux(stream) if p.size)
    assert b"Look" in payload
    assert b"<font" not in payload and b"{" not in payload and b"-->" not in payload


@pytest.mark.parametrize(
    ("option", "field", "limit"),
    [("--caption", "caption", 500), ("--child-line", "child line", 500),
     ("--comment", "comment", 2000)],
)  # fmt: skip
def test_a_text_too_long_is_refused_naming_the_field(capsys, reel, option, field, limit):
    ws, clip_id, _ = reel
    code, _, err = run(
        capsys, "moment", "add", "--clip", str(clip_id), "--start-ms", "1000", "--end-ms",
        "2000", "--tag", "vig:waiting", option, "x" * 70_000, "--workspace", str(ws),
    )  # fmt: skip
    assert code == 2 and err.startswith("vfa: moment: ") and "Traceback" not in err
    assert f"the {field} is 70,000 characters long; at most {limit:,}" in err
    code, _, err = run(capsys, "moment", "list", "--clip", str(clip_id), "--workspace", str(ws))
    assert code == 0
    add_moment(capsys, ws, clip_id, 1_000, 2_000, option, "y" * limit)  # the limit itself fits


def test_edits_and_the_theme_are_held_to_the_same_limits(capsys, reel):
    ws_path, clip_id, session_id = reel
    made = add_moment(capsys, ws_path, clip_id, 1_000, 2_000, "--caption", "You waited")
    ws = open_workspace(ws_path)
    try:
        with pytest.raises(InvalidInputError, match=r"moment \d+: the caption is 501 char"):
            moments.edit_moment(ws, made["moment_id"], caption="z" * 501)
        with pytest.raises(InvalidInputError, match="the comment is 2,001 characters"):
            moments.edit_moment(ws, made["moment_id"], comment="z" * 2001)
        assert moments.get_moment(ws, made["moment_id"]).caption == "You waited"
        with pytest.raises(InvalidInputError, match=f"session {session_id}: the theme"):
            moments.set_theme(ws, session_id, "t" * 201)
        assert moments.session_theme(ws, session_id) is None
    finally:
        ws.close()


def test_seven_stills_are_refused_for_a_handout_before_any_encoding(
    capsys, reel, tmp_path, monkeypatch
):
    ws_path, clip_id, session_id = reel
    for n in range(7):
        add_moment(capsys, ws_path, clip_id, 200 * n, 200 * n + 120, "--feedback")

    def encode(*args, **kwargs):
        raise AssertionError("encoding began")

    monkeypatch.setattr(reel_export, "export_clip", encode)
    monkeypatch.setattr(reel_export, "write_still", encode)
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "reel", "export", "--session", str(session_id), "--purpose", "feedback",
        "-o", str(out), "--workspace", str(ws_path),
    )  # fmt: skip
    assert code == 2 and "a handout holds at most 6 stills and the reel has 7" in err
    assert "--no-handout" in err and not out.exists()
    ws = open_workspace(ws_path)
    set_consent(ws, clip_id, ["feedback"])
    with pytest.raises(AssertionError, match="encoding began"):  # without a handout it goes on
        reel_export.export_reel(ws, session_id, "feedback", out, handout=False)
    ws.close()
