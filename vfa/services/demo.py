"""The demo workspace: two families over three visits, with a generated clip each and
coding, feedback and consent that show every part of VFA.

DEMO-001 is filmed twice (Visit 1, then Visit 2 six weeks later), DEMO-002 once; each
visit's clip is a generated scene of a parent and an infant at play (``media/scene.py``),
its own seed, so no two clips have the same content. Their coding is in
``services/demo_coding.py``; here are the clips and the feedback: the therapist's VIG
moments on DEMO-001's first visit with strengths-based captions and lines for the
infant, three of them in the reel, the visit's theme, and consent for feedback on every
clip. Everything goes through the services, as a user's work would; each step looks
first and makes only what was never made (a clip, a run nobody has begun, the
therapist's moments, a clip's first consent), so making the demo again adds nothing
twice and leaves what someone trying VFA changed as it is. The demo refuses a workspace
that holds real cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import select

from vfa.errors import WorkspaceError
from vfa.media.scene_script import SceneScript, scene_script
from vfa.services.clips import AddedClip, add_clip, clip_info
from vfa.storage.models import Case
from vfa.storage.workspace import Workspace

DEMO_THERAPIST = "Demo therapist"
CLIPS_SHARE = 0.85  # of the progress: generating the clips; the rest is the coding


@dataclass(frozen=True)
class DemoVisit:
    """One filmed visit of the demo: case, session, filming date, cycle, the seed of its
    scene and the family acting it (``media/scene.FAMILIES``), how well the parent does
    on KIPS (the level its ratings are drawn around) and on how many KIPS items the coder
    is one and two points away from the trainer (fewer as the coder learns: the visits
    are coded in the order they were filmed)."""

    case: str
    session: str
    filmed: dt.date
    cycle: int
    seed: int
    family: int
    kips_level: float
    kips_gaps: tuple[int, int]

    @property
    def file_name(self) -> str:
        """The clip's file name in the demo's media folder."""
        return f"{self.case}-{self.session}.mp4".lower().replace(" ", "-")


VISITS = (
    DemoVisit("DEMO-001", "Visit 1", dt.date(2024, 3, 4), 1, 21, 0, 2.8, (4, 1)),
    DemoVisit("DEMO-001", "Visit 2", dt.date(2024, 4, 15), 2, 22, 0, 3.7, (2, 0)),
    DemoVisit("DEMO-002", "Visit 1", dt.date(2024, 3, 11), 1, 23, 1, 3.3, (3, 0)),
)
DEMO_CASES = tuple(dict.fromkeys(v.case for v in VISITS))


@dataclass(frozen=True)
class Moment:
    """A strength moment the therapist picked: the episode of the scene it covers, its
    VIG tags, caption, line for the infant, and whether it is in the reel."""

    episode: str
    tags: tuple[str, ...]
    caption: str
    child_line: str
    feedback: bool


MOMENTS = (
    Moment(
        "chat",
        ("vig:receiving_initiatives", "vig:returning_eye_contact"),
        "You talked, then waited, and she answered you: a real conversation",
        "I love it when we take turns",
        True,
    ),
    Moment(
        "pause",
        ("vig:waiting",),
        "She needed a little break; you gave her time, and she came back to you",
        "Thank you for waiting for me",
        True,
    ),
    Moment(
        "song",
        ("vig:warmth_through_intonation",),
        "Your song and your gentle hand kept her close and calm",
        "Your voice makes me feel safe",
        True,
    ),
    Moment(
        "tickle",
        ("vig:enjoying_watching",),
        "You both enjoyed the tickling game",
        "Again, again!",
        False,
    ),
)
THEME = "Following her lead"


def demo_media_dir(ws: Workspace) -> Path:
    """Beside a SQLite workspace, else in the user data folder."""
    if ws.path is not None:
        return ws.path.with_name(ws.path.stem + "-media")
    return user_data_path("vfa", appauthor=False) / "demo-media"


def create_demo(
    ws: Workspace, *, progress: Callable[[float], None] | None = None
) -> list[AddedClip]:
    """Generate what is missing of the demo (clips, coding, feedback) in ``ws``; return
    the visits' clips in catalogue order."""
    with ws.sessions() as db:
        others = db.scalars(select(Case.code).where(Case.code.not_in(DEMO_CASES)).limit(3)).all()
    if others:  # the demo never puts a made-up case into real work
        raise WorkspaceError(
            f"{ws.label}: holds real cases ({', '.join(others)}); the demo goes into a "
            "workspace of its own (leave out --workspace, or name a new file)"
        )
    report = progress or (lambda _f: None)
    files = _make_clips(demo_media_dir(ws), lambda f: report(CLIPS_SHARE * f))
    added = [
        add_clip(ws, files[v], v.case, v.session, context="play", date=v.filmed, cycle=v.cycle)
        for v in VISITS
    ]
    # the coding services bring the statistics (SciPy): loaded only when the demo is made
    from vfa.services.demo_coding import CodedVisit, plant_care_grid, plant_events, plant_kips

    scripts = {v: scene_script(v.seed) for v in VISITS}
    coded = [
        CodedVisit(a.clip_id, v.filmed, v.kips_level, v.kips_gaps, v.seed, scripts[v])
        for v, a in zip(VISITS, added, strict=True)
    ]
    plant_kips(ws, coded)
    report(0.9)
    plant_events(ws, coded[0])
    plant_care_grid(ws, coded[2])
    report(0.95)
    _plant_feedback(ws, added, scripts[VISITS[0]])
    report(1.0)
    return added


def _make_clips(folder: Path, progress: Callable[[float], None]) -> dict[DemoVisit, Path]:
    """Each visit's clip, generated where missing (side by side)."""
    paths = {v: folder / v.file_name for v in VISITS}
    missing = [v for v in VISITS if not paths[v].exists()]
    if not missing:
        return paths
    from vfa.media.scene_batch import SceneJob, make_scene_clips  # OpenCV loads when needed

    parts = {v: paths[v].with_suffix(".part.mp4") for v in missing}
    try:
        make_scene_clips([SceneJob(parts[v], v.seed, v.family) for v in missing], progress)
        for visit, part in parts.items():
            part.replace(paths[visit])
    finally:
        for part in parts.values():
            part.unlink(missing_ok=True)
    return paths


def _plant_feedback(ws: Workspace, added: list[AddedClip], script: SceneScript) -> None:
    """The therapist's moments and reel on the first visit and its theme, unless the
    therapist has coded it before; consent for feedback on every clip without any."""
    from vfa.services.coding import find_run
    from vfa.services.consent import consent_for, set_consent
    from vfa.services.moments import set_theme
    from vfa.services.schemes import get_scheme

    first = added[0]
    if find_run(ws, first.clip_id, get_scheme("vig"), DEMO_THERAPIST) is None:
        _add_moments(ws, first, script)
        set_theme(ws, first.session_id, THEME)
    for visit, clip in zip(VISITS, added, strict=True):
        if consent_for(ws, clip.clip_id) is None:  # a withdrawal is an answer too
            set_consent(ws, clip.clip_id, ["feedback"], given_on=visit.filmed, by=DEMO_THERAPIST)


def _add_moments(ws: Workspace, first: AddedClip, script: SceneScript) -> None:
    """The therapist's moments, in time order (so the reel is too)."""
    from vfa.services.moments import add_moment

    duration = clip_info(ws, first.clip_id).duration_ms
    for moment in sorted(MOMENTS, key=lambda m: script.episode(m.episode).start_ms):
        span = script.episode(moment.episode)
        add_moment(
            ws,
            first.clip_id,
            list(moment.tags),
            span.start_ms,
            min(span.end_ms, duration),
            caption=moment.caption,
            child_line=moment.child_line,
            feedback=moment.feedback,
            coder=DEMO_THERAPIST,
        )
