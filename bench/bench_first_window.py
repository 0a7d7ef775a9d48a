"""A newcomer's first window: VFA against BORIS 10.0.2, side by side in one run.

Both start as someone who has never run them would: a fresh HOME with fresh XDG config,
data and cache folders each run, a clean environment, on a private Xvfb with openbox as the
window manager. The runs alternate (VFA, BORIS, BORIS, VFA, …), N of each. A run is timed
from just before the process is spawned to the first of its windows (``_NET_WM_PID`` the
process or a child of it) that is mapped and viewable, read from the X server every 5 ms
(bench/x11_windows.py) — the same external method for both programs. VFA also reports its
first paint itself (``VFA_REPORT_FIRST_PAINT``), and its main window is timed when it takes
the first window's place.

Targets: VFA's median <= 0.8 s and >= 4x sooner than BORIS's. Run on demand, never in the
suite, on a quiet machine (the load average is printed with the figures):

    .venv/bin/python -m bench.bench_first_window [--runs 7] [--boris PATH] [--vfa CMD] [--warm]

``--warm`` times a second start instead (each program's home kept from one untimed start:
BORIS has its font cache and settings then, VFA its settings).

BORIS goes into a virtual environment of its own (it needs Python >= 3.13 and libmpv2):
``python3.13 -m venv /work/boris-venv && /work/boris-venv/bin/pip install
boris-behav-obs==10.0.2``. ``--vfa`` takes another command for VFA, e.g. the installer's
``packaging/dist/vfa/vfa``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import median, private_xvfb
from bench.x11_windows import Display

ROOT = Path(__file__).resolve().parents[1]
BORIS = "/work/boris-venv/bin/boris-behav-obs"
POLL_S = 0.005
GIVE_UP_S = 90.0


def p90(values: list[float]) -> float:
    """The 90th percentile, nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 9 // 10) - 1)]


@contextmanager
def screen() -> Iterator[str]:
    """A private Xvfb with openbox managing its windows; yields the display name."""
    with private_xvfb() as name:
        wm = subprocess.Popen(
            ["openbox"],
            env={**os.environ, "DISPLAY": name},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(0.5)  # openbox takes the screen before the first program starts
            yield name
        finally:
            wm.terminate()
            wm.wait(timeout=10)


def newcomer_env(home: Path, display: str) -> dict[str, str]:
    """A clean environment with a fresh home and fresh XDG folders."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(home / ".run"),
        "DISPLAY": display,
        "LANG": "C.UTF-8",
    }
    (home / ".run").mkdir(mode=0o700, exist_ok=True)
    return env


def time_first_window(
    x: Display, command: list[str], env: dict[str, str], cwd: Path, report: Path | None
) -> dict[str, float | None]:
    """Spawn ``command``; seconds to its first viewable window, to a second one (a window
    that takes the first one's place), and to the first paint it reported."""
    started_wall = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    first: float | None = None
    first_ids: set[int] = set()
    second: float | None = None
    try:
        while time.perf_counter() - started < GIVE_UP_S and proc.poll() is None:
            windows = x.windows_of(proc.pid)
            now = time.perf_counter() - started
            if windows and first is None:
                first, first_ids = now, set(windows)
            elif first is not None and set(windows) - first_ids:
                second = now
                break
            if first is not None and now - first > 10:  # no window takes its place
                break
            time.sleep(POLL_S)
    finally:
        stop(proc)
    painted = None
    if report is not None and report.exists():
        events = [json.loads(line) for line in report.read_text().splitlines()]
        painted = next(
            (e["time"] - started_wall for e in events if e["event"] == "first paint"), None
        )
    return {"first": first, "second": second, "painted": painted}


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End the started program and whatever it started (it may have ended by itself)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    proc.wait()


def summary(name: str, values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return f"{name}: no window in {GIVE_UP_S:.0f} s"
    missing = len(values) - len(got)
    return (
        f"{name}: median {median(got):.3f} s, p90 {p90(got):.3f} s, "
        f"min {min(got):.3f} s, max {max(got):.3f} s ({len(got)} runs"
        + (f", {missing} without a window" if missing else "")
        + ")"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--boris", default=BORIS, help="the BORIS command (its own venv)")
    parser.add_argument(
        "--vfa",
        default=f"{shlex.quote(sys.executable)} -m vfa.cli",
        help="the VFA command (default: this Python on this checkout)",
    )
    parser.add_argument("--no-boris", action="store_true", help="time VFA alone")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="a second start instead: each program's home kept from one untimed start",
    )
    args = parser.parse_args()
    for tool in ("Xvfb", "openbox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (apt-get install xvfb openbox)")
    vfa_command = shlex.split(args.vfa)
    if "/" in vfa_command[0]:  # the runs start in their own home folders
        vfa_command[0] = str(Path(vfa_command[0]).absolute())
    programs = {"VFA": vfa_command}
    if not args.no_boris:
        if not Path(args.boris).exists():
            raise SystemExit(f"{args.boris}: no BORIS there (see this file's docstring)")
        programs["BORIS 10.0.2"] = [args.boris]
    results: dict[str, list[dict[str, float | None]]] = {name: [] for name in programs}
    load_before = os.getloadavg()
    with screen() as display, tempfile.TemporaryDirectory() as tmp:
        x = Display(display)

        def start(name: str, home: Path) -> dict[str, float | None]:
            home.mkdir(exist_ok=True)
            env = newcomer_env(home, display)
            report = None
            if name == "VFA":
                report = home / "first-paint.jsonl"
                report.unlink(missing_ok=True)
                env["VFA_REPORT_FIRST_PAINT"] = str(report)
                env["VFA_VLC_ARGS"] = "--aout=dummy"  # no sound card under Xvfb
                if "-m" in programs[name]:
                    env["PYTHONPATH"] = str(ROOT)
            return time_first_window(x, programs[name], env, home, report)

        try:
            if args.warm:  # one start each, not timed, whose home the timed ones reuse
                for name in programs:
                    start(name, Path(tmp) / f"home-{name.split()[0]}")
            for run in range(args.runs):
                order = list(programs) if run % 2 == 0 else list(reversed(programs))
                for name in order:
                    kept = f"home-{name.split()[0]}"
                    home = Path(tmp) / (kept if args.warm else f"{kept}-{run}")
                    timing = start(name, home)
                    results[name].append(timing)
                    print(f"run {run + 1} {name}: {json.dumps(timing)}", file=sys.stderr)
        finally:
            x.close()
    load_after = os.getloadavg()
    print(
        f"first window mapped, {'a home kept from a first start' if args.warm else 'fresh home'}"
        f" each run, {args.runs} alternating runs each "
        f"(load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; "
        f"{os.cpu_count()} cores):"
    )
    for name, timings in results.items():
        print("  " + summary(name, [t["first"] for t in timings]))
    vfa = results["VFA"]
    print("  " + summary("VFA's own report of its first paint", [t["painted"] for t in vfa]))
    print("  " + summary("VFA's main window in its place", [t["second"] for t in vfa]))
    firsts = {n: [t["first"] for t in r if t["first"] is not None] for n, r in results.items()}
    if firsts["VFA"]:
        print(f"  target: VFA's median <= 0.8 s: {median(firsts['VFA']):.3f} s")
    if len(firsts) > 1 and all(firsts.values()):
        boris = firsts["BORIS 10.0.2"]
        ratio = median(boris) / median(firsts["VFA"])
        print(f"  target: >= 4x sooner than BORIS (median over median): {ratio:.1f}x")


if __name__ == "__main__":
    main()
