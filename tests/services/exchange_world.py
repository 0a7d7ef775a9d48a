"""A small workspace with coding of every kind, and a dump of every table, for the
import and export tests."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from vfa.domain.frames import FrameTable
from vfa.services import clips as clip_service
from vfa.services import coding, consent, events
from vfa.services.certification import set_criterion
from vfa.services.clips import clip_info
from vfa.services.schemes import get_scheme
from vfa.storage.workspace import Workspace


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (the migration table included), in rowid order."""
    with closing(sqlite3.connect(path)) as raw:
        tables = [
            r[0]
            for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        out = {}
        for table in tables:
            order = "rowid" if table != "workspace_info" else "key"
            out[table] = raw.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
        return out


GAZE = """
id: gaze
name: Gaze states
version: "1"
description: a test scheme
source: the test
ethogram:
  subjects: [parent, child]
  codes:
    - {id: look_parent, name: Looks at parent, hotkey: "A", kind: state, subjects: [child],
       group: gaze, verified: false,
       modifiers: [{id: affect, name: Affect, options: [positive, "neutral; calm"],
                    verified: false}]}
    - {id: look_toy, name: Looks at toy, hotkey: "S", kind: state, subjects: [child],
       group: gaze, verified: false}
    - {id: touch, name: Touches, hotkey: "D", kind: point, subjects: [parent], verified: false}
"""


def gaze_scheme():
    """The gaze scheme, written into the user's scheme folder (so VFA finds it)."""
    from vfa.services.schemes import get_scheme, user_schemes_dir

    folder = user_schemes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gaze.yaml").write_text(GAZE, encoding="utf-8")
    return get_scheme("gaze")


@dataclass
class World:
    ws: Workspace
    clip_id: int
    other_clip: int
    table: FrameTable
    vig_run: int
    kips_run: int
    gaze_run: int


def build_world(ws: Workspace, clips: dict[str, Path]) -> World:
    """Two clips; on the first a VIG run with moments (captions, modifiers none) and a
    KIPS run with ratings, a note and evidence; consent; a criterion."""
    first = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1", context="play")
    second = clip_service.add_clip(ws, clips["noaudio"], "FAM-2", "Visit 1")
    info = clip_info(ws, first.clip_id)
    vig, kips = get_scheme("vig"), get_scheme("kips")
    run = coding.open_run(ws, first.clip_id, vig, "Ann")
    made = events.code_event(ws, run.id, vig, "being_attentive", "child", 1000, info.frame_table)
    events.code_event(ws, run.id, vig, "waiting", "parent", 2500, info.frame_table)
    from vfa.services.moments import edit_moment

    edit_moment(ws, made.event.id, caption="=SUM(A1) she waits, “smiling”", feedback=True)
    rated = coding.open_run(ws, first.clip_id, kips, "Ann")
    items = [i.id for i in kips.ratings.items]
    coding.set_rating(ws, rated.id, kips, items[0], 4)
    coding.set_rating(ws, rated.id, kips, items[1], "NOB")
    coding.set_note(ws, rated.id, items[0], "turns to the toy, then to her")
    coding.link_evidence(ws, rated.id, items[0], made.event.id)
    gaze = gaze_scheme()
    looked = coding.open_run(ws, first.clip_id, gaze, "Ben")
    table = info.frame_table
    state = events.code_event(ws, looked.id, gaze, "look_parent", None, 500, table)
    events.set_modifiers(ws, looked.id, gaze, state.event.id, {"affect": "neutral; calm"})
    events.code_event(ws, looked.id, gaze, "look_toy", None, 1500, table)  # stops the first
    events.code_event(ws, looked.id, gaze, "touch", None, 2000, table)
    events.code_event(ws, looked.id, gaze, "look_parent", None, 3000, table)  # still running
    consent.set_consent(ws, first.clip_id, ["feedback", "research"], by="Ann")
    set_criterion(ws, "kips", "icc_2_1", 0.8, 4, by="Sue")
    return World(ws, first.clip_id, second.clip_id, table, run.id, rated.id, looked.id)
