"""Noldus The Observer XT files in: the shared project template, files built here, and
hostile input."""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings

from tests.io.fuzz_helpers import mutations
from tests.requirements import INTEROP, need_interop
from vfa.errors import FormatError
from vfa.io import otx
from vfa.io.document import CodeKind, Document

SHARED_OTX = INTEROP / "otx" / "otx_parser_test.otx"


@pytest.fixture(scope="module")
def shared_otx() -> Path:
    return need_interop("otx/otx_parser_test.otx")


# ---- building Observer files ---------------------------------------------------------


def _element(tag: str, **fields: str | None) -> str:
    inner = "".join(
        f"<CDS_ELE_{key.upper()}>{escape(value)}</CDS_ELE_{key.upper()}>\n"
        for key, value in fields.items()
        if value is not None
    )
    return f"<{tag}>\n{inner}</{tag}>\n"


def behaviour_group(id_: str, name: str, exclusive: bool = False) -> str:
    return _element(
        "CDS_BEHAVIOR", name=name, id=id_, group="Y", mut_exclusive="Y" if exclusive else "N"
    )


def behaviour(id_, name, group_id=None, group=None, key=None, stop=None, description=None):
    return _element(
        "CDS_BEHAVIOR",
        name=name,
        id=id_,
        parent_name=group,
        parent_id=group_id,
        start_keycode=key,
        stop_keycode=stop,
        mut_exclusive="N",
        group="N",
        description=description,
    )


def subject(id_, name, group_id=None, group=None, key=None, is_group=False):
    return _element(
        "CDS_SUBJECT",
        name=name,
        id=id_,
        parent_name=group,
        parent_id=group_id,
        start_keycode=key,
        group="Y" if is_group else "N",
    )


def modifier(id_, name, parent_id=None):
    return _element("CDS_MODIFIER", name=name, id=id_, parent_id=parent_id)


def link(element_id: str, modifier_id: str) -> str:
    return f'<CDS_CONNECTION CDS_ELEMENT_ID="{element_id}" CDS_MODIFIER_ID="{modifier_id}"/>\n'


def event(stamp, behaviour, state=None, subject=None, modifiers=(), comment=None) -> str:
    mods = "".join(
        f"<OBS_EVENT_BEHAVIOR_MODIFIER CLASS={quoteattr(c)}>{escape(v)}"
        "</OBS_EVENT_BEHAVIOR_MODIFIER>"
        for c, v in modifiers
    )
    parts = [f"<OBS_EVENT_TIMESTAMP>{stamp}</OBS_EVENT_TIMESTAMP>"]
    if subject is not None:
        parts.append(f"<OBS_EVENT_SUBJECT NAME={quoteattr(subject)}></OBS_EVENT_SUBJECT>")
    parts.append(f"<OBS_EVENT_BEHAVIOR NAME={quoteattr(behaviour)}>{mods}</OBS_EVENT_BEHAVIOR>")
    if state is not None:
        parts.append(f"<OBS_EVENT_STATE>{state}</OBS_EVENT_STATE>")
    parts.append("<OBS_EVENT_MARKER>0</OBS_EVENT_MARKER>")
    if comment is not None:
        parts.append(f"<OBS_EVENT_COMMENT>{escape(comment)}</OBS_EVENT_COMMENT>")
    return "<OBS_EVENT>" + "".join(parts) + "</OBS_EVENT>\n"


def observation(name: str, *logs: tuple[str | None, list[str]]) -> str:
    body = ""
    for created, events in logs:
        attribute = f" CREATION_DATETIME={quoteattr(created)}" if created else ""
        body += f"<OBS_EVENT_LOG{attribute}>\n" + "".join(events) + "</OBS_EVENT_LOG>\n"
    return (
        f"<OBS_OBSERVATION NAME={quoteattr(name)}>\n<OBS_EVENT_LOGS>\n{body}"
        "</OBS_EVENT_LOGS>\n</OBS_OBSERVATION>\n"
    )


def observer_xml(
    behaviours: str = "",
    subjects: str = "",
    modifiers: str = "",
    links: str = "",
    observations: str = "",
    project: str = "Infant study",
) -> str:
    """An Observer XT interchange file, namespaced as Observer writes them."""
    return (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        '<NXMLINTERCHANGE xmlns="nxmlinterchange" VERSION_MAJOR="0">\n'
        '<MET_METADATA xmlns="nxmlmetadata">'
        f"<MET_PROJECT_NAME>{escape(project)}</MET_PROJECT_NAME>"
        "<MET_CREATED_BY>R. Coder</MET_CREATED_BY></MET_METADATA>\n"
        '<CDS_VOSCODINGSCHEME xmlns="nxmlvoscodingscheme">\n'
        f"<CDS_SUBJECTS>{subjects}</CDS_SUBJECTS>\n"
        f"<CDS_BEHAVIORS>{behaviours}</CDS_BEHAVIORS>\n"
        f"<CDS_MODIFIERS>{modifiers}</CDS_MODIFIERS>\n"
        f"<CDS_CONNECTIONS>{links}</CDS_CONNECTIONS>\n"
        "</CDS_VOSCODINGSCHEME>\n"
        + (
            f'<OBS_OBSERVATIONS xmlns="nxmlvosobservations">\n{observations}</OBS_OBSERVATIONS>\n'
            if observations
            else ""
        )
        + "</NXMLINTERCHANGE>\n"
    )


def utf16(text: str) -> bytes:
    return text.encode("utf-16")  # with a BOM, as Observer writes


SCHEME = dict(
    behaviours=(
        behaviour_group("10", "Mother gaze", exclusive=True)
        + behaviour("11", "Looks at infant", "10", "Mother gaze", key="l")
        + behaviour("12", "Looks away", "10", "Mother gaze", key="a", description="Not at baby")
        + behaviour_group("20", "Vocal")
        + behaviour("21", "Cries", "20", "Vocal", key="c", stop="C")
        + behaviour("22", "Laughs", "20", "Vocal", key="h")
        + behaviour("23", "Babbles", "20", "Vocal", key="b")
    ),
    subjects=(
        subject("1", "Dyad", is_group=True)
        + subject("2", "Mother", "1", "Dyad", key="m")
        + subject("3", "Infant", "1", "Dyad", key="i")
    ),
    modifiers=(
        modifier("100", "Intensity")
        + modifier("101", "low", "100")
        + modifier("102", "high", "100")
        + modifier("200", "Count")  # numeric: no values
    ),
    links=link("20", "100") + link("21", "200"),
)


def write(tmp_path: Path, data: bytes, name: str = "coding.otx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_text(tmp_path: Path, text: str, name: str = "coding.otx") -> Document:
    return otx.read(write(tmp_path, utf16(text), name))


def refused(path: Path) -> FormatError:
    with pytest.raises(FormatError) as caught:
        otx.read(path)
    assert str(path) in str(caught.value)
    return caught.value


# ---- the shared project template -----------------------------------------------------


def test_shared_template_gives_its_coding_scheme(shared_otx):
    doc = otx.read(shared_otx)
    assert doc.format == "otx"
    assert doc.source == str(shared_otx)
    assert doc.name == "Consumer behavior XT10.5"
    assert doc.author == "boris"
    assert doc.observations == ()
    assert doc.problems == ()
    names = [c.name for c in doc.codes]
    assert len(names) == 22  # 24 behaviour elements, two of them groups
    assert "Food items" not in names and "Behavior" not in names
    fries = doc.code("French fries")
    assert fries is not None
    assert (fries.category, fries.key, fries.kind) == ("Food items", "f", CodeKind.STATE)
    buffet = doc.code("Choosing at buffet")
    assert buffet is not None and buffet.category == "Behavior"
    assert {c.category for c in doc.codes} == {"Food items", "Behavior"}
    assert all(c.exclusive_group is None for c in doc.codes)
    assert [s.name for s in doc.subjects] == [str(n) for n in range(1, 14)]
    assert all(s.group == "Continuous Sampling" for s in doc.subjects)
    assert doc.subjects[9].key == "0" and doc.subjects[10].key == "a"


def test_shared_template_is_recognised_by_content(shared_otx):
    head = shared_otx.read_bytes()[:4096]
    assert otx.sniff(head, "renamed.bin")
    assert not otx.sniff(b'<?xml version="1.0"?><ANNOTATION_DOCUMENT/>', "x.eaf")
    assert otx.FORMAT.id == "otx" and otx.FORMAT.read is not None
    assert ".otb" in otx.FORMAT.suffixes


def test_shared_template_zipped_as_otb_reads_the_same(shared_otx, tmp_path):
    path = tmp_path / "project.otb"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.otx", shared_otx.read_bytes())
    doc = otx.read(path)
    assert doc.codes == otx.read(shared_otx).codes
    assert doc.source == str(path)
    assert otx.sniff(path.read_bytes()[:4096], "renamed.zip")


# ---- the coding scheme ---------------------------------------------------------------


def test_behaviours_groups_kinds_keys_and_exclusive_groups(tmp_path):
    doc = read_text(tmp_path, observer_xml(**SCHEME))
    assert doc.name == "Infant study" and doc.author == "R. Coder"
    assert [c.id for c in doc.codes] == [
        "Looks at infant",
        "Looks away",
        "Cries",
        "Laughs",
        "Babbles",
    ]
    looks = doc.code("Looks at infant")
    away = doc.code("Looks away")
    cries = doc.code("Cries")
    laughs = doc.code("Laughs")
    assert looks and away and cries and laughs
    # a mutually exclusive group: states that exclude each other
    assert looks.exclusive_group == away.exclusive_group == "Mother gaze"
    assert looks.kind is CodeKind.STATE and looks.key == "l"
    assert away.description == "Not at baby"
    # start-stop (a stop key) is a state; a behaviour without one is a point
    assert cries.kind is CodeKind.STATE and cries.exclusive_group is None
    assert laughs.kind is CodeKind.POINT and laughs.category == "Vocal"
    assert doc.problems == ()


def test_modifier_groups_and_their_links(tmp_path):
    doc = read_text(tmp_path, observer_xml(**SCHEME))
    sets = {s.id: s for s in doc.modifier_sets}
    assert sets["Intensity"].values == ("low", "high")
    assert sets["Count"].values == ()  # numeric or free: no fixed values
    cries, laughs, looks = doc.code("Cries"), doc.code("Laughs"), doc.code("Looks away")
    assert cries and laughs and looks
    # linked to the Vocal group: every behaviour of it; Count only to Cries
    assert cries.modifier_sets == ("Intensity", "Count")
    assert laughs.modifier_sets == ("Intensity",)
    assert looks.modifier_sets == ()


def test_subjects_with_keys_and_groups(tmp_path):
    doc = read_text(tmp_path, observer_xml(**SCHEME))
    assert [(s.id, s.key, s.group) for s in doc.subjects] == [
        ("Mother", "m", "Dyad"),
        ("Infant", "i", "Dyad"),
    ]


def test_scheme_oddities_are_problems_with_their_place(tmp_path):
    text = observer_xml(
        behaviours=behaviour("1", "Cries", key="c")
        + behaviour("2", "Cries", key="x")
        + _element("CDS_BEHAVIOR", id="3")
        + behaviour("4", "Smiles", group_id="99"),
        modifiers=modifier("5", "orphan value", "77"),
        links=link("1", "404") + link("404", "5") + "<CDS_CONNECTION/>",
        subjects=subject("8", "Baby") + subject("9", "Baby"),
    )
    doc = read_text(tmp_path, text)
    assert [c.id for c in doc.codes] == ["Cries", "Cries (2)", "Smiles"]
    places = "\n".join(f"{p.place}: {p.reason}" for p in doc.problems)
    assert "behaviour 'Cries': another behaviour has this name; kept as 'Cries (2)'" in places
    assert "behaviour 3 (<CDS_BEHAVIOR>): has no name" in places
    assert "behaviour 'Smiles': its behaviour group '99' is not in the file" in places
    assert "modifier 'orphan value': its modifier group '77' is not in the file" in places
    assert "modifier link 1 (<CDS_CONNECTION>): modifier '404' is not in the file" in places
    assert "modifier link 2 (<CDS_CONNECTION>): element '404' is not in the file" in places
    assert "modifier link 3 (<CDS_CONNECTION>): does not name both ends" in places
    assert "subject 'Baby': another subject has this name" in places
    assert [s.id for s in doc.subjects] == ["Baby", "Baby (2)"]


def test_modifier_parents_in_a_loop_do_not_hang(tmp_path):
    text = observer_xml(
        behaviours=behaviour("1", "Cries", key="c"),
        modifiers=modifier("5", "a", "6") + modifier("6", "b", "5"),
    )
    doc = read_text(tmp_path, text)
    assert {s.name for s in doc.modifier_sets} == {"a", "b"}
    assert any("loop" in p.reason for p in doc.problems)


# ---- event logs ----------------------------------------------------------------------

MEDIA_DAY = "1899-12-30"


def at(seconds: str) -> str:
    """A media timestamp, as Observer's video observations count (from the OLE zero day)."""
    whole, _, fraction = seconds.partition(".")
    minutes, secs = divmod(int(whole), 60)
    return f"{MEDIA_DAY} 00:{minutes:02d}:{secs:02d}.{fraction or '0'}"


def log_doc(tmp_path: Path, events: list[str], created: str | None = None, **scheme) -> Document:
    text = observer_xml(
        **{**SCHEME, **scheme}, observations=observation("Visit 1", (created, events))
    )
    return read_text(tmp_path, text, "visit.odx")


def test_event_log_states_points_modifiers_subjects_and_comments(tmp_path):
    doc = log_doc(
        tmp_path,
        [
            event(at("1.5"), "Cries", 1, "Infant", [("Intensity", "high")], "fussy"),
            event(at("2.25"), "Laughs", 3, "Mother", [("Intensity", "low")]),
            event(at("4.0"), "Cries", 2, "Infant", comment="calmed"),
        ],
    )
    (obs,) = doc.observations
    assert obs.name == "Visit 1"
    cries, laughs = sorted(obs.events, key=lambda e: e.code)
    assert (cries.code, cries.start_ms, cries.end_ms, cries.subject) == (
        "Cries",
        1500,
        4000,
        "Infant",
    )
    assert cries.modifiers == (("Intensity", "high"),)
    assert cries.comment == "fussy\ncalmed"
    assert laughs.is_point and laughs.start_ms == 2250 and laughs.subject == "Mother"
    assert laughs.modifiers == (("Intensity", "low"),)
    assert doc.problems == ()


def test_times_round_half_up_to_ms(tmp_path):
    doc = log_doc(
        tmp_path,
        [
            event(f"{MEDIA_DAY} 00:00:01.0005", "Laughs", 3),
            event(f"{MEDIA_DAY} 00:00:01.0014999", "Laughs", 3),
            event(f"{MEDIA_DAY} 00:00:02.999500", "Laughs", 3),
        ],
    )
    assert [e.start_ms for e in doc.observations[0].events] == [1001, 1001, 3000]


def test_without_a_state_points_are_points_and_states_toggle(tmp_path):
    doc = log_doc(
        tmp_path,
        [
            event(at("1"), "Cries"),
            event(at("2"), "Laughs"),
            event(at("3"), "Cries"),
            event(at("5"), "Cries"),
            event(at("6"), "Cries"),
        ],
    )
    spans = [(e.code, e.start_ms, e.end_ms) for e in doc.observations[0].events]
    assert spans == [("Cries", 1000, 3000), ("Laughs", 2000, 2000), ("Cries", 5000, 6000)]


def test_starting_one_of_an_exclusive_group_ends_the_other(tmp_path):
    doc = log_doc(
        tmp_path,
        [
            event(at("0"), "Looks at infant", 1, "Mother"),
            event(at("3"), "Looks away", 1, "Mother"),
            event(at("3"), "Looks at infant", 2, "Mother"),  # an explicit stop is fine too
            event(at("7"), "Looks at infant", 1, "Mother"),
            event(at("9"), "Looks at infant", 2, "Mother"),
        ],
    )
    spans = [(e.code, e.start_ms, e.end_ms) for e in doc.observations[0].events]
    assert spans == [
        ("Looks at infant", 0, 3000),
        ("Looks away", 3000, 7000),
        ("Looks at infant", 7000, 9000),
    ]
    assert doc.problems == ()


def test_exclusive_groups_are_per_subject(tmp_path):
    doc = log_doc(
        tmp_path,
        [
            event(at("0"), "Looks at infant", 1, "Mother"),
            event(at("1"), "Looks away", 1, "Infant"),
            event(at("4"), "Looks at infant", 2, "Mother"),
            event(at("5"), "Looks away", 2, "Infant"),
        ],
    )
    spans = [(e.code, e.subject, e.start_ms, e.end_ms) for e in doc.observations[0].events]
    assert spans == [("Looks at infant", "Mother", 0, 4000), ("Looks away", "Infant", 1000, 5000)]


def test_log_oddities_are_reported_never_silently_fixed(tmp_path):
    doc = log_doc(
        tmp_path,
        [
            event(at("1"), "Cries", 2),  # stops but never started
            event(at("2"), "Cries", 1),
            event(at("3"), "Cries", 1),  # starts again while running
            event(at("4"), "Yawns", 3),  # not in the scheme
            event(at("5"), "", 3),  # no behaviour
            event(at("6"), "Babbles", "9"),  # a state that is not 1, 2 or 3
            event(at("7"), "Looks away", 1, "Stranger"),  # never stops; unknown subject
            event(at("8"), "Laughs", 3),
        ],
    )
    problems: dict[str, str] = {}
    for p in doc.problems:
        problems[p.place] = problems.get(p.place, "") + p.reason + "\n"
    assert (
        problems["observation 'Visit 1' event 1"] == "'Cries' stops but was not running; left out\n"
    )
    assert "starts again while running" in problems["observation 'Visit 1' event 3"]
    assert "'Yawns' is not in the coding scheme; added" in problems["observation 'Visit 1' event 4"]
    assert "names no behaviour" in problems["observation 'Visit 1' event 5"]
    assert "'9' is not 1, 2 or 3" in problems["observation 'Visit 1' event 6"]
    assert (
        "'Looks away' never stops; ends with the log at 8000 ms"
        in problems["observation 'Visit 1' event 7"]
    )
    yawns = doc.code("Yawns")
    assert yawns is not None and yawns.kind is CodeKind.POINT
    assert [s.name for s in doc.subjects][-1] == "Stranger"
    spans = [(e.code, e.start_ms, e.end_ms) for e in doc.observations[0].events]
    assert ("Cries", 2000, 3000) in spans and ("Cries", 3000, 8000) in spans
    assert ("Looks away", 7000, 8000) in spans and ("Yawns", 4000, 4000) in spans


def test_a_state_never_stopped_at_the_very_end_is_kept_as_a_point(tmp_path):
    doc = log_doc(tmp_path, [event(at("1"), "Laughs", 3), event(at("2"), "Cries", 1)])
    assert ("Cries", 2000, 2000) in [
        (e.code, e.start_ms, e.end_ms) for e in doc.observations[0].events
    ]
    assert any("nothing follows it; kept as a point" in p.reason for p in doc.problems)


def test_a_point_behaviour_started_and_stopped_in_the_log_becomes_a_state(tmp_path):
    doc = log_doc(tmp_path, [event(at("1"), "Laughs", 1), event(at("2"), "Laughs", 2)])
    laughs = doc.code("Laughs")
    assert laughs is not None and laughs.kind is CodeKind.STATE
    assert any(p.place == "behaviour 'Laughs'" for p in doc.problems)


def test_events_out_of_order_are_read_in_time_order_and_reported(tmp_path):
    doc = log_doc(
        tmp_path,
        [event(at("5"), "Cries", 2), event(at("1"), "Cries", 1), event(at("3"), "Laughs", 3)],
    )
    spans = [(e.code, e.start_ms, e.end_ms) for e in doc.observations[0].events]
    assert spans == [("Cries", 1000, 5000), ("Laughs", 3000, 3000)]
    assert any("not in time order" in p.reason for p in doc.problems)


def test_wall_clock_times_count_from_the_log_start(tmp_path):
    doc = log_doc(
        tmp_path,
        [event("2022-05-18 10:04:12.100000", "Laughs", 3)],
        created="2022-05-18 10:04:09.474500",
    )
    (obs,) = doc.observations
    assert obs.events[0].start_ms == 2626  # 2.6255 s, half up
    assert obs.date == "2022-05-18T10:04:09.474500"
    assert doc.problems == ()


def test_wall_clock_times_without_a_log_start_count_from_the_first_event(tmp_path):
    doc = log_doc(
        tmp_path,
        [event("2022-05-18 10:00:05.0", "Laughs", 3), event("2022-05-18 10:00:07.5", "Laughs", 3)],
    )
    assert [e.start_ms for e in doc.observations[0].events] == [0, 2500]
    assert any("counted from its first event" in p.reason for p in doc.problems)


def test_several_logs_and_observations(tmp_path):
    text = observer_xml(
        **SCHEME,
        observations=observation(
            "Visit 1",
            (None, [event(at("1"), "Cries", 1), event(at("2"), "Cries", 2)]),
            (None, [event(at("1.5"), "Laughs", 3)]),
        )
        + observation("Visit 2", (None, [])),
    )
    doc = read_text(tmp_path, text, "two.odx")
    first, second = doc.observations
    assert [(e.code, e.start_ms) for e in first.events] == [("Cries", 1000), ("Laughs", 1500)]
    assert second.name == "Visit 2" and second.events == ()


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        ("yesterday", "is not a timestamp"),
        ("1899-12-31 00:00:00.001", "more than 24 hours"),
        ("1899-12-29 23:59:59.0", "before the start"),
        ("1899-12-30 24:00:00.0", "is not a timestamp"),
        ("2022-02-30 10:00:00.0", "is not a timestamp"),
        ("1899-12-30 00:00:0\u0663.0", "is not a timestamp"),  # an Arabic-Indic three
    ],
)
def test_bad_times_refuse_the_file_naming_the_event(tmp_path, stamp, reason):
    text = observer_xml(
        **SCHEME,
        observations=observation(
            "V", (None, [event(at("1"), "Laughs", 3), event(stamp, "Laughs", 3)])
        ),
    )
    error = refused(write(tmp_path, utf16(text)))
    assert error.place == "observation 'V' event 2"
    assert reason in error.reason


def test_a_log_mixing_clock_and_media_times_is_refused(tmp_path):
    text = observer_xml(
        **SCHEME,
        observations=observation(
            "V", (None, [event(at("1"), "Laughs", 3), event("2022-01-01 10:00:00.0", "Laughs", 3)])
        ),
    )
    assert "mixes" in refused(write(tmp_path, utf16(text))).reason


def test_an_event_without_a_time_is_refused(tmp_path):
    text = observer_xml(
        **SCHEME,
        observations=observation(
            "V", (None, ["<OBS_EVENT><OBS_EVENT_BEHAVIOR NAME='Laughs'/></OBS_EVENT>"])
        ),
    )
    error = refused(write(tmp_path, utf16(text)))
    assert error.place == "observation 'V' event 1" and "OBS_EVENT_TIMESTAMP" in error.reason


# ---- encodings and containers ---------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8", "utf-8-sig"])
def test_any_unicode_encoding_reads(tmp_path, encoding):
    text = observer_xml(**SCHEME, project="Bébé & mère")
    doc = otx.read(write(tmp_path, text.encode(encoding)))
    assert doc.name == "Bébé & mère"
    assert len(doc.codes) == 5


def test_otb_zip_with_the_xml_inside(tmp_path):
    data = utf16(observer_xml(**SCHEME))
    path = tmp_path / "study.otb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not this one")
        archive.writestr("study.otx", data)
    assert [c.id for c in otx.read(path).codes] == [c.id for c in otx.parse(data, "x").codes]


def test_an_empty_otb_is_refused(tmp_path):
    path = tmp_path / "empty.otb"
    with zipfile.ZipFile(path, "w"):
        pass
    assert "empty" in refused(path).reason


def test_an_otb_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.otb"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.otx", b"\x00" * (20 * 1024 * 1024))
    assert "zip bomb" in refused(path).reason


def test_a_damaged_otb_is_refused(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("study.otx", utf16(observer_xml(**SCHEME)))
    assert "zip" in refused(write(tmp_path, data.getvalue()[:-30], "cut.otb")).reason


# ---- hostile input -------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<NXMLINTERCHANGE><MET_METADATA><MET_PROJECT_NAME>&lol9;</MET_PROJECT_NAME>"
    "</MET_METADATA></NXMLINTERCHANGE>"
)


def test_billion_laughs_in_utf16_is_refused(tmp_path):
    error = refused(write(tmp_path, utf16(BILLION_LAUGHS)))
    assert "entities" in error.reason or "DTD" in error.reason


def test_truncated_utf16_with_an_odd_length_is_refused(tmp_path):
    data = utf16(observer_xml(**SCHEME))
    error = refused(write(tmp_path, data[: len(data) // 2 | 1]))
    assert "utf-16" in error.reason


def test_utf16_cut_at_an_even_byte_is_refused_as_xml(tmp_path):
    data = utf16(observer_xml(**SCHEME))
    error = refused(write(tmp_path, data[: (len(data) // 2) & ~1]))
    assert "not well-formed XML" in error.reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not well-formed"),
        (b"\xff\xfe", "not well-formed"),
        (b"\xff\xfe<\x00", "not well-formed"),
        (b"\x00", "NUL"),
        ("<ANNOTATION_DOCUMENT/>".encode("utf-16"), "not an Observer XT"),
        ("<NXMLINTERCHANGE/>".encode("utf-16"), "neither a coding scheme nor observations"),
        ("<NXMLINTERCHANGE>\x00</NXMLINTERCHANGE>".encode("utf-16"), "NUL"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not valid utf-8"),
    ],
)
def test_not_observer_files_are_refused(tmp_path, data, reason):
    assert reason in refused(write(tmp_path, data)).reason


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "folder.otx"
    folder.mkdir()
    assert "folder" in refused(folder).reason


# ---- fuzzing -------------------------------------------------------------------------

OWN_SAMPLE = utf16(
    observer_xml(
        **SCHEME,
        observations=observation(
            "Visit 1",
            (
                "2022-05-18 10:04:09.474512",
                [
                    event(
                        "2022-05-18 10:04:12.100000", "Cries", 1, "Infant", [("Intensity", "high")]
                    ),
                    event("2022-05-18 10:04:13.000000", "Laughs", 3, "Mother", comment="x"),
                    event("2022-05-18 10:04:15.250000", "Cries", 2, "Infant"),
                    event("2022-05-18 10:04:16.000000", "Looks away", 1, "Mother"),
                ],
            ),
        ),
    )
)
_FUZZ_DIR = Path(tempfile.mkdtemp(prefix="vfa-otx-fuzz-"))  # hypothesis reruns: one folder
atexit.register(shutil.rmtree, _FUZZ_DIR, ignore_errors=True)


def _read_mutated(data: bytes, name: str) -> None:
    path = _FUZZ_DIR / name
    path.write_bytes(data)
    try:
        doc = otx.read(path)
    except FormatError as exc:
        assert str(path) in str(exc)
        return
    assert isinstance(doc, Document)
    for obs in doc.observations:
        for e in obs.events:
            assert 0 <= e.start_ms <= e.end_ms <= 24 * 3600 * 1000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutations(OWN_SAMPLE))
def test_fuzzed_own_sample_is_read_or_refused_naming_the_file(data):
    _read_mutated(data, "fuzzed.odx")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutations(SHARED_OTX.read_bytes() if SHARED_OTX.exists() else b""))
def test_fuzzed_shared_template_is_read_or_refused_naming_the_file(shared_otx, data):
    _read_mutated(data, "fuzzed.otx")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutations(OWN_SAMPLE))
def test_fuzzed_otb_member_is_read_or_refused_naming_the_file(data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("study.otx", data)
    _read_mutated(buffer.getvalue(), "fuzzed.otb")


def test_a_behaviour_the_log_adds_never_takes_an_id_already_given(tmp_path):
    text = observer_xml(
        behaviours=behaviour("1", "Cries", key="c") + behaviour("2", "Cries", key="x"),
        observations=observation("V", (None, [event(at("1"), "Cries (2)", 3)])),
    )
    doc = read_text(tmp_path, text)
    assert [c.id for c in doc.codes] == ["Cries", "Cries (2)", "Cries (2) (2)"]
    assert doc.observations[0].events[0].code == "Cries (2) (2)"


def test_a_log_begun_days_before_its_events_counts_from_the_first_event(tmp_path):
    doc = log_doc(
        tmp_path,
        [event("2022-05-18 10:00:05.0", "Laughs", 3), event("2022-05-18 10:00:07.5", "Laughs", 3)],
        created="2022-05-16 09:00:00.0",
    )
    assert [e.start_ms for e in doc.observations[0].events] == [0, 2500]
    assert any("more than 24 hours before its last event" in p.reason for p in doc.problems)
