"""Planning a merge: what of the other workspace matches what here, what is new, what is
the same, and which runs changed on both sides. Nothing is written here.

Cases match by code whatever the capitals (as ``clips.find_case``), sessions by label
(capitals and spacing aside), clips by content (``merge_read.clip_matches``) within their
session, schemes by id, version and content hash, people by name, runs by clip × scheme ×
person. A run present on both sides with other content is decided against its *base*, its
digest when the two sides parted (recorded at checkout, and again at each merge): unchanged
here since → the other side's is taken; unchanged there since → this side's is kept; changed
on both → a conflict. Two workspaces with no common base conflict on any run whose content
differs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session as DbSession

from vfa.services.blind import BlindView, blind_view
from vfa.services.clips import validate_case_code
from vfa.services.merge_content import RunContent, read_contents
from vfa.services.merge_read import (
    CHECKOUT_KEY,
    MERGED_PREFIX,
    Here,
    Row,
    Snapshot,
    clip_matches,
    find_session,
    read_here,
    runs_on,
    scheme_key,
)
from vfa.services.merge_records import common_count, plan_audit, plan_consent, plan_criteria
from vfa.services.merge_report import Conflict, MergeError, MergeReport
from vfa.storage.models import Role, RunStatus

_HEX = re.compile(r"^[0-9a-f]{1,64}$")


@dataclass
class RunPlan:
    """One run of the other workspace and what the merge does with it."""

    other_id: int
    here_id: int | None
    action: str  # add, take (theirs replaces ours), same, keep (ours is newer), conflict
    digest: str  # the other side's
    hidden: bool


@dataclass
class Plan:
    """Everything the writing step needs: the matches and the decisions."""

    report: MergeReport
    case_map: dict[int, int | None] = field(default_factory=dict)  # other id -> here (None: new)
    case_codes: dict[int, str] = field(default_factory=dict)  # the code a new case takes
    session_map: dict[int, int | None] = field(default_factory=dict)
    clip_map: dict[int, int | None] = field(default_factory=dict)
    scheme_map: dict[int, int | None] = field(default_factory=dict)
    coder_map: dict[int, int | None] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)  # a new person's role
    runs: list[RunPlan] = field(default_factory=list)
    here_contents: dict[int, RunContent] = field(default_factory=dict)
    consent: list[Row] = field(default_factory=list)
    criteria: list[tuple[Row, bool]] = field(default_factory=list)  # (row, replaces ours)
    audit: list[Row] = field(default_factory=list)
    base_key: str | None = None  # workspace_info key the bases agreed now go to
    bases: dict[str, str] = field(default_factory=dict)  # run id (as that key has it) -> digest

    def writes(self) -> bool:
        """Whether the merge has anything to write."""
        new = any(
            v is None
            for m in (
                self.case_map,
                self.session_map,
                self.clip_map,
                self.scheme_map,
                self.coder_map,
            )
            for v in m.values()
        )
        runs = any(r.action in ("add", "take") for r in self.runs)
        return new or runs or bool(self.consent or self.criteria or self.audit)


# -- the base ----------------------------------------------------------------------------


def _checkout_record(text: str | None, where: str) -> dict[str, Any] | None:
    """A checkout record, checked; None when there is none."""
    if text is None:
        return None
    problem = "it is not JSON"
    try:
        data = json.loads(text)
        problem = "it does not hold a checkout's id and runs"
        if isinstance(data, dict) and isinstance(data.get("id"), str) and _HEX.match(data["id"]):
            runs = data.get("runs")
            if isinstance(runs, dict) and all(
                isinstance(k, str) and isinstance(v, str) and _HEX.match(v) for k, v in runs.items()
            ):
                return data
    except ValueError:
        pass
    raise MergeError(
        f"{where}: workspace_info '{CHECKOUT_KEY}': {problem}, so it is no checkout VFA made; "
        "nothing was changed"
    )


def _merged_record(text: str | None, where: str, key: str) -> dict[str, str]:
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise MergeError(f"{where}: workspace_info '{key}': not a record of merged runs")
    return data


# -- planning ---------------------------------------------------------------------------


class Planner:
    """Matches the other workspace's content against this one's, in ``db``."""

    def __init__(
        self,
        db: DbSession,
        other: Snapshot,
        viewer: str,
        renames: Mapping[str, str],
        same_cases: set[str],
        report: MergeReport,
    ) -> None:
        self.db, self.conn, self.other, self.viewer = db, db.connection(), other, viewer
        self.renames = {k.lower(): v for k, v in renames.items()}
        self.same_cases = {c.lower() for c in same_cases}
        self.given = {k.lower(): k for k in [*renames, *same_cases]}  # as typed, for messages
        self.typed_renames = list(renames)
        self.plan = Plan(report)
        self.here: Here = read_here(db, [self.code_of(i) for i in other.cases])

    def code_of(self, case_id: int) -> str:
        """The code the other side's case comes in under (renamed when asked)."""
        code = str(self.other.cases[case_id]["code"])
        return self.renames.get(code.lower(), code)

    def run(self) -> Plan:
        """Plan the whole merge."""
        self._check_renames()
        self._people()
        self._schemes()
        self._cases()
        self._runs()
        matched = {o: h for o, h in self.plan.clip_map.items() if h is not None}
        self.plan.consent = plan_consent(self.conn, self.other, matched, self.plan.report)
        self.plan.criteria = plan_criteria(self.other, self.here.criteria, self.plan.report)
        self.plan.audit = plan_audit(self.conn, self.other, self.plan.report)
        return self.plan

    # -- names, people, schemes -----------------------------------------------------------

    def _check_renames(self) -> None:
        codes = {str(c["code"]).lower() for c in self.other.cases.values()}
        for old, new in self.renames.items():
            if old not in codes:
                given = self.given[old]
                raise MergeError(f"--rename-case {given}: {self.other.label} holds no case {given}")
            validate_case_code(new)
        for same in self.same_cases:
            if same not in codes:
                given = self.given[same]
                raise MergeError(f"--same-case {given}: {self.other.label} holds no case {given}")
            if same in self.renames:
                renamed = next(k for k in self.typed_renames if k.lower() == same)
                raise MergeError(
                    f"--rename-case {renamed} and --same-case {self.given[same]}: an incoming "
                    "case is either another family (give it a new code) or the same family as "
                    "here, not both; nothing was changed"
                )
        arriving = [self.code_of(i).lower() for i in self.other.cases]
        twice = sorted({c for c in arriving if arriving.count(c) > 1})
        if twice:
            raise MergeError(
                f"--rename-case: two of {self.other.label}'s cases would both be "
                f"{', '.join(twice)}; give each its own code"
            )

    def _people(self) -> None:
        tally = self.plan.report.tallies["people"]
        used = {r["coder_id"] for r in self.other.runs.values()}
        missing = []
        for coder_id, row in self.other.coders.items():
            found = self.here.coders.get(row["name"])
            if found is not None:
                self.plan.coder_map[coder_id] = found
                tally.skipped += 1
            elif self.here.managed:
                if coder_id in used:
                    missing.append(row["name"])
            else:
                self.plan.coder_map[coder_id] = None
                role = str(getattr(row["role"], "value", row["role"]))
                if role == Role.ADMIN.value:  # a merge never makes anyone an admin
                    role = Role.SUPERVISOR.value
                    self.plan.report.notes.append(
                        f"{row['name']} is an admin in {self.other.label}; here a supervisor "
                        "(an admin is made with vfa people)"
                    )
                self.plan.roles[coder_id] = role
                tally.added += 1
        if missing:
            raise MergeError(
                f"{self.other.label}: {', '.join(sorted(missing))} coded there but "
                f"{'is' if len(missing) == 1 else 'are'} not one of this workspace's people; "
                "an admin adds them first (vfa people add NAME --role ROLE); nothing was changed"
            )

    def _schemes(self) -> None:
        tally = self.plan.report.tallies["schemes"]
        for scheme_id, row in self.other.schemes.items():
            found = self.here.schemes.get(scheme_key(row))
            self.plan.scheme_map[scheme_id] = found
            if found is None:
                tally.added += 1
            else:
                tally.skipped += 1

    # -- cases, sessions, clips -----------------------------------------------------------

    def _cases(self) -> None:
        clashes: list[str] = []
        checkout = _checkout_record(self.other.info.get(CHECKOUT_KEY), self.other.label)
        trusted = {c.lower() for c in (checkout or {}).get("cases", []) if isinstance(c, str)}
        tallies = self.plan.report.tallies
        for case_id in sorted(self.other.cases, key=lambda i: self.code_of(i).lower()):
            code = self.code_of(case_id)
            found = self.here.cases.get(code.lower(), [])
            exact = [c for c in found if c["code"] == code]
            if len(found) > 1 and not exact:
                names = " and ".join(repr(c["code"]) for c in found)
                raise MergeError(
                    f"case {code}: this workspace holds {names}, which differ only in capitals; "
                    f"give {self.other.label}'s case one of them (--rename-case {code}=CODE)"
                )
            here_case = (exact or found)[0] if found else None
            sessions = [s for s in self.other.sessions.values() if s["case_id"] == case_id]
            if here_case is None:
                self.plan.case_map[case_id] = None
                self.plan.case_codes[case_id] = code
                tallies["cases"].added += 1
                for s in sessions:
                    self._new_session(s)
                continue
            self.plan.case_map[case_id] = here_case["id"]
            tallies["cases"].skipped += 1
            if self._clash(here_case, sessions) and code.lower() not in trusted | self.same_cases:
                clashes.append(code)
            for s in sessions:
                self._session(s, here_case)
        if len(clashes) == 1:
            first = clashes[0]
            raise MergeError(
                f"{self.other.label}: case {first} is in both workspaces but none of its clips "
                "are the same video, so they look like different families; nothing was merged. "
                f"Give the incoming case another code (vfa merge --rename-case {first}=NEW-CODE), "
                f"or, if it is the same family filmed again, say so (--same-case {first})"
            )
        if clashes:
            codes = ", ".join(clashes[:-1]) + f" and {clashes[-1]}"
            first = clashes[0]
            raise MergeError(
                f"{self.other.label}: cases {codes} are in both workspaces but none of their "
                "clips are the same video, so they look like different families; nothing was "
                "merged. Give each such incoming case another code (vfa merge --rename-case "
                f"{first}=NEW-CODE, once for each), or, for one that is the same family filmed "
                f"again, say so (--same-case {first})"
            )

    def _clash(self, here_case: Row, sessions: list[Row]) -> bool:
        ours = [
            c
            for s in self.here.sessions.get(here_case["id"], [])
            for c in self.here.clips.get(s["id"], [])
        ]
        theirs = [
            c for c in self.other.clips.values() if c["session_id"] in {s["id"] for s in sessions}
        ]
        if not ours or not theirs:
            return False
        return not any(clip_matches(a, b) for a in theirs for b in ours)

    def _new_session(self, session: Row) -> None:
        self.plan.session_map[session["id"]] = None
        self.plan.report.tallies["sessions"].added += 1
        for clip in self.other.clips.values():
            if clip["session_id"] == session["id"]:
                self.plan.clip_map[clip["id"]] = None
                self.plan.report.tallies["clips"].added += 1

    def _session(self, session: Row, here_case: Row) -> None:
        found = find_session(self.here.sessions.get(here_case["id"], []), session["label"])
        if found is None:
            self._new_session(session)
            return
        self.plan.session_map[session["id"]] = found["id"]
        self.plan.report.tallies["sessions"].skipped += 1
        free = list(self.here.clips.get(found["id"], []))
        for clip in self.other.clips.values():
            if clip["session_id"] != session["id"]:
                continue
            match = next((c for c in free if clip_matches(clip, c)), None)
            if match is None:
                self.plan.clip_map[clip["id"]] = None
                self.plan.report.tallies["clips"].added += 1
            else:
                free.remove(match)
                self.plan.clip_map[clip["id"]] = match["id"]
                self.plan.report.tallies["clips"].skipped += 1

    # -- runs -----------------------------------------------------------------------------

    def _bases(self) -> tuple[dict[str, str], bool]:
        """The bases by run id, and whether they are keyed by the other side's ids."""
        other = _checkout_record(self.other.info.get(CHECKOUT_KEY), self.other.label)
        if other is not None:
            key = MERGED_PREFIX + other["id"]
            agreed = _merged_record(self.here.info.get(key), "this workspace", key)
            self.plan.base_key = key
            self.plan.bases = dict(agreed)
            return {**other["runs"], **agreed}, True
        mine = _checkout_record(self.here.info.get(CHECKOUT_KEY), "this workspace")
        if mine is not None:
            self.plan.base_key = CHECKOUT_KEY
            return dict(mine["runs"]), False
        return {}, False

    def _runs(self) -> None:
        matched = sorted({i for i in self.plan.clip_map.values() if i is not None})
        here_runs = {
            (r["clip_id"], (r["scheme_key"], r["version"], r["content_hash"]), r["coder"]): r
            for r in runs_on(self.conn, matched)
        }
        view = blind_view(self.db, self.viewer, matched)
        pairs: list[tuple[int, Row | None]] = []
        for run_id, run in sorted(self.other.runs.items()):
            clip = self.plan.clip_map[run["clip_id"]]
            ident = scheme_key(self.other.schemes[run["scheme_id"]])
            name = self.other.coders[run["coder_id"]]["name"]
            pairs.append((run_id, here_runs.get((clip, ident, name)) if clip else None))
        self.plan.here_contents = read_contents(
            self.conn, {r["id"]: r["status"] for _, r in pairs if r is not None}
        )
        bases, by_other = self._bases()
        for run_id, ours in pairs:
            theirs = self.other.contents[run_id]
            digest = theirs.digest()
            hidden = run_id in self.other.hidden or (
                view.hides(ours["id"], ours["clip_id"], ours["coder"])
                if ours is not None
                else self._hidden_here(run_id, view)
            )
            base = bases.get(str(run_id if by_other else (ours or {}).get("id")))
            if ours is None:  # new there, or (with a base) removed here since
                action = "add" if base is None else "keep" if digest == base else "conflict"
                reason = "removed here, and changed there since they parted"
            else:
                mine = self.plan.here_contents[ours["id"]].digest()
                reason = (
                    "changed in both workspaces since they parted"
                    if base is not None
                    else "different in the two workspaces, which share no checkout"
                )
                if mine == digest:
                    action = "same"
                elif base is not None and mine == base:
                    action = "take"
                elif base is not None and digest == base:
                    action = "keep"
                else:
                    action = "conflict"
            plan = RunPlan(run_id, None if ours is None else ours["id"], action, digest, hidden)
            self.plan.runs.append(plan)
            if action == "conflict":
                case, session, clip_name = self.other.where(self.other.runs[run_id]["clip_id"])
                scheme = self.other.schemes[self.other.runs[run_id]["scheme_id"]]
                self.plan.report.conflicts.append(
                    Conflict(
                        case,
                        session,
                        clip_name,
                        f"{scheme['scheme_key']} {scheme['version']}",
                        self.other.coders[self.other.runs[run_id]["coder_id"]]["name"],
                        reason,
                        scheme["name"],
                        scheme["version"],
                    )
                )
            self._tally_run(plan)

    def _hidden_here(self, run_id: int, view: BlindView) -> bool:
        """Whether a run new here would be hidden from the person merging once here: they
        code its clip blind, or it is blind coding still open here."""
        run = self.other.runs[run_id]
        coder = self.other.coders[run["coder_id"]]["name"]
        clip = self.plan.clip_map[run["clip_id"]]
        if coder == view.viewer or clip is None:
            return False
        scheme = self.other.schemes[run["scheme_id"]]["scheme_key"]
        still_open = run["status"] is not RunStatus.SUBMITTED or (clip, scheme) in view.pending
        return clip in view.blinded or (bool(run["blind"]) and still_open)

    def _tally_run(self, plan: RunPlan) -> None:
        tallies = self.plan.report.tallies
        if plan.hidden:
            self.plan.report.hidden_runs += 1
            return
        if plan.action == "conflict":  # listed as a conflict, counted nowhere else
            return
        theirs = self.other.contents[plan.other_id]
        if plan.action == "add":
            tallies["runs"].added += 1
            tallies["events"].added += len(theirs.events)
            tallies["moments"].added += sum(e.moment is not None for e in theirs.events)
            tallies["ratings"].added += len(theirs.ratings)
            return
        if plan.action != "take":
            tallies["runs"].skipped += 1
            return
        tallies["runs"].updated += 1
        ours = self.plan.here_contents[plan.here_id or 0]
        for kind, keep in (("events", lambda e: True), ("moments", lambda e: e.moment)):
            a = [e.key for e in theirs.events if keep(e)]
            b = [e.key for e in ours.events if keep(e)]
            common = common_count(a, b)
            tallies[kind].skipped += common
            tallies[kind].added += len(a) - common
            tallies[kind].removed += len(b) - common
        for item, rating in theirs.ratings.items():
            old = ours.ratings.get(item)
            if old is None:
                tallies["ratings"].added += 1
            elif ours.rating_key(old) == theirs.rating_key(rating):
                tallies["ratings"].skipped += 1
            else:
                tallies["ratings"].updated += 1
        tallies["ratings"].removed += len(set(ours.ratings) - set(theirs.ratings))
