"""A coding run's content as a merge sees it: its events (with their moments) and
ratings, read for many runs at once, and the digest that says whether two copies of a
run are the same.

The digest covers the run's status, every event (code, subject, span in ms and frames,
modifiers, caption, and a moment's details but not its place in the reel, which numbers
differ between workspaces) and every rating (value or special code, note, and the events
it cites, by what they are, not by their ids: a rating may cite an event of another of the
coder's runs on the clip). Ids, creation times and versions
are left out: they differ between two workspaces holding the same coding.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from vfa.storage.models import Annotation, Moment, Rating

CHUNK = 500  # ids in one IN (...): well under every driver's limit of parameters
EVENT_COLUMNS = (
    "code",
    "subject",
    "start_ms",
    "end_ms",
    "start_frame",
    "end_frame",
    "modifiers",
    "caption",
)
MOMENT_COLUMNS = ("key_ms", "key_frame", "tags", "child_line", "comment", "feedback")


def utc(value: Any) -> Any:
    """A stored time as an aware UTC datetime (SQLite gives it without its zone, in UTC;
    PostgreSQL in the session's zone), so that it is the same instant on either side."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value


def canonical(value: Any) -> str:
    """One spelling of a JSON value whatever the workspace it came from."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class EventRow:
    """One event of a run: its id on its own side, what it is, and its columns."""

    id: int
    key: str  # canonical: what the event is (no id, time of making or reel place)
    columns: dict[str, Any]  # the annotation's columns, without run_id
    moment: dict[str, Any] | None  # the moment's columns, reel_position included


@dataclass(frozen=True)
class RatingRow:
    """One rated item of a run, its evidence as the ids of its own side."""

    item: str
    value: float | None
    special: str | None
    note: str | None
    evidence: dict[str, Any]


@dataclass
class RunContent:
    """A run's status, events (in canonical order) and ratings (by item); ``cited``: the
    key of every event its ratings cite (in this run or another)."""

    status: str
    events: list[EventRow] = field(default_factory=list)
    ratings: dict[str, RatingRow] = field(default_factory=dict)
    cited: dict[int, str] = field(default_factory=dict)

    def rating_key(self, rating: RatingRow) -> str:
        """What a rating is, the events it cites by their keys."""
        evidence = dict(rating.evidence)
        if "annotations" in evidence:
            evidence["annotations"] = [
                self.cited[a] for a in evidence["annotations"] if a in self.cited
            ]
        return canonical([rating.item, rating.value, rating.special, rating.note, evidence])

    def digest(self) -> str:
        """SHA-256 of the run's status, events and ratings (see the module's note)."""
        body = {
            "status": self.status,
            "events": [e.key for e in self.events],
            "ratings": [self.rating_key(r) for _, r in sorted(self.ratings.items())],
        }
        return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def mapped_evidence(evidence: Mapping[str, Any], ids: Mapping[int, int]) -> dict[str, Any]:
    """Evidence with the events it cites given by ``ids`` (one side's id -> the other's);
    an event with no counterpart is left out."""
    out = dict(evidence)
    if "annotations" in out:
        out["annotations"] = [ids[a] for a in out["annotations"] if a in ids]
    return out


def _event_key(columns: Mapping[str, Any], moment: Mapping[str, Any] | None) -> str:
    what = [columns[c] for c in EVENT_COLUMNS]
    what.append(None if moment is None else [moment[c] for c in MOMENT_COLUMNS])
    return canonical(what)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for first in range(0, len(ids), CHUNK):
        yield ids[first : first + CHUNK]


def read_contents(conn: Connection, statuses: Mapping[int, str]) -> dict[int, RunContent]:
    """The content of the runs given (run id -> status), a batch of runs a query."""
    out = {run_id: RunContent(str(status)) for run_id, status in statuses.items()}
    a, m = Annotation, Moment
    cols = [getattr(a, c) for c in EVENT_COLUMNS]
    mcols = [getattr(m, c) for c in MOMENT_COLUMNS]
    events: dict[int, list[EventRow]] = {run_id: [] for run_id in out}
    for part in _chunks(sorted(out)):
        query = (
            select(a.run_id, a.id, a.created_at, *cols, m.annotation_id, m.reel_position, *mcols)
            .outerjoin(m, m.annotation_id == a.id)
            .where(a.run_id.in_(part))
        )
        for row in conn.execute(query):
            run_id, ann_id, made = row[0], row[1], row[2]
            columns = dict(zip(EVENT_COLUMNS, row[3 : 3 + len(cols)], strict=True))
            columns["modifiers"] = dict(columns["modifiers"] or {})
            columns["created_at"] = utc(made)
            moment = None
            if row[3 + len(cols)] is not None:
                rest = row[5 + len(cols) :]
                moment = dict(zip(MOMENT_COLUMNS, rest, strict=True))
                moment["tags"] = dict(moment["tags"] or {})
                moment["feedback"] = bool(moment["feedback"])
                moment["reel_position"] = row[4 + len(cols)]
            events[run_id].append(EventRow(ann_id, _event_key(columns, moment), columns, moment))
        r = Rating
        rows = conn.execute(
            select(r.run_id, r.item, r.value, r.special, r.note, r.evidence).where(
                r.run_id.in_(part)
            )
        )
        for run_id, item, value, special, note, evidence in rows:
            out[run_id].ratings[item] = RatingRow(
                item, None if value is None else float(value), special, note, dict(evidence or {})
            )
    keys: dict[int, str] = {}
    for run_id, found in events.items():
        out[run_id].events = sorted(found, key=lambda e: (e.key, e.id))
        keys.update((e.id, e.key) for e in found)
    wanted = {
        a
        for content in out.values()
        for rating in content.ratings.values()
        for a in rating.evidence.get("annotations", [])
        if isinstance(a, int)
    }
    keys.update(_event_keys(conn, sorted(wanted - set(keys))))
    for content in out.values():
        for rating in content.ratings.values():
            for a in rating.evidence.get("annotations", []):
                if a in keys:
                    content.cited[a] = keys[a]
    return out


def _event_keys(conn: Connection, ids: list[int]) -> dict[int, str]:
    """The keys of events of runs not read (cited by a rating of a run that was)."""
    a, m = Annotation, Moment
    cols = [getattr(a, c) for c in EVENT_COLUMNS]
    mcols = [getattr(m, c) for c in MOMENT_COLUMNS]
    out = {}
    for part in _chunks(ids):
        query = (
            select(a.id, *cols, m.annotation_id, *mcols)
            .outerjoin(m, m.annotation_id == a.id)
            .where(a.id.in_(part))
        )
        for row in conn.execute(query):
            columns = dict(zip(EVENT_COLUMNS, row[1 : 1 + len(cols)], strict=True))
            columns["modifiers"] = dict(columns["modifiers"] or {})
            moment = None
            if row[1 + len(cols)] is not None:
                moment = dict(zip(MOMENT_COLUMNS, row[2 + len(cols) :], strict=True))
                moment["tags"] = dict(moment["tags"] or {})
                moment["feedback"] = bool(moment["feedback"])
            out[int(row[0])] = _event_key(columns, moment)
    return out
