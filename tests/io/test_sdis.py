"""SDIS timed-event data for GSEQ, checked by a small SDIS reader written here from the
standard (not from the writer)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vfa.errors import FormatError
from vfa.io import sdis
from vfa.io.document import CodeDef, CodeKind, Document, Event, Observation, Subject

# ---- an independent SDIS timed-event reader -------------------------------------------

CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,15}")
EVENT = re.compile(r"([A-Za-z][A-Za-z0-9_]*),(\d+)(?:-(\d+))?")
MAPPING = re.compile(r"%\s+(\w+) = (\"(?:[^\"\\]|\\.)*\")(?: of subject (\"(?:[^\"\\]|\\.)*\"))?$")


class SdisSyntaxError(AssertionError):
    pass


@dataclass
class Session:
    label: str
    start: int
    end: int
    events: list[tuple[str, int, int | None]] = field(default_factory=list)  # code, on, off


@dataclass
class Sds:
    codes: list[str]
    names: dict[str, tuple[str, str | None]]  # code -> (code name, subject name)
    sessions: list[Session]
    comments: list[str]


def parse_sdis(data: bytes) -> Sds:
    """Timed-event SDIS: ``Timed codes ;`` then sessions ``<label> ,start events ,end/``."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise SdisSyntaxError(f"not ASCII at byte {exc.start}") from exc
    if "\n" in text.replace("\r\n", ""):
        raise SdisSyntaxError("a line ends without CR LF")
    body, comments, names = [], [], {}
    for line in text.split("\r\n"):
        content, percent, comment = line.partition("%")
        body.append(content)
        if percent:
            comments.append(percent + comment)
            mapped = MAPPING.match(percent + comment)
            if mapped:
                subject = json.loads(mapped[3]) if mapped[3] else None
                names[mapped[1]] = (json.loads(mapped[2]), subject)
    declaration, semicolon, rest = " ".join(body).partition(";")
    if not semicolon:
        raise SdisSyntaxError("the declaration does not end with ';'")
    words = declaration.split()
    if not words or words[0] != "Timed":
        raise SdisSyntaxError("not timed-event data")
    codes = words[1:]
    if not codes:
        raise SdisSyntaxError("no codes declared")
    for code in codes:
        if not CODE.fullmatch(code):
            raise SdisSyntaxError(f"code {code!r} is not an SDIS code")
    if len({c.lower() for c in codes}) != len(codes):
        raise SdisSyntaxError("a code is declared twice")
    pieces = rest.split("/")
    if pieces[-1].strip():
        raise SdisSyntaxError("the file does not end with '/'")
    sessions = [_session(piece, set(codes)) for piece in pieces[:-1]]
    return Sds(codes, names, sessions, comments)


def _session(piece: str, codes: set[str]) -> Session:
    labelled = re.fullmatch(r"\s*<([^<>]*)>(.*)", piece, re.S)
    if not labelled:
        raise SdisSyntaxError(f"session without a label: {piece[:40]!r}")
    tokens = labelled[2].split()
    if (
        len(tokens) < 2
        or not re.fullmatch(r",\d+", tokens[0])
        or not re.fullmatch(r",\d+", tokens[-1])
    ):
        raise SdisSyntaxError(f"session {labelled[1]!r} lacks ',start' or ',end'")
    session = Session(labelled[1], int(tokens[0][1:]), int(tokens[-1][1:]))
    if session.end < session.start:
        raise SdisSyntaxError("a session ends before it starts")
    last_onset = session.start
    running: dict[str, int] = {}  # code -> end of its latest occurrence
    for token in tokens[1:-1]:
        match = EVENT.fullmatch(token)
        if not match:
            raise SdisSyntaxError(f"{token!r} is not code,onset[-offset]")
        code, onset = match[1], int(match[2])
        offset = int(match[3]) if match[3] else None
        if code not in codes:
            raise SdisSyntaxError(f"code {code!r} is not declared")
        if onset < last_onset:
            raise SdisSyntaxError(f"{token!r} is out of onset order")
        end = offset if offset is not None else onset + 1
        if offset is not None and offset <= onset:
            raise SdisSyntaxError(f"{token!r} ends before it starts")
        if end > session.end:
            raise SdisSyntaxError(f"{token!r} runs past the session end")
        if running.get(code, -1) > onset:
            raise SdisSyntaxError(f"{token!r} overlaps an earlier {code}")
        running[code] = end
        last_onset = onset
        session.events.append((code, onset, offset))
    return session


@pytest.mark.parametrize(
    "bad",
    [
        b"Timed a b\r\n<s> ,0 a,1 ,5/\r\n",  # no ';'
        b"Event a ;\r\n<s> ,0 a,1 ,5/\r\n",
        b"Timed 1a ;\r\n<s> ,0 ,5/\r\n",
        b"Timed a ;\r\n<s> ,0 b,1 ,5/\r\n",
        b"Timed a ;\r\n<s> ,0 a,3 a,1 ,5/\r\n",
        b"Timed a ;\r\n<s> ,0 a,1-4 a,2 ,5/\r\n",
        b"Timed a ;\r\n<s> ,0 a,1-9 ,5/\r\n",
        b"Timed a ;\r\n<s> ,0 a,1 ,5\r\n",
        b"Timed a ;\n<s> ,0 a,1 ,5/\n",
        b"Timed a ;\r\n,0 a,1 ,5/\r\n",
    ],
)
def test_the_reader_here_refuses_bad_sdis(bad):
    with pytest.raises(SdisSyntaxError):
        parse_sdis(bad)


# ---- the writer ----------------------------------------------------------------------


def written(document: Document) -> bytes:
    stream = io.BytesIO()
    sdis.write_sdis(document, stream)
    return stream.getvalue()


def spans_back(sds: Sds) -> dict[str, list[tuple[str, str | None, int, int]]]:
    """Per session label: (code name, subject name, start, end) read back via the comments."""
    out = {}
    for session in sds.sessions:
        out[session.label] = [
            (*sds.names[code], onset, onset if offset is None else offset)
            for code, onset, offset in session.events
        ]
    return out


CODES = (
    CodeDef("smile", "Mère sourit", CodeKind.STATE),
    CodeDef("cry", "Baby cries", CodeKind.STATE),
    CodeDef("look", "Looks", CodeKind.STATE),
    CodeDef("look2", "looks", CodeKind.POINT),  # the same but for case
    CodeDef("emoji", "😀 joy", CodeKind.POINT),
    CodeDef("num", "123 go", CodeKind.POINT),
    CodeDef("kw", "Timed", CodeKind.POINT),
    CodeDef("long", "A very long behaviour name indeed", CodeKind.STATE),
    CodeDef("long2", "A very long behaviour name too", CodeKind.STATE),
)


def test_codes_become_safe_unique_ids_mapped_in_comments():
    doc = Document(
        format="vfa",
        source="",
        codes=CODES,
        observations=(Observation("Visit 1", events=(Event("smile", 0, 100),)),),
    )
    sds = parse_sdis(written(doc))
    assert len(sds.codes) == len(CODES)
    assert {name for name, _ in sds.names.values()} == {c.name for c in CODES}
    assert set(sds.names) == set(sds.codes)
    by_name = {name: code for code, (name, _) in sds.names.items()}
    assert by_name["Mère sourit"] == "Mere_sourit"
    assert by_name["Baby cries"] == "Baby_cries"
    assert by_name["Looks"].lower() != by_name["looks"].lower()
    assert by_name["123 go"][0].isalpha()
    assert by_name["Timed"].lower() != "timed"
    assert all(len(code) <= 16 for code in sds.codes)


def test_states_points_and_overlaps_of_different_codes():
    events = (
        Event("cry", 1000, 5000),
        Event("smile", 2000, 3000),  # inside the cry: different codes may overlap
        Event("emoji", 2500, 2500),  # a point
        Event("num", 5000, 5000),  # a point where the cry ends
    )
    doc = Document("vfa", "", codes=CODES, observations=(Observation("V", events=events),))
    data = written(doc)
    sds = parse_sdis(data)
    (session,) = sds.sessions
    assert (session.start, session.end) == (0, 5001)
    assert spans_back(sds)["V"] == [
        ("Baby cries", None, 1000, 5000),
        ("Mère sourit", None, 2000, 3000),
        ("😀 joy", None, 2500, 2500),
        ("123 go", None, 5000, 5000),
    ]
    assert b"joy,2500\r\n" in data  # a point: onset only
    assert b"Baby_cries,1000-5000\r\n" in data


def test_overlapping_occurrences_of_one_code_are_joined_and_noted():
    events = (
        Event("cry", 1000, 4000),
        Event("cry", 3000, 6000),
        Event("cry", 6000, 7000),  # abutting: a new occurrence
        Event("emoji", 8000, 8000),
        Event("emoji", 8000, 8000),  # the same point twice
    )
    doc = Document("vfa", "", codes=CODES, observations=(Observation("V", events=events),))
    sds = parse_sdis(written(doc))
    assert spans_back(sds)["V"] == [
        ("Baby cries", None, 1000, 6000),
        ("Baby cries", None, 6000, 7000),
        ("😀 joy", None, 8000, 8000),
    ]
    notes = " ".join(sds.comments)
    assert "2 overlapping Baby_cries at 1000 joined" in notes
    assert "2 overlapping joy at 8000 joined" in notes


def test_subjects_are_part_of_the_code():
    doc = Document(
        "vfa",
        "",
        codes=CODES[:2],
        subjects=(Subject("m", "Mother"), Subject("i", "Infant")),
        observations=(
            Observation(
                "V",
                events=(Event("smile", 0, 10, subject="m"), Event("cry", 5, 20, subject="i")),
            ),
        ),
    )
    sds = parse_sdis(written(doc))
    assert sds.codes == ["Mother_Mere_sour", "Infant_Baby_crie"]
    assert spans_back(sds)["V"] == [
        ("Mère sourit", "Mother", 0, 10),
        ("Baby cries", "Infant", 5, 20),
    ]


def test_sessions_one_per_observation_an_empty_one_included():
    doc = Document(
        "vfa",
        "in.eaf",
        codes=CODES[:2],
        observations=(
            Observation("Visit <1/2>; 100% done", events=(Event("cry", 0, 500),)),
            Observation("Nothing coded"),
            Observation("Émile", events=(Event("smile", 10, 20),)),
        ),
    )
    data = written(doc)
    sds = parse_sdis(data)
    assert [s.label for s in sds.sessions] == ["Visit _1_2__ 100_ done", "Nothing coded", "Emile"]
    empty = sds.sessions[1]
    assert (empty.start, empty.end, empty.events) == (0, 0, [])
    assert '% observation "Visit <1/2>; 100% done"' in data.decode()
    assert data.endswith(b"/\r\n")
    assert data.count(b"/\r\n") == 3


def test_unknown_code_ids_are_written_by_id():
    doc = Document("vfa", "", observations=(Observation("V", events=(Event("x y", 0, 5),)),))
    sds = parse_sdis(written(doc))
    assert sds.codes == ["x_y"] and sds.names["x_y"] == ("x y", None)


def test_nothing_to_write_is_refused_naming_the_target(tmp_path):
    with pytest.raises(FormatError, match="no observations"):
        sdis.FORMAT.write(Document("vfa", "", codes=CODES), io.BytesIO(), tmp_path / "out.sds")
    with pytest.raises(FormatError, match=r"out\.sds: has no codes"):
        sdis.FORMAT.write(
            Document("vfa", "", observations=(Observation("V"),)),
            io.BytesIO(),
            tmp_path / "out.sds",
        )


def test_format_spec_writes_what_write_sdis_writes(tmp_path):
    doc = Document(
        "vfa", "", codes=CODES, observations=(Observation("V", events=(Event("cry", 0, 9),)),)
    )
    stream = io.BytesIO()
    sdis.FORMAT.write(doc, stream, tmp_path / "x.sds")
    assert stream.getvalue() == written(doc)
    assert sdis.FORMAT.id == "sdis" and sdis.FORMAT.suffixes == (".sds",)
    assert sdis.FORMAT.read is None
    assert sdis.sniff(stream.getvalue(), "x.txt")
    assert not sdis.sniff(b"<?xml version='1.0'?>", "x.sds")
    assert not sdis.sniff(b"% only a comment", "x.sds")


# ---- property: any document gives SDIS the reader here accepts, with the same timing ----

names = st.text(min_size=1, max_size=30)
times = st.integers(0, 24 * 3600 * 1000)


@st.composite
def documents(draw) -> Document:
    code_names = draw(st.lists(names, min_size=1, max_size=6))
    codes = tuple(CodeDef(f"c{i}", n) for i, n in enumerate(code_names))
    subjects = tuple(Subject(f"s{i}", n) for i, n in enumerate(draw(st.lists(names, max_size=3))))
    observations = []
    for label in draw(st.lists(names, min_size=1, max_size=3)):
        events = []
        for _ in range(draw(st.integers(0, 12))):
            start = draw(times)
            end = start if draw(st.booleans()) else draw(st.integers(start, 24 * 3600 * 1000))
            subject = draw(st.sampled_from([None, *(s.id for s in subjects)]))
            events.append(Event(draw(st.sampled_from(codes)).id, start, end, subject=subject))
        observations.append(Observation(label, events=tuple(events)))
    return Document("vfa", "", codes=codes, subjects=subjects, observations=tuple(observations))


def _occupied(intervals) -> set[tuple[int, int]]:
    """The union of [start, end) intervals as disjoint runs."""
    runs: list[list[int]] = []
    for start, end in sorted(intervals):
        if runs and start <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    return {tuple(r) for r in runs}


@settings(max_examples=150, deadline=None)
@given(doc=documents())
def test_any_document_gives_valid_sdis_with_the_same_timing(doc):
    sds = parse_sdis(written(doc))
    assert len(sds.sessions) == len(doc.observations)
    subject_names = {s.id: s.name for s in doc.subjects}
    for observation, session in zip(doc.observations, sds.sessions, strict=True):
        expected: dict[tuple[str, str | None], list[tuple[int, int]]] = {}
        for e in observation.events:
            code = doc.code(e.code)
            assert code is not None
            key = (code.name, subject_names.get(e.subject) if e.subject else None)
            expected.setdefault(key, []).append((e.start_ms, max(e.end_ms, e.start_ms + 1)))
        got: dict[tuple[str, str | None], list[tuple[int, int]]] = {}
        for code, onset, offset in session.events:
            got.setdefault(sds.names[code], []).append((onset, offset or onset + 1))
        assert {k: _occupied(v) for k, v in got.items()} == {
            k: _occupied(v) for k, v in expected.items()
        }
