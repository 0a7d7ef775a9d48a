"""Every address a process tries to reach, seen by ``strace``, and which of them are allowed.

A command runs under ``strace -f`` tracing the calls that name a peer: ``connect`` and the
sends that may carry an address of their own (``sendto``, ``sendmsg``, ``sendmmsg``: a
datagram can leave without a ``connect``). Each address found is a :class:`Contact`.

What is allowed (docs/architecture.md, "No network, no leaks"):

- ``AF_UNIX``, named or abstract: a socket file on this machine (the X display, D-Bus,
  PulseAudio, the name-service cache, a PostgreSQL server's socket). It cannot leave the
  machine, so it is not the network.
- ``AF_NETLINK``: the kernel itself (a list of interfaces).
- ``AF_UNSPEC``: a ``connect`` with it dissolves a datagram socket's peer; it goes nowhere.
- ``AF_INET`` / ``AF_INET6`` only to the configured PostgreSQL server (its address and port
  as the workspace URL names them; a server named by a host name other than ``localhost``
  also needs the name looked up, so then the name servers of ``/etc/resolv.conf`` on
  port 53 too); to anything else, loopback included, it is a failure.
- Any other family (``AF_PACKET``, Bluetooth …) is a failure.

``python -m tests.network_trace COMMANDS.json`` runs ``vfa`` once per line of the file
(a JSON list of argument lists) in this one process, each after a marker: a ``connect``
to the abstract Unix socket ``@vfa-trace-mark <the command>`` that nobody listens on, so a
contact in the trace is put down to the command that was running. It prints the exit
status of each command as a JSON list.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

MARK = "vfa-trace-mark "
RESOLV_CONF = Path("/etc/resolv.conf")
CALLS = ("connect", "sendto", "sendmsg", "sendmmsg")
LOCAL_FAMILIES = frozenset({"AF_UNIX", "AF_LOCAL", "AF_NETLINK", "AF_UNSPEC"})

_CALL = re.compile(r"^(?:\[pid\s+)?(?P<pid>\d+)\]?\s+(?P<call>" + "|".join(CALLS) + r")\(")
_FAMILY = re.compile(r"\{sa_family=(?P<family>AF_[A-Z0-9_]+|\d+)(?P<rest>[^{}]*)\}")
_PORT = re.compile(r"sin6?_port=htons\((?P<port>\d+)\)")
_V4 = re.compile(r'sin_addr=inet_addr\("(?P<ip>[^"]+)"\)')
_V6 = re.compile(r'inet_pton\(AF_INET6, "(?P<ip>[^"]+)"')
_PATH = re.compile(r'sun_path=(?P<abstract>@?)"(?P<path>(?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class Contact:
    """One address a traced process named: its family, host (IP or socket path) and port."""

    pid: int
    call: str
    family: str
    host: str
    port: int | None
    line: str

    def __str__(self) -> str:
        if self.family in ("AF_INET", "AF_INET6"):
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"{self.family} {host}:{self.port} ({self.call})"
        return f"{self.family} {self.host or '-'} ({self.call})"


def contacts(trace: str) -> list[Contact]:
    """Every address named by a traced call in ``trace`` (strace's output), in order."""
    found = []
    for line in trace.splitlines():
        call = _CALL.match(line)
        if call is None:
            continue
        for struct in _FAMILY.finditer(line):
            family, rest = struct["family"], struct["rest"]
            port_m = _PORT.search(rest)
            port = int(port_m["port"]) if port_m else None
            host = ""
            address = {"AF_INET": _V4, "AF_INET6": _V6}.get(family)
            if address is not None and (m := address.search(rest)):
                host = m["ip"]
            elif family in ("AF_UNIX", "AF_LOCAL") and (m := _PATH.search(rest)):
                host = ("@" if m["abstract"] else "") + m["path"]
            found.append(Contact(int(call["pid"]), call["call"], family, host, port, line))
    return found


def _same_ip(a: str, b: str) -> bool:
    """Whether two IP texts are one address (an IPv4-mapped IPv6 address is its IPv4)."""
    try:
        x, y = ipaddress.ip_address(a), ipaddress.ip_address(b)
    except ValueError:
        return False
    x = x.ipv4_mapped or x if isinstance(x, ipaddress.IPv6Address) else x
    y = y.ipv4_mapped or y if isinstance(y, ipaddress.IPv6Address) else y
    return x == y


def server_addresses(url: str | None) -> set[tuple[str, int]]:
    """The (IP, port) pairs the PostgreSQL server of workspace ``url`` is reached at: none
    for a file or a server on a Unix socket (allowed as every Unix socket is)."""
    if not url or "://" not in url:
        return set()
    from sqlalchemy import make_url

    parsed = make_url(url)
    hosts: list[str] = []
    ports: list[str] = []
    for value, into in ((parsed.query.get("host"), hosts), (parsed.query.get("port"), ports)):
        if isinstance(value, tuple):
            value = ",".join(value)
        if value:
            into.extend(value.split(","))
    if parsed.host:
        hosts.append(parsed.host)
    if parsed.port:
        ports.append(str(parsed.port))
    port_list = [int(p) for p in ports] or [5432]
    pairs = set()
    for i, host in enumerate(hosts or ["/"]):  # no host: libpq's default Unix socket
        port = port_list[i] if i < len(port_list) else port_list[-1]
        if host.startswith(("/", "@")):
            continue
        try:
            ipaddress.ip_address(host)
            pairs.add((host, port))
            continue
        except ValueError:
            pass
        for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
            pairs.add((str(info[4][0]), port))
        if host != "localhost":  # looked up: by the name servers
            pairs |= {(ip, 53) for ip in name_servers()}
    return pairs


def name_servers() -> list[str]:
    """The name servers of :data:`RESOLV_CONF` (none when it cannot be read)."""
    try:
        lines = RESOLV_CONF.read_text().splitlines()
    except OSError:
        return []
    return [f[1] for f in (line.split() for line in lines) if len(f) > 1 and f[0] == "nameserver"]


def allowed(contact: Contact, servers: Iterable[tuple[str, int]] = ()) -> bool:
    """Whether ``contact`` is allowed: local sockets, or the configured server."""
    if contact.family in LOCAL_FAMILIES:
        return True
    if contact.family in ("AF_INET", "AF_INET6"):
        return any(contact.port == port and _same_ip(contact.host, ip) for ip, port in servers)
    return False


def offences(
    trace: str, servers: Iterable[tuple[str, int]] = (), first: str = "the command"
) -> list[str]:
    """Each contact that is not allowed, as "COMMAND: ADDRESS"; COMMAND is the last marker
    before it (``first`` before any marker)."""
    servers = list(servers)
    command = first
    out = []
    for contact in contacts(trace):
        if contact.family in ("AF_UNIX", "AF_LOCAL") and contact.host.startswith("@" + MARK):
            command = "vfa " + contact.host[len("@" + MARK) :]
            continue
        if not allowed(contact, servers):
            out.append(f"{command}: {contact}")
    return out


def strace_binary() -> str | None:
    """The strace on PATH (or None)."""
    return shutil.which("strace")


def traced(
    argv: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 300
) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run ``argv`` under ``strace -f`` (the calls of :data:`CALLS`): the finished process
    and strace's record."""
    binary = strace_binary()
    assert binary is not None, "no strace on PATH"
    with tempfile.TemporaryDirectory(prefix="vfa-trace-") as tmp:
        record = Path(tmp) / "trace.txt"
        command = [binary, "-f", "-qq", "-e", "signal=none", "-e", "trace=" + ",".join(CALLS),
                   "-o", str(record), "--", *argv]  # fmt: skip
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=timeout, check=False
        )
        text = record.read_text(errors="replace") if record.exists() else ""
    return done, text


def mark(label: str) -> None:
    """Put ``label`` into the trace: a connect to an abstract socket nobody listens on."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s, contextlib.suppress(OSError):
        s.connect("\0" + MARK + label[:80])


def run_commands(commands: list[list[str]]) -> list[int]:
    """Run ``vfa`` with each argument list, each after its marker; their exit statuses."""
    from vfa.cli import main

    codes = []
    for argv in commands:
        mark(" ".join(a if not os.path.isabs(a) else Path(a).name for a in argv))
        try:
            codes.append(main(argv))
        except SystemExit as exc:  # --help, or argparse refusing
            codes.append(int(exc.code or 0))
        sys.stdout.flush()
    return codes


if __name__ == "__main__":
    print(json.dumps(run_commands(json.loads(Path(sys.argv[1]).read_text()))))
