"""Reading the audit trail: who did what, when, to which case, clip and run, and what it
was before and after, newest first, filtered by person, case, kind and dates.

Reading it is for supervisors and admins once a workspace is managed
(``people.require(db, Act.READ_AUDIT)``). The blind rule holds here too: an entry about
a run the rule hides from the reader (``vfa.services.blind``) shows who, when and what
kind of act, never the values, captions or reasons it recorded.

Entries written before they named their case, clip and run (workspaces older than
migration 0007) are placed through what they name: a run, an event or moment (its run),
a clip, a session or a case, as those stand now.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy import case as when_
from sqlalchemy.orm import Session, aliased

from vfa.domain.audit_words import kind_list, plain, stored_kind
from vfa.domain.text_fields import shown
from vfa.errors import InvalidInputError, NotFoundError
from vfa.outputs import csv_text, write_text
from vfa.services.blind import blind_view
from vfa.services.clips import find_case
from vfa.services.people import Act
from vfa.services.people import require as require_role
from vfa.storage.models import Annotation, AuditEntry, Case, Clip, Coder, CodingRun
from vfa.storage.models import Session as SessionRow
from vfa.storage.workspace import Workspace

# acts on a run whose details are what the assignment list shows anyway (whose run, of
# which clip and scheme, blind or not): kept even when the run's content is hidden
_PUBLIC = frozenset({("assign", "coding_run"), ("create", "coding_run"), ("submit", "coding_run")})

CSV_HEADER = (
    "when", "who", "action", "entity", "entity_id", "case", "clip_id", "clip", "run_id",
    "before", "after", "detail", "hidden",
)  # fmt: skip


@dataclass(frozen=True)
class AuditRow:
    """One entry of the trail as a reader may see it."""

    id: int
    when: dt.datetime  # timezone-aware (UTC)
    who: str | None
    action: str
    entity: str
    entity_id: int | None
    case: str | None  # the case's code
    clip_id: int | None
    clip: str | None  # the clip's file name
    run_id: int | None
    before: Any
    after: Any
    detail: dict[str, Any]  # what else the entry keeps
    hidden: bool = False  # the blind rule hides its values from the reader

    def as_dict(self) -> dict[str, Any]:
        """The entry as JSON data (``when`` in ISO 8601, UTC)."""
        return {
            "id": self.id,
            "when": self.when.isoformat(),
            "who": self.who,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "case": self.case,
            "clip_id": self.clip_id,
            "clip": self.clip,
            "run_id": self.run_id,
            "before": self.before,
            "after": self.after,
            "detail": self.detail,
            "hidden": self.hidden,
        }


@dataclass(frozen=True)
class AuditChoices:
    """What the trail can be filtered by: the people who acted, the cases, the kinds."""

    people: tuple[str, ...]
    cases: tuple[str, ...]
    kinds: tuple[str, ...]


def read_audit(
    ws: Workspace,
    person: str | None = None,
    case: str | None = None,
    kind: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = None,
    *,
    viewer: str | None = None,
    strict: bool = False,
) -> list[AuditRow]:
    """The entries, newest first: by ``person`` (any capitals), about the case with code
    ``case`` (any capitals, as ``find_case``), of ``kind`` (an entity such as
    ``annotation``, or ``event`` as the window names it, or an action such as ``rate``),
    on or after ``since`` and on or before ``until`` (local calendar days), at most
    ``limit``; as ``viewer`` (None: you) may see them. ``strict`` (the command line)
    refuses a kind that names none and that no entry has, saying the kinds there are;
    without it (the window, while a kind is typed) such a kind matches nothing."""
    if since is not None and until is not None and until < since:
        raise InvalidInputError(
            f"audit: --until {until.isoformat()} is before --since {since.isoformat()}"
        )
    if limit is not None and limit < 1:
        raise InvalidInputError(f"audit: a limit of {limit} entries shows nothing")
    with ws.sessions() as db:
        require_role(db, Act.READ_AUDIT, viewer)
        q = _Query()
        query = q.select
        if person is not None and person.strip():
            query = query.where(func.lower(AuditEntry.actor) == person.strip().lower())
        if case is not None and case.strip():
            found = find_case(db, case.strip())
            if found is None:
                raise NotFoundError(f"case {case.strip()}: no such case in {ws.label}")
            query = query.where(q.case_ref == found.id)
        if kind is not None and kind.strip():
            wanted = stored_kind(kind) or plain(kind)
            if strict and stored_kind(kind) is None and not _in_trail(db, wanted):
                raise InvalidInputError(
                    f"audit: --kind {shown(kind.strip())} is not a kind VFA knows, and no entry "
                    f"has it; a kind is {kind_list()}"
                )
            entity, action = func.lower(AuditEntry.entity), func.lower(AuditEntry.action)
            query = query.where(or_(entity == wanted, action == wanted))
        if since is not None:
            query = query.where(AuditEntry.at >= _day_start(since))
        if until is not None and until < dt.date.max:
            query = query.where(AuditEntry.at < _day_start(until + dt.timedelta(days=1)))
        query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if limit is not None:
            query = query.limit(limit)
        rows = db.execute(query).all()
        view = blind_view(db, viewer) if any(r.owner is not None for r in rows) else None
    found_rows = []
    for r in rows:
        hidden = (
            view is not None
            and r.owner is not None
            and (r.action, r.entity) not in _PUBLIC
            and view.hides(r.run_ref, r.run_clip, r.owner)
        )
        before, after, rest = (None, None, {}) if hidden else _split(r.detail)
        found_rows.append(
            AuditRow(
                r.id,
                _aware(r.at),
                r.actor,
                r.action,
                r.entity,
                r.entity_id,
                r.case_code,
                r.clip_ref,
                _file_name(r.clip_path),
                r.run_ref,
                before,
                after,
                rest,
                hidden,
            )
        )
    return found_rows


def _in_trail(db: Session, kind: str) -> bool:
    """Whether an entry is about a record of ``kind`` or is an act of it (a kind VFA
    does not name, from another version, is found as stored)."""
    return (
        db.execute(
            select(AuditEntry.id)
            .where(
                or_(func.lower(AuditEntry.entity) == kind, func.lower(AuditEntry.action) == kind)
            )
            .limit(1)
        ).first()
        is not None
    )


def audit_choices(ws: Workspace, viewer: str | None = None) -> AuditChoices:
    """The people, case codes and kinds (entities and actions) to filter the trail by."""
    with ws.sessions() as db:
        require_role(db, Act.READ_AUDIT, viewer)
        actors = db.scalars(select(AuditEntry.actor).distinct()).all()
        cases = db.scalars(select(Case.code).order_by(Case.code)).all()
        entities = db.scalars(select(AuditEntry.entity).distinct()).all()
        actions = db.scalars(select(AuditEntry.action).distinct()).all()
    return AuditChoices(
        tuple(sorted({a for a in actors if a}, key=str.lower)),
        tuple(cases),
        tuple(sorted(set(entities) | set(actions))),
    )


def audit_csv(rows: Sequence[AuditRow]) -> str:
    """The entries as CSV text: local times with their offset, values as JSON."""
    return csv_text(
        CSV_HEADER,
        (
            (
                r.when.astimezone().isoformat(timespec="seconds"),
                r.who,
                r.action,
                r.entity,
                r.entity_id,
                r.case,
                r.clip_id,
                r.clip,
                r.run_id,
                _json(r.before),
                _json(r.after),
                _json(r.detail) if r.detail else None,
                r.hidden,
            )
            for r in rows
        ),
    )


def write_audit_csv(
    rows: Sequence[AuditRow], path: str | os.PathLike[str], *, force: bool = False
) -> Path:
    """Write the entries as a CSV file (whole or not at all; an existing file only with
    ``force``); returns the path written."""
    return write_text(path, audit_csv(rows), force=force, suffixes=(".csv",))


# -- the query ----------------------------------------------------------------------------


class _Query:
    """Each entry with the case, clip and run it is about, and the run's coder: from its
    own columns, else from what it names."""

    def __init__(self) -> None:
        a = AuditEntry
        event, run, clip = aliased(Annotation), aliased(CodingRun), aliased(Clip)
        visit, family, coder = aliased(SessionRow), aliased(Case), aliased(Coder)
        self.run_ref = func.coalesce(
            a.run_id, when_((a.entity == "coding_run", a.entity_id)), event.run_id
        )
        clip_ref = func.coalesce(a.clip_id, when_((a.entity == "clip", a.entity_id)), run.clip_id)
        session_ref = func.coalesce(
            clip.session_id, when_((a.entity.in_(("session", "reel")), a.entity_id))
        )
        self.case_ref: ColumnElement[Any] = func.coalesce(
            a.case_id, when_((a.entity == "case", a.entity_id)), visit.case_id
        )
        named_event = and_(
            a.run_id.is_(None), a.entity.in_(("annotation", "moment")), event.id == a.entity_id
        )
        self.select = (
            select(
                a.id,
                a.at,
                a.actor,
                a.action,
                a.entity,
                a.entity_id,
                a.detail,
                self.run_ref.label("run_ref"),
                run.clip_id.label("run_clip"),
                coder.name.label("owner"),
                clip_ref.label("clip_ref"),
                clip.path.label("clip_path"),
                family.code.label("case_code"),
            )
            .select_from(a)
            .outerjoin(event, named_event)
            .outerjoin(run, run.id == self.run_ref)
            .outerjoin(coder, coder.id == run.coder_id)
            .outerjoin(clip, clip.id == clip_ref)
            .outerjoin(visit, visit.id == session_ref)
            .outerjoin(family, family.id == self.case_ref)
        )


def _split(detail: dict[str, Any] | None) -> tuple[Any, Any, dict[str, Any]]:
    """(before, after, the rest) of an entry's detail (``from``/``to`` in older ones)."""
    rest = dict(detail or {})
    for old, new in (("before", "after"), ("from", "to")):
        if old in rest and new in rest:
            return rest.pop(old), rest.pop(new), rest
    return None, None, rest


def _day_start(day: dt.date) -> dt.datetime:
    """The first moment of a local calendar day, in UTC (the first day there is for a
    day so early that it has none)."""
    try:
        return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def _aware(at: dt.datetime) -> dt.datetime:
    """A stored time as UTC (SQLite keeps it without its zone)."""
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def _file_name(path: str | None) -> str | None:
    return path.replace("\\", "/").rsplit("/", 1)[-1] if path else None


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
