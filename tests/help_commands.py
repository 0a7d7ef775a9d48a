"""The ``vfa`` commands a help page, a guide page or the README quotes, checked against
the real parser: each names a command ``vfa`` has (its name alone, ``vfa team add``,
names it and is no more), spells every option in full as one of that command's own, and,
written out whole (no ``[optional]`` parts, no ``a|b`` choices, no ``…``), is taken by
the parser as it stands, values included (a date, a role, a number). The options a text
names outside a command, and the environment variables it names (``VFA_PASSPHRASE``),
must be ones VFA has and reads. No Qt here: the README is checked without it."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from functools import cache
from pathlib import Path

from vfa.cli import build_parser
from vfa.errors import VfaError

SOURCES = Path(__file__).resolve().parents[1] / "vfa"
ELLIPSES = ("…", "...")
ENV_NAME = re.compile(r"\$?(VFA_[A-Z0-9_]+)")


@cache
def parser() -> argparse.ArgumentParser:
    """The ``vfa`` parser, built once."""
    return build_parser()


def _subcommands(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _bare(word: str) -> str:
    """A word without the brackets and parentheses of usage notation around it."""
    return word.strip("[]()")


def _is_option(word: str) -> bool:
    word = _bare(word)
    return word.startswith("-") and len(word) > 1 and not re.fullmatch(r"-[\d.]+", word)


def _takes_value(p: argparse.ArgumentParser, option: str) -> bool:
    action = p._option_string_actions.get(option)
    return action is not None and action.nargs != 0


def words_of(command: str) -> list[str]:
    """A quoted command as the shell splits it (a backslash at a line's end goes on)."""
    return shlex.split(command.replace("\\\n", " "))


def subcommand_of(command: str) -> tuple[str, ...]:
    """The subcommand a quoted command runs, as its words (``('team', 'add')``)."""
    return tuple(_leaf(words_of(command))[0])


def _leaf(words: list[str]) -> tuple[list[str], argparse.ArgumentParser, list[str]]:
    """The subcommand the words name (its path and parser) and what is wrong on the way."""
    here, path, i = parser(), [], 1
    while choices := _subcommands(here):
        while i < len(words) and _is_option(words[i]):
            option = _bare(words[i]).split("=", 1)[0]
            i += 2 if "=" not in words[i] and _takes_value(here, option) else 1
        if i >= len(words):
            if path:  # (bare `vfa`, options and all, opens the window)
                return path, here, [f"'vfa {' '.join(path)}' needs one of: {', '.join(choices)}"]
            return path, here, []
        name = _bare(words[i])
        if name not in choices:
            where = f"vfa {' '.join(path)}".strip()
            return path, here, [f"'{where}' has no command {name!r} (it has: {', '.join(choices)})"]
        path, here, i = [*path, name], choices[name], i + 1
    return path, here, []


def _whole(words: list[str]) -> list[str] | None:
    """The command without its optional parts, the first of each ``a|b`` choice; None when
    it still holds an ellipsis (not a command as typed)."""
    kept: list[str] = []
    depth = 0
    for word in words:
        if depth == 0 and word.startswith("["):  # an optional part begins
            depth = word.count("[") - word.count("]")
        elif depth > 0:
            depth += word.count("[") - word.count("]")
        else:
            kept.append(word.split("|", 1)[0] if "|" in word and word != "|" else word)
    if any(e in w for w in kept for e in ELLIPSES) or "|" in kept:
        return None
    return kept


def command_problems(command: str) -> list[str]:
    """What is wrong with a quoted ``vfa`` command, each said with its reason ([] if none)."""
    try:
        words = words_of(command)
    except ValueError as exc:
        return [f"{command!r}: {exc}"]
    if not words or words[0] != "vfa":
        return [f"{command!r} is not a vfa command"]
    path, leaf, found = _leaf(words)
    if found and words[1:] != path:  # (a command's name alone, `vfa team`, names it)
        return [f"{command!r}: {found[0]}"]
    if words[1:] == path:
        return []
    known = set(leaf._option_string_actions) | set(parser()._option_string_actions)
    name = f"vfa {' '.join(path)}".strip()
    for word in words[1:]:
        if _is_option(word):
            option = _bare(word).split("=", 1)[0]
            if option not in known:
                found.append(f"{command!r}: {name} has no option {option}")
    if found:
        return found
    whole = _whole(words)
    if whole is None:
        return found
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            args = parser().parse_args(whole[1:])
    except SystemExit:
        message = err.getvalue().strip().splitlines()[-1:] or ["refused"]
        return [f"{command!r}: {message[0].removeprefix('vfa: ')}"]
    return [f"{command!r}: {why}" for why in _value_problems(args)]


def _placeholder(value: str) -> bool:
    """A value written as what goes there (NAME, ROLE, YYYY-MM-DD), not as a value."""
    return re.fullmatch(r"[A-Z][A-Z0-9_.,-]*", value) is not None


def _value_problems(args: argparse.Namespace) -> list[str]:
    """What is wrong with the values the commands check themselves, after parsing: a
    role, a day, the purposes of consent."""
    from vfa.cli.types import day
    from vfa.services.choices import PURPOSES
    from vfa.services.people import role_names

    found = []
    role = getattr(args, "role", None)
    if isinstance(role, str) and not _placeholder(role) and role not in role_names():
        found.append(f"{role!r} is not a role (one of {', '.join(role_names())})")
    for option in ("since", "until"):
        value = getattr(args, option, None)
        if isinstance(value, str) and not _placeholder(value):
            try:
                day(value, f"--{option}")
            except VfaError as exc:
                found.append(str(exc))
    purposes = getattr(args, "purposes", None)
    if isinstance(purposes, str) and not _placeholder(purposes):
        unknown = [p for p in purposes.split(",") if p and p not in PURPOSES]
        found += [f"{p!r} is not a purpose (one of {', '.join(PURPOSES)})" for p in unknown]
    return found


PROSE_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


@cache
def every_option() -> frozenset[str]:
    """The options of every ``vfa`` command, each spelled in full."""
    found: set[str] = set()
    waiting = [parser()]
    while waiting:
        here = waiting.pop()
        found |= {o for o in here._option_string_actions if o.startswith("--")}
        waiting += _subcommands(here).values()
    return frozenset(found)


def prose_options(text: str) -> list[str]:
    """The options a text names outside any command (``add --as and your name``)."""
    return PROSE_OPTION.findall(text)


def option_problems(option: str) -> list[str]:
    """Why an option named in a text is no option of any ``vfa`` command ([] if it is one)."""
    return [] if option in every_option() else [f"no vfa command has the option {option}"]


@cache
def environment_read() -> frozenset[str]:
    """The environment variables VFA's own code names (``"VFA_…"`` in its sources)."""
    names: set[str] = set()
    for source in SOURCES.rglob("*.py"):
        names |= set(re.findall(r"""["'](VFA_[A-Z0-9_]+)["']""", source.read_text("utf-8")))
    return frozenset(names)


def environment_problems(name: str) -> list[str]:
    """Why an environment variable a page names is not one VFA reads ([] if it is)."""
    match = ENV_NAME.fullmatch(name.strip())
    if match is None:
        return [f"{name!r} is not an environment variable's name"]
    if match.group(1) not in environment_read():
        return [f"VFA reads no environment variable {match.group(1)}"]
    return []


def is_command(code: str) -> bool:
    """Whether a piece of code on a page is a ``vfa`` command (else a key or a name)."""
    return code.strip() == "vfa" or code.strip().startswith("vfa ")


def is_environment(code: str) -> bool:
    """Whether a piece of code on a page names an environment variable."""
    return ENV_NAME.fullmatch(code.strip()) is not None


def shell_commands(block: str) -> list[str]:
    """The ``vfa`` commands of a shell block: a line ending in a backslash goes on on the
    next, and an indented line of ``[--options]`` under a command is more of it."""
    commands: list[str] = []
    carry = False
    for line in block.splitlines():
        text = line.split(" #", 1)[0].rstrip() if not line.lstrip().startswith("#") else ""
        if carry and commands:
            commands[-1] += " " + text.strip().removesuffix("\\").strip()
        elif text.startswith("vfa"):
            commands.append(text.removesuffix("\\").strip())
        elif text.strip().startswith(("[", "-")) and commands:
            commands[-1] += " " + text.strip().removesuffix("\\").strip()
        carry = text.endswith("\\")
    return commands
