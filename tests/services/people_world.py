"""A managed workspace: one person of each role (Ada the admin, Sue the supervisor, Cal
the coder, Tia the therapist), a clip of case FAM-1 with the family's consent for
feedback, and Ann's and Ben's submitted KIPS coding of it (double-coded, so agreement
can be read). Everything is made while the workspace is still personal; the admin,
added last, makes it managed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from vfa.services import assignments, coding, consent, people
from vfa.services import clips as clip_service
from vfa.services.schemes import get_scheme
from vfa.storage.models import Base, Role
from vfa.storage.workspace import Workspace

NAMES = {Role.ADMIN: "Ada", Role.SUPERVISOR: "Sue", Role.CODER: "Cal", Role.THERAPIST: "Tia"}


@dataclass
class World:
    ws: Workspace
    clip: int
    session: int
    file: Path  # the clip's video
    other_file: Path  # another video, not yet in the workspace
    ann_run: int
    ben_run: int


def build_world(ws: Workspace, clips, managed: bool = True) -> World:
    """The world above, managed (else without the admin: a personal workspace)."""
    added = clip_service.add_clip(ws, clips["noaudio"], "FAM-1", "Visit 1")
    kips = get_scheme("kips")
    ann, ben = assignments.assign(ws, [added.clip_id], kips, ["Ann", "Ben"], blind=False)
    for run in (ann, ben):
        for n, item in enumerate(kips.ratings.items):
            coding.set_rating(ws, run.id, kips, item.id, 1 + (n + run.id) % 5)
        coding.submit_run(ws, run.id, actor=run.coder)
    consent.set_consent(ws, added.clip_id, ["feedback"], by="Tia")
    for role in (Role.SUPERVISOR, Role.CODER, Role.THERAPIST):
        people.add_person(ws, NAMES[role], role)
    people.add_person(ws, "Ann", Role.CODER)
    people.add_person(ws, "Ben", Role.CODER)
    if managed:
        people.add_person(ws, NAMES[Role.ADMIN], Role.ADMIN)  # the first admin: managed now
    return World(
        ws, added.clip_id, added.session_id, clips["noaudio"], clips["cfr25"], ann.id, ben.id
    )


def row_counts(ws: Workspace) -> dict[str, int]:
    """Every table's number of rows (what "nothing stored changes" is checked on)."""
    with ws.sessions() as db:
        return {
            table.name: db.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }
