"""What an import would write, as ``plan_import`` works it out and ``run_import`` writes it.

The plan's types sit below both modules (``vfa.services.imports`` plans and calls
``vfa.services.import_writes``, which writes), so the writer never imports the planner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vfa.domain.schemes import Scheme
from vfa.io.document import Problem


@dataclass(frozen=True)
class ImportOptions:
    """The choices of ``vfa import`` and the import dialog."""

    clip_id: int | None = None
    media_dir: str | None = None
    observation: str | None = None
    coder: str | None = None
    scheme_id: str | None = None
    skip_unknown: bool = False


@dataclass(frozen=True)
class MappingRow:
    """A file code (tier, column, behaviour) and subject, and what they become."""

    source: str  # the file's code id
    source_name: str
    source_subject: str | None
    code: str | None  # VFA code id; None: unknown
    subject: str | None
    count: int


# (item, value, special code, note) as a rating row stores them
StoredRating = tuple[str, float | None, str | None, str | None]


@dataclass(frozen=True)
class PlannedEvent:
    code: str
    subject: str | None
    start_ms: int
    end_ms: int
    start_frame: int
    end_frame: int
    modifiers: dict[str, Any]
    caption: str | None
    moment: bool  # a moment tag: stored with its still
    point: bool
    key_frame: int  # a moment's still: the middle frame of its span
    key_ms: int


@dataclass
class PlannedRun:
    """One observation's coding as it will be stored: a run of the clip by the coder."""

    observation: str
    clip_id: int
    clip_name: str
    how: str  # how the clip was found
    coder: str
    events: list[PlannedEvent] = field(default_factory=list)
    ratings: list[StoredRating] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What an import would write, and what stops it (nothing is written by planning)."""

    file: str
    format: str
    sha256: str
    scheme: Scheme
    scheme_created: bool
    scheme_yaml: str | None
    scheme_path: Path | None
    runs: list[PlannedRun]
    mappings: list[MappingRow]
    problems: list[Problem]
    refusals: list[Problem]
    options: ImportOptions
    observations: list[str] = field(default_factory=list)  # every observation in the file

    @property
    def events(self) -> int:
        return sum(len(r.events) for r in self.runs)

    @property
    def points(self) -> int:
        return sum(1 for r in self.runs for e in r.events if e.point)

    @property
    def states(self) -> int:
        return self.events - self.points

    def refusal_text(self) -> str:
        """Why the import is refused, place by place."""
        return "; ".join(f"{p.place}: {p.reason}" for p in self.refusals)
