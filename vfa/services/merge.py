"""Bringing another workspace's work into this one: ``vfa merge OTHER``, File → Merge
workspace…, and a laptop's checkout coming home.

The other workspace is read whole and never changed; what it holds is matched against
this one (``merge_plan``: cases by code, sessions by label, clips by content, schemes by
content hash, people by name, runs by clip × scheme × person) and written here in one
transaction, after a backup of a SQLite workspace. Identical items are skipped; a run
changed on both sides since they parted refuses the whole merge, naming every such run;
a dry run says what would happen and writes nothing. The other side's audit trail comes
along (each entry with its own time and person, its ids turned into this workspace's), and
the merge leaves an entry of its own. Counts printed about the merge leave out the runs
the blind rule hides from the person merging.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session as DbSession

from vfa.services.acting import acting_person
from vfa.services.merge_check import damage, nonsense
from vfa.services.merge_plan import Plan, Planner
from vfa.services.merge_read import CHECKOUT_KEY, Snapshot, read_snapshot
from vfa.services.merge_records import copy_audit, write_consent, write_criteria
from vfa.services.merge_report import (
    Conflict,
    MergeConflictError,
    MergeError,
    MergeReport,
    merge_text,
)
from vfa.services.merge_rules import hold_to_role
from vfa.services.merge_runs import RunWriter, new_ids, without
from vfa.storage.models import (
    AuditEntry,
    Case,
    Clip,
    Coder,
    Scheme,
    Session,
    WorkspaceInfo,
)
from vfa.storage.passphrases import Passphrase
from vfa.storage.workspace import Workspace, open_workspace

__all__ = [
    "Conflict",
    "MergeCancelled",
    "MergeConflictError",
    "MergeError",
    "MergeReport",
    "merge",
    "merge_text",
    "open_other",
]

ProgressFn = Callable[[float], None]
CancelFn = Callable[[], bool]


class MergeCancelled(MergeError):
    """The merge was cancelled; nothing was changed."""


def open_other(
    ws: Workspace, other: str | os.PathLike[str], passphrase: Passphrase | None = None
) -> Workspace:
    """The workspace to merge from, opened read-only (an encrypted file with
    ``passphrase``, else as ``open_workspace`` finds one); refused when it is this one."""
    text = os.fspath(other).strip()
    if not text:
        raise MergeError("merge: name the workspace to merge from (a file or a PostgreSQL URL)")
    if "://" not in text:
        path = Path(text).expanduser()
        if not path.exists() and not path.is_symlink():
            raise MergeError(f"{path}: no workspace here to merge from; check the path")
    found = open_workspace(text, read_only=True, passphrase=passphrase)
    if _same(ws, found):
        found.close()
        raise MergeError(f"{found.label}: this is the workspace open here; merge another one")
    return found


def _refuse_damage(source: Workspace) -> None:
    """MergeError naming the place when the other workspace file holds a row that is not
    as VFA writes it (a team database's server keeps its columns' kinds itself)."""
    if source.engine.dialect.name != "sqlite":
        return
    with source.sessions() as db:
        found = damage(db.connection())
    if found is not None:
        raise _unsound(source.label, found, "it was changed outside VFA or is damaged")


def _unsound(label: str, found: str, how: str) -> MergeError:
    """The refusal of another workspace holding what VFA never writes, found there."""
    return MergeError(
        f"{label}: {found}; {how}, so it is not merged and nothing was changed. Merge a "
        "sound copy (its backups are in the backups folder beside it)"
    )


def _same(ws: Workspace, other: Workspace) -> bool:
    if ws.path is not None and other.path is not None:
        try:
            return ws.path.samefile(other.path)
        except OSError:
            return False
    return ws.label == other.label


def merge(
    ws: Workspace,
    other: Workspace | str | os.PathLike[str],
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    *,
    renames: Mapping[str, str] | None = None,
    same_cases: set[str] | None = None,
    viewer: str | None = None,
    passphrase: Passphrase | None = None,
) -> MergeReport:
    """Bring ``other``'s work into ``ws`` (see the module's note); what was (or, with
    ``dry_run``, would be) done. ``renames`` gives incoming cases other codes (old -> new),
    ``same_cases`` names cases that are the same family though no clip matches;
    ``passphrase`` opens ``other`` when it is an encrypted file."""
    meter = _Meter(progress, cancel)
    if isinstance(other, Workspace) and _same(ws, other):
        raise MergeError(f"{other.label}: this is the workspace open here; merge another one")
    source = other if isinstance(other, Workspace) else open_other(ws, other, passphrase)
    try:
        # once both are open: a team workspace's login says who is merging
        who = acting_person(source if ws.person is None and source.person else ws, viewer)
        _refuse_damage(source)
        snapshot = read_snapshot(source, who, meter.part(0.0, 0.4))
        found = nonsense(snapshot)
        if found is not None:
            raise _unsound(source.label, found, "it was changed outside VFA")
    finally:
        if source is not other:
            source.close()
    report = MergeReport(snapshot.label, dry_run)
    if snapshot.withheld:
        report.notes.append(
            f"{snapshot.withheld} blind coding(s) of {snapshot.label} are hidden from {who} "
            "until every blind coding of their clip is submitted; the server gives none of "
            "their content, so they were left out: merge again once they are submitted"
        )
    meter.check()
    team = ws.person is not None  # a person's own login: the server holds its rules
    if dry_run:
        with ws.sessions() as db:
            plan = _plan(db, snapshot, who, renames, same_cases, report)
            hold_to_role(db, plan, snapshot, who, team)
        meter.step(1.0)
        return report
    with ws.writes.begin() as db:
        plan = _plan(db, snapshot, who, renames, same_cases, report)
        hold_to_role(db, plan, snapshot, who, team)
        meter.step(0.5)
        if report.conflicts:
            listed = "\n  ".join(c.text() for c in report.conflicts)
            raise MergeConflictError(
                f"{snapshot.label}: {len(report.conflicts)} run(s) changed on both sides since "
                f"they parted; nothing was merged. Decide with their coders which to keep, "
                f"then merge again:\n  {listed}"
            )
        if not plan.writes():
            return report
        if ws.path is not None:
            from vfa.services.backups import backup_now

            report.backup = str(backup_now(ws, "before-merge"))
        _Writer(db, snapshot, plan, who, meter.part(0.5, 1.0), team).write()
        report.written = True
    return report


def _plan(
    db: DbSession,
    snapshot: Snapshot,
    who: str,
    renames: Mapping[str, str] | None,
    same_cases: set[str] | None,
    report: MergeReport,
) -> Plan:
    return Planner(db, snapshot, who, renames or {}, same_cases or set(), report).run()


class _Meter:
    """Progress and cancel for the phases of a merge."""

    def __init__(self, progress: ProgressFn | None, cancel: CancelFn | None) -> None:
        self.progress, self.cancel = progress, cancel

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise MergeCancelled("merge: cancelled; nothing was changed")

    def step(self, fraction: float) -> None:
        self.check()
        if self.progress is not None:
            self.progress(max(0.0, min(1.0, fraction)))

    def part(self, low: float, high: float) -> ProgressFn:
        return lambda f: self.step(low + (high - low) * f)


# -- writing ---------------------------------------------------------------------------------


class _Writer:
    """Writes a plan into this workspace, in the transaction of ``db``."""

    def __init__(
        self,
        db: DbSession,
        other: Snapshot,
        plan: Plan,
        who: str,
        progress: ProgressFn,
        team: bool = False,
    ) -> None:
        self.conn, self.other, self.plan, self.who = db.connection(), other, plan, who
        self.progress, self.team = progress, team
        self.content = RunWriter(self.conn)
        self.runs: dict[int, int] = {}  # other run id -> here

    def write(self) -> None:
        p = self.plan
        self._people()
        self._schemes()
        self._cases()
        self._runs()
        self.content.finish_ratings()
        self.content.finish_reels()
        write_consent(self.conn, p.consent, p.clip_map)
        write_criteria(self.conn, p.criteria)
        maps: dict[str, Mapping[int, int | None]] = {
            "case": p.case_map, "session": p.session_map, "reel": p.session_map,
            "clip": p.clip_map, "coding_run": self.runs, "annotation": self.content.events,
            "moment": self.content.events, "coder": p.coder_map, "scheme": p.scheme_map,
        }  # fmt: skip
        copy_audit(self.conn, p.audit, maps, self.other.name, self.who, server=self.team)
        counts = {k: t.as_dict() for k, t in p.report.tallies.items()}
        detail = {"from": self.other.label, "counts": counts, "backup": p.report.backup}
        self._entry("workspace", None, detail)
        self._bases()
        self.progress(1.0)

    def _people(self) -> None:
        new = [i for i, v in self.plan.coder_map.items() if v is None]
        rows = [
            {"name": self.other.coders[i]["name"], "role": self.plan.roles[i], "login": None}
            for i in new
        ]
        self.plan.coder_map.update(zip(new, new_ids(self.conn, Coder, rows), strict=True))

    def _schemes(self) -> None:
        new = [i for i, v in self.plan.scheme_map.items() if v is None]
        rows = [without(self.other.schemes[i], "id") for i in new]
        self.plan.scheme_map.update(zip(new, new_ids(self.conn, Scheme, rows), strict=True))

    def _cases(self) -> None:
        p, o = self.plan, self.other
        new = [i for i, v in p.case_map.items() if v is None]
        rows = [{"code": p.case_codes[i], "created_at": o.cases[i]["created_at"]} for i in new]
        p.case_map.update(zip(new, new_ids(self.conn, Case, rows), strict=True))
        new = [i for i, v in p.session_map.items() if v is None]
        rows = [
            {
                **without(o.sessions[i], "id", "reel_version"),
                "case_id": p.case_map[o.sessions[i]["case_id"]],
            }
            for i in new
        ]
        p.session_map.update(zip(new, new_ids(self.conn, Session, rows), strict=True))
        new = [i for i, v in p.clip_map.items() if v is None]
        rows = [
            {**without(o.clips[i], "id"), "session_id": p.session_map[o.clips[i]["session_id"]]}
            for i in new
        ]
        p.clip_map.update(zip(new, new_ids(self.conn, Clip, rows), strict=True))
        if new:
            self.plan.report.notes.append(
                f"{len(new)} new clip(s) point at their files as {o.label} knew them; if the "
                "videos are elsewhere on this computer, relink them (vfa clip relink FOLDER)"
            )

    def _runs(self) -> None:
        p, o = self.plan, self.other
        total = max(len(p.runs), 1)
        for n, run in enumerate(p.runs):
            row = o.runs[run.other_id]
            clip = int(p.clip_map[row["clip_id"]] or 0)
            session = int(p.session_map[o.clips[row["clip_id"]]["session_id"]] or 0)
            theirs = o.contents[run.other_id]
            if run.action == "add":
                mapped = {
                    **row,
                    "clip_id": clip,
                    "scheme_id": p.scheme_map[row["scheme_id"]],
                    "coder_id": p.coder_map[row["coder_id"]],
                }
                run.here_id = self.content.add(mapped, theirs, session)
            elif run.action == "take" and run.here_id is not None:
                self.content.take(run.here_id, row, theirs, p.here_contents[run.here_id], session)
            elif run.here_id is not None:  # the same, or ours kept: their events' ids here
                self.content.pair(theirs, p.here_contents[run.here_id])
            if run.here_id is not None:
                self.runs[run.other_id] = run.here_id
            if run.action in ("add", "take"):
                how = {"from": o.label, "how": "added" if run.action == "add" else "taken"}
                self._entry("coding_run", run.here_id, how, run=run.here_id, clip=clip)
            self.progress(0.8 * (n + 1) / total)

    def _entry(
        self,
        entity: str,
        entity_id: int | None,
        detail: dict[str, Any],
        run: int | None = None,
        clip: int | None = None,
    ) -> None:
        """The merge's own entry in the audit trail, by the person merging."""
        row = {"actor": self.who, "action": "merge", "entity": entity, "entity_id": entity_id,
               "detail": detail, "run_id": run, "clip_id": clip}  # fmt: skip
        self.conn.execute(insert(AuditEntry), [row])

    def _bases(self) -> None:
        """Record the runs both sides now agree on, as the base of the next merge."""
        p = self.plan
        if p.base_key is None:
            return
        agreed = [r for r in p.runs if r.action in ("add", "take", "same")]
        stored = self.conn.scalar(
            select(WorkspaceInfo.value).where(WorkspaceInfo.key == p.base_key)
        )
        if p.base_key == CHECKOUT_KEY:  # this workspace is the checkout
            record = json.loads(stored or "{}")
            record["runs"].update({str(r.here_id): r.digest for r in agreed})
            value = json.dumps(record)
        else:
            value = json.dumps({**p.bases, **{str(r.other_id): r.digest for r in agreed}})
        if self.team:  # workspace_info is an admin's: the server's own way for a merge
            recorded = self.conn.scalar(
                text("SELECT vfa_record_merge(:key, :value)"), {"key": p.base_key, "value": value}
            )
            if not recorded:
                p.report.notes.append(
                    f"which runs agree after this merge was not recorded here: "
                    f"{self.other.label} was not checked out for {self.who} from this "
                    "workspace, so a later merge of it may report runs changed on both sides"
                )
        elif stored is None:
            self.conn.execute(insert(WorkspaceInfo), [{"key": p.base_key, "value": value}])
        else:
            self.conn.execute(
                update(WorkspaceInfo).where(WorkspaceInfo.key == p.base_key).values(value=value)
            )
