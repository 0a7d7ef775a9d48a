"""The typed form of a coding scheme; built and checked by ``vfa.domain.schemes``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vfa.domain.hotkeys import normalize_hotkey
from vfa.errors import NotFoundError


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: str


@dataclass(frozen=True)
class SpecialCode:
    code: str
    label: str
    counts_as: str  # "excluded" from the aggregate, or counted as "zero"


@dataclass(frozen=True)
class Band:
    """A named range of a score; see ``vfa.domain.scoring.band_for`` for its edges."""

    label: str
    min: float
    max: float
    verified: bool


@dataclass(frozen=True)
class RatingItem:
    id: str
    name: str
    group: str | None
    scale_min: int
    scale_max: int
    points: tuple[ScalePoint, ...]
    special: tuple[SpecialCode, ...]
    description: str
    requires_license: bool
    verified: bool


@dataclass(frozen=True)
class RatingSection:
    items: tuple[RatingItem, ...]
    groups: tuple[tuple[str, str], ...]  # (group id, title) in display order
    aggregate: str  # "mean" | "sum"
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class GridScale:
    id: str
    name: str


@dataclass(frozen=True)
class GridMember:
    id: str
    name: str
    scales: tuple[GridScale, ...]


@dataclass(frozen=True)
class GridRow:
    id: str
    name: str


@dataclass(frozen=True)
class Grid:
    """Rows that each give ``points_per_row`` points to one member's scales."""

    id: str
    name: str
    points_per_row: int
    members: tuple[GridMember, ...]
    rows: tuple[GridRow, ...]
    band_scale: str | None
    bands: tuple[Band, ...]

    def member(self, member_id: str) -> GridMember:
        """The member with this id (NotFoundError naming the known ones)."""
        for member in self.members:
            if member.id == member_id:
                return member
        known = ", ".join(m.id for m in self.members)
        raise NotFoundError(f"grid {self.id}: no member {member_id!r} (members: {known})")


@dataclass(frozen=True)
class Modifier:
    id: str
    name: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class EventCode:
    id: str
    name: str
    hotkey: str  # canonical (``Shift+Q``), "" when the code has none
    kind: str  # "point" | "state"
    subjects: tuple[str, ...]
    group: str | None  # exclusive group: starting one state stops the others
    modifiers: tuple[Modifier, ...]
    moment: bool  # a strength moment: a span around the key press (MomentSettings)
    parent: str | None  # e.g. the VIG principle of a sub-behaviour
    description: str
    verified: bool


@dataclass(frozen=True)
class Ethogram:
    subjects: tuple[str, ...]
    codes: tuple[EventCode, ...]


@dataclass(frozen=True)
class MomentSettings:
    before_ms: int
    after_ms: int
    max_clips: int | None
    max_clip_ms: int | None


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    version: str
    description: str
    ratings: RatingSection | None
    grids: tuple[Grid, ...]
    ethogram: Ethogram | None
    moments: MomentSettings | None
    content_hash: str
    source_file: str
    raw: dict[str, Any]  # the parsed content, JSON-ready

    @property
    def source(self) -> str:
        """The citation of the public source the scheme follows."""
        return str(self.raw.get("source", ""))

    def item(self, item_id: str) -> RatingItem:
        """The rating item with this id (NotFoundError naming the known ones)."""
        items = self.ratings.items if self.ratings else ()
        for item in items:
            if item.id == item_id:
                return item
        known = ", ".join(i.id for i in items) or "none"
        raise NotFoundError(f"scheme {self.id}: no rating item {item_id!r} (items: {known})")

    def code(self, code_id: str) -> EventCode:
        """The event code with this id (NotFoundError naming the known ones)."""
        codes = self.ethogram.codes if self.ethogram else ()
        for code in codes:
            if code.id == code_id:
                return code
        known = ", ".join(c.id for c in codes) or "none"
        raise NotFoundError(f"scheme {self.id}: no event code {code_id!r} (codes: {known})")

    def grid(self, grid_id: str) -> Grid:
        """The grid with this id (NotFoundError naming the known ones)."""
        for grid in self.grids:
            if grid.id == grid_id:
                return grid
        known = ", ".join(g.id for g in self.grids) or "none"
        raise NotFoundError(f"scheme {self.id}: no grid {grid_id!r} (grids: {known})")

    def code_for_hotkey(self, key: str) -> EventCode | None:
        """The event code a key press stands for (any spelling of the key), if any."""
        try:
            wanted = normalize_hotkey(key)
        except ValueError:
            return None
        codes = self.ethogram.codes if self.ethogram else ()
        return next((c for c in codes if c.hotkey == wanted), None)
