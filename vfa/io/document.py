"""The neutral document every reader returns and every writer takes.

Times are integer milliseconds on the document's own timeline (the coding's clock).
``MediaRef.offset_ms`` is added to a document time to get the time in that media file
(ELAN's TIME_ORIGIN, BORIS's per-player offset, Datavyu's viewer offset).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import SplitResult, urlsplit

from vfa.errors import FormatError


def split_url(text: str) -> SplitResult:
    """A URL's parts; text that is no valid URL (``[`` in a path) is a plain path."""
    try:
        return urlsplit(text)
    except ValueError:
        return SplitResult("", "", text, "", "")


def free_id(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``…: the first not in ``taken`` (then added)."""
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    taken.add(candidate)
    return candidate


class CodeKind(StrEnum):
    """A point event has no duration; a state runs from its start to its end."""

    POINT = "point"
    STATE = "state"


@dataclass(frozen=True)
class Problem:
    """Something in the file that was not taken as it stood, with where it is."""

    place: str  # e.g. "line 120", "tier 'Mother' annotation a17", "observation 'x' event 4"
    reason: str


class FileReading:
    """One file's reading: its name for the errors raised and the problems passed over."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def fail(self, place: str, reason: str) -> FormatError:
        """The error to raise for this file at ``place``."""
        return FormatError(self.file, place, reason)

    def note(self, place: str, reason: str) -> None:
        """Keep a problem the reading passes over."""
        self.problems.append(Problem(place, reason))


@dataclass(frozen=True)
class MediaRef:
    """A media file the coding refers to, as the file names it."""

    path: str  # as written in the file (may be absolute, relative or a URL)
    offset_ms: int = 0  # media time = document time + offset_ms
    player: int = 1  # BORIS player number; 1 elsewhere
    mime_type: str | None = None
    duration_ms: int | None = None  # the file's length, where the file states it (BORIS)
    fps: float | None = None  # the file's frame rate, where the file states it (BORIS)

    @property
    def name(self) -> str:
        """The file name alone, for matching against a workspace's clips."""
        text = self.path.replace("\\", "/")
        if text.startswith("file:"):
            text = text[5:].lstrip("/")
        return text.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ModifierSet:
    """A named set of values an event can carry (BORIS modifier set, Observer modifier)."""

    id: str
    name: str
    values: tuple[str, ...] = ()  # empty: free text
    multiple: bool = False


@dataclass(frozen=True)
class CodeDef:
    """One code of the file's coding list: a behaviour, a CV entry, a column."""

    id: str
    name: str
    kind: CodeKind = CodeKind.STATE
    key: str | None = None
    category: str | None = None
    description: str | None = None
    exclusive_group: str | None = None  # codes sharing a group exclude each other
    modifier_sets: tuple[str, ...] = ()  # ModifierSet ids
    subject: str | None = None  # a code bound to one subject (an ELAN tier's participant)


@dataclass(frozen=True)
class Subject:
    """Who an event is about (BORIS subject, ELAN participant, Observer subject)."""

    id: str
    name: str
    key: str | None = None
    description: str | None = None
    group: str | None = None  # a subject group (Observer), when the file has them


@dataclass(frozen=True)
class Event:
    """A coded event: a point (end_ms == start_ms) or a state [start_ms, end_ms)."""

    code: str  # CodeDef.id
    start_ms: int
    end_ms: int
    subject: str | None = None  # Subject.id
    modifiers: tuple[tuple[str, str], ...] = ()  # (modifier set or child tier name, value)
    comment: str | None = None
    caption: str | None = None  # free text: an annotation value, a cell's text
    media: int | None = None  # index into Observation.media when it matters

    @property
    def is_point(self) -> bool:
        return self.end_ms == self.start_ms


@dataclass(frozen=True)
class Rating:
    """A rating, where a format has them: an item's value (or special code) and a note."""

    item: str
    value: str
    subject: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Observation:
    """One coded recording: its media, who coded it, and its events and ratings."""

    name: str
    coder: str | None = None
    date: str | None = None  # ISO date or date-time as the file gives it
    description: str | None = None
    media: tuple[MediaRef, ...] = ()
    events: tuple[Event, ...] = ()
    ratings: tuple[Rating, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()  # independent variables, kept with the session


@dataclass(frozen=True)
class Document:
    """What a reader found in a file, and what a writer writes."""

    format: str  # the registry's format id: "eaf", "boris", "datavyu", "otx", "vfa-json", …
    source: str  # the file it came from ("" when built in memory)
    name: str = ""  # a project or scheme name the file gives
    codes: tuple[CodeDef, ...] = ()
    subjects: tuple[Subject, ...] = ()
    modifier_sets: tuple[ModifierSet, ...] = ()
    observations: tuple[Observation, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    author: str | None = None  # the file's author or annotator, when it names one

    def code(self, code_id: str) -> CodeDef | None:
        """The code with this id, if any."""
        return next((c for c in self.codes if c.id == code_id), None)
