"""Who is asking: the coder name every read of coding data is filtered for.

``current_viewer()`` is, in this order: the name given for this call chain
(``viewing_as``, which ``vfa ... --as NAME`` uses), the person an open team workspace
logged in as (``vfa.storage.signed_in``), the person the window's workspace is open as
(``set_person``: who the window was told they are there), the coder named in the
settings (Settings → Coder in the window, ``[coder] name=`` in ``vfa.ini`` in the config
folder), else the login name. The window and the ``vfa`` command read the same settings
file, so both see a person's coding as the same coder. The audit trail names the same
person.

In a workspace file the name is who a person says they are: the blind rule keeps honest
coders from seeing what they should not by accident; it is not access control. On a team
workspace (PostgreSQL) a person is who they log in as, and the server enforces the rules.
"""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator
from pathlib import Path

from platformdirs import user_config_path

from vfa.storage.signed_in import signed_in

SETTINGS_FILE = "vfa.ini"

_override: list[str] = []  # viewing_as's names, innermost last (process-wide: threads too)
_person: list[str] = [""]  # the window's person in its workspace (set_person)
_cache: dict[Path, tuple[tuple[int, int], str]] = {}


def config_dir() -> Path:
    """``$VFA_CONFIG_DIR`` or the platform's user config folder (settings, own schemes)."""
    env = os.environ.get("VFA_CONFIG_DIR")
    return Path(env) if env else user_config_path("vfa", appauthor=False)


def login_name() -> str:
    """The person at the keyboard, as the operating system knows them."""
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name on some systems
        return "unknown"


def settings_coder(path: Path | None = None) -> str:
    """The coder named in the settings file (Settings → Coder), or "" when none."""
    path = path or config_dir() / SETTINGS_FILE
    try:
        info = path.stat()
    except OSError:
        return ""
    stamp = (info.st_mtime_ns, info.st_size)
    cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    name = _ini_value(text, "coder", "name").strip()
    _cache[path] = (stamp, name)
    return name


def current_viewer() -> str:
    """Who is asking: ``viewing_as``'s name, else the person a team workspace logged in
    as, else the window's person, else the settings' coder, else the login."""
    return (
        (_override[-1] if _override else "")
        or signed_in()
        or _person[0]
        or settings_coder()
        or login_name()
    )


def set_person(name: str | None) -> None:
    """The person the window works as in its open workspace (None or blank: none, so
    the settings' coder or the login name): for every service the window calls."""
    _person[0] = (name or "").strip()


def resolve(viewer: str | None) -> str:
    """The viewer a service was given, or the current one when none was."""
    name = (viewer or "").strip()
    return name or current_viewer()


@contextlib.contextmanager
def viewing_as(name: str | None) -> Iterator[None]:
    """Within the block, ``current_viewer()`` is ``name`` in every thread of the process
    (nothing changes for None or a blank name). For one command at a time, as ``vfa``."""
    _override.append((name or "").strip() or (_override[-1] if _override else ""))
    try:
        yield
    finally:
        _override.pop()


# -- the settings file (QSettings' INI format, read without Qt) ------------------------------

_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _ini_value(text: str, section: str, key: str) -> str:
    """The value of ``key`` in ``[section]``, unescaped as QSettings writes it."""
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current == section and "=" in line:
            name, _, value = line.partition("=")
            if name.strip() == key:
                return _unescape(value.strip())
    return ""


def _unescape(value: str) -> str:
    out: list[str] = []
    quoted = False
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and i + 1 < len(value):
            i += 1
            nxt = value[i]
            if nxt == "x":
                digits = ""
                while i + 1 < len(value) and len(digits) < 4 and value[i + 1] in _HEX:
                    i += 1
                    digits += value[i]
                out.append(chr(int(digits, 16)) if digits else "x")
            else:
                out.append(_ESCAPES.get(nxt, nxt))
        else:
            out.append(ch)
        i += 1
    text = "".join(out)
    return text[1:] if text.startswith("@@") else text


_HEX = set("0123456789abcdefABCDEF")
