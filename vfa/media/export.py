"""Frame-exact clip export: source frames ``first``..``last`` as an upright MP4.

Stream copy cannot start between keyframes (it starts at the keyframe before and hides
the extra frames behind an edit list that not every player honours), so a clip is
re-encoded: H.264 (libx264, yuv420p) and, when the source has sound, AAC. The decoder
seeks to the keyframe at or before ``first`` and reads forward; each decoded frame is
matched to the frame table by its pts in ms, computed the way the frame server does, so
the clip starts and ends on exactly the frames the user chose, on variable frame rate
too. The source timing is kept (output pts = source pts - pts of ``first``, in the
source's own time base), so a variable-rate clip stays variable-rate and its sound stays
in sync. The display rotation is applied to the pixels: the clip is upright and carries
no display matrix.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.subtitles.codeccontext import SubtitleCodecContext
from av.subtitles.subtitle import SubtitleSet
from av.video.frame import PictureType

from vfa.domain.frames import FrameTable
from vfa.domain.subtitles import ass_text, caption_text, srt
from vfa.errors import InvalidInputError, MediaError
from vfa.media.cache import Cancelled, Progress
from vfa.media.caption_layout import caption_band
from vfa.media.clip_audio import AudioSpan
from vfa.media.frames import rotate_for_display
from vfa.media.source import check_readable, first_video_stream, open_container, reading
from vfa.outputs import check_target, staged, write_text

# x264 speed against size: "veryfast" keeps a 10 s 720p moment near 2 s on two cores
PRESET = "veryfast"
# visually clean for a family's keepsake at a modest size (18 would be near-lossless)
CRF = 20
CLIP_SUFFIXES = (".mp4", ".m4v")
SUBTITLE_TIME_BASE = Fraction(1, 1000)
# a minimal ASS header: FFmpeg's mov_text encoder reads its default style from it
_ASS_HEADER = (
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n"
    "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
    "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, "
    "Encoding\nStyle: Default,Sans,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,"
    "2,10,10,10,0\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, "
    "MarginV, Effect, Text\n"
)


def soft_subtitles_supported() -> bool:
    """Whether this PyAV can write a caption as an MP4 subtitle track (``mov_text``)."""
    return "mov_text" in av.codecs_available and hasattr(SubtitleCodecContext, "encode_subtitle")


def export_clip(
    src: str | os.PathLike[str],
    table: FrameTable,
    first: int,
    last: int,
    out: str | os.PathLike[str],
    *,
    rotation: int = 0,
    caption: str | None = None,
    burn_caption: bool = False,
    soft_caption: bool = False,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    force: bool = False,
) -> Path:
    """Write source frames ``first``..``last`` (inclusive, 0-based indices into ``table``)
    of ``src`` as an MP4 at ``out``; return ``out``.

    The first decoded frame of the result is source frame ``first`` and the last is
    ``last``. ``rotation`` is the clip's display rotation (degrees counter-clockwise, as
    :func:`vfa.media.probe.probe` reports it); the pixels are turned upright. H.264 in
    yuv420p needs an even width and height: an odd one loses its last column or row
    (every remaining pixel is a source pixel; nothing is scaled). The sound is cut to
    exactly the span ``[pts(first), pts(last) + duration of last)``, padded with silence
    where the source has none.

    ``caption`` with ``burn_caption`` is drawn in large white type on a dark translucent
    band at the bottom of every frame. With ``soft_caption`` it becomes a subtitle track
    (``mov_text``) shown for the whole clip; where this PyAV cannot write one
    (:func:`soft_subtitles_supported`), the caption goes to a sidecar SRT file
    ``out.with_suffix(".srt")`` instead. An empty caption adds nothing.

    The caption is normalised as for subtitles (:func:`vfa.domain.subtitles.caption_text`:
    no blank lines, cue timings or markup). The file is written through
    :mod:`vfa.outputs`, so ``out`` is either the finished clip or untouched, never a link
    or a device, and an existing file is replaced only with ``force``. ``progress`` gets fractions
    0..1; when ``cancelled`` returns True the partial file is removed and
    :class:`vfa.media.cache.Cancelled` is raised. Raises :class:`InvalidInputError` for
    frames outside the table or ``first > last`` and :class:`MediaError` when the
    source cannot be read or the clip cannot be written.
    """
    source = check_readable(src)
    _check_span(source, table, first, last)
    target = check_target(out, force=force, suffixes=CLIP_SUFFIXES)
    text = caption_text(caption or "")
    soft_track = soft_caption and bool(text) and soft_subtitles_supported()
    sidecar = target.with_suffix(".srt") if soft_caption and text and not soft_track else None
    if sidecar is not None:
        check_target(sidecar, force=force, suffixes=(".srt",))
    writer = _ClipWriter(
        source,
        target,
        table,
        first,
        last,
        rotation % 360,
        text if burn_caption else "",
        text if soft_track else "",
        cancelled or (lambda: False),
    )
    with staged(target, force=force, suffixes=CLIP_SUFFIXES) as tmp:
        try:
            with reading(target, f"exporting frames {first}-{last} of {source} failed"):
                writer.write(tmp, Progress(progress, last - first + 1))
        except OSError as exc:
            raise MediaError(
                f"{target}: the clip could not be written ({exc.strerror or exc})"
            ) from exc
        if sidecar is not None:
            write_text(sidecar, srt([(0, writer.duration_ms, text)]), force=force)
    if progress is not None:
        progress(1.0)
    return target


def _check_span(source: Path, table: FrameTable, first: int, last: int) -> None:
    count = table.frame_count
    if not (0 <= first < count and 0 <= last < count):
        raise InvalidInputError(
            f"{source}: frames {first} to {last} are outside the clip (frames 0 to {count - 1})"
        )
    if first > last:
        raise InvalidInputError(
            f"{source}: the span starts at frame {first}, after its last frame {last}"
        )


class _ClipWriter:
    """One export: decode the span, turn, caption, encode, mux with its sound."""

    def __init__(
        self,
        source: Path,
        target: Path,
        table: FrameTable,
        first: int,
        last: int,
        rotation: int,
        burn_text: str,
        soft_text: str,
        cancelled: Callable[[], bool],
    ) -> None:
        self.source = source
        self.target = target
        self.table = table
        self.first = first
        self.last = last
        self.rotation = rotation
        self.burn_text = burn_text
        self.soft_text = soft_text
        self.cancelled = cancelled
        first_ms = table.pts_of(first)
        end_ms = table.pts_of(last + 1) if last + 1 < table.frame_count else table.duration_ms
        # the clip's length from the table; the written file is timed from decoded pts
        self.duration_ms = max(1, end_ms - first_ms)
        self.size = (0, 0)  # displayed (width, height), set when the video stream is made

    def write(self, tmp: Path, progress: Progress) -> None:
        """Write the whole clip to ``tmp``: video first, then sound, then the caption track."""
        with open_container(self.source) as inp:
            vin = first_video_stream(self.source, inp)
            vin.thread_type = "AUTO"
            with av.open(
                str(tmp), "w", format="mp4", container_options={"movflags": "+faststart"}
            ) as output:
                vout = self._video_stream(vin, output)
                audio = AudioSpan(self.source, output) if inp.streams.audio else None
                try:
                    sub_stream = self._subtitle_stream(output) if self.soft_text else None
                    output.start_encoding()
                    if sub_stream is not None:
                        self._mux_caption(output, sub_stream)
                    self._encode(inp, vin, output, vout, audio, progress)
                finally:
                    if audio is not None:
                        audio.close()

    def _video_stream(
        self, vin: av.VideoStream, output: av.container.OutputContainer
    ) -> av.VideoStream:
        """H.264 at the displayed size made even, in the source's time base."""
        cc = vin.codec_context
        width, height = cc.width, cc.height
        if self.rotation in (90, 270):
            width, height = height, width
        self.size = (width, height)
        rate = vin.average_rate or vin.guessed_rate or Fraction(25)
        tb = vin.time_base or Fraction(1, 1000)
        vout = output.add_stream("libx264", rate=rate)
        vout.width, vout.height = width - width % 2, height - height % 2
        vout.pix_fmt = "yuv420p"
        vout.time_base = tb
        vout.codec_context.time_base = tb
        vout.options = {"preset": PRESET, "crf": str(CRF)}
        return vout

    def _subtitle_stream(self, output: av.container.OutputContainer) -> av.stream.Stream:
        stream = output.add_stream("mov_text")
        stream.time_base = SUBTITLE_TIME_BASE
        assert isinstance(stream.codec_context, SubtitleCodecContext)
        stream.codec_context.subtitle_header = _ASS_HEADER.encode()
        return stream

    def _encode(
        self,
        inp: av.container.InputContainer,
        vin: av.VideoStream,
        output: av.container.OutputContainer,
        vout: av.VideoStream,
        audio: AudioSpan | None,
        progress: Progress,
    ) -> None:
        tb = vin.time_base or Fraction(1, 1000)
        start = vin.start_time if vin.start_time is not None else 0
        even_w, even_h = vout.width, vout.height
        band = _CaptionBand(self.burn_text, even_w, even_h) if self.burn_text else None
        plain = not self.rotation and band is None and (even_w, even_h) == self.size
        # each packet carries its frame's display duration: the MP4 muxer ends the track's
        # edit list at the latest pts + duration, which is then the span's true end
        durations: dict[int, int] = {}

        def mux_video(packets: list[av.Packet]) -> None:
            for packet in packets:
                if packet.pts is not None and packet.pts in durations:
                    packet.duration = durations[packet.pts]
                if audio is not None and packet.dts is not None:
                    audio.pump(max(0, round(packet.dts * tb * audio.rate)))
                output.mux(packet)

        def encode(frame: av.VideoFrame, pts: int, duration: int) -> None:
            picture = frame if plain else self._picture(frame, band, even_w, even_h)
            picture.pts = pts
            picture.time_base = tb
            picture.duration = duration
            # libx264 obeys a frame's picture type: let it choose rather than copy the source's
            picture.pict_type = PictureType.NONE
            durations[pts] = duration
            mux_video(vout.encode(picture))

        first_pts: int | None = None
        held: av.VideoFrame | None = None  # a frame waits for the next to know its duration
        count = self.last - self.first + 1
        kept = 0
        end_pts: int | None = None
        for frame, ms in self._span_frames(inp, vin, tb, start):
            if self.cancelled():
                raise Cancelled(f"{self.target}: the export was cancelled")
            assert frame.pts is not None
            if kept == count:
                end_pts = frame.pts
                break
            expected = self.table.pts_of(self.first + kept)
            if ms != expected:
                raise MediaError(
                    f"{self.source}: frame {self.first + kept} (pts {expected} ms) "
                    f"could not be decoded (got {ms} ms)"
                )
            if first_pts is None:
                first_pts = frame.pts
                if audio is not None:
                    audio.start(first_pts * tb)
            if held is not None:
                assert held.pts is not None
                encode(held, held.pts - first_pts, frame.pts - held.pts)
            held = frame
            kept += 1
            progress.update(kept)
        if held is None or first_pts is None or kept < count:
            raise MediaError(
                f"{self.source}: frames {self.first + kept} to {self.last} could not be decoded"
            )
        assert held.pts is not None
        if end_pts is None:
            end_pts = held.pts + self._last_duration(held, tb)
        encode(held, held.pts - first_pts, end_pts - held.pts)
        mux_video(vout.encode(None))
        if audio is not None:
            audio.finish(round((end_pts - first_pts) * tb * audio.rate))

    def _last_duration(self, frame: av.VideoFrame, tb: Fraction) -> int:
        """Ticks the final frame of the file lasts: its own duration, else the table's."""
        if frame.duration:
            return int(frame.duration)
        ms = self.table.duration_ms - self.table.pts_of(self.last)
        return max(1, round(Fraction(ms, 1000) / tb))

    def _span_frames(
        self, inp: av.container.InputContainer, vin: av.VideoStream, tb: Fraction, start: int
    ) -> Iterator[tuple[av.VideoFrame, int]]:
        """Decoded frames from ``first`` on, in order, each with its pts in ms.

        Seeks to the keyframe at or before ``first``; a seek that lands after it is
        retried further back, as the frame server does.
        """
        first_ms = self.table.pts_of(self.first)

        def ms_of(pts: int) -> int:
            return round((pts - start) * tb * 1000)

        back_ms = 0
        for _attempt in range(5):
            seek_ms = max(0, first_ms - back_ms)
            inp.seek(start + int(seek_ms / 1000 / tb), stream=vin, backward=True, any_frame=False)
            started = False
            before = False  # decoded a frame before `first` since the seek
            for frame in inp.decode(vin):
                if frame.pts is None:
                    continue
                ms = ms_of(frame.pts)
                if not started:
                    if ms < first_ms:
                        before = True
                        continue
                    if ms > first_ms:
                        break
                    started = True
                yield frame, ms
            if started:
                return
            if before:
                break  # the decoder went past `first` without producing it
            back_ms = back_ms * 2 + 1000
        raise MediaError(f"{self.source}: no frame with pts {first_ms} ms could be decoded")

    def _picture(
        self, frame: av.VideoFrame, band: _CaptionBand | None, width: int, height: int
    ) -> av.VideoFrame:
        """The frame turned upright, cropped to even size and captioned, as yuv420p.

        Works on the Y, U and V planes directly: a round trip through RGB would cost more
        than the encoding itself on a 720p clip. An upright frame of even size is
        captioned in place (in its own copy of the decoder's buffer).
        """
        if frame.format.name != "yuv420p":
            frame = frame.reformat(format="yuv420p")
        sizes = ((width, height), (width // 2, height // 2), (width // 2, height // 2))
        if not self.rotation and (frame.width, frame.height) == (width, height):
            frame.make_writable()
            if band is not None:
                band.apply(*(_plane(frame, i) for i in range(3)))
            return frame
        packed = np.empty((height * 3 // 2, width), np.uint8)
        flat = packed.reshape(-1)
        offset = 0
        planes = []
        for i, (w, h) in enumerate(sizes):
            target = flat[offset : offset + w * h].reshape(h, w)
            target[...] = rotate_for_display(_plane(frame, i), self.rotation)[:h, :w]
            planes.append(target)
            offset += w * h
        if band is not None:
            band.apply(*planes)
        return av.VideoFrame.from_ndarray(packed, format="yuv420p")

    def _mux_caption(self, output: av.container.OutputContainer, stream: av.stream.Stream) -> None:
        context = stream.codec_context
        assert isinstance(context, SubtitleCodecContext)
        dialogue = ass_text(self.soft_text)
        cue = SubtitleSet.create(
            f"0,0,Default,,0,0,0,,{dialogue}".encode(), 0, self.duration_ms, pts=0
        )
        packet = context.encode_subtitle(cue)
        packet.stream = stream
        packet.time_base = SUBTITLE_TIME_BASE
        packet.pts = packet.dts = 0
        packet.duration = self.duration_ms
        output.mux(packet)


class _CaptionBand:
    """A caption drawn once, blended into the bottom of every frame's Y, U and V planes.

    The band is grey only (white type on a dark translucent band), so blending leaves
    the chroma of the covered picture pulled towards neutral and needs no colour
    conversion; luma uses the limited range (16..235) the encoder writes.
    """

    def __init__(self, text: str, width: int, height: int) -> None:
        band = caption_band(text, width, height)
        band_h = band.height
        la = np.asarray(band, dtype=np.uint16)
        luma = 16 + la[:, :, 0] * 219 // 255
        alpha = la[:, :, 1]
        half = alpha[: band_h // 2 * 2, : width // 2 * 2]
        alpha_half = half.reshape(band_h // 2, 2, width // 2, 2).mean(axis=(1, 3)).astype(np.uint16)
        self.top = height - band_h
        self._inverse = 255 - alpha
        self._luma = luma * alpha + 127
        self._inverse_half = 255 - alpha_half
        self._chroma = 128 * alpha_half + 127

    def apply(self, y: np.ndarray, u: np.ndarray, v: np.ndarray) -> None:
        """Blend the band into the bottom rows of the Y, U and V planes, in place."""
        top, half = self.top, self.top // 2
        y[top:] = (y[top:] * self._inverse + self._luma) // 255
        u[half:] = (u[half:] * self._inverse_half + self._chroma) // 255
        v[half:] = (v[half:] * self._inverse_half + self._chroma) // 255


def _plane(frame: av.VideoFrame, index: int) -> np.ndarray:
    """Plane ``index`` of a planar frame as a 2-D array view (row padding cut off)."""
    plane = frame.planes[index]
    rows = np.frombuffer(memoryview(plane), np.uint8, count=plane.line_size * plane.height)
    rows = rows.reshape(plane.height, plane.line_size)
    return rows[: plane.height, : plane.width]
