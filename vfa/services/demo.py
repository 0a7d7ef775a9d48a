"""The demo workspace: one case, one session, one locally generated clip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import select

from vfa.errors import WorkspaceError
from vfa.services.clips import AddedClip, add_clip
from vfa.storage.models import Case
from vfa.storage.workspace import Workspace

DEMO_CASE = "DEMO-001"
DEMO_SESSION = "Visit 1"
DEMO_THERAPIST = "Demo therapist"
DEMO_SECONDS = 20


def demo_media_dir(ws: Workspace) -> Path:
    """Beside a SQLite workspace, else in the user data folder."""
    if ws.path is not None:
        return ws.path.with_name(ws.path.stem + "-media")
    return user_data_path("vfa", appauthor=False) / "demo-media"


def create_demo(ws: Workspace, *, progress: Callable[[float], None] | None = None) -> AddedClip:
    """Generate the demo clip (moving shapes and a tone) and add it to the demo case."""
    with ws.sessions() as db:
        others = db.scalars(select(Case.code).where(Case.code != DEMO_CASE).limit(3)).all()
    if others:  # the demo never puts a made-up case into real work
        raise WorkspaceError(
            f"{ws.label}: holds real cases ({', '.join(others)}); the demo goes into a "
            "workspace of its own (leave out --workspace, or name a new file)"
        )
    clip = demo_media_dir(ws) / "demo-play.mp4"
    if not clip.exists():
        from vfa.media.synth import make_clip  # OpenCV loads only when a clip is generated

        tmp = clip.with_suffix(".part.mp4")
        make_clip(
            tmp,
            seconds=DEMO_SECONDS,
            width=854,
            height=480,
            rate=25,
            gop=50,
            audio=True,
            barcode=True,
            preset="ultrafast",
            progress=progress,
        )
        tmp.replace(clip)
    added = add_clip(ws, clip, DEMO_CASE, DEMO_SESSION, context="play", cycle=1)
    if not added.already_present:
        _demo_feedback(ws, added.clip_id)
    return added


def _demo_feedback(ws: Workspace, clip_id: int) -> None:
    """Two strength moments, one in the reel, and consent for feedback: the Moments and
    Reel tabs and presentation mode have something to show."""
    from vfa.services.consent import set_consent
    from vfa.services.moments import add_moment

    add_moment(
        ws,
        clip_id,
        ["vig:returning_eye_contact"],
        2_000,
        8_000,
        caption="You smiled back, and she kept looking at you",
        child_line="I like it when you smile at me",
        feedback=True,
        coder=DEMO_THERAPIST,
    )
    add_moment(ws, clip_id, ["vig:waiting"], 11_000, 16_000, key_ms=13_000, coder=DEMO_THERAPIST)
    set_consent(ws, clip_id, ["feedback"], by=DEMO_THERAPIST)
