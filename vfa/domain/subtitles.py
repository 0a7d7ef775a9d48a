"""SubRip (SRT) subtitles for exported clips and reels, and captions made safe for them.

A reel plays its moments one after another, so its captions live on the reel's own
timeline: each moment's caption runs from the end of the moments before it for as long
as the moment lasts. SRT is the sidecar format every player and video editor reads.

A caption is the parent's words, shown as typed: never a cue, a timing or markup. So
before it reaches a subtitle (SRT, the MP4's text track, or burned into the picture)
:func:`caption_text` drops blank lines (a blank line ends an SRT cue), control
characters and HTML-like tags or ``{...}`` override blocks that players would obey, turns
a ``-->`` into an arrow that no player reads as a timing, and joins a line of digits
alone (which a lenient player takes for a cue number) to its neighbour.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from vfa.domain.frames import format_timestamp

# tags players render in SRT (<i>, <font color=...>, </b>, <c.yellow>, <v Name>, ...)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# override blocks ({\an8}, {\pos(1,2)}) and other braces players may read as styling
_BRACES = re.compile(r"\{[^{}]*\}")
_ARROW = re.compile(r"-{2,}\s*>")
_DIGITS = re.compile(r"^\s*\d+\s*$")


def caption_text(text: str) -> str:
    """A caption as plain subtitle text: one or more non-blank lines, nothing a subtitle
    player would read as a cue number, a timing or markup (see the module's notes)."""
    kept = []
    for ch in text.replace("\r\n", "\n"):
        if ch in "\t\v\f":
            kept.append(" ")
        elif ch in "\r\x85\u2028\u2029":
            kept.append("\n")
        elif ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs"):
            kept.append(ch)
    plain = "".join(kept)
    previous = None
    while previous != plain:  # nested or overlapping markup: until nothing is left
        previous = plain
        plain = _BRACES.sub("", _TAG.sub("", plain))
    plain = plain.replace("{", "(").replace("}", ")")
    plain = _ARROW.sub("\u2192", plain)
    lines = [" ".join(line.split()) for line in plain.split("\n")]
    lines = [line for line in lines if line]
    joined: list[str] = []
    for line in lines:
        if joined and (_DIGITS.match(line) or _DIGITS.match(joined[-1])):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return "\n".join(joined)


def ass_text(text: str) -> str:
    """A caption as the text of an ASS dialogue line (what the MP4 text track's encoder
    reads): :func:`caption_text`, a backslash shown as a look-alike so that nothing is
    read as an ASS escape, and line breaks as ``\\N``."""
    return caption_text(text).replace("\\", "\u2216").replace("\n", "\\N")


def srt_time(t_ms: int) -> str:
    """``HH:MM:SS,mmm`` (SRT's comma before the milliseconds) for a time in ms (>= 0)."""
    return format_timestamp(t_ms, ",")


def srt(entries: Sequence[tuple[int, int, str]]) -> str:
    """SRT text for ``(start_ms, end_ms, text)`` entries, numbered from 1 in the order given.

    Each text goes through :func:`caption_text`: its lines are kept (SRT allows several
    lines per cue), blank lines, timings and markup are not. Entries with no text left
    are skipped and do not use up a number. An entry must not end before it starts.
    """
    blocks: list[str] = []
    for start_ms, end_ms, text in entries:
        if end_ms < start_ms:
            raise ValueError(f"subtitle ends ({end_ms} ms) before it starts ({start_ms} ms)")
        lines = caption_text(text).split("\n") if text else []
        if not lines or lines == [""]:
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
