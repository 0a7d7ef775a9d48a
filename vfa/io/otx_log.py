"""Observer XT event logs: an observation's OBS_EVENT elements as VFA events.

Each ``OBS_EVENT`` has an ``OBS_EVENT_TIMESTAMP`` (``YYYY-MM-DD HH:MM:SS.ffffff``), an
``OBS_EVENT_SUBJECT`` and an ``OBS_EVENT_BEHAVIOR`` named by their ``NAME`` attribute
(modifiers as ``*_MODIFIER`` children with the modifier group in ``CLASS``), an
``OBS_EVENT_STATE`` (1 a state starts, 2 it stops, 3 a point event) and an optional
``OBS_EVENT_COMMENT``. Where the state is missing, a point behaviour gives a point and a
state behaviour toggles. Each event log of an observation is paired on its own, per
subject and behaviour; starting a behaviour ends a running one of its exclusive group
(as Observer does). A stop without a start, a start while running, a state never stopped
(ended with the log), and a behaviour or subject missing from the scheme (added) are
reported as problems with the event's place.

Times: a timestamp dated before 1970 counts from 1899-12-30 (the zero day of the OLE
dates Observer's media observations are kept in); one without a date (``HH:MM:SS.fff``
or seconds) is a media time too. A wall-clock timestamp is counted from the
observation's start: the earliest ``CREATION_DATETIME`` of its event logs, or its first
event (reported) when no log says when it began or that start is more than 24 h before
its last event. Times become integer ms (half up); a time before the start or more than
24 h after it refuses the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from vfa.domain.limits import MAX_MS
from vfa.errors import FormatError
from vfa.io.document import CodeDef, CodeKind, Event, Observation, Problem, Subject, free_id

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_NS_PER_DAY = 86_400 * 10**9
_MEDIA_ZERO_DAY = dt.date(1899, 12, 30)
_CLOCK_DAYS = dt.date(1970, 1, 1)  # no observation was logged by a clock before this

_STAMP = re.compile(
    r"\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})[ T])?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,9}))?\s*",
    re.ASCII,  # 0-9 only: int() would take other scripts' digits
)
_SECONDS = re.compile(r"\s*(\d{1,9})(?:\.(\d{1,9}))?\s*", re.ASCII)
_STATE_WORDS = {"1": "start", "2": "stop", "3": "point"}
_STATE_WORDS.update({w: w for w in ("start", "stop", "point")})


_LOCAL_NAMES: dict[str, str] = {}  # a file has few distinct tags; a hostile one is not cached


def local(tag: object) -> str:
    """An element's name without its namespace."""
    try:
        return _LOCAL_NAMES[tag]  # type: ignore[index]
    except (KeyError, TypeError):
        if not isinstance(tag, str):
            return ""
        name = tag.rsplit("}", 1)[-1]
        if len(_LOCAL_NAMES) < 4096:
            _LOCAL_NAMES[tag] = name
        return name


def child(element: Element, name: str) -> Element | None:
    """The first child with this local name."""
    return next((c for c in element if local(c.tag) == name), None)


def child_text(element: Element, name: str) -> str | None:
    """The stripped text of the first child with this local name; None when empty."""
    found = child(element, name)
    text = (found.text or "").strip() if found is not None else ""
    return text or None


def descendants(element: Element, name: str) -> list[Element]:
    """Every element below (and including) ``element`` with this local name."""
    return [e for e in element.iter() if local(e.tag) == name]


@dataclass(frozen=True)
class Stamp:
    """A parsed timestamp: ns from its zero, and whether that zero is a wall-clock day."""

    ns: int
    clock: bool


def parse_stamp(text: str) -> Stamp | None:
    """An Observer timestamp, or None when it is not one."""
    match = _STAMP.fullmatch(text)
    if match:
        year, month, day, hours, minutes, seconds, fraction = match.groups()
        h, m, s = int(hours), int(minutes), int(seconds)
        if h > 23 or m > 59 or s > 59:
            return None
        ns = ((h * 60 + m) * 60 + s) * 10**9 + int((fraction or "0").ljust(9, "0"))
        if year is None:
            return Stamp(ns, clock=False)
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            return None
        if date < _CLOCK_DAYS:
            return Stamp((date - _MEDIA_ZERO_DAY).days * _NS_PER_DAY + ns, clock=False)
        return Stamp(date.toordinal() * _NS_PER_DAY + ns, clock=True)
    match = _SECONDS.fullmatch(text)
    if match:
        whole, fraction = match.groups()
        return Stamp(int(whole) * 10**9 + int((fraction or "0").ljust(9, "0")), clock=False)
    return None


def iso(text: str | None) -> str | None:
    """A file's date-time as ISO text (``T`` between date and time), if it is one."""
    if not text or not _STAMP.fullmatch(text) or "-" not in text:
        return None
    return text.strip().replace(" ", "T", 1)


@dataclass
class _Raw:
    """One OBS_EVENT as read, before times are placed and states paired."""

    place: str
    stamp: Stamp
    behaviour: str
    subject: str | None
    state: str | None  # "start", "stop", "point" or None (not given)
    modifiers: tuple[tuple[str, str], ...]
    comment: str | None
    bad_state: str | None = None  # an OBS_EVENT_STATE that is not 1, 2 or 3
    ms: int = 0


@dataclass
class Codes:
    """The scheme the log refers to, by name; codes and subjects the log adds go here."""

    codes: dict[str, CodeDef]  # behaviour name -> code
    subjects: dict[str, Subject]  # subject name -> subject
    problems: list[Problem] = field(default_factory=list)
    code_ids: set[str] = field(default_factory=set)  # every code id taken so far
    subject_ids: set[str] = field(default_factory=set)
    added_codes: list[CodeDef] = field(default_factory=list)
    added_subjects: list[Subject] = field(default_factory=list)
    state_codes: set[str] = field(default_factory=set)  # ids of codes the log starts/stops


def _modifiers(element: Element | None) -> list[tuple[str, str]]:
    if element is None:
        return []
    out = []
    for mod in element:
        if not local(mod.tag).endswith("_MODIFIER"):
            continue
        value = (mod.text or "").strip()
        if value:
            out.append(((mod.get("CLASS") or "modifier").strip() or "modifier", value))
    return out


def _read_event(element: Element, place: str, file: str) -> _Raw:
    parts: dict[str, Element] = {}
    for part in element:
        parts.setdefault(local(part.tag), part)

    def text(name: str) -> str | None:
        found = parts.get(name)
        value = (found.text or "").strip() if found is not None else ""
        return value or None

    stamp_text = text("OBS_EVENT_TIMESTAMP")
    if stamp_text is None:
        raise FormatError(file, place, "has no OBS_EVENT_TIMESTAMP")
    stamp = parse_stamp(stamp_text)
    if stamp is None:
        raise FormatError(file, place, f"time {stamp_text[:40]!r} is not a timestamp")
    behaviour_el = parts.get("OBS_EVENT_BEHAVIOR")
    behaviour = (behaviour_el.get("NAME") or "").strip() if behaviour_el is not None else ""
    subject_el = parts.get("OBS_EVENT_SUBJECT")
    subject = (subject_el.get("NAME") or "").strip() if subject_el is not None else ""
    state_text = (text("OBS_EVENT_STATE") or "").lower()
    return _Raw(
        place=place,
        stamp=stamp,
        behaviour=behaviour,
        subject=subject or None,
        state=_STATE_WORDS.get(state_text) if state_text else None,
        modifiers=tuple(_modifiers(subject_el) + _modifiers(behaviour_el)),
        comment=text("OBS_EVENT_COMMENT"),
        bad_state=state_text[:20] if state_text and state_text not in _STATE_WORDS else None,
    )


def read_observation(element: Element, number: int, codes: Codes, file: str) -> Observation:
    """One OBS_OBSERVATION: its event logs paired into point and state events."""
    name = (element.get("NAME") or "").strip() or f"observation {number}"
    logs = descendants(element, "OBS_EVENT_LOG") or [element]
    several = len(logs) > 1
    raws: list[list[_Raw]] = []
    for log_number, log in enumerate(logs, 1):
        prefix = f"observation {name!r}" + (f" log {log_number}" if several else "")
        events = []
        for index, event in enumerate(descendants(log, "OBS_EVENT"), 1):
            events.append(_read_event(event, f"{prefix} event {index}", file))
        raws.append(events)
    created = [log.get("CREATION_DATETIME") for log in logs]
    _place_times(raws, created, name, codes, file)
    out: list[Event] = []
    for log_number, events in enumerate(raws, 1):
        prefix = f"observation {name!r}" + (f" log {log_number}" if several else "")
        out.extend(_pair(events, prefix, codes))
    out.sort(key=lambda e: (e.start_ms, e.end_ms))
    date = next((iso(c) for c in created if iso(c)), None)
    return Observation(name=name, date=date, events=tuple(out))


def _place_times(
    raws: list[list[_Raw]], created: list[str | None], name: str, codes: Codes, file: str
) -> None:
    """Give every event its ms on the observation's timeline, or refuse the file."""
    everything = [r for events in raws for r in events]
    if not everything:
        return
    clock = everything[0].stamp.clock
    for raw in everything:
        if raw.stamp.clock != clock:
            raise FormatError(
                file, raw.place, "mixes wall-clock dates and media times in one observation"
            )
    origin = 0
    if clock:
        first = min(r.stamp.ns for r in everything)
        last = max(r.stamp.ns for r in everything)
        starts = [s.ns for c in created if c and (s := parse_stamp(c)) and s.clock]
        starts = [s for s in starts if s <= first]
        if starts and last - min(starts) <= MAX_MS * 1_000_000:
            origin = min(starts)
        else:
            origin = first
            why = (
                "its event log began more than 24 hours before its last event"
                if starts
                else "no event log says when the observation began"
            )
            codes.problems.append(
                Problem(f"observation {name!r}", f"{why}; times are counted from its first event")
            )
    for raw in everything:
        ns = raw.stamp.ns - origin
        if ns < 0:
            raise FormatError(file, raw.place, "time is before the start of the observation")
        ms = (ns + 500_000) // 1_000_000
        if ms > MAX_MS:
            raise FormatError(
                file, raw.place, f"time {ms:,} ms is more than 24 hours into the observation"
            )
        raw.ms = ms


def _code_for(raw: _Raw, codes: Codes) -> CodeDef:
    code = codes.codes.get(raw.behaviour)
    if code is None:
        kind = CodeKind.POINT if raw.state == "point" else CodeKind.STATE
        code = CodeDef(id=free_id(raw.behaviour, codes.code_ids), name=raw.behaviour, kind=kind)
        codes.codes[raw.behaviour] = code
        codes.added_codes.append(code)
        codes.problems.append(
            Problem(raw.place, f"behaviour {raw.behaviour!r} is not in the coding scheme; added")
        )
    return code


def _subject_for(raw: _Raw, codes: Codes) -> str | None:
    if raw.subject is None:
        return None
    subject = codes.subjects.get(raw.subject)
    if subject is None:
        subject = Subject(id=free_id(raw.subject, codes.subject_ids), name=raw.subject)
        codes.subjects[raw.subject] = subject
        codes.added_subjects.append(subject)
        codes.problems.append(
            Problem(raw.place, f"subject {raw.subject!r} is not in the coding scheme; added")
        )
    return subject.id


@dataclass
class _Open:
    raw: _Raw
    code: CodeDef
    subject: str | None


def _pair(events: list[_Raw], prefix: str, codes: Codes) -> list[Event]:
    """Starts and stops of one log paired into events, in time order."""
    if any(b.ms < a.ms for a, b in pairwise(events)):
        codes.problems.append(Problem(prefix, "events are not in time order; read in time order"))
        events = sorted(events, key=lambda r: r.ms)
    out: list[Event] = []
    running: dict[tuple[str, str | None], _Open] = {}
    closed_by_group: set[tuple[str, str | None]] = set()
    for raw in events:
        if not raw.behaviour:
            codes.problems.append(Problem(raw.place, "names no behaviour; left out"))
            continue
        code = _code_for(raw, codes)
        subject = _subject_for(raw, codes)
        key = (code.id, subject)
        state = raw.state
        if raw.bad_state:
            codes.problems.append(
                Problem(raw.place, f"state {raw.bad_state!r} is not 1, 2 or 3; ignored")
            )
        if state is None:
            if code.kind is CodeKind.POINT:
                state = "point"
            else:
                state = "stop" if key in running else "start"
        if state == "point":
            out.append(_event(code, subject, raw, raw.ms, raw))
            continue
        codes.state_codes.add(code.id)
        if state == "start":
            if key in running:
                earlier = running.pop(key)
                codes.problems.append(
                    Problem(
                        raw.place,
                        f"{code.name!r} starts again while running; the earlier one ends here",
                    )
                )
                out.append(_event(code, subject, earlier.raw, raw.ms, None))
            if code.exclusive_group:
                for other_key, other in list(running.items()):
                    if (
                        other_key[1] == subject
                        and other.code.exclusive_group == code.exclusive_group
                    ):
                        del running[other_key]
                        closed_by_group.add(other_key)
                        out.append(_event(other.code, subject, other.raw, raw.ms, None))
            closed_by_group.discard(key)
            running[key] = _Open(raw, code, subject)
        else:  # stop
            started = running.pop(key, None)
            if started is not None:
                out.append(_event(code, subject, started.raw, raw.ms, raw))
            elif key in closed_by_group:  # already ended by another of its exclusive group
                closed_by_group.discard(key)
            else:
                codes.problems.append(
                    Problem(raw.place, f"{code.name!r} stops but was not running; left out")
                )
    last = max((r.ms for r in events), default=0)
    for still in running.values():
        if last > still.raw.ms:
            reason = f"{still.code.name!r} never stops; ends with the log at {last} ms"
        else:
            reason = f"{still.code.name!r} never stops and nothing follows it; kept as a point"
        codes.problems.append(Problem(still.raw.place, reason))
        out.append(_event(still.code, still.subject, still.raw, max(last, still.raw.ms), None))
    return out


def _event(
    code: CodeDef, subject: str | None, start: _Raw, end_ms: int, stop: _Raw | None
) -> Event:
    modifiers = list(start.modifiers)
    comments = [start.comment] if start.comment else []
    if stop is not None and stop is not start:
        modifiers += [m for m in stop.modifiers if m not in modifiers]
        if stop.comment and stop.comment not in comments:
            comments.append(stop.comment)
    return Event(
        code=code.id,
        start_ms=start.ms,
        end_ms=end_ms,
        subject=subject,
        modifiers=tuple(modifiers),
        comment="\n".join(comments) or None,
    )
