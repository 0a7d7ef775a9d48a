"""No network, proven: the app and the command-line tools run under ``strace`` and may
reach nothing but local sockets and the configured PostgreSQL server
(tests/network_trace.py says what is allowed; docs/architecture.md "No network, no leaks").

The commands run in one process, each after a marker, so a contact names its command."""

from __future__ import annotations

import csv
import ipaddress
import itertools
import json
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests import network_trace as nt
from tests.requirements import need
from tests.xvfb import running_xvfb

ROOT = Path(__file__).resolve().parent.parent

CODING = (
    ("look", "Looks", "1000", "2000"),
    ("touch", "Touches", "2500", "2500"),
)
RATINGS = "unit,coder,item,value\n" + "".join(
    f"u{u},{c},i{i},{v}\n" for u in range(4) for i in range(2) for c, v in (("A", u), ("B", u))
)
EVENTS = (
    "unit,coder,code,start_ms,end_ms,duration_ms\nc1,A,look,0,2000,8000\nc1,B,look,200,2000,8000\n"
)


def need_strace() -> None:
    """strace on PATH and allowed to trace here (a skip, a failure naming it under CI)."""
    if nt.strace_binary() is None:
        need("strace", "no strace on PATH (scripts/setup.sh installs it)")
    done, _ = nt.traced(["true"], timeout=60)
    if done.returncode != 0:
        need("strace", f"strace cannot trace here: {done.stderr.strip()[-300:]}")


def python_env(**extra: str) -> dict[str, str]:
    """This test's environment for a child Python with the checkout first on its path."""
    env = dict(os.environ, **extra)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_traced(commands: list[list[str]], folder: Path, env: dict[str, str] | None = None) -> str:
    """Run the ``vfa`` commands under strace (in ``env``, else this test's environment),
    one after another in one process; each must succeed. strace's record."""
    script = folder / "commands.json"
    script.write_text(json.dumps(commands))
    done, trace = nt.traced(
        [sys.executable, "-m", "tests.network_trace", str(script)], env=env or python_env()
    )
    assert done.returncode == 0, done.stderr[-4000:]
    codes = json.loads(done.stdout.strip().splitlines()[-1])
    failed = [" ".join(c) for c, code in zip(commands, codes, strict=True) if code != 0]
    assert not failed, f"these commands failed: {failed}\n{done.stderr[-4000:]}"
    assert nt.MARK in trace, "the trace holds none of the commands' markers"
    return trace


def coding_csv(path: Path, clip_file: str, coders: tuple[str, ...]) -> None:
    """VFA's own coding CSV: two events of each coder on the clip of that file name."""
    from vfa.io.vfa_csv import EVENT_COLUMNS

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, EVENT_COLUMNS, restval="")
        writer.writeheader()
        for coder, (code, name, start, end) in itertools.product(coders, CODING):
            row = {"code": code, "code_name": name, "start_ms": start, "end_ms": end}
            writer.writerow(dict(row, clip_file=clip_file, coder=coder, scheme="lab", subject="c"))


def workspace_commands(ws: str, folder: Path, clip: Path) -> list[list[str]]:
    """Every kind of ``vfa`` command on workspace ``ws``: creating it, adding a clip, coding
    in and out, feedback exports with consent, agreement, reports and check (and a backup
    of a file: a database is backed up by its server)."""
    from tests.io.eaf_files import EAF_30

    w = ["--workspace", ws]
    coding_csv(folder / "coding.csv", clip.name, ("Ann", "Ben"))
    eaf = folder / "visit.eaf"  # its media and a vocabulary on the web: never fetched
    eaf.write_text(
        EAF_30.replace("file:///x/clip.mov", "https://media.example.org/visit.mov"),
        encoding="utf-8",
    )
    (folder / "ratings.csv").write_text(RATINGS)
    (folder / "events.csv").write_text(EVENTS)
    out = str(folder / "out")
    span = ["--start-ms", "0", "--end-ms", "1000", "--tag", "vig:waiting", "--feedback"]
    formats = {f: f for f in ("csv", "json", "eaf", "boris", "srt")} | {"sdis": "sds"}
    return [
        ["workspace", "new", ws],
        ["--help"],
        ["workspace", "info", *w],
        ["probe", str(clip)],
        ["clip", "add", str(clip), "--case", "FAM-1", "--session", "Visit 1", *w],
        ["clip", "list", *w],
        ["clip", "check", *w],
        ["schemes", "list", *w],
        ["schemes", "validate", str(ROOT / "coding_schemes" / "vig.yaml")],
        ["moment", "add", "--clip", "1", *span, "--caption", "You waited", *w],
        ["moment", "list", "--clip", "1", *w],
        ["consent", "set", "--clip", "1", "--purposes", "feedback,research", *w],
        ["consent", "show", "--clip", "1", *w],
        ["reel", "theme", "--session", "1", "Following her lead", *w],
        ["reel", "show", "--session", "1", *w],
        ["reel", "export", "--session", "1", "--purpose", "feedback", "-o", out + "/reel", *w],
        ["reel", "script", "--session", "1", "-o", out + "/script.pdf", *w],
        ["still", str(clip), "--frame", "3", "--purpose", "feedback", "-o", out + "/s.jpg", *w],
        ["import", str(folder / "coding.csv"), *w],
        ["import", str(eaf), "--clip", "1", "--dry-run", *w],
        *[
            ["export", "--format", f, "--coder", "Ann", "-o", f"{out}/coding.{x}", *w]
            for f, x in formats.items()
        ],
        ["assign", "--scheme", "kips", "--coders", "Ann,Ben", "--clips", "1", *w],
        ["assignments", *w],
        ["progress", "--case", "FAM-1", "--scheme", "kips", *w],
        ["agreement", str(folder / "events.csv")],
        ["reliability", str(folder / "ratings.csv")],
        *([["backup", *w], ["backup", "--list", *w]] if "://" not in ws else []),
        ["check", *w],
    ]


# what the tracer reports, on a process that does reach out
REACHING = """
import socket
from tests.network_trace import mark

mark("still visit.mp4")
here = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
here.bind(("127.0.0.1", 0))
port = here.getsockname()[1]
out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
out.sendto(b"x", ("127.0.0.1", port))
out.sendmsg([b"y"], [], 0, ("127.0.0.1", port))
out.connect(("203.0.113.9", 9))  # a datagram socket's peer: nothing is sent
v6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
try:
    v6.connect(("2001:db8::9", 9))
except OSError:  # no IPv6 route: the attempt is what counts
    pass
print(port)
"""


def test_a_reach_for_the_network_is_named_with_its_command_and_address():
    need_strace()
    done, trace = nt.traced([sys.executable, "-c", REACHING], env=python_env())
    assert done.returncode == 0, done.stderr
    port = int(done.stdout.strip())
    assert nt.offences(trace) == [
        f"vfa still visit.mp4: AF_INET 127.0.0.1:{port} (sendto)",
        f"vfa still visit.mp4: AF_INET 127.0.0.1:{port} (sendmsg)",
        "vfa still visit.mp4: AF_INET 203.0.113.9:9 (connect)",
        "vfa still visit.mp4: AF_INET6 [2001:db8::9]:9 (connect)",
    ]
    # a server configured at that address and port may be reached, nothing else
    servers = nt.server_addresses(f"postgresql+psycopg://ann@127.0.0.1:{port}/team")
    assert nt.offences(trace, servers) == [
        "vfa still visit.mp4: AF_INET 203.0.113.9:9 (connect)",
        "vfa still visit.mp4: AF_INET6 [2001:db8::9]:9 (connect)",
    ]


TWO_HOSTS = {("10.0.0.1", 5433), ("10.0.0.2", 5434)}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (None, set()),
        ("/home/tess/clinic.vfa", set()),
        ("postgresql+psycopg://postgres@/vfa?host=/run/postgresql&port=5433", set()),
        ("postgresql+psycopg://ann@10.1.2.3/vfa", {("10.1.2.3", 5432)}),
        ("postgresql+psycopg://ann@[fd00::5]:6543/vfa", {("fd00::5", 6543)}),
        ("postgresql+psycopg://ann@/vfa?host=10.0.0.1,10.0.0.2&port=5433,5434", TWO_HOSTS),
    ],
)
def test_the_configured_server_is_the_only_address_allowed(url, expected):
    assert nt.server_addresses(url) == expected


def test_a_server_named_by_host_name_may_also_be_looked_up(tmp_path, monkeypatch):
    (tmp_path / "resolv.conf").write_text("# the site's\nnameserver 10.9.0.53\nsearch clinic\n")
    monkeypatch.setattr(nt, "RESOLV_CONF", tmp_path / "resolv.conf")
    found = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.9.8.7", 5433))]
    monkeypatch.setattr(nt.socket, "getaddrinfo", lambda host, port, **kw: found)
    pairs = nt.server_addresses("postgresql+psycopg://ann@db.clinic:5433/vfa")
    assert pairs == {("10.9.8.7", 5433), ("10.9.0.53", 53)}


def test_a_server_named_localhost_is_its_loopback_address():
    pairs = nt.server_addresses("postgresql+psycopg://ann@localhost:5433/vfa")
    assert pairs
    assert all(ipaddress.ip_address(ip).is_loopback and port == 5433 for ip, port in pairs)


@pytest.fixture
def inputs(tmp_path, clips) -> tuple[Path, Path]:
    folder = tmp_path / "visits"
    (folder / "out").mkdir(parents=True)
    clip = folder / "visit-1.mp4"
    shutil.copy(clips["cfr25"], clip)
    return folder, clip


def test_the_command_line_tools_reach_no_network(inputs):
    need_strace()
    folder, clip = inputs
    trace = run_traced(workspace_commands(str(folder / "team.vfa"), folder, clip), folder)
    assert nt.offences(trace, first="python starting") == []


def test_the_command_line_tools_reach_only_the_postgresql_server(inputs, pg_database):
    need_strace()
    folder, clip = inputs
    trace = run_traced(workspace_commands(pg_database, folder, clip), folder)
    servers = nt.server_addresses(pg_database)
    assert nt.offences(trace, servers, first="python starting") == []
    # they did work on the server: its socket (or its address) is in the trace
    url = make_url(pg_database)
    socket_file = f"{url.query.get('host', '')}/.s.PGSQL.{url.query.get('port', 5432)}"
    assert any(c.host == socket_file or (c.host, c.port) in servers for c in nt.contacts(trace))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict[str, str], list[str]]:
    """``vfa demo`` and the commands that need its submitted double coding, under strace
    (once for this file): the demo workspace, the environment it was made in, and the
    contacts not allowed."""
    need_strace()
    home = tmp_path_factory.mktemp("demo-user")
    # the isolated user of tests/conftest.py, for the whole module
    env = python_env(
        VFA_CONFIG_DIR=str(home / "config"),
        VFA_CACHE_DIR=str(home / "cache"),
        VFA_WORKSPACE=str(home / "workspace.vfa"),
        VFA_NO_AUDIO="1",
        VFA_VLC_ARGS="--aout=dummy",
        VFA_LANG="en",
    )
    ws = home / "demo.vfa"
    w = ["--workspace", str(ws)]
    kips = ["--scheme", "kips"]
    reel = ["--session", "1", "--purpose", "feedback", "-o", str(home / "reel")]
    commands = [
        ["demo", *w],
        ["reliability-report", *kips, "-o", str(home / "agreement.pdf"), *w],
        ["reliability-report", *kips, "-o", str(home / "agreement.csv"), *w],
        ["certification", *kips, "--coder", "Demo coder", "--reference", "Demo trainer", *w],
        ["criterion", "show", *kips, *w],
        ["progress", "--case", "DEMO-001", *kips, "-o", str(home / "progress.png"), *w],
        ["reel", "export", *reel, *w],
    ]
    return ws, env, nt.offences(run_traced(commands, home, env=env), first="python starting")


def test_the_demo_and_its_reports_reach_no_network(demo):
    _, _, offending = demo
    assert offending == []


def test_the_window_reaches_no_network(demo):
    """The desktop app on an X display (Xvfb) with its usual player (libVLC when it loads)
    opens the demo and plays its first clip for half a second."""
    ws, env, _ = demo
    argv = ["demo", "--open", "--workspace", str(ws)]
    with running_xvfb() as display:
        env = dict(env, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        env.pop("WAYLAND_DISPLAY", None)
        done, trace = nt.traced([sys.executable, "-m", "tests.playing_probe", *argv], env=env)
    assert done.returncode == 0, done.stderr[-4000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert "timed_out" not in seen and seen["played_ms"] >= 500, seen
    # it did draw on the display: the display's socket is in the trace
    x_socket = f"/tmp/.X11-unix/X{display.lstrip(':')}"
    assert any(c.host.lstrip("@") == x_socket for c in nt.contacts(trace)), seen
    assert nt.offences(trace, first="vfa " + " ".join(argv)) == [], seen
