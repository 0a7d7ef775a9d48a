"""``vfa check``: is the workspace sound, and does everything it points at still exist?"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from vfa.errors import NotFoundError, VfaError
from vfa.services.schemes import SchemeLookup, get_scheme
from vfa.storage.models import Annotation, Rating
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace


@dataclass(frozen=True)
class Finding:
    """One thing wrong, where, and what to do about it."""

    kind: str  # integrity, foreign_key, reference, clip, scheme
    place: str
    problem: str
    advice: str


def check_workspace(ws: Workspace, find_scheme: SchemeLookup = get_scheme) -> list[Finding]:
    """Every problem found; an empty list when all is well. Changes nothing.
    ``find_scheme`` looks the stored schemes up in the folders (a library read once, else
    the folders now)."""
    findings = _database(ws)
    if any(f.kind == "integrity" for f in findings):
        return findings  # reading on through a damaged file tells nothing more
    findings += _references(ws)
    findings += _clips(ws)
    findings += _schemes(ws, find_scheme)
    return findings


def _database(ws: Workspace) -> list[Finding]:
    if ws.engine.dialect.name != "sqlite":
        return []  # the server keeps its own files sound and enforces the references
    out = []
    with ws.engine.connect() as conn:
        try:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
        except VfaError as exc:  # the message names the workspace, which is the place
            rows = [str(exc).removeprefix(f"{ws.label}: ")]
        if rows != ["ok"]:
            out += [
                Finding(
                    "integrity",
                    ws.label,
                    row,
                    "The file is damaged. Keep a copy as it is, then restore the newest "
                    "backup (vfa backup --list; vfa restore BACKUP).",
                )
                for row in rows
            ]
            return out
        for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            out.append(
                Finding(
                    "foreign_key",
                    f"{table} row {rowid}",
                    f"points to a {parent} row that does not exist",
                    "Restore a backup from before the problem, or ask for help; "
                    "VFA never deletes such rows by itself.",
                )
            )
    return out


def _references(ws: Workspace) -> list[Finding]:
    """References kept inside values, which the database cannot check."""
    out = []
    with ws.sessions() as db:
        events = set(db.scalars(select(Annotation.id)))
        for rating_id, run_id, item, evidence in db.execute(
            select(Rating.id, Rating.run_id, Rating.item, Rating.evidence)
        ):
            missing = [e for e in (evidence or {}).get("annotations", []) if e not in events]
            if missing:
                out.append(
                    Finding(
                        "reference",
                        f"run {run_id} item {item} (rating {rating_id})",
                        f"evidence links to events that no longer exist: {missing}",
                        "Open the run and link the item's evidence again.",
                    )
                )
    return out


def _clips(ws: Workspace) -> list[Finding]:
    from vfa.services.clips import ClipState, check_all

    out = []
    for c in check_all(ws):
        if c.state is not ClipState.OK:
            advice = (
                "Relink it: vfa clip relink FOLDER (or Relink in the window)."
                if c.state is ClipState.MISSING
                else "Put the original file back; its codings were made on it."
            )
            out.append(Finding("clip", f"clip {c.clip_id}", c.message, advice))
    return out


def _schemes(ws: Workspace, find_scheme: SchemeLookup) -> list[Finding]:
    """A scheme file whose content changed while its version did not."""
    out = []
    with ws.sessions() as db:
        rows = db.execute(
            select(SchemeRow.scheme_key, SchemeRow.version, SchemeRow.content_hash)
        ).all()
    newest: dict[tuple[str, str], set[str]] = {}
    for key, version, digest in rows:
        newest.setdefault((key, version), set()).add(digest)
    for (key, version), digests in sorted(newest.items()):
        try:
            scheme = find_scheme(key)
        except (NotFoundError, VfaError):
            continue  # the workspace keeps the content it was coded with
        if scheme.version == version and scheme.content_hash not in digests:
            out.append(
                Finding(
                    "scheme",
                    f"scheme {key} version {version}",
                    f"{scheme.source_file} changed since this version was used here, "
                    "but its version did not",
                    "Raise the version in the scheme file so that new codings can be told "
                    "apart; earlier codings keep the content they were made with.",
                )
            )
    return out
