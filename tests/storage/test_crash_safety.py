"""Nothing a coder was told is stored is lost when VFA is killed mid-edit."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("crash_child.py")


@dataclass
class Ledger:
    """What the child said it tried and what it said was stored."""

    events: set[int] = field(default_factory=set)
    # per rating item / moment: the last acknowledged value and the one in flight
    acked: dict[tuple[str, str], str] = field(default_factory=dict)
    pending: dict[tuple[str, str], str] = field(default_factory=dict)


def prepare(folder: Path, clip: Path) -> tuple[Path, list[str]]:
    """A workspace with a clip, a KIPS run, a VIG run and one moment to caption."""
    from vfa.services import coding, moments
    from vfa.services.clips import add_clip
    from vfa.services.schemes import get_scheme
    from vfa.storage.workspace import open_workspace

    path = folder / "crash.vfa"
    ws = open_workspace(path, create=True)
    try:
        clip_id = add_clip(ws, clip, "FAM-1", "Visit 1").clip_id
        kips = coding.open_run(ws, clip_id, get_scheme("kips"), "Ann").id
        vig = coding.open_run(ws, clip_id, get_scheme("vig"), "Ann").id
        moment = moments.add_moment(ws, clip_id, ["vig:waiting"], 0, 1000, coder="Ann").id
    finally:
        ws.close()
    return path, [str(clip_id), str(kips), str(vig), str(moment)]


def burst_and_kill(path: Path, ids: list[str], seed: int, ledger: Ledger) -> None:
    """Run the child, kill it after a random number of acknowledged edits."""
    rng = random.Random(seed)
    kill_after = rng.randint(5, 120)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(path), *ids, str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    acks = 0
    try:
        for line in proc.stdout:
            word, kind, key, value = line.rstrip("\n").split(maxsplit=3)
            if word == "try" and kind != "event":
                ledger.pending[(kind, key)] = value
            elif word == "ack":
                if kind == "event":
                    ledger.events.add(int(key))
                else:
                    ledger.acked[(kind, key)] = value
                    ledger.pending.pop((kind, key), None)
                acks += 1
                if acks >= kill_after:
                    break
        else:
            pytest.fail(f"the child stopped by itself: {proc.stderr.read() if proc.stderr else ''}")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # whatever the child printed after the kill order is still news of what it did
    for line in proc.stdout:
        parts = line.rstrip("\n").split(maxsplit=3)
        if len(parts) == 4 and parts[0] == "try" and parts[1] != "event":
            ledger.pending[(parts[1], parts[2])] = parts[3]


def verify(path: Path, ledger: Ledger) -> None:
    """Every acknowledged edit is there (or a later one that was in flight) and the file
    is sound."""
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {r[0] for r in raw.execute("SELECT id FROM annotation")}
        assert ledger.events <= stored, sorted(ledger.events - stored)[:10]
        for (kind, key), value in ledger.acked.items():
            allowed = {value, ledger.pending.get((kind, key))}
            if kind == "rating":
                (now,) = raw.execute(
                    "SELECT value FROM rating WHERE item = ? AND run_id = "
                    "(SELECT id FROM coding_run ORDER BY id LIMIT 1)",
                    (key,),
                ).fetchone()
                assert str(int(now)) in allowed, (key, now, allowed)
            else:
                (now,) = raw.execute(
                    "SELECT caption FROM annotation WHERE id = ?", (int(key),)
                ).fetchone()
                assert now in allowed, (key, now, allowed)


def kill_repeatedly(folder: Path, clip: Path, kills: int, seed: int = 1) -> Ledger:
    """Kill the child ``kills`` times on one workspace, checking after each kill."""
    path, ids = prepare(folder, clip)
    ledger = Ledger()
    for n in range(kills):
        burst_and_kill(path, ids, seed * 1000 + n, ledger)
        verify(path, ledger)
    return ledger


def test_sigkill_during_a_burst_of_edits_loses_no_acknowledged_edit(tmp_path, clips):
    ledger = kill_repeatedly(tmp_path, clips["cfr25"], kills=4)
    assert ledger.events and ledger.acked  # the child really did edit
