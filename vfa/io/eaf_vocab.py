"""ELAN controlled vocabularies: inline ones (CV_ENTRY in 2.7, CV_ENTRY_ML from 2.8) and
external ones (.ecv), read only from a local file beside the .eaf, never over a network."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from vfa.errors import FormatError
from vfa.io.document import Problem, split_url
from vfa.io.safety import read_bytes

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

# A VFA scheme id: a letter or digit, then letters, digits, '_', '.', '-' (64 at most).
ID_MAX = 64
_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def slug(text: str, fallback: str = "code") -> str:
    """An id in the scheme's alphabet made from any text ('Mother gaze' -> 'Mother-gaze')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = _NOT_ID.sub("-", ascii_text).strip("-_.")[:ID_MAX].rstrip("-_.")
    return cleaned or fallback


class Ids:
    """Unique ids handed out in a stable order: the same file always gets the same ids."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}  # base -> the number to try next

    def take(self, wanted: str, fallback: str = "code") -> str:
        """``slug(wanted)``, or it with '-2', '-3'… when that is taken already."""
        base = slug(wanted, fallback)
        candidate, n = base, self._next.get(base.lower(), 1)
        while candidate.lower() in self._taken:
            n += 1
            tail = f"-{n}"
            candidate = base[: ID_MAX - len(tail)] + tail
        self._next[base.lower()] = n
        self._taken.add(candidate.lower())
        return candidate


@dataclass
class Entry:
    """A CV entry: its id (2.8 on; None in 2.7), values by language, and description."""

    id: str | None
    values: list[str]
    description: str | None

    @property
    def name(self) -> str:
        return self.values[0] if self.values else ""


@dataclass
class Vocabulary:
    """A controlled vocabulary as found (entries empty when external and not read)."""

    id: str
    entries: list[Entry] = field(default_factory=list)
    external: str | None = None  # the ECV's URL or path as the file names it
    readable: bool = True
    _by_id: dict[str, int] | None = field(default=None, repr=False)
    _by_value: dict[str, int] = field(default_factory=dict, repr=False)

    def find(self, cve_ref: str | None, value: str) -> int | None:
        """The position of the entry an annotation names: by CVE_REF first, then by any of
        its values (the first entry that has it)."""
        if self._by_id is None:
            self._by_id = {}
            for n, entry in enumerate(self.entries):
                if entry.id is not None:
                    self._by_id.setdefault(entry.id, n)
                for text in entry.values:
                    self._by_value.setdefault(text, n)
        if cve_ref and cve_ref in self._by_id:
            return self._by_id[cve_ref]
        return self._by_value.get(value)


def _text(element: Element) -> str:
    return element.text or ""


def parse_entries(cv: Element) -> list[Entry]:
    """The entries of a CONTROLLED_VOCABULARY element, old (CV_ENTRY) or multilingual."""
    entries: list[Entry] = []
    for child in cv:
        if child.tag == "CV_ENTRY":  # EAF 2.7 and older
            description = child.get("DESCRIPTION") or None
            entries.append(Entry(child.get("CVE_ID") or None, [_text(child)], description))
        elif child.tag == "CV_ENTRY_ML":  # EAF 2.8 and later: CVE_VALUE per language
            values = [v for v in child if v.tag == "CVE_VALUE"]
            descriptions = [v.get("DESCRIPTION") or "" for v in values]
            first = descriptions[0] if descriptions else ""
            entries.append(
                Entry(
                    child.get("CVE_ID") or None,
                    [_text(v) for v in values],
                    first or next((d for d in descriptions if d), None),
                )
            )
    return entries


def read_vocabularies(
    root: Element, external_refs: dict[str, tuple[str, str]], eaf_path: str, used: set[str]
) -> tuple[dict[str, Vocabulary], list[Problem]]:
    """Every CONTROLLED_VOCABULARY by id, the external ones that a tier ``used`` read from
    beside the file where they can be, and a problem for each of those that cannot."""
    vocabularies: dict[str, Vocabulary] = {}
    problems: list[Problem] = []
    cache: dict[str, Element | str] = {}
    for cv in root.iter("CONTROLLED_VOCABULARY"):
        cv_id = cv.get("CV_ID")
        if cv_id is None or cv_id in vocabularies:
            continue
        vocabulary = Vocabulary(cv_id, parse_entries(cv))
        ext = cv.get("EXT_REF")
        if ext and not vocabulary.entries and cv_id in used:
            _kind, url = external_refs.get(ext, ("", ""))
            place = f"CONTROLLED_VOCABULARY {cv_id!r}"
            vocabulary.external = url or ext
            if not url:
                vocabulary.readable = False
                problems.append(
                    Problem(place, f"refers to EXTERNAL_REF {ext!r}, which the file does not hold")
                )
            else:
                found = _external(url, cv_id, eaf_path, cache)
                if isinstance(found, str):
                    vocabulary.readable = False
                    problems.append(
                        Problem(place, f"is an external vocabulary at {url!r} that {found}")
                    )
                else:
                    vocabulary.entries = found
        vocabularies[cv_id] = vocabulary
    return vocabularies, problems


def _external(
    url: str, cv_id: str, eaf_path: str, cache: dict[str, Element | str]
) -> list[Entry] | str:
    """The entries of an external CV from a local .ecv file, or why it was not read."""
    parts = split_url(url)
    scheme = parts.scheme.lower()
    folder = Path(eaf_path).resolve().parent
    if scheme not in ("", "file") and len(scheme) != 1:  # one letter: a drive, 'C:'
        return "is not read: VFA makes no network connections, so its entries are unknown"
    local = (unquote(parts.path) if scheme == "file" else url).replace("\\", "/")
    if scheme or local.startswith("/") or os.path.isabs(local):
        # an absolute path is another machine's; a file of that name beside the .eaf is
        # taken as the same vocabulary (as ELAN finds moved media)
        candidate = folder / PurePosixPath(local).name
    else:
        candidate = folder / local
    if not candidate.resolve().is_relative_to(folder):
        return "is not read: it lies outside the folder of the .eaf file"
    key = str(candidate)
    if key not in cache:
        try:
            from vfa.io.safety import parse_xml

            cache[key] = parse_xml(read_bytes(candidate, 16 * 1024 * 1024), key)
        except FormatError as exc:
            cache[key] = (
                f"cannot be read here ({candidate.name}: "
                f"{(exc.place + ': ') if exc.place else ''}{exc.reason})"
            )
    found = cache[key]
    if isinstance(found, str):
        return found
    for cv in found.iter("CONTROLLED_VOCABULARY"):
        if cv.get("CV_ID") == cv_id:
            return parse_entries(cv)
    return f"does not hold a vocabulary {cv_id!r} ({candidate.name})"
