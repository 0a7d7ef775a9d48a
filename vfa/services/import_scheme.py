"""Which VFA scheme an imported file's codes land in: an existing scheme the user names
(codes matched by id, then by name, whatever their capitals), or a new scheme draft
``import-<name>`` built from the file's own code list.

A draft is a scheme file like any other: ids VFA allows, hotkeys VFA allows (others are
dropped and reported), exclusive groups of states only, the file's subjects, modifier
sets as options (values seen in the events included). It is checked by VFA's own scheme
loader before anything is written, and written into the user's scheme folder by the
import (``vfa.services.imports``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from vfa.domain.hotkeys import hotkey_conflict, normalize_hotkey
from vfa.domain.schemes import Scheme
from vfa.errors import SchemeError
from vfa.io.document import CodeDef, CodeKind, Document, Observation, Problem
from vfa.services import schemes as scheme_files

ID_MAX = 64
NAME_MAX = 200
DEFAULT_SUBJECT = "focal"
_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")
_SPECIAL = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,15}$")


@dataclass
class SchemeMap:
    """A file's codes, subjects, modifiers and rating items as a VFA scheme sees them."""

    scheme: Scheme
    created: bool  # a new draft, written at import
    yaml_text: str | None = None
    codes: dict[str, str | None] = field(default_factory=dict)  # file code -> VFA code
    subjects: dict[str, str | None] = field(default_factory=dict)  # file subject -> VFA
    items: dict[str, str | None] = field(default_factory=dict)  # file item -> VFA item
    modifiers: dict[tuple[str, str], str] = field(default_factory=dict)  # (VFA code, key)
    none_subject: str | None = None  # the subject of events the file gives none
    problems: list[Problem] = field(default_factory=list)


def make_id(text: str, taken: set[str], fallback: str, limit: int = ID_MAX) -> str:
    """An id VFA allows made from any text (accents folded, other marks to ``_``), unique
    among ``taken`` (compared without regard to case), which it joins."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    base = _NOT_ID.sub("_", folded).strip("_.-") or fallback
    if not base[0].isalnum():
        base = f"{fallback}_{base}"
    base = base[:limit].rstrip("_.-") or fallback
    made, n = base, 1
    while made.casefold() in taken:
        n += 1
        suffix = f"_{n}"
        made = base[: limit - len(suffix)] + suffix
    taken.add(made.casefold())
    return made


def _name(text: str | None, fallback: str) -> str:
    name = " ".join((text or "").split())[:NAME_MAX]
    return name or fallback


def _events(observations: Sequence[Observation]) -> Iterable[Any]:
    for observation in observations:
        yield from observation.events


# -- onto an existing scheme -----------------------------------------------------------


def _match(wanted: str, names: dict[str, str]) -> str | None:
    """The id matching ``wanted`` by id, then case-insensitive id, then name."""
    if wanted in names:
        return wanted
    key = wanted.casefold()
    for id_ in names:
        if id_.casefold() == key:
            return id_
    for id_, name in names.items():
        if name.casefold() == key:
            return id_
    return None


def map_onto(scheme: Scheme, doc: Document, observations: Sequence[Observation]) -> SchemeMap:
    """The file's codes, subjects and rating items matched onto an existing scheme."""
    out = SchemeMap(scheme, created=False)
    codes = {c.id: c.name for c in scheme.ethogram.codes} if scheme.ethogram else {}
    subjects = {s: s for s in scheme.ethogram.subjects} if scheme.ethogram else {}
    used_codes = {e.code for e in _events(observations)}
    for code_id in sorted(used_codes):
        found = _match(code_id, codes)
        if found is None and (defined := doc.code(code_id)) is not None:
            found = _match(defined.name, codes)
        out.codes[code_id] = found
    names = {s.id: s.name for s in doc.subjects}
    used_subjects = {e.subject for e in _events(observations) if e.subject is not None}
    used_subjects |= {c.subject for c in doc.codes if c.subject and c.id in used_codes}
    for subject in sorted(used_subjects):
        found = _match(subject, subjects)
        if found is None and subject in names:
            found = _match(names[subject], subjects)
        out.subjects[subject] = found
    items: dict[str, str] = {}
    if scheme.ratings:
        items.update({i.id: i.name for i in scheme.ratings.items})
    for grid in scheme.grids:
        for row in grid.rows:
            for member in grid.members:
                for scale in member.scales:
                    key = "/".join((grid.id, row.id, member.id, scale.id))
                    items[key] = key
    for observation in observations:
        for rating in observation.ratings:
            out.items.setdefault(rating.item, _match(rating.item, items))
    for code in scheme.ethogram.codes if scheme.ethogram else ():
        mods = {m.id: m.name for m in code.modifiers}
        for event in _events(observations):
            if out.codes.get(event.code) != code.id:
                continue
            for key, _value in event.modifiers:
                if (code.id, key) not in out.modifiers:
                    found = _match(key, mods)
                    if found is not None:
                        out.modifiers[(code.id, key)] = found
    return out


# -- a new draft -----------------------------------------------------------------------------


def draft_id(doc: Document, file: str, taken: set[str]) -> str:
    """``import-<name>``: the file's project name or file name, as an id."""
    stem = Path(file).name.split(".")[0]
    return "import-" + make_id(doc.name or stem, set(), "file", ID_MAX - len("import-"))


class _Draft:
    def __init__(self, doc: Document, observations: Sequence[Observation]) -> None:
        self.doc, self.observations = doc, observations
        self.map_problems: list[Problem] = []
        self.code_ids: dict[str, str] = {}
        self.subject_ids: dict[str, str] = {}
        self.modifier_ids: dict[tuple[str, str], str] = {}
        self.none_subject: str | None = None

    def subjects(self) -> list[str]:
        taken: set[str] = set()
        names = {s.id: s.name for s in self.doc.subjects}
        order = [s.id for s in self.doc.subjects]
        order += [c.subject for c in self.doc.codes if c.subject]
        order += [e.subject for e in _events(self.observations) if e.subject]
        for subject in dict.fromkeys(order):
            self.subject_ids[subject] = make_id(names.get(subject) or subject, taken, "subject")
        out = list(dict.fromkeys(self.subject_ids.values()))
        if not out or any(e.subject is None for e in _events(self.observations)):
            # events the file gives no subject (BORIS: "no focal subject")
            self.none_subject = make_id(DEFAULT_SUBJECT, taken, "subject")
            out.append(self.none_subject)
        return out

    def codes(self) -> list[dict[str, Any]]:
        doc = self.doc
        spans = {e.code for e in _events(self.observations) if e.end_ms > e.start_ms}
        seen_values: dict[tuple[str, str], list[str]] = {}
        for event in _events(self.observations):
            for key, value in event.modifiers:
                seen_values.setdefault((event.code, key), []).append(value)
        defined = list(doc.codes)
        known = {c.id for c in defined}
        for code_id in dict.fromkeys(e.code for e in _events(self.observations)):
            if code_id not in known:
                defined.append(CodeDef(code_id, code_id))
                known.add(code_id)
        taken: set[str] = set()
        hotkeys: dict[str, str] = {}
        group_taken: set[str] = set()
        groups: dict[str, str] = {}
        sets = {m.id: m for m in doc.modifier_sets}
        out = []
        for code in defined:
            vfa_id = self.code_ids[code.id] = make_id(code.id, taken, "code")
            kind = "state" if code.kind is CodeKind.STATE or code.id in spans else "point"
            if code.kind is CodeKind.POINT and code.id in spans:
                self.map_problems.append(
                    Problem(f"code {code.id!r}", "a point code whose events last; made a state")
                )
            entry: dict[str, Any] = {
                "id": vfa_id,
                "name": _name(code.name, vfa_id),
                "kind": kind,
                "verified": False,
            }
            hotkey = self.hotkey(code.id, code.key, hotkeys)
            if hotkey:
                entry["hotkey"] = hotkey
            if code.subject and code.subject in self.subject_ids:
                entry["subjects"] = [self.subject_ids[code.subject]]
            if code.exclusive_group:
                if kind == "state":
                    group = code.exclusive_group
                    if group not in groups:
                        groups[group] = make_id(group, group_taken, "group")
                    entry["group"] = groups[group]
                else:
                    self.map_problems.append(
                        Problem(
                            f"code {code.id!r}",
                            f"exclusive group {code.exclusive_group!r} dropped: only states "
                            "can stop each other",
                        )
                    )
            description = "; ".join(
                x for x in (code.description, code.category and f"category: {code.category}") if x
            )
            if description:
                entry["description"] = description
            modifiers = self.modifiers(code.id, vfa_id, code.modifier_sets, sets, seen_values)
            if modifiers:
                entry["modifiers"] = modifiers
            out.append(entry)
        return out

    def hotkey(self, code: str, key: str | None, taken: dict[str, str]) -> str:
        if not key or not key.strip():
            return ""
        try:
            canonical = normalize_hotkey(key)
        except ValueError as exc:
            reason = str(exc)
        else:
            reason = hotkey_conflict(canonical) or (
                f"already the key of code {taken[canonical]!r}" if canonical in taken else ""
            )
            if not reason:
                taken[canonical] = code
                return canonical
        self.map_problems.append(Problem(f"code {code!r}", f"hotkey {key!r} dropped: {reason}"))
        return ""

    def modifiers(
        self,
        code: str,
        vfa_code: str,
        set_ids: Sequence[str],
        sets: dict[str, Any],
        seen: dict[tuple[str, str], list[str]],
    ) -> list[dict[str, Any]]:
        keys = list(dict.fromkeys([*set_ids, *(k for c, k in seen if c == code)]))
        taken: set[str] = set()
        out = []
        for key in keys:
            declared = sets.get(key)
            values = [*(declared.values if declared else ()), *seen.get((code, key), [])]
            options: dict[str, str] = {}
            for value in values:
                text = " ".join(value.split())
                if text and text.casefold() not in options:
                    options[text.casefold()] = text
            if not options:
                self.map_problems.append(
                    Problem(
                        f"code {code!r}, modifier {key!r}",
                        "dropped: a free-text modifier with no value in the events",
                    )
                )
                continue
            mod_id = make_id(key, taken, "modifier")
            self.modifier_ids[(vfa_code, key)] = mod_id
            name = declared.name if declared else key
            out.append(
                {
                    "id": mod_id,
                    "name": _name(name, mod_id),
                    "options": list(options.values()),
                    "verified": False,
                }
            )
        return out

    def ratings(self) -> dict[str, Any] | None:
        ratings = [r for o in self.observations for r in o.ratings]
        if not ratings:
            return None
        numbers: list[int] = []
        specials: dict[str, str] = {}
        for rating in ratings:
            text = rating.value.strip()
            try:
                numbers.append(int(text))
            except ValueError:
                if _SPECIAL.match(text) and not text.lstrip("+-").isdigit():
                    specials.setdefault(text.casefold(), text)
        lo = min(numbers, default=1)
        hi = max(numbers, default=lo + 1)
        taken: set[str] = set()
        items = []
        for item in dict.fromkeys(r.item for r in ratings):
            item_id = make_id(item, taken, "item")
            self.code_ids[f"item:{item}"] = item_id
            items.append({"id": item_id, "name": _name(item, item_id), "verified": False})
        section: dict[str, Any] = {
            "verified": False,
            "aggregate": "mean",
            "scale": {"min": lo, "max": hi if hi > lo else lo + 1},
            "items": items,
        }
        if specials:
            section["special"] = [
                {"code": s, "label": s, "counts_as": "excluded", "verified": False}
                for s in specials.values()
            ]
        return section


def draft_scheme(
    doc: Document, observations: Sequence[Observation], file: str, scheme_id: str
) -> SchemeMap:
    """A new scheme from the file's codes, checked by VFA's scheme loader; SchemeError if
    it cannot be made into one."""
    draft = _Draft(doc, observations)
    subjects = draft.subjects()
    codes = draft.codes()
    shown = Path(file).name
    data: dict[str, Any] = {
        "id": scheme_id,
        "name": _name(f"{doc.name or shown} (imported)", scheme_id),
        "version": "1",
        "description": f"Imported from {shown} ({doc.format}).",
        "source": shown or "imported file",
    }
    ratings = draft.ratings()
    if ratings is not None:
        data["ratings"] = ratings
    if codes:
        data["ethogram"] = {"subjects": subjects, "codes": codes}
    if ratings is None and not codes:
        raise SchemeError(file, "", "the file holds no codes or ratings to make a scheme of")
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    name = str(scheme_files.user_schemes_dir() / f"{scheme_id}.yaml")
    scheme = scheme_files.load_scheme_text(name, text.encode("utf-8"))
    out = SchemeMap(scheme, created=True, yaml_text=text, problems=draft.map_problems)
    out.codes = {k: v for k, v in draft.code_ids.items() if not k.startswith("item:")}
    out.items = {k[5:]: v for k, v in draft.code_ids.items() if k.startswith("item:")}
    out.subjects = dict(draft.subject_ids)
    out.none_subject = draft.none_subject
    out.modifiers = dict(draft.modifier_ids)
    return out
