"""One way to open a media file: every reader refuses the same file with the same words,
naming the file and the reason, and FFmpeg's errors never escape untranslated."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import av
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.requirements import as_user, hand_over, user_folder
from vfa.cli import main
from vfa.domain.frames import FrameTable
from vfa.errors import MediaError
from vfa.media import source
from vfa.media.export import export_clip
from vfa.media.filmstrip import build_filmstrip
from vfa.media.frames import FrameServer
from vfa.media.probe import probe
from vfa.media.source import check_readable, open_container, open_media, reading
from vfa.media.waveform import build_waveform

TABLE = FrameTable.from_pts([0, 40, 80], 120)


def _frame_server(path: Path) -> object:
    with FrameServer(path, TABLE) as server:
        return server.frame(0)


# every way VFA reads a video file, as a one-argument call
READERS: dict[str, Callable[[Path], object]] = {
    "probe": probe,
    "frame server": _frame_server,
    "filmstrip": lambda p: build_filmstrip(p, 0),
    "waveform": build_waveform,
    "export": lambda p: export_clip(p, TABLE, 0, 1, p.parent / "out.mp4"),
}


def _text(folder: Path) -> Path:
    path = folder / "notes.mp4"
    path.write_text("not a video at all\n" * 50)
    return path


def _cut(
    folder: Path, clip: Path, name: str, at: Callable[[dict[bytes, tuple[int, int]]], int]
) -> Path:
    """A copy of ``clip`` cut at ``at(boxes)``, boxes being the MP4's top-level (offset, size)."""
    data = clip.read_bytes()
    boxes, pos = {}, 0
    while pos < len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        boxes[data[pos + 4 : pos + 8]] = (pos, size)
        pos += size
    path = folder / name
    path.write_bytes(data[: at(boxes)])
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.mp4"
    os.mkfifo(path)
    return path


def _refusal(read: Callable[[Path], object], path: Path) -> str:
    with pytest.raises(MediaError) as err:
        read(path)
    return str(err.value)


@pytest.mark.parametrize("reader", list(READERS))
def test_a_missing_file_is_named_the_same_way_by_every_reader(tmp_path, reader):
    gone = tmp_path / "gone.mp4"
    assert _refusal(READERS[reader], gone) == f"{gone}: file not found"


@pytest.mark.parametrize("reader", list(READERS))
def test_a_file_that_is_no_media_is_named_with_the_reason(tmp_path, reader):
    notes = _text(tmp_path)
    kind = "media file" if reader == "waveform" else "video file"
    assert _refusal(READERS[reader], notes) == (
        f"{notes}: not a {kind} VFA can read (Invalid data found when processing input)"
    )


def test_a_file_cut_short_is_refused_by_every_reader_in_the_same_words(clips, tmp_path):
    # a copy that stopped half-way through the pictures: the index (moov) at the end is lost
    cut = _cut(tmp_path, clips["cfr25"], "copying.mp4", lambda b: sum(b[b"mdat"]) // 2)
    said = {reader: _refusal(read, cut) for reader, read in READERS.items()}
    assert said["probe"].startswith(f"{cut}: ")
    assert said == dict.fromkeys(READERS, said["probe"]) | {
        "waveform": said["probe"].replace("a video file", "a media file")
    }


@pytest.mark.parametrize("reader", list(READERS))
def test_a_file_cut_inside_its_index_is_said_to_end_too_early(clips, tmp_path, reader):
    moov = lambda b: b[b"moov"][0] + b[b"moov"][1] // 2  # noqa: E731
    cut = _cut(tmp_path, clips["noaudio"], "cut short.mp4", moov)
    assert _refusal(READERS[reader], cut) == (
        f"{cut}: the file ends too early (it is cut short, or still being copied)"
    )


@pytest.mark.parametrize("reader", list(READERS))
def test_an_empty_file_and_a_folder_are_refused_before_ffmpeg_sees_them(tmp_path, reader):
    empty = tmp_path / "empty.mp4"
    empty.touch()
    assert _refusal(READERS[reader], empty) == f"{empty}: the file is empty"
    folder = tmp_path / "clips.mp4"
    folder.mkdir()
    assert _refusal(READERS[reader], folder) == f"{folder}: is a folder, not a video file"


@pytest.mark.parametrize("reader", list(READERS))
def test_a_pipe_is_refused_without_blocking(tmp_path, reader):
    pipe = _fifo(tmp_path)
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(_refusal(READERS[reader], pipe)))
    worker.daemon = True  # a reader stuck on the pipe must not hold the test run
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # unblock the stuck open so the thread can end
        with open(pipe, "wb"):
            pass
    assert outcome == [f"{pipe}: is a pipe (FIFO), not a regular file"]


def test_an_unreadable_file_is_refused(clips):
    with user_folder() as folder:
        locked = folder / "locked.mp4"
        locked.write_bytes(clips["noaudio"].read_bytes())
        hand_over(folder)
        locked.chmod(0)

        def attempt() -> str:
            try:
                check_readable(locked)
            except MediaError as exc:
                return str(exc)
            return "read"

        assert as_user(folder, attempt) == f"{locked}: cannot be read (permission denied)"


class _Spy:
    """A container that records its closing."""

    def __init__(self, container: av.container.InputContainer, closed: list[bool]) -> None:
        self._container, self._closed = container, closed

    def __getattr__(self, name: str) -> object:
        return getattr(self._container, name)

    def close(self) -> None:
        self._closed.append(True)
        self._container.close()


def test_open_media_closes_the_file_when_the_block_fails(clips, monkeypatch):
    closed: list[bool] = []
    real_open = source.av.open
    monkeypatch.setattr(source.av, "open", lambda *a, **k: _Spy(real_open(*a, **k), closed))
    with pytest.raises(ZeroDivisionError), open_media(clips["noaudio"]):
        raise ZeroDivisionError  # not FFmpeg's: passes through unchanged
    assert closed == [True]


def test_an_ffmpeg_error_while_reading_names_the_file_and_what_was_done(clips):
    path = clips["noaudio"]
    with pytest.raises(MediaError) as err, reading(path, "the video is damaged or unsupported"):
        raise av.error.InvalidDataError(1094995529, "Invalid data found when processing input")
    assert str(err.value) == (
        f"{path}: the video is damaged or unsupported (Invalid data found when processing input)"
    )
    assert isinstance(err.value.__cause__, av.FFmpegError)


def test_open_container_gives_an_open_file_to_read(clips):
    with open_container(clips["noaudio"]) as container:
        assert container.streams.video


def test_a_frame_server_on_an_audio_only_file_says_it_has_no_video(tmp_path):
    import numpy as np

    sound = tmp_path / "sound.m4a"
    with av.open(str(sound), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=48000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate, frame.pts = 48000, 0
        for packet in [*stream.encode(frame), *stream.encode()]:
            out.mux(packet)
    server = FrameServer(sound, TABLE)
    for _ in range(2):  # and again: the file is not left half-open
        with pytest.raises(MediaError) as err:
            server.frame(0)
        assert str(err.value) == f"{sound}: contains no video stream"
    server.close()


@pytest.mark.parametrize("json_before", [True, False])
def test_the_command_line_names_the_file_and_reason_without_a_traceback(
    capsys, tmp_path, json_before
):
    notes = _text(tmp_path)
    argv = ["--json", "probe", str(notes)] if json_before else ["probe", str(notes), "--json"]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"vfa: {notes}: not a video file VFA can read (Invalid data found when processing input)\n"
    )
    assert main(["still", str(notes), "--frame", "0", "-o", str(tmp_path / "s.png")]) == 2
    _, err = capsys.readouterr()
    assert err.startswith(f"vfa: {notes}: not a video file VFA can read") and "Traceback" not in err
    assert not (tmp_path / "s.png").exists()


def test_a_frame_server_used_with_with_releases_the_file_and_its_cache(clips):
    result = probe(clips["noaudio"])
    with FrameServer(clips["noaudio"], result.frame_table) as server:
        server.frame(3)
        assert server.cached(3)
    assert not server.cached(3)
    assert server._container is None  # the file is closed
    with pytest.raises(RuntimeError), FrameServer(clips["noaudio"], result.frame_table) as other:
        other.frame(2)
        raise RuntimeError("the caller's own trouble")
    assert other._container is None and not other.cached(2)


@st.composite
def damaged(draw: st.DrawFn, clip: bytes) -> bytes:
    """A clip cut short, with bytes changed, or with a stretch overwritten."""
    kind = draw(st.sampled_from(["cut", "flip", "stretch"]))
    at = draw(st.integers(0, len(clip) - 1))
    if kind == "cut":
        return clip[:at]
    if kind == "flip":
        return clip[:at] + bytes([draw(st.integers(0, 255))]) + clip[at + 1 :]
    size = draw(st.integers(1, 512))
    return clip[:at] + draw(st.binary(min_size=size, max_size=size)) + clip[at + size :]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_damaged_file_is_read_or_refused_naming_it_never_another_error(clips, tmp_path, data):
    path = tmp_path / "damaged.mp4"
    path.write_bytes(data.draw(damaged(clips["noaudio"].read_bytes())))
    try:
        table = probe(path).frame_table
    except MediaError as exc:
        assert str(exc).startswith(f"{path}: ")
        table = TABLE
    last = len(table) - 1
    reads: dict[str, Callable[[], object]] = {
        "frames": lambda: _frames(path, table, (0, last)),
        "filmstrip": lambda: build_filmstrip(path, 0),
        "waveform": lambda: build_waveform(path),
        "export": lambda: export_clip(path, table, 0, min(1, last), tmp_path / "o.mp4", force=True),
    }
    for read in reads.values():
        try:
            read()
        except MediaError as exc:
            assert str(exc).startswith((f"{path}: ", f"{tmp_path / 'o.mp4'}: ")), exc


def _frames(path: Path, table: FrameTable, indices: tuple[int, ...]) -> None:
    with FrameServer(path, table) as server:
        for index in indices:
            server.frame(index)


def test_an_export_that_fails_in_ffmpeg_names_the_clip_the_frames_and_the_reason(
    clips, tmp_path, monkeypatch
):
    from vfa.media import export

    def broken(*_args: object) -> None:
        raise av.error.ExternalError(542398533, "Generic error in an external library")

    monkeypatch.setattr(export._ClipWriter, "_encode", broken)
    out = tmp_path / "moment.mp4"
    with pytest.raises(MediaError) as err:
        export_clip(clips["noaudio"], probe(clips["noaudio"]).frame_table, 2, 9, out)
    assert str(err.value) == (
        f"{out}: exporting frames 2-9 of {clips['noaudio']} failed "
        "(Generic error in an external library)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_video_stream_no_decoder_opens_is_refused_naming_the_file(tmp_path):
    """A damaged header can name a codec no decoder opens: PyAV then gives the stream no
    codec context, and every reader of the stream must refuse it by name."""
    from types import SimpleNamespace

    from vfa.media.source import first_video_stream

    path = tmp_path / "damaged.mp4"
    stream = SimpleNamespace(codec_context=None)
    container = SimpleNamespace(streams=SimpleNamespace(video=[stream]))
    with pytest.raises(MediaError) as refused:
        first_video_stream(path, container)
    assert str(refused.value).startswith(f"{path}: its video cannot be decoded")
