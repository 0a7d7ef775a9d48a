"""The checks of VFA's JSON export: every field, named by its place on failure.

A place reads like ``cases[0].sessions[1].clips[0].runs[2].events[17].start_ms``;
:func:`check` returns the document once every field is as :mod:`vfa.io.vfa_json` expects.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import zlib
from collections.abc import Iterator
from typing import Any

from vfa.domain.limits import MAX_MS
from vfa.errors import FormatError

KIND = "vfa-workspace"
VERSION = 1
MAX_INT = 2**63 - 1
ROLES = ("therapist", "coder", "supervisor")
STATUSES = ("assigned", "in_progress", "submitted")

Obj = dict[str, Any]


class _Check:
    """Field checks that name the place of the first thing wrong."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, place: str, reason: str) -> FormatError:
        return FormatError(self.file, place, reason)

    def obj(self, value: Any, place: str) -> Obj:
        if not isinstance(value, dict):
            raise self.fail(place, f"must be an object, not {_kind(value)}")
        return value

    def items(self, parent: Obj, key: str, place: str) -> Iterator[tuple[str, Obj]]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{place}{key}", f"must be a list, not {_kind(value)}")
        for n, item in enumerate(value):
            where = f"{place}{key}[{n}]"
            yield where, self.obj(item, where)

    def text(self, parent: Obj, key: str, place: str, *, optional: bool = False) -> Any:
        value = parent.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{place}.{key}", f"must be text, not {_kind(value)}")
        if "\x00" in value:
            raise self.fail(f"{place}.{key}", "holds a NUL character")
        return value

    def name(self, parent: Obj, key: str, place: str, limit: int) -> str:
        value = self.text(parent, key, place)
        if not value.strip():
            raise self.fail(f"{place}.{key}", "must not be empty")
        if len(value) > limit:
            raise self.fail(f"{place}.{key}", f"is longer than {limit} characters")
        return str(value)

    def integer(
        self,
        parent: Obj,
        key: str,
        place: str,
        low: int = 0,
        high: int = MAX_INT,
        *,
        optional: bool = False,
    ) -> Any:
        value = parent.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{place}.{key}", f"must be a whole number, not {_kind(value)}")
        if not low <= value <= high:
            raise self.fail(f"{place}.{key}", f"{value} is outside {low} to {high}")
        return value

    def ms(self, parent: Obj, key: str, place: str, *, optional: bool = False) -> Any:
        value = parent.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{place}.{key}", f"must be a time in ms, not {_kind(value)}")
        if not math.isfinite(value):
            raise self.fail(f"{place}.{key}", f"{value} is not a finite time")
        if value < 0:
            raise self.fail(f"{place}.{key}", f"{value} ms is before the start of the recording")
        if value > MAX_MS:
            raise self.fail(f"{place}.{key}", f"{value} ms is beyond 24 hours ({MAX_MS} ms)")
        return math.floor(value + 0.5)  # round half up

    def number(self, parent: Obj, key: str, place: str, *, optional: bool = False) -> Any:
        value = parent.get(key)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{place}.{key}", f"must be a number, not {_kind(value)}")
        if not math.isfinite(value) or abs(value) > 1e12:
            raise self.fail(f"{place}.{key}", f"{value} is not a usable number")
        return float(value)

    def flag(self, parent: Obj, key: str, place: str) -> bool:
        value = parent.get(key)
        if not isinstance(value, bool):
            raise self.fail(f"{place}.{key}", f"must be true or false, not {_kind(value)}")
        return value

    def choice(self, parent: Obj, key: str, place: str, allowed: tuple[str, ...]) -> str:
        value = self.text(parent, key, place)
        if value not in allowed:
            raise self.fail(f"{place}.{key}", f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    def stamp(self, parent: Obj, key: str, place: str, *, optional: bool = False) -> Any:
        value = self.text(parent, key, place, optional=optional)
        if value is None:
            return None
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{place}.{key}", f"{value!r} is not a date and time") from None
        return value

    def date(self, parent: Obj, key: str, place: str) -> Any:
        value = self.text(parent, key, place, optional=True)
        if value is None:
            return None
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"{place}.{key}", f"{value!r} is not a date YYYY-MM-DD") from None
        return value

    def mapping(self, parent: Obj, key: str, place: str) -> Obj:
        value = parent.get(key, {})
        if value is None:
            return {}
        return self.obj(value, f"{place}.{key}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "text" if len(value) > 40 else f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    return "an object"


def frame_table_bytes(text: str, file: str, place: str) -> bytes:
    """The frame-table blob of a clip (base64 of zlib-packed deltas), checked."""
    try:
        blob = base64.b64decode(text.encode("ascii"), validate=True)
        zlib.decompressobj().decompress(blob, 64 * 1024 * 1024)
    except (binascii.Error, ValueError, UnicodeEncodeError, zlib.error) as exc:
        raise FormatError(file, place, f"not a frame table ({exc})") from None
    return blob


def _event(ck: _Check, ev: Obj, place: str) -> None:
    ck.name(ev, "code", place, 128)
    if ev.get("subject") is not None:
        ck.name(ev, "subject", place, 64)
    start = ck.ms(ev, "start_ms", place)
    end = ck.ms(ev, "end_ms", place, optional=True)
    if end is not None and end < start:
        raise ck.fail(f"{place}.end_ms", f"ends ({end} ms) before it starts ({start} ms)")
    ck.integer(ev, "start_frame", place, 0, MAX_MS)
    ck.integer(ev, "end_frame", place, 0, MAX_MS, optional=True)
    ck.mapping(ev, "modifiers", place)
    ck.text(ev, "caption", place, optional=True)
    ck.stamp(ev, "created_at", place, optional=True)
    if ev.get("moment") is not None:
        m = ck.obj(ev["moment"], f"{place}.moment")
        here = f"{place}.moment"
        ck.ms(m, "key_ms", here)
        ck.integer(m, "key_frame", here, 0, MAX_MS)
        ck.mapping(m, "tags", here)
        ck.text(m, "child_line", here, optional=True)
        ck.text(m, "comment", here, optional=True)
        ck.flag(m, "feedback", here)
        ck.integer(m, "reel_position", here, 0, 1_000_000, optional=True)


def _run(ck: _Check, run: Obj, place: str, schemes: set[tuple[str, str, str]]) -> None:
    ck.integer(run, "ref", place, 1)
    ref = ck.obj(run.get("scheme"), f"{place}.scheme")
    key = tuple(ck.text(ref, k, f"{place}.scheme") for k in ("id", "version", "content_hash"))
    if key not in schemes:
        raise ck.fail(f"{place}.scheme", f"scheme {key[0]} version {key[1]} is not in 'schemes'")
    ck.name(run, "coder", place, 128)
    ck.choice(run, "status", place, STATUSES)
    ck.flag(run, "blind", place)
    ck.stamp(run, "created_at", place, optional=True)
    ck.stamp(run, "submitted_at", place, optional=True)
    for where, ev in ck.items(run, "events", f"{place}."):
        _event(ck, ev, where)
    for where, rating in ck.items(run, "ratings", f"{place}."):
        ck.name(rating, "item", where, 128)
        ck.number(rating, "value", where, optional=True)
        special = ck.text(rating, "special", where, optional=True)
        if special is not None and not 0 < len(special) <= 16:
            raise ck.fail(f"{where}.special", "must be 1 to 16 characters")
        ck.text(rating, "note", where, optional=True)
        evidence = ck.mapping(rating, "evidence", where)
        refs = evidence.get("annotations", [])
        if not isinstance(refs, list) or not all(
            isinstance(r, list)
            and len(r) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in r)
            for r in refs
        ):
            raise ck.fail(f"{where}.evidence", "must list [run ref, event index] pairs")


def _clip(ck: _Check, clip: Obj, place: str, schemes: set[tuple[str, str, str]]) -> None:
    ck.name(clip, "path", place, 4096)
    ck.name(clip, "fingerprint", place, 64)
    ck.text(clip, "content_hash", place, optional=True)
    for key in ("file_size", "file_mtime_ns"):
        ck.integer(clip, key, place, 0 if key == "file_size" else -MAX_INT)
    ck.integer(clip, "duration_ms", place, 0, MAX_MS)
    ck.integer(clip, "frame_count", place, 1, MAX_MS)
    fps = ck.number(clip, "fps", place)
    if fps <= 0:
        raise ck.fail(f"{place}.fps", f"{fps} is not a frame rate")
    for key in ("width", "height"):
        ck.integer(clip, key, place, 0, 100_000)
    if clip.get("rotation") not in (0, 90, 180, 270) or isinstance(clip.get("rotation"), bool):
        raise ck.fail(f"{place}.rotation", "must be 0, 90, 180 or 270")
    ck.flag(clip, "vfr", place)
    ck.flag(clip, "has_audio", place)
    ck.name(clip, "codec", place, 32)
    frame_table_bytes(ck.text(clip, "frame_table", place), ck.file, f"{place}.frame_table")
    ck.stamp(clip, "added_at", place, optional=True)
    for where, consent in ck.items(clip, "consent", f"{place}."):
        ck.mapping(consent, "purposes", where)
        ck.date(consent, "given_on", where)
        ck.date(consent, "valid_until", where)
        ck.text(consent, "recorded_by", where, optional=True)
        ck.stamp(consent, "recorded_at", where, optional=True)
    for where, run in ck.items(clip, "runs", f"{place}."):
        _run(ck, run, where, schemes)


def check(data: Any, file: str) -> Obj:
    """The document, after every field is checked; FormatError at the first bad one."""
    ck = _Check(file)
    top = ck.obj(data, "top level")
    if top.get("format") != KIND:
        raise ck.fail("format", f"not a VFA workspace export (format is {top.get('format')!r})")
    version = top.get("version")
    if version != VERSION:
        raise ck.fail("version", f"version {version!r} is not one this VFA reads ({VERSION})")
    schemes: set[tuple[str, str, str]] = set()
    for where, scheme in ck.items(top, "schemes", ""):
        key = tuple(ck.name(scheme, k, where, 64) for k in ("id", "version", "content_hash"))
        ck.name(scheme, "name", where, 200)
        ck.obj(scheme.get("content"), f"{where}.content")
        if key in schemes:
            raise ck.fail(where, f"scheme {key[0]} version {key[1]} is listed twice")
        schemes.add(key)  # type: ignore[arg-type]
    for where, coder in ck.items(top, "coders", ""):
        ck.name(coder, "name", where, 128)
        ck.choice(coder, "role", where, ROLES)
    for where, crit in ck.items(top, "criteria", ""):
        ck.name(crit, "scheme", where, 64)
        ck.name(crit, "statistic", where, 32)
        ck.number(crit, "threshold", where)
        ck.integer(crit, "window", where, 1, 1_000_000)
        ck.text(crit, "item", where, optional=True)
        ck.text(crit, "updated_by", where, optional=True)
        ck.stamp(crit, "updated_at", where, optional=True)
    for where, case in ck.items(top, "cases", ""):
        ck.name(case, "code", where, 64)
        ck.stamp(case, "created_at", where, optional=True)
        for s_where, session in ck.items(case, "sessions", f"{where}."):
            ck.name(session, "label", s_where, 128)
            ck.date(session, "date", s_where)
            ck.text(session, "context", s_where, optional=True)
            ck.integer(session, "cycle", s_where, 1, 999, optional=True)
            ck.text(session, "theme", s_where, optional=True)
            for c_where, clip in ck.items(session, "clips", f"{s_where}."):
                _clip(ck, clip, c_where, schemes)
    return top
