"""Reading ELAN .eaf files: the shared 2.7 sample against pympi-ling, and small 2.8 and
3.0 files written here for every feature the reader claims."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.io.eaf_files import EAF_28, EAF_30, SAMPLE, VOCAL_ECV, aligned, minimal, shared, slot
from vfa.io.document import CodeKind, Document
from vfa.io.eaf import FORMAT, read_eaf, sniff


def write(tmp_path: Path, text: str, name: str = "visit.eaf") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def events_of(doc: Document, subject: str) -> list:
    return [e for e in doc.observations[0].events if e.subject == subject]


# -- the shared sample (ELAN 2.7) against an independent reader --------------------------


@pytest.fixture(scope="module")
def sample() -> tuple[Document, object]:
    import pympi

    path = shared(SAMPLE)
    return read_eaf(path), pympi.Elan.Eaf(str(path))


def test_sample_time_aligned_tiers_are_lanes_with_every_annotation(sample):
    doc, eaf = sample
    for tier in ("text", "words-timesub", "gestures", "gest_included"):
        theirs = eaf.tiers[tier][0]  # id -> (slot 1, slot 2, value, svg)
        ours = events_of(doc, tier)  # no PARTICIPANT in the sample: the tier is the subject
        assert len(ours) == len(theirs), tier
        values = Counter(
            e.caption if e.caption is not None else doc.code(e.code).name for e in ours
        )
        assert values == Counter(v for _a, _b, v, _s in theirs.values()), tier
        aligned_times = Counter(
            (eaf.timeslots[a], eaf.timeslots[b])
            for a, b, _v, _s in theirs.values()
            if eaf.timeslots[a] is not None and eaf.timeslots[b] is not None
        )
        ours_at = Counter((e.start_ms, e.end_ms) for e in ours)
        assert not aligned_times - ours_at, tier  # every fully aligned one is there as it was
    assert sum(len(eaf.tiers[t][0]) for t in eaf.tiers) == len(doc.observations[0].events)


def test_sample_reference_tiers_are_modifiers_of_the_annotation_they_hang_from(sample):
    doc, eaf = sample
    refs = {a: (tier, r) for tier in eaf.tiers for a, r in eaf.tiers[tier][1].items()}
    aligned_ann = {a: v for tier in eaf.tiers for a, v in eaf.tiers[tier][0].items()}

    def root(ann: str) -> tuple:
        while ann in refs:
            ann = refs[ann][1][0]
        a, b, _v, _s = aligned_ann[ann]
        return eaf.timeslots[a], eaf.timeslots[b]

    for tier in ("words-symsub", "words-pos"):
        theirs = Counter((root(a), r[1]) for a, (t, r) in refs.items() if t == tier)
        assert sum(theirs.values()) == len(eaf.tiers[tier][1]) == 1995
        ours = Counter(
            ((e.start_ms, e.end_ms), value)
            for e in doc.observations[0].events
            for name, value in e.modifiers
            if name == tier
        )
        assert ours == theirs, tier


def test_sample_vocabulary_codes_subjects_and_media(sample):
    doc, _eaf = sample
    gesture = {c.name: c for c in doc.codes if c.category == "Gesture"}
    assert {n: c.description for n, c in gesture.items()} == {
        "prep": "preparation",
        "hold": "hold",
        "stroke": "stroke",
        "retr": "retraction",
    }
    assert {c.id for c in gesture.values()} == {"prep", "hold", "stroke", "retr"}
    assert {e.code for e in events_of(doc, "gestures")} <= {c.id for c in gesture.values()}
    # tiers without a vocabulary: one code each, the values kept as captions
    assert doc.code("text").name == "text" and doc.code("text").category is None
    assert events_of(doc, "text")[0].caption == "The quick brown fox 001"
    assert [s.name for s in doc.subjects] == ["text", "words-timesub", "gestures", "gest_included"]
    pos = next(m for m in doc.modifier_sets if m.name == "words-pos")
    assert pos.values == ("v", "n", "adj")  # the POS vocabulary of the reference tier
    (media,) = doc.observations[0].media
    assert media.name == "r03_v20_s5.wav" and media.mime_type == "audio/x-wav"
    assert media.offset_ms == 0
    assert doc.observations[0].name == "sample_2.7" and doc.author is None


def test_sample_unaligned_slots_are_placed_as_elan_places_them_and_reported_once(sample):
    doc, _eaf = sample
    # 'text' a3 runs 8000-11000 (ts38, ts55); its five words share it through four slots
    # without a time: 3000 / 5 = 600 ms each
    words = [e for e in events_of(doc, "words-timesub") if 8000 <= e.start_ms < 11000]
    assert [(e.start_ms, e.end_ms, e.caption) for e in words] == [
        (8000, 8600, "The"),
        (8600, 9200, "quick"),
        (9200, 9800, "brown"),
        (9800, 10400, "fox"),
        (10400, 11000, "003"),
    ]
    unaligned = [p for p in doc.problems if "have no time" in p.reason]
    assert [p.place for p in unaligned] == ["tier 'words-timesub'"]
    assert "1,572 time slots" in unaligned[0].reason


def test_sample_code_ids_are_stable(sample):
    doc, _eaf = sample
    again = read_eaf(shared(SAMPLE))
    assert [c.id for c in again.codes] == [c.id for c in doc.codes]
    assert again.observations == doc.observations


# -- EAF 2.8: multilingual vocabularies, children, TIME_ORIGIN ---------------------------


def test_28_vocabulary_entries_give_codes_with_descriptions(tmp_path):
    doc = read_eaf(write(tmp_path, EAF_28))
    parenting = [c for c in doc.codes if c.category == "Parenting"]
    assert [(c.id, c.name, c.description) for c in parenting] == [
        ("cveid_warm", "warm", "Warm, positive affect"),
        ("cveid_intrusive", "intrusive", "Prend la main"),
        ("cveid_touch", "touch", "A touch"),
        ("cveid_unused", "withdrawn", None),
    ]
    mother = events_of(doc, "Mother")
    # by CVE_REF, by a value in another language, and a point (begin == end)
    assert [(e.code, e.start_ms, e.end_ms) for e in mother[:2]] == [
        ("cveid_warm", 1000, 2000),
        ("cveid_intrusive", 2000, 3000),
    ]
    assert doc.code("cveid_touch").kind is CodeKind.POINT
    assert doc.code("cveid_warm").kind is CodeKind.STATE


def test_28_reference_children_become_modifiers_in_chain_order(tmp_path):
    doc = read_eaf(write(tmp_path, EAF_28))
    warm, intrusive, touch = [e for e in events_of(doc, "Mother") if e.code.startswith("cveid")]
    # the association child's name loses its parent's "M-beh · "; the subdivision's
    # values follow PREVIOUS_ANNOTATION, not the order in the file
    assert warm.modifiers == (
        ("intensity", "high"),
        ("M-words", "hello"),
        ("M-words", "you"),
        ("M-words", "there"),
    )
    assert intrusive.modifiers == (("intensity", "low"),)
    assert touch.modifiers == ()
    sets = {m.id: m for m in doc.modifier_sets}
    assert sets["M-words"].multiple and not sets["intensity"].multiple
    assert doc.code("cveid_warm").modifier_sets == ("intensity", "M-words")


def test_28_child_lanes_subjects_captions_media_and_coder(tmp_path):
    doc = read_eaf(write(tmp_path, EAF_28))
    # an Included_In child is its own lane; without a PARTICIPANT it takes its parent's
    gaze = [e for e in doc.observations[0].events if e.code == "M-gaze"]
    assert [(e.start_ms, e.end_ms, e.subject, e.caption) for e in gaze] == [
        (1200, 1800, "Mother", "at baby & toy")
    ]
    # a tier without PARTICIPANT (and no parent) is its own subject; its value a caption
    (note,) = events_of(doc, "Notes")
    assert (note.code, note.start_ms, note.end_ms, note.caption) == (
        "Notes",
        1500,
        1500,
        "bell rings",
    )
    assert doc.code("Notes").kind is CodeKind.POINT and doc.code("Notes").subject == "Notes"
    assert [s.name for s in doc.subjects] == ["Mother", "Notes"]
    (media,) = doc.observations[0].media
    assert (media.path, media.offset_ms, media.mime_type) == ("./visit 1.mp4", 2500, "video/mp4")
    assert media.name == "visit 1.mp4"
    obs = doc.observations[0]
    assert (obs.name, obs.coder, doc.author, doc.format) == ("visit", "Ann", "Dr Rao", "eaf")
    assert doc.problems == ()


# -- EAF 3.0: unaligned slots, external vocabularies -------------------------------------


def test_30_unaligned_slots_get_elans_times_at_two_levels(tmp_path):
    folder = tmp_path / "coding"
    (folder / "vocab").mkdir(parents=True)
    (folder / "vocab" / "vocal.ecv").write_text(VOCAL_ECV, encoding="utf-8")
    doc = read_eaf(write(folder, EAF_30))
    syllables = [(e.start_ms, e.end_ms) for e in doc.observations[0].events if e.code == "Syllable"]
    # 1000-2000 over three: (2000 - 1000) / 3 truncated = 333; 5000-6000 over two: 500
    assert syllables == [(1000, 1333), (1333, 1666), (1666, 2000), (5000, 5500), (5500, 6000)]
    phones = [(e.start_ms, e.end_ms) for e in doc.observations[0].events if e.code == "Phone"]
    # between 5000, the syllable's proposed 5500, and 6000
    assert phones == [(5000, 5250), (5250, 5500), (5500, 5750), (5750, 6000)]
    reports = [(p.place, p.reason) for p in doc.problems if "have no time" in p.reason]
    assert [place for place, _r in reports] == ["tier 'Syllable'", "tier 'Phone'"]
    assert reports[0][1].startswith("3 time slots") and reports[1][1].startswith("2 time slots")


def test_30_external_vocabularies_are_read_from_beside_the_file_and_never_fetched(tmp_path):
    folder = tmp_path / "coding"
    (folder / "vocab").mkdir(parents=True)
    (folder / "vocab" / "vocal.ecv").write_text(VOCAL_ECV, encoding="utf-8")
    doc = read_eaf(write(folder, EAF_30))
    vocal = [c for c in doc.codes if c.category == "Vocal CV"]
    assert [(c.id, c.name, c.description) for c in vocal] == [
        ("v-coo", "coo", "Soft vowel sound"),
        ("v-cry", "cry", "Distress"),
    ]
    problems = {p.place: p.reason for p in doc.problems}
    network = problems["CONTROLLED_VOCABULARY 'Affect CV'"]
    assert "https://example.org/cv/affect.ecv" in network and "no network" in network
    missing = problems["CONTROLLED_VOCABULARY 'Gesture CV'"]
    assert "file:/Users/someone/gone.ecv" in missing and "cannot be read" in missing
    assert "Vocal CV" not in " ".join(problems)
    # values of an unread vocabulary are codes as they stand (id from CVE_REF)
    (joy,) = [e for e in doc.observations[0].events if e.subject == "Infant" and e.start_ms == 7000]
    assert (joy.code, doc.code(joy.code).name, doc.code(joy.code).category) == (
        "ext-joy",
        "joy",
        "Affect CV",
    )
    assert doc.code("point").category == "Gesture CV"
    assert not any("not in the vocabulary" in p.reason for p in doc.problems)


@pytest.mark.parametrize(
    "where",
    ["file:/Users/someone/gone.ecv", "C:\\Users\\someone\\gone.ecv", "/srv/cv/gone.ecv"],
)
def test_an_external_vocabulary_given_as_a_path_elsewhere_is_read_from_beside_the_file(
    tmp_path, where
):
    (tmp_path / "gone.ecv").write_text(
        VOCAL_ECV.replace("Vocal CV", "Gesture CV"), encoding="utf-8"
    )
    text = EAF_30.replace('VALUE="file:/Users/someone/gone.ecv"', f'VALUE="{where}"')
    doc = read_eaf(write(tmp_path, text))
    assert "CONTROLLED_VOCABULARY 'Gesture CV'" not in {p.place for p in doc.problems}
    assert [c.name for c in doc.codes if c.category == "Gesture CV"] == ["coo", "cry", "point"]
    # 'point' is not among the entries read: kept, and said
    assert any(
        p.place == "tier 'Gesture'" and "'point' is not in the vocabulary" in p.reason
        for p in doc.problems
    )


# -- smaller points ------------------------------------------------------------------------


def test_frames_as_time_units_are_converted_to_ms(tmp_path):
    text = minimal(slot("ts1", "25") + slot("ts2", "50"), aligned("a1", "ts1", "ts2"))
    text = text.replace('TIME_UNITS="milliseconds"', 'TIME_UNITS="PAL-frames"')
    (event,) = read_eaf(write(tmp_path, text)).observations[0].events
    assert (event.start_ms, event.end_ms) == (1000, 2000)


def test_fractional_times_round_half_up(tmp_path):
    text = minimal(slot("ts1", "10.5") + slot("ts2", "20.4"), aligned("a1", "ts1", "ts2"))
    (event,) = read_eaf(write(tmp_path, text)).observations[0].events
    assert (event.start_ms, event.end_ms) == (11, 20)


def test_several_annotators_are_one_coding_and_said(tmp_path):
    text = EAF_28.replace('ANNOTATOR="Ann" TIER_ID="M-gaze"', 'ANNOTATOR="Ben" TIER_ID="M-gaze"')
    doc = read_eaf(write(tmp_path, text))
    assert doc.observations[0].coder is None
    assert any("several annotators (Ann, Ben)" in p.reason for p in doc.problems)


def test_the_format_is_recognised_by_content():
    assert sniff(EAF_28.encode("utf-8"), "x.txt")
    assert sniff(EAF_28.encode("utf-16"), "x.eaf")
    assert not sniff(b'{"project": 1}', "x.eaf")
    assert FORMAT.id == "eaf" and FORMAT.read is read_eaf and FORMAT.write is not None


def test_an_external_vocabulary_no_tier_uses_is_not_opened(tmp_path, monkeypatch):
    import vfa.io.eaf_vocab as vocab

    opened: list[str] = []
    real = vocab.read_bytes
    monkeypatch.setattr(vocab, "read_bytes", lambda p, *a: opened.append(str(p)) or real(p, *a))
    text = EAF_30.replace(
        "</ANNOTATION_DOCUMENT>",
        '<CONTROLLED_VOCABULARY CV_ID="Unused CV" EXT_REF="er9"/>'
        '<EXTERNAL_REF EXT_REF_ID="er9" TYPE="ecv" VALUE="unused.ecv"/></ANNOTATION_DOCUMENT>',
    )
    doc = read_eaf(write(tmp_path, text))
    assert [Path(p).name for p in opened] == ["vocal.ecv", "gone.ecv"]
    assert not any("Unused" in p.place for p in doc.problems)


def test_27_vocabulary_entries_are_codes_named_by_their_values(tmp_path):
    text = minimal(
        slot("ts1", "0") + slot("ts2", "400") + slot("ts3", "900"),
        aligned("a1", "ts1", "ts2", "prep") + aligned("a2", "ts2", "ts3", "retr"),
        '<CONTROLLED_VOCABULARY CV_ID="Gesture" DESCRIPTION="Gesture phases">'
        '<CV_ENTRY DESCRIPTION="preparation">prep</CV_ENTRY>'
        '<CV_ENTRY DESCRIPTION="retraction">retr</CV_ENTRY>'
        "<CV_ENTRY>Hold it!</CV_ENTRY></CONTROLLED_VOCABULARY>",
        version="2.7",
    ).replace(
        'TIME_ALIGNABLE="true"/>', 'TIME_ALIGNABLE="true" CONTROLLED_VOCABULARY_REF="Gesture"/>'
    )
    doc = read_eaf(write(tmp_path, text))
    assert [(c.id, c.name, c.description, c.category) for c in doc.codes] == [
        ("prep", "prep", "preparation", "Gesture"),
        ("retr", "retr", "retraction", "Gesture"),
        ("Hold-it", "Hold it!", None, "Gesture"),
    ]
    assert [(e.code, e.subject, e.caption) for e in doc.observations[0].events] == [
        ("prep", "Lane", None),
        ("retr", "Lane", None),
    ]
