"""BORIS projects in: the shared sample, projects the tests write, hostile files, fuzzing."""

from __future__ import annotations

import copy
import gzip
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.requirements import INTEROP, need_interop
from vfa.errors import FormatError
from vfa.io import boris, unpack
from vfa.io.document import CodeKind, Document

SAMPLE = INTEROP / "boris" / "test.boris"


@pytest.fixture(scope="module")
def sample() -> Path:
    return need_interop("boris/test.boris")


def ethogram(*behaviours: dict[str, Any]) -> dict[str, Any]:
    base = {"key": "", "description": "", "category": "", "modifiers": {}, "excluded": ""}
    return {str(i): {**base, **b} for i, b in enumerate(behaviours)}


def project(observations: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A BORIS 8 project: point 'p', state 's', subjects Mother and Infant."""
    out = {
        "project_name": "made here",
        "project_format_version": "7.0",
        "behaviors_conf": ethogram(
            {"type": "Point event", "key": "p", "code": "p"},
            {"type": "State event", "key": "s", "code": "s", "category": "talk"},
        ),
        "subjects_conf": {
            "0": {"key": "m", "name": "Mother", "description": "the mother"},
            "1": {"key": "i", "name": "Infant", "description": ""},
        },
        "observations": observations,
    }
    out.update(extra)
    return out


def live(events: list[list[Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "LIVE", "file": {}, "time offset": 0.0, "events": events, **extra}


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def read(tmp_path: Path, data: Any, name: str = "p.boris") -> Document:
    return boris.read(write_json(tmp_path / name, data))


def spans(document: Document, observation: int = 0) -> list[tuple[Any, ...]]:
    return [
        (e.code, e.start_ms, e.end_ms, e.subject, e.modifiers)
        for e in document.observations[observation].events
    ]


# -- the shared sample (BORIS's own test project) ------------------------------------------


def test_the_shared_sample_gives_its_ethogram_subjects_and_observations(sample):
    raw = json.loads(sample.read_text())
    doc = boris.read(sample)
    assert doc.format == "boris" and doc.name == raw["project_name"]
    assert [c.id for c in doc.codes] == [b["code"] for b in raw["behaviors_conf"].values()]
    kinds = {c.id: c.kind for c in doc.codes}
    assert kinds["p"] is CodeKind.POINT and kinds["s"] is CodeKind.STATE
    assert doc.code("m").modifier_sets == ("modif #1", "modif #2")
    assert {s.name for s in doc.subjects} == {"subject1", "subject2"}
    assert [o.name for o in doc.observations] == list(raw["observations"])


def test_the_shared_sample_pairs_states_by_subject(sample):
    doc = boris.read(sample)
    obs = next(o for o in doc.observations if o.name == "observation #1")
    assert [(e.subject, e.start_ms, e.end_ms) for e in obs.events] == [
        ("subject1", 3300, 7750),
        ("subject1", 9900, 16200),
        ("subject1", 18350, 24475),
        ("subject2", 38425, 46100),
    ]
    assert dict(obs.variables) == {"a": "12", "b": "text value for b", "c": "111"}


def test_the_shared_sample_gives_each_players_offset(sample):
    doc = boris.read(sample)
    by_name = {o.name: o for o in doc.observations}
    later = {m.player: m.offset_ms for m in by_name["offset positif"].media}
    earlier = {m.player: m.offset_ms for m in by_name["offset neg"].media}
    # player 2 offset +20 s: it plays player 1's time - 20 s
    assert later == {1: 0, 2: -20000} and earlier == {1: 0, 2: 20000}
    playlist = by_name["observation #2"].media
    assert [(m.player, m.offset_ms) for m in playlist] == [(1, 0), (1, -179960)]
    assert playlist[0].duration_ms == 179960 and playlist[0].fps == 25.0


def test_the_shared_sample_reports_its_unpaired_state(sample):
    doc = boris.read(sample)
    raw = json.loads(sample.read_text())["observations"]["live not paired"]["events"]
    starts = [i for i, row in enumerate(raw, 1) if row[2] == "s"]
    (problem,) = [p for p in doc.problems if "live not paired" in p.place]
    assert problem.place == f"observation 'live not paired' event {starts[-1]}"
    assert "never stopped" in problem.reason
    obs = next(o for o in doc.observations if o.name == "live not paired")
    assert len([e for e in obs.events if e.code == "s"]) == len(starts) // 2


def test_the_shared_sample_modifiers_none_is_no_modifier(sample):
    doc = boris.read(sample)
    obs = next(o for o in doc.observations if o.name == "modifiers")
    assert [(e.code, e.modifiers) for e in obs.events] == [
        ("q", (("modif #1", "m1"),)),
        ("q", (("modif #1", "m2"),)),
        ("q", (("modif #1", "m3"),)),
        ("r", (("modif #1", "m1"),)),
        ("r", ()),
    ]


# -- files written here: every feature ---------------------------------------------------------


def test_state_pairs_across_subjects_interleaved(tmp_path):
    rows = [
        [1.0, "Mother", "s", "", "hello"],
        [2.0, "Infant", "s", "", ""],
        [2.5, "", "p", "", "a point"],
        [3.0, "Mother", "s", "", "bye"],
        [4.0, "Infant", "s", "", ""],
    ]
    doc = read(tmp_path, project({"obs": live(rows)}))
    assert spans(doc) == [
        ("s", 1000, 3000, "Mother", ()),
        ("s", 2000, 4000, "Infant", ()),
        ("p", 2500, 2500, None, ()),
    ]
    events = doc.observations[0].events
    assert events[0].comment == "hello\nbye" and events[2].comment == "a point"
    assert doc.problems == ()
    assert doc.code("s").category == "talk" and doc.code("p").key == "p"
    assert doc.subjects[0].description == "the mother"


def test_state_pairs_are_kept_apart_by_modifiers(tmp_path):
    behaviours = ethogram(
        {
            "type": "State event",
            "code": "look",
            "modifiers": {"0": {"name": "at", "type": 0, "values": ["face", "toy"]}},
        }
    )
    rows = [
        [1.0, "", "look", "face", ""],
        [2.0, "", "look", "toy", ""],
        [3.0, "", "look", "face", ""],
        [4.0, "", "look", "toy", ""],
    ]
    doc = read(tmp_path, project({"o": live(rows)}, behaviors_conf=behaviours))
    assert spans(doc) == [
        ("look", 1000, 3000, None, (("at", "face"),)),
        ("look", 2000, 4000, None, (("at", "toy"),)),
    ]


def test_modifiers_single_multiple_and_free(tmp_path):
    sets = {
        "0": {"name": "mood", "type": 0, "values": ["calm", "upset (u)"]},
        "1": {"name": "with", "type": 1, "values": ["toy", "book", "cup"]},
        "2": {"name": "loudness", "type": 2, "values": []},
    }
    behaviours = ethogram({"type": "Point event", "code": "cry", "modifiers": sets})
    rows = [
        [1.0, "", "cry", "upset|toy,cup|12.5", ""],
        [2.0, "", "cry", "None|None|None", ""],
        [3.0, "", "cry", "", ""],
        [4.0, "", "cry", "calm||NA", ""],
    ]
    doc = read(tmp_path, project({"o": live(rows)}, behaviors_conf=behaviours))
    by_id = {s.id: s for s in doc.modifier_sets}
    assert by_id["mood"].values == ("calm", "upset") and not by_id["mood"].multiple
    assert by_id["with"].multiple and by_id["loudness"].values == ()
    assert doc.code("cry").modifier_sets == ("mood", "with", "loudness")
    assert [e.modifiers for e in doc.observations[0].events] == [
        (("mood", "upset"), ("with", "toy"), ("with", "cup"), ("loudness", "12.5")),
        (),
        (),
        (("mood", "calm"),),
    ]


def test_a_state_never_stopped_is_reported_not_closed(tmp_path):
    rows = [
        [1.0, "Mother", "s", "", ""],
        [2.0, "Mother", "s", "", ""],
        [5.0, "Infant", "s", "", ""],
    ]
    doc = read(tmp_path, project({"first visit": live(rows)}))
    assert spans(doc) == [("s", 1000, 2000, "Mother", ())]
    (problem,) = doc.problems
    assert problem.place == "observation 'first visit' event 3"
    assert "'Infant'" in problem.reason and "never stopped" in problem.reason


def test_two_players_with_offsets_and_a_time_offset(tmp_path):
    obs = {
        "type": "MEDIA",
        "file": {"1": ["a.mp4", "b.mp4"], "2": ["side.mp4"], "3": []},
        "time offset": 5.0,
        "media_info": {
            "length": {"a.mp4": 60.0, "b.mp4": 30.0, "side.mp4": 90.0},
            "fps": {"a.mp4": 25.0},
            "offset": {"1": 0.0, "2": 3.5, "3": 0.0},
        },
        "events": [[7.0, "", "p", "", "", 50]],
    }
    doc = read(tmp_path, project({"o": obs}))
    media = doc.observations[0].media
    # event time = player 1's media time + 5 s; player 2 plays player 1's time - 3.5 s
    assert [(m.path, m.player, m.offset_ms) for m in media] == [
        ("a.mp4", 1, -5000),
        ("b.mp4", 1, -65000),
        ("side.mp4", 2, -8500),
    ]
    assert media[0].duration_ms == 60000 and media[0].fps == 25.0 and media[2].fps is None


def test_an_offset_on_player_one_is_reported_not_applied(tmp_path):
    obs = {
        "type": "MEDIA",
        "file": {"1": ["a.mp4"], "2": []},
        "media_info": {"offset": {"1": 2.0, "2": 0.0}},
        "events": [],
    }
    doc = read(tmp_path, project({"o": obs}))
    assert doc.observations[0].media[0].offset_ms == 0
    assert [p.place for p in doc.problems] == ["observation 'o' media_info offset '1'"]


def test_a_playlist_file_of_unknown_length_is_reported(tmp_path):
    obs = {"type": "MEDIA", "file": {"1": ["a.mp4", "b.mp4"]}, "events": []}
    doc = read(tmp_path, project({"o": obs}))
    assert [p.reason for p in doc.problems] == ["the start of 'b.mp4' in its player is not known"]


def test_gzip_projects_read_like_plain_ones(tmp_path):
    data = project({"o": live([[1.25, "", "p", "", ""]])})
    plain = read(tmp_path, data)
    packed = tmp_path / "p.boris.gz"
    packed.write_bytes(gzip.compress(json.dumps(data).encode()))
    zipped = boris.read(packed)
    assert spans(zipped) == spans(plain) == [("p", 1250, 1250, None, ())]
    assert zipped.codes == plain.codes


def test_version_5_rows_and_version_8_rows_with_frames_agree(tmp_path):
    five = [[1.0, "Mother", "s", "", ""], [2.0, "Mother", "s", "", ""], [3.0, "", "p", "", ""]]
    eight = [[*row, frame] for row, frame in zip(five, (25, "NA", 75), strict=True)]
    old = read(tmp_path, project({"o": live(five)}, project_format_version="5.0"), "a.boris")
    new = read(tmp_path, project({"o": live(eight)}), "b.boris")
    assert (
        spans(old) == spans(new) == [("s", 1000, 2000, "Mother", ()), ("p", 3000, 3000, None, ())]
    )


def test_the_oldest_projects_files_subjects_and_modifiers(tmp_path):
    data = {
        "project_name": "old",
        "behaviors_conf": ethogram(
            {"type": "Point event", "code": "p", "modifiers": "a,b|c,d"},
        ),
        "subjects_conf": {"0": ["k", "Mother"]},
        "observations": {
            "o": {
                "type": "VIDEO",
                "file": ["one.avi", "two.avi"],
                "time offset second player": 1.5,
                "events": [[1.0, "Mother", "p", "b|c", ""]],
            }
        },
    }
    doc = read(tmp_path, data)
    assert [(s.id, s.key) for s in doc.subjects] == [("Mother", "k")]
    assert [(s.id, s.values) for s in doc.modifier_sets] == [
        ("p set 1", ("a", "b")),
        ("p set 2", ("c", "d")),
    ]
    assert spans(doc) == [("p", 1000, 1000, "Mother", (("p set 1", "b"), ("p set 2", "c")))]
    assert [(m.path, m.player, m.offset_ms) for m in doc.observations[0].media] == [
        ("one.avi", 1, 0),
        ("two.avi", 2, -1500),
    ]


def test_times_as_decimal_text_round_half_up(tmp_path):
    rows = [["1.0005", "", "p", "", ""], [2.0004999, "", "p", "", ""], [3, "", "p", "", ""]]
    doc = read(tmp_path, project({"o": live(rows)}))
    assert [e.start_ms for e in doc.observations[0].events] == [1001, 2000, 3000]


def test_a_time_na_is_reported_and_left_out(tmp_path):
    doc = read(tmp_path, project({"o": live([["NA", "", "p", "", ""], [1, "", "p", "", ""]])}))
    assert spans(doc) == [("p", 1000, 1000, None, ())]
    assert [p.place for p in doc.problems] == ["observation 'o' event 1"]


@pytest.mark.parametrize(
    ("time", "reason"),
    [(-0.5, "negative"), ("-1", "negative"), (86400.001, "beyond 24 hours"), ("soon", "not a")],
)
def test_bad_times_are_refused_naming_the_event(tmp_path, time, reason):
    rows = [[1.0, "", "p", "", ""], [time, "", "p", "", ""]]
    with pytest.raises(FormatError) as caught:
        read(tmp_path, project({"visit 2": live(rows)}))
    assert caught.value.place == "observation 'visit 2' event 2"
    assert reason in caught.value.reason and str(tmp_path) in str(caught.value)


def test_exclusive_groups_from_consistent_exclusions(tmp_path):
    behaviours = ethogram(
        {"type": "State event", "code": "a", "excluded": "b,c"},
        {"type": "State event", "code": "b", "excluded": "a,c"},
        {"type": "State event", "code": "c", "excluded": "a,b"},
        {"type": "State event", "code": "d", "excluded": "e"},
        {"type": "State event", "code": "e", "excluded": ""},
        {"type": "Point event", "code": "f", "excluded": "ghost"},
    )
    doc = read(tmp_path, project({}, behaviors_conf=behaviours))
    groups = {c.id: c.exclusive_group for c in doc.codes}
    assert groups["a"] == groups["b"] == groups["c"] is not None
    assert groups["d"] is groups["e"] is groups["f"] is None
    reasons = " ".join(p.reason for p in doc.problems)
    assert "d, e exclude each other only in part" in reasons and "'ghost'" in reasons


def test_unknown_codes_and_subjects_in_events(tmp_path):
    rows = [[1.0, "", "zz", "", ""], [2.0, "Father", "p", "", ""]]
    doc = read(tmp_path, project({"o": live(rows)}))
    assert spans(doc) == [("p", 2000, 2000, "Father", ())]
    assert "Father" in {s.id for s in doc.subjects}
    assert [p.place for p in doc.problems] == ["observation 'o' event 1", "observation 'o' event 2"]


def test_a_windows_1252_project_is_read_and_reported(tmp_path):
    data = project({"o": live([[1.0, "", "p", "", "café"]])})
    path = tmp_path / "w.boris"
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode("cp1252"))
    doc = boris.read(path)
    assert doc.observations[0].events[0].comment == "café"
    assert "Windows-1252" in doc.problems[0].reason


def test_sniff_knows_boris_by_content():
    assert boris.sniff(b'{"time_format": "hh:mm:ss", "project_name": "x"', "x.json")
    assert boris.sniff(b'{"a": 1}', "x.boris")
    assert not boris.sniff(b'{"a": 1}', "x.json")
    assert not boris.sniff(b"<xml/>", "x.boris")
    assert boris.FORMAT.id == "boris" and ".boris.gz" in boris.FORMAT.suffixes


# -- hostile files -----------------------------------------------------------------------------


def test_a_gzip_bomb_is_refused(tmp_path):
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1 << 20)
    bomb = b"".join(packer.compress(zeros) for _ in range(40)) + packer.flush()
    path = tmp_path / "bomb.boris.gz"
    path.write_bytes(bomb)
    with pytest.raises(FormatError, match="gzip bomb") as caught:
        boris.read(path)
    assert caught.value.file == str(path)


def test_gzip_past_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(unpack, "MAX_MEMBER_BYTES", 1000)
    path = tmp_path / "big.boris.gz"
    path.write_bytes(gzip.compress(json.dumps(project({})).encode() + b" " * 5000))
    with pytest.raises(FormatError, match="expands too far"):
        boris.read(path)


def test_cut_short_gzip_is_refused(tmp_path):
    path = tmp_path / "cut.boris.gz"
    path.write_bytes(gzip.compress(json.dumps(project({})).encode())[:40])
    with pytest.raises(FormatError, match=r"cut short|gzip"):
        boris.read(path)


def test_json_nested_100000_deep_is_refused(tmp_path):
    path = tmp_path / "deep.boris"
    path.write_text('{"observations": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(FormatError, match="nested too deeply"):
        boris.read(path)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(tmp_path, constant):
    path = tmp_path / "nan.boris"
    path.write_text(
        json.dumps(project({"o": live([[1.0, "", "p", "", ""]])})).replace("1.0", constant)
    )
    with pytest.raises(FormatError, match="not a number"):
        boris.read(path)


@pytest.mark.parametrize("number", ["1e400", "9" * 5000, "1e-999999999", "-1e400"])
def test_huge_numbers_are_refused_or_read(tmp_path, number):
    text = json.dumps(project({"o": live([[1.0, "", "p", "", ""]])})).replace("1.0", number)
    path = tmp_path / "huge.boris"
    path.write_text(text)
    try:
        doc = boris.read(path)
    except FormatError as exc:
        assert str(path) in str(exc)
    else:
        assert doc.observations[0].events[0].start_ms == 0


@pytest.mark.parametrize("text", ["[1, 2]", '{"a": 1}', '"text"', "", "{", "\ufeff"])
def test_json_that_is_no_project_is_refused(tmp_path, text):
    path = tmp_path / "x.boris"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError):
        boris.read(path)


def test_a_folder_or_missing_file_is_refused(tmp_path):
    with pytest.raises(FormatError, match="folder"):
        boris.read(tmp_path)
    with pytest.raises(FormatError, match="not found"):
        boris.read(tmp_path / "none.boris")


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*path, index))
    return out


RICH = project(
    {
        "o": {
            "type": "MEDIA",
            "date": "2024-01-02T10:00:00",
            "description": "d",
            "file": {"1": ["a.mp4"], "2": ["b.mp4"]},
            "time offset": 1.0,
            "media_info": {"length": {"a.mp4": 9.0}, "fps": {"a.mp4": 25}, "offset": {"2": 1}},
            "independent_variables": {"age": "3"},
            "events": [
                [1.0, "Mother", "s", "x", "c", 25],
                [2.0, "Mother", "s", "x", "", 50],
                [3.0, "", "p", "", "", "NA"],
            ],
        }
    },
    behaviors_conf=ethogram(
        {"type": "Point event", "code": "p", "excluded": "s"},
        {
            "type": "State event",
            "code": "s",
            "excluded": "p",
            "modifiers": {"0": {"name": "m", "type": 1, "values": ["x", "y"]}},
        },
    ),
)
WRONG = [None, True, 7, "text", [], {}, [[1]], {"0": 1}, -3.5]


@pytest.mark.parametrize("path", _paths(RICH)[1:], ids=lambda p: "/".join(map(str, p)))
def test_wrong_types_in_every_field_give_a_document_or_a_named_refusal(tmp_path, path):
    for wrong in WRONG:
        data = copy.deepcopy(RICH)
        holder = data
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = wrong
        try:
            doc = read(tmp_path, data)
        except FormatError as exc:
            assert str(tmp_path) in str(exc) and exc.reason
        else:
            assert isinstance(doc, Document)


def test_a_field_of_the_wrong_type_is_named(tmp_path):
    data = copy.deepcopy(RICH)
    data["observations"]["o"]["events"][1][1] = ["Mother"]
    with pytest.raises(FormatError) as caught:
        read(tmp_path, data)
    assert caught.value.place == "observation 'o' event 2 subject"
    assert "a list, not text" in caught.value.reason


# -- fuzzing -----------------------------------------------------------------------------------

ABSURD = ["-1", "1e999", "NaN", "Infinity", '"NA"', "99999999999999999999", "null", '"x"', "[]"]


def _mutations(data: bytes) -> st.SearchStrategy[bytes]:
    text = data.decode("utf-8")
    numbers = [i for i, c in enumerate(text) if c.isdigit() and not text[i - 1].isdigit()]

    def swap_number(choice: tuple[int, str]) -> bytes:
        start = numbers[choice[0] % len(numbers)]
        end = start
        while end < len(text) and (text[end].isdigit() or text[end] == "."):
            end += 1
        return (text[:start] + choice[1] + text[end:]).encode()

    def flip(changes: list[tuple[int, int]]) -> bytes:
        out = bytearray(data)
        for position, mask in changes:
            out[position % len(out)] ^= mask
        return bytes(out)

    return st.one_of(
        st.integers(0, len(data)).map(lambda n: data[:n]),
        st.lists(st.tuples(st.integers(0, len(data)), st.integers(1, 255)), min_size=1).map(flip),
        st.tuples(st.integers(0, len(numbers) - 1), st.sampled_from(ABSURD)).map(swap_number),
        st.tuples(st.integers(0, len(data)), st.binary(max_size=12)).map(
            lambda t: data[: t[0]] + t[1] + data[t[0] :]
        ),
        st.sampled_from(["utf-16", "latin-1", "utf-32"]).map(lambda e: text.encode(e)),
        st.just(gzip.compress(data)[:-9]),
    )


def _read_mutated(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "fuzz.boris"
    path.write_bytes(blob)
    try:
        doc = boris.read(path)
    except FormatError as exc:
        assert str(path) in str(exc)
    else:
        assert isinstance(doc, Document)
        for obs in doc.observations:
            assert all(0 <= e.start_ms <= e.end_ms <= 86_400_000 for e in obs.events)


OWN = json.dumps(RICH).encode()
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=_mutations(OWN))
def test_fuzzed_own_projects_read_or_are_refused(tmp_path, blob):
    _read_mutated(tmp_path, blob)


SHARED = SAMPLE.read_bytes() if SAMPLE.exists() else b""


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(blob=_mutations(SHARED or b"{}0"))
def test_fuzzed_shared_projects_read_or_are_refused(sample, tmp_path, blob):
    _read_mutated(tmp_path, blob)


def test_reading_through_the_format_spec(tmp_path):
    path = write_json(tmp_path / "p.boris", project({"o": live([[1, "", "p", "", ""]])}))
    assert boris.FORMAT.read is not None
    assert spans(boris.FORMAT.read(str(path))) == [("p", 1000, 1000, None, ())]


def test_keys_that_only_look_like_numbers_are_refused_or_sorted(tmp_path):
    data = project({"o": {"type": "MEDIA", "file": {"²": ["a.mp4"]}, "events": []}})
    data["behaviors_conf"] = {
        "²": data["behaviors_conf"]["0"],
        "1" * 5000: data["behaviors_conf"]["1"],
    }
    with pytest.raises(FormatError) as caught:
        read(tmp_path, data)
    assert caught.value.place == "observation 'o' file '²'"


def test_modifier_sets_of_one_name_but_other_values_are_numbered(tmp_path):
    def behaviour(code: str, values: list[str]) -> dict[str, Any]:
        sets = {"0": {"name": "mood", "type": 0, "values": values}}
        return {"type": "Point event", "code": code, "modifiers": sets}

    data = project({"o": live([])})
    data["behaviors_conf"] = ethogram(
        behaviour("smile", ["happy", "calm"]),
        behaviour("look", ["calm", "happy"]),  # other order: another set
        behaviour("cry", ["happy", "calm"]),  # the first set again
    )
    doc = read(tmp_path, data)
    assert [(s.id, s.name, s.values) for s in doc.modifier_sets] == [
        ("mood", "mood", ("happy", "calm")),
        ("mood (2)", "mood", ("calm", "happy")),
    ]
    assert [(c.id, c.modifier_sets) for c in doc.codes] == [
        ("smile", ("mood",)),
        ("look", ("mood (2)",)),
        ("cry", ("mood",)),
    ]
