"""Shared fixtures: an isolated user environment, generated clips, the shared media."""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import pytest

# GUI tests draw offscreen; the end-to-end tests run their own Xvfb in a child process
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.requirements import SHARED_MEDIA, need_media, need_pg_url
from vfa.media.synth import make_clip

__all__ = ["SHARED_MEDIA"]  # tests import it from here


@pytest.fixture(autouse=True)
def isolated_user(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test gets its own default workspace and settings, never the real user's."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("VFA_WORKSPACE", str(home / "data" / "workspace.vfa"))
    monkeypatch.setenv("VFA_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("VFA_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("VFA_NO_AUDIO", "1")
    monkeypatch.setenv("VFA_VLC_ARGS", "--aout=dummy")
    return home


CLIP_SPECS = {
    # name: make_clip keyword arguments
    "cfr25": dict(seconds=6, rate=25, gop=50),
    "ntsc": dict(seconds=4, rate=Fraction(30000, 1001), gop=30),
    "vfr": dict(seconds=4, rate=30, gop=30, keep=lambda i: i % 3 != 2 and i % 7 != 6),
    "rotated": dict(seconds=2, rate=30, gop=30, rotation=90),
    "noaudio": dict(seconds=2, rate=25, width=320, height=180, audio=False),
}


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small clips generated once per test run; every frame carries its source index."""
    folder = tmp_path_factory.mktemp("clips")
    return {name: make_clip(folder / f"{name}.mp4", **spec) for name, spec in CLIP_SPECS.items()}


def source_indices(name: str) -> list[int]:
    """For a generated clip, the source index (barcode) of each kept frame."""
    spec = CLIP_SPECS[name]
    frames = round(spec["seconds"] * Fraction(spec["rate"]))
    keep = spec.get("keep") or (lambda i: True)
    return [i for i in range(frames) if keep(i)]


@pytest.fixture(scope="session")
def shared_media() -> Path:
    """The shared barcode clips (a skip when absent, a failure under CI)."""
    need_media()
    return SHARED_MEDIA


@pytest.fixture(scope="session")
def manifest(shared_media: Path) -> dict:
    return json.loads((shared_media / "manifest.json").read_text())


def as_coded(image, rotation: int):
    """Undo a display rotation (counter-clockwise degrees): the picture as it was coded,
    with the barcode back on its top edge."""
    import numpy as np

    k = (rotation % 360) // 90
    return np.rot90(image, -k) if k else image


def vfr_source_indices() -> list[int]:
    """The shared VFR clip kept these frames of its 30 fps source (see its manifest)."""
    return [n for n in range(900) if n % 3 != 2 and n % 7 != 6]


@pytest.fixture
def workspace(tmp_path: Path):
    """A fresh SQLite workspace file."""
    from vfa.storage.workspace import open_workspace

    ws = open_workspace(tmp_path / "test.vfa", create=True)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The throwaway PostgreSQL server (a skip when absent, a failure under CI)."""
    return need_pg_url()
