"""EAF 3.0 out: a document as an ELAN file valid against EAFv3.0.xsd.

A tier per coder × subject ('Ann · Mother'; PARTICIPANT the subject, ANNOTATOR the coder;
the code family is added, 'Ann · Mother · Gaze', when the codes come in several), its
linguistic type tied to a controlled vocabulary per code family (a code's category, else
the document's name): CV_ENTRY_ML with CVE_ID the code id, CVE_VALUE its name and
DESCRIPTION its description; each event an ALIGNABLE_ANNOTATION with CVE_REF. ELAN keeps
the annotations of a tier apart, so events that overlap go to a second tier of the same
coder and subject ('Ann · Mother (2)'). Captions, comments and each modifier set are
dependent tiers ('Ann · Mother · caption'): symbolic association, or symbolic subdivision
when an event holds several values of one set; a modifier set with values has its own
vocabulary. A code family or a subject without events gets an empty tier, so that its
codes and the subject come back. The media descriptor gives MEDIA_URL as a file:// URL,
RELATIVE_MEDIA_URL from the target's folder (a relative media path is taken as relative
to that folder), and TIME_ORIGIN the offset.

Point events are written as they are, beginning and ending at the same time: ELAN opens
them (drawn as a line, and hard to pick out with the mouse), and they come back as points.
Not carried: a code's key, exclusive group and kind (a code whose events are all points is
a point code again when read), ratings, and variables. An event without a subject is on a
tier named after its coder alone, which a reader takes as the subject. Characters XML 1.0
cannot hold (control characters, lone surrogates) become U+FFFD.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import quote, unquote

from vfa.errors import FormatError
from vfa.io.document import CodeDef, Document, Event, split_url
from vfa.io.eaf_refs import SEPARATOR
from vfa.io.eaf_time import MAX_MS
from vfa.io.eaf_vocab import Ids

LANG = "und"
MIME_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".mpg": "video/mpeg",
    ".mpeg": "video/mpeg",
    ".avi": "video/x-msvideo",
    ".mkv": "video/x-matroska",
    ".webm": "video/webm",
    ".wmv": "video/x-ms-wmv",
    ".wav": "audio/x-wav",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
}
CONSTRAINTS = (
    (
        "Time_Subdivision",
        "Time subdivision of parent annotation's time interval, no time gaps allowed "
        "within this interval",
    ),
    (
        "Symbolic_Subdivision",
        "Symbolic subdivision of a parent annotation. Annotations refering to the same "
        "parent are ordered",
    ),
    ("Symbolic_Association", "1-1 association with a parent annotation"),
    (
        "Included_In",
        "Time alignable annotations within the parent annotation's time interval, gaps are allowed",
    ),
)

# XML 1.0 holds tab, newline, carriage return and U+0020 on, less surrogates and two others
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def text(value: str) -> str:
    """Element content, escaped."""
    return _clean(value).translate(_TEXT)


def attr(value: str) -> str:
    """An attribute value, escaped (tabs and line ends kept as character references)."""
    return _clean(value).translate(_ATTR)


def _attrs(pairs: Iterable[tuple[str, str | None]]) -> str:
    return "".join(f' {k}="{attr(v)}"' for k, v in pairs if v is not None)


class _Names:
    """Names unique within one kind of element (tier ids, CV ids, type ids)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}

    def take(self, wanted: str) -> str:
        """``wanted``, or it with ' #2', ' #3'… when that is taken already."""
        name, n = wanted, self._next.get(wanted, 1)
        while name in self._taken:
            n += 1
            name = f"{wanted} #{n}"
        self._next[wanted] = n
        self._taken.add(name)
        return name


@dataclass
class _Aligned:
    id: str
    start: int
    end: int
    value: str
    cve_ref: str | None


@dataclass
class _Ref:
    id: str
    parent: str
    previous: str | None
    value: str
    cve_ref: str | None


@dataclass
class _Tier:
    id: str
    type_id: str
    participant: str | None
    annotator: str | None
    parent: str | None = None
    annotations: list[_Aligned | _Ref] = field(default_factory=list)


@dataclass
class _Type:
    id: str
    alignable: bool
    constraint: str | None
    cv: str | None


class _Plan:
    """The tiers, types and vocabularies of the file, before it is written out."""

    def __init__(self, document: Document, target: Path) -> None:
        self.target = target
        self.default_family = document.name or "codes"
        self.codes: dict[str, CodeDef] = {}
        for code in document.codes:
            self.codes.setdefault(code.id, code)
        self.subjects = {s.id: s.name for s in document.subjects}
        self.set_names = {m.id: m.name for m in document.modifier_sets}
        self.set_values = {m.name: m.values for m in document.modifier_sets}
        self.tiers: list[_Tier] = []
        self.types: dict[str, _Type] = {}
        self.cvs: dict[str, list[tuple[str, str, str | None]]] = {}  # id -> entries
        self.tier_names, self.cv_names = _Names(), _Names()
        self.family_cv: dict[str, str] = {}
        self.set_cv: dict[str, tuple[str, dict[str, str]]] = {}  # name -> (cv, value -> id)
        self.count = 0

    def next_id(self) -> str:
        self.count += 1
        return f"a{self.count}"

    def family(self, code_id: str) -> str:
        code = self.codes.get(code_id)
        return code.category if code is not None and code.category else self.default_family

    def lanes(self, document: Document) -> dict[tuple[str | None, str | None, str], list[Event]]:
        """Events by (coder, subject, family), each checked to be a span VFA can hold."""
        lanes: dict[tuple[str | None, str | None, str], list[Event]] = defaultdict(list)
        for o, observation in enumerate(document.observations):
            for n, event in enumerate(observation.events):
                if not (0 <= event.start_ms <= event.end_ms <= MAX_MS):
                    raise FormatError(
                        os.fspath(self.target),
                        f"observation {observation.name or o + 1!r} event {n + 1}",
                        f"{event.start_ms} to {event.end_ms} ms is not a span within "
                        f"0 to {MAX_MS:,} ms",
                    )
                if event.code not in self.codes:
                    self.codes[event.code] = CodeDef(event.code, event.code)
                subject = self.subjects.get(event.subject or "", event.subject)
                lanes[(observation.coder, subject, self.family(event.code))].append(event)
        return lanes

    def vocabularies(self) -> None:
        """A vocabulary per code family, in the order the codes come."""
        families: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
        for code in self.codes.values():
            families[self.family(code.id)].append((code.id, code.name, code.description))
        for family, entries in (families or {self.default_family: []}).items():
            cv = self.cv_names.take(family)
            self.family_cv[family] = cv
            self.cvs[cv] = entries

    def type_for(self, key: str, alignable: bool, constraint: str | None, cv: str | None) -> str:
        if key not in self.types:
            self.types[key] = _Type(key, alignable, constraint, cv)
        return key

    def add_lane(
        self,
        coder: str | None,
        subject: str | None,
        family: str,
        events: list[Event],
        several: bool,
    ) -> None:
        parts = [p for p in (coder, subject) if p]
        if several or not parts:
            parts.append(family)
        base = SEPARATOR.join(parts)
        lane_type = self.type_for(f"codes{SEPARATOR}{family}", True, None, self.family_cv[family])
        for level, group in enumerate(_apart(events) or [[]], start=1):
            tier = _Tier(
                self.tier_names.take(base if level == 1 else f"{base} ({level})"),
                lane_type,
                subject,
                coder,
            )
            self.tiers.append(tier)
            children: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
            for event in group:
                code = self.codes[event.code]
                ann = self.next_id()
                tier.annotations.append(
                    _Aligned(ann, event.start_ms, event.end_ms, code.name, code.id)
                )
                if event.caption is not None:
                    children["caption"].append((ann, [event.caption]))
                if event.comment is not None:
                    children["comment"].append((ann, [event.comment]))
                values: dict[str, list[str]] = defaultdict(list)
                for key, value in event.modifiers:
                    values[self.set_names.get(key, key)].append(value)
                for name, listed in values.items():
                    children[SEPARATOR + name].append((ann, listed))
            for kind, entries in children.items():
                self.add_child(tier, kind, entries)

    def add_child(self, parent: _Tier, kind: str, entries: list[tuple[str, list[str]]]) -> None:
        """A dependent tier: caption, comment, or one modifier set (kind ' · name')."""
        multiple = any(len(values) > 1 for _a, values in entries)
        constraint = "Symbolic_Subdivision" if multiple else "Symbolic_Association"
        name = kind.removeprefix(SEPARATOR)
        ids: dict[str, str] = {}
        cv = None
        if kind != name:  # a modifier set: a vocabulary of its values when they all fit
            allowed = self.set_values.get(name) or ()
            if allowed and {v for _a, values in entries for v in values} <= set(allowed):
                if name not in self.set_cv:
                    cv_id = self.cv_names.take(name)
                    taken = Ids()
                    value_ids = {v: taken.take(v, "value") for v in dict.fromkeys(allowed)}
                    self.set_cv[name] = (cv_id, value_ids)
                    self.cvs[cv_id] = [(i, v, None) for v, i in value_ids.items()]
                cv, ids = self.set_cv[name]
            key = f"modifier{SEPARATOR}{name}" if cv else "modifier"
        else:
            key = name
        if multiple:
            key += f"{SEPARATOR}subdivision"
        type_id = self.type_for(key, False, constraint, cv)
        child = _Tier(
            self.tier_names.take(parent.id + SEPARATOR + name),
            type_id,
            parent.participant,
            parent.annotator,
            parent.id,
        )
        for ann, values in entries:
            previous: str | None = None
            for value in values:
                ref = self.next_id()
                child.annotations.append(_Ref(ref, ann, previous, value, ids.get(value)))
                previous = ref if multiple else None
        self.tiers.append(child)


def _apart(events: list[Event]) -> list[list[Event]]:
    """Events in time order over as few tiers as keep each tier's apart, each event on the
    first tier free at its start."""
    groups: list[list[Event]] = []
    busy: list[tuple[int, int]] = []  # (end, tier) of tiers still running
    free: list[int] = []  # tiers whose last event has ended
    for event in sorted(events, key=lambda e: (e.start_ms, e.end_ms)):
        while busy and busy[0][0] <= event.start_ms:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            tier = heapq.heappop(free)
        else:
            tier = len(groups)
            groups.append([])
        groups[tier].append(event)
        heapq.heappush(busy, (event.end_ms, tier))
    return groups


def _media(path: str, offset: int, mime: str | None, target: Path) -> str:
    """A MEDIA_DESCRIPTOR: MEDIA_URL a file:// URL, RELATIVE_MEDIA_URL from the target's
    folder, MIME_TYPE, and TIME_ORIGIN the offset."""
    parts = split_url(path)
    relative: str | None = None
    if len(parts.scheme) > 1 and parts.scheme.lower() != "file":
        url = path  # another kind of URL is kept as it is
    else:
        local = Path(unquote(parts.path)) if parts.scheme.lower() == "file" else Path(path)
        folder = target.resolve().parent
        full = (local if local.is_absolute() else folder / local).resolve()
        url = full.as_uri()
        try:
            rel = PurePosixPath(*Path(os.path.relpath(full, folder)).parts).as_posix()
        except ValueError:  # on another drive: no relative path
            rel = None
        if rel is not None:
            relative = quote(rel if rel.startswith("../") else f"./{rel}", safe="/._-~")
    suffix = PurePosixPath(parts.path or path).suffix.lower()
    return (
        "        <MEDIA_DESCRIPTOR"
        + _attrs(
            (
                ("MEDIA_URL", url),
                ("MIME_TYPE", mime or MIME_TYPES.get(suffix, "unknown")),
                ("RELATIVE_MEDIA_URL", relative),
                ("TIME_ORIGIN", str(offset) if offset else None),
            )
        )
        + "/>\n"
    )


def write_eaf(document: Document, stream: BinaryIO, target: Path) -> None:
    """Write ``document`` to ``stream`` as EAF 3.0 (``target``: where the file will be)."""
    stream.write(render(document, Path(target)).encode("utf-8"))


def render(document: Document, target: Path) -> str:
    """The EAF 3.0 text of ``document``."""
    plan = _Plan(document, target)
    lanes = plan.lanes(document)
    plan.vocabularies()
    families = list(plan.family_cv)
    several = len(families) > 1
    for (coder, subject, family), events in lanes.items():
        plan.add_lane(coder, subject, family, events, several)
    # empty tiers keep the codes of a family nobody used and the subjects without events
    coder = next((o.coder for o in document.observations if o.coder), None)
    used_families = {f for _c, _s, f in lanes}
    used_subjects = {s for _c, s, _f in lanes}
    for family in families:
        if family not in used_families:
            plan.add_lane(coder, None, family, [], several)
    for person in document.subjects:
        if person.name not in used_subjects:
            used_subjects.add(person.name)
            plan.add_lane(coder, person.name, families[0], [], several)

    # time slots in time order, two for each time-aligned annotation
    ends = sorted(
        (
            (a.start if side == 1 else a.end, n, side, a.id)
            for n, a in enumerate(
                x for t in plan.tiers for x in t.annotations if isinstance(x, _Aligned)
            )
            for side in (1, 2)
        ),
    )
    slot_of = {(ann, side): f"ts{k}" for k, (_t, _n, side, ann) in enumerate(ends, start=1)}

    media: dict[str, tuple[int, str | None]] = {}
    for observation in document.observations:
        for ref in observation.media:
            media.setdefault(ref.path, (ref.offset_ms, ref.mime_type))

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        "<ANNOTATION_DOCUMENT"
        + _attrs(
            (
                ("AUTHOR", document.author or ""),
                ("DATE", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()),
                ("FORMAT", "3.0"),
                ("VERSION", "3.0"),
            )
        )
        + ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">\n',
        '    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">\n',
    ]
    out.extend(_media(path, offset, mime, target) for path, (offset, mime) in media.items())
    out.append(f'        <PROPERTY NAME="lastUsedAnnotationId">{plan.count}</PROPERTY>\n')
    out.append("    </HEADER>\n    <TIME_ORDER>\n")
    out.extend(
        f'        <TIME_SLOT TIME_SLOT_ID="ts{k}" TIME_VALUE="{t}"/>\n'
        for k, (t, *_rest) in enumerate(ends, start=1)
    )
    out.append("    </TIME_ORDER>\n")
    for tier in plan.tiers:
        out.append(
            "    <TIER"
            + _attrs(
                (
                    ("ANNOTATOR", tier.annotator),
                    ("LINGUISTIC_TYPE_REF", tier.type_id),
                    ("PARENT_REF", tier.parent),
                    ("PARTICIPANT", tier.participant),
                    ("TIER_ID", tier.id),
                )
            )
            + ">\n"
        )
        for a in tier.annotations:
            if isinstance(a, _Aligned):
                opening = "ALIGNABLE_ANNOTATION" + _attrs(
                    (
                        ("ANNOTATION_ID", a.id),
                        ("CVE_REF", a.cve_ref),
                        ("TIME_SLOT_REF1", slot_of[(a.id, 1)]),
                        ("TIME_SLOT_REF2", slot_of[(a.id, 2)]),
                    )
                )
                tag = "ALIGNABLE_ANNOTATION"
            else:
                opening = "REF_ANNOTATION" + _attrs(
                    (
                        ("ANNOTATION_ID", a.id),
                        ("ANNOTATION_REF", a.parent),
                        ("CVE_REF", a.cve_ref),
                        ("PREVIOUS_ANNOTATION", a.previous),
                    )
                )
                tag = "REF_ANNOTATION"
            out.append(
                f"        <ANNOTATION>\n            <{opening}>\n"
                f"                <ANNOTATION_VALUE>{text(a.value)}</ANNOTATION_VALUE>\n"
                f"            </{tag}>\n        </ANNOTATION>\n"
            )
        out.append("    </TIER>\n")
    for lt in plan.types.values():
        out.append(
            "    <LINGUISTIC_TYPE"
            + _attrs(
                (
                    ("CONSTRAINTS", lt.constraint),
                    ("CONTROLLED_VOCABULARY_REF", lt.cv),
                    ("GRAPHIC_REFERENCES", "false"),
                    ("LINGUISTIC_TYPE_ID", lt.id),
                    ("TIME_ALIGNABLE", "true" if lt.alignable else "false"),
                )
            )
            + "/>\n"
        )
    out.append(
        f'    <LANGUAGE LANG_DEF="http://cdb.iso.org/lg/CDB-00130975-001" LANG_ID="{LANG}"'
        ' LANG_LABEL="undetermined (und)"/>\n'
    )
    out.extend(
        f'    <CONSTRAINT DESCRIPTION="{attr(d)}" STEREOTYPE="{s}"/>\n' for s, d in CONSTRAINTS
    )
    for cv_id, entries in plan.cvs.items():
        out.append(f'    <CONTROLLED_VOCABULARY CV_ID="{attr(cv_id)}">\n')
        for entry_id, value, description in entries:
            described = _attrs((("DESCRIPTION", description), ("LANG_REF", LANG)))
            out.append(
                f'        <CV_ENTRY_ML CVE_ID="{attr(entry_id)}">\n'
                f"            <CVE_VALUE{described}>{text(value)}</CVE_VALUE>\n"
                "        </CV_ENTRY_ML>\n"
            )
        out.append("    </CONTROLLED_VOCABULARY>\n")
    out.append("</ANNOTATION_DOCUMENT>\n")
    return "".join(out)
