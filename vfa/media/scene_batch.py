"""Several demo scenes made side by side, each in a Python process of its own.

PyAV holds the GIL while it encodes, so threads would take turns; and a process started
by ``multiprocessing`` runs the parent's main module again (``python -m vfa.cli`` would
start over), so each clip is made by ``python -m vfa.media.scene_batch PATH SEED FAMILY``,
which prints its progress a line at a time. Where no process can be started, the clips
are made here, one after another.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import vfa
from vfa.errors import MediaError
from vfa.media.scene import make_scene_clip

NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console per clip


@dataclass(frozen=True)
class SceneJob:
    """One clip to make: where, the scene's seed and the family acting it."""

    path: Path
    seed: int
    family: int = 0


def _command(job: SceneJob) -> list[str]:
    args = [str(job.path), str(job.seed), str(job.family)]
    return [sys.executable, "-m", "vfa.media.scene_batch", *args]


def _environment() -> dict[str, str]:
    """The parent's environment, with this very ``vfa`` first on the child's path."""
    here = str(Path(vfa.__file__).resolve().parents[1])
    paths = [here, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def make_scene_clips(
    jobs: Sequence[SceneJob], progress: Callable[[float], None] | None = None
) -> None:
    """Make every job's clip; ``progress`` gets the share done (from the calling thread).
    MediaError names a clip that could not be made, once every process has ended."""
    report = progress or (lambda _f: None)
    if len(jobs) < 2 or not sys.executable:
        _one_by_one(jobs, report)
        return
    done = [0.0] * len(jobs)
    errors: list[list[str]] = [[] for _ in jobs]
    procs: list[subprocess.Popen[str]] = []
    readers: list[threading.Thread] = []
    try:
        env = _environment()
        for n, job in enumerate(jobs):
            proc = subprocess.Popen(
                _command(job),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                env=env,
                creationflags=NO_WINDOW,
            )
            procs.append(proc)
            readers += _follow(proc, n, done, errors[n])
    except OSError:  # no process could be started: make them here
        _stop(procs)
        _one_by_one(jobs, report)
        return
    try:
        for proc in procs:
            while proc.poll() is None:
                report(sum(done) / len(jobs))
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.2)
    finally:
        _stop(procs)
    for reader in readers:
        reader.join()  # the pipes are closed: their last lines are read
    for job, proc, error in zip(jobs, procs, errors, strict=True):
        if proc.returncode != 0:
            reason = error[-1].strip() if error else f"the process ended with {proc.returncode}"
            raise MediaError(f"{job.path}: the demo clip could not be made ({reason})")
    report(1.0)


def _follow(
    proc: subprocess.Popen[str], n: int, done: list[float], error: list[str]
) -> list[threading.Thread]:
    """Threads that read a child's progress lines and its error output as they come."""

    def progress_lines() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                done[n] = float(line)
            except ValueError:
                continue

    def error_lines() -> None:
        assert proc.stderr is not None
        error.extend(line for line in proc.stderr if line.strip())

    threads = [
        threading.Thread(target=read, daemon=True, name=f"scene-{n}")
        for read in (progress_lines, error_lines)
    ]
    for thread in threads:
        thread.start()
    return threads


def _stop(procs: list[subprocess.Popen[str]]) -> None:
    """End the processes still running (a failure or an interruption here)."""
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _one_by_one(jobs: Sequence[SceneJob], report: Callable[[float], None]) -> None:
    for n, job in enumerate(jobs):

        def step(f: float, n: int = n) -> None:
            report((n + f) / len(jobs))

        make_scene_clip(job.path, job.seed, family=job.family, progress=step)
    report(1.0)


def main(argv: Sequence[str]) -> int:
    """Make one clip: ``PATH SEED FAMILY``; progress on stdout, a line at a time."""
    path, seed, family = argv

    def step(f: float) -> None:
        print(f"{f:.3f}", flush=True)

    make_scene_clip(Path(path), int(seed), family=int(family), progress=step)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
