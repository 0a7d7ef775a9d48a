"""BORIS projects out: what a BORIS 8 user opens, and what VFA reads back."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest

from vfa.errors import FormatError
from vfa.io import boris
from vfa.io.document import (
    CodeDef,
    CodeKind,
    Document,
    Event,
    MediaRef,
    ModifierSet,
    Observation,
    Subject,
)

POINT, STATE = CodeKind.POINT, CodeKind.STATE


def coding() -> Document:
    """Two sessions of parent–infant coding with every feature the writer claims."""
    sets = (
        ModifierSet(id="tone", name="tone", values=("warm", "flat")),
        ModifierSet(id="objects", name="objects", values=("toy", "book", "cup"), multiple=True),
        ModifierSet(id="intensity", name="intensity"),  # free: written as numeric
    )
    codes = (
        CodeDef(id="smile", name="smile", kind=POINT, key="s", category="affect"),
        CodeDef(
            id="talk",
            name="talk",
            kind=STATE,
            key="t",
            category="voice",
            description="talks to the infant",
            modifier_sets=("tone", "objects"),
            exclusive_group="exclusive 1",
        ),
        CodeDef(id="sing", name="sing", kind=STATE, key="g", exclusive_group="exclusive 1"),
        CodeDef(id="cry", name="cry", kind=POINT, modifier_sets=("intensity",)),
    )
    subjects = (
        Subject(id="Mother", name="Mother", key="m", description="the mother"),
        Subject(id="Infant", name="Infant", key="i"),
    )
    first = Observation(
        name="visit 1",
        date="2024-03-01T10:00:00",
        description="first home visit",
        media=(
            MediaRef(path="front.mp4", offset_ms=-1500, player=1, duration_ms=60000, fps=25.0),
            MediaRef(path="front2.mp4", offset_ms=-61500, player=1, duration_ms=30000),
            MediaRef(path="side.mp4", offset_ms=2000, player=2),
        ),
        events=(
            Event("talk", 4000, 9000, "Mother", (("tone", "warm"), ("objects", "toy")), "hi"),
            Event("smile", 1000, 1000, "Infant", comment="first"),
            Event("talk", 9000, 12000, "Mother", (("tone", "warm"), ("objects", "toy"))),
            Event("talk", 5000, 6000, "Infant", (("objects", "book"), ("objects", "cup"))),
            Event("cry", 7000, 7000, "Infant", (("intensity", "3.5"),)),
            Event("sing", 13000, 13000, "Mother"),
        ),
        variables=(("age in months", "4"), ("room", "living room")),
    )
    second = Observation(name="visit 2", events=(Event("smile", 0, 0),))
    return Document(
        format="boris",
        source="",
        name="home visits",
        codes=codes,
        subjects=subjects,
        modifier_sets=sets,
        observations=(first, second),
    )


def written(document: Document, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    target = tmp_path / "out.boris"
    with target.open("wb") as stream:
        assert boris.FORMAT.write is not None
        boris.FORMAT.write(document, stream, target)
    return target, json.loads(target.read_text(encoding="utf-8"))


def test_write_then_read_gives_the_same_coding(tmp_path):
    document = coding()
    target, _ = written(document, tmp_path)
    back = boris.read(target)
    assert back.problems == ()
    assert back.name == document.name
    assert back.codes == document.codes
    assert back.subjects == document.subjects
    assert back.modifier_sets == document.modifier_sets
    for mine, theirs in zip(document.observations, back.observations, strict=True):
        assert theirs.name == mine.name and theirs.variables == mine.variables
        assert theirs.description == mine.description
        assert [(m.path, m.player, m.offset_ms) for m in theirs.media] == [
            (m.path, m.player, m.offset_ms) for m in mine.media
        ]
        key = lambda e: (e.start_ms, e.end_ms, e.code, e.subject or "")  # noqa: E731
        assert sorted(theirs.events, key=key) == sorted(mine.events, key=key)


def test_the_file_is_a_boris_8_project(tmp_path):
    _, project = written(coding(), tmp_path)
    assert project["project_format_version"] == "7.0"  # what BORIS 8 writes
    ethogram = {b["code"]: b for b in project["behaviors_conf"].values()}
    assert ethogram["talk"]["type"] == "State event" and ethogram["smile"]["type"] == "Point event"
    assert ethogram["talk"]["excluded"] == "sing" and ethogram["sing"]["excluded"] == "talk"
    talk_sets = ethogram["talk"]["modifiers"]
    assert [(s["name"], s["type"]) for s in talk_sets.values()] == [("tone", 0), ("objects", 1)]
    assert ethogram["cry"]["modifiers"]["0"]["type"] == 2
    assert project["behavioral_categories"] == ["affect", "voice"]
    assert [s["name"] for s in project["subjects_conf"].values()] == ["Mother", "Infant"]
    obs = project["observations"]["visit 1"]
    assert obs["type"] == "MEDIA" and obs["file"] == {
        "1": ["front.mp4", "front2.mp4"],
        "2": ["side.mp4"],
    }
    # player 1 is BORIS's clock: its offset becomes the time offset
    assert obs["time offset"] == 1.5
    assert obs["media_info"]["offset"] == {"1": 0.0, "2": -3.5}
    assert obs["media_info"]["length"] == {"front.mp4": 60.0, "front2.mp4": 30.0}
    assert project["observations"]["visit 2"]["type"] == "LIVE"


def test_events_are_rows_sorted_by_time_with_states_as_start_and_stop(tmp_path):
    _, project = written(coding(), tmp_path)
    rows = project["observations"]["visit 1"]["events"]
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert all(len(row) == 6 and row[5] == "NA" for row in rows)  # the frame index column
    talk = [row for row in rows if row[2] == "talk"]
    assert [(r[0], r[1], r[3]) for r in talk] == [
        (4.0, "Mother", "warm|toy"),
        (5.0, "Infant", "None|book,cup"),
        (6.0, "Infant", "None|book,cup"),
        (9.0, "Mother", "warm|toy"),
        (9.0, "Mother", "warm|toy"),
        (12.0, "Mother", "warm|toy"),
    ]
    live_rows = project["observations"]["visit 2"]["events"]
    assert live_rows == [[0.0, "", "smile", "", ""]]


def boris_status(rows: list[list[Any]], states: set[str]) -> list[str]:
    """BORIS's own rule (project_functions.events_start_stop), written out independently:
    a state row is a STOP when an odd number of earlier rows share its subject, code and
    modifier text."""
    out = []
    for index, row in enumerate(rows):
        if row[2] not in states:
            out.append("POINT")
            continue
        same = [r for r in rows[:index] if r[1:4] == row[1:4]]
        out.append("STOP" if len(same) % 2 else "START")
    return out


def test_boris_pairs_the_rows_back_into_the_spans(tmp_path):
    document = coding()
    _, project = written(document, tmp_path)
    rows = sorted(project["observations"]["visit 1"]["events"])  # BORIS sorts rows on opening
    status = boris_status(rows, {"talk", "sing"})
    open_rows: dict[tuple[Any, ...], float] = {}
    spans = set()
    for row, flag in zip(rows, status, strict=True):
        key = tuple(row[1:4])
        if flag == "START":
            open_rows[key] = row[0]
        elif flag == "STOP":
            spans.add((row[2], row[1], round(open_rows.pop(key) * 1000), round(row[0] * 1000)))
    assert not open_rows
    expected = {
        (e.code, e.subject, e.start_ms, e.end_ms)
        for e in document.observations[0].events
        if e.code in ("talk", "sing")
    }
    assert spans == expected


def test_written_gzip_free_json_reads_back_as_utf8(tmp_path):
    document = dataclasses.replace(
        coding(), subjects=(Subject(id="Mother", name="Mère"), Subject(id="Infant", name="Bébé"))
    )
    target, _ = written(document, tmp_path)
    assert "Mère" in target.read_text(encoding="utf-8")
    assert [s.name for s in boris.read(target).subjects] == ["Mère", "Bébé"]


def _refused(document: Document, match: str) -> FormatError:
    with pytest.raises(FormatError, match=match) as caught:
        boris.FORMAT.write(document, io.BytesIO(), Path("x.boris"))  # type: ignore[misc]
    return caught.value


def _with_events(*events: Event) -> Document:
    document = coding()
    first = dataclasses.replace(document.observations[0], events=events)
    return dataclasses.replace(document, observations=(first,))


def test_overlapping_states_of_one_key_are_refused():
    error = _refused(
        _with_events(Event("sing", 0, 5000, "Mother"), Event("sing", 4000, 8000, "Mother")),
        "overlap",
    )
    assert error.place == "observation 'visit 1' event 2" and error.file == "x.boris"


def test_overlapping_states_of_different_subjects_are_written(tmp_path):
    document = _with_events(Event("sing", 0, 5000, "Mother"), Event("sing", 4000, 8000, "Infant"))
    target, _ = written(document, tmp_path)
    assert len(boris.read(target).observations[0].events) == 2


@pytest.mark.parametrize(
    ("event", "match"),
    [
        (Event("smile", 0, 10), "point code but the event lasts"),
        (Event("laugh", 0, 0), "'laugh' is not in the document"),
        (Event("talk", 0, 10, "Father"), "subject 'Father'"),
        (Event("talk", 0, 10, modifiers=(("tone", "so|so"),)), "BORIS cannot store"),
        (Event("talk", 0, 10, modifiers=(("intensity", "1"),)), "not one of 'talk'"),
        (Event("talk", 0, 10, modifiers=(("tone", "warm"), ("tone", "flat"))), "takes one"),
        (Event("talk", 10, 5), "ends before it starts"),
    ],
)
def test_events_boris_cannot_hold_are_refused(event, match):
    _refused(_with_events(event), match)


def test_codes_boris_cannot_hold_are_refused():
    document = coding()
    bad = dataclasses.replace(document.codes[0], id="smile,laugh")
    _refused(dataclasses.replace(document, codes=(bad, *document.codes[1:])), "cannot store")
    two = (Subject(id="a", name="Mother"), Subject(id="b", name="Mother"))
    _refused(dataclasses.replace(document, subjects=two), "two subjects are named")


def test_observations_of_one_name_or_none_are_numbered(tmp_path):
    base = coding().observations[0]
    document = dataclasses.replace(
        coding(),
        observations=tuple(
            dataclasses.replace(base, name=name) for name in ("visit", "visit", "", "")
        ),
    )
    _, data = written(document, tmp_path)
    assert list(data["observations"]) == ["visit", "visit (2)", "observation", "observation (2)"]
