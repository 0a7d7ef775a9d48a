"""What comes along with the runs in a merge: consent records, reliability criteria and
the audit trail. Each is planned (which of the other side's are new here) and written
(the other side's ids turned into this workspace's).

- Consent is append-only and the latest record of a clip holds: an incoming record is
  added unless the same record is here, or a later one of the clip is (it would then take
  the later one's place; it is left out, and its entry stays in the audit trail).
- A scheme's reliability criterion: the one set later holds.
- Audit entries keep their own time and person; an entry already here (the same time,
  person, act, kind and detail) is not added twice. Each copied entry notes where it came
  from and who carried it over (``merged_from``: the other workspace, its id there, the
  id it named there, and ``by``: the person merging). On a team workspace, connected as a
  person, they go through the server's ``vfa_carry_audit`` (``vfa.storage.team_sql``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, insert, text, update

from vfa.services.merge_content import canonical
from vfa.services.merge_read import Row, Snapshot, audit_since, consent_on
from vfa.services.merge_report import MergeReport
from vfa.storage.models import AuditEntry, ConsentRecord, ReliabilityCriterion

# entries about a run's content (a blind run's are not counted for who may not see it)
RUN_ENTITIES = {"coding_run", "annotation", "moment", "rating", "reel"}
CRITERION_FIELDS = ("statistic", "threshold", "window", "item")


def stamp(value: Any) -> str:
    """A stored time as UTC text, the same from SQLite and PostgreSQL."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return str(value.isoformat(sep=" ", timespec="microseconds"))


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def common_count(a: list[str], b: list[str]) -> int:
    """How many of ``a`` pair with an equal item of ``b`` (as multisets)."""
    return sum((Counter(a) & Counter(b)).values())


# -- consent -------------------------------------------------------------------------------


def _consent_key(row: Row) -> str:
    return canonical(
        [
            row["purposes"],
            str(row["given_on"]),
            str(row.get("valid_until")),
            row["recorded_by"],
            stamp(row["recorded_at"]),
        ]
    )


def plan_consent(
    conn: Connection, other: Snapshot, clips: Mapping[int, int], report: MergeReport
) -> list[Row]:
    """The other side's consent records to add (``clips``: its clips matched here)."""
    tally = report.tallies["consent"]
    ours = consent_on(conn, sorted(set(clips.values())))
    out, superseded = [], 0
    for row in sorted(other.consent, key=lambda r: (stamp(r["recorded_at"]), r["id"])):
        held = ours.get(clips.get(row["clip_id"], 0), [])
        if any(_consent_key(r) == _consent_key(row) for r in held):
            tally.skipped += 1
        elif held and stamp(held[-1]["recorded_at"]) > stamp(row["recorded_at"]):
            superseded += 1  # a later record here holds: this one would take its place
        else:
            out.append(row)
            tally.added += 1
    if superseded:
        report.notes.append(
            f"{superseded} consent record(s) of {other.label} were left out: a later record "
            "of the same clip is here and holds (their entries stay in the audit trail)"
        )
    return out


def write_consent(conn: Connection, rows: list[Row], clips: Mapping[int, int | None]) -> None:
    """Add consent records, on this workspace's clips."""
    if rows:
        made = [{**_without(r, "id"), "clip_id": clips[r["clip_id"]]} for r in rows]
        conn.execute(insert(ConsentRecord), made)


# -- reliability criteria --------------------------------------------------------------------


def plan_criteria(
    other: Snapshot, ours: Mapping[str, Row], report: MergeReport
) -> list[tuple[Row, bool]]:
    """The other side's criteria to add or (set later there) to put in place of ours."""
    tally = report.tallies["criteria"]
    out = []
    for row in other.criteria:
        mine = ours.get(row["scheme_key"])
        if mine is None:
            out.append((row, False))
            tally.added += 1
        elif all(mine[f] == row[f] for f in CRITERION_FIELDS):
            tally.skipped += 1
        elif stamp(row["updated_at"]) > stamp(mine["updated_at"]):
            out.append((row, True))
            tally.updated += 1
        else:
            tally.skipped += 1
    return out


def write_criteria(conn: Connection, rows: list[tuple[Row, bool]]) -> None:
    """Add criteria, or put them in place of this workspace's."""
    for row, replaces in rows:
        if replaces:
            conn.execute(
                update(ReliabilityCriterion)
                .where(ReliabilityCriterion.scheme_key == row["scheme_key"])
                .values(**_without(row, "scheme_key"))
            )
        else:
            conn.execute(insert(ReliabilityCriterion), [row])


# -- the audit trail ---------------------------------------------------------------------------


def audit_key(row: Row) -> str:
    """What an audit entry is, wherever it is kept: when, who, what (not its ids)."""
    detail = {k: v for k, v in dict(row["detail"] or {}).items() if k != "merged_from"}
    return canonical([stamp(row["at"]), row["actor"], row["action"], row["entity"], detail])


def about_hidden(other: Snapshot, row: Row) -> bool:
    """Whether an entry may be about a run hidden from the person merging."""
    if not other.hidden or row["entity"] not in RUN_ENTITIES:
        return False
    run = row.get("run_id")
    if run is None and row["entity"] == "coding_run":
        run = row["entity_id"]
    elif run is None and row["entity"] in ("annotation", "moment"):
        run = other.annotation_runs.get(row["entity_id"])
    return run is None or run in other.hidden


def plan_audit(conn: Connection, other: Snapshot, report: MergeReport) -> list[Row]:
    """The other side's audit entries that are not here yet (only those about what the
    person merging may see are counted)."""
    tally = report.tallies["audit"]
    if not other.audit:
        return []
    earliest = min(_aware(r["at"]) for r in other.audit)
    here = audit_since(conn, earliest)
    # an entry can be here already only at a time an entry here has: the whole key (its
    # detail as canonical JSON) is worked out for those alone
    times = {stamp(r["at"]) for r in here}
    incoming = {stamp(r["at"]) for r in other.audit}
    known = {audit_key(r) for r in here if stamp(r["at"]) in incoming}
    out = []
    for row in other.audit:
        shown = not about_hidden(other, row)
        if stamp(row["at"]) in times and audit_key(row) in known:
            tally.skipped += shown
        else:
            out.append(row)
            tally.added += shown
    return out


def copy_audit(
    conn: Connection,
    rows: list[Row],
    maps: Mapping[str, Mapping[int, int | None]],
    source: str,
    carrier: str,
    *,
    server: bool = False,
) -> None:
    """Add the other side's entries, the records they name turned into this workspace's
    (``maps``: kind -> other id -> id here; "case", "clip" and "coding_run" also serve the
    entries' case, clip and run), each marked as carried over by ``carrier``. ``server``:
    through the team server's ``vfa_carry_audit`` (a person's own login, whose entries
    must otherwise name them), which marks them with the person itself."""
    made = []
    for row in rows:
        detail = dict(row["detail"] or {})
        came = {"workspace": source, "id": row["id"], "entity_id": row["entity_id"]}
        detail["merged_from"] = {**dict(detail.get("merged_from") or came), "by": carrier}
        kind = maps.get(row["entity"])
        entity = row["entity_id"]
        if entity:  # a number of the other workspace's: this one's, else none
            entity = kind.get(entity) if kind is not None else None
        made.append(
            {
                **_without(row, "id"),
                "detail": detail,
                "entity_id": entity,
                "case_id": maps["case"].get(row["case_id"]) if row["case_id"] else None,
                "clip_id": maps["clip"].get(row["clip_id"]) if row["clip_id"] else None,
                "run_id": maps["coding_run"].get(row["run_id"]) if row["run_id"] else None,
            }
        )
    if made and server:
        entries = json.dumps([{**r, "at": _iso(r["at"])} for r in made])
        conn.execute(text("SELECT vfa_carry_audit(:entries)"), {"entries": entries})
    elif made:
        conn.execute(insert(AuditEntry), made)


def known_on_server(conn: Connection, rows: list[Row]) -> set[int]:
    """Which of the other side's entries (by index) a team server holds already, those
    hidden from the person merging included (``vfa_audit_known``)."""
    if not rows:
        return set()
    keys = [
        {
            "at": _iso(r["at"]),
            "actor": r["actor"],
            "action": r["action"],
            "entity": r["entity"],
            "detail": dict(r["detail"] or {}),
        }
        for r in rows
    ]
    found = conn.execute(text("SELECT vfa_audit_known(:entries)"), {"entries": json.dumps(keys)})
    return {int(n) - 1 for (n,) in found}


def _iso(value: Any) -> str | None:
    """A stored time as ISO text with its zone (UTC when it has none), for the server."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return str(_aware(value).isoformat())


def _without(row: Row, *names: str) -> Row:
    return {k: v for k, v in row.items() if k not in names}
