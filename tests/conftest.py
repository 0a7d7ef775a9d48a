"""Shared fixtures: an isolated user environment, generated clips, the shared media."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path

import hypothesis
import pytest

# GUI tests draw offscreen; the end-to-end tests run their own Xvfb in a child process
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.migrated_once import MigratedOnce
from tests.requirements import SHARED_MEDIA, need_media, need_pg_url
from vfa.media.synth import make_clip

__all__ = ["SHARED_MEDIA"]  # tests import it from here

STORAGE_TESTS = Path(__file__).parent / "storage"

# How long an example takes depends on how busy the machine is, not on the code under
# test: no deadline, and slow input generation is not a failure.
hypothesis.settings.register_profile(
    "vfa", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("vfa")


@pytest.fixture(autouse=True, scope="session")
def collector_on_the_main_thread() -> Iterator[None]:
    """As in the app (vfa/ui/gui_gc.py): the cycle collector never runs on a worker's
    thread, where a widget it freed would be destroyed beside the GUI thread; the main
    thread collects what is due after each test (and the app's timer while it runs)."""
    import gc

    was = gc.isenabled()
    gc.disable()
    yield
    if was:
        gc.enable()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """What a test let go of is destroyed in its own teardown: the widgets pytest-qt
    closed and every other object given to ``deleteLater`` (else they die inside whichever
    later test first runs an event loop, where a fault would name the wrong test), then
    the cycles that are due."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from vfa.ui.gui_gc import collect_due

    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    collect_due()


@pytest.fixture(autouse=True, scope="session")
def migrations_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedOnce]:
    """A new workspace file starts as a copy of the one the migrations made from nothing
    on the session's first (tests/migrated_once.py)."""
    from vfa.storage import workspace

    once = MigratedOnce(tmp_path_factory.mktemp("migrated"), workspace._upgrade)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workspace, "_upgrade", once.upgrade)
        yield once


@pytest.fixture(autouse=True)
def real_migrations_in_storage_tests(
    request: pytest.FixtureRequest, migrations_once: MigratedOnce
) -> Iterator[None]:
    """The storage layer's tests watch the migrations themselves: they run them always."""
    if request.node.path.is_relative_to(STORAGE_TESTS):
        with migrations_once.off():
            yield
    else:
        yield


@pytest.fixture(autouse=True)
def isolated_user(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test gets its own default workspace and settings, never the real user's."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("VFA_WORKSPACE", str(home / "data" / "workspace.vfa"))
    monkeypatch.setenv("VFA_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("VFA_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("VFA_NO_AUDIO", "1")
    monkeypatch.setenv("VFA_VLC_ARGS", "--aout=dummy")
    monkeypatch.setenv("VFA_LANG", "en")  # the window in English whatever the machine's locale
    monkeypatch.delenv("VFA_PASSPHRASE", raising=False)  # no passphrase of the machine's
    return home


@pytest.fixture(autouse=True)
def no_window_person() -> Iterator[None]:
    """The person a test's window worked as is nobody's after it (viewer.set_person)."""
    yield
    from vfa.services.viewer import set_person

    set_person(None)


CLIP_SPECS = {
    # name: make_clip keyword arguments
    "cfr25": dict(seconds=6, rate=25, gop=50),
    "ntsc": dict(seconds=4, rate=Fraction(30000, 1001), gop=30),
    "vfr": dict(seconds=4, rate=30, gop=30, keep=lambda i: i % 3 != 2 and i % 7 != 6),
    "rotated": dict(seconds=2, rate=30, gop=30, rotation=90),
    "noaudio": dict(seconds=2, rate=25, width=320, height=180, audio=False),
}


class GeneratedClips(Mapping[str, Path]):
    """The clips of CLIP_SPECS, each generated the first time a test asks for it.

    With ``VFA_TEST_CLIP_CACHE`` set (the mutation run sets it: each of its test runs is a
    session of its own), a clip is kept in that folder under a name that changes with its
    spec and with the generator's source, so it is generated once for all the runs."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._made: dict[str, Path] = {}
        cache = os.environ.get("VFA_TEST_CLIP_CACHE")
        self._cache = Path(cache) if cache else None

    def __getitem__(self, name: str) -> Path:
        if name not in self._made:
            spec = CLIP_SPECS[name]
            if self._cache is None:
                self._made[name] = make_clip(self._folder / f"{name}.mp4", **spec)
            else:
                self._made[name] = self._cached(name, spec)
        return self._made[name]

    def _cached(self, name: str, spec: dict) -> Path:
        import hashlib
        import inspect

        from vfa.media import synth

        key = hashlib.sha256(inspect.getsource(synth).encode())
        key.update(repr(sorted((k, v) for k, v in spec.items() if k != "keep")).encode())
        if "keep" in spec:
            key.update(inspect.getsource(spec["keep"]).encode())
        path = self._cache / key.hexdigest()[:16] / f"{name}.mp4"  # tests read its name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            part = make_clip(path.with_name(f".{name}-{os.getpid()}.part"), **spec)
            os.replace(part, path)  # whole or not at all, whoever generates it first
        return path

    def __iter__(self) -> Iterator[str]:
        return iter(CLIP_SPECS)

    def __len__(self) -> int:
        return len(CLIP_SPECS)


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Mapping[str, Path]:
    """Small clips, each generated once per test run; every frame carries its source index."""
    return GeneratedClips(tmp_path_factory.mktemp("clips"))


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


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[str]:
    """A new, empty database on the throwaway PostgreSQL server for one test: its URL
    (the same server and login as ``pg_url``), dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, make_url

    name = f"vfa_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()
