"""Noldus The Observer XT files in: ``.otx``/``.odx`` (UTF-16 XML) and ``.otb`` (that XML zipped).

What is read (elements matched by local name, whatever their namespace):

- ``MET_METADATA``: the project name (``MET_PROJECT_NAME``) and author (``MET_CREATED_BY``,
  else the template's ``MET_TEMPLATE_AUTHOR``).
- ``CDS_SUBJECTS``: each ``CDS_SUBJECT`` that is not a group becomes a subject, with its key
  (``CDS_ELE_START_KEYCODE``), description and subject group (its parent).
- ``CDS_BEHAVIORS``: a ``CDS_BEHAVIOR`` with ``CDS_ELE_GROUP`` Y is a behaviour group, the
  others are codes whose category is their group. A group marked ``CDS_ELE_MUT_EXCLUSIVE``
  (or a behaviour so marked) puts its behaviours in one exclusive group named after it.
  A behaviour is a state (Observer's start-stop) when it has a stop key code
  (``CDS_ELE_STOP_KEYCODE``) or is in an exclusive group, else a point; an event log that
  starts and stops a point behaviour makes it a state (reported). Key: the start key code.
- ``CDS_MODIFIERS``: a ``CDS_MODIFIER`` without a parent is a modifier group (a modifier
  set), those below it its values; a group without values (numeric or free) is free text.
  ``CDS_CONNECTION`` elements (``CDS_ELEMENT_ID`` → ``CDS_MODIFIER_ID``) link modifier
  groups to behaviours, or to every behaviour of a linked behaviour group.
- ``OBS_OBSERVATION`` elements, when the file holds any (an ``.odx`` or a project with
  observations): their event logs, as described in :mod:`vfa.io.otx_log`.

Not read: colours, sounds, channels (which behaviour groups a subject may use), the
exhaustiveness of a group, subject modifiers' links (their values on events are kept),
independent variables, observation settings and time formats, event markers, and media
file references (Observer keeps them outside this XML).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from vfa.errors import FormatError
from vfa.io.document import CodeDef, CodeKind, Document, ModifierSet, Problem, Subject, free_id
from vfa.io.otx_log import Codes, child_text, local, read_observation
from vfa.io.registry import FormatSpec
from vfa.io.safety import decode_text, parse_xml, read_bytes, read_zip_members

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_MARKERS = ("NXMLINTERCHANGE", "CDS_VOSCODINGSCHEME", "OBS_OBSERVATIONS")
_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")


def read(path: str | os.PathLike[str]) -> Document:
    """An Observer XT ``.otx``/``.odx``/``.otb`` file as a document."""
    name = os.fspath(path)
    data = read_bytes(name)
    if data.startswith(b"PK"):
        members = read_zip_members(name)
        xml_names = [m for m in members if m.lower().endswith((".otx", ".odx", ".xml"))]
        chosen = xml_names[0] if xml_names else next(iter(members), None)
        if chosen is None:
            raise FormatError(name, "", "is an empty zip archive; an .otb holds one .otx file")
        return parse(members[chosen], name)
    return parse(data, name)


def parse(data: bytes, file: str) -> Document:
    """The document in Observer XT XML bytes (UTF-16 with a BOM, or UTF-8)."""
    root = parse_xml(_utf8(data, file), file)
    index: dict[str, list[Element]] = {}
    for element in root.iter():
        index.setdefault(local(element.tag), []).append(element)
    if not any(index.get(marker) for marker in _MARKERS):
        raise FormatError(
            file, f"element <{local(root.tag)}>", "is not an Observer XT project or observation"
        )
    scheme = _Scheme(file)
    scheme.read(index)
    codes = Codes(
        codes={c.name: c for c in reversed(scheme.codes)},  # the first of a name wins
        subjects={s.name: s for s in reversed(scheme.subjects)},
        problems=scheme.problems,
        code_ids={c.id for c in scheme.codes},
        subject_ids={s.id for s in scheme.subjects},
    )
    observations = tuple(
        read_observation(element, number, codes, file)
        for number, element in enumerate(index.get("OBS_OBSERVATION", []), 1)
    )
    code_list = [*scheme.codes, *codes.added_codes]
    for position, code in enumerate(code_list):
        if code.id in codes.state_codes and code.kind is CodeKind.POINT:
            code_list[position] = replace(code, kind=CodeKind.STATE)
            scheme.problems.append(
                Problem(
                    f"behaviour {code.name!r}",
                    "is a point in the scheme but started and stopped in the log; read as a state",
                )
            )
    if not code_list and not scheme.subjects and not observations:
        raise FormatError(file, "", "holds neither a coding scheme nor observations")
    metadata = next(iter(index.get("MET_METADATA", [])), None)
    template = next(iter(index.get("MET_TEMPLATE_METADATA", [])), None)
    author = None
    if metadata is not None:
        author = child_text(metadata, "MET_CREATED_BY")
    if author is None and template is not None:
        author = child_text(template, "MET_TEMPLATE_AUTHOR")
    return Document(
        format="otx",
        source=file,
        name=(child_text(metadata, "MET_PROJECT_NAME") if metadata is not None else None) or "",
        codes=tuple(code_list),
        subjects=(*scheme.subjects, *codes.added_subjects),
        modifier_sets=tuple(scheme.modifier_sets),
        observations=observations,
        problems=tuple(scheme.problems),
        author=author,
    )


def _utf8(data: bytes, file: str) -> bytes:
    """The XML as UTF-8 bytes: decoded by its BOM (UTF-16 without one is recognised by its
    zero bytes), with the declaration and its now wrong encoding dropped."""
    encodings: tuple[str, ...] = ("utf-8",)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) and len(data) >= 2:
        if data[0] == 0 and data[1] != 0:
            encodings = ("utf-16-be",)
        elif data[0] != 0 and data[1] == 0:
            encodings = ("utf-16-le",)
    text = decode_text(data, file, encodings).lstrip("\ufeff")
    if "\x00" in text:
        raise FormatError(file, f"character {text.index(chr(0))}", "holds a NUL character")
    return _DECLARATION.sub("", text, count=1).encode("utf-8")


@dataclass
class _Element:
    """A coding-scheme element (behaviour, subject or modifier) as Observer stores it."""

    place: str
    id: str | None
    name: str | None
    parent_id: str | None
    parent_name: str | None
    group: bool
    exclusive: bool
    start_key: str | None
    stop_key: str | None
    description: str | None


def _elements(index: dict[str, list[Element]], tag: str, what: str) -> list[_Element]:
    out = []
    for number, element in enumerate(index.get(tag, []), 1):
        name = child_text(element, "CDS_ELE_NAME")
        out.append(
            _Element(
                place=f"{what} {name!r}" if name else f"{what} {number} (<{tag}>)",
                id=child_text(element, "CDS_ELE_ID"),
                name=name,
                parent_id=child_text(element, "CDS_ELE_PARENT_ID"),
                parent_name=child_text(element, "CDS_ELE_PARENT_NAME"),
                group=(child_text(element, "CDS_ELE_GROUP") or "").upper() == "Y",
                exclusive=(child_text(element, "CDS_ELE_MUT_EXCLUSIVE") or "").upper() == "Y",
                start_key=child_text(element, "CDS_ELE_START_KEYCODE"),
                stop_key=child_text(element, "CDS_ELE_STOP_KEYCODE"),
                description=child_text(element, "CDS_ELE_DESCRIPTION"),
            )
        )
    return out


class _Scheme:
    """The coding scheme of an Observer file: behaviours, subjects, modifiers."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.codes: list[CodeDef] = []
        self.subjects: list[Subject] = []
        self.modifier_sets: list[ModifierSet] = []
        self.problems: list[Problem] = []

    def read(self, index: dict[str, list[Element]]) -> None:
        """Read every part of the scheme the file holds (elements by local name)."""
        behaviours = [e for e in _elements(index, "CDS_BEHAVIOR", "behaviour") if self._named(e)]
        subjects = [e for e in _elements(index, "CDS_SUBJECT", "subject") if self._named(e)]
        modifiers = [e for e in _elements(index, "CDS_MODIFIER", "modifier") if self._named(e)]
        sets_by_element = self._modifier_sets(modifiers)
        links = self._links(index.get("CDS_CONNECTION", []), behaviours, subjects, sets_by_element)
        self._behaviours(behaviours, links)
        self._subjects(subjects)

    def _named(self, element: _Element) -> bool:
        if element.name is None:
            self.problems.append(Problem(element.place, "has no name (CDS_ELE_NAME); left out"))
            return False
        return True

    def _modifier_sets(self, modifiers: list[_Element]) -> dict[str, str]:
        """Modifier groups as sets; returns every modifier element id -> its set's id."""
        by_id = {m.id: m for m in modifiers if m.id is not None}
        values: dict[int, list[str]] = {}
        top_of: dict[int, _Element] = {}
        for modifier in modifiers:
            top, seen = modifier, {id(modifier)}
            while top.parent_id is not None and top.parent_id in by_id:
                top = by_id[top.parent_id]
                if id(top) in seen:  # a loop of parents
                    self.problems.append(
                        Problem(modifier.place, "its modifier groups form a loop; read as a group")
                    )
                    top = modifier
                    break
                seen.add(id(top))
            if top is modifier and modifier.parent_id not in (None, *by_id):
                self.problems.append(
                    Problem(
                        modifier.place,
                        f"its modifier group {modifier.parent_id!r} is not in the file; "
                        "read as a group of its own",
                    )
                )
            top_of[id(modifier)] = top
            if top is not modifier:
                values.setdefault(id(top), []).append(str(modifier.name))
        set_ids: dict[int, str] = {}
        taken: set[str] = set()
        for modifier in modifiers:
            if top_of[id(modifier)] is not modifier:
                continue
            set_id = free_id(str(modifier.name), taken)
            set_ids[id(modifier)] = set_id
            self.modifier_sets.append(
                ModifierSet(
                    id=set_id,
                    name=str(modifier.name),
                    values=tuple(dict.fromkeys(values.get(id(modifier), []))),
                )
            )
        return {m.id: set_ids[id(top_of[id(m)])] for m in modifiers if m.id is not None}

    def _links(
        self,
        connections: list[Element],
        behaviours: list[_Element],
        subjects: list[_Element],
        sets_by_element: dict[str, str],
    ) -> dict[str, list[str]]:
        """Behaviour (or behaviour group) id -> the modifier sets linked to it."""
        behaviour_ids = {b.id for b in behaviours if b.id is not None}
        subject_ids = {s.id for s in subjects if s.id is not None}
        links: dict[str, list[str]] = {}
        for index, element in enumerate(connections, 1):
            place = f"modifier link {index} (<CDS_CONNECTION>)"
            target = element.get("CDS_ELEMENT_ID") or child_text(element, "CDS_ELEMENT_ID")
            modifier = element.get("CDS_MODIFIER_ID") or child_text(element, "CDS_MODIFIER_ID")
            if not target or not modifier:
                self.problems.append(Problem(place, "does not name both ends; left out"))
                continue
            set_id = sets_by_element.get(modifier.strip())
            if set_id is None:
                self.problems.append(
                    Problem(place, f"modifier {modifier.strip()!r} is not in the file; left out")
                )
            elif target.strip() in behaviour_ids:
                links.setdefault(target.strip(), []).append(set_id)
            elif target.strip() in subject_ids:
                self.problems.append(
                    Problem(
                        place,
                        f"links modifier {set_id!r} to a subject; VFA keeps the "
                        "values on events but not the link",
                    )
                )
            else:
                self.problems.append(
                    Problem(place, f"element {target.strip()!r} is not in the file; left out")
                )
        return links

    def _behaviours(self, elements: list[_Element], links: dict[str, list[str]]) -> None:
        groups = {e.id: e for e in elements if e.group and e.id is not None}
        group_names = {e.name: e for e in elements if e.group}
        taken: set[str] = set()
        for element in elements:
            if element.group:
                continue
            group = groups.get(element.parent_id or "") or group_names.get(element.parent_name)
            category = group.name if group is not None else element.parent_name
            if element.parent_id and group is None and element.parent_id not in groups:
                self.problems.append(
                    Problem(
                        element.place,
                        f"its behaviour group {element.parent_id!r} is not in the file",
                    )
                )
            exclusive = None
            if group is not None and group.exclusive:
                exclusive = group.name
            elif element.exclusive:
                exclusive = category or "mutually exclusive"
            kind = CodeKind.STATE if element.stop_key or exclusive else CodeKind.POINT
            sets: list[str] = []
            for owner in (group, element):
                if owner is not None and owner.id is not None:
                    sets += [s for s in links.get(owner.id, []) if s not in sets]
            self.codes.append(
                CodeDef(
                    id=self._own_id(element, "behaviour", taken),
                    name=str(element.name),
                    kind=kind,
                    key=element.start_key,
                    category=category,
                    description=element.description,
                    exclusive_group=exclusive,
                    modifier_sets=tuple(sets),
                )
            )

    def _subjects(self, elements: list[_Element]) -> None:
        groups = {e.id: e for e in elements if e.group and e.id is not None}
        taken: set[str] = set()
        for element in elements:
            if element.group:
                continue
            group = groups.get(element.parent_id or "")
            self.subjects.append(
                Subject(
                    id=self._own_id(element, "subject", taken),
                    name=str(element.name),
                    key=element.start_key,
                    description=element.description,
                    group=group.name if group is not None else element.parent_name,
                )
            )

    def _own_id(self, element: _Element, what: str, taken: set[str]) -> str:
        """The element's name as its id, else the first free ``name (n)``, reported."""
        own = free_id(str(element.name), taken)
        if own != element.name:
            self.problems.append(
                Problem(element.place, f"another {what} has this name; kept as {own!r}")
            )
        return own


def sniff(head: bytes, name: str) -> bool:
    """Observer XT XML (any of its top elements near the start), or an ``.otb`` zip."""
    if head.startswith(b"PK\x03\x04"):
        size = int.from_bytes(head[26:28], "little") if len(head) >= 30 else 0
        member = head[30 : 30 + size].decode("latin-1").lower()
        return name.lower().endswith(".otb") or member.endswith((".otx", ".odx"))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", "ignore")
    elif len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        text = head.decode("utf-16-be" if head[0] == 0 else "utf-16-le", "ignore")
    else:
        text = head.decode("utf-8", "ignore")
    return any(marker in text for marker in _MARKERS)


FORMAT = FormatSpec(
    id="otx",
    name="Noldus The Observer XT",
    suffixes=(".otx", ".otb", ".odx"),
    sniff=sniff,
    read=read,
)
