"""Twenty people coding on one team workspace at once: each a separate process logged in
to PostgreSQL as themselves (their own login role, the server's row-level security in
force), pressing coding keys on their own blind-coded clip for 60 s.

Reports the edit time (``code_event``: the run check, the insert, the audit entry, one
commit) as p50/p95/max over every press of every person, edits lost (acknowledged to the
person but not stored), deadlocks and other errors, and the largest number of another
person's blind rows any person could read with plain SQL while every blind run was open.
Targets: p95 edit <= 20 ms, 0 lost, 0 deadlocks, 0 blind rows seen.

Run: ``.venv/bin/python -m bench.bench_team`` with ``VFA_BENCH_PG_URL`` set to a
PostgreSQL server's URL as a superuser (``postgresql+psycopg://postgres@/postgres?host=
/run/postgresql``); without it a throwaway server is started as ``./test`` does.
``--people N`` and ``--seconds S`` change the load.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, make_url, text

SCHEME = "vig"
PORT = 54339


@contextmanager
def throwaway_server():
    """A PostgreSQL server in a temporary folder (Unix socket only): its superuser URL."""
    given = os.environ.get("VFA_BENCH_PG_URL")
    if given:
        yield given
        return
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    pg_bin = next((b for b in reversed(bins) if (b / "initdb").exists()), None)
    if pg_bin is None:
        raise SystemExit("bench_team: no PostgreSQL found; set VFA_BENCH_PG_URL")
    base = Path(tempfile.mkdtemp(prefix="vfa-bench-pg."))
    data = base / "data"
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if run_as:
        shutil.chown(base, "postgres")
    subprocess.run(
        [*run_as, str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"],
        check=True,
        capture_output=True,
        cwd="/",
    )
    options = f"-k {data} -p {PORT} -c listen_addresses='' -c max_connections=100"
    log = base / "server.log"
    subprocess.run(
        # the server's own output to its log: a pipe would stay open as long as it runs
        [
            *run_as,
            str(pg_bin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            options,
            "start",
        ],
        check=True,
        capture_output=True,
        cwd="/",
    )
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={data}&port={PORT}"
    finally:
        subprocess.run(
            [*run_as, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
            cwd="/",
        )
        shutil.rmtree(base, ignore_errors=True)


def as_login(url: str, login: str) -> str:
    """The URL with another user name (the same server and database)."""
    return make_url(url).set(username=login).render_as_string(hide_password=False)


def prepare(server: str, folder: Path, people: int) -> tuple[str, list[dict]]:
    """A fresh team workspace: a supervisor and ``people`` coders with logins of their own,
    one clip per two coders, double coded blind. Each coder's login, run and clip."""
    from vfa.media.synth import make_clip
    from vfa.services.assignments import assign
    from vfa.services.clips import add_clip
    from vfa.services.team import add_person_login
    from vfa.storage.team import init_team
    from vfa.storage.workspace import open_workspace

    database = f"vfa_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    admin.dispose()
    url = make_url(server).set(database=database).render_as_string(hide_password=False)
    init_team(url)
    tag = uuid.uuid4().hex[:6]
    sup = f"sup_{tag}"
    add_person_login(url, "Supervisor", "supervisor", sup)
    coders = [(f"Coder {n:02d}", f"coder{n:02d}_{tag}") for n in range(people)]
    for name, login in coders:
        add_person_login(url, name, "coder", login)
    ws = open_workspace(as_login(url, sup))
    try:
        jobs = []
        for pair in range(0, people, 2):
            clip = make_clip(folder / f"clip{pair}.mp4", seconds=3 + pair / 10, rate=25, gop=25)
            clip_id = add_clip(ws, clip, f"FAM-{pair:03d}", "Visit 1").clip_id
            names = [n for n, _ in coders[pair : pair + 2]]
            runs = assign(ws, [clip_id], SCHEME, names, blind=True)
            for run, (name, login) in zip(runs, coders[pair : pair + 2], strict=True):
                jobs.append({"name": name, "login": login, "run": run.id, "clip": str(clip)})
    finally:
        ws.close()
    return url, jobs


def person(url: str, job: dict, seconds: float, start_at: float, out: mp.Queue) -> None:
    """One person: log in as themselves, press keys on their run until the time is up,
    and now and then look with plain SQL for other people's blind rows."""
    from vfa.media.probe import probe
    from vfa.services import events
    from vfa.services.schemes import get_scheme
    from vfa.storage.workspace import open_workspace

    rng = random.Random(job["run"])
    scheme = get_scheme(SCHEME)
    table = probe(Path(job["clip"])).frame_table
    codes = [c.id for c in scheme.ethogram.codes if c.kind == "point"] if scheme.ethogram else []
    own = as_login(url, job["login"])
    ws = open_workspace(own)
    peek = create_engine(own)
    times: list[float] = []
    stored: list[int] = []
    errors: list[str] = []
    deadlocks = 0
    seen_blind = 0
    try:
        while time.time() < start_at:
            time.sleep(0.01)
        end = start_at + seconds
        last_peek = 0.0
        while time.time() < end:
            at = rng.randrange(0, max(table.duration_ms, 1))
            t0 = time.perf_counter()
            try:
                done = events.code_event(ws, job["run"], scheme, rng.choice(codes), None, at, table)
                times.append((time.perf_counter() - t0) * 1000)
                stored.append(done.event.id)
            except Exception as exc:  # counted, never hidden
                text_ = f"{type(exc).__name__}: {exc}"
                deadlocks += "deadlock" in text_.lower()
                errors.append(text_[:300])
            if time.time() - last_peek > 1.0:
                last_peek = time.time()
                with peek.connect() as conn:
                    seen = conn.execute(
                        text(
                            "SELECT count(*) FROM annotation a JOIN coding_run r "
                            "ON r.id = a.run_id WHERE r.id <> :mine AND r.blind"
                        ),
                        {"mine": job["run"]},
                    ).scalar_one()
                seen_blind = max(seen_blind, int(seen))
            time.sleep(rng.uniform(0.05, 0.25))  # the coder watching between key presses
    finally:
        ws.close()
        peek.dispose()
    out.put(
        {
            "run": job["run"],
            "times": times,
            "stored": stored,
            "errors": errors,
            "deadlocks": deadlocks,
            "seen_blind": seen_blind,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with throwaway_server() as server, tempfile.TemporaryDirectory() as tmp:
        url, jobs = prepare(server, Path(tmp), args.people)
        ctx = mp.get_context("spawn")
        out: mp.Queue = ctx.Queue()
        start_at = time.time() + 8.0  # every process logged in and ready
        procs = [
            ctx.Process(target=person, args=(url, job, args.seconds, start_at, out)) for job in jobs
        ]
        for p in procs:
            p.start()
        results = [out.get(timeout=args.seconds + 120) for _ in procs]
        for p in procs:
            p.join()
        engine = create_engine(url)
        with engine.connect() as conn:
            kept = {
                r: set(
                    conn.execute(
                        text("SELECT id FROM annotation WHERE run_id = :r"), {"r": r}
                    ).scalars()
                )
                for r in (res["run"] for res in results)
            }
        engine.dispose()
    times = np.array([t for r in results for t in r["times"]])
    lost = sum(len(set(r["stored"]) - kept[r["run"]]) for r in results)
    errors = [e for r in results for e in r["errors"]]
    summary = {
        "people": args.people,
        "seconds": args.seconds,
        "edits": int(times.size),
        "edit_ms_p50": round(float(np.percentile(times, 50)), 2),
        "edit_ms_p95": round(float(np.percentile(times, 95)), 2),
        "edit_ms_max": round(float(times.max()), 1),
        "lost": lost,
        "deadlocks": sum(r["deadlocks"] for r in results),
        "errors": len(errors),
        "blind_rows_seen": max(r["seen_blind"] for r in results),
    }
    print(json.dumps(summary, indent=1))
    for e in errors[:5]:
        print("error:", e)


if __name__ == "__main__":
    main()
