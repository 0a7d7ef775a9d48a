"""ELAN .eaf files (EAF 2.7, 2.8 and 3.0) in, and EAF 3.0 out (vfa/io/eaf_write.py).

Reading: each time-aligned tier is a lane (its subject the tier's PARTICIPANT, else a
parent tier's, else the tier's name). A lane whose linguistic type has a controlled
vocabulary gives codes from its entries (id from CVE_ID, else from the value; name the
value; the entry's description kept); a lane without one is one code named after the tier
whose annotation values are kept as captions. An empty time-alignable tier still gives
its vocabulary's codes, and its PARTICIPANT as a subject. Reference annotations (symbolic
association and subdivision tiers, at any depth) attach their values to the time-aligned annotation
they hang from, as modifiers named after their tier (less the parent tier's name and ' · ',
so VFA's own 'Ann · Mother · intensity' comes back as 'intensity'); a child tier named
'… · caption' or '… · comment' (as VFA writes them) gives the event's caption or comment.
Empty values on reference tiers are kept so that the i-th values of sibling tiers still
belong together. Unaligned time slots get the times ELAN proposes (eaf_time.py) and are
reported once per tier. An annotation that ends before it starts, or names a time slot the
file lacks, is reported and skipped; a TIME_VALUE that is negative, not a number or past
24 hours refuses the file. External vocabularies are read only from a local file beside the
.eaf (never fetched); when they cannot be read their values become codes as they stand.
The whole file is one observation named after the file; one annotator named by the tiers
is its coder (several are reported), AUTHOR the document's author.
"""

from __future__ import annotations

import os
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

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
from vfa.io.eaf_refs import Draft, Problems, Tier, attach_references, value_of
from vfa.io.eaf_time import UNITS, propose_times, to_ms
from vfa.io.eaf_vocab import Ids, Vocabulary, read_vocabularies
from vfa.io.eaf_write import write_eaf
from vfa.io.registry import FormatSpec
from vfa.io.safety import parse_xml, read_bytes

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

KNOWN_VERSIONS = ("2.", "3.0")
# an ALIGNABLE_ANNOTATION: id, TIME_SLOT_REF1, TIME_SLOT_REF2, value, CVE_REF
_Aligned = tuple[str, str, str, str, str | None]


def read_eaf(path: str | os.PathLike[str]) -> Document:
    """Read an ELAN .eaf file; a bad file raises FormatError naming the place."""
    name = os.fspath(path)
    root = parse_xml(read_bytes(name), name)
    if root.tag != "ANNOTATION_DOCUMENT":
        raise FormatError(
            name, f"root element <{root.tag}>", "not an ELAN file (ANNOTATION_DOCUMENT expected)"
        )
    return _Reader(name, root).read()


class _Reader:
    def __init__(self, file: str, root: Element) -> None:
        self.file = file
        self.root = root
        self.problems = Problems()
        self.codes: dict[tuple[str, str], CodeDef] = {}
        self.code_ids = Ids()
        self.code_vocabularies: set[str] = set()
        self.subjects: list[str] = []  # in the order of the tiers

    # -- header -------------------------------------------------------------------------

    def _units(self, header: Element | None) -> Decimal:
        units = header.get("TIME_UNITS", "milliseconds") if header is not None else ""
        if units not in UNITS:
            if units:
                self.problems.add("HEADER", f"TIME_UNITS {units!r} is unknown; read as ms")
            return UNITS["milliseconds"]
        return UNITS[units]

    def _media(self, header: Element | None) -> tuple[MediaRef, ...]:
        if header is None:
            return ()
        media: list[MediaRef] = []
        for n, item in enumerate(header.iter("MEDIA_DESCRIPTOR"), start=1):
            url = item.get("RELATIVE_MEDIA_URL") or item.get("MEDIA_URL") or ""
            if not url:
                self.problems.add(f"MEDIA_DESCRIPTOR {n}", "names no media file; left out")
                continue
            offset = 0
            origin = item.get("TIME_ORIGIN")
            if origin:
                try:
                    offset = to_ms(origin, signed=True)
                except ValueError as exc:
                    raise FormatError(
                        self.file, f"MEDIA_DESCRIPTOR {n} TIME_ORIGIN", str(exc)
                    ) from None
            media.append(MediaRef(unquote(url), offset, mime_type=item.get("MIME_TYPE") or None))
        old = header.get("MEDIA_FILE") or ""
        if old and not any(m.name == MediaRef(old).name for m in media):
            media.append(MediaRef(old))
        return tuple(media)

    def _slots(self, unit: Decimal) -> tuple[dict[str, int], dict[str, int]]:
        order: dict[str, int] = {}
        times: dict[str, int] = {}
        time_order = self.root.find("TIME_ORDER")
        if time_order is None:
            return order, times
        for n, slot in enumerate(time_order.iter("TIME_SLOT")):
            slot_id = slot.get("TIME_SLOT_ID")
            if not slot_id:
                self.problems.add(f"TIME_SLOT {n + 1}", "has no TIME_SLOT_ID; left out")
                continue
            if slot_id in order:
                self.problems.add(f"TIME_SLOT {slot_id!r}", "appears twice; the first is used")
                continue
            order[slot_id] = n
            value = slot.get("TIME_VALUE")
            if value is not None:
                try:
                    times[slot_id] = to_ms(value, unit)
                except ValueError as exc:
                    raise FormatError(
                        self.file, f"TIME_SLOT {slot_id!r}", f"TIME_VALUE {exc}"
                    ) from None
        return order, times

    # -- tiers --------------------------------------------------------------------------

    def _tiers(self, vocabularies: dict[str, Vocabulary]) -> list[Tier]:
        types: dict[str, Element] = {}
        for element in self.root.iter("LINGUISTIC_TYPE"):
            types.setdefault(element.get("LINGUISTIC_TYPE_ID") or "", element)
        tiers: list[Tier] = []
        seen: set[str] = set()
        for n, element in enumerate(self.root.findall("TIER")):
            tier_id = element.get("TIER_ID") or f"tier {n + 1}"
            if tier_id in seen:
                renamed = f"{tier_id} ({n + 1})"
                self.problems.add(f"tier {tier_id!r}", f"appears twice; read as {renamed!r}")
                tier_id = renamed
            seen.add(tier_id)
            tier = Tier(
                tier_id,
                n,
                element,
                element.get("PARENT_REF") or None,
                element.get("PARTICIPANT") or None,
                element.get("ANNOTATOR") or None,
                element.get("LINGUISTIC_TYPE_REF"),
            )
            lt = types.get(tier.type_id or "")
            if lt is None:
                self.problems.add(
                    f"tier {tier_id!r}",
                    f"its linguistic type {tier.type_id!r} is not in the file; "
                    "read without a vocabulary",
                )
            else:
                tier.constraint = lt.get("CONSTRAINTS") or None
                tier.alignable = lt.get("TIME_ALIGNABLE") != "false" and not (
                    tier.constraint or ""
                ).startswith("Symbolic")
                cv_ref = lt.get("CONTROLLED_VOCABULARY_REF")
                if cv_ref:
                    tier.vocabulary = vocabularies.get(cv_ref)
                    if tier.vocabulary is None:
                        self.problems.add(
                            f"tier {tier_id!r}",
                            f"its vocabulary {cv_ref!r} is not in the file; "
                            "values read as they stand",
                        )
            tiers.append(tier)
        _lineage(tiers, {t.id: t for t in tiers})
        return tiers

    # -- codes --------------------------------------------------------------------------

    def _vocabulary_codes(self, vocabulary: Vocabulary) -> None:
        """A code for each entry of a vocabulary a lane uses (once, however many use it)."""
        if vocabulary.id in self.code_vocabularies:
            return
        self.code_vocabularies.add(vocabulary.id)
        for n, entry in enumerate(vocabulary.entries):
            key = (vocabulary.id, f"#{n}")
            if key not in self.codes:
                self.codes[key] = CodeDef(
                    id=self.code_ids.take(entry.id or entry.name),
                    name=entry.name or entry.id or vocabulary.id,
                    category=vocabulary.id,
                    description=entry.description,
                )

    def _code_for(self, tier: Tier, subject: str, value: str, cve_ref: str | None) -> str | None:
        """The code id an annotation's value is, or None when it is no code at all."""
        vocabulary = tier.vocabulary
        if vocabulary is None:
            key = ("", tier.id)
            if key not in self.codes:
                self.codes[key] = CodeDef(
                    id=self.code_ids.take(tier.id), name=tier.id, subject=subject
                )
            return self.codes[key].id
        position = vocabulary.find(cve_ref, value)
        if position is not None:
            return self.codes[(vocabulary.id, f"#{position}")].id
        if not value and not cve_ref:
            return None
        key = (vocabulary.id, f"={cve_ref or value}")
        if key not in self.codes:
            self.codes[key] = CodeDef(
                id=self.code_ids.take(cve_ref or value),
                name=value or cve_ref or "",
                category=vocabulary.id,
            )
            if vocabulary.readable:
                group = (tier.id, "not in the vocabulary")
                self.problems.add(
                    f"tier {tier.id!r}",
                    f"value {value!r} is not in the vocabulary {vocabulary.id!r}; "
                    "kept as a code of its own",
                    group,
                )
                self.problems.count_as(
                    group, f"tier {tier.id!r}", "values not in the vocabulary, each kept as a code"
                )
        return self.codes[key].id

    # -- annotations --------------------------------------------------------------------

    def read(self) -> Document:
        """The document: header, slots, vocabularies, tiers, events, then their children."""
        root = self.root
        version = root.get("VERSION") or root.get("FORMAT") or ""
        if version and not version.startswith(KNOWN_VERSIONS):
            self.problems.add(
                "ANNOTATION_DOCUMENT", f"EAF version {version} is not one VFA knows; read as 3.0"
            )
        header = root.find("HEADER")
        unit = self._units(header)
        media = self._media(header)
        order, times = self._slots(unit)
        refs = {
            e.get("EXT_REF_ID") or "": (e.get("TYPE") or "", e.get("VALUE") or "")
            for e in root.iter("EXTERNAL_REF")
        }
        type_refs = {t.get("LINGUISTIC_TYPE_REF") for t in root.findall("TIER")}
        used = {
            lt.get("CONTROLLED_VOCABULARY_REF") or ""
            for lt in root.iter("LINGUISTIC_TYPE")
            if lt.get("LINGUISTIC_TYPE_ID") in type_refs
        }
        vocabularies, cv_problems = read_vocabularies(root, refs, self.file, used)
        for problem in cv_problems:
            self.problems.add(problem.place, problem.reason)
        tiers = self._tiers(vocabularies)
        by_id = {t.id: t for t in tiers}
        aligned, references = _annotations(tiers)
        known = self._place_slots(tiers, aligned, order, times)
        lanes, drafts, anchors = self._lanes(tiers, aligned, order, known)
        modifier_sets, code_sets = attach_references(
            tiers, by_id, references, anchors, drafts, self.problems
        )
        events: list[Event] = []
        for lane in lanes:
            for d in sorted(lane, key=lambda d: (d.start, d.end)):
                events.append(
                    Event(
                        d.code, d.start, d.end, d.subject, tuple(d.modifiers), d.comment, d.caption
                    )
                )
        return self._document(tiers, events, media, modifier_sets, code_sets)

    def _place_slots(
        self,
        tiers: list[Tier],
        aligned: dict[str, list[_Aligned]],
        order: dict[str, int],
        times: dict[str, int],
    ) -> dict[str, int]:
        """Every slot's time: aligned ones as written, unaligned ones as ELAN proposes them,
        tiers taken parents first so that a child's run lies between its parent's times."""
        known = dict(times)
        for tier in sorted(tiers, key=lambda t: (t.depth, t.index)):
            slots = [s for a in aligned[tier.id] for s in a[1:3] if s in order]
            if not any(s not in known for s in slots):
                continue
            proposed, unplaced = propose_times(slots, order, known)
            known.update(proposed)
            if proposed:
                self.problems.add(
                    f"tier {tier.id!r}",
                    f"{_slots_have(len(proposed))} no time; placed evenly between the "
                    "aligned slots either side, as ELAN does",
                )
            if unplaced:
                self.problems.add(
                    f"tier {tier.id!r}",
                    f"{_slots_have(len(unplaced))} no time and no aligned slot on one "
                    "side; their annotations are skipped",
                )
        return known

    def _lanes(
        self,
        tiers: list[Tier],
        aligned: dict[str, list[_Aligned]],
        order: dict[str, int],
        known: dict[str, int],
    ) -> tuple[list[list[Draft]], list[Draft], dict[str, int]]:
        """The events of each time-aligned tier, all of them, and each one's index by its
        annotation id (for the reference annotations that hang from it)."""
        drafts: list[Draft] = []
        lanes: list[list[Draft]] = []
        anchors: dict[str, int] = {}
        for tier in tiers:
            empty = not tier.element.findall("ANNOTATION") and tier.alignable
            if not aligned[tier.id] and not empty:
                continue
            subject = tier.inherited or tier.id
            if tier.vocabulary is not None:
                self._vocabulary_codes(tier.vocabulary)
            if empty and subject != tier.id:  # a tier made ready for a participant
                self.subjects.append(subject)
            lane: list[Draft] = []
            for ann_id, ref1, ref2, value, cve_ref in aligned[tier.id]:
                place = f"tier {tier.id!r} annotation {ann_id!r}"
                start, end = known.get(ref1), known.get(ref2)
                if start is None or end is None:
                    if ref1 not in order or ref2 not in order:
                        missing = ref1 if ref1 not in order else ref2
                        self._skip(
                            tier, place, f"names time slot {missing!r}, which the file lacks"
                        )
                    continue  # an unplaced slot was reported for the tier
                if end < start:
                    self._skip(tier, place, f"ends ({end} ms) before it starts ({start} ms)")
                    continue
                code = self._code_for(tier, subject, value, cve_ref)
                if code is None:
                    self._skip(tier, place, "is empty on a tier with a vocabulary")
                    continue
                caption = (value or None) if tier.vocabulary is None else None
                anchors.setdefault(ann_id, len(drafts))
                drafts.append(Draft(code, start, end, subject, caption))
                lane.append(drafts[-1])
                if len(lane) == 1:
                    self.subjects.append(subject)
            lanes.append(lane)
        return lanes, drafts, anchors

    def _skip(self, tier: Tier, place: str, reason: str) -> None:
        group = (tier.id, reason.split(" ", 1)[0])
        self.problems.add(place, f"{reason}; skipped", group)
        self.problems.count_as(group, f"tier {tier.id!r}", "annotations like this; skipped")

    def _document(
        self,
        tiers: list[Tier],
        events: list[Event],
        media: tuple[MediaRef, ...],
        modifier_sets: list[ModifierSet],
        code_sets: dict[str, dict[str, None]],
    ) -> Document:
        kinds: dict[str, set[bool]] = defaultdict(set)
        for event in events:
            kinds[event.code].add(event.is_point)
        codes = []
        for code in self.codes.values():
            kind = CodeKind.POINT if kinds.get(code.id) == {True} else CodeKind.STATE
            codes.append(
                CodeDef(
                    code.id,
                    code.name,
                    kind,
                    category=code.category,
                    description=code.description,
                    modifier_sets=tuple(code_sets.get(code.id, ())),
                    subject=code.subject,
                )
            )
        subjects = tuple(Subject(s, s) for s in dict.fromkeys(self.subjects))
        annotators = list(
            dict.fromkeys(
                t.annotator
                for t in tiers
                if t.annotator and (t.alignable or t.element.find("ANNOTATION") is not None)
            )
        )
        if len(annotators) > 1:
            self.problems.add(
                "tiers",
                f"name several annotators ({', '.join(annotators)}); "
                "their events are read as one coding",
            )
        stem = Path(self.file).stem
        observation = Observation(
            name=stem,
            coder=annotators[0] if len(annotators) == 1 else None,
            media=media,
            events=tuple(events),
        )
        return Document(
            format="eaf",
            source=self.file,
            name=stem,
            codes=tuple(codes),
            subjects=subjects,
            modifier_sets=tuple(modifier_sets),
            observations=(observation,),
            problems=self.problems.done(),
            author=self.root.get("AUTHOR") or None,
        )


def _lineage(tiers: list[Tier], by_id: dict[str, Tier]) -> None:
    """Each tier's depth below its root and the participant it has or inherits, every tier
    walked once (a PARENT_REF loop is cut where it closes)."""
    done: dict[str, tuple[int, str | None]] = {}
    for tier in tiers:
        path: list[Tier] = []
        on_path: set[str] = set()
        current: Tier | None = tier
        depth, participant = -1, None
        while current is not None and current.id not in on_path:
            if current.id in done:
                depth, participant = done[current.id]
                break
            path.append(current)
            on_path.add(current.id)
            current = by_id.get(current.parent or "")
        for step in reversed(path):
            depth += 1
            participant = step.participant or participant
            done[step.id] = (depth, participant)
            step.depth, step.inherited = depth, participant


def _annotations(tiers: list[Tier]) -> tuple[dict[str, list[_Aligned]], dict[str, list[Element]]]:
    """Each tier's time-aligned annotations, and its reference annotations."""
    aligned: dict[str, list[_Aligned]] = {}
    references: dict[str, list[Element]] = {}
    for tier in tiers:
        aligned[tier.id], references[tier.id] = [], []
        for n, annotation in enumerate(tier.element.findall("ANNOTATION")):
            for item in annotation:
                if item.tag == "ALIGNABLE_ANNOTATION":
                    aligned[tier.id].append(
                        (
                            item.get("ANNOTATION_ID") or f"#{n + 1}",
                            item.get("TIME_SLOT_REF1") or "",
                            item.get("TIME_SLOT_REF2") or "",
                            value_of(item),
                            item.get("CVE_REF") or None,
                        )
                    )
                elif item.tag == "REF_ANNOTATION":
                    references[tier.id].append(item)
    return aligned, references


def _slots_have(count: int) -> str:
    return "1 time slot has" if count == 1 else f"{count:,} time slots have"


def sniff(head: bytes, name: str) -> bool:
    """Does this start of a file look like an ELAN annotation document?"""
    marker = "<ANNOTATION_DOCUMENT"
    return any(marker.encode(encoding) in head for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


FORMAT = FormatSpec(
    id="eaf",
    name="ELAN",
    suffixes=(".eaf",),
    sniff=sniff,
    read=read_eaf,
    write=write_eaf,
)
