"""BORIS projects (``.boris`` JSON and ``.boris.gz``, project formats up to BORIS 8.x).

The ethogram becomes the document's codes (point and state, key, category, modifier sets,
exclusive groups from consistent "excluded" lists), ``subjects_conf`` its subjects, and
each observation an :class:`Observation` with its media (player, offset), point events and
state START/STOP pairs as spans. BORIS pairs a state's rows by subject × code × modifier
text in time order; a start that is never stopped is reported, never closed for the user.

Time model: BORIS stores an event at ``media time of player 1 + "time offset"``; player n
(n > 1) plays ``player 1's time - media_info.offset[n]``. So a file's ``MediaRef.offset_ms``
is ``-(time offset + player offset + length of the files before it in that player)``.
The writer is in :mod:`vfa.io.boris_writer`; the checked access to values (text, seconds,
times, offsets) in :mod:`vfa.io.boris_fields`.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from typing import Any

from vfa.errors import FormatError
from vfa.io.boris_fields import Fields, kind_of
from vfa.io.boris_writer import write
from vfa.io.document import (
    CodeDef,
    CodeKind,
    Document,
    Event,
    MediaRef,
    ModifierSet,
    Observation,
    Subject,
    free_id,
)
from vfa.io.registry import FormatSpec
from vfa.io.safety import read_bytes
from vfa.io.unpack import decode_lenient, gunzip, parse_json

FORMAT_ID = "boris"
POINT_TYPES = ("point event", "point event with coding map")
STATE_TYPES = ("state event", "state event with coding map")
# BORIS modifier set types (boris/config.py)
SINGLE, MULTIPLE, NUMERIC, EXTERNAL = 0, 1, 2, 3
NO_VALUE = ("", "None")
# BORIS shows a modifier's key after its value, "happy (h)", and strips it when coding
KEY_SUFFIX = re.compile(r" \(.*\)")
SNIFF_KEYS = (
    b'"behaviors_conf"',
    b'"subjects_conf"',
    b'"project_format_version"',
    b'"behavioral_categories"',
    b'"time_format"',
)


def _sorted_keys(mapping: dict[str, Any]) -> list[str]:
    """BORIS's order: numeric keys by number, then the rest by text."""
    return sorted(mapping, key=lambda k: (0, int(k), "") if _number(k) else (1, 0, k))


def _number(key: str) -> bool:
    """Is the key a plain number (ASCII digits, short enough to be an index)?"""
    return key.isascii() and key.isdigit() and len(key) < 10


def _version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return None


class _Reader(Fields):
    """One file's reading: the codes, subjects and modifier sets met so far."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.kinds: dict[str, CodeKind] = {}
        self.code_sets: dict[str, list[tuple[ModifierSet, int]]] = {}
        self.sets: dict[tuple[str, int, tuple[str, ...]], ModifierSet] = {}
        self.subjects: dict[str, Subject] = {}

    # -- the project ------------------------------------------------------------------------
    def document(self, project: Any) -> Document:
        if not isinstance(project, dict):
            raise self.fail("", f"not a BORIS project (the JSON is {kind_of(project)})")
        if not any(k in project for k in ("behaviors_conf", "observations", "subjects_conf")):
            raise self.fail("", "not a BORIS project (no ethogram, subjects or observations)")
        raw_version = project.get("project_format_version")
        version: tuple[int, ...] | None = (0,)
        if raw_version is not None:
            version = _version(self.text(raw_version, "project_format_version", "the version"))
            if version is None:
                self.note("project_format_version", f"{raw_version!r} is not a version number")
            elif version[0] > 8:
                self.note("project_format_version", f"{raw_version} is newer than 8.x; read as 8.x")
        codes = self.ethogram(project, version)
        self.read_subjects(project, version == (0,))
        observations = self.observations(project)
        return Document(
            format=FORMAT_ID,
            source=self.file,
            name=self.text(project.get("project_name"), "project_name", "the project name"),
            codes=tuple(codes),
            subjects=tuple(self.subjects.values()),
            modifier_sets=tuple(self.sets.values()),
            observations=tuple(observations),
            problems=tuple(self.problems),
        )

    def ethogram(self, project: dict[str, Any], version: tuple[int, ...] | None) -> list[CodeDef]:
        conf = self.obj(project.get("behaviors_conf", {}), "behaviors_conf", "the ethogram")
        behaviours: list[dict[str, Any]] = []
        excluded: dict[str, list[str]] = {}
        for key in _sorted_keys(conf):
            place = f"behaviors_conf {key!r}"
            entry = self.obj(conf[key], place, "the behaviour")
            code = self.text(entry.get("code"), f"{place} code", "the code").strip()
            if not code:
                self.note(place, "a behaviour without a code; left out")
                continue
            if code in self.kinds:
                self.note(place, f"the code {code!r} is defined twice; the second left out")
                continue
            kind_text = self.text(entry.get("type"), f"{place} type", "the type").strip().lower()
            if kind_text in STATE_TYPES:
                kind = CodeKind.STATE
            else:
                kind = CodeKind.POINT
                if kind_text not in POINT_TYPES:
                    self.note(
                        f"{place} type", f"unknown type {kind_text!r}; taken as a point event"
                    )
            self.kinds[code] = kind
            sets = self.modifier_sets(code, entry.get("modifiers", ""), f"{place} modifiers")
            self.code_sets[code] = sets
            excluded[code] = self.excluded(entry.get("excluded", ""), f"{place} excluded")
            behaviours.append(
                dict(
                    id=code,
                    name=code,
                    kind=kind,
                    key=self.text(entry.get("key"), f"{place} key", "the key") or None,
                    category=self.text(entry.get("category"), f"{place} category", "the category")
                    or None,
                    description=self.text(
                        entry.get("description"), f"{place} description", "the description"
                    )
                    or None,
                    modifier_sets=tuple(s.id for s, _ in sets),
                )
            )
        groups = self.exclusive_groups([b["id"] for b in behaviours], excluded)
        return [CodeDef(**b, exclusive_group=groups.get(b["id"])) for b in behaviours]

    def modifier_sets(self, code: str, value: Any, place: str) -> list[tuple[ModifierSet, int]]:
        raw: list[tuple[str, int, list[str]]] = []
        if isinstance(value, str):  # before project format 4: "a,b,c|d,e"
            if value.strip():
                raw = [("", SINGLE, part.split(",")) for part in value.split("|")]
        else:
            sets = self.obj(value, place, "the modifiers")
            for key in _sorted_keys(sets):
                entry = self.obj(sets[key], f"{place} {key!r}", "the modifier set")
                name = self.text(entry.get("name"), f"{place} {key!r} name", "the name")
                kind = entry.get("type", SINGLE)
                if isinstance(kind, bool) or not isinstance(kind, int):
                    raise self.fail(f"{place} {key!r} type", f"the type is {kind_of(kind)}")
                if kind not in (SINGLE, MULTIPLE, NUMERIC, EXTERNAL):
                    self.note(f"{place} {key!r} type", f"unknown type {kind}; taken as single")
                    kind = SINGLE
                values = entry.get("values", [])
                if not isinstance(values, list):
                    raise self.fail(f"{place} {key!r} values", f"the values are {kind_of(values)}")
                texts = [self.text(v, f"{place} {key!r} values", "a value") for v in values]
                raw.append((name, kind, texts))
        out = []
        for index, (name, kind, values) in enumerate(raw, 1):
            clean = tuple(dict.fromkeys(KEY_SUFFIX.sub("", v).strip() for v in values if v.strip()))
            if kind in (NUMERIC, EXTERNAL):
                clean = ()
            out.append(
                (self.modifier_set(name.strip() or f"{code} set {index}", kind, clean), kind)
            )
        return out

    def modifier_set(self, base: str, kind: int, values: tuple[str, ...]) -> ModifierSet:
        signature = (base, kind, values)
        if signature in self.sets:
            return self.sets[signature]
        set_id = free_id(base, {s.id for s in self.sets.values()})
        made = ModifierSet(id=set_id, name=base, values=values, multiple=kind == MULTIPLE)
        self.sets[signature] = made
        return made

    def excluded(self, value: Any, place: str) -> list[str]:
        if isinstance(value, list):
            items = [self.text(v, place, "an excluded code") for v in value]
        else:
            items = self.text(value, place, "the excluded codes").split(",")
        return [item.strip() for item in items if item.strip()]

    def exclusive_groups(self, order: list[str], excluded: dict[str, list[str]]) -> dict[str, str]:
        """Exclusive groups where the "excluded" lists form groups that all exclude each other."""
        known = set(order)
        excludes: dict[str, set[str]] = defaultdict(set)  # as the file says, one way
        links: dict[str, set[str]] = defaultdict(set)  # either way
        for code in order:
            for other in excluded.get(code, []):
                if other not in known:
                    self.note(
                        f"behaviour {code!r} excluded", f"{other!r} is not a code in the ethogram"
                    )
                elif other != code:
                    excludes[code].add(other)
                    links[code].add(other)
                    links[other].add(code)
        groups: dict[str, str] = {}
        seen: set[str] = set()
        for code in order:
            if code in seen or not links[code]:
                continue
            component, todo = [], [code]
            seen.add(code)
            while todo:
                current = todo.pop()
                component.append(current)
                for other in links[current] - seen:
                    seen.add(other)
                    todo.append(other)
            size = len(component)
            members = sorted(component, key=order.index)
            # every code excludes every other of its group, both ways
            if sum(len(excludes[c]) for c in component) == size * (size - 1):
                name = f"exclusive {len(set(groups.values())) + 1}"
                groups.update(dict.fromkeys(members, name))
            else:
                self.note(
                    "behaviors_conf excluded",
                    f"the codes {', '.join(members)} exclude each other only in part; "
                    "no exclusive group made for them",
                )
        return groups

    def read_subjects(self, project: dict[str, Any], old: bool) -> None:
        conf = self.obj(project.get("subjects_conf", {}), "subjects_conf", "the subjects")
        for key in _sorted_keys(conf):
            place = f"subjects_conf {key!r}"
            entry = conf[key]
            if old and isinstance(entry, list) and len(entry) >= 2:  # [key, name]
                entry = {"key": entry[0], "name": entry[1]}
            entry = self.obj(entry, place, "the subject")
            name = self.text(entry.get("name"), f"{place} name", "the name").strip()
            if not name:
                self.note(place, "a subject without a name; left out")
                continue
            if name in self.subjects:
                self.note(place, f"the subject {name!r} is defined twice; the second left out")
                continue
            self.subjects[name] = Subject(
                id=name,
                name=name,
                key=self.text(entry.get("key"), f"{place} key", "the key") or None,
                description=self.text(
                    entry.get("description"), f"{place} description", "the description"
                )
                or None,
            )

    # -- observations -----------------------------------------------------------------------
    def observations(self, project: dict[str, Any]) -> list[Observation]:
        observations = self.obj(project.get("observations", {}), "observations", "observations")
        return [self.observation(name, observations[name]) for name in observations]

    def observation(self, name: str, value: Any) -> Observation:
        place = f"observation {name!r}"
        obs = self.obj(value, place, "the observation")
        kind = self.text(obs.get("type"), f"{place} type", "the type").upper()
        if kind not in ("MEDIA", "LIVE", "IMAGES", "VIDEO", "AUDIO", ""):
            self.note(f"{place} type", f"unknown observation type {kind!r}")
        time_offset = self.offset_ms(obs.get("time offset", 0), f"{place} time offset", "it")
        variables = self.obj(
            obs.get("independent_variables", {}), f"{place} independent_variables", "they"
        )
        return Observation(
            name=name,
            date=self.text(obs.get("date"), f"{place} date", "the date") or None,
            description=self.text(obs.get("description"), f"{place} description", "it") or None,
            media=tuple(self.media(obs, place, time_offset)),
            events=tuple(self.events(obs.get("events", []), place)),
            variables=tuple(
                (label, self.text(v, f"{place} independent variable {label!r}", "its value"))
                for label, v in variables.items()
            ),
        )

    def media(self, obs: dict[str, Any], place: str, time_offset: int) -> list[MediaRef]:
        files = obs.get("file", {})
        if isinstance(files, list):  # before project format 1: [player 1 file, player 2 file]
            files = {str(i): [f] for i, f in enumerate(files[:2], 1)}
        files = self.obj(files, f"{place} file", "the media list")
        info = self.obj(obs.get("media_info", {}), f"{place} media_info", "the media info")
        lengths = self.obj(info.get("length", {}), f"{place} media_info length", "the lengths")
        rates = self.obj(info.get("fps", {}), f"{place} media_info fps", "the frame rates")
        offsets = dict(self.obj(info.get("offset", {}), f"{place} media_info offset", "offsets"))
        if obs.get("time offset second player") not in (None, 0, ""):  # before format 7
            offsets["2"] = obs["time offset second player"]
        out = []
        for key in _sorted_keys(files):
            where = f"{place} file {key!r}"
            if not _number(key) or not 1 <= int(key) <= 99:
                raise self.fail(where, f"{key!r} is not a player number")
            player = int(key)
            paths = files[key]
            if not isinstance(paths, list):
                raise self.fail(where, f"the player's media are {kind_of(paths)}, not a list")
            shift = self.offset_ms(offsets.get(key, 0), f"{place} media_info offset {key!r}", "it")
            if player == 1 and shift:
                self.note(
                    f"{place} media_info offset '1'",
                    "BORIS does not shift player 1 (it is the clock); its offset is not applied",
                )
                shift = 0
            before: int | None = 0
            for index, path in enumerate(paths):
                path = self.text(path, where, "a media path")
                length = self.length(lengths.get(path), f"{where} length of {path!r}")
                fps = self.fps(rates.get(path), f"{where} fps of {path!r}")
                if before is None:
                    self.note(where, f"the start of {path!r} in its player is not known")
                out.append(
                    MediaRef(
                        path=path,
                        offset_ms=-(time_offset + shift + (before or 0)),
                        player=player,
                        duration_ms=length,
                        fps=fps,
                    )
                )
                if index < len(paths) - 1:
                    before = None if before is None or length is None else before + length
        return out

    def length(self, value: Any, place: str) -> int | None:
        if value is None:
            return None
        try:
            return self.time_ms(value, place, "the media length")
        except FormatError as exc:
            self.note(place, f"{exc.reason}; the length is not used")
            return None

    def fps(self, value: Any, place: str) -> float | None:
        if value is None:
            return None
        number = self.seconds(value, place, "the frame rate")
        if number is None or not 0 < number <= 10_000:
            self.note(place, f"{value} is not a frame rate; not used")
            return None
        return float(number)

    def events(self, rows: Any, place: str) -> list[Event]:
        if not isinstance(rows, list):
            raise self.fail(f"{place} events", f"the events are {kind_of(rows)}, not a list")
        taken: list[tuple[int, int, str, str, str, str]] = []
        for index, row in enumerate(rows, 1):
            where = f"{place} event {index}"
            if not isinstance(row, list) or len(row) < 3:
                raise self.fail(where, "not a row of [time, subject, code, modifiers, comment]")
            time = self.time_ms(row[0], where)
            subject = self.text(row[1], f"{where} subject", "the subject").strip()
            code = self.text(row[2], f"{where} code", "the code").strip()
            modifiers = self.text(row[3] if len(row) > 3 else "", f"{where} modifiers", "it")
            comment = self.text(row[4] if len(row) > 4 else "", f"{where} comment", "it")
            if time is None:
                self.note(where, "the time is NA (not available); the event is left out")
                continue
            if code not in self.kinds:
                self.note(where, f"the code {code!r} is not in the ethogram; left out")
                continue
            if subject and subject not in self.subjects:
                self.note(where, f"the subject {subject!r} is not in the project; added")
                self.subjects[subject] = Subject(id=subject, name=subject)
            taken.append((time, index, subject, code, modifiers, comment))
        taken.sort(key=lambda row: row[0])  # BORIS sorts the events by time when it opens them
        out: list[Event] = []
        open_states: dict[tuple[str, str, str], tuple[int, int, str]] = {}
        for time, index, subject, code, modifiers, comment in taken:
            where = f"{place} event {index}"
            values = self.event_modifiers(code, modifiers, where)
            if self.kinds[code] is CodeKind.POINT:
                out.append(_event(code, time, time, subject, values, comment))
                continue
            key = (subject, code, modifiers)
            if key not in open_states:
                open_states[key] = (time, index, comment)
                continue
            start, _, first_comment = open_states.pop(key)
            note = "\n".join(c for c in dict.fromkeys((first_comment, comment)) if c)
            out.append(_event(code, start, time, subject, values, note))
        for (subject, code, _), (start, index, _) in open_states.items():
            who = f" of {subject!r}" if subject else ""
            self.note(
                f"{place} event {index}",
                f"the state {code!r}{who} starts at {start} ms and is never stopped; left out",
            )
        out.sort(key=lambda e: (e.start_ms, e.end_ms))
        return out

    def event_modifiers(self, code: str, text: str, where: str) -> tuple[tuple[str, str], ...]:
        sets = self.code_sets[code]
        parts = text.split("|") if text not in NO_VALUE else []
        out: list[tuple[str, str]] = []
        for index, part in enumerate(parts):
            if part.strip() in NO_VALUE:
                continue
            if index >= len(sets):
                self.note(
                    f"{where} modifiers",
                    f"{part!r} has no modifier set in the ethogram; kept as 'modifier'",
                )
                out.append(("modifier", part.strip()))
                continue
            mset, kind = sets[index]
            if kind in (NUMERIC, EXTERNAL):
                if part.strip() != "NA":
                    out.append((mset.id, part.strip()))
                continue
            values = part.split(",") if kind == MULTIPLE else [part]
            out.extend((mset.id, v.strip()) for v in values if v.strip() not in NO_VALUE)
        return tuple(out)


def _event(
    code: str,
    start: int,
    end: int,
    subject: str,
    modifiers: tuple[tuple[str, str], ...],
    comment: str,
) -> Event:
    return Event(
        code=code,
        start_ms=start,
        end_ms=end,
        subject=subject or None,
        modifiers=modifiers,
        comment=comment or None,
    )


def read(path: str | os.PathLike[str]) -> Document:
    """Read a BORIS project (.boris, or gzip-compressed .boris.gz)."""
    file = os.fspath(path)
    data = read_bytes(file)
    if data.startswith(b"\x1f\x8b"):
        data = gunzip(data, file)
    reader = _Reader(file)
    text, problem = decode_lenient(data, file, "")
    reader.problems.extend([problem] if problem else [])
    return reader.document(parse_json(text, file))


def sniff(head: bytes, name: str) -> bool:
    """A JSON object with BORIS's project keys (or a .boris name)."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return False
    return any(key in text for key in SNIFF_KEYS) or name.lower().endswith((".boris", ".boris.gz"))


FORMAT = FormatSpec(
    id=FORMAT_ID,
    name="BORIS project",
    suffixes=(".boris", ".boris.gz"),
    sniff=sniff,
    read=read,
    write=write,
)
