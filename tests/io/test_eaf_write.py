"""Writing EAF 3.0: valid against the schema, opened by pympi-ling, and read back equal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.io.eaf_files import XSD, shared
from vfa.errors import FormatError
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
from vfa.io.eaf import FORMAT, read_eaf
from vfa.io.eaf_write import write_eaf

ODD = 'Tom & "Jerry" <3\ttab\nline\rret \x07bell \U0001f476 é'


def coding(coder: str | None = "Ann", media_path: str | None = None) -> Document:
    """A coding with every feature the writer carries."""
    codes = (
        CodeDef("warm", "Warm", CodeKind.STATE, category="Affect", description="Positive & warm"),
        CodeDef("flat", "Flat <affect>", CodeKind.STATE, category="Affect"),
        CodeDef("touch", "Touch", CodeKind.POINT, category="Contact", description=None),
        CodeDef("look", "Looks at", CodeKind.STATE, category="Contact", description="Gaze"),
    )
    sets = (
        ModifierSet("intensity", "intensity", ("low", "high")),
        ModifierSet("words", "words", (), multiple=True),
        ModifierSet("note", "note"),
    )
    events = (
        Event("warm", 1000, 4000, "Mother", (("intensity", "high"),), caption="Lovely moment"),
        # overlaps the first on the same lane: a second tier
        Event("flat", 2000, 2500, "Mother", (("intensity", "low"), ("note", ODD))),
        Event("touch", 3000, 3000, "Mother", comment="brief"),
        Event("touch", 3000, 3000, "Infant"),  # a point at the same time, other subject
        Event(
            "look",
            0,
            5000,
            "Infant",
            (("words", "ba"), ("words", "ma"), ("words", "")),
        ),
        Event("warm", 6000, 7000, "Mother", caption=ODD),
    )
    return Document(
        format="eaf",
        source="",
        name="KIPS",
        codes=codes,
        subjects=(Subject("Mother", "Mother"), Subject("Infant", "Infant")),
        modifier_sets=sets,
        observations=(
            Observation(
                name="visit",
                coder=coder,
                media=(MediaRef(media_path or "clip.mp4", offset_ms=1500),),
                events=events,
            ),
        ),
        author="Dr Rao & co",
    )


def written(tmp_path: Path, doc: Document, name: str = "out.eaf") -> Path:
    target = tmp_path / name
    with target.open("wb") as stream:
        write_eaf(doc, stream, target)
    return target


def key(event: Event) -> tuple:
    return (
        event.code,
        event.start_ms,
        event.end_ms,
        event.subject,
        event.modifiers,
        event.caption,
        event.comment,
    )


@pytest.fixture(scope="module")
def schema():
    import xmlschema

    return xmlschema.XMLSchema(str(shared(XSD)))


def test_the_file_is_valid_eaf_30(tmp_path, schema):
    path = written(tmp_path, coding())
    schema.validate(str(path))
    head = path.read_bytes()[:60]
    assert head.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<ANNOTATION_DOCUMENT')


def test_a_coder_without_subjects_and_media_by_url_are_valid_too(tmp_path, schema):
    doc = coding(coder=None, media_path="https://example.org/v.mp4")
    bare = Document(
        "eaf",
        "",
        codes=doc.codes,
        observations=(
            Observation(
                "x",
                events=tuple(
                    Event(e.code, e.start_ms, e.end_ms) for e in doc.observations[0].events
                ),
            ),
        ),
    )
    schema.validate(str(written(tmp_path, doc, "a.eaf")))
    schema.validate(str(written(tmp_path, bare, "b.eaf")))
    schema.validate(str(written(tmp_path, Document("eaf", ""), "empty.eaf")))


def test_pympi_reads_the_tiers_vocabularies_and_media(tmp_path):
    import pympi

    media = tmp_path / "media" / "clip one.mp4"
    path = written(tmp_path / "", coding(media_path=str(media)))
    eaf = pympi.Elan.Eaf(str(path))
    names = eaf.get_tier_names()
    # one family per tier, named when the codes come in several; overlaps on a second tier
    assert [n for n in names if eaf.tiers[n][2].get("PARENT_REF") is None] == [
        "Ann · Mother · Affect",
        "Ann · Mother · Affect (2)",
        "Ann · Mother · Contact",
        "Ann · Infant · Contact",
        "Ann · Infant · Contact (2)",  # the point lies within 'look'
    ]
    attrs = eaf.tiers["Ann · Mother · Affect"][2]
    assert (attrs["PARTICIPANT"], attrs["ANNOTATOR"]) == ("Mother", "Ann")
    assert sorted(eaf.get_annotation_data_for_tier("Ann · Mother · Affect")) == [
        (1000, 4000, "Warm"),
        (6000, 7000, "Warm"),
    ]
    assert eaf.get_annotation_data_for_tier("Ann · Mother · Contact") == [(3000, 3000, "Touch")]
    caption = eaf.get_ref_annotation_data_for_tier("Ann · Mother · Affect · caption")
    assert sorted(v for _s, _e, v, _p in caption) == sorted(
        ["Lovely moment", ODD.replace("\x07", "\ufffd")]
    )
    words = eaf.get_ref_annotation_data_for_tier("Ann · Infant · Contact · words")
    assert [v for *_t, v, _p in words] == ["ba", "ma", ""]
    assert (
        eaf.linguistic_types[eaf.tiers["Ann · Infant · Contact · words"][2]["LINGUISTIC_TYPE_REF"]][
            "CONSTRAINTS"
        ]
        == "Symbolic_Subdivision"
    )
    (descriptor,) = eaf.media_descriptors
    assert descriptor["RELATIVE_MEDIA_URL"] == "./media/clip%20one.mp4"
    assert descriptor["MEDIA_URL"] == media.as_uri()
    assert descriptor["TIME_ORIGIN"] == "1500" and descriptor["MIME_TYPE"] == "video/mp4"
    affect = eaf.controlled_vocabularies["Affect"]
    assert {e: (v[0][0][0], v[0][0][2]) for e, v in affect[1].items()} == {
        "warm": ("Warm", "Positive & warm"),
        "flat": ("Flat <affect>", None),
    }


def test_read_back_everything_is_as_it_was(tmp_path):
    doc = coding()
    back = read_eaf(written(tmp_path, doc))
    ours = doc.observations[0]
    theirs = back.observations[0]
    odd = ODD.replace("\x07", "\ufffd")  # XML 1.0 cannot hold a bell
    expected = sorted(
        key(e)
        for e in (
            Event(
                e.code,
                e.start_ms,
                e.end_ms,
                e.subject,
                tuple((k, v.replace("\x07", "\ufffd")) for k, v in e.modifiers),
                e.comment,
                e.caption.replace("\x07", "\ufffd") if e.caption else e.caption,
            )
            for e in ours.events
        )
    )
    assert sorted(key(e) for e in theirs.events) == expected
    assert odd in {e.caption for e in theirs.events}
    assert {(c.id, c.name, c.kind, c.category, c.description) for c in back.codes} == {
        (c.id, c.name, c.kind, c.category, c.description) for c in doc.codes
    }
    assert [s.name for s in back.subjects] == ["Mother", "Infant"]
    assert {(m.id, m.values, m.multiple) for m in back.modifier_sets} == {
        ("intensity", ("low", "high"), False),
        ("words", (), True),
        ("note", (), False),
    }
    (media,) = theirs.media
    assert (media.name, media.offset_ms, media.mime_type) == ("clip.mp4", 1500, "video/mp4")
    assert (theirs.coder, back.author) == ("Ann", "Dr Rao & co")
    assert back.problems == ()


def test_one_family_makes_tiers_named_coder_and_subject(tmp_path):
    doc = coding()
    one = Document(
        "eaf",
        "",
        name="KIPS",
        codes=(CodeDef("warm", "Warm"),),
        observations=(Observation("v", "Ann", events=(Event("warm", 0, 10, "Mother"),)),),
    )
    path = written(tmp_path, one)
    text = path.read_text(encoding="utf-8")
    assert 'TIER_ID="Ann · Mother"' in text and 'CV_ID="KIPS"' in text
    assert read_eaf(path).codes[0].category == "KIPS"
    del doc


def test_points_are_written_as_they_are(tmp_path):
    import pympi

    eaf = pympi.Elan.Eaf(str(written(tmp_path, coding())))
    assert eaf.get_annotation_data_for_tier("Ann · Infant · Contact (2)") == [(3000, 3000, "Touch")]


def test_times_outside_a_day_or_backwards_are_refused_naming_the_event(tmp_path):
    for start, end in ((-1, 5), (10, 5), (0, 24 * 3600 * 1000 + 1)):
        doc = Document(
            "eaf",
            "",
            observations=(Observation("visit", events=(Event("a", 0, 1), Event("a", start, end))),),
        )
        with pytest.raises(FormatError) as caught:
            write_eaf(doc, io.BytesIO(), tmp_path / "x.eaf")
        assert caught.value.place == "observation 'visit' event 2"
        assert str(tmp_path / "x.eaf") in str(caught.value)


def test_the_format_writes_through_its_spec(tmp_path):
    stream = io.BytesIO()
    assert FORMAT.write is not None
    FORMAT.write(coding(), stream, tmp_path / "x.eaf")
    assert b"<CV_ENTRY_ML" in stream.getvalue()


def test_the_shared_sample_goes_round(tmp_path):
    import pympi

    from tests.io.eaf_files import SAMPLE

    doc = read_eaf(shared(SAMPLE))
    path = written(tmp_path, doc)
    back = read_eaf(path)
    assert sorted(key(e) for e in back.observations[0].events) == sorted(
        key(e) for e in doc.observations[0].events
    )
    eaf = pympi.Elan.Eaf(str(path))
    # 4,788 time-aligned annotations and 3,990 below them, as in the sample; and the
    # values of the tiers without a vocabulary (3,591) on caption tiers
    counts = {n: (len(a), len(r)) for n, (a, r, *_x) in eaf.tiers.items()}
    assert sum(a for a, _r in counts.values()) == 4788
    assert sum(r for n, (_a, r) in counts.items() if not n.endswith("caption")) == 3990
    assert sum(r for n, (_a, r) in counts.items() if n.endswith("caption")) == 399 + 1995 + 1197


def test_names_with_markup_and_control_characters_are_escaped(tmp_path, schema):
    odd = 'A&B "q" <x>\x01'
    doc = Document(
        "eaf",
        "",
        name=odd,
        codes=(CodeDef('c"1', odd, description=odd),),
        subjects=(Subject("s", odd),),
        modifier_sets=(ModifierSet("m", odd, (odd,)),),
        observations=(
            Observation(
                "v",
                coder=odd,
                media=(MediaRef(f"{tmp_path}/a&b <c>.mp4"),),
                events=(Event('c"1', 0, 10, "s", ((("m", odd)),), caption=odd),),
            ),
        ),
        author=odd,
    )
    path = written(tmp_path, doc)
    schema.validate(str(path))
    back = read_eaf(path)
    clean = odd.replace("\x01", "\ufffd")
    (event,) = back.observations[0].events
    assert (event.subject, event.modifiers, event.caption) == (clean, ((clean, clean),), clean)
    assert (back.author, back.observations[0].coder) == (clean, clean)
    assert back.observations[0].media[0].name == "a&b <c>.mp4"
    assert back.codes[0].name == clean and back.codes[0].category == clean


# -- any coding goes round ----------------------------------------------------------------

import itertools  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=10)
TEXTS = st.text(max_size=20)  # control characters and all


def _clean(text: str) -> str:
    return "".join(
        c
        if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") or c > "\uffff"
        else "\ufffd"
        for c in text
    )


@st.composite
def codings(draw) -> Document:
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    families = st.one_of(st.none(), st.sampled_from(["Affect", "Touch & go", "Gaze <x>"]))
    codes = tuple(
        CodeDef(i, draw(NAMES), category=draw(families), description=draw(st.none() | NAMES))
        for i in ids
    )
    subjects = draw(st.lists(NAMES, min_size=1, max_size=3, unique=True))
    set_names = draw(
        st.lists(NAMES.filter(lambda n: n not in ("caption", "comment")), max_size=2, unique=True)
    )
    sets = tuple(
        ModifierSet(n, n, tuple(draw(st.lists(NAMES, max_size=3, unique=True)))) for n in set_names
    )
    events = []
    for _ in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 10_000))
        end = start + draw(st.sampled_from([0, 0, 1, 40, 500, 3000]))
        modifiers = tuple(
            (s.id, draw(st.sampled_from(s.values) if s.values and draw(st.booleans()) else TEXTS))
            for s in sets
            for _ in range(draw(st.integers(0, 2)))
        )
        events.append(
            Event(
                draw(st.sampled_from(ids)),
                start,
                end,
                draw(st.sampled_from(subjects)),
                modifiers,
                draw(st.none() | TEXTS),
                draw(st.none() | TEXTS),
            )
        )
    return Document(
        "eaf",
        "",
        name=draw(NAMES),
        codes=codes,
        subjects=tuple(Subject(s, s) for s in subjects),
        modifier_sets=sets,
        observations=(
            Observation(
                "v",
                draw(NAMES),
                media=(MediaRef("clip.mp4", draw(st.integers(0, 10**6))),),
                events=tuple(events),
            ),
        ),
        author=draw(st.none() | NAMES),
    )


def _as_read(event: Event) -> tuple:
    grouped: dict[str, list[str]] = {}
    for name, value in event.modifiers:
        grouped.setdefault(name, []).append(_clean(value))
    return (
        event.code,
        event.start_ms,
        event.end_ms,
        event.subject,
        sorted(grouped.items()),
        None if event.comment is None else _clean(event.comment),
        None if event.caption is None else _clean(event.caption),
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=codings())
def test_any_coding_is_read_back_as_it_was_written(tmp_path_factory, doc):
    path = written(tmp_path_factory.mktemp("rt"), doc)
    back = read_eaf(path)
    events = doc.observations[0].events
    assert sorted(map(_as_read, back.observations[0].events), key=repr) == sorted(
        map(_as_read, events), key=repr
    )
    points = {e.code for e in events if e.is_point} - {e.code for e in events if not e.is_point}
    assert {(c.id, c.name, c.description, c.category, c.kind) for c in back.codes} == {
        (
            c.id,
            c.name,
            c.description,
            c.category or doc.name,
            CodeKind.POINT if c.id in points else CodeKind.STATE,
        )
        for c in doc.codes
    }
    # codes and subjects without events are kept on empty tiers
    assert {s.name for s in back.subjects} == {s.name for s in doc.subjects}
    assert back.observations[0].coder == doc.observations[0].coder
    assert back.observations[0].media[0].offset_ms == doc.observations[0].media[0].offset_ms
    assert back.author == doc.author and back.problems == ()
    # no tier holds overlapping annotations
    import pympi

    eaf = pympi.Elan.Eaf(str(path))
    for tier in eaf.get_tier_names():
        spans = sorted(eaf.get_annotation_data_for_tier(tier))
        if eaf.tiers[tier][0]:
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), tier
