"""The keys of a run's ratings and their versions: an item's key is its id, a grid
cell's ``grid/row/member/scale``; a grid row (whose cells are written together) has the
key ``grid/row/member`` and the highest version of its cells. How a refusal of a stale
rating names it, and the rows an edit locks (``services/coding.py`` writes them)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from vfa.services.versions import ABSENT, Trail, stale_error
from vfa.storage.models import Rating
from vfa.storage.workspace import Workspace

GRID_SEP = "/"


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


def grid_key(grid: str, row: str, member: str, scale: str) -> str:
    """A grid cell's key: the rating row of one scale of one member's row."""
    return GRID_SEP.join((grid, row, member, scale))


def row_key(grid: str, row: str, member: str) -> str:
    """A grid row's key for its version: its cells' keys without the scale."""
    return GRID_SEP.join((grid, row, member))


def rating_trail(run_id: int, item: str) -> Trail:
    """How refusals name a rating or a grid row (``row_key``), and where the audit trail
    keeps its changes."""
    if GRID_SEP in item:
        grid, row, member = item.split(GRID_SEP)[:3]
        return Trail(
            f"coding run {run_id}: grid {grid}, row {row} of {member}",
            ("coding_run",),
            run_id,
            lambda d: (d.get("grid"), d.get("row"), d.get("member")) == (grid, row, member),
        )
    return Trail(
        f"coding run {run_id}: the rating of {item}",
        ("coding_run",),
        run_id,
        lambda d: d.get("item") == item,
    )


def rating_versions(states: Mapping[str, Versioned]) -> dict[str, int]:
    """The version of each rated item and of each grid row (``row_key``: the highest of
    its cells'), from a run's stored states."""
    out: dict[str, int] = {}
    for item, state in states.items():
        key = row_key(*item.split(GRID_SEP)[:3]) if GRID_SEP in item else item
        out[key] = max(out.get(key, ABSENT), state.version)
    return out


@contextmanager
def made_meanwhile(ws: Workspace, run_id: int, item: str) -> Iterator[None]:
    """Two people storing an item none had at once (PostgreSQL): the second is a stale
    edit, not a database error."""
    try:
        yield
    except IntegrityError as exc:
        if "unique" not in str(exc.orig).lower():
            raise
        with ws.sessions() as db:
            raise stale_error(db, rating_trail(run_id, item), ("rating", run_id, item)) from None


def locked_rows(db: DbSession, run_id: int, items: list[str]) -> dict[str, Rating]:
    """The stored rows of these items, locked for this transaction (on PostgreSQL), in
    one order whoever locks them."""
    query = select(Rating).where(Rating.run_id == run_id, Rating.item.in_(items))
    query = query.order_by(Rating.item)
    return {row.item: row for row in db.scalars(query.with_for_update())}
