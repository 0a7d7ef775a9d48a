"""SRT of one lane (observation × subject × code), read back by a small SRT reader here."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vfa.domain.subtitles import srt
from vfa.errors import FormatError
from vfa.io import srt_lane
from vfa.io.document import CodeDef, CodeKind, Document, Event, MediaRef, Observation, Subject

TIMING = re.compile(r"(\d\d):(\d\d):(\d\d),(\d\d\d) --> (\d\d):(\d\d):(\d\d),(\d\d\d)")


def parse_srt(data: bytes) -> list[tuple[int, int, list[str]]]:
    """Cues as (start ms, end ms, lines); numbered from 1 in order, as SubRip wants."""
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff")
    cues = []
    for number, block in enumerate((b for b in text.split("\n\n") if b.strip()), 1):
        lines = block.strip("\n").split("\n")
        assert lines[0] == str(number)
        match = TIMING.fullmatch(lines[1])
        assert match, lines[1]
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, match.groups())
        start = ((h1 * 60 + m1) * 60 + s1) * 1000 + ms1
        end = ((h2 * 60 + m2) * 60 + s2) * 1000 + ms2
        assert start <= end
        assert lines[2:] and all(line.strip() for line in lines[2:])
        cues.append((start, end, lines[2:]))
    return cues


CODES = (
    CodeDef("look", "Looks at infant", CodeKind.STATE),
    CodeDef("smile", "Sourire ☺", CodeKind.POINT),
    CodeDef("cry", "Cries", CodeKind.STATE),
)
SUBJECTS = (Subject("m", "Mother"), Subject("i", "Infant"))
EVENTS = (
    Event("look", 1000, 4000, subject="m", caption="warm gaze"),
    Event("smile", 2000, 2000, subject="m", modifiers=(("Intensity", "high"), ("Count", "2"))),
    Event("smile", 2400, 2400, subject="m"),
    Event("cry", 2000, 6000, subject="i"),
    Event("smile", 9000, 9000, subject="i"),
)


def doc(*observations: Observation) -> Document:
    return Document("vfa", "", codes=CODES, subjects=SUBJECTS, observations=observations)


def lane(document: Document, **filters) -> list[tuple[int, int, list[str]]]:
    stream = io.BytesIO()
    srt_lane.write_srt_lane(document, stream, **filters)
    return parse_srt(stream.getvalue())


def test_one_subjects_lane_one_cue_per_event():
    cues = lane(doc(Observation("Visit 1", events=EVENTS)), subject="m")
    assert cues == [
        (1000, 4000, ["Looks at infant", "warm gaze"]),
        (2000, 2400, ["Sourire ☺", "Intensity: high; Count: 2"]),  # a point: until the next
        (2400, 3400, ["Sourire ☺"]),  # a point: one second
    ]


def test_one_codes_lane_names_the_subject_and_subjects_and_codes_go_by_name_too():
    document = doc(Observation("Visit 1", events=EVENTS))
    cues = lane(document, code="Sourire ☺")
    assert [c[2][0] for c in cues] == [
        "Mother: Sourire ☺",
        "Mother: Sourire ☺",
        "Infant: Sourire ☺",
    ]
    assert cues[-1][:2] == (9000, 10_000)
    assert lane(document, subject="Infant", code="cry") == [(2000, 6000, ["Cries"])]


def test_a_point_with_another_event_at_the_same_time_still_shows():
    events = (Event("smile", 5000, 5000), Event("cry", 5000, 7000))
    cues = lane(doc(Observation("V", events=events)))
    assert (5000, 6000, ["Sourire ☺"]) in cues and (5000, 7000, ["Cries"]) in cues


def test_captions_are_normalised_as_in_other_subtitles():
    caption = "  first line  \n\n\n  second  "
    cues = lane(doc(Observation("V", events=(Event("cry", 0, 1000, caption=caption),))))
    # the same cue the clip and reel subtitles would make (their normaliser is shared)
    assert cues == parse_srt(srt([(0, 1000, "Cries\n" + caption)]).encode())
    assert len(cues[0][2]) == 3  # code, and the caption's two lines without the blank ones


def test_the_media_offset_puts_cues_on_the_media_clock():
    events = (Event("cry", 500, 1000), Event("cry", 1000, 3000), Event("cry", 5000, 6000))
    moved = Observation("V", media=(MediaRef("a.mp4", offset_ms=-1500),), events=events)
    assert lane(doc(moved)) == [(0, 1500, ["Cries"]), (3500, 4500, ["Cries"])]
    later = Observation("V", media=(MediaRef("a.mp4", offset_ms=2000),), events=events[:1])
    assert lane(doc(later)) == [(2500, 3000, ["Cries"])]


def test_an_empty_lane_is_an_empty_file():
    stream = io.BytesIO()
    srt_lane.write_srt_lane(doc(Observation("V", events=EVENTS)), stream, subject="i", code="look")
    assert stream.getvalue() == b""


@pytest.mark.parametrize(
    ("filters", "observations", "message"),
    [
        ({}, (Observation("A"), Observation("B")), "holds 2 observations ('A', 'B'); choose one"),
        ({}, (), "has no observations"),
        (
            {"observation": "C"},
            (Observation("A"),),
            "observation 'C': is not in it (there are: 'A')",
        ),
        ({"subject": "Father"}, (Observation("A"),), "subject 'Father': is not in it"),
        ({"code": "yawn"}, (Observation("A"),), "code 'yawn': is not in it"),
    ],
)
def test_a_lane_that_is_not_there_is_refused_naming_the_target(
    tmp_path, filters, observations, message
):
    with pytest.raises(FormatError) as caught:
        srt_lane.write_srt_lane(
            doc(*observations), io.BytesIO(), target=tmp_path / "out.srt", **filters
        )
    assert str(tmp_path / "out.srt") in str(caught.value)
    assert message in str(caught.value)


def test_the_observation_is_chosen_by_name():
    document = doc(Observation("A", events=EVENTS[:1]), Observation("B", events=EVENTS[3:4]))
    assert lane(document, observation="B") == [(2000, 6000, ["Infant: Cries"])]


def test_format_spec_writes_a_document_already_filtered_to_one_lane(tmp_path):
    document = doc(Observation("V", events=EVENTS[:1]))
    stream = io.BytesIO()
    srt_lane.FORMAT.write(document, stream, tmp_path / "lane.srt")
    assert parse_srt(stream.getvalue()) == [(1000, 4000, ["Mother: Looks at infant", "warm gaze"])]
    assert srt_lane.FORMAT.id == "srt" and srt_lane.FORMAT.read is None
    assert srt_lane.sniff(stream.getvalue(), "x")
    assert not srt_lane.sniff(b"Timed a ;", "x.srt")


names = st.text(max_size=20)


@settings(max_examples=150, deadline=None)
@given(
    code_names=st.lists(names, min_size=1, max_size=4),
    raw=st.lists(
        st.tuples(
            st.integers(0, 3),
            st.integers(0, 24 * 3600 * 1000),
            st.integers(0, 60_000),
            st.booleans(),
            st.none() | names,
        ),
        max_size=15,
    ),
    offset=st.integers(0, 5000),  # cues before the media starts: tested above
)
def test_any_lane_gives_one_cue_per_event_on_the_media_clock(code_names, raw, offset):
    codes = tuple(CodeDef(f"c{i}", n) for i, n in enumerate(code_names))
    events = tuple(
        Event(codes[c % len(codes)].id, s, s if point else s + d, caption=caption)
        for c, s, d, point, caption in raw
    )
    observation = Observation("V", media=(MediaRef("a.mp4", offset_ms=offset),), events=events)
    cues = lane(Document("vfa", "", codes=codes, observations=(observation,)))
    visible = list(events)
    assert len(cues) == len(visible)
    for (start, end, _lines), e in zip(
        cues, sorted(visible, key=lambda e: (e.start_ms, e.end_ms)), strict=True
    ):
        assert start == max(e.start_ms + offset, 0)
        if not e.is_point:
            assert end == e.end_ms + offset
        else:
            assert e.start_ms + offset < end <= e.start_ms + offset + srt_lane.POINT_DISPLAY_MS
