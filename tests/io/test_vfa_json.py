"""VFA's JSON export read as a Document, every field checked with its place, and mangled
files read or refused naming themselves."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import zlib
from array import array
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vfa.errors import FormatError
from vfa.io import registry, vfa_json
from vfa.io.document import CodeKind, Event, MediaRef, Rating

GAZE = {
    "id": "gaze",
    "name": "Gaze",
    "version": "1",
    "description": "",
    "source": "test",
    "ethogram": {
        "subjects": ["parent", "child"],
        "codes": [
            {"id": "look", "name": "Looks", "kind": "state", "hotkey": "A", "group": "gaze",
             "subjects": ["child"], "verified": False,
             "modifiers": [{"id": "affect", "name": "Affect", "options": ["pos", "neg"],
                            "verified": False}]},
            {"id": "touch", "name": "Touches", "kind": "point", "verified": False},
        ],
    },
}  # fmt: skip


def frame_table() -> str:
    deltas = array("q", [0] + [40] * 99)
    return base64.b64encode(zlib.compress(deltas.tobytes())).decode("ascii")


def sample() -> dict:
    """A small export as VFA writes it."""
    run = {
        "ref": 1,
        "scheme": {"id": "gaze", "version": "1", "content_hash": "h1"},
        "coder": "Ann",
        "status": "in_progress",
        "blind": False,
        "created_at": "2024-05-01T10:00:00.000000",
        "submitted_at": None,
        "events": [
            {"code": "look", "subject": "child", "start_ms": 0, "end_ms": 1200,
             "start_frame": 0, "end_frame": 30, "modifiers": {"affect": "pos"},
             "caption": "=she looks", "created_at": "2024-05-01T10:00:01.000000"},
            {"code": "touch", "subject": "parent", "start_ms": 2000, "end_ms": 2000,
             "start_frame": 50, "end_frame": 50, "modifiers": {}, "caption": None,
             "created_at": None,
             "moment": {"key_ms": 2000, "key_frame": 50, "tags": {"extra": []},
                        "child_line": None, "comment": None, "feedback": True,
                        "reel_position": 1}},
            {"code": "look", "subject": "child", "start_ms": 3000, "end_ms": None,
             "start_frame": 75, "end_frame": None, "modifiers": {}, "caption": None,
             "created_at": None},
        ],
        "ratings": [
            {"item": "warmth", "value": 4.0, "special": None, "note": "n",
             "evidence": {"annotations": [[1, 1]]}},
            {"item": "timing", "value": None, "special": "NOB", "note": None, "evidence": {}},
        ],
    }  # fmt: skip
    clip = {
        "file": "play.mp4", "path": "/videos/play.mp4", "fingerprint": "ab-cd",
        "content_hash": None, "file_size": 10, "file_mtime_ns": 5, "duration_ms": 4000,
        "frame_count": 100, "fps": 25.0, "vfr": False, "width": 640, "height": 360,
        "rotation": 0, "has_audio": True, "codec": "h264", "frame_table": frame_table(),
        "added_at": "2024-05-01T09:00:00.000000",
        "consent": [{"purposes": {"purposes": ["feedback"]}, "given_on": "2024-04-30",
                     "valid_until": "2025-04-30", "recorded_by": "Ann",
                     "recorded_at": "2024-05-01T09:00:00.000000"}],
        "runs": [run],
    }  # fmt: skip
    return {
        "format": "vfa-workspace",
        "version": 1,
        "selection": {},
        "left_out": [],
        "schemes": [
            {"id": "gaze", "version": "1", "content_hash": "h1", "name": "Gaze",
             "content": copy.deepcopy(GAZE)}
        ],
        "coders": [{"name": "Ann", "role": "coder"}],
        "criteria": [],
        "cases": [
            {
                "code": "FAM-1",
                "created_at": None,
                "sessions": [
                    {"label": "Visit 1", "date": "2024-05-01", "context": None, "cycle": 1,
                     "theme": None, "clips": [clip]}
                ],
            }
        ],
    }  # fmt: skip


def write(tmp_path: Path, data: object, name: str = "export.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_each_run_becomes_an_observation_with_the_schemes_codes(tmp_path):
    path = write(tmp_path, sample(), "any-name.data")
    assert registry.detect(path).id == "vfa-json"  # by content, whatever the suffix
    doc = registry.read(path)
    assert doc.name == "gaze"
    look, touch = doc.codes
    assert (look.id, look.kind, look.key, look.exclusive_group, look.subject) == (
        "look", CodeKind.STATE, "A", "gaze", "child",
    )  # fmt: skip
    assert look.modifier_sets == ("affect",) and touch.kind is CodeKind.POINT
    assert [m.values for m in doc.modifier_sets] == [("pos", "neg")]
    assert [s.id for s in doc.subjects] == ["parent", "child"]
    (obs,) = doc.observations
    assert obs.name == "FAM-1 / Visit 1 / play.mp4 / Ann / gaze"
    assert obs.coder == "Ann" and obs.date == "2024-05-01"
    assert obs.media == (MediaRef("/videos/play.mp4"),)
    assert obs.events[0] == Event(
        "look", 0, 1200, "child", (("affect", "pos"),), caption="=she looks"
    )
    assert obs.events[2] == Event("look", 3000, 3000, "child")
    assert [p.place for p in doc.problems] == ["run 1 event 2"]  # the running state
    assert obs.ratings == (Rating("warmth", "4", note="n"), Rating("timing", "NOB"))


def broken(path: list, value: object) -> dict:
    data = sample()
    node = data
    for part in path[:-1]:
        node = node[part]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


EVENT = ["cases", 0, "sessions", 0, "clips", 0, "runs", 0, "events", 0]
PLACE = "cases[0].sessions[0].clips[0].runs[0].events[0]"


@pytest.mark.parametrize(
    ("path", "value", "place", "reason"),
    [
        (["format"], "other", "format", "not a VFA workspace export"),
        (["version"], 2, "version", "version 2 is not one this VFA reads"),
        ([*EVENT, "start_ms"], -5, f"{PLACE}.start_ms", "-5 ms is before the start"),
        ([*EVENT, "start_ms"], 1e300, f"{PLACE}.start_ms", "1e+300 ms is beyond 24 hours"),
        ([*EVENT, "start_ms"], True, f"{PLACE}.start_ms", "must be a time in ms"),
        ([*EVENT[:-1], 1, "end_ms"], 10, f"{PLACE[:-3]}[1].end_ms", "ends (10 ms) before"),
        ([*EVENT, "code"], KeyError, f"{PLACE}.code", "must be text, not null"),
        ([*EVENT, "modifiers"], [], f"{PLACE}.modifiers", "must be an object"),
        (EVENT[:-1], {}, "cases[0].sessions[0].clips[0].runs[0].events", "must be a list"),
        (
            ["cases", 0, "sessions", 0, "clips", 0, "frame_table"],
            "not base64!",
            "cases[0].sessions[0].clips[0].frame_table",
            "not a frame table",
        ),
        (
            ["cases", 0, "sessions", 0, "clips", 0, "runs", 0, "scheme", "version"],
            "2",
            "cases[0].sessions[0].clips[0].runs[0].scheme",
            "scheme gaze version 2 is not in 'schemes'",
        ),
        (
            ["cases", 0, "sessions", 0, "clips", 0, "runs", 0, "status"],
            "done",
            "cases[0].sessions[0].clips[0].runs[0].status",
            "'done' is not one of",
        ),
        (["coders", 0, "role"], "boss", "coders[0].role", "'boss' is not one of"),
    ],
)
def test_every_field_is_checked_naming_its_place(tmp_path, path, value, place, reason):
    file = write(tmp_path, broken(path, value))
    with pytest.raises(FormatError) as caught:
        vfa_json.read(file)
    assert caught.value.file == file and caught.value.place == place
    assert caught.value.reason.startswith(reason)


@pytest.mark.parametrize(
    ("text", "place", "reason"),
    [
        ('{"format": "vfa-workspace", ', "line 1, column 29", "not JSON"),
        ('{"format": "vfa-workspace", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "",
         "nested too deeply"),
        ('{"format": "vfa-workspace", "x": ' + "9" * 5000 + "}", "", "not usable JSON"),
        ("[1, 2]", "top level", "must be an object"),
    ],
)  # fmt: skip
def test_files_that_are_not_json_exports_are_refused(tmp_path, text, place, reason):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(FormatError) as caught:
        vfa_json.read(str(path))
    assert caught.value.place == place and caught.value.reason.startswith(reason)


# -- fuzzing ----------------------------------------------------------------------------------

ABSURD = [None, -1, 0, 2**70, 1e308, float("inf"), "", "x" * 300, [], {}, True, "\x00"]


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            out += _paths(value, (*prefix, n))
    return out


PATHS = _paths(sample())


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["field", "cut", "flip", "encoding", "order"]))
    data = sample()
    if kind == "field":
        path = draw(st.sampled_from(PATHS))
        value = draw(st.sampled_from([*ABSURD, KeyError]))
        node = data
        for part in path[:-1]:
            node = node[part]
        if value is KeyError:
            node.pop(path[-1])
        else:
            node[path[-1]] = copy.deepcopy(value)
        return json.dumps(data).encode()
    text = json.dumps(data).encode()
    if kind == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if kind == "flip":
        at = draw(st.integers(0, len(text) - 1))
        return text[:at] + bytes([draw(st.integers(0, 255))]) + text[at + 1 :]
    if kind == "encoding":
        return json.dumps(data, ensure_ascii=False).encode(
            draw(st.sampled_from(["utf-16", "utf-32", "latin-1"]))
        )
    events = data["cases"][0]["sessions"][0]["clips"][0]["runs"][0]["events"]
    events.reverse()
    for event in events:
        event["start_ms"], event["end_ms"] = event["end_ms"], event["start_ms"]
    return json.dumps(data).encode()


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=mangled())
def test_a_mangled_export_is_read_or_refused_naming_itself(tmp_path, data):
    path = tmp_path / "fuzz.json"
    path.write_bytes(data)
    try:
        doc = vfa_json.read(str(path))
    except FormatError as exc:
        assert str(exc).startswith(str(path))
    else:
        assert all(0 <= e.start_ms <= e.end_ms for o in doc.observations for e in o.events)


CONSENT = ["cases", 0, "sessions", 0, "clips", 0, "consent", 0]


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=24), st.dates().map(dt.date.isoformat)))
def test_a_consents_end_date_is_read_when_it_is_a_date_and_else_refused_by_its_place(
    tmp_path, text
):
    file = write(tmp_path, broken([*CONSENT, "valid_until"], text))
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        with pytest.raises(FormatError) as caught:
            vfa_json.read(file)
        assert caught.value.place == "cases[0].sessions[0].clips[0].consent[0].valid_until"
        assert caught.value.reason  # (text with a NUL or the like is refused as text first)
    else:
        vfa_json.read(file)
