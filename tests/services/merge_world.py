"""A team workspace where Ann and Ben code one clip blind (KIPS and VIG) and a therapist's
moment sits on a second clip, the laptop Ann takes it to, and what both hold, for the
merge and checkout tests."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding, events, moments
from vfa.services.merge_content import read_contents
from vfa.services.schemes import get_scheme
from vfa.storage.models import (
    Annotation,
    AuditEntry,
    Case,
    Clip,
    CodingRun,
    ConsentRecord,
    Moment,
    Rating,
    Session,
)
from vfa.storage.workspace import Workspace

BEN_SECRET = "BEN-SECRET-"  # every text of Ben's blind coding starts with it


@dataclass
class Team:
    ws: Workspace
    x: int  # coded blind by Ann and Ben
    z: int  # the therapist's clip, same session
    ann_kips: int
    ben_kips: int
    ann_vig: int
    ben_vig: int


def build_team(ws: Workspace, clips: dict[str, Path]) -> Team:
    """Ann and Ben assigned KIPS and VIG on X, blind; Ben has coded some; Ann rated one
    item; Tess has a moment for feedback on Z."""
    kips, vig = get_scheme("kips"), get_scheme("vig")
    x = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1")
    z = clip_service.add_clip(ws, clips["noaudio"], "FAM-1", "Visit 1")
    ann_kips, ben_kips = asg.assign(ws, [x.clip_id], kips, ["Ann", "Ben"], by="Sue")
    ann_vig, ben_vig = asg.assign(ws, [x.clip_id], vig, ["Ann", "Ben"], by="Sue")
    coding.set_rating(ws, ann_kips.id, kips, kips.ratings.items[0].id, 3)
    for item in kips.ratings.items[:4]:
        coding.set_rating(ws, ben_kips.id, kips, item.id, 2)
    coding.set_note(ws, ben_kips.id, kips.ratings.items[0].id, f"{BEN_SECRET}note")
    moments.add_moment(
        ws, x.clip_id, ["vig:waiting"], 200, 1_200, caption=f"{BEN_SECRET}caption",
        feedback=True, coder="Ben",
    )  # fmt: skip
    moments.add_moment(
        ws, z.clip_id, ["vig:waiting"], 0, 1_000, caption="Tess on Z", feedback=True, coder="Tess"
    )
    return Team(
        ws, x.clip_id, z.clip_id, ann_kips.id, ben_kips.id, ann_vig.id, ben_vig.id
    )  # fmt: skip


def run_of(ws: Workspace, clip_id: int, scheme_id: str, coder: str) -> int:
    """The coder's run of the clip with the scheme."""
    found = coding.find_run(ws, clip_id, get_scheme(scheme_id), coder)
    assert found is not None, (clip_id, scheme_id, coder)
    return found.id


def only_clip(ws: Workspace, name: str) -> int:
    """The id of the clip whose file has this name."""
    with ws.sessions() as db:
        return next(c.id for c in db.scalars(select(Clip)) if c.name == name)


def code_on(ws: Workspace, clip_id: int, coder: str, caption: str, at: int = 2_000) -> None:
    """Some of everything by ``coder`` on the clip: a KIPS rating with a note and
    evidence, a VIG event and a moment for feedback."""
    kips, vig = get_scheme("kips"), get_scheme("vig")
    table = clip_service.clip_info(ws, clip_id).frame_table
    kips_run = run_of(ws, clip_id, "kips", coder)
    vig_run = run_of(ws, clip_id, "vig", coder)
    made = events.code_event(ws, vig_run, vig, "being_attentive", "child", at, table)
    coding.set_rating(ws, kips_run, kips, kips.ratings.items[1].id, 4)
    coding.set_note(ws, kips_run, kips.ratings.items[1].id, f"{caption} note")
    coding.link_evidence(ws, kips_run, kips.ratings.items[1].id, made.event.id)
    moments.add_moment(
        ws, clip_id, ["vig:waiting"], at, at + 1_000, caption=caption, feedback=True, coder=coder
    )


def digest(ws: Workspace, run_id: int) -> str:
    """The run's content digest as the merge sees it."""
    with ws.sessions() as db:
        status = db.get_one(CodingRun, run_id).status
        return read_contents(db.connection(), {run_id: status})[run_id].digest()


def counts(ws: Workspace) -> dict[str, int]:
    """Rows per table that a merge writes."""
    with ws.sessions() as db:
        return {
            m.__tablename__: int(db.scalar(select(func.count()).select_from(m)) or 0)
            for m in (
                Case,
                Session,
                Clip,
                CodingRun,
                Annotation,
                Moment,
                Rating,
                ConsentRecord,
                AuditEntry,
            )
        }


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in rowid order."""
    with closing(sqlite3.connect(path)) as raw:
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: raw.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
            for t in sorted(tables)
            if t != "workspace_info"
        } | {"info": raw.execute("SELECT * FROM workspace_info ORDER BY key").fetchall()}


def reel_captions(ws: Workspace, session_id: int) -> list[str | None]:
    """The session's reel as stored (every coder's moments), in reel order."""
    with ws.sessions() as db:
        rows = db.execute(
            select(Annotation.caption)
            .join(Moment, Moment.annotation_id == Annotation.id)
            .join(CodingRun, CodingRun.id == Annotation.run_id)
            .join(Clip, Clip.id == CodingRun.clip_id)
            .where(Clip.session_id == session_id, Moment.feedback.is_(True))
            .order_by(Moment.reel_position, Annotation.id)
        )
        return [r[0] for r in rows]


def reel_version(ws: Workspace, session_id: int) -> int:
    """The session's reel version."""
    with ws.sessions() as db:
        return db.get_one(Session, session_id).reel_version


def team_and_checkout(folder: Path, clips: dict[str, Path]) -> Path:
    """The team workspace file (``build_team``) and Ann's checkout of it, in ``folder``."""
    from vfa.services.checkout import checkout
    from vfa.storage.workspace import open_workspace

    ws = open_workspace(folder / "team.vfa", create=True)
    try:
        build_team(ws, clips)
        checkout(ws, "Ann", folder / "laptop.vfa", viewer="Ann")
    finally:
        ws.close()
    return folder
