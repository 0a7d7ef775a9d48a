"""SubRip (SRT) subtitles for exported clips and reels.

A reel plays its moments one after another, so its captions live on the reel's own
timeline: each moment's caption runs from the end of the moments before it for as long
as the moment lasts. SRT is the sidecar format every player and video editor reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def srt_time(t_ms: int) -> str:
    """``HH:MM:SS,mmm`` (SRT's comma before the milliseconds) for a time in ms (>= 0)."""
    t_ms = max(0, int(t_ms))
    hours, rest = divmod(t_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def srt(entries: Sequence[tuple[int, int, str]]) -> str:
    """SRT text for ``(start_ms, end_ms, text)`` entries, numbered from 1 in the order given.

    Line breaks inside a text are kept (SRT allows several lines per cue); blank lines
    inside it are dropped because a blank line ends a cue. Entries whose text is empty or
    only whitespace are skipped and do not use up a number. An entry must not end
    before it starts.
    """
    blocks: list[str] = []
    for start_ms, end_ms, text in entries:
        if end_ms < start_ms:
            raise ValueError(f"subtitle ends ({end_ms} ms) before it starts ({start_ms} ms)")
        lines = [line.rstrip() for line in text.strip().splitlines() if line.strip()]
        if not lines:
            continue
        number = len(blocks) + 1
        timing = f"{srt_time(start_ms)} --> {srt_time(end_ms)}"
        blocks.append("\n".join([str(number), timing, *lines]) + "\n")
    return "\n".join(blocks)


def reel_entries(durations_and_texts: Iterable[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Lay moments of the given durations (ms) end to end: ``(start_ms, end_ms, text)``.

    Moment k starts at the sum of the durations before it, whether or not those moments
    have a caption, so captions stay on their own moment.
    """
    entries: list[tuple[int, int, str]] = []
    start = 0
    for duration_ms, text in durations_and_texts:
        if duration_ms < 0:
            raise ValueError(f"a moment cannot last {duration_ms} ms")
        entries.append((start, start + duration_ms, text))
        start += duration_ms
    return entries


def reel_srt(durations_and_texts: Iterable[tuple[int, str]]) -> str:
    """SRT for a reel: each moment's caption for its span on the reel timeline."""
    return srt(reel_entries(durations_and_texts))
