"""What the person merging may bring: a merge's plan held to their role before anything
is written (the dry run included), on a managed workspace and on a team's server.

Refused, naming what and saying who may (nothing is written):

- someone else's coding on a team workspace: the server lets only a run's own coder
  change it (a run of theirs to add, to replace, or in conflict), so each coder merges
  their own laptop, connected as themselves (or the database's owner merges it);
- someone else's coding elsewhere needs ``Act.EXPORT_DATA`` (one's own is ``Act.CODE``);
- new cases, sessions or clips (``Act.ADD_CLIPS``), naming them;
- moments tagged or removed in the coding that arrives (``Act.TAG_MOMENTS``: they are a
  therapist's to choose, and go to the family's reel), naming the runs: the coder removes
  them where they were made and merges again.

Left out with a note, since they are not the person's coding and someone who may can
bring them by merging the same file (what is already here is skipped then):

- consent records (``Act.MANAGE_CONSENT``: a clinician records consent);
- reliability criteria (``Act.ASSIGN``);
- on a team workspace, audit entries made by other people, unless the person merging is
  an admin (an entry names whoever adds it; an admin carries others' over, marked as
  carried by them: ``vfa_carry_audit``).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy.orm import Session as DbSession

from vfa.services.merge_content import RunContent
from vfa.services.merge_plan import Plan, RunPlan
from vfa.services.merge_read import Snapshot
from vfa.services.merge_records import about_hidden, known_on_server
from vfa.services.merge_report import MergeError, coding_words
from vfa.services.people import Act, NotAllowedError, find_person, may, require
from vfa.storage.models import Role

WRITES = ("add", "take")


def hold_to_role(db: DbSession, plan: Plan, other: Snapshot, who: str, team: bool) -> None:
    """Refuse what ``who`` may not merge, and leave out (with a note) what waits for
    someone who may (see the module's note). ``team``: the connection is a person's own
    login on a team workspace, whose server holds its rules."""
    label = other.label
    others = [r for r in plan.runs if _coder(other, r) != who]
    if team:
        written = [r for r in others if r.action in (*WRITES, "conflict")]
        if written:
            raise MergeError(
                f"{label}: it holds other people's coding to bring here:\n  "
                + "\n  ".join(_run_line(other, r) for r in written)
                + f"\non this team workspace only a run's own coder changes it (the server "
                f"refuses anyone else), so nothing was merged: each coder merges their own "
                f"laptop connected as themselves, or the database's owner merges {label}"
            )
    act = Act.EXPORT_DATA if any(r.action in WRITES for r in others) else Act.CODE
    require(db, act, who)
    new = _new_places(plan, other)
    if new:
        _require(db, Act.ADD_CLIPS, who, f"{label}: it brings {new} that are not here")
    tagged = [r for r in plan.runs if r.action in WRITES and _moments_change(plan, other, r)]
    if tagged:
        lines = "\n  ".join(_run_line(other, r) for r in tagged)
        _require(
            db,
            Act.TAG_MOMENTS,
            who,
            f"{label}: its coding tags or removes moments, which go to the family's reel",
            f"; nothing was changed: remove the moments made in {label} and merge again. "
            f"The run(s):\n  {lines}",
        )
    if plan.consent and not may(db, Act.MANAGE_CONSENT, who):
        _leave_out_consent(plan, other, who)
    if plan.criteria and not may(db, Act.ASSIGN, who):
        _leave_out_criteria(plan, other, who)
    if team and plan.audit:
        _skip_known_entries(db, plan, other)
    if team and plan.audit:
        person = find_person(db, who)
        if person is None or person.role is not Role.ADMIN:
            _leave_out_entries(plan, other, who)


def _coder(other: Snapshot, run: RunPlan) -> str:
    return str(other.coders[other.runs[run.other_id]["coder_id"]]["name"])


def _run_line(other: Snapshot, run: RunPlan) -> str:
    """A coding in words: where, whose, with which scheme."""
    row = other.runs[run.other_id]
    return coding_words(
        other.where(row["clip_id"]), _coder(other, run), other.schemes[row["scheme_id"]]
    )


def _require(
    db: DbSession, act: Act, who: str, what: str, then: str = "; nothing was changed"
) -> None:
    """``require``, its refusal saying what of the merge needs the act, then ``then``."""
    try:
        require(db, act, who)
    except NotAllowedError as exc:
        raise NotAllowedError(f"{what}: {exc}{then}") from exc


def _new_places(plan: Plan, other: Snapshot) -> str:
    """The cases, sessions and clips the merge would add, in words ("" when none)."""
    parts = []
    cases = sorted(plan.case_codes[i] for i, v in plan.case_map.items() if v is None)
    if cases:
        parts.append(f"case(s) {', '.join(cases)}")
    sessions = [
        f"{other.cases[other.sessions[i]['case_id']]['code']} / {other.sessions[i]['label']}"
        for i, v in plan.session_map.items()
        if v is None and plan.case_map.get(other.sessions[i]["case_id"]) is not None
    ]
    if sessions:
        parts.append(f"session(s) {', '.join(sorted(sessions))}")
    clips = [
        " / ".join(other.where(i))
        for i, v in plan.clip_map.items()
        if v is None and plan.session_map.get(other.clips[i]["session_id"]) is not None
    ]
    if clips:
        parts.append(f"clip(s) {', '.join(sorted(clips))}")
    return "; ".join(parts)


def _moment_keys(content: RunContent) -> Counter[str]:
    return Counter(e.key for e in content.events if e.moment is not None)


def _moments_change(plan: Plan, other: Snapshot, run: RunPlan) -> bool:
    """Whether writing the run adds or removes a moment here."""
    theirs = _moment_keys(other.contents[run.other_id])
    if run.action == "add" or run.here_id is None:
        return bool(theirs)
    return theirs != _moment_keys(plan.here_contents[run.here_id])


def _leave_out_consent(plan: Plan, other: Snapshot, who: str) -> None:
    clips = sorted({" / ".join(other.where(r["clip_id"])) for r in plan.consent})
    plan.report.tallies["consent"].added -= len(plan.consent)
    plan.report.notes.append(
        f"{len(plan.consent)} consent record(s) of {other.label} were not brought in "
        f"({'; '.join(clips)}): consent is recorded by a therapist, supervisor or admin, "
        f"not by {who}; one of them merges {other.label} to bring them"
    )
    plan.consent = []


def _leave_out_criteria(plan: Plan, other: Snapshot, who: str) -> None:
    tally = plan.report.tallies["criteria"]
    for _row, replaces in plan.criteria:
        if replaces:
            tally.updated -= 1
        else:
            tally.added -= 1
    keys = ", ".join(sorted(row["scheme_key"] for row, _ in plan.criteria))
    plan.report.notes.append(
        f"{len(plan.criteria)} reliability criterion(s) of {other.label} were not brought in "
        f"({keys}): a supervisor or admin sets them, not {who}; one of them merges "
        f"{other.label} to bring them"
    )
    plan.criteria = []


def _skip_known_entries(db: DbSession, plan: Plan, other: Snapshot) -> None:
    """Leave out the entries the server holds already, those the policies hide from the
    person merging (about runs they may not see) included."""
    known = known_on_server(db.connection(), plan.audit)
    if not known:
        return
    tally = plan.report.tallies["audit"]
    for n in known:
        if not about_hidden(other, plan.audit[n]):
            tally.added -= 1
            tally.skipped += 1
    plan.audit = [r for n, r in enumerate(plan.audit) if n not in known]


def _leave_out_entries(plan: Plan, other: Snapshot, who: str) -> None:
    others = [r for r in plan.audit if r["actor"] != who]
    if not others:
        return
    plan.audit = [r for r in plan.audit if r["actor"] == who]
    plan.report.tallies["audit"].added -= sum(not about_hidden(other, r) for r in others)
    names = ", ".join(sorted({str(r["actor"] or "no one") for r in others}))
    plan.report.notes.append(
        f"{len(others)} audit entr{'y' if len(others) == 1 else 'ies'} of {other.label} made "
        f"by other people ({names}) were not carried over: on this team workspace an entry "
        f"names whoever adds it, and only an admin carries other people's over; an admin "
        f"merges {other.label} to bring them"
    )
