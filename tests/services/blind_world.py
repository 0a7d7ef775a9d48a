"""A workspace where Ann and Ben code clip X blind (KIPS ratings and VIG moments), a
therapist's moments sit on X and Z (one feedback session) and on Y (another), and Ann's
blind coding is one of two variants of different content and size. Whatever Ben (or a
supervisor) can read must not depend on the variant: that is what "invisible" means."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding, events, moments
from vfa.services.schemes import get_scheme
from vfa.storage.workspace import Workspace

SECRET = "ANN-"  # every text of Ann's blind coding starts with it
TESS_ON_X = "TESS-X-"  # the therapist's moment on clip X: hidden from Ben, not from Sue
BEN_OWN = "BEN-OWN-"  # Ben's own blind coding: hidden from Ann and Sue


@dataclass
class World:
    ws: Workspace
    x: int  # clip coded blind by Ann and Ben (session 1)
    y: int  # clip of session 2, coded openly by Tess
    z: int  # second clip of session 1, Tess's moment
    s1: int
    s2: int
    ann_kips: int
    ben_kips: int
    ann_vig: int
    ben_vig: int
    tess_x_moment: int
    ben_moment: int
    ann_moments: list[int] = field(default_factory=list)
    ann_events: list[int] = field(default_factory=list)


def build_world(ws: Workspace, clips: dict[str, Path], variant: int) -> World:
    """The same world up to Ann's blind coding, whose content depends on ``variant``."""
    kips, vig = get_scheme("kips"), get_scheme("vig")
    x = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1", date=_date(1))
    z = clip_service.add_clip(ws, clips["ntsc"], "FAM-1", "Visit 1")
    y = clip_service.add_clip(ws, clips["vfr"], "FAM-1", "Visit 2", date=_date(2))
    ann_kips, ben_kips = asg.assign(ws, [x.clip_id], kips, ["Ann", "Ben"], by="Sue")
    ann_vig, ben_vig = asg.assign(ws, [x.clip_id], vig, ["Ann", "Ben"], by="Sue")
    # Ben's own blind coding
    for item in kips.ratings.items[:6]:
        coding.set_rating(ws, ben_kips.id, kips, item.id, 2)
    coding.set_note(ws, ben_kips.id, kips.ratings.items[0].id, f"{BEN_OWN}note")
    ben_moment = moments.add_moment(
        ws, x.clip_id, ["vig:waiting"], 200, 1_200, caption=f"{BEN_OWN}caption",
        feedback=True, coder="Ben",
    )  # fmt: skip
    # the therapist's open coding: on X (hidden from Ben while he codes X blind), Z and Y
    tess_x = moments.add_moment(
        ws, x.clip_id, ["vig:waiting"], 1_000, 2_000, caption=f"{TESS_ON_X}caption",
        child_line=f"{TESS_ON_X}child", feedback=True, coder="Tess",
    )  # fmt: skip
    moments.add_moment(
        ws, z.clip_id, ["vig:waiting"], 0, 1_000, caption="Tess on Z", feedback=True,
        coder="Tess",
    )  # fmt: skip
    moments.add_moment(ws, y.clip_id, ["vig:waiting"], 0, 1_000, caption="Tess on Y", coder="Tess")
    tess_y = coding.open_run(ws, y.clip_id, kips, "Tess")
    for item in kips.ratings.items:
        coding.set_rating(ws, tess_y.id, kips, item.id, 4)
    coding.submit_run(ws, tess_y.id)
    world = World(
        ws, x.clip_id, y.clip_id, z.clip_id, x.session_id, y.session_id, ann_kips.id,
        ben_kips.id, ann_vig.id, ben_vig.id, tess_x.id, ben_moment.id,
    )  # fmt: skip
    _ann(world, variant)
    return world


def _ann(world: World, variant: int) -> None:
    """Ann's blind coding: as many rows in both variants (so later ids agree), but other
    values, texts and counts."""
    ws = world.ws
    kips, vig = get_scheme("kips"), get_scheme("vig")
    value = 5 if variant == 1 else 1
    for n, item in enumerate(kips.ratings.items):
        coding.set_rating(ws, world.ann_kips, kips, item.id, value if n % 3 else "NOB")
        coding.set_note(ws, world.ann_kips, item.id, f"{SECRET}note-{variant}-{n}")
    table = clip_service.clip_info(ws, world.x).frame_table
    for n in range(4):
        made = events.code_event(
            ws, world.ann_vig, vig, "waiting", None, 500 + 1_000 * n + 40 * variant, table
        )
        world.ann_events.append(made.event.id)
    for n in range(3):
        m = moments.add_moment(
            ws, world.x, ["vig:waiting"], 300 * n + variant * 40, 300 * n + 900,
            caption=f"{SECRET}caption-{variant}-{n}", child_line=f"{SECRET}child-{variant}",
            comment=f"{SECRET}comment-{variant}", feedback=n != 1 or variant == 1, coder="Ann",
        )  # fmt: skip
        world.ann_moments.append(m.id)
    if variant == 2:  # fewer events and moments, the last ones kept
        events.delete_event(ws, world.ann_vig, world.ann_events[1])
        events.delete_event(ws, world.ann_vig, world.ann_moments[0])


def _date(n: int):
    import datetime as dt

    return dt.date(2026, 1, n)
