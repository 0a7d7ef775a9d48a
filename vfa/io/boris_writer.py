"""Writing a document as a BORIS project a BORIS 8 user can open (``.boris`` JSON).

The ethogram comes from the codes (BORIS's "code" is the code's id) and their modifier
sets, the subjects from the subjects (events name them by name), and each observation
from an observation: its media per player with offsets, its events sorted by time, a state
written as a START row and a STOP row (BORIS pairs them by subject × code × modifier text,
so two spans of one such key may not overlap), modifiers as BORIS joins them ("a|b,c").
Player 1 is BORIS's clock and has no offset of its own: its media offset is written as the
observation's "time offset", and the other players' offsets relative to it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any, BinaryIO

from vfa.errors import FormatError
from vfa.io.document import (
    CodeDef,
    CodeKind,
    Document,
    Event,
    MediaRef,
    ModifierSet,
    Observation,
    free_id,
)

# what BORIS 8 writes (boris/config.py project_format_version)
PROJECT_FORMAT_VERSION = "7.0"
# characters BORIS does not allow in a modifier value (config.py): "|" and "," join sets
# and values, and " (x)" after a value is its key
FORBIDDEN = "(|),`~"
# a code's "excluded" list is joined with commas
FORBIDDEN_IN_CODE = ",|"
SINGLE, MULTIPLE, NUMERIC = 0, 1, 2


def _seconds(ms: int) -> float:
    return ms / 1000


def _check_name(file: str, place: str, what: str, text: str, forbidden: str) -> None:
    bad = sorted({c for c in text if c in forbidden})
    if bad:
        raise FormatError(
            file, place, f"the {what} {text!r} holds {' '.join(bad)}, which BORIS cannot store"
        )


class _Writer:
    def __init__(self, document: Document, target: Path) -> None:
        self.doc = document
        self.file = str(target)
        self.sets: dict[str, ModifierSet] = {s.id: s for s in document.modifier_sets}
        self.codes: dict[str, CodeDef] = {c.id: c for c in document.codes}
        self.subject_names = {s.id: s.name for s in document.subjects}
        self.now = dt.datetime.now().replace(microsecond=0).isoformat()

    def fail(self, place: str, reason: str) -> FormatError:
        return FormatError(self.file, place, reason)

    def project(self) -> dict[str, Any]:
        categories = sorted({c.category for c in self.doc.codes if c.category})
        labels = list(dict.fromkeys(k for o in self.doc.observations for k, _ in o.variables))
        return {
            "time_format": "hh:mm:ss",
            "project_date": self.now,
            "project_name": self.doc.name,
            "project_description": "",
            "project_format_version": PROJECT_FORMAT_VERSION,
            "subjects_conf": self.subjects(),
            "behaviors_conf": self.ethogram(),
            "behavioral_categories": categories,
            "behavioral_categories_config": {
                str(i): {"name": name, "color": ""} for i, name in enumerate(categories)
            },
            "independent_variables": {
                str(i): {
                    "label": label,
                    "description": "",
                    "type": "text",
                    "default value": "",
                    "possible values": "",
                }
                for i, label in enumerate(labels)
            },
            "coding_map": {},
            "behaviors_coding_map": [],
            "converters": {},
            "observations": self.observations(),
        }

    def subjects(self) -> dict[str, Any]:
        names: set[str] = set()
        out = {}
        for index, subject in enumerate(self.doc.subjects):
            place = f"subject {subject.id!r}"
            if subject.name in names:
                raise self.fail(place, f"two subjects are named {subject.name!r}")
            names.add(subject.name)
            out[str(index)] = {
                "key": subject.key or "",
                "name": subject.name,
                "description": subject.description or "",
            }
        return out

    def ethogram(self) -> dict[str, Any]:
        groups: dict[str, list[str]] = {}
        for code in self.doc.codes:
            if code.exclusive_group:
                groups.setdefault(code.exclusive_group, []).append(code.id)
        out = {}
        for index, code in enumerate(self.doc.codes):
            place = f"code {code.id!r}"
            _check_name(self.file, place, "code", code.id, FORBIDDEN_IN_CODE)
            sets = {}
            for n, set_id in enumerate(code.modifier_sets):
                mset = self.sets.get(set_id)
                if mset is None:
                    raise self.fail(place, f"the modifier set {set_id!r} is not in the document")
                for value in mset.values:
                    _check_name(self.file, f"modifier set {mset.id!r}", "value", value, FORBIDDEN)
                kind = MULTIPLE if mset.multiple else SINGLE if mset.values else NUMERIC
                sets[str(n)] = {
                    "name": mset.name,
                    "type": kind,
                    "values": list(mset.values),
                    "description": "",
                }
            others = [c for c in groups.get(code.exclusive_group or "", []) if c != code.id]
            out[str(index)] = {
                "type": "State event" if code.kind is CodeKind.STATE else "Point event",
                "key": code.key or "",
                "code": code.id,
                "description": code.description or (code.name if code.name != code.id else ""),
                "color": "",
                "category": code.category or "",
                "modifiers": sets,
                "excluded": ",".join(others),
                "coding map": "",
            }
        return out

    def observations(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        taken: set[str] = set()
        for observation in self.doc.observations:
            name = free_id(observation.name or "observation", taken)
            out[name] = self.observation(observation, f"observation {observation.name!r}")
        return out

    def observation(self, obs: Observation, place: str) -> dict[str, Any]:
        players: dict[int, list[MediaRef]] = {}
        for ref in obs.media:
            if not 1 <= ref.player <= 8:
                raise self.fail(place, f"player {ref.player} of {ref.path!r} is not 1 to 8")
            players.setdefault(ref.player, []).append(ref)
        # BORIS: event time = player 1 media time + time offset; player n plays
        # (player 1's time - its offset); media time = document time + offset_ms
        time_offset = -players[1][0].offset_ms if 1 in players else 0
        kind = "MEDIA" if obs.media else "LIVE"
        info: dict[str, dict[str, Any]] = {
            "length": {},
            "fps": {},
            "hasVideo": {},
            "hasAudio": {},
            "offset": {},
        }
        files: dict[str, list[str]] = {}
        for player in range(1, max([2, *players]) + 1):
            media = players.get(player, [])
            files[str(player)] = [m.path for m in media]
            shift = -media[0].offset_ms - time_offset if media else 0
            info["offset"][str(player)] = _seconds(shift)
            for index, m in enumerate(media):
                if m.duration_ms is not None:
                    info["length"][m.path] = _seconds(m.duration_ms)
                elif index + 1 < len(media):  # the next file starts where this one ends
                    info["length"][m.path] = _seconds(m.offset_ms - media[index + 1].offset_ms)
                if m.fps:
                    info["fps"][m.path] = m.fps
                if m.mime_type:
                    info["hasVideo"][m.path] = m.mime_type.startswith("video/")
                    info["hasAudio"][m.path] = m.mime_type.startswith("audio/")
        return {
            "file": files,
            "type": kind,
            "date": obs.date or self.now,
            "description": obs.description or "",
            "time offset": _seconds(time_offset),
            "events": self.rows(obs, place, kind),
            "observation time interval": [0, 0],
            "independent_variables": dict(obs.variables),
            "visualize_spectrogram": False,
            "visualize_waveform": False,
            "media_creation_date_as_offset": False,
            "media_scan_sampling_duration": 0,
            "image_display_duration": 1,
            "close_behaviors_between_videos": False,
            "scan_sampling_time": 0,
            "start_from_current_time": False,
            "start_from_current_epoch_time": False,
            "media_info": info,
        }

    def rows(self, obs: Observation, place: str, kind: str) -> list[list[Any]]:
        rows: list[tuple[int, int, list[Any]]] = []
        spans: dict[tuple[str, str, str], list[tuple[int, int, int]]] = {}
        for index, event in enumerate(obs.events, 1):
            where = f"{place} event {index}"
            code = self.codes.get(event.code)
            if code is None:
                raise self.fail(where, f"the code {event.code!r} is not in the document")
            if event.end_ms < event.start_ms:
                raise self.fail(where, "it ends before it starts")
            subject = self.subject_name(event, where)
            modifiers = self.modifier_text(code, event, where)
            comment = "\n".join(t for t in (event.comment, event.caption) if t)
            row = [_seconds(event.start_ms), subject, code.id, modifiers, comment]
            if code.kind is CodeKind.POINT:
                if event.end_ms != event.start_ms:
                    raise self.fail(where, f"{code.id!r} is a point code but the event lasts")
                rows.append((event.start_ms, len(rows), row))
                continue
            spans.setdefault((subject, code.id, modifiers), []).append(
                (event.start_ms, event.end_ms, index)
            )
            rows.append((event.start_ms, len(rows), row))
            stop = [_seconds(event.end_ms), subject, code.id, modifiers, ""]
            rows.append((event.end_ms, len(rows), stop))
        for (subject, code_id, _), items in spans.items():
            items.sort()
            for (_, end, _), (start, _, index) in itertools.pairwise(items):
                if start < end:
                    who = f" of {subject!r}" if subject else ""
                    raise self.fail(
                        f"{place} event {index}",
                        f"two {code_id!r} states{who} with the same modifiers overlap; BORIS "
                        "pairs a state's start and stop by order and cannot hold them",
                    )
        rows.sort(key=lambda item: (item[0], item[1]))
        if kind == "MEDIA":  # BORIS 8 adds the frame index; "NA" where it is not known
            return [[*row, "NA"] for _, _, row in rows]
        return [row for _, _, row in rows]

    def subject_name(self, event: Event, where: str) -> str:
        if event.subject is None:
            return ""
        name = self.subject_names.get(event.subject)
        if name is None:
            raise self.fail(where, f"the subject {event.subject!r} is not in the document")
        return name

    def modifier_text(self, code: CodeDef, event: Event, where: str) -> str:
        for set_id, value in event.modifiers:
            if set_id not in code.modifier_sets:
                raise self.fail(where, f"the modifier set {set_id!r} is not one of {code.id!r}")
            _check_name(self.file, where, "modifier value", value, FORBIDDEN)
        parts = []
        for set_id in code.modifier_sets:
            values = [v for s, v in event.modifiers if s == set_id]
            if len(values) > 1 and not self.sets[set_id].multiple:
                raise self.fail(where, f"the modifier set {set_id!r} takes one value")
            parts.append(",".join(values) if values else "None")
        return "|".join(parts)


def write(document: Document, stream: BinaryIO, target: Path) -> None:
    """Write the document as a BORIS project (JSON, UTF-8) to the stream."""
    project = _Writer(document, Path(target)).project()
    stream.write(json.dumps(project, ensure_ascii=False, indent=1).encode("utf-8"))
