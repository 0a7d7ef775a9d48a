"""SRT subtitles of one lane: an observation's events, for one subject and/or one code.

One cue per event, in time order. A state's cue runs from its start to its end; a point's
cue shows for :data:`POINT_DISPLAY_MS`, or until the lane's next event starts if that is
sooner. The cue's text is the code's name (after the subject's name when the lane is not
one subject's), then the event's caption, then its modifiers (``set: value; …``);
comments are not shown. Times are those of the observation's first media file (document
time + its offset), so the subtitles play in step with it; a cue that ends before the
media starts is left out. Timestamps and caption lines are made by
:mod:`vfa.domain.subtitles`, as for clips and reels. UTF-8, as VFA's other SRT files.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from vfa.domain.subtitles import caption_text, srt
from vfa.errors import FormatError
from vfa.io.document import Document, Event, Observation
from vfa.io.registry import FormatSpec

POINT_DISPLAY_MS = 1000


def _observation(document: Document, name: str | None, where: str) -> Observation:
    if name is not None:
        found = next((o for o in document.observations if o.name == name), None)
        if found is None:
            known = ", ".join(repr(o.name) for o in document.observations) or "none"
            raise FormatError(where, f"observation {name!r}", f"is not in it (there are: {known})")
        return found
    if len(document.observations) == 1:
        return document.observations[0]
    if not document.observations:
        raise FormatError(where, "", "has no observations to write as subtitles")
    names = ", ".join(repr(o.name) for o in document.observations)
    raise FormatError(
        where, "", f"holds {len(document.observations)} observations ({names}); choose one"
    )


def _resolve(wanted: str | None, known: dict[str, str], what: str, where: str) -> str | None:
    """The id of the subject or code meant (by id, else by name)."""
    if wanted is None:
        return None
    if wanted in known:
        return wanted
    by_name = [i for i, name in known.items() if name == wanted]
    if by_name:
        return by_name[0]
    listed = ", ".join(repr(n) for n in known.values()) or "none"
    raise FormatError(where, f"{what} {wanted!r}", f"is not in it (there are: {listed})")


def lane_entries(
    document: Document,
    *,
    observation: str | None = None,
    subject: str | None = None,
    code: str | None = None,
    where: str = "SRT export",
) -> list[tuple[int, int, str]]:
    """``(start_ms, end_ms, text)`` cues of one lane, on the media's clock."""
    chosen = _observation(document, observation, where)
    subjects = {s.id: s.name for s in document.subjects}
    subjects.update(
        {e.subject: e.subject for e in chosen.events if e.subject and e.subject not in subjects}
    )
    codes = {c.id: c.name for c in document.codes}
    codes.update({e.code: e.code for e in chosen.events if e.code not in codes})
    subject_id = _resolve(subject, subjects, "subject", where)
    code_id = _resolve(code, codes, "code", where)
    events = sorted(
        (
            e
            for e in chosen.events
            if (subject_id is None or e.subject == subject_id)
            and (code_id is None or e.code == code_id)
        ),
        key=lambda e: (e.start_ms, e.end_ms),
    )
    shift = chosen.media[0].offset_ms if chosen.media else 0
    starts = [e.start_ms for e in events]
    entries = []
    for index, event in enumerate(events):
        end = max(event.end_ms, event.start_ms)
        if event.is_point:
            later = next((s for s in starts[index + 1 :] if s > event.start_ms), None)
            end = event.start_ms + POINT_DISPLAY_MS
            if later is not None:
                end = min(end, later)
        start, end = event.start_ms + shift, end + shift
        if end <= 0:
            continue
        label = _label(event, codes, subjects, with_subject=subject_id is None)
        entries.append((max(start, 0), end, label))
    return entries


def _label(
    event: Event, codes: dict[str, str], subjects: dict[str, str], with_subject: bool
) -> str:
    name = codes.get(event.code, event.code)
    if with_subject and event.subject:
        name = f"{subjects.get(event.subject, event.subject)}: {name}"
    # a name that is nothing as subtitle text (spaces, control characters) still gets a cue
    lines = [caption_text(name) or caption_text(event.code) or "(no name)"]
    if event.caption:
        lines.append(event.caption)
    if event.modifiers:
        lines.append("; ".join(f"{key}: {value}" for key, value in event.modifiers))
    return "\n".join(lines)


def write_srt_lane(
    document: Document,
    stream: BinaryIO,
    *,
    observation: str | None = None,
    subject: str | None = None,
    code: str | None = None,
    target: Path | None = None,
) -> None:
    """Write one lane (observation, and optionally subject and code) as SRT to a stream."""
    where = str(target) if target is not None else "SRT export"
    entries = lane_entries(
        document, observation=observation, subject=subject, code=code, where=where
    )
    stream.write(srt(entries).encode("utf-8"))


def _write(document: Document, stream: BinaryIO, target: Path) -> None:
    """The registry's writer: the document is already filtered to one lane."""
    write_srt_lane(document, stream, target=target)


def sniff(head: bytes, name: str) -> bool:
    """SRT: a cue number, then a ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` line."""
    lines = head.decode("utf-8", "ignore").lstrip("\ufeff").strip().splitlines()
    return len(lines) >= 2 and lines[0].strip().isdigit() and "-->" in lines[1]


FORMAT = FormatSpec(
    id="srt",
    name="SubRip subtitles (one lane)",
    suffixes=(".srt",),
    sniff=sniff,
    write=_write,
)
