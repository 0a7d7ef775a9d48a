"""Bad and hostile .eaf files: refused with the file, place and reason, or read with the
oddities listed; never another exception."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.io.eaf_files import EAF_28, EAF_30, SAMPLE, aligned, minimal, shared, slot
from vfa.errors import FormatError
from vfa.io.eaf import read_eaf
from vfa.io.eaf_time import MAX_MS


def write(tmp_path: Path, data: str | bytes, name: str = "bad.eaf") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def refused(path: Path) -> FormatError:
    with pytest.raises(FormatError) as caught:
        read_eaf(path)
    assert str(path) in str(caught.value)
    return caught.value


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE ANNOTATION_DOCUMENT [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<ANNOTATION_DOCUMENT AUTHOR="&lol4;" DATE="" VERSION="3.0"/>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE ANNOTATION_DOCUMENT [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ANNOTATION_DOCUMENT AUTHOR="&secret;" DATE="" VERSION="3.0"/>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_entities_and_dtds_are_refused(tmp_path, text):
    error = refused(write(tmp_path, text))
    assert "such files are refused" in error.reason


def test_a_file_claiming_2_gb_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.eaf"
    with path.open("wb") as f:
        f.truncate(2 * 1024**3)  # sparse: nothing is written
    error = refused(path)
    assert "2,147,483,648 bytes" in error.reason and "refused" in error.reason


def test_a_folder_or_a_pipe_is_refused(tmp_path):
    (tmp_path / "dir.eaf").mkdir()
    assert "folder" in refused(tmp_path / "dir.eaf").reason
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.eaf")
        assert "regular file" in refused(tmp_path / "pipe.eaf").reason


def test_truncated_xml_names_the_line_and_column(tmp_path):
    cut = EAF_28[: EAF_28.index('<TIER LINGUISTIC_TYPE_REF="free"') + 20]
    error = refused(write(tmp_path, cut))
    line = cut.count("\n") + 1
    assert re.fullmatch(rf"line {line}, column \d+", error.place)
    assert "not well-formed XML" in error.reason


@pytest.mark.parametrize(
    "declared", ["no-such-encoding", "shift_jis", "utf-32"], ids=["unknown", "multibyte", "u32"]
)
def test_an_encoding_the_parser_cannot_read_is_refused(tmp_path, declared):
    text = EAF_28.replace('encoding="UTF-8"', f'encoding="{declared}"')
    error = refused(write(tmp_path, text))
    assert error.place == "XML declaration" and "encoding" in error.reason


def test_another_kind_of_xml_is_refused(tmp_path):
    error = refused(write(tmp_path, '<?xml version="1.0"?><CV_RESOURCE/>'))
    assert error.place == "root element <CV_RESOURCE>" and "not an ELAN file" in error.reason


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("-40", "is negative"),
        ("NaN", "not a finite number"),
        ("Infinity", "not a finite number"),
        ("1e30", "past 24 hours"),
        (str(MAX_MS + 1), "past 24 hours"),
        ("12:30", "not a number"),
    ],
)
def test_a_time_that_is_negative_not_a_number_or_past_a_day_refuses_the_file(tmp_path, value, why):
    text = minimal(slot("ts1", "0") + slot("ts2", value), aligned("a1", "ts1", "ts2"))
    error = refused(write(tmp_path, text))
    assert error.place == "TIME_SLOT 'ts2'" and why in error.reason and value in error.reason


def test_an_absurd_time_origin_refuses_the_file(tmp_path):
    text = EAF_28.replace('TIME_ORIGIN="2500"', 'TIME_ORIGIN="9e99"')
    error = refused(write(tmp_path, text))
    assert error.place == "MEDIA_DESCRIPTOR 1 TIME_ORIGIN" and "past 24 hours" in error.reason


def test_an_annotation_that_ends_before_it_starts_is_reported_and_skipped(tmp_path):
    slots = slot("ts1", "1000") + slot("ts2", "2000") + slot("ts3", "3000")
    text = minimal(slots, aligned("a1", "ts2", "ts1") + aligned("a2", "ts2", "ts3"))
    doc = read_eaf(write(tmp_path, text))
    assert [(e.start_ms, e.end_ms) for e in doc.observations[0].events] == [(2000, 3000)]
    (problem,) = doc.problems
    assert problem.place == "tier 'Lane' annotation 'a1'"
    assert problem.reason == "ends (1000 ms) before it starts (2000 ms); skipped"


def test_many_alike_problems_are_listed_a_few_times_then_counted(tmp_path):
    slots = slot("ts1", "1000") + slot("ts2", "2000")
    anns = "".join(aligned(f"a{n}", "ts2", "ts1") for n in range(25))
    anns += aligned("b1", "ts1", "ts9")
    doc = read_eaf(write(tmp_path, minimal(slots, anns)))
    assert doc.observations[0].events == ()
    backwards = [p for p in doc.problems if "before it starts" in p.reason]
    assert len(backwards) == 10
    assert any(p.reason == "15 more annotations like this; skipped" for p in doc.problems)
    assert any(
        p.place == "tier 'Lane' annotation 'b1'" and "'ts9', which the file lacks" in p.reason
        for p in doc.problems
    )


def test_loops_of_references_and_of_parent_tiers_end(tmp_path):
    extra_tiers = (
        '<TIER LINGUISTIC_TYPE_REF="r" PARENT_REF="Loop2" TIER_ID="Loop1">'
        '<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="r1" ANNOTATION_REF="r2">'
        "<ANNOTATION_VALUE>x</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION></TIER>"
        '<TIER LINGUISTIC_TYPE_REF="r" PARENT_REF="Loop1" TIER_ID="Loop2">'
        '<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="r2" ANNOTATION_REF="r1">'
        "<ANNOTATION_VALUE>y</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION></TIER>"
        '<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="r" CONSTRAINTS="Symbolic_Association"/>'
    )
    text = minimal(slot("ts1", "0") + slot("ts2", "10"), aligned("a1", "ts1", "ts2"), "")
    text = text.replace("<LINGUISTIC_TYPE ", extra_tiers + "<LINGUISTIC_TYPE ", 1)
    doc = read_eaf(write(tmp_path, text))
    assert len(doc.observations[0].events) == 1
    assert {p.place for p in doc.problems} == {"tier 'Loop1'", "tier 'Loop2'"}


def test_missing_attributes_are_read_around(tmp_path):
    text = (
        EAF_28.replace(' TIER_ID="Notes"', "")
        .replace(' LINGUISTIC_TYPE_REF="gaze"', "")
        .replace('<TIME_SLOT TIME_SLOT_ID="ts8" TIME_VALUE="1800"/>', "<TIME_SLOT/>")
    )
    doc = read_eaf(write(tmp_path, text))
    places = {p.place for p in doc.problems}
    assert {"TIME_SLOT 8", "tier 'M-gaze'", "tier 'M-gaze' annotation 'a30'"} <= places
    assert "tier 5" in {e.subject for e in doc.observations[0].events}


# -- fuzzing ------------------------------------------------------------------------------

DECLARED = ["utf-16", "latin-1", "shift_jis", "utf-32", "x-unknown", "ascii"]
ABSURD = ["-1", "NaN", "inf", "1e400", "99999999999999", "", "0x10", "7.5", "٣"]


@st.composite
def mutated(draw, base: bytes) -> bytes:
    """The file with one to three of: truncation, flipped bytes, another encoding (or
    another declared), an attribute dropped, an annotation's slots swapped, an absurd
    number."""
    data = base
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["cut", "flip", "encode", "declare", "drop", "swap", "number"]))
        if how == "cut":
            data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
        elif how == "flip" and data:
            for _ in range(draw(st.integers(1, 8))):
                at = draw(st.integers(0, len(data) - 1))
                data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif how == "encode":
            encoding = draw(st.sampled_from(["utf-16", "utf-16-be", "latin-1", "cp1252"]))
            data = data.decode("utf-8", "replace").encode(encoding, "replace")
        elif how == "declare":
            declared = draw(st.sampled_from(DECLARED)).encode()
            data = data.replace(b'encoding="UTF-8"', b'encoding="' + declared + b'"', 1)
        elif how in ("drop", "number", "swap"):
            pattern = {
                "drop": rb' [A-Z_0-9]+="[^"]*"',
                "number": rb'(?<=TIME_VALUE=")[^"]*|(?<=TIME_ORIGIN=")[^"]*',
                "swap": rb'TIME_SLOT_REF1="[^"]*" TIME_SLOT_REF2="[^"]*"',
            }[how]
            spots = [m.span() for m in re.finditer(pattern, data[:200_000])]
            if spots:
                a, b = draw(st.sampled_from(spots))
                if how == "drop":
                    new = b""
                elif how == "number":
                    new = draw(st.sampled_from(ABSURD)).encode()
                else:
                    one, two = re.findall(rb'"([^"]*)"', data[a:b])
                    new = b'TIME_SLOT_REF1="' + two + b'" TIME_SLOT_REF2="' + one + b'"'
                data = data[:a] + new + data[b:]
    return data


def check(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        doc = read_eaf(path)
    except FormatError as exc:
        assert str(path) in str(exc)
        return
    codes = {c.id for c in doc.codes}
    for event in doc.observations[0].events:
        assert 0 <= event.start_ms <= event.end_ms <= MAX_MS
        assert event.code in codes


SMALL = [
    EAF_28.encode(),
    EAF_30.encode(),
    minimal(
        slot("ts1", "0") + slot("ts2", None) + slot("ts3", "9"), aligned("a", "ts1", "ts3")
    ).encode(),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_small_files_are_read_or_refused_naming_the_file(tmp_path_factory, data):
    base = data.draw(st.sampled_from(SMALL))
    check(tmp_path_factory.mktemp("fuzz") / "mutated.eaf", data.draw(mutated(base)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_mutated_shared_sample_is_read_or_refused_naming_the_file(tmp_path_factory, data):
    base = shared(SAMPLE).read_bytes()
    check(tmp_path_factory.mktemp("fuzz") / "sample.eaf", data.draw(mutated(base)))


def test_a_day_exactly_is_read_and_a_slot_with_no_time_on_one_side_is_skipped(tmp_path):
    slots = slot("ts0", None) + slot("ts1", "0") + slot("ts2", str(MAX_MS))
    text = minimal(slots, aligned("a1", "ts1", "ts2") + aligned("a2", "ts0", "ts1"))
    doc = read_eaf(write(tmp_path, text))
    assert [(e.start_ms, e.end_ms) for e in doc.observations[0].events] == [(0, MAX_MS)]
    assert [(p.place, p.reason) for p in doc.problems] == [
        (
            "tier 'Lane'",
            "1 time slot has no time and no aligned slot on one side; "
            "their annotations are skipped",
        )
    ]


def test_a_long_chain_of_references_is_walked_once(tmp_path):
    import time

    n = 30_000
    chain = "".join(
        f'<ANNOTATION><REF_ANNOTATION ANNOTATION_ID="r{i}" '
        f'ANNOTATION_REF="{"a1" if i == 0 else f"r{i - 1}"}">'
        f"<ANNOTATION_VALUE>{i}</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>"
        for i in range(n)
    )
    tier = f'<TIER LINGUISTIC_TYPE_REF="r" PARENT_REF="Lane" TIER_ID="Chain">{chain}</TIER>'
    text = minimal(slot("ts1", "0") + slot("ts2", "10"), aligned("a1", "ts1", "ts2"))
    text = text.replace(
        "<LINGUISTIC_TYPE ",
        tier + '<LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="r" CONSTRAINTS="Symbolic_Association"/>'
        "<LINGUISTIC_TYPE ",
        1,
    )
    path = write(tmp_path, text)
    started = time.process_time()
    (event,) = read_eaf(path).observations[0].events
    # walked once per reference (well under a second); step by step from each it would
    # be 450 million steps
    assert time.process_time() - started < 5
    assert len(event.modifiers) == n and event.modifiers[-1] == ("Chain", str(n - 1))


def test_deep_tiers_and_many_alike_entries_are_read_in_one_pass(tmp_path):
    import time

    n = 20_000
    tiers = "".join(
        f'<TIER LINGUISTIC_TYPE_REF="t" PARENT_REF="T{i - 1}" TIER_ID="T{i}"/>' for i in range(1, n)
    )
    entries = "".join(f"<CV_ENTRY>+{'*' * (i % 3)}</CV_ENTRY>" for i in range(n))
    text = minimal(
        slot("ts1", "0") + slot("ts2", "10"),
        aligned("a1", "ts1", "ts2", "+"),
        f'<CONTROLLED_VOCABULARY CV_ID="V">{entries}</CONTROLLED_VOCABULARY>',
    )
    text = (
        text.replace('TIER_ID="Lane"', 'TIER_ID="T0" PARTICIPANT="Baby"')
        .replace('TIME_ALIGNABLE="true"/>', 'TIME_ALIGNABLE="true" CONTROLLED_VOCABULARY_REF="V"/>')
        .replace("<LINGUISTIC_TYPE ", tiers + "<LINGUISTIC_TYPE ", 1)
    )
    path = write(tmp_path, text)
    started = time.process_time()
    doc = read_eaf(path)
    assert time.process_time() - started < 5  # each tier and id once, not once per tier
    assert [s.name for s in doc.subjects] == ["Baby"]  # every empty tier inherits it
    assert len(doc.codes) == n and doc.codes[-1].id == f"code-{n}"
    assert len({c.id for c in doc.codes}) == n
