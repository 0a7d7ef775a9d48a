"""What goes to a family carries nothing private: the reel's clips, stills, captions and
handout, the feedback script and a still hold no absolute path, no name of the original
video and no name of a coder, therapist or login, in their bytes or their metadata, even
when the camera's file carries such things in its own tags (tests/leaks.py looks)."""

from __future__ import annotations

import json
from pathlib import Path

import av
import pytest
from fpdf import FPDF
from PIL import Image, PngImagePlugin

from tests.leaks import findings, metadata_chunks
from vfa.cli import main

FOLDER = "Hollis family visits"  # the workspace's folder
VIDEO = "Hollis_home_visit_0412.mp4"  # the camera's file
CODER = "Rowan Marsh"
THERAPIST = "Tess Okafor"
LOGIN = "zhollis7"
PLACE = "+51.5074-000.1278/"  # where a phone filmed it


def camera_clip(source: Path, out: Path, words: dict[str, str]) -> Path:
    """``source`` remuxed with tags naming private things, as a phone's video might."""
    with av.open(str(source)) as inp, av.open(str(out), "w", format="mp4") as output:
        output.metadata.update(words)
        streams = {}
        for stream in inp.streams:
            copy = output.add_stream_from_template(stream)
            copy.metadata["handler_name"] = words["title"]
            streams[stream] = copy
        for packet in inp.demux():
            if packet.dts is None:
                continue
            packet.stream = streams[packet.stream]
            output.mux(packet)
    return out


def run(capsys, *argv: object) -> dict:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out) if "--json" in argv else {}


@pytest.fixture
def family(capsys, tmp_path, clips, monkeypatch) -> tuple[Path, Path, int, int]:
    """A workspace in a folder named for the family, its clip under the camera's name with
    private tags, two moments for feedback (one by the login, one by a named coder) and
    the therapist's record of consent: (workspace, video, clip id, session id)."""
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, LOGIN)  # whom VFA takes the person at the keyboard for
    folder = tmp_path / FOLDER
    folder.mkdir()
    video = camera_clip(
        clips["cfr25"],
        folder / VIDEO,
        {"title": Path(VIDEO).stem, "artist": LOGIN, "comment": str(folder), "location": PLACE},
    )
    ws = folder / "clinic.vfa"
    w = ("--workspace", ws)
    run(capsys, "workspace", "new", ws)
    added = run(capsys, "clip", "add", video, "--case", "FAM-7", "--session", "Visit 2", *w,
                "--json")  # fmt: skip
    clip_id, session_id = added["clip_id"], added["session_id"]
    tag = ("--tag", "vig:waiting", "--feedback")
    run(capsys, "moment", "add", "--clip", clip_id, "--start-ms", 0, "--end-ms", 1200, *tag,
        "--caption", "You waited for her", *w)  # fmt: skip
    run(capsys, "--as", CODER, "moment", "add", "--clip", clip_id, "--start-ms", 2000,
        "--end-ms", 3000, *tag, "--child-line", "I like it when you wait", *w)  # fmt: skip
    run(capsys, "consent", "set", "--clip", clip_id, "--purposes", "feedback", "--by", THERAPIST,
        *w)  # fmt: skip
    return ws, video, clip_id, session_id


def private_words(ws: Path, video: Path) -> list[str]:
    return [str(ws.parent), str(ws.parent.parent), FOLDER, VIDEO, video.stem, CODER,
            THERAPIST, LOGIN, PLACE]  # fmt: skip


def test_the_feedback_exports_carry_nothing_private(capsys, family, tmp_path):
    ws, video, _, session_id = family
    # the camera's tags and the workspace name them (so the check below means something)
    assert {f"{VIDEO}: container tags: {w!r}" for w in (LOGIN, PLACE, str(ws.parent))} <= set(
        findings([video], [LOGIN, PLACE, str(ws.parent)])
    )
    moments = run(capsys, "moment", "list", "--session", session_id, "--workspace", ws, "--json")
    assert {m["coder"] for m in moments} == {LOGIN, CODER}
    out = tmp_path / "for the family"
    out.mkdir()
    w = ("--workspace", ws)
    run(capsys, "reel", "export", "--session", session_id, "--purpose", "feedback",
        "-o", out / "reel", *w)  # fmt: skip
    run(capsys, "reel", "export", "--session", session_id, "--purpose", "feedback",
        "--burn-captions", "--no-handout", "-o", out / "burned", *w)  # fmt: skip
    run(capsys, "reel", "script", "--session", session_id, "-o", out / "script.pdf", *w)
    for name in ("still.png", "still.jpg"):
        run(capsys, "still", video, "--frame", 30, "--purpose", "feedback", "-o", out / name, *w)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.suffix for p in files} == {".mp4", ".png", ".jpg", ".srt", ".pdf"}
    assert findings(files, private_words(ws, video)) == []
    # the stills carry no text or EXIF at all, and the words a family should read are there
    assert {p.name: metadata_chunks(p) for p in files if p.suffix in (".png", ".jpg")} == {
        p.name: [] for p in files if p.suffix in (".png", ".jpg")
    }
    seen = findings(files, ["You waited for her", "I like it when you wait"])
    assert {"reel.srt", "handout.pdf", "script.pdf", "01.mp4"} <= {s.split(":")[0] for s in seen}


# -- the look itself: each place a word can hide is searched --------------------------------


def test_the_search_finds_a_word_in_every_place_it_looks(tmp_path):
    word = "Hollis"
    png = tmp_path / "a.png"
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Author", f"by {word}", zip=True)
    Image.new("RGB", (8, 8)).save(png, pnginfo=info)
    jpeg = tmp_path / "a.jpg"
    exif = Image.Exif()
    exif[0x013B] = word  # Artist
    Image.new("RGB", (8, 8)).save(jpeg, exif=exif, comment=b"plain")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_author(word)
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="plain")
    pdf.output(str(tmp_path / "a.pdf"))
    mp4 = camera_clip_of(tmp_path, word)
    srt = tmp_path / "a.srt"
    srt.write_text(f"1\n00:00:00,000 --> 00:00:01,000\n{word.upper()}\n")
    found = findings([png, jpeg, tmp_path / "a.pdf", mp4, srt], [word])
    assert set(found) >= {
        f"a.png: iTXt chunk: {word!r}",
        f"a.jpg: APP1 segment: {word!r}",
        f"a.pdf: Info: {word!r}",
        f"a.mp4: container tags: {word!r}",
        f"a.mp4: stream 0 tags: {word!r}",
        f"a.srt: bytes: {word!r}",
    }
    assert metadata_chunks(png) == ["iTXt"] and metadata_chunks(jpeg) == ["APP1", "COM"]
    # text on a page is found though the page's stream is compressed
    page = FPDF()
    page.add_page()
    page.set_font("Helvetica", size=12)
    page.cell(text=f"for {word}")
    page.output(str(tmp_path / "b.pdf"))
    assert f"b.pdf: text of page 1: {word!r}" in findings([tmp_path / "b.pdf"], [word])
    assert "b.pdf: bytes: 'Hollis'" not in findings([tmp_path / "b.pdf"], [word])


def camera_clip_of(folder: Path, word: str) -> Path:
    """A tiny clip tagged with ``word``."""
    from vfa.media.synth import make_clip

    plain = make_clip(folder / "plain.mp4", seconds=1, rate=10, gop=10, audio=False,
                      width=64, height=48)  # fmt: skip
    return camera_clip(plain, folder / "a.mp4", {"title": word})
